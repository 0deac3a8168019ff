"""Bring what child processes print into the page of the lesson that started them.

sphinx-gallery captures the build process's ``sys.stdout`` only. A forked child
writes into its own copy of that capture (lost); a spawned or forkserver child
writes to the build's terminal. The relay gives every child one destination, a
FIFO read by the build, and feeds the lines into the running cell's output in
the order they were written:

* forked children are redirected by an ``os.register_at_fork`` hook;
* spawned children (and the forkserver, whose children inherit from it) start
  with ``_childhook`` on ``PYTHONPATH``; its ``sitecustomize`` redirects
  descriptors 1 and 2 when they are still the build's own, so a lesson's
  ``subprocess.run(..., capture_output=True)`` keeps its pipes.

Children write whole lines (line-buffered), and writes under ``PIPE_BUF`` to a
FIFO are atomic, so lines from different processes never mix mid-line.
"""

from __future__ import annotations

import os
import select
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from ._childhook.sitecustomize import point_streams_at

ENV_VAR = "MPDOCS_CHILD_OUTPUT"
CHILD_HOOK_DIR = str(Path(__file__).parent / "_childhook")


def _identity(fd: int) -> str:
    st = os.fstat(fd)
    return f"{st.st_dev}:{st.st_ino}"


class ChildOutputRelay:
    """A FIFO that every child of a running lesson writes to, pumped into a sink."""

    def __init__(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="mpdocs-relay-")
        self.path = os.path.join(self._dir, "children.fifo")
        os.mkfifo(self.path)
        self._read_fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        # Holding a write end keeps the FIFO from reporting end-of-file between
        # writers, and forked children redirect onto a copy of it.
        self._write_fd = os.open(self.path, os.O_WRONLY)
        self.lock = threading.RLock()
        self.active = False
        self._partial = b""
        self._pending: list[str] = []
        self._sink: Callable[[str], None] | None = None
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mpdocs-relay", daemon=True)
        self._thread.start()
        os.register_at_fork(after_in_child=self._after_fork_in_child)

    # -- lifecycle of one lesson ------------------------------------------------
    def start_lesson(self) -> None:
        """Route children's output to the relay until :meth:`end_lesson`."""
        self.active = True
        os.environ[ENV_VAR] = f"{self.path}:{_identity(1)}:{_identity(2)}"
        paths = [CHILD_HOOK_DIR, *filter(None, [os.environ.get("PYTHONPATH")])]
        self._saved_pythonpath = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = os.pathsep.join(paths)

    def end_lesson(self) -> list[str]:
        """Stop routing; return lines no cell was there to receive."""
        self.active = False
        os.environ.pop(ENV_VAR, None)
        if self._saved_pythonpath is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = self._saved_pythonpath
        with self.lock:
            self.pump()
            leftover, self._pending = self._pending, []
            if self._partial:
                leftover.append(self._partial.decode("utf-8", "backslashreplace"))
                self._partial = b""
        return leftover

    # -- where lines go ---------------------------------------------------------
    def attach(self, sink: Callable[[str], None]) -> None:
        """Send lines to ``sink``, starting with those that waited for a cell."""
        with self.lock:
            self._sink = sink
            self.pump()

    def detach(self) -> None:
        with self.lock:
            self.pump()
            self._sink = None

    def pump(self) -> None:
        """Move every complete line already written by a child to the sink."""
        with self.lock:
            chunks = []
            while True:
                try:
                    chunk = os.read(self._read_fd, 65536)
                except BlockingIOError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            data = self._partial + b"".join(chunks)
            complete, _, self._partial = data.rpartition(b"\n")
            if complete:
                self._pending.append(complete.decode("utf-8", "backslashreplace") + "\n")
            if self._sink is not None and self._pending:
                text, self._pending = "".join(self._pending), []
                self._sink(text)

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=5)
        os.close(self._read_fd)
        os.close(self._write_fd)
        shutil.rmtree(self._dir, ignore_errors=True)

    # -- internals --------------------------------------------------------------
    def _run(self) -> None:
        # Keeps the FIFO drained while the lesson blocks (in join(), say), so
        # children never stall on a full pipe.
        poller = select.poll()
        poller.register(self._read_fd, select.POLLIN)
        while not self._closed.is_set():
            if poller.poll(100):
                self.pump()

    def _after_fork_in_child(self) -> None:
        if self.active:
            point_streams_at(self._write_fd)
