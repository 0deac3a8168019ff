"""Start-up hook for the children of a lesson executed by the docs build.

Only on ``PYTHONPATH`` while a lesson runs. Spawned children and the forkserver
inherit the build's descriptors 1 and 2; this sends them to the relay FIFO
instead, unless the lesson itself gave the child other streams (a pipe from
``subprocess.run(..., capture_output=True)``, say), which stay untouched.
"""

import os
import sys


def _redirect_inherited_streams(spec):
    path, *identities = spec.rsplit(":", 4)
    inherited = [f"{identities[0]}:{identities[1]}", f"{identities[2]}:{identities[3]}"]
    targets = []
    for fd, identity in zip((1, 2), inherited):
        try:
            st = os.fstat(fd)
        except OSError:
            continue
        if f"{st.st_dev}:{st.st_ino}" == identity:
            targets.append(fd)
    if not targets:
        return
    fifo = os.open(path, os.O_WRONLY)
    for fd in targets:
        os.dup2(fifo, fd)
        # Line buffering, as in a terminal: each line reaches the FIFO in one write.
        stream = open(fd, "w", buffering=1, encoding="utf-8", errors="backslashreplace", closefd=False)
        if fd == 1:
            sys.stdout = stream
        else:
            sys.stderr = stream
    os.close(fifo)


_spec = os.environ.get("MPDOCS_CHILD_OUTPUT")
if _spec:
    _redirect_inherited_streams(_spec)
