r"""
A word count program
====================

A complete small program in the MapReduce style: it counts the names used
in the Python standard library's own source files. Worker processes of a
pool *map* the files, in batches, to ``collections.Counter`` objects; the
parent *reduces* them to one by adding them up, printing its progress on
the way. Every wait has a timeout, and the same files are then counted by a
plain loop, to see whether the pool gained anything.

Quick reference:

>>> from collections import Counter
>>> from multiprocessing import Pool
>>> texts = [["to", "be", "or"], ["not", "to", "be"]]
>>> with Pool(processes=2) as pool:
...     counters = pool.map_async(Counter, texts).get(timeout=30)
>>> sum(counters, Counter()).most_common(2)
[('to', 2), ('be', 2)]
"""

# %%
# The program
# -----------
#
# The map step. ``source_files`` lists the first ``FILES`` ``.py`` files
# under the standard library's folder, in sorted order. ``count_names``
# reads one with ``tokenize``, the module Python's own tools use, and counts
# its names (identifiers, not keywords); for a file that is not valid Python
# it returns ``None``. ``count_batch`` maps a batch of files and adds their
# counts up in the worker (a *combiner*, in MapReduce terms): what goes back
# to the parent is one ``Counter`` per batch, never a file's text. The
# functions are defined at the top level, so that worker processes can
# import them.
import collections
import keyword
import multiprocessing
import os
import time
import tokenize

STDLIB = os.path.dirname(os.__file__)
FILES = 600
BATCH = 10  # files per task
TIMEOUT = 60  # seconds to wait for any one result


def source_files(folder=STDLIB, limit=FILES):
    paths = []
    for root, folders, files in os.walk(folder):
        skip = ("site-packages", "__pycache__")
        folders[:] = [name for name in folders if name not in skip]
        paths += [os.path.join(root, f) for f in files if f.endswith(".py")]
    return sorted(paths)[:limit]


def count_names(path):
    try:
        with tokenize.open(path) as file:
            tokens = list(tokenize.generate_tokens(file.readline))
    except (OSError, SyntaxError, UnicodeDecodeError, tokenize.TokenError):
        return None
    names = (token.string for token in tokens if token.type == tokenize.NAME)
    return collections.Counter(n for n in names if not keyword.iskeyword(n))


def count_batch(paths):
    total, skipped = collections.Counter(), 0
    for path in paths:
        counts = count_names(path)
        if counts is None:
            skipped += 1
        else:
            total.update(counts)
    return len(paths), skipped, total


# %%
# The reduce step, in the parent. ``count_in_pool`` sends the batches to a
# pool with :meth:`~multiprocessing.pool.Pool.imap_unordered`, which hands
# back each result as soon as it is ready, adds each ``Counter`` to the
# total and prints a line at every hundredth file. The batches are its
# chunks: 60 tasks instead of 600, yet small enough to keep every worker
# busy to the end and the progress lines coming. They are made here rather
# than with imap_unordered's ``chunksize``, because only with
# ``chunksize=1`` does the iterator's ``next()`` take a timeout; with a
# larger one, imap_unordered returns a plain generator. If no batch comes
# back within ``TIMEOUT`` seconds, ``next()`` raises
# :exc:`multiprocessing.TimeoutError` in the parent instead of waiting for
# ever, and leaving the ``with`` block stops the workers. ``count_in_loop``
# does the same work in this process.
def count_in_pool(paths, processes, every=100):
    total, skipped, done, finished = collections.Counter(), 0, 0, []
    batches = [paths[i : i + BATCH] for i in range(0, len(paths), BATCH)]
    started = time.perf_counter()
    with multiprocessing.Pool(processes) as pool:
        results = pool.imap_unordered(count_batch, batches)
        for _ in batches:
            files, skipped_here, counts = results.next(timeout=TIMEOUT)
            total.update(counts)
            skipped += skipped_here
            done += files
            finished.append((time.perf_counter() - started, done))
            passed = (
                done // every > (done - files) // every if every else False
            )
            if passed or (every and done == len(paths)):
                print(f"{done} of {len(paths)} files")
    return total, skipped, finished


