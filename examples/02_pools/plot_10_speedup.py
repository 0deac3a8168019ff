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
# The tasks
# ---------
#
# ``cpu_task`` keeps a CPU busy in pure Python for a moment and returns a
# small number; ``big_result_task`` does the same work and returns
# 4 MB of bytes. ``seconds`` times one call with :func:`time.perf_counter`.
import multiprocessing
import os
import statistics
import time

N = 150_000
RESULT_BYTES = 4_000_000


def cpu_task(n):
    return sum(i * i for i in range(n)) % 10


def big_result_task(n):
    cpu_task(n)
    return bytes(RESULT_BYTES)


def seconds(func, *args):
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def run_on_pool(pool, task, args):
    return pool.map_async(task, args, chunksize=1).get(timeout=60)


def run_in_a_loop(task, args):
    return [task(n) for n in args]


# %%
# Measuring in turns
# ------------------
#
# ``T1`` is the time of 16 tasks run one after another in a plain loop in the
# parent, ``TN`` their time on a pool of N workers, from one worker to two more
# than a pool starts by default (at most 6): :func:`os.process_cpu_count`, the
# CPUs this process may use, from Python 3.13; before 3.13,
# :func:`os.cpu_count`, all the machine has. Other programs load the machine
# more at some moments than at others, so ``T1`` and ``TN`` are measured in
# turns, three times each for every N, and the speed-up is the median of the
# three ratios ``T1 / TN``. Each pool first sleeps 50 ms in each worker, which
# keeps the start-up of the processes mostly out of the timings.
if __name__ == "__main__":
    cpus = getattr(os, "process_cpu_count", os.cpu_count)()
    counts = list(range(1, min(cpus + 2, 6) + 1))
    args = [N] * 16
    tasks = {"small results": cpu_task, "4 MB results": big_result_task}
    loop_times = {}  # (name, workers) -> seconds of each turn
    pool_times = {}
    for workers in counts:
        with multiprocessing.Pool(processes=workers) as pool:
            pool.map_async(time.sleep, [0.05] * workers, chunksize=1).get(
                timeout=60
            )
            for name, task in tasks.items():
                loops, pools = [], []
                for _ in range(3):
                    loops.append(seconds(run_in_a_loop, task, args))
                    pools.append(seconds(run_on_pool, pool, task, args))
                loop_times[name, workers] = loops
                pool_times[name, workers] = pools
    print(f"workers a pool starts by default: {cpus}")

# %%
# The median times of the loop and of the pool in milliseconds, and the
# speed-up, for each number of workers; then, for each kind of result, the
# best speed-up against the ideal, which is the number of workers up to the
# number of CPUs.
if __name__ == "__main__":
    speedup = {}
    for key, loops in loop_times.items():
        ratios = [
            t1 / tn for t1, tn in zip(loops, pool_times[key], strict=True)
        ]
        speedup[key] = statistics.median(ratios)
    print(f"{'':>7}{'small results':>26}{'4 MB results':>26}")
    print(f"{'workers':>7}" + f"{'loop':>8}{'pool':>8}{'speed-up':>10}" * 2)
    for workers in counts:
        row = f"{workers:>7}"
        for name in tasks:
            loop = statistics.median(loop_times[name, workers]) * 1000
            pool = statistics.median(pool_times[name, workers]) * 1000
            ratio = speedup[name, workers]
            row += f"{loop:>5.0f} ms{pool:>5.0f} ms{ratio:>9.2f}x"
        print(row)
    for name in tasks:
        best = max(counts, key=lambda workers: speedup[name, workers])
        ideal = min(best, cpus)
        print(
            f"{name}: best {speedup[name, best]:.2f}x with {best} workers, "
            f"{speedup[name, best] / ideal:.0%} of the ideal {ideal}x"
        )

# %%
# Reading the figure
# ------------------
#
# The ideal speed-up grows with the number of workers up to the number of
# CPUs, and stays there: more processes than CPUs take turns. More CPUs raise
# that ceiling. The small results come closest to it (the line above says how
# close): the pool sends every task and result through a pipe, and the machine
# runs other programs too, which also makes the points move a little from run
# to run.
#
# With 4 MB results the points fall lower. Every result is pickled in its
# worker, sent through the pool's one result pipe and unpickled in the parent,
# one result at a time: that part does not get faster with more workers, so it
# eats the gain, and where the points fall below 1 the pool was slower than the
# loop. Send back only what the parent needs.
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
    ax.set_ylim(0, max([*ideal, *speedup.values()]) + 0.5)
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
