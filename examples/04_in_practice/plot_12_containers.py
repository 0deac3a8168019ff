r"""
Pools in containers
===================

Two things go wrong in a Docker or Kubernetes container that rarely go wrong
on a desktop. Shared memory lives in ``/dev/shm``, which Docker makes 64 MB
by default: a larger block is created without complaint, then kills the
process that writes past the limit. And a program killed with ``SIGKILL``,
as the out-of-memory killer does, leaves its pool's workers running.

Quick reference:

>>> import multiprocessing, os, sys
>>> from multiprocessing import shared_memory
>>> multiprocessing.parent_process() is None  # the main process has none
True
>>> shm = shared_memory.SharedMemory(create=True, size=1_000_000)
>>> if sys.platform == "linux":  # allocate every page now, or fail here
...     fd = os.open(f"/dev/shm/{shm.name.lstrip('/')}", os.O_RDWR)
...     os.posix_fallocate(fd, 0, shm.size)
...     os.close(fd)
>>> shm.size >= 1_000_000
True
>>> shm.close()
>>> shm.unlink()
"""

# %%
# Shared memory lives in /dev/shm
# -------------------------------
#
# On Linux, :class:`~multiprocessing.shared_memory.SharedMemory` is a file
# in ``/dev/shm``, a ``tmpfs`` file system in memory, whose size is fixed
# when it is mounted: half the RAM on most machines, 64 MB in a Docker
# container unless ``--shm-size`` says otherwise. Creating a block only sets
# the file's size (``ftruncate``); memory is taken page by page as processes
# write to it. So a block larger than all of ``/dev/shm`` is created without
# an error. This cell makes one twice that size and never writes to it; it
# checks first that ``/dev/shm`` is a ``tmpfs`` with a size, so that nothing
# is written to a disk.
import contextlib
import mmap
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from multiprocessing import shared_memory
from pathlib import Path


def filesystem(path):
    """The type of the file system mounted at ``path`` (Linux), or None."""
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            _, mount_point, kind, *_ = line.split()
            if mount_point == path:
                return kind
    return None


if __name__ == "__main__":
    limit = 0  # the size of /dev/shm in bytes, if it has one
    if sys.platform == "linux" and filesystem("/dev/shm") == "tmpfs":
        limit = shutil.disk_usage("/dev/shm").total
    if limit:
        print(f"/dev/shm: {limit / 2**20:,.0f} MiB in all")
        too_big = shared_memory.SharedMemory(create=True, size=2 * limit)
        print(f"SharedMemory of {too_big.size / 2**20:,.0f} MiB: created")
    else:
        print(f"No tmpfs with a size at /dev/shm on {sys.platform}: skipped.")


# %%
# A page with nothing behind it
# -----------------------------
#
# When a process writes to a page that ``/dev/shm`` has no room for, the
# kernel cannot back the page and sends the process ``SIGBUS``, which kills
# it: no Python exception, no traceback, exit code -7 on Linux (``SIGBUS``
# is 7 there, 10 on macOS). A pool whose worker dies so breaks or hangs
# (see :ref:`sphx_glr_lessons_02_pools_plot_06_errors.py`). Filling this
# machine's ``/dev/shm`` to show it would take all that memory; a mapped
# file that shrinks under its mapping gives the same signal, for the same
# reason, without using any. The child maps two pages of a file, cuts the
# file to nothing and writes to the second page. It also turns off core
# dumps, so that its crash leaves no file behind.
def write_after_truncation(path):
    import resource  # POSIX only

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with open(path, "r+b") as file:
        mapping = mmap.mmap(file.fileno(), 2 * mmap.PAGESIZE)
        os.truncate(path, 0)  # nothing is behind the mapping now
        print("child: writing to the mapping", flush=True)
        mapping[mmap.PAGESIZE] = 1
        print("child: never printed", flush=True)


if __name__ == "__main__":
    if sys.platform == "win32":
        print("Windows cannot shrink a mapped file: skipped.")
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "data")
            with open(path, "wb") as file:
                file.truncate(2 * mmap.PAGESIZE)
            child = multiprocessing.Process(
                target=write_after_truncation, args=(path,)
            )
            child.start()
            child.join(timeout=30)
        if child.exitcode is None:  # never leave a process behind
            child.kill()
            child.join(timeout=10)
        code = child.exitcode
        how = f" ({signal.Signals(-code).name})" if code < 0 else ""
        print(f"the child's exit code: {code}{how}")


