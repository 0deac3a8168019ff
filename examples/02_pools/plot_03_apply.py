r"""
Blocking tasks with Pool.apply
==============================

:meth:`~multiprocessing.pool.Pool.apply` hands one task to the pool and
waits until it has finished, then returns its result. The parent submits the
next task only after that, so however many workers the pool has, one task
runs at a time: the same nine tasks as in the ``apply_async`` lesson now take
nine seconds instead of three.

Quick reference:

>>> from multiprocessing import Pool
>>> with Pool(processes=2) as pool:
...     pool.apply(pow, (2, 10))
1024
"""

# %%
# The task
# --------
#
# The same worker as in the ``apply_async`` lesson: it prints when it starts
# and when it ends, sleeps one second, and returns its timings.
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
# One task at a time
# ------------------
#
# Each ``apply`` call returns only when its task is done, so every ``start``
# line is followed by its own ``end`` line before the next task begins.
#
# ``apply`` cannot be given a timeout. In your own code,
# ``pool.apply_async(f, args).get(timeout=...)`` blocks in the same way but
# gives up instead of hanging if a worker never answers.
if __name__ == "__main__":
    t0 = time.time()
    pool = multiprocessing.Pool(processes=3)
    tasks = []
    for i in range(1, 10):
        msg = f"hello{i}"
        tasks.append(pool.apply(func=worker, args=(msg,)))
    pool.close()
    pool.join()
    total = time.time() - t0
    print("main end")

# %%
# Three workers were available, but they took turns:
if __name__ == "__main__":
    print(f"measured: {total:.2f} s, ideal: 9 s")

# %%
# The timeline
# ------------
#
# The timeline, drawn from the times the workers measured in this run, shows
# one task at a time, handed to whichever worker took it from the queue.
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
    ax.axvline(9, color="grey", linestyle="--", label="ideal: 9 s", zorder=3)
    ax.set_yticks(range(len(pids)), [f"pid {pid}" for pid in pids])
    ax.set_xlabel("seconds since the pool was created")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    fig.suptitle("Pool.apply: nine 1-second tasks, one at a time")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
