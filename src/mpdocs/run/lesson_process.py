"""Run a lesson in a fresh interpreter of its own, cell by cell, and read its terminal.

:class:`LessonProcess` starts ``python lesson_main.py`` (see
:mod:`mpdocs.run.lesson_main`) in the lesson's folder, in a session of its own,
with descriptors 1 and 2 on one pseudo-terminal (80 × 24) that this side
reads. Every process the lesson starts (forked, spawned, started by the fork
server, grandchildren, C code writing to descriptor 1) inherits that
terminal, so its output arrives in the order the kernel received it, written
line by line as in a terminal. :func:`screen_text` turns what arrived into
what a terminal finally displays.

A cell's output is everything the terminal received until the lesson process
wrote its end-of-cell marker. No Sphinx here: the test suite uses
:class:`Terminal` to run lessons as a reader does.
"""

from __future__ import annotations

import ast
import codecs
import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import processes
from .lesson_main import MARKER, read_message, write_message

MAIN = str(Path(__file__).with_name("lesson_main.py"))
COLUMNS, ROWS = 80, 24
#: After the lesson process has exited, how long its children may take to end
#: before they count as left running (multiprocessing's own shutdown takes ms).
GRACE = 2.0
POLL = 0.05


class LessonTimeout(Exception):
    """A lesson ran past its time limit; its whole session was killed."""


@dataclass
class Cell:
    """What one cell did: its terminal output, outcome and saved figures."""

    output: str = ""
    status: str = "ok"  # "ok", "error" (an uncaught exception), "exit" (sys.exit), "died"
    traceback: str | None = None
    figures: list[dict[str, str]] = field(default_factory=list)
    peak_memory: int = 0  # bytes, the lesson process's own maximum resident set so far


@dataclass
class Ending:
    """How the interpreter ended, after the last cell ran."""

    output: str = ""
    returncode: int | None = None
    left_running: list[str] = field(default_factory=list)  # descriptions of processes killed


class Terminal:
    """A pseudo-terminal of 80 × 24 whose output side this process reads.

    Give :attr:`slave` to a child as its descriptors 1 and 2, then call
    :meth:`started`. :meth:`read` collects whatever has arrived without
    waiting; :attr:`eof` turns true once no process holds the terminal.
    """

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        os.set_blocking(self.master, False)
        self.buffer = b""
        self.eof = False

    def started(self) -> None:
        """The child has its copy of the terminal: close ours, so end-of-file can come."""
        os.close(self.slave)
        self.slave = -1

    def read(self) -> None:
        while not self.eof:
            try:
                chunk = os.read(self.master, 65536)
            except BlockingIOError:
                return
            except OSError:  # EIO: every process holding the terminal has ended (Linux)
                chunk = b""
            if not chunk:
                self.eof = True
                return
            self.buffer += chunk

    def wait(self, seconds: float, *others: int) -> list[int]:
        """Wait up to ``seconds`` for output or for one of ``others``; read the output."""
        fds = [*others] if self.eof else [self.master, *others]
        ready = select.select(fds, [], [], max(0.0, seconds))[0]
        self.read()
        return ready

    def read_until_eof(self, seconds: float) -> None:
        until = time.monotonic() + seconds
        while not self.eof and time.monotonic() < until:
            self.wait(min(POLL, until - time.monotonic()))

    def take(self, until: bytes | None = None) -> str:
        """What arrived and was not taken yet (up to ``until``, dropped), as a terminal shows it."""
        self.read()
        if until is None:
            data, self.buffer = self.buffer, b""
        else:
            data, _, self.buffer = self.buffer.partition(until)
        return screen_text(codecs.decode(data, "utf-8", "replace"))

    def close(self) -> None:
        for fd in (self.master, self.slave):
            if fd >= 0:
                os.close(fd)
        self.master = self.slave = -1