# %%
# Reserve the pages up front
# --------------------------
#
# The fix is to make the shortage an error where the block is created.
# :func:`os.posix_fallocate` allocates every page of a file at once, or
# raises :exc:`OSError` (``ENOSPC``) if the file system has no room, and
# ``/dev/shm`` supports it. ``reserve`` does that for a block, through the
# block's file in ``/dev/shm``; for the block that is too big, the answer
# comes at once. The reserved pages count against the container's memory
# limit from then on, which is what the block was going to cost anyway. Or
# give the container a larger ``/dev/shm``: ``docker run --shm-size=1g``,
# ``shm_size`` in Compose, and in Kubernetes an ``emptyDir`` volume with
# ``medium: Memory`` mounted at ``/dev/shm``.
def reserve(shm):
    """Allocate every page of the block now (Linux); OSError if no room."""
    fd = os.open(os.path.join("/dev/shm", shm.name.lstrip("/")), os.O_RDWR)
    try:
        os.posix_fallocate(fd, 0, shm.size)
    finally:
        os.close(fd)


if __name__ == "__main__":
    if limit:
        try:
            reserve(too_big)
        except OSError as error:
            print(f"reserve(too_big): OSError: {error}")
        finally:
            too_big.close()
            too_big.unlink()
        small = shared_memory.SharedMemory(create=True, size=2**20)
        reserve(small)
        print("reserve(small): every page of 1 MiB allocated")
        small.close()
        small.unlink()
    else:
        print(f"No tmpfs with a size at /dev/shm on {sys.platform}: skipped.")

# %%
# Workers outlive a killed parent
# -------------------------------
#
# A pool's workers wait for tasks on a queue. When the main process ends
# normally, the pool tells them to stop; when it is killed with ``SIGKILL``
# (the out-of-memory killer, ``docker kill``, a CI job's time limit), it
# cannot, and the workers hold the queue's pipe open themselves, so they
# never see it close. They keep waiting, under every start method
# (gh-111873). The script below starts a ``ProcessPoolExecutor`` of two
# workers, writes their process IDs to a file and kills itself. ``start``
# runs it in a process group of its own, so that the lesson can clean up
# whatever it leaves behind.
ORPHANS = """\
import concurrent.futures
import multiprocessing
import os
import signal
import sys
import time


if __name__ == "__main__":
    executor = concurrent.futures.ProcessPoolExecutor(max_workers=2)
    list(executor.map(time.sleep, [0.1, 0.1], timeout=30))
    pids = [str(process.pid) for process in multiprocessing.active_children()]
    with open(sys.argv[1], "w", encoding="utf-8") as file:
        file.write(" ".join(pids))
    os.kill(os.getpid(), signal.SIGKILL)
"""


def start(script, *args):
    """Run ``script`` in a new process group, its standard error captured."""
    if sys.version_info >= (3, 11):
        new_group = {"process_group": 0}
    else:
        new_group = {"preexec_fn": os.setpgrp}
    return subprocess.Popen(
        [sys.executable, str(script), *args],
        stderr=subprocess.PIPE,
        text=True,
        **new_group,
    )


# %%
# ``running`` tells whether a process still runs. A worker that ends after
# its parent is adopted by the first process of the system (or of the
# container), which may leave it a *zombie* for a while: on Linux,
# ``running`` reads its state so as not to count those.
def running(pid):
    """Whether process ``pid`` exists and has not ended."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:  # no /proc
        return True


# %%
# ``kill_and_watch`` runs a script, waits until it has killed itself, then
# watches its workers for a second and prints what became of each. It kills
# the workers still running, reads the script's standard error to its end
# (which comes once every process holding it has ended) and reports the
# leaked semaphores that the resource tracker, if the script started one,
# cleaned up. A last ``killpg`` ends anything else of the script's group.
def kill_and_watch(name, source, seconds=1.0):
    """Run ``source``; after it dies, watch its workers for ``seconds``."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "script.py")
        script.write_text(source, encoding="utf-8")
        pids_file = Path(folder, "pids")
        proc = start(script, pids_file)
        code = proc.wait(timeout=60)
        died = time.perf_counter()
        pids = [int(pid) for pid in pids_file.read_text().split()]
    gone = {}
    while len(gone) < len(pids) and time.perf_counter() - died < seconds:
        for pid in pids:
            if pid not in gone and not running(pid):
                gone[pid] = time.perf_counter() - died
        time.sleep(0.005)
    print(f"{name}: exit code {code} ({signal.Signals(-code).name})")
    for pid in pids:
        if pid in gone:
            print(
                f"  a worker: gone {gone[pid] * 1000:.0f} ms after its parent"
            )
        else:
            print(f"  a worker: still running {seconds} s after its parent")
            os.kill(pid, signal.SIGKILL)
    try:
        _, stderr = proc.communicate(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):  # the group is empty
            os.killpg(proc.pid, signal.SIGKILL)
    for count, kind in re.findall(r"appear to be (\d+) leaked (\w+)", stderr):
        print(f"  resource tracker: removed {count} leaked {kind}s")
    return {pid: gone.get(pid) for pid in pids}


