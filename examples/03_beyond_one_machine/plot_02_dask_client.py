r"""
From a pool to a Dask cluster
=============================

`Dask distributed <https://distributed.dask.org/>`_ runs tasks on worker
processes that may live on other machines: a *scheduler* hands out the
tasks, *workers* run them, and a ``Client`` in your script sends them. The
client offers ``submit``, ``map`` and ``gather``, and a
:class:`concurrent.futures.Executor`, so the step from a
:class:`~multiprocessing.pool.Pool` is small.

Quick reference:

>>> from dask.distributed import Client
>>> with Client(
...     n_workers=1, threads_per_worker=1, dashboard_address=None
... ) as client:
...     print(client.submit(pow, 2, 10).result(timeout=30))
1024
"""

# %%
# The tasks
# ---------
#
# The same job as in the pool lessons: ``slow_square`` stands for a task
# that takes a while. ``squares_with`` runs it on any
# :class:`concurrent.futures.Executor` it is given.
import multiprocessing
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor


def slow_square(x):
    time.sleep(0.1)
    return x * x


def nap(seconds):
    time.sleep(seconds)
    return seconds


def squares_with(executor):
    return list(executor.map(slow_square, range(6), timeout=30))


# %%
# Connect a client
# ----------------
#
# By default the script starts a ``LocalCluster`` here:
# a scheduler and two worker processes of one thread each, like
# ``Pool(2)``. If the environment variable ``DASK_SCHEDULER_ADDRESS`` names
# a running scheduler, for example ``tcp://10.0.0.5:8786``, ``Client()``
# connects to it instead (Dask reads that variable itself), and every
# other line of this script stays the same.
if __name__ == "__main__":
    from dask.distributed import Client

    if os.environ.get("DASK_SCHEDULER_ADDRESS"):
        client = Client(timeout=30)
        where = "the scheduler named by DASK_SCHEDULER_ADDRESS"
    else:
        client = Client(
            n_workers=2,
            threads_per_worker=1,
            dashboard_address="127.0.0.1:8787",
        )
        where = "a LocalCluster this script started"
    client.wait_for_workers(1, timeout=30)
    print(f"connected to {client.scheduler.address}, {where}")
    client.get_task_stream()  # the scheduler records tasks once asked for them

# %%
# The same job three ways
# -----------------------
#
# ``client.map`` returns one Dask future per item
# at once; Dask's `wait
# <https://distributed.dask.org/en/stable/api.html#distributed.wait>`__
# waits for them with a timeout, and ``client.gather`` brings the results
# back, in the order of the input.
if __name__ == "__main__":
    from dask.distributed import wait

    numbers = list(range(8))
    with multiprocessing.Pool(2) as pool:
        print(
            "Pool.map:           ",
            pool.map_async(slow_square, numbers).get(timeout=30),
        )
    with ProcessPoolExecutor(2) as executor:
        print(
            "executor.map:       ",
            list(executor.map(slow_square, numbers, timeout=30)),
        )
    futures = client.map(slow_square, numbers)
    wait(futures, timeout=30)
    print("client.map + gather:", client.gather(futures))

# %%
# Futures that feed futures
# -------------------------
#
# ``client.submit`` starts one task, like ``apply_async``. A future can be
# the argument of another task: the scheduler runs ``sum`` once the
# squares exist, on a worker that fetches them from the other workers, so
# the squares never travel through this script. Only the total comes back.
if __name__ == "__main__":
    total = client.submit(sum, futures)
    print("sum of the squares:", total.result(timeout=30))
    print("status of one square's future:", futures[0].status)

# %%
# Dask's `as_completed
# <https://distributed.dask.org/en/stable/api.html#distributed.as_completed>`__
# yields futures as they finish, like
# :func:`concurrent.futures.as_completed`; with two workers the shortest
# nap comes back first. Its ``timeout`` bounds the whole loop.
if __name__ == "__main__":
    from dask.distributed import as_completed

    naps = client.map(nap, [0.9, 0.1, 0.3])
    print(
        "finished in this order:",
        [f.result() for f in as_completed(naps, timeout=30)],
    )

# %%
# An Executor on the cluster
# --------------------------
#
# ``client.get_executor()`` is a :class:`concurrent.futures.Executor`: code
# written for a :class:`~concurrent.futures.ProcessPoolExecutor` runs on
# the cluster unchanged.
if __name__ == "__main__":
    with ProcessPoolExecutor(2) as executor:
        print("ProcessPoolExecutor:", squares_with(executor))
    print("client.get_executor():", squares_with(client.get_executor()))

# %%
# The dashboard and the task stream
# ---------------------------------
#
# While the client is connected, the scheduler serves a dashboard (it
# needs the ``bokeh`` package): a live view of every worker's tasks, its
# memory, and the progress of each batch of futures. The scheduler also
# tells the client who its workers are.
if __name__ == "__main__":
    print("dashboard:", client.dashboard_link)
    workers = client.scheduler_info()["workers"].values()
    for worker in sorted(workers, key=lambda w: str(w["name"])):
        print(f"worker {worker['name']!r}: {worker['nthreads']} thread(s)")

# %%
# The dashboard's "Task Stream" plot shows which worker ran each task, and
# when. ``client.get_task_stream()`` returns the same records, which draw
# it here for this run's Dask tasks (the pool's and the
# ``ProcessPoolExecutor``'s are not Dask's). A task too short to show as a
# bar is marked with a line.
if __name__ == "__main__":
    import matplotlib.pyplot as plt
    from dask.utils import key_split
    from matplotlib.patches import Patch

    stream = client.get_task_stream()
    workers = sorted({task["worker"] for task in stream})
    kinds = sorted({key_split(task["key"]) for task in stream})
    spans = [
        (
            workers.index(task["worker"]),
            kinds.index(key_split(task["key"])),
            span,
        )
        for task in stream
        for span in task["startstops"]
        if span["action"] == "compute"
    ]
    t0 = min(span["start"] for _, _, span in spans)
    visible = (max(span["stop"] for _, _, span in spans) - t0) / 200
    fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
    for lane, kind, span in spans:
        seconds = span["stop"] - span["start"]
        ax.barh(
            lane,
            seconds,
            left=span["start"] - t0,
            height=0.6,
            color=f"C{kind}",
            edgecolor="w",
        )
        if seconds < visible:
            ax.plot(
                span["start"] - t0, lane, "|", color=f"C{kind}", ms=24, mew=2
            )
    ax.set_yticks(range(len(workers)), [w.split("://")[-1] for w in workers])
    ax.set_xlabel("seconds since the first task started")
    counts = [sum(k == i for _, k, _ in spans) for i in range(len(kinds))]
    handles = [
        Patch(color=f"C{i}", label=f"{kind} ×{count}")
        for i, (kind, count) in enumerate(zip(kinds, counts, strict=True))
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    fig.suptitle("Dask task stream: this run's tasks on each worker")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# Closing the client also closes a ``LocalCluster`` it started; a remote
# cluster keeps running for its next client. Now and then, on a busy
# machine, a worker of the closing cluster logs ``Failed to communicate
# with scheduler during heartbeat`` and a traceback that ends in
# ``CommClosedError``: the worker closed its connections while one of its
# heartbeats (its regular "still here" to the scheduler) waited for an
# answer. Every result is in by then; it is a known race inside Dask
# (`dask/distributed#7105
# <https://github.com/dask/distributed/issues/7105>`__), not a fault of the
# script.
if __name__ == "__main__":
    client.close(timeout=30)
    print("client closed")