class LessonProcess:
    """One lesson's interpreter; use as a context manager, so nothing outlives it.

    ``limit`` (seconds) bounds everything from start to exit: past it, the
    session is killed and :class:`LessonTimeout` is raised.
    """

    def __init__(
        self, path: str | Path, *, env: dict[str, str], limit: float, python: str = sys.executable
    ) -> None:
        self.path = str(Path(path).resolve())
        self.limit = limit
        self.deadline = time.monotonic() + limit
        self.terminal = Terminal()
        self._cells = 0
        commands_read, self._commands = os.pipe()
        self._results, results_write = os.pipe()
        try:
            self.proc = subprocess.Popen(
                [python, MAIN, str(commands_read), str(results_write), self.path],
                stdin=subprocess.DEVNULL,
                stdout=self.terminal.slave,
                stderr=self.terminal.slave,
                cwd=Path(self.path).parent,
                env=env,
                pass_fds=(commands_read, results_write),
                start_new_session=True,
            )
        finally:
            self.terminal.started()
            os.close(commands_read)
            os.close(results_write)
        write_message(self._commands, {"doc": _docstring(self.path)})

    def __enter__(self) -> LessonProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- cells ------------------------------------------------------------------------
    def run_cell(self, source: str, lineno: int, figures: str | None, first_figure: int, last: bool) -> Cell:
        """Run one cell; ``figures`` is the PNG path template (``{}``: number), or ``None``."""
        self._cells += 1
        message = {
            "source": source,
            "lineno": lineno,
            "figures": figures,
            "first_figure": first_figure,
            "last": last,
        }
        write_message(self._commands, message)
        result = None
        while result is None:
            if self._results in self.terminal.wait(self._remaining(), self._results):
                result = read_message(self._results)
                if result is None:  # the process ended in the middle of the cell
                    break
            elif self.proc.poll() is not None:
                break
        if result is None:
            return Cell(self._output_until_exit(), "died")
        marker = MARKER.format(self._cells).encode()
        while marker not in self.terminal.buffer and not self.terminal.eof:
            self.terminal.wait(self._remaining())
        output = self.terminal.take(until=marker)
        return Cell(output, result["status"], result["traceback"], result["figures"], result["memory"])

    def finish(self) -> Ending:
        """Let the interpreter end as a script ends; its output then is the last cell's."""
        os.close(self._commands)
        self._commands = -1
        output = self._output_until_exit()
        ending = Ending(output, self.proc.returncode)
        # Children the interpreter did not wait for may still be ending: give them a moment.
        grace = time.monotonic() + GRACE
        left = processes.session_processes(self.proc.pid)
        while left and time.monotonic() < grace:
            self.terminal.wait(POLL)
            left = processes.session_processes(self.proc.pid)
        if left:
            ending.left_running = [processes.describe(pid) for pid in left]
            processes.kill_session(self.proc.pid)
        self.terminal.read_until_eof(1.0)
        ending.output += self.terminal.take()
        return ending

    def take_output(self) -> str:
        """What the terminal received and no cell has taken, as a terminal shows it."""
        return self.terminal.take()

    def close(self) -> None:
        """Kill whatever of the lesson still runs and release the terminal."""
        processes.kill_session(self.proc.pid)
        if self.proc.returncode is None:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._commands, self._results):
            if fd >= 0:
                os.close(fd)
        self._commands = self._results = -1
        self.terminal.close()

    # -- waiting ---------------------------------------------------------------------------
    def _remaining(self) -> float:
        """Seconds to wait at most before looking again; past the limit, kill and raise."""
        remaining = self.deadline - time.monotonic()
        if remaining > 0:
            return min(remaining, POLL)
        killed = processes.kill_session(self.proc.pid)
        self.proc.wait()
        self.terminal.read_until_eof(1.0)
        raise LessonTimeout(
            f"{Path(self.path).name} ran past its time limit of {self.limit:g} s and was stopped; "
            f"its {len(killed)} process(es) were killed"
        )

    def _output_until_exit(self) -> str:
        """Read the terminal until the lesson process has exited; return what arrived."""
        while self.proc.poll() is None:
            self.terminal.wait(self._remaining())
        return self.terminal.take()


def _docstring(path: str) -> str | None:
    return ast.get_docstring(ast.parse(Path(path).read_bytes()), clean=False)


# -- what a terminal displays -----------------------------------------------------------
def screen_text(text: str) -> str:
    """The lines a terminal shows after receiving ``text``, without colours.

    A terminal emulator (pyte) replays ``text``: carriage returns redraw a
    progress bar in place, ``ESC[K`` erases, cursor moves reach other lines
    (tqdm's nested bars). Its screen is as wide as the longest line and as
    tall as the text, so lines stay whole and nothing scrolls away.
    """
    import pyte

    lines = text.split("\n")
    # Tabs widen a line; a CJK character takes two columns.
    screen = pyte.Screen(2 * max(len(line.expandtabs()) for line in lines) + 1, len(lines))
    pyte.Stream(screen).feed(text)
    shown = [line.rstrip() for line in screen.display]
    while shown and not shown[-1]:
        shown.pop()
    return "".join(line + "\n" for line in shown)
