r"""
What travels to a Dask worker
=============================

A pool's workers are processes on your machine; a Dask cluster's workers
may be on other machines, and everything a task needs travels over the
network: the function, its arguments, and its result when you ask for it.
This lesson shows what is sent, what is not, and how ``scatter`` and data
locality avoid sending large data more than once.

Quick reference:

>>> from dask.distributed import Client
>>> with Client(
...     n_workers=1, threads_per_worker=1, dashboard_address=None
... ) as client:
...     [data] = client.scatter([list(range(1000))])
...     print(client.submit(sum, data).result(timeout=30))
499500
"""

# %%
# The tasks
# ---------
#
# ``size`` returns the length of what it gets, ``make_data``
# makes a large result on a worker, and ``where`` says which worker ran it
# and how large its input was, from inside the task.
import multiprocessing
import os
import platform
import time


def size(data):
    return len(data)


def make_data(megabytes):
    return bytes(megabytes * 1_000_000)


def where(data):
    from dask.distributed import get_worker

    return get_worker().address, len(data)


# %%
# Connect
# -------
#
# Connect as in the previous lesson: a ``LocalCluster`` of two worker
# processes, or the scheduler named by ``DASK_SCHEDULER_ADDRESS``.
if __name__ == "__main__":
    from dask.distributed import Client, wait

    if os.environ.get("DASK_SCHEDULER_ADDRESS"):
        client = Client(timeout=30)
    else:
        client = Client(
            n_workers=2, threads_per_worker=1, dashboard_address=None
        )
    client.wait_for_workers(1, timeout=30)
    print("connected to", client.scheduler.address)

# %%
# The function travels
# --------------------
#
# The function travels with the task. Dask pickles functions defined in
# your script with ``cloudpickle``, by value, so a worker on another
# machine needs neither your file nor an importable module, and even a
# ``lambda`` works, which :mod:`pickle` refuses for a
# :class:`~multiprocessing.pool.Pool`. Libraries the function imports must
# be installed on the workers.
if __name__ == "__main__":
    print(
        "a lambda on the cluster:",
        client.submit(lambda x: x + 1, 41).result(timeout=30),
    )

# %%
# Arguments travel with every task
# --------------------------------
#
# Arguments travel with every task. Ten tasks given the same 8 MB of bytes
# send those bytes ten times from this script. ``client.scatter`` sends
# them once and returns a future; tasks given the future get the data
# straight from the worker that holds it.
if __name__ == "__main__":
    payload = bytes(8_000_000)
    start = time.perf_counter()
    futures = [client.submit(size, payload, pure=False) for _ in range(10)]
    wait(futures, timeout=60)
    sent_each_time = time.perf_counter() - start

    start = time.perf_counter()
    [scattered] = client.scatter([payload])
    futures = [client.submit(size, scattered, pure=False) for _ in range(10)]
    wait(futures, timeout=60)
    sent_once = time.perf_counter() - start
    print(f"8 MB sent with each of 10 tasks: {sent_each_time:.2f} s")
    print(f"8 MB scattered once, 10 tasks:   {sent_once:.2f} s")
    print("lengths the tasks saw:", set(client.gather(futures)))

# %%
# The two times side by side.
if __name__ == "__main__":
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 2.4), layout="constrained")
    ways = ["sent with each task", "scattered once"]
    rows = range(len(ways))
    bars = ax.barh(rows, [sent_each_time, sent_once], color=["C3", "C0"])
    ax.set_yticks(rows, ways)
    ax.bar_label(bars, fmt="%.2f s", padding=4)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.25 * max(sent_each_time, sent_once))
    ax.set_xlabel("seconds for 10 tasks that each read the same 8 MB")
    fig.suptitle("Dask: 8 MB for 10 tasks, sent 10 times or scattered once")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# Results stay where they were made
# ---------------------------------
#
# Results stay where they were made. ``make_data`` returns 20 MB, which
# stays on its worker; ``client.who_has`` tells which. A task that needs
# it is run on that worker, because moving the task is cheaper than moving
# the data, and nothing passes through this script.
if __name__ == "__main__":
    data = client.submit(make_data, 20)
    wait([data], timeout=30)
    [holder] = client.who_has([data])[data.key]
    ran_on, length = client.submit(where, data).result(timeout=30)
    print(f"the 20 MB result is on {holder}")
    print(f"the task that used it ran on the same worker: {ran_on == holder}")

# %%
# Releasing a result
# ------------------
#
# Only ``result()`` or ``gather`` brings a result back to the script.
# Releasing the last future of a result frees it on the worker; the
# scheduler then forgets the key.
if __name__ == "__main__":
    key = data.key
    del data
    time.sleep(0.5)  # the release reaches the scheduler asynchronously
    print("still held by a worker after del:", bool(client.who_has().get(key)))
    client.close(timeout=30)
