r"""
Big and endless inputs
======================

Give a pool a generator of records and read the results slowly: how much of
the generator has the pool taken by the time you have your first result, and
how much memory does that hold? This lesson measures it for
:meth:`Pool.map <multiprocessing.pool.Pool.map>`,
:meth:`Pool.imap <multiprocessing.pool.Pool.imap>` and
:meth:`Executor.map <concurrent.futures.Executor.map>`, then feeds the same
work in bounded amounts: in batches, with at most a few futures in flight,
and with ``Executor.map(..., buffersize=n)`` from Python 3.14.

Quick reference:

>>> import itertools
>>> from multiprocessing import Pool
>>> numbers = itertools.count(-1, -1)  # endless
>>> with Pool(processes=2) as pool:
...     for _ in range(3):
...         batch = list(itertools.islice(numbers, 4))
...         print(pool.map(abs, batch))
[1, 2, 3, 4]
[5, 6, 7, 8]
[9, 10, 11, 12]
>>> next(numbers)  # nothing was taken beyond the three batches
-13
"""

# %%
# The input and the consumer
# --------------------------
#
# ``records`` is the input: a generator of 10 kB records, endless unless
# given a count, that notes the time at which it hands out each one.
# ``clean`` is the task: a little slow (1 ms), it returns a cleaned record of
# the same size. ``consume`` is the reader of the results: it wants 100 of
# them and spends 5 ms on each one, five times longer than a task takes.
# ``measure`` runs one approach, prints how many records it had taken when
# the first and the last result were read, and records with
# ``tracemalloc`` the peak of the memory that Python allocated meanwhile in
# this process, in all its threads.
import itertools
import multiprocessing
import os
import sys
import threading
import time
import tracemalloc
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

RECORD_SIZE = 10_000  # bytes
TASK_TIME = 0.001  # seconds per task
READ_TIME = 0.005  # seconds the consumer spends on each result
WANTED = 100  # results the consumer reads
COUNT = 2_000  # records of a finite input
LIMIT = 8  # the bound of the remedies: records taken ahead of the reader


def records(taken, count=None):
    numbers = itertools.count() if count is None else range(count)
    for i in numbers:
        taken.append(time.perf_counter())
        yield f"record {i} ".encode().ljust(RECORD_SIZE, b".")


def clean(record):
    time.sleep(TASK_TIME)
    return record.upper()


def consume(results, read):
    for _ in results:
        read.append(time.perf_counter())
        if len(read) == WANTED:
            return
        time.sleep(READ_TIME)


def measure(name, run, count=None):
    taken, read = [], []
    tracemalloc.start()
    start = time.perf_counter()
    run(records(taken, count), read)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    first = sum(t <= read[0] for t in taken)
    last = sum(t <= read[-1] for t in taken)
    print(
        f"{name}: took {first} records by the first result,"
        f" {last} by result {len(read)};"
        f" first result after {read[0] - start:.2f} s;"
        f" peak {peak / 1e6:.1f} MB"
    )
    return {
        "taken": [t - start for t in taken if t <= read[-1]],
        "read": [t - start for t in read],
        "peak": peak,
    }


def warmed_up(executor):
    """The executor, with its two worker processes started."""
    list(executor.map(time.sleep, [0.05, 0.05], timeout=60))
    return executor


# %%
# Pool.map and Executor.map take everything
# -----------------------------------------
#
# :meth:`Pool.map <multiprocessing.pool.Pool.map>` turns its input into a
# list before it sends a single task (it needs the length to choose a
# ``chunksize``), and returns only when every result is in: with
# 2,000 records, the records and their results are all in memory at once,
# and an endless generator would never let it return. Here it is called as
# ``map_async(...).get(timeout=...)``, the same call with a timeout.
if __name__ == "__main__":
    runs = {}
    with multiprocessing.Pool(2) as pool:
        runs["Pool.map"] = measure(
            "Pool.map",
            lambda items, read: consume(
                pool.map_async(clean, items).get(timeout=60), read
            ),
            count=COUNT,
        )

