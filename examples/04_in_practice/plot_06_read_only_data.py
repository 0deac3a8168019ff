r"""
Large read-only data for every worker
=====================================

Every task of a job reads the same big object: a table, a model, an array of
50 MB. This lesson gets it to the worker processes of a pool in four ways,
and measures the time and each worker's memory: sent with every task, loaded
once per worker by an ``initializer``, inherited through fork as a module
global, and placed in shared memory. It ends with the rules for closing
shared memory, and what breaking them does.

Quick reference:

>>> from multiprocessing.shared_memory import SharedMemory
>>> shm = SharedMemory(create=True, size=4)
>>> shm.buf[:4] = bytes([1, 2, 3, 4])
>>> view = shm.buf[:2]  # something still uses the buffer...
>>> try:
...     shm.close()
... except BufferError as error:
...     print(error)
cannot close exported pointers exist
>>> view.release()  # ...so release it (or delete it) first
>>> shm.close()  # in every process that opened the block
>>> shm.unlink()  # once, by the process that created it
"""

# %%
# The data is a NumPy array of 6.25 million numbers, 50 MB. There are eight
# tasks: task ``part`` sums every eighth number from ``part`` on, so each
# task reads every page of the array. ``memory`` returns the private and the
# shared memory of the process that calls it, read from Linux's
# ``/proc/self/smaps_rollup`` (elsewhere it returns ``None``): shared pages
# are mapped by other processes too, and only private ones cost memory of
# their own. Each task returns its sum and its worker's memory at that
# moment. ``data`` is the worker's global for the data: ``keep``, the
# initializer, sets it.
import gc
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import time
from multiprocessing.shared_memory import SharedMemory

import numpy as np

SIZE = 6_250_000  # float64 numbers: 50 MB
PARTS = 8  # tasks
MB = 1e6

data = None


def part_sum(values, part):
    return float(values[part::PARTS].sum())


def memory():
    if not os.path.exists("/proc/self/smaps_rollup"):
        return None
    fields = {}
    with open("/proc/self/smaps_rollup", encoding="ascii") as file:
        for line in file:
            name, *value = line.split()
            if value[-1:] == ["kB"]:
                fields[name.rstrip(":")] = int(value[0]) * 1024
    private = fields["Private_Clean"] + fields["Private_Dirty"]
    shared = fields["Shared_Clean"] + fields["Shared_Dirty"]
    return private, shared


def sum_argument(values, part):
    return part_sum(values, part), memory()


def sum_global(part):
    return part_sum(data, part), memory()


def keep(values):
    global data
    data = values


def describe_data(_):
    return "None" if data is None else f"an array of {data.nbytes / MB:.0f} MB"


# %%
# ``run`` times one approach, from the start of its pool to the last result,
# checks the sums against a plain loop in this process, and prints the
# largest private memory a worker had while it ran a task, with its shared
# memory at that moment.
def run(name, make_pool, task, arguments, expected):
    started = time.perf_counter()
    with make_pool() as pool:
        results = pool.starmap_async(task, arguments).get(timeout=60)
    seconds = time.perf_counter() - started
    sums = [total for total, _ in results]
    measured = [used for _, used in results if used is not None]
    private, shared = max(measured) if measured else (0, 0)
    line = f"{name}: {seconds:.2f} s, sums correct: {sums == expected}"
    if measured:
        line += f"; worker private {private / MB:.0f} MB"
        line += f", shared {shared / MB:.0f} MB"
    print(line)
    return {"seconds": seconds, "private": private, "shared": shared}


if __name__ == "__main__":
    values = np.arange(SIZE, dtype=np.float64)
    expected = [part_sum(values, part) for part in range(PARTS)]
    pickled = len(pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL))
    print(f"data: {values.nbytes / MB:.0f} MB, pickled: {pickled / MB:.0f} MB")
    if memory() is None:
        print(
            "worker memory is measured on Linux only; this run:", sys.platform
        )
    parts = [(part,) for part in range(PARTS)]
    approaches = {}

# %%
# 1. With every task
# ------------------
#
# The simplest way: the array is an argument of each task. The pool pickles
# it with every task and sends the copy through a pipe; the worker unpickles
# a new 50 MB array, uses it once, and drops it. Eight tasks make eight
# copies, and a worker holds a private copy while it works.
if __name__ == "__main__":
    approaches["with every task"] = run(
        "with every task",
        lambda: multiprocessing.Pool(2),
        sum_argument,
        [(values, part) for part in range(PARTS)],
        expected,
    )

