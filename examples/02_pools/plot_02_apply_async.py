r"""
Non-blocking tasks with Pool.apply_async
========================================

A :class:`~multiprocessing.pool.Pool` keeps a fixed number of worker
processes. :meth:`~multiprocessing.pool.Pool.apply_async` hands a task to the
pool and returns at once, so the parent can submit more: up to ``processes``
tasks run at the same time, and the rest wait in the pool's queue until a
worker is free.

Quick reference:

>>> from multiprocessing import Pool
>>> with Pool(processes=2) as pool:
...     result = pool.apply_async(pow, (2, 10))
...     result.get(timeout=10)
1024
"""

# %%
# The task
# --------
#
# Each task prints a line when it starts and when it ends, sleeps one second
# in between, and returns its message, its worker's process ID and its start
# and end times for the figure below. ``flush=True`` sends each line out at
# once, even when the output goes to a file or a pipe rather than a terminal.
import multiprocessing
import os
import time


def worker(msg):
    started = time.time()
    print(f"#######start {msg}########", flush=True)
    time.sleep(1)
    print(f"#######end   {msg}########", flush=True)
    return msg, os.getpid(), started, time.time()


# %%
# Three workers, nine tasks
# -------------------------
#
# Three worker processes, nine tasks. ``apply_async`` returns an
# :class:`~multiprocessing.pool.AsyncResult` immediately, so all nine tasks
# are queued before the first one ends. ``close()`` says no more tasks will
# come; ``join()`` then waits for the workers to finish and exit.
#
# ``join()`` has no timeout, so we first collect every result with
# ``get(timeout=...)``: it gives up instead of hanging, and it re-raises any
# exception a task raised, which ``apply_async`` would otherwise keep silent.
if __name__ == "__main__":
    t0 = time.time()
    pool = multiprocessing.Pool(processes=3)
    results = []
    for i in range(1, 10):
        msg = f"hello{i}"
        results.append(pool.apply_async(func=worker, args=(msg,)))
    pool.close()
    tasks = [result.get(timeout=30) for result in results]
    pool.join()
    total = time.time() - t0
    print("main end")

# %%
# The three workers started the first three tasks together; each time a task
# ended, its worker took the next one from the queue. Nine one-second tasks on
# three workers need at least three seconds:
if __name__ == "__main__":
    print(f"measured: {total:.2f} s, ideal: 3 s")

# %%
# The timeline
# ------------
#
# The timeline below was drawn from the times the workers measured in this
# run: one lane per worker process, one bar per task. Matplotlib is imported
# under the guard, so worker processes never pay for importing it.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    pids = sorted({pid for _, pid, _, _ in tasks})
    fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
    for msg, pid, start, end in tasks:
        lane = pids.index(pid)
        ax.barh(
            lane,
            end - start,
            left=start - t0,
            height=0.6,
            color=f"C{lane}",
            edgecolor="w",
        )
        ax.text(
            (start + end) / 2 - t0,
            lane,
            msg,
            ha="center",
            va="center",
            color="w",
        )
    ax.axvline(total, color="black", label=f"measured: {total:.2f} s")
    ax.axvline(3, color="grey", linestyle="--", label="ideal: 3 s", zorder=3)
    ax.set_yticks(range(len(pids)), [f"pid {pid}" for pid in pids])
    ax.set_xlabel("seconds since the pool was created")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    fig.suptitle(
        "Pool.apply_async: nine 1-second tasks on three worker processes"
    )
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# close() before join()
# ---------------------
#
# ``join()`` only waits for workers that have been told to stop, so calling
# it before ``close()`` (or ``terminate()``) is an error:
if __name__ == "__main__":
    with multiprocessing.Pool(processes=3) as pool:
        try:
            pool.join()
        except ValueError as error:
            print(f"ValueError: {error}")
