r"""
Start, join and inspect a process
=================================

A :class:`multiprocessing.Process` runs a function in a new process:
``start()`` launches it, ``join()`` waits for it to end, and its attributes say
which process it is and how it ended. ``exitcode`` is ``0`` for a normal
return, ``1`` for an uncaught exception (and for ``sys.exit(1)``), ``n`` for
``sys.exit(n)`` and ``-N`` for signal N.

Quick reference:

>>> import time
>>> from multiprocessing import Process
>>> p = Process(target=time.sleep, args=(0.5,), name="napper")
>>> p.start()
>>> p.is_alive()
True
>>> p.join(timeout=10)
>>> p.name, p.is_alive(), p.exitcode
('napper', False, 0)
"""

# %%
# The functions the children run, and a :class:`~multiprocessing.Process`
# subclass used at the end. ``worker`` prints its own process ID and its
# parent's, and compares the parent's with the ID the parent passed in. The
# others end badly on purpose: an exception, ``sys.exit(3)``, and a long sleep
# that we will cut short. ``fail`` first points its ``sys.stderr`` at
# ``sys.stdout`` so that its traceback shows up in the output on this page.
import multiprocessing
import os
import signal
import sys
import time


def worker(parent_pid):
    print(f"child:  pid {os.getpid()}, parent pid {os.getppid()}", flush=True)
    print(f"parent matches: {os.getppid() == parent_pid}", flush=True)
    parent = multiprocessing.parent_process()
    print(f"parent_process() matches: {parent.pid == parent_pid}", flush=True)


def fail():
    sys.stderr = sys.stdout
    raise ValueError("boom")


def leave():
    sys.exit(3)


def sleep():
    time.sleep(30)


class Countdown(multiprocessing.Process):
    def __init__(self, count):
        super().__init__(name=f"countdown-{count}")
        self.count = count

    def run(self):
        for n in range(self.count, 0, -1):
            print(f"{self.name}: {n}", flush=True)


# %%
# The parent prints its own IDs, then creates a child. Before ``start()`` the
# child has a name but no process ID yet; ``is_alive()`` is true between
# ``start()`` and the end of the child, and ``exitcode`` is ``0`` after a
# normal return. The child's lines may come before or after the parent's
# ``started`` line: the two processes run at the same time.
if __name__ == "__main__":
    print(f"parent: pid {os.getpid()}, parent pid {os.getppid()}")
    p = multiprocessing.Process(target=worker, args=(os.getpid(),))
    print(f"before start: name {p.name!r}, daemon {p.daemon}, pid {p.pid}")
    p.start()
    print(f"started: pid {p.pid}, alive {p.is_alive()}")
    p.join(timeout=10)
    print(f"joined: alive {p.is_alive()}, exitcode {p.exitcode}")

# %%
# :func:`os.getppid` in the child is the parent's :func:`os.getpid` under the
# fork and spawn start methods. Under forkserver the child is forked by a
# server process, so :func:`os.getppid` names the server and ``parent
# matches`` is ``False``. :func:`multiprocessing.parent_process` gives the
# process that called ``start()`` in every case.
#
# ``name`` and ``daemon`` can be given to the constructor or set before
# ``start()``. When the parent's Python exits, multiprocessing terminates its
# daemon children; a daemon child may not start children of its own.
if __name__ == "__main__":
    p = multiprocessing.Process(target=time.sleep, args=(0.1,), name="napper")
    p.daemon = True
    p.start()
    print(f"name {p.name!r}, daemon {p.daemon}")
    print(f"parent's name {multiprocessing.current_process().name!r}")
    p.join(timeout=10)

# %%
# An uncaught exception ends the child with exit code ``1``; a
# ``sys.exit(n)`` ends it with ``n``. Nothing is raised in the parent: the
# child's traceback is written to the child's ``sys.stderr`` (here redirected
# to ``sys.stdout``), and the parent learns of the failure only by reading
# ``exitcode``.
if __name__ == "__main__":
    for target in (fail, leave):
        p = multiprocessing.Process(target=target)
        p.start()
        p.join(timeout=10)
        print(f"{target.__name__}: exitcode {p.exitcode}")

# %%
# ``terminate()`` and ``kill()`` stop a child that is still sleeping. On POSIX
# they send ``SIGTERM`` and ``SIGKILL``, and a negative exit code ``-N`` means
# "killed by signal N". Windows cannot send a POSIX signal to another
# process: both call ``TerminateProcess()``, and ``exitcode`` is ``-15``
# (``-SIGTERM``) for both.
if __name__ == "__main__":
    sleepers = [multiprocessing.Process(target=sleep) for _ in range(2)]
    for p in sleepers:
        p.start()
    print(f"alive: {[p.is_alive() for p in sleepers]}")
    sleepers[0].terminate()
    sleepers[1].kill()
    for stop, p in zip(("terminate", "kill"), sleepers, strict=True):
        p.join(timeout=10)
        name = signal.Signals(-p.exitcode).name
        print(f"{stop}(): exitcode {p.exitcode}, killed by {name}")


# %%
# ``Process.interrupt()`` (Python 3.14+, POSIX) sends ``SIGINT`` instead: the
# child gets a :exc:`KeyboardInterrupt`, as from Ctrl-C, so its ``except`` and
# ``finally`` blocks run before it ends, which ``terminate()`` and ``kill()``
# do not allow. On an older Python this cell says so.
def clean_up_when_interrupted(started):
    try:
        started.set()
        time.sleep(60)
    except KeyboardInterrupt:
        print("child: KeyboardInterrupt, cleaning up", flush=True)
    finally:
        print("child: finally ran", flush=True)


if __name__ == "__main__":
    if hasattr(multiprocessing.Process, "interrupt"):
        started = multiprocessing.Event()
        p = multiprocessing.Process(
            target=clean_up_when_interrupted, args=(started,)
        )
        p.start()
        started.wait(timeout=10)
        p.interrupt()
        p.join(timeout=10)
        print(f"interrupt(): exitcode {p.exitcode}")
    else:
        print(
            "Process.interrupt() needs Python 3.14; this run used",
            sys.version.split()[0],
        )

# %%
# Instead of passing ``target``, you can subclass
# :class:`~multiprocessing.Process` and override ``run()``: ``start()`` calls
# ``run()`` in the child. Under spawn and forkserver the process object is
# pickled to the child, so the class must be defined at module level, like a
# target function (``Countdown`` is in the first cell).
if __name__ == "__main__":
    p = Countdown(3)
    p.start()
    p.join(timeout=10)
    print(f"{p.name}: exitcode {p.exitcode}")