# %%
# 2. Once per worker, by an initializer
# -------------------------------------
#
# ``initializer=keep, initargs=(values,)``: each worker receives the array
# once, when it starts, and ``keep`` stores it in the worker's global
# ``data``, where every task finds it. Under spawn and forkserver the
# ``initargs`` are pickled once per worker, so each worker still has a
# private copy; under fork the worker is a copy of the parent, nothing is
# pickled, and it shares the parent's pages as in approach 3.
if __name__ == "__main__":
    approaches["initializer"] = run(
        "initializer",
        lambda: multiprocessing.Pool(2, initializer=keep, initargs=(values,)),
        sum_global,
        parts,
        expected,
    )

# %%
# 3. Inherited through fork
# -------------------------
#
# A forked child starts as a copy of its parent: a module global that the
# parent set before the pool started is there in every worker, and nothing
# is pickled. The copy is copy-on-write: the child shares the parent's pages
# until one of them writes to a page. Only fork works this way. A spawn or
# forkserver worker imports the module afresh, without running the code
# under ``if __name__ == "__main__":``, so the global that code set is not
# there. What a worker of this run's start method finds in ``data``:
if __name__ == "__main__":
    data = values
    method = multiprocessing.get_start_method()
    with multiprocessing.Pool(1) as pool:
        seen = pool.map_async(describe_data, [0]).get(timeout=60)[0]
    print(f"a {method!r} worker's data: {seen}")

# %%
# Windows has no fork, and macOS offers it but its system libraries are not
# safe to use in a forked child; so this approach runs here only where fork
# is available, not on macOS, with a fork context asked for explicitly.
if __name__ == "__main__":
    can_fork = (
        "fork" in multiprocessing.get_all_start_methods()
        and sys.platform != "darwin"
    )
    if can_fork:
        fork = multiprocessing.get_context("fork")
        approaches["fork global"] = run(
            "fork global",
            lambda: fork.Pool(2),
            sum_global,
            parts,
            expected,
        )
    else:
        print("fork is not used on", sys.platform)


# %%
# The array's numbers stay shared because reading them writes nothing. A
# list of Python objects is different: each object holds a reference count
# in its own memory, so reading an object writes to its page, and the
# kernel copies the page for the child. The garbage collector writes to
# every object it tracks too, when it collects. ``gc.freeze()``, called
# just before forking as the documentation of the ``gc`` module recommends,
# moves every object into a permanent generation that collections skip. A
# forked child here measures how much its private memory grows when it
# reads 300,000 records (small lists), or when it runs ``gc.collect()``,
# without or with ``gc.freeze()`` in the parent.
def child_grows(action, connection):
    before, _ = memory()
    if action == "reading every record":
        sum(len(name) for _, name in records)
    else:
        gc.collect()
    after, _ = memory()
    connection.send(after - before)
    connection.close()


ACTIONS = {
    "reading every record": False,
    "gc.collect()": False,
    "gc.collect() after gc.freeze()": True,
}

if __name__ == "__main__":
    if can_fork and memory() is not None:
        records = [[i, f"record {i}"] for i in range(300_000)]
        for action, freeze in ACTIONS.items():
            if freeze:
                gc.freeze()
            receiver, sender = fork.Pipe(duplex=False)
            child = fork.Process(target=child_grows, args=(action, sender))
            child.start()
            grown = receiver.recv() if receiver.poll(30) else None
            child.join(timeout=30)
            gc.unfreeze()
            print(f"{action}: +{grown / MB:.1f} MB private in the child")
        del records
    else:
        print("this needs fork and Linux's /proc; this run:", sys.platform)


# %%
# 4. Shared memory
# ----------------
#
# :class:`~multiprocessing.shared_memory.SharedMemory` is a block of memory
# with a name, which any process can open. The parent creates a block, puts
# a NumPy array on it (``np.ndarray(shape, dtype, buffer=shm.buf)``, no
# copy) and copies the data in once. Each worker opens the block by its name
# in ``attach``, its initializer, and keeps both the block and the array
# over it in globals: when the ``SharedMemory`` object is garbage collected
# its block is closed, under the array. Every process maps the same pages,
# whatever the start method; only the name, the shape and the dtype are
# pickled.
def attach(name, shape, dtype):
    global block, data
    block = SharedMemory(name=name)
    data = np.ndarray(shape, dtype=dtype, buffer=block.buf)


