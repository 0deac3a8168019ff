r"""
Show progress with tqdm
=======================

A progress bar for a pool counts results as they come back: the parent
process draws it, one step per finished task. With
:meth:`~multiprocessing.pool.Pool.imap_unordered` it moves as soon as any
task ends, and tqdm's ``process_map`` runs a process pool and its bar in one
call. tqdm is a third-party package: ``pip install tqdm``.

Quick reference:

>>> from multiprocessing import Pool
>>> from tqdm import tqdm
>>> with Pool(processes=2) as pool:
...     results = pool.imap_unordered(abs, [-1, -2, -3])
...     print(sorted(tqdm(results, total=3)))
[1, 2, 3]
>>> from tqdm.contrib.concurrent import process_map
>>> process_map(abs, [-1, -2, -3], max_workers=2)
[1, 2, 3]
"""

# %%
# ``work`` stands for a real task: it sleeps a tenth of a second and returns
# the square of its number.
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from tqdm import tqdm
from tqdm.contrib.concurrent import process_map


def work(n):
    time.sleep(0.1)
    return n * n


# %%
# Bars on this page
# -----------------
#
# tqdm draws on the standard error and redraws its line in place with
# carriage returns. For this page the bars go to the standard output, in
# plain ASCII, 60 columns wide, redrawn after every result, and
# ``disable=False`` keeps them on even where a ``TQDM_DISABLE`` environment
# variable would turn them off. In your own code, leave these options out.
if __name__ == "__main__":
    bar_options = dict(
        file=sys.stdout,
        ascii=True,
        ncols=60,
        mininterval=0,
        miniters=1,
        disable=False,
    )

# %%
# A bar over imap_unordered
# -------------------------
#
# ``imap_unordered`` yields each result as soon as a worker has it, and the
# parent moves the bar by one. The iterator has no length, so tqdm is told
# the ``total``. Here ``next(timeout=...)`` bounds every wait; the usual
# one-liner, ``for square in tqdm(pool.imap_unordered(work, items),
# total=len(items))``, does the same without a time limit.
if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        results = pool.imap_unordered(work, range(10))
        squares = []
        with tqdm(total=10, desc="imap_unordered", **bar_options) as bar:
            for _ in range(10):
                squares.append(results.next(timeout=10))
                bar.update()
    print("squares, in the order they finished:", squares)

# %%
# Pool and bar in one call
# ------------------------
#
# ``process_map`` from ``tqdm.contrib.concurrent`` does it all in one call:
# it runs the tasks in a :class:`~concurrent.futures.ProcessPoolExecutor`
# of ``max_workers`` processes, sends them ``chunksize`` tasks at a time, and
# passes the other keyword arguments to the bar. Like ``list(map(...))`` it
# returns every result, in input order. It waits for them without a time
# limit unless given ``timeout=``, which only recent tqdm releases accept.
if __name__ == "__main__":
    squares = process_map(
        work,
        range(10),
        max_workers=2,
        chunksize=1,
        desc="process_map",
        **bar_options,
    )
    print("squares, in input order:", squares)

# %%
# What a bar counts
# -----------------
#
# In a terminal each bar is one line, redrawn in place; on this page every
# redraw shows as a line of its own. Both bars count finished tasks, not
# work inside a task: a long task shows no progress until it ends. With a
# ``chunksize`` above 1, results come back a chunk at a time and the bar
# moves in jumps; tqdm 4.70's ``process_map`` even counts each chunk as one
# task (tqdm issue 1791), so its bar stops short of 100%.


# %%
# To see those jumps, ``finished_at`` works like ``work`` but returns the
# time its task ended. The parent runs it as ``process_map`` does, with
# :meth:`ProcessPoolExecutor.map <concurrent.futures.Executor.map>`, with
# ``chunksize=1`` and then 5, and notes when each result reaches it: the
# moment a bar would move by one.
def finished_at(n):
    time.sleep(0.1)
    return time.time()


if __name__ == "__main__":
    timelines = {}
    with ProcessPoolExecutor(max_workers=2) as executor:
        for chunksize in (1, 5):
            start = time.time()
            finished, seen = [], []
            for ended in executor.map(
                finished_at, range(10), chunksize=chunksize, timeout=10
            ):
                finished.append(ended - start)
                seen.append(time.time() - start)
            timelines[chunksize] = sorted(finished), seen

# %%
# The dotted lines count the tasks finished in the workers, the solid lines
# the results the parent received, which is what a bar shows. With
# ``chunksize=1`` the two stay close; with ``chunksize=5`` each worker
# sends its five results only when the last of them is done, and the bar
# stays still, then jumps.
if __name__ == "__main__":
    import os
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    counts = range(11)
    for line, (chunksize, (finished, seen)) in enumerate(timelines.items()):
        color = f"C{line}"
        ax.step(
            [0, *finished], counts, where="post", color=color, linestyle=":"
        )
        ax.step(
            [0, *seen],
            counts,
            where="post",
            color=color,
            label=f"chunksize={chunksize}",
        )
    ax.plot([], [], color="grey", linestyle=":", label="tasks finished")
    ax.plot([], [], color="grey", label="results received (the bar)")
    ax.set_xlabel("seconds since map() was called")
    ax.set_ylabel("tasks")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    fig.suptitle("Ten 0.1 s tasks on 2 workers: work done vs what a bar sees")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
