r"""
concurrent.futures executors
============================

:class:`~concurrent.futures.ProcessPoolExecutor` runs tasks in worker
processes and :class:`~concurrent.futures.ThreadPoolExecutor` in threads of
the current process, behind one API: ``submit()`` returns a
:class:`~concurrent.futures.Future`, a handle on one task that you can ask
whether it is done, wait on with a timeout, or cancel.

Quick reference:

>>> from concurrent.futures import ProcessPoolExecutor
>>> with ProcessPoolExecutor(max_workers=2) as executor:
...     future = executor.submit(pow, 2, 10)
...     print(future.result(timeout=10))
...     print(list(executor.map(abs, [-1, -2, -3], timeout=10)))
1024
[1, 2, 3]
"""

# %%
# ``nap`` sleeps for the seconds it is given and returns them; ``whose_pid``
# returns the process ID of whoever runs it. Both live at the top level of
# the module, so that spawned worker processes can import them.
import concurrent.futures
import multiprocessing
import os
import sys
import time
from concurrent.futures import (
    FIRST_COMPLETED,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
    wait,
)
from concurrent.futures.process import BrokenProcessPool


def nap(seconds):
    time.sleep(seconds)
    return seconds


def whose_pid(_):
    return os.getpid()


# %%
# Futures
# -------
#
# :meth:`~concurrent.futures.Executor.submit` returns at once. The future is
# not done yet; :meth:`~concurrent.futures.Future.result` with a timeout
# either returns the task's value or raises
# :exc:`concurrent.futures.TimeoutError` (the built-in ``TimeoutError`` since
# Python 3.11) while the task goes on running: a later call still gets it.
if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as executor:
        future = executor.submit(nap, 0.3)
        print("done() right after submit():", future.done())
        try:
            future.result(timeout=0.05)
        except concurrent.futures.TimeoutError as error:
            print(f"result(timeout=0.05): {error!r}")
        print("result(timeout=10):", future.result(timeout=10))
        print("done() now:", future.done())

# %%
# The same code with either executor. :meth:`~concurrent.futures.Executor.map`
# returns results in the order of its input, whichever task ends first; its
# ``timeout`` counts from the call to ``map()``. The process IDs tell where
# the tasks ran: in other processes, or all in this one.
if __name__ == "__main__":
    for executor_class in (ProcessPoolExecutor, ThreadPoolExecutor):
        with executor_class(max_workers=3) as executor:
            naps = list(executor.map(nap, [0.3, 0.1, 0.2], timeout=10))
            pids = set(executor.map(whose_pid, range(6), timeout=10))
        here = pids == {os.getpid()}
        print(
            f"{executor_class.__name__}: {naps}, all in this process: {here}"
        )

# %%
# Waiting for many futures
# ------------------------
#
# :func:`~concurrent.futures.as_completed` yields futures as they finish,
# here the futures of a process pool and of a thread pool mixed: normally
# the shortest nap comes first, whichever executor ran it. Its ``timeout``
# bounds the whole loop.
if __name__ == "__main__":
    with (
        ProcessPoolExecutor(max_workers=2) as processes,
        ThreadPoolExecutor(max_workers=2) as threads,
    ):
        futures = {
            processes.submit(nap, 0.6): "process",
            threads.submit(nap, 0.2): "thread",
            processes.submit(nap, 0.4): "process",
        }
        for future in as_completed(futures, timeout=10):
            print(f"{futures[future]} napped {future.result()} s")

# %%
# :func:`~concurrent.futures.wait` returns two sets, the futures done and
# those not done, as soon as its condition holds or its timeout is up (it
# does not raise). ``FIRST_COMPLETED`` returns after the first task ends,
# the default ``ALL_COMPLETED`` after the last.
if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as executor:
        futures = [executor.submit(nap, seconds) for seconds in (0.5, 0.1)]
        done, not_done = wait(futures, timeout=10, return_when=FIRST_COMPLETED)
        results = [future.result() for future in done]
        print(f"first: done {results}, not done {len(not_done)}")
        done, not_done = wait(futures, timeout=10)
        print(f"all: done {len(done)}, not done {len(not_done)}")

