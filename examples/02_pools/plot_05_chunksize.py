r"""
Choose a chunksize
==================

:meth:`~multiprocessing.pool.Pool.map` does not send tasks to the workers one
at a time: it cuts the input into *chunks* and sends each chunk as one message.
This lesson shows how ``Pool.map`` picks the chunk size when you don't, and
times many tiny tasks with chunk sizes from 1 to 1024 and that default.

Quick reference:

>>> from multiprocessing import Pool
>>> with Pool(processes=2) as pool:
...     pool.map(abs, range(-3, 3), chunksize=2)
[3, 2, 1, 0, 1, 2]
"""

# %%
# The default chunksize
# ---------------------
#
# ``square`` is a task far cheaper than the trip that brings it to a worker.
# ``default_chunksize`` repeats the rule CPython's ``Pool.map`` follows when it
# is given no ``chunksize``: about four chunks per worker, that is, the number
# of tasks divided by four times the number of workers, rounded up.
import math
import multiprocessing
import os
import statistics
import time


def square(x):
    return x * x


def default_chunksize(n_tasks, n_workers):
    chunksize, extra = divmod(n_tasks, n_workers * 4)
    if extra:
        chunksize += 1
    return chunksize


# %%
# Each chunk costs one round trip: the parent pickles the chunk and writes it
# to the pool's task queue, a worker reads and unpickles it, runs every task in
# it, and sends the list of results back as one message. The workload: 20,000
# tasks on as many workers as a pool starts by default:
# :func:`os.process_cpu_count` from Python 3.13, :func:`os.cpu_count` before.
if __name__ == "__main__":
    n_tasks = 20_000
    workers = getattr(os, "process_cpu_count", os.cpu_count)()
    default = default_chunksize(n_tasks, workers)
    n_chunks = math.ceil(n_tasks / default)
    print(f"{n_tasks} tasks, {workers} workers: default chunksize {default}")
    print(f"that is {n_chunks} chunks, about 4 per worker")

# %%
# Timing chunk sizes
# ------------------
#
# One pool serves every measurement. A first small ``map`` lets the workers
# finish starting, so that their start-up is not timed. Each chunk size is
# timed three times, in turns, and the table shows the median.
if __name__ == "__main__":
    sizes = sorted({1, 4, 16, 64, 256, 1024, default})
    runs = {size: [] for size in sizes}
    with multiprocessing.Pool(processes=workers) as pool:
        pool.map(square, range(workers * 4), chunksize=1)
        for _ in range(3):
            for size in sizes:
                start = time.perf_counter()
                pool.map(square, range(n_tasks), chunksize=size)
                runs[size].append(time.perf_counter() - start)
    medians = {size: statistics.median(times) for size, times in runs.items()}
    print(f"{'chunksize':>10}{'chunks':>8}{'median':>11}")
    for size, seconds in medians.items():
        note = "  (default)" if size == default else ""
        print(
            f"{size:>10}{math.ceil(n_tasks / size):>8}{seconds:>9.3f} s{note}"
        )

# %%
# Reading the figure
# ------------------
#
# Both axes are logarithmic. With ``chunksize=1`` every task pays for its own
# messages, so the time is dominated by pickling, pipes and waking processes.
# Larger chunks divide that cost among their tasks: the time falls steeply at
# first, then more and more slowly, as the few messages left become cheap next
# to the work. The parent pickles and sends while the workers compute, so on a
# machine with few CPUs, such as the one in the stamp, they compete for them.
# The numbers depend on the machine and on what else it was doing; the shape
# does not.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    run_sizes = [size for size in sizes for _ in runs[size]]
    run_times = [t for size in sizes for t in runs[size]]
    ax.plot(run_sizes, run_times, ".", color="lightgrey", label="each run")
    ax.plot(sizes, [medians[s] for s in sizes], "o-", label="median of 3 runs")
    ax.plot(default, medians[default], "*", color="C1", markersize=14)
    ax.annotate(
        f"default: {default}",
        (default, medians[default]),
        color="C1",
        xytext=(-30, 36),
        textcoords="offset points",
        ha="right",
        arrowprops={"arrowstyle": "-", "color": "C1", "shrinkB": 8},
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sizes, [str(size) for size in sizes])
    ax.tick_params(axis="x", which="minor", bottom=False)
    ax.set_xlabel("chunksize (tasks per message, log scale)")
    ax.set_ylabel("seconds (log scale)")
    ax.legend()
    fig.suptitle(f"Pool.map of {n_tasks} tiny tasks against chunksize")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# When small chunks are better
# ----------------------------
#
# Large chunks have a cost this workload cannot show, because all its tasks
# take the same time: with about four chunks per worker, a worker that draws a
# slow chunk keeps running while the others have nothing left to do. For a few
# long or uneven tasks, a small ``chunksize`` balances the load better.
#
# :meth:`~multiprocessing.pool.Pool.imap`,
# :meth:`~multiprocessing.pool.Pool.imap_unordered` and
# :meth:`ProcessPoolExecutor.map <concurrent.futures.Executor.map>` do not
# compute a default: theirs is 1, so pass a larger ``chunksize`` yourself for
# many small tasks. ``Pool.map`` counts its tasks first (it turns an iterator
# into a list). ``imap`` needs no count, but it is not lazy: a thread of the
# pool takes items from the iterator as fast as the workers accept them,
# however slowly you read the results, which then pile up in the parent
# (CPython corrected its docs for this, gh-84291). ``Executor.map`` submits
# every item before it returns. Python 3.14 bounds that with
# ``Executor.map(..., buffersize=n)`` (gh-74028); ``Pool.imap`` gets a
# ``buffersize`` in 3.16 (gh-64192).
if __name__ == "__main__":
    import inspect
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.pool import Pool

    for method in (
        Pool.map,
        Pool.imap,
        Pool.imap_unordered,
        ProcessPoolExecutor.map,
    ):
        chunksize = inspect.signature(method).parameters["chunksize"].default
        print(f"{method.__qualname__}: chunksize={chunksize}")
