"""Run lessons and builds as a reader would, and find processes left behind.

Used by the test suite. A command runs in a session of its own, so every
process it starts, however deep, can be found afterwards by session ID and
killed if it outlived its parent.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

START_METHODS = ("fork", "spawn", "forkserver")
#: Debian's chromium (Playwright's own browser download does not work here).
CHROMIUM = os.environ.get("MPDOCS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: Headless on a machine with no network but loopback: no background connections.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
STARTMETHOD_HOOK_DIR = str(Path(__file__).parent / "_startmethod")


def reader_env(start_method: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a reader's terminal, with an optional default start method.

    ``PYTHONUNBUFFERED`` is dropped: with it, ``print`` writes the text and the
    newline separately, and lines of concurrent processes interleave.
    """
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONUNBUFFERED", "PYTHONPATH"}}
    env["MPLBACKEND"] = "Agg"
    if start_method:
        env["MPDOCS_DEFAULT_START_METHOD"] = start_method
        env["PYTHONPATH"] = STARTMETHOD_HOOK_DIR
    env.update(extra)
    return env


def _live_processes() -> dict[int, tuple[int, int]]:
    """{pid: (parent pid, session id)} of live (not zombie) processes, from Linux /proc."""
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


def session_processes(sid: int) -> list[int]:
    """PIDs of live processes in session ``sid``."""
    return [pid for pid, (_, session) in _live_processes().items() if session == sid]


def descendants(pid: int) -> list[int]:
    """PIDs of live processes descended from ``pid``."""
    processes = _live_processes()
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, (ppid, _) in processes.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return sorted(found)


def run(
    cmd: Sequence[str],
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    """Run ``cmd`` in a new session; return its result and the PIDs it left running.

    Leftover processes are killed before returning. On timeout the whole
    session is killed and ``subprocess.TimeoutExpired`` propagates.
    """
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_session(proc.pid)
        proc.communicate()
        raise
    # Give exiting children a moment: a leftover must still be there after it.
    deadline = time.monotonic() + 2
    leftovers = session_processes(proc.pid)
    while leftovers and time.monotonic() < deadline:
        time.sleep(0.05)
        leftovers = session_processes(proc.pid)
    _kill_session(proc.pid)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), leftovers


def run_lesson(
    path: str | Path, start_method: str, *, timeout: float = 120, python: str = sys.executable
) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    """``python lesson.py`` from the lesson's folder, with ``start_method`` as the default.

    Each lesson runs once per start method and test run: the generic checks
    and the lesson's own tests share that run.
    """
    return _run_lesson_once(Path(path).resolve(), start_method, timeout, python)


@functools.cache
def _run_lesson_once(
    path: Path, start_method: str, timeout: float, python: str
) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    return run([python, path.name], timeout=timeout, env=reader_env(start_method), cwd=path.parent)


def lesson_lines(path: str | Path, start_method: str) -> list[str]:
    """The lines ``python lesson.py`` printed, once it ended cleanly.

    Clean means exit status 0, no traceback on stderr, no process left running.
    """
    result, leftovers = run_lesson(path, start_method)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert leftovers == [], f"{Path(path).name} left processes running: {leftovers}"
    return result.stdout.splitlines()


def printed_after(lines: Sequence[str], prefix: str) -> str:
    """The rest of the one line that starts with ``prefix``."""
    [line] = [line for line in lines if line.startswith(prefix)]
    return line.removeprefix(prefix)


def value_printed_after(lines: Sequence[str], prefix: str) -> object:
    """The Python literal printed after ``prefix`` on the one line that starts with it."""
    return ast.literal_eval(printed_after(lines, prefix).strip())


def sphinx_build(src: str | Path, out: str | Path, *options: str) -> list[str]:
    """The strict ``sphinx-build`` command line of the site, uncoloured for assertions."""
    return [
        sys.executable,
        "-m",
        "sphinx",
        "--no-color",
        "-W",
        "-n",
        "--keep-going",
        *options,
        str(src),
        str(out),
    ]


def _kill_session(sid: int) -> None:
    for pid in session_processes(sid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
