"""A reader's environment, and the processes a command leaves behind.

Used by the build (each lesson runs in a session of its own) and by the test
suite. Standard library only, so that it works in any Python the lessons run
on. Processes are found through Linux's ``/proc``, or ``ps`` elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

STARTMETHOD_HOOK_DIR = str(Path(__file__).parent / "_startmethod")


def reader_env(start_method: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a reader's terminal, with an optional default start method.

    ``PYTHONUNBUFFERED`` is dropped: with it, ``print`` writes the text and the
    newline separately, and lines of concurrent processes interleave.
    ``PYTHONPATH`` is dropped too: a reader's lesson sees no build machinery.
    With ``start_method``, ``_startmethod/sitecustomize.py`` makes it the
    interpreter's default, as a platform's default would be.
    """
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONUNBUFFERED", "PYTHONPATH"}}
    env["MPLBACKEND"] = "Agg"
    if start_method:
        env["MPDOCS_DEFAULT_START_METHOD"] = start_method
        env["PYTHONPATH"] = STARTMETHOD_HOOK_DIR
    env.update(extra)
    return env


def live_processes() -> dict[int, tuple[int, int]]:
    """``{pid: (parent pid, session id)}`` of live (not zombie) processes."""
    if not Path("/proc/self/stat").exists():
        return _live_processes_from_ps()
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the command name, which is in parentheses and may hold spaces.
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z":
            processes[int(entry.name)] = (int(fields[1]), int(fields[3]))
    return processes


def _live_processes_from_ps() -> dict[int, tuple[int, int]]:
    listing = subprocess.run(
        ["ps", "-A", "-o", "pid=,ppid=,sess=,stat="], capture_output=True, text=True, check=True
    ).stdout
    processes = {}
    for line in listing.splitlines():
        pid, ppid, sid, state = line.split()[:4]
        if not state.startswith("Z"):
            processes[int(pid)] = (int(ppid), int(sid))
    return processes


def session_processes(sid: int) -> list[int]:
    """PIDs of live processes in session ``sid``."""
    return sorted(pid for pid, (_, session) in live_processes().items() if session == sid)


def descendants(pid: int) -> list[int]:
    """PIDs of live processes descended from ``pid``."""
    processes = live_processes()
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, (ppid, _) in processes.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return sorted(found)


def describe(pid: int) -> str:
    """``"pid 123 (python3 -c ...)"``, for messages about processes left running."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        command = ""
    return f"pid {pid} ({command[:120]})" if command else f"pid {pid}"


def kill_session(sid: int) -> list[int]:
    """SIGKILL every live process of session ``sid``; return their PIDs."""
    killed = session_processes(sid)
    for pid in killed:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return killed
