r"""
Why use a process pool
======================

Starting a process takes time, and under spawn far more than under fork. This
lesson runs the same short tasks two ways, in one new
:class:`~multiprocessing.Process` per task and in one
:class:`~multiprocessing.pool.Pool` that reuses its workers, and times both as
the number of tasks grows.

Quick reference:

>>> import multiprocessing
>>> with multiprocessing.Pool(processes=2) as pool:
...     pool.map_async(abs, range(-3, 3)).get(timeout=10)
[3, 2, 1, 0, 1, 2]
"""

# %%
# The task
# --------
#
# The task is pure-Python CPU work: summing squares, a few milliseconds on a
# recent machine. It sits at the top of the module, so that spawn and
# forkserver children, which import this file, find it.
import multiprocessing
import os
import time

SIZE = 80_000


def work(n):
    return sum(i * i for i in range(n))


# %%
# One process per task
# --------------------
#
# The first way: a new :class:`~multiprocessing.Process` for every task. To
# compete fairly with a pool of ``workers`` processes, at most ``workers`` run
# at once: start a batch, wait for all of it, start the next. The results are
# thrown away; sending them back would only make this way slower. ``context``
# is what :func:`multiprocessing.get_context` returns for a start method: it
# has the same ``Process`` and ``Pool`` as the module, bound to that method.
def one_process_per_task(context, count, workers):
    for first in range(0, count, workers):
        batch = [
            context.Process(target=work, args=(SIZE,))
            for _ in range(min(workers, count - first))
        ]
        for process in batch:
            process.start()
        for process in batch:
            process.join(timeout=30)
            if process.exitcode != 0:
                raise SystemExit(f"task failed: exit code {process.exitcode}")


# %%
# One pool for all tasks
# ----------------------
#
# The second way: one :class:`~multiprocessing.pool.Pool` of ``workers``
# processes for all the tasks. The time includes starting and stopping the
# pool. ``chunksize=1`` sends every task to a worker on its own, as above.
# ``median_seconds`` times one way a few times, with :func:`time.perf_counter`,
# and keeps the middle run: a run slowed down by something else does not count.
def one_pool(context, count, workers):
    with context.Pool(processes=workers) as pool:
        pool.map_async(work, [SIZE] * count, chunksize=1).get(timeout=30)


def median_seconds(approach, context, count, workers, repeats=3):
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        approach(context, count, workers)
        runs.append(time.perf_counter() - start)
    return sorted(runs)[len(runs) // 2]  # the median


# %%
# Both ways, under every start method
# -----------------------------------
#
# Both ways, for a growing number of tasks, each timed three times, under every
# start method this platform has
# (:func:`multiprocessing.get_all_start_methods`: only spawn on Windows), in
# a fixed order (from Python 3.14 that function lists the default first),
# with as many workers as a pool starts by default:
# :func:`os.process_cpu_count`, the CPUs this process may use (Python
# 3.13+); before 3.13, :func:`os.cpu_count`, all the machine has.
if __name__ == "__main__":
    WORKERS = getattr(os, "process_cpu_count", os.cpu_count)()
    COUNTS = (1, 2, 4, 8, 16)
    AVAILABLE = multiprocessing.get_all_start_methods()
    METHODS = [m for m in ("fork", "spawn", "forkserver") if m in AVAILABLE]
    per_task, pooled = {}, {}  # (start method, tasks) -> seconds
    for method in METHODS:
        context = multiprocessing.get_context(method)
        for count in COUNTS:
            per_task[method, count] = median_seconds(
                one_process_per_task, context, count, WORKERS
            )
            pooled[method, count] = median_seconds(
                one_pool, context, count, WORKERS
            )

# %%
# The median total time in seconds for each start method and number of tasks,
# and the ratio of the two: above 1 where the pool was faster, below 1 where it
# was slower.
if __name__ == "__main__":
    default = multiprocessing.get_start_method()
    print(f"workers: {WORKERS}, default start method: {default}")
    header = ("method", "tasks", "process per task", "pool", "ratio")
    print("{:<11}{:>5}{:>18}{:>10}{:>8}".format(*header))
    for method in METHODS:
        for count in COUNTS:
            alone, shared = per_task[method, count], pooled[method, count]
            print(
                f"{method:<11}{count:>5}{alone:>16.3f} s{shared:>8.3f} s"
                f"{alone / shared:>7.1f}x"
            )

# %%
# What a pool saves
# -----------------
#
# Starting a process is the cost the pool saves. Under fork the child starts as
# a copy of the parent, which is quick. Under spawn it is a new Python
# interpreter that must import this file, and every module imported at its top,
# before it can run a task: far slower. Forkserver forks each child from a
# server process started once. A pool pays that cost once per worker; after
# that, a task is only a message to a worker and its result a message back. One
# process per task pays it for every task, so the ratio grows with the number
# of tasks, and most under spawn, the default on macOS and Windows. With no
# more tasks than CPUs the pool gains little or nothing: it starts as many
# processes or more. Both ways run at most as many tasks at once as there are
# CPUs, so the figure shows the cost of starting processes, not a speed-up from
# more CPUs.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    ax.axhline(1, color="grey", linestyle="--", linewidth=1)
    for method, marker in zip(METHODS, "osD", strict=False):
        ratios = [
            per_task[method, count] / pooled[method, count] for count in COUNTS
        ]
        ax.plot(COUNTS, ratios, marker=marker, label=repr(method))
    ax.set_xticks(COUNTS)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("number of tasks")
    ax.set_ylabel("process-per-task time / pool time")
    ax.legend(loc="upper left", title="start method")
    fig.suptitle("Short CPU-bound tasks: one process per task vs one pool")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {default!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
