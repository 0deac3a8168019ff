"""Run lessons and builds as a reader would, and find processes left behind.

Used by the test suite. A command runs in a session of its own, so every
process it starts, however deep, can be found afterwards by session ID and
killed if it outlived its parent.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import filelock

from .run.lesson_process import Terminal
from .run.processes import descendants, kill_session, reader_env, session_processes

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "LESSON_START_METHODS",
    "SHARED_RUNS",
    "START_METHODS",
    "computed_once",
    "descendants",
    "indented_block",
    "lesson_lines",
    "page_lines",
    "reader_env",
    "run",
    "run_in_terminal",
    "run_lesson",
    "sphinx_build",
    "unexplained_stderr",
]

T = TypeVar("T")
START_METHODS = ("fork", "spawn", "forkserver")
#: The environment variable that narrows the start methods the lessons' tests use
#: (comma-separated); the noxfile names those a reader of each Python meets.
LESSON_START_METHODS_VARIABLE = "MPDOCS_LESSON_START_METHODS"


def _lesson_start_methods() -> tuple[str, ...]:
    listed = os.environ.get(LESSON_START_METHODS_VARIABLE)
    if not listed:
        return START_METHODS
    methods = tuple(m.strip() for m in listed.split(","))
    unknown = sorted(set(methods) - set(START_METHODS))
    if unknown:
        raise ValueError(f"{LESSON_START_METHODS_VARIABLE}={listed!r}: not a start method: {unknown}")
    return methods


#: The start methods each lesson's tests run it under: all three, unless
#: ``MPDOCS_LESSON_START_METHODS`` names fewer.
LESSON_START_METHODS = _lesson_start_methods()
#: The environment variable naming the folder where a test run's pytest-xdist workers
#: share lesson runs (and site builds, in tests/conftest.py).
SHARED_RUNS = "MPDOCS_SHARED_RUNS"
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
        kill_session(proc.pid)
        proc.communicate()
        raise
    leftovers = _left_running(proc.pid)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), leftovers


def run_in_terminal(
    cmd: Sequence[str], *, timeout: float, env: dict[str, str] | None = None, cwd: str | Path | None = None
) -> tuple[int, str, list[int]]:
    """Run ``cmd`` in a new session on a pseudo-terminal, as in a reader's terminal.

    Returns the exit status, what the terminal finally shows (see
    :func:`mpdocs.run.lesson_process.screen_text`) and the PIDs left running
    (killed before returning). On timeout the session is killed and
    ``subprocess.TimeoutExpired`` propagates.
    """
    terminal = Terminal()
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=terminal.slave,
            stderr=terminal.slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        terminal.started()
        deadline = time.monotonic() + timeout
        while proc.poll() is None:
            if time.monotonic() > deadline:
                kill_session(proc.pid)
                proc.wait()
                terminal.read_until_eof(1.0)
                raise subprocess.TimeoutExpired(cmd, timeout, output=terminal.take())
            terminal.wait(0.05)
        leftovers = _left_running(proc.pid)
        terminal.read_until_eof(1.0)
        return proc.returncode, terminal.take(), leftovers
    finally:
        terminal.close()


def _left_running(sid: int) -> list[int]:
    """Processes of session ``sid`` still alive after a moment's grace; they are killed."""
    deadline = time.monotonic() + 2
    leftovers = session_processes(sid)
    while leftovers and time.monotonic() < deadline:
        time.sleep(0.05)
        leftovers = session_processes(sid)
    kill_session(sid)
    return leftovers


def run_lesson(
    path: str | Path, start_method: str, *, timeout: float = 120, python: str = sys.executable
) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    """``python lesson.py`` from the lesson's folder, with ``start_method`` as the default.

    Each lesson runs once per start method and test run: the generic checks
    and the lesson's own tests share that run, also across pytest-xdist's
    workers when the environment variable ``MPDOCS_SHARED_RUNS`` names a
    folder they share (``tests/conftest.py`` sets it).
    """
    return _run_lesson_once(Path(path).resolve(), start_method, timeout, python)


@functools.cache
def _run_lesson_once(
    path: Path, start_method: str, timeout: float, python: str
) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    def run_it():
        return run([python, path.name], timeout=timeout, env=reader_env(start_method), cwd=path.parent)

    runs = os.environ.get(SHARED_RUNS)
    if not runs:
        return run_it()
    what = repr((str(path), path.read_bytes(), start_method, timeout, python)).encode()
    folder = Path(runs, hashlib.sha256(what).hexdigest())
    return computed_once(folder, lambda _: run_it(), timeout=timeout + 60)