if __name__ == "__main__":
    shm = SharedMemory(create=True, size=values.nbytes)
    try:
        shared = np.ndarray(values.shape, dtype=values.dtype, buffer=shm.buf)
        shared[:] = values
        where = (shm.name, values.shape, values.dtype)
        approaches["shared memory"] = run(
            "shared memory",
            lambda: multiprocessing.Pool(
                2, initializer=attach, initargs=where
            ),
            sum_global,
            parts,
            expected,
        )
        del shared
    finally:
        shm.close()
        shm.unlink()

# %%
# Closing shared memory
# ---------------------
#
# The ``finally`` block above is the discipline: every process that opened
# a block calls ``close()`` when it is done with it (a worker's mapping also
# ends with the worker process); the process that created the block also
# calls ``unlink()``, once, and the memory is freed when the last process
# has closed it. Before ``close()``, nothing may still use the buffer. With
# an array made by ``np.frombuffer(shm.buf)``, which holds on to the buffer,
# ``close()`` refuses:
if __name__ == "__main__":
    shm = SharedMemory(create=True, size=8 * 1000)
    numbers = np.frombuffer(shm.buf, dtype=np.float64)
    try:
        shm.close()
    except BufferError as error:
        print(f"{type(error).__name__}: {error}")
    del numbers  # the fix: delete every array on the buffer first
    shm.close()
    shm.unlink()
    print("after del: closed and unlinked")

# %%
# An array made with ``np.ndarray(..., buffer=shm.buf)`` does not hold on to
# the buffer: ``close()`` succeeds and unmaps the memory under the array.
# The next read of the array touches memory that is no longer there, and
# the process crashes: here, a separate script that does it.
CLOSE_TOO_EARLY = """\
from multiprocessing.shared_memory import SharedMemory
import numpy as np

shm = SharedMemory(create=True, size=8 * 1000)
numbers = np.ndarray((1000,), dtype=np.float64, buffer=shm.buf)
try:
    shm.close()
    print("close() raised nothing", flush=True)
    print(numbers.sum())
finally:
    shm.unlink()
"""

if __name__ == "__main__":
    result = subprocess.run(
        [sys.executable, "-c", CLOSE_TOO_EARLY],
        capture_output=True,
        text=True,
        timeout=60,
    )
    print(result.stdout.strip())
    code = result.returncode
    if code < 0:
        print(f"the script was killed by {signal.Signals(-code).name}")
    else:
        print(f"the script ended with exit code {code}")

# %%
# Compared
# --------
#
# The times and the worker memory this run measured. Sending the data with
# every task copies it once per task; an initializer, once per worker
# (never under fork); fork and shared memory, never. Each private copy is
# memory of its own, in every worker; shared pages are counted once for the
# whole machine, however many processes map them. Under spawn and
# forkserver, part of a worker's private memory is its own interpreter and
# its own copy of NumPy's modules.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    names = list(approaches)
    rows = range(len(names))
    fig, axes = plt.subplots(
        1, 2, figsize=(8, 3.5), layout="constrained", sharey=True
    )
    seconds = [approaches[name]["seconds"] for name in names]
    bars = axes[0].barh(rows, seconds, color="C0")
    axes[0].bar_label(bars, fmt="%.2f s", padding=3)
    axes[0].set_xlim(0, max(seconds) * 1.35)
    axes[0].set_xlabel("pool start to last result (s)")
    axes[0].set_yticks(rows, names)
    private = [approaches[name]["private"] / MB for name in names]
    shared = [approaches[name]["shared"] / MB for name in names]
    axes[1].barh(rows, private, color="C3", label="private")
    axes[1].barh(rows, shared, left=private, color="C3", alpha=0.3)
    axes[1].containers[-1].set_label("shared")
    axes[1].set_xlabel("memory of one worker (MB)")
    total = max(p + s for p, s in zip(private, shared, strict=True))
    axes[1].set_xlim(0, total * 1.9)
    axes[1].legend(loc="lower right")
    if memory() is None:
        axes[1].text(
            0.5, 0.5, "Linux only", ha="center", transform=axes[1].transAxes
        )
    axes[0].invert_yaxis()  # and the other's: they share the y axis
    for ax in axes:
        stamp = (
            f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
            f" · start method: {multiprocessing.get_start_method()!r}"
        )
        ax.set_title(stamp, fontsize=8, color="grey")
    fig.suptitle("One 50 MB array read by 8 tasks on 2 workers")
    plt.show()