# %%
# :meth:`Executor.map <concurrent.futures.Executor.map>` submits every item
# before it returns its iterator: one future per record, each holding its
# record until a worker process takes it, and then its result until the
# consumer reads it. The first results come sooner than with ``Pool.map``,
# but the whole input is taken first. When the consumer stops,
# ``shutdown(cancel_futures=True)`` cancels the tasks still waiting.
if __name__ == "__main__":
    with warmed_up(ProcessPoolExecutor(max_workers=2)) as executor:
        runs["Executor.map"] = measure(
            "Executor.map",
            lambda items, read: consume(
                executor.map(clean, items, timeout=60), read
            ),
            count=COUNT,
        )
        executor.shutdown(cancel_futures=True)

# %%
# Pool.imap runs ahead of its reader
# ----------------------------------
#
# :meth:`Pool.imap <multiprocessing.pool.Pool.imap>` accepts the endless
# generator, and its first result comes as soon as a worker has cleaned the
# first record. But a thread of the pool, its task handler, takes records
# from the generator and writes them to the workers' pipe as fast as the
# pipe and the workers allow, whatever the consumer does; the results wait
# in the parent until they are read. CPython's documentation called
# ``imap`` "a lazier version of map" until gh-84291 corrected it: ``imap``
# can consume its input eagerly. ``results.next(timeout)`` reads an
# ``imap`` result with a timeout. Before leaving the ``with`` block, which
# terminates the pool, the run stops the input (``takewhile`` ends it once
# ``stop`` is set) and reads the results already on their way:
# ``terminate()`` on a pool that is still moving tasks and results can hang
# (open CPython bugs: gh-78178 with ``imap``, gh-96995).
if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:

        def run_imap(items, read):
            stop = threading.Event()
            feed = itertools.takewhile(lambda _: not stop.is_set(), items)
            results = pool.imap(clean, feed)
            consume((results.next(timeout=60) for _ in range(WANTED)), read)
            stop.set()
            for _ in iter(lambda: results.next(timeout=60), None):
                pass  # ends with StopIteration once the last result is read

        runs["Pool.imap"] = measure("Pool.imap", run_imap)


# %%
# Feed the work in bounded amounts
# --------------------------------
#
# The simplest bound works with any pool: take a batch of records with
# ``itertools.islice``, map it, read its results, take the next batch.
# At most one batch of records and results is in memory, but the workers
# wait while the consumer reads, and the slowest task of a batch holds up
# the next one.
def batches(items, size):
    items = iter(items)
    while batch := list(itertools.islice(items, size)):
        yield batch


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:

        def run_batches(items, read):
            results = (
                result
                for batch in batches(items, LIMIT)
                for result in pool.map_async(clean, batch).get(timeout=60)
            )
            consume(results, read)

        runs["Pool.map in batches"] = measure(
            "Pool.map in batches of 8", run_batches
        )


# %%
# ``bounded_map`` keeps the workers busy instead: it keeps at most ``limit``
# futures submitted and not yet read, and submits a new task for each result
# it yields. :func:`~concurrent.futures.wait` with ``FIRST_COMPLETED``
# returns as soon as one of them is done. Results come in the order tasks
# finish, as with :meth:`~multiprocessing.pool.Pool.imap_unordered`; when the
# consumer stops early, closing the generator cancels what is left.
def bounded_map(executor, fn, items, limit, timeout=60):
    items = iter(items)
    in_flight = set()
    try:
        while True:
            for item in itertools.islice(items, limit - len(in_flight)):
                in_flight.add(executor.submit(fn, item))
            if not in_flight:
                return
            done, in_flight = wait(
                in_flight, timeout=timeout, return_when=FIRST_COMPLETED
            )
            if not done:
                raise TimeoutError(f"no task finished in {timeout} s")
            for future in done:
                yield future.result()
    finally:
        for future in in_flight:
            future.cancel()


if __name__ == "__main__":
    with warmed_up(ProcessPoolExecutor(max_workers=2)) as executor:

        def run_bounded(items, read):
            with_bound = bounded_map(executor, clean, items, LIMIT)
            consume(with_bound, read)
            with_bound.close()

        runs["bounded_map"] = measure("bounded_map, limit 8", run_bounded)

