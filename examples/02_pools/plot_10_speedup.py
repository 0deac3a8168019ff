r"""
Measure the speed-up
====================

The speed-up of a pool of N workers is ``T1 / TN``: the time a plain loop
takes for a job, divided by the time the pool takes. This lesson measures it
for a job that computes, compares it with the ideal, and shows how large
results eat the gain.

Quick reference:

>>> import time
>>> from multiprocessing import Pool
>>> with Pool(processes=2) as pool:
...     start = time.perf_counter()
...     results = pool.map_async(abs, [-3, -2, -1]).get(timeout=10)
...     seconds = time.perf_counter() - start
>>> results, seconds > 0
([3, 2, 1], True)
"""

# %%
# ``cpu_task`` keeps a CPU busy in pure Python for a moment and returns a
# small number; ``big_result_task`` does the same work and returns
# 4 MB of bytes. ``median_seconds`` times a call a few times and keeps the
# median, the middle value, which one slow run does not move.
import multiprocessing
import os
import statistics
import time

N = 250_000
RESULT_BYTES = 4_000_000


def cpu_task(n):
    return sum(i * i for i in range(n)) % 10


def big_result_task(n):
    cpu_task(n)
    return bytes(RESULT_BYTES)


def median_seconds(func, *args, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_on_pool(pool, task, args):
    return pool.map_async(task, args, chunksize=1).get(timeout=60)


def run_in_a_loop(task, args):
    return [task(n) for n in args]


# %%
# ``T1`` is the time of the same 16 tasks run one after another in a
# plain loop in the parent. Then the pools, from one worker to two more than
# the CPU count (at most 6). Each pool first sleeps 50 ms in each worker,
# which keeps the start-up of the processes mostly out of the timings.
if __name__ == "__main__":
    cpus = os.cpu_count()
    counts = list(range(1, min(cpus + 2, 6) + 1))
    args = [N] * 16
    tasks = {"small results": cpu_task, "4 MB results": big_result_task}
    serial = {
        name: median_seconds(run_in_a_loop, task, args) for name, task in tasks.items()
    }
    pooled = {}  # (name, workers) -> seconds
    for workers in counts:
        with multiprocessing.Pool(processes=workers) as pool:
            pool.map_async(time.sleep, [0.05] * workers, chunksize=1).get(timeout=60)
            for name, task in tasks.items():
                pooled[name, workers] = median_seconds(run_on_pool, pool, task, args)
    print(f"CPUs: {cpus}")

# %%
# The times, and the speed-up ``T1 / TN`` for each number of workers:
if __name__ == "__main__":
    speedup = {key: serial[key[0]] / seconds for key, seconds in pooled.items()}
    for name in tasks:
        print(f"{name}: T1 = {serial[name] * 1000:.0f} ms in a loop")
    print(f"{'workers':>7}{'small results':>22}{'4 MB results':>22}")
    for workers in counts:
        row = f"{workers:>7}"
        for name in tasks:
            ms = pooled[name, workers] * 1000
            row += f"{ms:>9.0f} ms {speedup[name, workers]:>6.2f}x"
        print(row)

# %%
# The ideal speed-up grows with the number of workers up to the number of
# CPUs, printed above, and stays there: more processes than CPUs take turns.
# More CPUs raise that ceiling. The points of the small results stay close to
# the ideal, usually a little below it: the pool sends every task and result
# through a pipe, and the machine runs other programs too, which also makes
# the points move a little from run to run.
#
# With 4 MB results the points fall far lower, below 1 with one worker: the
# pool is slower than the loop. Every result is pickled in its worker, sent
# through the pool's one result pipe and unpickled in the parent, one result at
# a time: that part does not get faster with more workers, so it eats the gain.
# Send back only what the parent needs.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    ideal = [min(workers, cpus) for workers in counts]
    ax.plot(counts, ideal, color="grey", linestyle="--", label="ideal")
    for name, marker in zip(tasks, ("o", "s"), strict=True):
        measured = [speedup[name, workers] for workers in counts]
        ax.plot(counts, measured, marker=marker, label=name)
    ax.set_xticks(counts)
    ax.set_ylim(0, max(counts) + 0.5)
    ax.set_xlabel("worker processes")
    ax.set_ylabel("speed-up: loop time / pool time")
    ax.legend(loc="upper left")
    fig.suptitle("Speed-up of 16 computing tasks on a process pool")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