def computed_once(folder: Path, compute: Callable[[Path], T], *, timeout: float) -> T:
    """``compute(folder)``, once per test run, whichever pytest-xdist worker asks first.

    The first caller computes under a file lock and stores the (pickled)
    result next to what ``compute`` wrote into ``folder``; a caller that comes
    meanwhile waits for the lock (up to ``timeout`` seconds), then reads it.
    A failure is computed once too: the callers after the first raise
    :class:`ComputedOnceError` with its traceback instead of trying again (a
    failed site build would otherwise be repeated by every test that needs
    it). Only what an attempt that never finished (a killed worker) left in
    ``folder`` is removed and computed again.
    """
    result = folder / "result.pickle"
    failure = folder / "failure.txt"
    with filelock.FileLock(folder.with_suffix(".lock"), timeout=timeout):
        if failure.is_file():
            raise ComputedOnceError(f"failed earlier in this test run:\n{failure.read_text()}")
        if not result.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            try:
                value = compute(folder)
            except BaseException:
                failure.write_text(traceback.format_exc())
                raise
            result.write_bytes(pickle.dumps(value))
            return value
    return pickle.loads(result.read_bytes())


class ComputedOnceError(Exception):
    """What :func:`computed_once` raises for a computation that failed for an earlier caller."""


#: What a Dask worker may log while a ``LocalCluster`` closes, whatever the
#: script does: ``Worker.close()`` stops the heartbeat's periodic callback but
#: not a heartbeat already waiting for the scheduler's answer, then closes the
#: connection under it, and ``Worker.heartbeat`` logs the ``CommClosedError``
#: with its traceback (distributed/worker.py; dask/distributed#7105, open).
#: Only that whole block matches: its first line, the traceback's own lines
#: and the closed heartbeat connection as its last line.
DASK_HEARTBEAT_AT_CLOSE = re.compile(
    r"^\S+ \S+ - distributed\.worker - ERROR - Failed to communicate with scheduler during heartbeat\.\n"
    r"(?:(?:Traceback \(most recent call last\):|\s.*|"
    r"tornado\.iostream\.StreamClosedError: Stream is closed|"
    r"The above exception was the direct cause of the following exception:|)\n)*"
    r"distributed\.comm\.core\.CommClosedError: in <TCP \(closed\) ConnectionPool\.heartbeat_worker "
    r"[^>\n]*>: Stream is closed(?:\n|\Z)",
    re.MULTILINE,
)


def unexplained_stderr(stderr: str) -> str:
    """``stderr`` without the blocks that :data:`DASK_HEARTBEAT_AT_CLOSE` explains."""
    return DASK_HEARTBEAT_AT_CLOSE.sub("", stderr)


def lesson_lines(path: str | Path, start_method: str) -> list[str]:
    """The lines ``python lesson.py`` printed, once it ended cleanly.

    Clean means exit status 0, no traceback on stderr (but for Dask's
    :data:`DASK_HEARTBEAT_AT_CLOSE`), no process left running.
    """
    result, leftovers = run_lesson(path, start_method)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in unexplained_stderr(result.stderr), result.stderr
    assert leftovers == [], f"{Path(path).name} left processes running: {leftovers}"
    return result.stdout.splitlines()


def indented_block(lines: Sequence[str], first: str) -> list[str]:
    """The line ``first`` and the lines indented under it."""
    start = lines.index(first)
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    return list(lines[start:end])


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


def page_lines(rst: str, start_method: str | None = None) -> list[str]:
    """The output lines of every cell of a lesson page generated by the build, in order.

    Where a cell's outputs differ by start method (a tab per method, see
    :mod:`mpdocs.run.start_methods`), the lines are ``start_method``'s, or the
    selected tab's (the build Python's default) for ``None``.
    """
    lines: list[str] = []
    tab: str | None = None  # the start method of the tab being read; None outside tabs
    selected = False
    rows = rst.splitlines()
    for number, row in enumerate(rows):
        if row.startswith(".. tab-set::"):
            tab = None
        elif row.startswith("   .. tab-item::"):
            options = rows[number + 1 : number + 3]
            tab = next(o.split(":sync:")[1].strip() for o in options if ":sync:" in o)
            selected = any(":selected:" in o for o in options)
        elif row and not row.startswith(" "):
            tab = None  # a new top-level block ends the tab set
        wanted = tab is None or tab == start_method or (start_method is None and selected)
        if row.strip() == ".. rst-class:: sphx-glr-script-out" and wanted:
            lines.extend(_output_block(rows, number))
    return lines


def _output_block(rows: list[str], number: int) -> list[str]:
    """The lines of the output block whose ``rst-class`` line is ``rows[number]``."""
    indent = " " * (len(rows[number]) - len(rows[number].lstrip()) + 4)
    assert rows[number + 2].strip() == ".. code-block:: none", rows[number : number + 3]
    output = []
    for row in rows[number + 4 :]:
        if row and not row.startswith(indent):
            break
        output.append(row[len(indent) :])
    while output and not output[-1]:
        output.pop()
    return output