# %%
# Executor.map with a buffersize
# ------------------------------
#
# Python 3.14 gives :meth:`Executor.map <concurrent.futures.Executor.map>` a
# ``buffersize`` (gh-74028): it submits that many tasks, then one more for
# each result read, and takes an endless input. A task is one item here;
# with ``ProcessPoolExecutor.map(..., chunksize=c)`` it is a chunk of ``c``
# items, so up to ``buffersize × c`` items are taken. ``Pool.imap`` and
# ``Pool.imap_unordered`` get the same parameter in Python 3.16 (gh-64192).
# On an older Python this cell says so.
if __name__ == "__main__":
    if sys.version_info >= (3, 14):
        with warmed_up(ProcessPoolExecutor(max_workers=2)) as executor:

            def run_buffered(items, read):
                results = executor.map(
                    clean, items, timeout=60, buffersize=LIMIT
                )
                consume(results, read)

            runs["Executor.map, buffersize"] = measure(
                "Executor.map(buffersize=8)", run_buffered
            )
            executor.shutdown(cancel_futures=True)
    else:
        print(
            "Executor.map(buffersize=...) needs Python 3.14; this run used",
            sys.version.split()[0],
        )

# %%
# Compared
# --------
#
# On the left, the records each approach had taken from the generator, over
# time, on a logarithmic scale; on the right, the results the consumer had
# read. Every line stops when the consumer has its 100 results. ``Pool.map``
# and ``Executor.map`` take all 2,000 records before the first result;
# ``Pool.imap`` climbs as fast as the workers go, far above the 100 results
# read; the bounded approaches stay within 8 records of the reader.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    # A Pool's runs in blue, an executor's in orange, told apart by the line.
    STYLES = {
        "Pool.map": ("C0", "-"),
        "Pool.imap": ("C0", "--"),
        "Pool.map in batches": ("C0", ":"),
        "Executor.map": ("C1", "-"),
        "bounded_map": ("C1", "--"),
        "Executor.map, buffersize": ("C1", ":"),
    }
    fig, axes = plt.subplots(
        1, 2, figsize=(8, 3.5), layout="constrained", sharex=True
    )
    for name, run in runs.items():
        taken, read = run["taken"], run["read"]
        color, linestyle = STYLES[name]
        axes[0].step(
            [*taken, read[-1]],
            [*range(1, len(taken) + 1), len(taken)],
            where="post",
            label=name,
            color=color,
            linestyle=linestyle,
        )
        axes[1].step(
            [0, *read],
            range(len(read) + 1),
            where="post",
            color=color,
            linestyle=linestyle,
        )
    axes[0].set_yscale("log")
    axes[0].set_ylabel("records taken (log scale)")
    axes[1].set_ylabel("results read")
    axes[0].legend(fontsize=8)
    for ax in axes:
        ax.set_xlabel("seconds since the call")
        ax.grid(alpha=0.3)
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    # One run drew both plots: one stamp, over the first.
    axes[0].set_title(stamp, fontsize=8, color="grey")
    fig.suptitle("Records taken from the generator, and results read")
    plt.show()

# %%
# The peak of the memory this process allocated per approach, as
# ``tracemalloc`` measured it above. It counts Python's allocations in
# every thread of the parent, not the pipes' buffers in the kernel nor the
# worker processes. The records and results that the parent holds account
# for the difference: 10 kB each.
if __name__ == "__main__":
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    names = list(runs)
    peaks = [runs[name]["peak"] / 1e6 for name in names]
    rows = range(len(names))
    bars = ax.barh(rows, peaks, color=[STYLES[name][0] for name in names])
    ax.bar_label(bars, fmt="%.1f MB", padding=3)
    ax.set_yticks(rows, names)
    ax.invert_yaxis()
    ax.set_xlim(0, max(peaks) * 1.2)
    ax.set_xlabel("peak Python memory in the parent (MB)")
    fig.suptitle("Memory held while the consumer read 100 results")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
