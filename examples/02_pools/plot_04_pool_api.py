r"""
The Pool API, method by method
==============================

A tour of :class:`~multiprocessing.pool.Pool`, one cell per part of its API:
single tasks and their :class:`~multiprocessing.pool.AsyncResult`, the ``map``
family, callbacks, per-worker set-up, replacing workers, and shutting a pool
down.

Quick reference:

>>> from multiprocessing import Pool
>>> with Pool(processes=2) as pool:
...     pool.apply_async(pow, (2, 10)).get(timeout=10)
...     pool.map_async(abs, [-1, -2, 3]).get(timeout=10)
...     pool.starmap_async(pow, [(2, 3), (3, 2)]).get(timeout=10)
1024
[1, 2, 3]
[8, 9]
"""

# %%
# The functions the workers run sit at the top of the module, where spawn and
# forkserver children, which import this file, find them. ``setup`` is for
# ``initializer``: it sets a global in the worker that runs it. The callbacks
# ``on_result`` and ``on_error`` run in the parent and say where they run.
import multiprocessing
import os
import threading
import time

GREETING = "not set"


def square(x):
    return x * x


def nap(seconds):
    time.sleep(seconds)
    return seconds


def fail(x):
    raise ValueError(f"{x} is not welcome here")


def timed_task(_):
    started = time.time()
    time.sleep(0.05)
    return os.getpid(), started, time.time()


def setup(greeting):
    global GREETING
    GREETING = f"{greeting} from worker {os.getpid()}"


def greet(x):
    time.sleep(0.1)
    print(f"task {x}: {GREETING}", flush=True)


def where(what):
    name = threading.current_thread().name
    print(f"{what}: pid {os.getpid()}, thread {name!r}", flush=True)


def on_result(value):
    where(f"callback got {value}")


def on_error(error):
    where(f"error_callback got {error!r}")


# %%
# Single tasks and AsyncResult
# ----------------------------
#
# :meth:`~multiprocessing.pool.Pool.apply` runs one task and waits for it, with
# no timeout. :meth:`~multiprocessing.pool.Pool.apply_async` returns an
# :class:`~multiprocessing.pool.AsyncResult` at once: ``ready()`` says whether
# the task has ended, ``wait(timeout)`` waits for it without returning
# anything, ``get(timeout)`` waits and returns the result. A 0.3 s nap cannot
# have ended 0.05 s after it was submitted.
if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        print("apply:", pool.apply(square, (7,)))
        result = pool.apply_async(nap, (0.3,))
        print("ready at once:", result.ready())
        result.wait(timeout=0.05)
        print("ready after wait(timeout=0.05):", result.ready())
        print("get(timeout=10):", result.get(timeout=10))
        print("ready:", result.ready(), "successful:", result.successful())

# %%
# A task that raises: ``successful()`` is ``False``, and ``get()`` raises the
# task's exception again in the parent. ``successful()`` itself raises
# ``ValueError`` if asked before the task has ended.
if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        bad = pool.apply_async(fail, (13,))
        bad.wait(timeout=10)
        print("ready:", bad.ready(), "successful:", bad.successful())
        try:
            bad.get(timeout=10)
        except ValueError as error:
            print(f"ValueError: {error}")

# %%
# The map family
# --------------
#
# :meth:`~multiprocessing.pool.Pool.map` applies a function to every item and
# returns the results in the order of the items; like ``apply`` it has no
# timeout. :meth:`~multiprocessing.pool.Pool.map_async` returns one
# ``AsyncResult`` for the whole list. ``chunksize`` sends the items to the
# workers in groups: fewer messages for many small tasks.
if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        print("map:", pool.map(square, range(10)))
        squares = pool.map_async(square, range(10), chunksize=5)
        print("map_async:", squares.get(timeout=10))

# %%
# :meth:`~multiprocessing.pool.Pool.imap` yields results one by one, in the
# order of the items; :meth:`~multiprocessing.pool.Pool.imap_unordered` yields
# each as soon as it is done. With four workers the four naps run together, so
# the shortest comes back first. Iterating with ``next(timeout=...)`` bounds
# each wait. The first pass also gives all four workers time to start.
if __name__ == "__main__":
    naps = [0.4, 0.1, 0.3, 0.2]
    with multiprocessing.Pool(processes=4) as pool:
        ordered = pool.imap(nap, naps)
        print("imap:          ", [ordered.next(timeout=10) for _ in naps])
        unordered = pool.imap_unordered(nap, naps)
        print("imap_unordered:", [unordered.next(timeout=10) for _ in naps])

