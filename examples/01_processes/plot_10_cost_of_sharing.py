r"""
The cost of sharing
===================

Every way of sharing data between processes costs something on each access.
This lesson times one access through each of them (a write; for a ``Value``,
an increment, which reads and writes), from a plain local ``dict``
to a manager proxy and a round trip through two queues, and shows that they are
orders of magnitude apart.

Quick reference:

>>> import multiprocessing
>>> counter = multiprocessing.Value("i", 0)
>>> with counter.get_lock():
...     counter.value += 1
>>> raw = multiprocessing.Value("i", 0, lock=False)
>>> raw.value += 1
>>> counter.value, raw.value
(1, 1)
"""

# %%
# The child process is an echo: it sends back every item it gets until it gets
# ``None``. ``per_op`` runs a statement ``number`` times with the standard
# ``timeit`` module, three times over, and keeps the best run: the others were
# slowed down by whatever else the machine was doing. ``readable`` prints a
# time in nanoseconds or microseconds.
import multiprocessing
import timeit
from multiprocessing.shared_memory import SharedMemory


def worker(requests, replies):
    while (item := requests.get(timeout=10)) is not None:
        replies.put(item)


def per_op(statement, number, **names):
    runs = timeit.repeat(statement, number=number, repeat=3, globals=names)
    return min(runs) / number


def readable(seconds):
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    return f"{seconds * 1e6:.1f} µs"


# %%
# Memory of this process
# ----------------------
#
# First the objects in the parent's own memory, each write timed 200,000
# times: a ``dict``, and a :class:`~multiprocessing.Value` with its lock and
# without. Reading or writing ``.value`` of a ``Value`` with a lock takes the
# lock too; the ``with`` block makes the read and the write one step.
if __name__ == "__main__":
    N = 200_000
    value = multiprocessing.Value("i", 0)
    raw = multiprocessing.Value("i", 0, lock=False)
    seconds = {
        "local dict d[k] = v": per_op("d[k] = v", N, d={}, k=1, v=2),
        "Value with its lock": per_op(
            "with v.get_lock(): v.value += 1", N, v=value
        ),
        "Value(lock=False)": per_op("v.value += 1", N, v=raw),
    }

# %%
# Memory other processes can map
# ------------------------------
#
# An :class:`~multiprocessing.Array` element and a byte of
# :class:`~multiprocessing.shared_memory.SharedMemory`: plain writes to memory
# that other processes can map. The shared memory block is closed and
# unlinked when done: on POSIX a forgotten block would be unlinked only at
# shutdown by the resource tracker, with a warning (see the shared memory
# lesson).
if __name__ == "__main__":
    array = multiprocessing.Array("i", 10)
    seconds["Array element write"] = per_op("a[3] = 7", N, a=array)
    shm = SharedMemory(create=True, size=16)
    try:
        seconds["SharedMemory byte write"] = per_op(
            "shm.buf[3] = 7", N, shm=shm
        )
    finally:
        shm.close()
        shm.unlink()

# %%
# Messages to another process
# ---------------------------
#
# A manager's ``dict`` lives in the manager's server process: each
# ``d[k] = v`` on its proxy is a message there and a reply back, so it is timed
# 2,000 times only.
if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        shared = manager.dict()
        seconds["Manager dict proxy d[k] = v"] = per_op(
            "d[k] = v", 2_000, d=shared, k=1, v=2
        )

# %%
# A round trip through two :class:`~multiprocessing.Queue`\ s: the parent puts
# an item, the echo child gets it and puts it on the second queue, the parent
# gets it back. Each item is pickled and unpickled twice and crosses two pipes.
if __name__ == "__main__":
    requests, replies = multiprocessing.Queue(), multiprocessing.Queue()
    echo = multiprocessing.Process(target=worker, args=(requests, replies))
    echo.start()
    try:
        seconds["Queue round trip"] = per_op(
            "q.put(1); r.get(timeout=10)", 1_000, q=requests, r=replies
        )
    finally:
        requests.put(None)
        echo.join(timeout=10)
    print("echo exit code:", echo.exitcode)

# %%
# Orders of magnitude apart
# -------------------------
#
# The best time per operation in this run, and how many times slower than the
# local ``dict`` each one is:
if __name__ == "__main__":
    local = seconds["local dict d[k] = v"]
    print(f"{'operation':<30}{'time':>10}{'vs dict':>10}")
    for name, s in seconds.items():
        print(f"{name:<30}{readable(s):>10}{s / local:>9.0f}x")

# %%
# On a logarithmic axis each grid line is ten times the one before. A local
# ``dict`` write takes tens of nanoseconds. ``Value(lock=False)`` and a
# ``SharedMemory`` byte are plain writes to memory, behind a little more Python
# machinery. A lock costs hundreds of nanoseconds even when no other process
# wants it, and an ``Array`` has one by default, taken on every element access.
# A manager proxy and a queue round trip take tens of microseconds or more:
# pickling, system calls, and waiting for another process to run and answer.
# The numbers change from machine to machine and run to run, but the groups
# stay orders of magnitude apart: send a few large messages, not many small
# ones.
if __name__ == "__main__":
    import os
    import platform

    import matplotlib.pyplot as plt

    names = list(seconds)[::-1]
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    # Dots, not bars: on a log axis a bar's length depends on where the
    # axis happens to start.
    values = [seconds[n] * 1e6 for n in names]
    ax.plot(values, range(len(names)), "o", color="C0")
    for row, name in enumerate(names):
        ax.annotate(
            readable(seconds[name]),
            (values[row], row),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
        )
    ax.grid(axis="x", alpha=0.3)
    ax.set_yticks(range(len(names)), names)
    ax.set_xscale("log")
    ax.set_xlim(right=max(seconds.values()) * 1e6 * 10)
    ax.set_xlabel("µs per operation (log scale)")
    fig.suptitle("Time per operation, from a local dict to a queue round trip")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