def count_in_loop(paths):
    total, skipped, finished = collections.Counter(), 0, []
    started = time.perf_counter()
    for done, path in enumerate(paths, 1):
        counts = count_names(path)
        if counts is None:
            skipped += 1
        else:
            total.update(counts)
        finished.append((time.perf_counter() - started, done))
    return total, skipped, finished


# %%
# ``main`` puts the program together; call it with another folder or limit
# to reuse it. ``most_common`` breaks ties between names alphabetically, so
# the ranking does not depend on the order the batches finished in.
def most_common(total, n):
    """The ``n`` commonest names, ties in alphabetical order."""
    return sorted(total.items(), key=lambda item: (-item[1], item[0]))[:n]


def main(folder=STDLIB, limit=FILES, processes=None):
    paths = source_files(folder, limit)
    print(f"counting the names in {len(paths)} files")
    total, skipped, finished = count_in_pool(paths, processes)
    print(f"{sum(total.values())} names, {len(total)} different;", end=" ")
    print(f"{skipped} files skipped; {finished[-1][0]:.2f} s")
    top = most_common(total, 10)
    width = max(len(name) for name, _ in top)
    for rank, (name, count) in enumerate(top, 1):
        print(f"{rank:2}. {name:<{width}} {count:6}")
    return paths, total


# %%
# The run
# -------
#
# The guard runs ``main`` with a worker per CPU this process may use, as
# the pool would choose itself: :func:`os.process_cpu_count` from Python
# 3.13, :func:`os.cpu_count` before. The progress lines come in order,
# whatever order the files finish in, because the parent counts the results
# it has received. The counts do not depend on that order either: with one
# Python installation, the same files give the same totals and the same
# ranking.
if __name__ == "__main__":
    cpus = getattr(os, "process_cpu_count", os.cpu_count)()
    paths, total = main(processes=cpus)

# %%
# The 20 commonest names and their counts, as bars.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    top = most_common(total, 20)
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    ax.barh(range(len(top)), [count for _, count in top])
    ax.set_yticks(range(len(top)), [repr(name) for name, _ in top], fontsize=8)
    ax.invert_yaxis()
    for y, (_, count) in enumerate(top):
        ax.annotate(
            str(count),
            (count, y),
            xytext=(3, 0),
            fontsize=8,
            textcoords="offset points",
            va="center",
        )
    ax.set_xlim(0, top[0][1] * 1.12)
    ax.set_xlabel("occurrences")
    files = len(paths)
    fig.suptitle(f"The {len(top)} most used names in {files} stdlib files")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# Pool or plain loop?
# -------------------
#
# The same files, counted once more by a plain loop in this process and
# once more by the pool, now without progress lines. Both runs read files
# the first run has just read, so the operating system serves them from
# memory to both alike. The pool's time includes starting its worker
# processes and pickling each ``Counter`` back to the parent; the loop pays
# neither. The last line gives the pool's speed-up over the loop on this
# machine: above 1 the pool was faster, below 1 slower.
if __name__ == "__main__":
    loop_total, _, loop_finished = count_in_loop(paths)
    pool_total, _, pool_finished = count_in_pool(paths, cpus, every=0)
    loop_time, pool_time = loop_finished[-1][0], pool_finished[-1][0]
    print(f"plain loop: {loop_time:.2f} s")
    print(f"pool of {cpus} processes: {pool_time:.2f} s")
    print("same counts in all three runs:", loop_total == pool_total == total)
    print(f"speed-up of the pool over the loop: {loop_time / pool_time:.2f}")

# %%
# Files counted over time in the two runs. The slope of each line is its
# rate in files per second. The pool's line starts later: its workers must
# start first, and its first result is a whole batch.
if __name__ == "__main__":
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    for label, finished, color in [
        ("plain loop", loop_finished, "0.45"),
        (f"pool of {cpus} processes", pool_finished, "C0"),
    ]:
        seconds, done = zip(*finished, strict=True)
        rate = done[-1] / seconds[-1]
        label = f"{label}: {rate:.0f} files/s"
        ax.step(
            [0, *seconds], [0, *done], where="post", color=color, label=label
        )
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("seconds")
    ax.set_ylabel("files counted")
    ax.legend(loc="lower right")
    fig.suptitle("Counting the same files: pool against plain loop")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
