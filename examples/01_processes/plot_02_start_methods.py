r"""
Choose a start method
=====================

multiprocessing can start a child in three ways: *fork* copies the parent,
*spawn* starts a fresh Python interpreter, and *forkserver* asks a clean
server process to fork one. The start method decides what the child
inherits from the parent and how long it takes to start.

Quick reference:

>>> import multiprocessing
>>> "spawn" in multiprocessing.get_all_start_methods()
True
>>> ctx = multiprocessing.get_context("spawn")
>>> ctx.get_start_method()
'spawn'
>>> with ctx.Pool(processes=1) as pool:
...     pool.apply_async(abs, (-3,)).get(timeout=10)
3
"""

# %%
# ``GREETING`` is set when the module is imported. ``worker`` sends back the
# value it sees in the child; ``noop`` does nothing, so timing it measures
# only the cost of starting and joining a process.
import multiprocessing
import os
import threading
import time
import warnings

GREETING = "set when the module is imported"


def worker(queue):
    queue.put(GREETING)


def noop():
    pass


# %%
# The three start methods
# -----------------------
#
# The methods this platform offers, and the default one. *fork* (POSIX only)
# copies the running parent with :func:`os.fork`. *spawn* starts a new
# interpreter, which imports the main module and unpickles the target.
# *forkserver* (POSIX only) starts a server the same way once, then forks
# each child from it. The default is fork on Linux and the other POSIX
# systems up to Python 3.13. From 3.14 it is forkserver on the POSIX
# platforms but macOS, where the platform can pass file descriptors between
# processes and a temporary directory is writable, and spawn otherwise
# (gh-84559, gh-155717: ``_get_platform_default_context`` in
# ``Lib/multiprocessing/context.py``). It is spawn on macOS since Python 3.8;
# Windows only has spawn. From 3.14,
# :func:`~multiprocessing.get_all_start_methods` also lists the default
# first. The lines below say which one this run had.
if __name__ == "__main__":
    print(f"available: {multiprocessing.get_all_start_methods()}")
    print(f"default:   {multiprocessing.get_start_method()!r}")

# %%
# Choose one: a context or the default
# ------------------------------------
#
# :func:`multiprocessing.get_context` returns a context object for one
# method: its ``Process``, ``Pool`` and ``Queue`` use that method, and the
# global default stays as it was. :func:`multiprocessing.set_start_method`
# changes the default instead, but only once, inside the
# ``if __name__ == "__main__":`` guard and before anything uses the default.
# The :func:`multiprocessing.get_start_method` call above already fixed it, so
# setting it now, even to the same method, raises unless you pass
# ``force=True``:
if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    print(f"context: {ctx.get_start_method()!r}")
    print(f"default: {multiprocessing.get_start_method()!r}")
    try:
        multiprocessing.set_start_method(multiprocessing.get_start_method())
    except RuntimeError as error:
        print(f"RuntimeError: {error}")

# %%
# What the child inherits
# -----------------------
#
# The parent changes ``GREETING`` and then starts one child per method. A
# forked child is a copy of the parent's memory, so it sees the new value.
# A spawn child imports the module afresh and runs only its top level, not
# the guarded code, so it sees the value set at import. So does a forkserver
# child, for a version-dependent reason: up to Python 3.13.7 and 3.14.0 each
# forkserver child imports the main module again itself; from 3.13.8 and
# 3.14.1 the fork server imports it once and forks every child from that copy
# (gh-126631).
if __name__ == "__main__":
    GREETING = "changed by the parent"
    for method in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context(method)
        queue = ctx.Queue()
        p = ctx.Process(target=worker, args=(queue,))
        p.start()
        seen = queue.get(timeout=10)
        p.join(timeout=10)
        print(f"{method}: the child saw {seen!r}")

# %%
# Fork and threads
# ----------------
#
# ``fork()`` copies only the thread that calls it. A lock held by another
# thread at that moment stays locked for ever in the child, which can then
# deadlock. From Python 3.12 on, forking a process that runs other threads
# emits a ``DeprecationWarning``; 3.10 and 3.11 fork silently. Here a
# thread sleeps while a fork child starts (where fork exists):
if (
    __name__ == "__main__"
    and "fork" in multiprocessing.get_all_start_methods()
):
    thread = threading.Thread(target=time.sleep, args=(0.3,))
    thread.start()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        p = multiprocessing.get_context("fork").Process(target=noop)
        p.start()
    p.join(timeout=10)
    thread.join(timeout=10)
    for warning in caught:
        print(f"{warning.category.__name__}: {warning.message}")
    if not caught:
        print("no warning was emitted")

# %%
# How long starting a process takes
# ---------------------------------
#
# How long ``start()`` plus ``join()`` of a child that does nothing takes,
# eight times per method. fork copies the running parent and is the
# cheapest. forkserver asks the server (running since the ``GREETING`` cell)
# to fork, then sends the child its task through a pipe, and before 3.13.8 and
# 3.14.1 the child also imports the main module again. spawn starts a new
# interpreter, with its imports, every time. Modules that every child needs
# can be imported once in the fork server with
# :func:`multiprocessing.set_forkserver_preload` (see
# :ref:`sphx_glr_lessons_04_in_practice_plot_09_programs_that_ship.py`).
if __name__ == "__main__":
    timings = {}
    for method in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context(method)
        timings[method] = []
        for _ in range(8):
            started = time.perf_counter()
            p = ctx.Process(target=noop)
            p.start()
            p.join(timeout=10)
            timings[method].append((time.perf_counter() - started) * 1000)
        ms = sorted(timings[method])
        print(f"{method}: {ms[0]:.1f} to {ms[-1]:.1f} ms")

# %%
# The median of the eight runs per method, with a bar from the fastest to the
# slowest; the grey dots on its left are the single runs. The y axis is
# logarithmic, because spawn is usually many times slower than the others.
if __name__ == "__main__":
    import platform
    import statistics

    import matplotlib.pyplot as plt
    from matplotlib.ticker import LogLocator, NullFormatter

    methods = list(timings)
    medians = [statistics.median(timings[method]) for method in methods]
    spread = [
        [
            median - min(timings[m])
            for m, median in zip(methods, medians, strict=True)
        ],
        [
            max(timings[m]) - median
            for m, median in zip(methods, medians, strict=True)
        ],
    ]
    # The same colour for a start method in every figure of these lessons.
    COLOURS = {"fork": "C0", "spawn": "C1", "forkserver": "C2"}
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    for x, method in enumerate(methods):
        ax.plot(
            [x - 0.1] * len(timings[method]),
            timings[method],
            ".",
            color="grey",
        )
        ax.errorbar(
            x,
            medians[x],
            yerr=[[spread[0][x]], [spread[1][x]]],
            fmt="o",
            capsize=6,
            color=COLOURS[method],
        )
    for x, median in enumerate(medians):
        label = f"{median:.1f} ms"
        ax.annotate(
            label, (x, median), xytext=(10, 0), textcoords="offset points"
        )
    ax.set_xticks(range(len(methods)), [repr(method) for method in methods])
    ax.set_xlim(-0.5, len(methods) - 0.5)
    ax.set_yscale("log")
    # Labels at 1, 2 and 5 of each power of ten, and none between.
    ax.yaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
    ax.yaxis.set_major_formatter("{x:g}")
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylabel("milliseconds")
    fig.suptitle("Time to start and join a process that does nothing")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