# %%
# :meth:`~multiprocessing.pool.Pool.starmap` unpacks each item into the
# arguments of the function: ``(2, 3)`` becomes ``pow(2, 3)``.
# :meth:`~multiprocessing.pool.Pool.starmap_async` is its non-blocking twin.
if __name__ == "__main__":
    pairs = [(2, 3), (3, 2), (10, 3)]
    with multiprocessing.Pool(processes=2) as pool:
        print("starmap:", pool.starmap(pow, pairs))
        print("starmap_async:", pool.starmap_async(pow, pairs).get(timeout=10))

# %%
# Callbacks
# ---------
#
# ``callback`` receives the result, ``error_callback`` the exception. Both run
# in the parent process, in a thread of the pool that handles results, not in
# the worker: compare their pid with the parent's. Keep them short: while one
# runs, no other result is handled, and one that raises stops result handling.
if __name__ == "__main__":
    where("parent")
    with multiprocessing.Pool(processes=2) as pool:
        ok = pool.apply_async(square, (4,), callback=on_result)
        bad = pool.apply_async(fail, (5,), error_callback=on_error)
        ok.wait(timeout=10)
        bad.wait(timeout=10)

# %%
# Per-worker set-up and replacement
# ---------------------------------
#
# ``initializer`` runs once in each worker when it starts, with ``initargs``
# as its arguments: the place for per-worker set-up such as opening a
# connection. Each task sees the global its worker set; the parent's is
# unchanged.
if __name__ == "__main__":
    with multiprocessing.Pool(
        2, initializer=setup, initargs=("hello",)
    ) as pool:
        pool.map_async(greet, range(4)).get(timeout=10)
    print("in the parent:", GREETING)

# %%
# With ``maxtasksperchild=2`` a worker exits after two tasks and the pool
# starts a new one in its place, which frees whatever a task leaked. A chunk of
# items counts as one task, so the items are sent one at a time
# (``chunksize=1``). Eight tasks then need at least four different workers.
if __name__ == "__main__":
    t0 = time.time()
    with multiprocessing.Pool(processes=2, maxtasksperchild=2) as pool:
        runs = pool.map_async(timed_task, range(8), chunksize=1).get(
            timeout=30
        )
    pids = [pid for pid, _, _ in runs]
    print(f"8 tasks, 2 processes, {len(set(pids))} distinct worker pids")

# %%
# Each task sent back its worker's pid and when it ran. In the timeline, one
# row per worker process: each ran two tasks and exited, and a new worker
# took its place; the gap before a new row's first task is the time the pool
# took to start it.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    lanes = sorted(set(pids), key=pids.index)
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    for task, (pid, start, end) in enumerate(runs):
        lane = lanes.index(pid)
        ax.barh(
            lane,
            end - start,
            left=start - t0,
            height=0.6,
            color="C0",
            edgecolor="w",
        )
        ax.text(
            (start + end) / 2 - t0,
            lane,
            str(task),
            ha="center",
            va="center",
            color="w",
        )
    ax.set_yticks(range(len(lanes)), [f"pid {pid}" for pid in lanes])
    ax.invert_yaxis()
    ax.set_xlabel("seconds since the pool was created")
    fig.suptitle("maxtasksperchild=2: each worker runs two tasks, then exits")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# Shutting a pool down
# --------------------
#
# :meth:`~multiprocessing.pool.Pool.close` refuses new tasks but lets the
# queued ones finish; :meth:`~multiprocessing.pool.Pool.join` then waits for
# the workers to exit. ``join()`` has no timeout, so the results come first,
# each fetched with one.
if __name__ == "__main__":
    pool = multiprocessing.Pool(processes=2)
    results = [pool.apply_async(nap, (0.1,)) for _ in range(4)]
    pool.close()
    try:
        pool.apply_async(nap, (0.1,))
    except ValueError as error:
        print(f"ValueError after close(): {error}")
    print("close(), results:", [r.get(timeout=10) for r in results])
    pool.join()

# %%
# :meth:`~multiprocessing.pool.Pool.terminate` stops the workers at once: the
# tasks they were running and the ones still queued never finish.
if __name__ == "__main__":
    pool = multiprocessing.Pool(processes=2)
    results = [pool.apply_async(nap, (0.1,)) for _ in range(4)]
    pool.terminate()
    pool.join()
    print("terminate(), ready:", [r.ready() for r in results])

# %%
# Leaving ``with multiprocessing.Pool() as pool:`` calls ``terminate()``, not
# ``close()`` and ``join()``: work still pending when the block ends is lost.
# Here the block ends right after the tasks are submitted; their results never
# come, and ``get(timeout=1)`` raises :class:`multiprocessing.TimeoutError`.
# Collect every result inside the block.
if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        slow = [pool.apply_async(nap, (0.5,)) for _ in range(2)]
    try:
        slow[0].get(timeout=1)
    except multiprocessing.TimeoutError as error:
        print(f"lost: get(timeout=1) raised {error!r}")
