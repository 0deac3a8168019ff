r"""
Share numbers with Value and Array
==================================

:func:`multiprocessing.Value` and :func:`multiprocessing.Array` keep C numbers
in shared memory: what a child writes there, its parent reads, with no copy
and no message. An update that reads and then writes, like ``+= 1``, needs the
lock, or processes that update at the same time lose each other's updates.

Quick reference:

>>> from multiprocessing import Array, Value
>>> counter = Value("i", 0)
>>> with counter.get_lock():
...     counter.value += 1
>>> counter.value
1
>>> Array("d", 3)[:]
[0.0, 0.0, 0.0]
"""

# %%
# What the children run: ``fill`` writes squares and their sum; ``worker`` adds
# 1 to a shared counter, with or without its lock; ``fill_slice`` writes its
# own part of an array. ``count`` runs four workers on a new counter: its
# total.
import multiprocessing
import time

WORKERS, INCREMENTS = 4, 20_000


def fill(total, squares):
    for i in range(len(squares)):
        squares[i] = i * i
    total.value = int(sum(squares))


def worker(counter, barrier, use_lock):
    barrier.wait(timeout=30)  # start together, so that the loops overlap
    for _ in range(INCREMENTS):
        if use_lock:
            with counter.get_lock():
                counter.value += 1
        else:
            counter.value += 1


def fill_slice(array, start, stop):
    for i in range(start, stop):
        array[i] = i * i


def count(use_lock):
    counter = multiprocessing.Value("i", 0)
    args = (counter, multiprocessing.Barrier(WORKERS), use_lock)
    team = [
        multiprocessing.Process(target=worker, args=args)
        for _ in range(WORKERS)
    ]
    for p in team:
        p.start()
    for p in team:
        p.join(timeout=30)
    return counter.value


# %%
# A Value and an Array
# --------------------
#
# The typecode names the C type: ``"i"`` is an ``int``, ``"d"`` a ``double``.
# ``Value("i", 0)`` starts at 0 and ``Array("d", 5)`` holds five zeros; the
# child writes into both, and the parent reads them after ``join``.
if __name__ == "__main__":
    total = multiprocessing.Value("i", 0)
    squares = multiprocessing.Array("d", 5)
    p = multiprocessing.Process(target=fill, args=(total, squares))
    p.start()
    p.join(timeout=10)
    print(
        "exit code:", p.exitcode, "total:", total.value, "squares:", squares[:]
    )

# %%
# Lost updates
# ------------
#
# Four processes add 1 to one counter 20,000 times each, without the lock.
# ``counter.value += 1`` reads, then writes: a write made by another process in
# between is overwritten and lost. How many are lost varies from run to run:
# usually many, but it can even be none if the processes happen not to
# overlap, which is how this bug slips through tests.
if __name__ == "__main__":
    expected = WORKERS * INCREMENTS
    started = time.perf_counter()
    actual = count(use_lock=False)
    runs = {"without the lock": (actual, time.perf_counter() - started)}
    lost = expected - actual
    print(
        f"without the lock: expected {expected}, actual {actual}, lost {lost}"
    )

# %%
# Hold the lock for the whole update
# ----------------------------------
#
# ``Value`` comes with a lock that guards each read and each write, but not the
# pair. ``with counter.get_lock():`` holds it for the whole ``+= 1``, so no
# update is lost, at the price of processes waiting for each other.
if __name__ == "__main__":
    started = time.perf_counter()
    actual = count(use_lock=True)
    runs["with the lock"] = (actual, time.perf_counter() - started)
    lost = expected - actual
    print(f"with the lock: expected {expected}, actual {actual}, lost {lost}")

# %%
# The updates this run kept and lost, and how long each count took, from
# starting the four processes to joining them. With the lock no update was
# lost; compare the two times for what waiting for it cost in this run.
if __name__ == "__main__":
    import os
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    for row, (kept, seconds) in enumerate(runs.values()):
        ax.barh(row, kept, color="C2", label="kept" if row == 0 else None)
        ax.barh(
            row,
            expected - kept,
            left=kept,
            color="C3",
            label="lost" if row == 0 else None,
        )
        ax.annotate(
            f"lost {expected - kept} in {seconds:.2f} s",
            (expected, row),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
        )
    ax.set_yticks(range(len(runs)), list(runs))
    ax.invert_yaxis()
    ax.set_xlim(0, expected * 1.35)
    ax.set_xlabel("updates of the counter")
    ax.legend(loc="lower right")
    fig.suptitle(f"{WORKERS} processes add 1 to a Value {expected} times")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# No lock at all: raw values and separate slices
# ----------------------------------------------
#
# ``lock=False`` returns the raw ctypes object, as
# :func:`multiprocessing.sharedctypes.RawValue` does: no lock, no
# ``get_lock()``, faster access. Use it when no two processes update the same
# number.
if __name__ == "__main__":
    raw = multiprocessing.Value("i", 0, lock=False)
    print(raw, "has get_lock:", hasattr(raw, "get_lock"))
    print(total, "has get_lock:", hasattr(total, "get_lock"))

# %%
# Four processes fill one array of eight doubles, each writing only its own
# slice of two. No two processes write the same element, so no lock is needed.
if __name__ == "__main__":
    table = multiprocessing.Array("d", 8, lock=False)
    team = [
        multiprocessing.Process(
            target=fill_slice, args=(table, start, start + 2)
        )
        for start in range(0, 8, 2)
    ]
    for p in team:
        p.start()
    for p in team:
        p.join(timeout=10)
    print("exit codes:", [p.exitcode for p in team], "table:", table[:])