# %%
# The workers are still there a second after their parent, and would be for
# ever. Under spawn and forkserver one more process outlives the parent for
# as long as they do: the resource tracker, which then removes the
# semaphores of the pool's queues from ``/dev/shm`` and warns about them.
# Under fork there is none to remove: a semaphore made for fork has no name
# in ``/dev/shm`` (``multiprocessing/synchronize.py``).
if __name__ == "__main__":
    lifetimes = {}  # for the figure
    if sys.platform == "win32":
        print("This demonstration kills with SIGKILL, POSIX only: skipped.")
    else:
        lifetimes["no watchdog"] = kill_and_watch("no watchdog", ORPHANS)

# %%
# Tie the workers to their parent
# -------------------------------
#
# A worker can watch its parent itself. In a child process,
# :func:`multiprocessing.parent_process` returns the parent, whose
# ``join()`` waits on a *sentinel*. On POSIX that is the read end of a pipe
# whose write end the parent keeps (under fork, so do the processes forked
# after this one), so it reads "end of file" once the parent has ended,
# however it ended; on Windows it is a handle of the parent process. Under
# forkserver the parent is still the main process, not the fork server.
# ``exit_with_parent``, given to the pool as its ``initializer``, starts a
# thread in each worker that waits there and then ends the worker with
# :func:`os._exit`. It works for ``multiprocessing.Pool`` too.
WATCHED = """\
import concurrent.futures
import multiprocessing
import os
import signal
import sys
import threading
import time


def exit_with_parent():
    parent = multiprocessing.parent_process()

    def watch():
        parent.join()  # returns once the parent process has ended
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


if __name__ == "__main__":
    executor = concurrent.futures.ProcessPoolExecutor(
        max_workers=2, initializer=exit_with_parent
    )
    list(executor.map(time.sleep, [0.1, 0.1], timeout=30))
    pids = [str(process.pid) for process in multiprocessing.active_children()]
    with open(sys.argv[1], "w", encoding="utf-8") as file:
        file.write(" ".join(pids))
    os.kill(os.getpid(), signal.SIGKILL)
"""

if __name__ == "__main__" and sys.platform != "win32":
    lifetimes["watchdog"] = kill_and_watch("exit_with_parent", WATCHED)

# %%
# On Linux the kernel can do it too: ``prctl(PR_SET_PDEATHSIG,
# signal.SIGKILL)``, called through :mod:`ctypes` in the initializer, kills
# the worker when its parent ends. But "parent" there means the *thread*
# that started the worker, which need not live as long as the pool, and it
# is Linux only. The watchdog thread above has neither catch. In a container
# it also helps to run an init such as ``docker run --init`` (tini), which
# reaps the zombies that orphans leave.
#
# Each worker's life after its parent was killed, as the lesson watched it:
# the workers without a watchdog were still running when the lesson killed
# them.
if __name__ == "__main__" and lifetimes:
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
    labels = []
    for name, gone in lifetimes.items():
        for number, ended in enumerate(gone.values(), 1):
            row = len(labels)
            labels.append(f"{name}, worker {number}")
            if ended is None:
                ax.barh(row, 1.0, height=0.5, color="C3")
                ax.text(
                    0.98,
                    row,
                    "still running",
                    ha="right",
                    va="center",
                    color="w",
                )
            else:  # too short for a bar to show: a dot marks the end
                ax.barh(row, ended, height=0.5, color="C2")
                ax.plot(ended, row, "o", color="C2")
                ax.text(ended, row, f"  {ended * 1000:.0f} ms", va="center")
    ax.barh(0, 0, color="C3", label="running until the lesson killed it")
    ax.plot([], [], "o", color="C2", label="ended by itself")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("seconds after SIGKILL", loc="right")
    fig.legend(loc="outside lower center")
    fig.suptitle("Pool workers after their parent got SIGKILL")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