# %%
# Cancelling
# ----------
#
# :meth:`~concurrent.futures.Future.cancel` succeeds only for a task still
# waiting in the executor. With one worker and five naps, the first is
# running and the executor has already handed one or two more to the
# worker's queue: those cannot be taken back, ``cancel()`` returns ``False``
# and they run to the end. The rest are cancelled and never run.
if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as executor:
        futures = [executor.submit(nap, 0.2) for _ in range(5)]
        time.sleep(0.1)  # let the executor hand the first tasks over
        print("cancel():", [future.cancel() for future in futures])
    outcomes = [
        f.result() if not f.cancelled() else "cancelled" for f in futures
    ]
    print("outcomes:", outcomes)


# %%
# :meth:`~concurrent.futures.Executor.shutdown` with ``cancel_futures=True``
# (Python 3.9+) cancels every task not yet handed to a worker, waits for the
# others, and leaves the executor closed. The ``with`` block would shut it
# down anyway, but would run every pending task first.
def timed_nap(seconds):
    started = time.time()
    time.sleep(seconds)
    return os.getpid(), started, time.time()


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as executor:
        submitted = time.time()
        futures = [executor.submit(timed_nap, 0.2) for _ in range(10)]
        time.sleep(0.1)
        shutdown_called = time.time()
        executor.shutdown(cancel_futures=True)
    cancelled = sum(future.cancelled() for future in futures)
    print(f"{len(futures) - cancelled} finished, {cancelled} cancelled")

# %%
# ``timed_nap`` returned the pid of the worker that ran it and when it
# started and ended. All ten futures were submitted at 0 s. The figure shows
# the tasks that ran, one row per future, coloured by worker process, and
# marks those that ``shutdown()`` cancelled: they never started.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    pids = sorted({f.result()[0] for f in futures if not f.cancelled()})
    for row, future in enumerate(futures):
        if future.cancelled():
            ax.plot(0, row, "x", color="C3", markersize=8)
            continue
        pid, start, end = future.result()
        color = f"C{pids.index(pid)}"
        ax.barh(row, end - start, left=start - submitted, color=color)
    ax.plot([], [], "x", color="C3", label="cancelled")
    for lane, pid in enumerate(pids):
        ax.barh(0, 0, color=f"C{lane}", label=f"ran in pid {pid}")
    ax.axvline(shutdown_called - submitted, color="grey", linestyle="--")
    ax.text(
        shutdown_called - submitted,
        6,
        " shutdown(cancel_futures=True)",
        color="grey",
    )
    ax.set_yticks(range(len(futures)))
    ax.set_xlim(left=-0.02)
    ax.invert_yaxis()
    ax.set_ylabel("future, in order of submit()")
    ax.set_xlabel("seconds since the first submit()")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    fig.suptitle("shutdown(cancel_futures=True): what ran, what was cancelled")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# Newer features
# ---------------
#
# A task already running cannot be cancelled. Python 3.14 adds
# ``terminate_workers()`` and ``kill_workers()`` (gh-128041): they shut the
# executor down without waiting, cancelling the tasks not yet handed to a
# worker, then stop the worker processes themselves, with
# :meth:`~multiprocessing.Process.terminate` (SIGTERM on POSIX) or
# :meth:`~multiprocessing.Process.kill` (SIGKILL) on each, as
# ``terminate()`` does for a :class:`~multiprocessing.pool.Pool`. The call
# returns at once. The executor then finds its worker dead, as in the lesson
# on failing tasks: the futures of the running task and of those already
# handed to the worker's queue (one or two, as in "Cancelling" above) fail
# with :class:`~concurrent.futures.process.BrokenProcessPool`, at once, and
# so does any later ``submit()``. Below, one worker naps 60 s and three more
# tasks wait; the first line times how long after the call the running
# task's future was done. On an older Python this cell says so.
if __name__ == "__main__":
    if hasattr(ProcessPoolExecutor, "terminate_workers"):
        executor = ProcessPoolExecutor(max_workers=1)
        futures = [executor.submit(nap, s) for s in (60, 0.2, 0.2, 0.2)]
        time.sleep(0.5)
        start = time.perf_counter()
        executor.terminate_workers()
        wait(futures[:1], timeout=10)
        stopped = time.perf_counter() - start
        print(f"the 60 s task's future was done {stopped:.1f} s later")
        outcomes = [
            "cancelled" if f.cancelled() else type(f.exception(0)).__name__
            for f in futures
        ]
        print("the futures:", outcomes)
        try:
            executor.submit(nap, 0)
        except BrokenProcessPool as error:
            print(f"submit() afterwards: BrokenProcessPool: {error}")
        executor.shutdown()
    else:
        print(
            "terminate_workers() needs Python 3.14; this run used",
            sys.version.split()[0],
        )


