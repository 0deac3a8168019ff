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
#
# ``lifetime`` notes, after ``join()``, when a child was started, when it
# was joined and how it ended: the timeline at the end draws these rows.
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


def lifetime(label, p, started):
    return label, p.pid, started, time.perf_counter(), p.exitcode


class Countdown(multiprocessing.Process):
    def __init__(self, count):
        super().__init__(name=f"countdown-{count}")
        self.count = count

    def run(self):
        for n in range(self.count, 0, -1):
            print(f"{self.name}: {n}", flush=True)


# %%
# Start a child and join it
# -------------------------
#
# The parent prints its own IDs, then creates a child. Before ``start()`` the
# child has a name but no process ID yet; ``is_alive()`` is true between
# ``start()`` and the end of the child, and ``exitcode`` is ``0`` after a
# normal return. The child's lines may come before or after the parent's
# ``started`` line: the two processes run at the same time.
if __name__ == "__main__":
    timeline = []
    print(f"parent: pid {os.getpid()}, parent pid {os.getppid()}")
    p = multiprocessing.Process(target=worker, args=(os.getpid(),))
    print(f"before start: name {p.name!r}, daemon {p.daemon}, pid {p.pid}")
    started = time.perf_counter()
    p.start()
    print(f"started: pid {p.pid}, alive {p.is_alive()}")
    p.join(timeout=10)
    print(f"joined: alive {p.is_alive()}, exitcode {p.exitcode}")
    timeline.append(lifetime("worker", p, started))

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
    started = time.perf_counter()
    p.start()
    print(f"name {p.name!r}, daemon {p.daemon}")
    print(f"parent's name {multiprocessing.current_process().name!r}")
    p.join(timeout=10)
    timeline.append(lifetime("napper", p, started))

# %%
# How a child ended: the exit code
# --------------------------------
#
# An uncaught exception ends the child with exit code ``1``; a
# ``sys.exit(n)`` ends it with ``n``. Nothing is raised in the parent: the
# child's traceback is written to the child's ``sys.stderr`` (here redirected
# to ``sys.stdout``), and the parent learns of the failure only by reading
# ``exitcode``.
if __name__ == "__main__":
    for target in (fail, leave):
        p = multiprocessing.Process(target=target)
        started = time.perf_counter()
        p.start()
        p.join(timeout=10)
        print(f"{target.__name__}: exitcode {p.exitcode}")
        timeline.append(lifetime(target.__name__, p, started))

# %%
# Stop a child: terminate, kill, interrupt
# ----------------------------------------
#
# ``terminate()`` and ``kill()`` stop a child that is still sleeping. On POSIX
# they send ``SIGTERM`` and ``SIGKILL``, and a negative exit code ``-N`` means
# "killed by signal N". Windows cannot send a POSIX signal to another
# process: both call ``TerminateProcess()``, and ``exitcode`` is ``-15``
# (``-SIGTERM``) for both.
if __name__ == "__main__":
    sleepers = [multiprocessing.Process(target=sleep) for _ in range(2)]
    started = time.perf_counter()
    for p in sleepers:
        p.start()
    print(f"alive: {[p.is_alive() for p in sleepers]}")
    sleepers[0].terminate()
    sleepers[1].kill()
    signalled = dict.fromkeys(["terminate()", "kill()"], time.perf_counter())
    for stop, p in zip(("terminate", "kill"), sleepers, strict=True):
        p.join(timeout=10)
        name = signal.Signals(-p.exitcode).name
        print(f"{stop}(): exitcode {p.exitcode}, killed by {name}")
        timeline.append(lifetime(f"{stop}()", p, started))


# %%
# ``Process.interrupt()`` (Python 3.14+, POSIX) sends ``SIGINT`` instead: the
# child gets a :exc:`KeyboardInterrupt`, as from Ctrl-C, so its ``except`` and
# ``finally`` blocks run before it ends, which ``terminate()`` and ``kill()``
# do not allow. The method exists on Windows too, but only the POSIX
# process starters implement it (``Lib/multiprocessing/popen_fork.py``), so
# this cell calls it on POSIX only. On an older Python or on Windows it says
# so.
def clean_up_when_interrupted(started):
    try:
        started.set()
        time.sleep(60)
    except KeyboardInterrupt:
        print("child: KeyboardInterrupt, cleaning up", flush=True)
    finally:
        print("child: finally ran", flush=True)


if __name__ == "__main__":
    if sys.platform == "win32":
        print("Process.interrupt() sends SIGINT, which needs POSIX")
    elif hasattr(multiprocessing.Process, "interrupt"):
        started = multiprocessing.Event()
        p = multiprocessing.Process(
            target=clean_up_when_interrupted, args=(started,)
        )
        began = time.perf_counter()
        p.start()
        started.wait(timeout=10)
        p.interrupt()
        signalled["interrupt()"] = time.perf_counter()
        p.join(timeout=10)
        print(f"interrupt(): exitcode {p.exitcode}")
        timeline.append(lifetime("interrupt()", p, began))
    else:
        print(
            "Process.interrupt() needs Python 3.14; this run used",
            sys.version.split()[0],
        )

# %%
# Subclass Process
# ----------------
#
# Instead of passing ``target``, you can subclass
# :class:`~multiprocessing.Process` and override ``run()``: ``start()`` calls
# ``run()`` in the child. Under spawn and forkserver the process object is
# pickled to the child, so the class must be defined at module level, like a
# target function (``Countdown`` is in the first cell).
if __name__ == "__main__":
    p = Countdown(3)
    started = time.perf_counter()
    p.start()
    p.join(timeout=10)
    print(f"{p.name}: exitcode {p.exitcode}")
    timeline.append(lifetime(p.name, p, started))

# %%
# The processes of this run
# -------------------------
#
# Every child this run started, one row per process ID, from ``start()`` to
# the return of ``join()``, coloured by how it ended; the black marks are the
# moments the parent sent a signal. Each child ran alone, one after the other,
# except the two sleepers, stopped as soon as they had started.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    t0 = timeline[0][2]
    ends = {
        "C2": "returned: exit code 0",
        "C1": "error or sys.exit(): exit code > 0",
        "C3": "killed by a signal: exit code < 0",
    }
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    for row, (label, _, start, end, code) in enumerate(timeline):
        colour = "C2" if code == 0 else "C1" if code > 0 else "C3"
        ax.barh(
            row,
            (end - start) * 1000,
            left=(start - t0) * 1000,
            height=0.6,
            color=colour,
            label=ends.pop(colour, None),
        )
        ax.annotate(
            f"exitcode {code}",
            ((end - t0) * 1000, row),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
        if label in signalled:
            at = (signalled[label] - t0) * 1000
            ax.plot(at, row, "k|", markersize=18, mew=2)
    ax.plot([], [], "k|", markersize=18, mew=2, label="signal sent")
    ax.legend(loc="lower left", fontsize=9)
    ax.margins(x=0.15)
    names = [f"{label} · pid {pid}" for label, pid, *_ in timeline]
    ax.set_yticks(range(len(timeline)), names)
    ax.invert_yaxis()
    ax.set_xlabel("milliseconds since the first start()")
    fig.suptitle("Each child process, from start() to join()")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
