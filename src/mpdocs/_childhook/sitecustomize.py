"""Start-up hook for the children of a lesson executed by the docs build.

Only on ``PYTHONPATH`` while a lesson runs. Spawned children and the forkserver
inherit the build's descriptors 1 and 2; this sends them to the relay FIFO
instead, unless the lesson itself gave the child other streams (a pipe from
``subprocess.run(..., capture_output=True)``, say), which stay untouched.
Standalone on purpose: importing mpdocs would import Sphinx in every child.
"""

import os
import sys


def point_streams_at(target_fd, fds=(1, 2)):
    """Send descriptors ``fds`` and their ``sys`` streams to ``target_fd``, line-buffered."""
    for fd in fds:
        os.dup2(target_fd, fd)
        # Line buffering, as in a terminal: each line reaches the FIFO in one write.
        stream = open(  # noqa: SIM115 (it lives as long as the process)
            fd, "w", buffering=1, encoding="utf-8", errors="backslashreplace", closefd=False
        )
        if fd == 1:
            sys.stdout = stream
        else:
            sys.stderr = stream


def _inherited_from_build(fd, identity):
    try:
        st = os.fstat(fd)
    except OSError:
        return False
    return f"{st.st_dev}:{st.st_ino}" == identity


def redirect_inherited_streams(spec):
    path, dev1, ino1, dev2, ino2 = spec.rsplit(":", 4)
    identities = {1: f"{dev1}:{ino1}", 2: f"{dev2}:{ino2}"}
    fds = [fd for fd, identity in identities.items() if _inherited_from_build(fd, identity)]
    if fds:
        fifo = os.open(path, os.O_WRONLY)
        point_streams_at(fifo, fds)
        os.close(fifo)


if __name__ == "sitecustomize" and os.environ.get("MPDOCS_CHILD_OUTPUT"):
    redirect_inherited_streams(os.environ["MPDOCS_CHILD_OUTPUT"])