# %%
# :meth:`~concurrent.futures.Executor.map` submits every item of its input
# before it returns: a generator of a million items becomes a million futures
# at once, however slowly the results are read. Python 3.14 adds
# ``buffersize`` (gh-74028): ``map`` then keeps at most that many tasks
# submitted and not yet read, and submits one more for each result read.
# A task is one item here; ``ProcessPoolExecutor.map`` with
# ``chunksize=c`` submits chunks of ``c`` items, so up to ``buffersize × c``
# items are taken. ``numbered`` is a generator that records every item it
# hands out.
def numbered(count, handed_out):
    for i in range(count):
        handed_out.append(i)
        yield i


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as executor:
        handed_out = []
        results = executor.map(abs, numbered(1000, handed_out), timeout=30)
        print(f"map() returned after taking {len(handed_out)} of 1000 items")
        list(results)
        if sys.version_info >= (3, 14):
            handed_out = []
            results = executor.map(
                abs, numbered(1000, handed_out), timeout=30, buffersize=4
            )
            print(f"map(buffersize=4) returned after taking {len(handed_out)}")
            next(results)
            print(f"after reading 1 result it had taken {len(handed_out)}")
            list(results)
        else:
            print(
                "buffersize needs Python 3.14; this run used",
                sys.version.split()[0],
            )

# %%
# ``max_tasks_per_child`` (Python 3.11+) replaces each worker process after
# that many tasks, as ``maxtasksperchild`` does for a
# :class:`~multiprocessing.pool.Pool`. Given no ``mp_context``, such an
# executor uses the spawn start method whatever the default, and it refuses
# a fork context: every replacement starts a fresh interpreter. Before the
# fix of CPython issue gh-115634 (in 3.13 and 3.14 bug-fix releases of 2026
# and in 3.15), values above 1 could make it hang when more tasks waited than
# there were workers; here it is 1.
if __name__ == "__main__":
    if sys.version_info >= (3, 11):
        with ProcessPoolExecutor(
            max_workers=2, max_tasks_per_child=1
        ) as executor:
            pids = list(executor.map(whose_pid, range(4), timeout=30))
        print(f"4 tasks ran in {len(set(pids))} different worker processes")
    else:
        print("max_tasks_per_child needs Python 3.11 or later")

# %%
# Executor or Pool
# ----------------
#
# When to choose which. An executor hands you futures: ``as_completed``,
# ``wait``, ``cancel`` and ``add_done_callback`` work alike for the futures
# of threads and of processes, even mixed, and the same code runs on threads,
# on processes or, from Python 3.14, on subinterpreters
# (``InterpreterPoolExecutor``, in the lesson on
# threads and processes). When a worker process dies, it raises
# :class:`~concurrent.futures.process.BrokenProcessPool` where a ``Pool``
# waits for ever. From 3.14 it can also stop running tasks
# (``terminate_workers()``) and bound what ``map`` takes ahead
# (``buffersize``; ``Pool.imap`` gets one in 3.16). A
# :class:`~multiprocessing.pool.Pool` offers
# :meth:`~multiprocessing.pool.Pool.imap_unordered` (results in the order
# they finish, without a future per task), ``starmap``, a ``chunksize`` that
# ``map()`` picks for you (``Executor.map`` defaults to 1), ``terminate()`` on
# every Python, and ``maxtasksperchild`` under every start method. Both take
# an ``initializer`` with its ``initargs``, run once in each new worker.
