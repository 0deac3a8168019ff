r"""
What a scheduler costs
======================

The same job on a :class:`~multiprocessing.pool.Pool`, a
:class:`~concurrent.futures.ProcessPoolExecutor` and a Dask cluster, each
with two workers: one second of computing, cut into 1000, 100 or 10
tasks. The figure shows what each way adds to the ideal time, and when a
cluster's scheduler is worth its cost.

Quick reference:

>>> import time
>>> def burn(seconds):
...     end = time.perf_counter() + seconds
...     while time.perf_counter() < end:
...         pass
...     return seconds
...
>>> start = time.perf_counter()
>>> burn(0.01)
0.01
>>> time.perf_counter() - start >= 0.01
True
"""

# %%
# The task
# --------
#
# ``burn`` keeps a CPU busy for the seconds it is given, so every task
# costs the same whatever runs it. The three ways to run a job each use
# their own ``map`` as it is by default.
import multiprocessing
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor

WORKERS = 2
WORK = 1.0  # seconds of computing in every job
TASKS = (1000, 100, 10)


def burn(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
    return seconds


def on_pool(pool, tasks):
    return pool.map_async(burn, tasks).get(timeout=120)


def on_executor(executor, tasks):
    return list(executor.map(burn, tasks, timeout=120))


def on_dask(client, tasks):
    from dask.distributed import wait

    futures = client.map(burn, tasks, pure=False)
    wait(futures, timeout=120)
    return client.gather(futures)


def wall_time(run, engine, tasks):
    run(engine, [0.0] * WORKERS * 4)  # start every worker before timing
    start = time.perf_counter()
    assert sum(run(engine, tasks)) > 0
    return time.perf_counter() - start


# %%
# A pool and an executor
# ----------------------
#
# The pool and the executor run the three jobs, 1000, 100 and 10 tasks, on
# workers already started: the timings leave out the start of the workers.
if __name__ == "__main__":
    jobs = [[WORK / n] * n for n in TASKS]
    times = {}
    with multiprocessing.Pool(WORKERS) as pool:
        times["Pool"] = [wall_time(on_pool, pool, tasks) for tasks in jobs]
    with ProcessPoolExecutor(WORKERS) as executor:
        times["ProcessPoolExecutor"] = [
            wall_time(on_executor, executor, t) for t in jobs
        ]

# %%
# A Dask cluster
# --------------
#
# The cluster runs the same jobs: a ``LocalCluster`` of two worker
# processes, or the scheduler named by ``DASK_SCHEDULER_ADDRESS`` (see the
# previous lessons). Its start is timed, then left out like the pool's.
if __name__ == "__main__":
    from dask.distributed import Client

    start = time.perf_counter()
    if os.environ.get("DASK_SCHEDULER_ADDRESS"):
        client = Client(timeout=30)
        client.wait_for_workers(1, timeout=30)
    else:
        client = Client(
            n_workers=WORKERS, threads_per_worker=1, dashboard_address=None
        )
    print(f"the cluster was ready in {time.perf_counter() - start:.2f} s")
    with client:
        threads = sum(
            w["nthreads"] for w in client.scheduler_info()["workers"].values()
        )
        times[f"Dask, {threads} worker threads"] = [
            wall_time(on_dask, client, tasks) for tasks in jobs
        ]

# %%
# The cost per task
# -----------------
#
# The wall time of each job, and what each way adds to every task when
# tasks are short: the time beyond the ideal, divided by the tasks.
if __name__ == "__main__":
    ideal = WORK / WORKERS
    for name, seconds in times.items():
        extra = (seconds[0] - ideal) / TASKS[0] * 1000
        print(f"{name}: " + ", ".join(f"{s:.2f} s" for s in seconds))
        print(
            f"    {extra:.2f} ms of wall time per task beyond the ideal,"
            " at 1 ms a task"
        )


# %%
# With 1000 tasks of 1 ms, ``Pool.map`` sends them in chunks (see
# :ref:`sphx_glr_lessons_02_pools_plot_05_chunksize.py`) and stays near the
# ideal; the executor sends them one at a time; Dask's scheduler decides
# every task, and each goes to a worker and back over TCP: the time per
# task printed above. With 10 tasks of 100 ms, all three are near the
# ideal, though ``Pool.map``'s chunks of two tasks can leave one worker
# idle at the end. On one machine a cluster only costs; it pays off when
# tasks are long enough to hide the scheduler and it brings more
# machines' cores and memory, or the data already lives on its workers.
if __name__ == "__main__":
    import dask
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    width = 0.8 / len(times)
    for i, (name, seconds) in enumerate(times.items()):
        positions = [j + (i - 1) * width for j in range(len(TASKS))]
        ax.bar(positions, seconds, width, label=name)
    ax.axhline(WORK / WORKERS, color="grey", linestyle="--", label="ideal")
    ax.set_xticks(
        range(len(TASKS)),
        [f"{n} tasks of {WORK / n * 1000:g} ms" for n in TASKS],
    )
    ax.set_ylabel("wall time (s)")
    ax.legend(loc="upper right")
    fig.suptitle("One second of computing on two workers, cut into tasks")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
        f" · dask {dask.__version__}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
