r"""
Threads or processes
====================

:class:`~multiprocessing.pool.ThreadPool` has the same API as
:class:`~multiprocessing.pool.Pool` but runs its workers as threads of the
parent process (``multiprocessing.dummy.Pool()`` returns one too). This lesson
times both on work that computes and on work that waits, and shows which kind
of worker speeds up which kind of work.

Quick reference:

>>> from multiprocessing.pool import ThreadPool
>>> with ThreadPool(processes=2) as pool:
...     pool.map(abs, [-1, -2, 3])
[1, 2, 3]
"""

# %%
# Threads and the GIL
# -------------------
#
# In the default build of CPython, the global interpreter lock (GIL) lets
# only one thread of an interpreter run Python code at a time (one GIL per
# interpreter since Python 3.12, PEP 684). A thread releases it while it waits
# for a sleep, a file or a socket, so threads can wait together but not
# compute together; each process has its own interpreter and its own GIL.
#
# ``cpu_task`` keeps a CPU busy in pure Python for a moment; ``io_task`` only
# waits. ``seconds`` runs one batch of tasks on a pool and returns the median
# wall time of a few runs.
import multiprocessing
import os
import statistics
import time
from multiprocessing.pool import ThreadPool


def cpu_task(n):
    return sum(i * i for i in range(n))


def io_task(delay):
    time.sleep(delay)
    return delay


def seconds(pool, func, args, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        pool.map_async(func, args, chunksize=1).get(timeout=60)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# %%
# The workload
# ------------
#
# The total work is fixed: 8 computing tasks and 16 tasks that each sleep
# 20 ms. It is run on pools of 1, 2 and 4 workers, and of as many workers as
# a pool starts by default (up to 8, the number of computing tasks): the CPUs
# this process may use, :func:`os.process_cpu_count`, from Python 3.13; before
# 3.13, all the machine has, :func:`os.cpu_count`. Each pool first sleeps 50 ms
# in each worker, which keeps the start-up of the processes mostly out of the
# timings.
if __name__ == "__main__":
    cpus = getattr(os, "process_cpu_count", os.cpu_count)()
    counts = sorted({1, 2, 4, min(cpus, 8)})
    workloads = {
        "CPU-bound": (cpu_task, [400_000] * 8),
        "I/O-bound": (io_task, [0.02] * 16),
    }
    kinds = {"threads": ThreadPool, "processes": multiprocessing.Pool}
    timings = {}  # (workload, kind, workers) -> seconds
    for workers in counts:
        for kind, pool_class in kinds.items():
            with pool_class(processes=workers) as pool:
                warm_up = [0.05] * workers
                pool.map_async(time.sleep, warm_up, chunksize=1).get(
                    timeout=60
                )
                for name, (func, args) in workloads.items():
                    timings[name, kind, workers] = seconds(pool, func, args)
    print(f"CPUs: {cpus}")

# %%
# The median wall time of each batch, in milliseconds:
if __name__ == "__main__":
    print(f"{'workload':<10}{'workers':>8}{'threads':>10}{'processes':>11}")
    for name in workloads:
        for workers in counts:
            threads = timings[name, "threads", workers] * 1000
            processes = timings[name, "processes", workers] * 1000
            print(
                f"{name:<10}{workers:>8}{threads:>8.0f}ms{processes:>9.0f}ms"
            )

# %%
# What the figure shows
# ---------------------
#
# On the left, the computing tasks: threads get no faster with more workers,
# often a little slower, because only one of them holds the GIL at a time and
# they keep handing it over. Processes get faster up to the number of CPUs
# (the dotted line) and no further: with more processes than CPUs, they take
# turns. So the speed-up of processes never exceeds the CPU count printed
# above; more CPUs raise that ceiling, and the shape stays the same.
#
# On the right, the waiting tasks: both kinds of worker overlap their waits,
# so both get faster with every worker, even beyond the number of CPUs.
# Threads are cheaper to start and need no pickling of arguments and results,
# so for waiting they are usually the better choice.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5), layout="constrained")
    for ax, name in zip(axes, workloads, strict=True):
        for kind, marker in (("threads", "o"), ("processes", "s")):
            ms = [timings[name, kind, workers] * 1000 for workers in counts]
            ax.plot(counts, ms, marker=marker, label=kind)
        ax.axvline(cpus, color="grey", linestyle=":", label=f"CPUs: {cpus}")
        ax.set_xticks(counts)
        ax.set_ylim(bottom=0)
        ax.set_xlabel(f"workers ({name})")
        ax.set_ylabel("wall time (ms)")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    # One run drew both plots: one stamp, over the first.
    axes[0].set_title(stamp, fontsize=8, color="grey")
    axes[0].legend()
    fig.suptitle("Computing and waiting tasks on thread and process pools")
    plt.show()

# %%
# Free-threaded Python and subinterpreters
# ----------------------------------------
#
# Two more ways to compute in parallel exist inside one process. A
# free-threaded build of CPython has no GIL, so threads compute in parallel
# there: experimental as ``python3.13t``, officially supported from
# ``python3.14t`` (PEP 779); some extension modules still turn the GIL back
# on. And from Python 3.14, ``concurrent.futures.InterpreterPoolExecutor``
# (PEP 734) runs each worker in an interpreter of its own, with its own GIL,
# inside the one process: no process to start, but arguments and results are
# still pickled from one interpreter to the other, and an extension module
# must support subinterpreters to be imported there. This run says which of
# the two its Python has, and times the computing tasks on interpreters where
# it can.
if __name__ == "__main__":
    import sys

    version = platform.python_version()
    gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    state = "the GIL is on" if gil else "no GIL (free-threaded)"
    print(f"Python {version}: {state}")
    try:
        from concurrent.futures import InterpreterPoolExecutor
    except ImportError:
        print(
            "InterpreterPoolExecutor needs Python 3.14; this run used", version
        )
    else:
        func, args = workloads["CPU-bound"]
        for workers in counts:
            with InterpreterPoolExecutor(max_workers=workers) as executor:
                list(executor.map(time.sleep, [0.05] * workers, timeout=60))
                runs = []
                for _ in range(3):
                    start = time.perf_counter()
                    list(executor.map(func, args, timeout=60))
                    runs.append(time.perf_counter() - start)
            ms = statistics.median(runs) * 1000
            print(f"CPU-bound on {workers} interpreters: {ms:.0f}ms")


# %%
# Interpreters run your script too
# --------------------------------
#
# A worker interpreter starts with an empty ``__main__``. To call a function
# of your script that uses the script's globals, the executor's
# ``Interpreter.call()`` first runs the whole script in that interpreter,
# under the name ``'<fake __main__>'``, and takes the function from there
# (``Python/crossinterp.c``; the "Multiple interpreters" howto describes
# it). A process started by spawn or forkserver runs the script as
# ``'__mp_main__'``; a forked one is a copy and runs nothing again. None of
# these names is ``'__main__'``, so it is the main guard that keeps your
# main code out of the workers. ``module_name`` returns the name of the
# module it was found in.
def module_name():
    return __name__


if __name__ == "__main__":
    with multiprocessing.Pool(processes=1) as pool:
        name = pool.apply_async(module_name).get(timeout=60)
    print(f"a process worker ran this script as {name!r}")
    if sys.version_info >= (3, 14):
        from concurrent.futures import InterpreterPoolExecutor

        with InterpreterPoolExecutor(max_workers=1) as executor:
            name = executor.submit(module_name).result(timeout=60)
        print(f"a worker interpreter ran it as {name!r}")
    else:
        print("worker interpreters need Python 3.14; this run used", version)

# %%
# Without the guard, the worker interpreter runs the main code as well. The
# script below has no guard: in its worker, the ``with`` block starts an
# interpreter pool of its own, whose worker cannot find ``module_name``
# (inside a worker, ``__main__`` has no file to run), and the call in the
# main interpreter fails (gh-136659). The same script with the guard works;
# its first line, outside the guard, still runs in both interpreters. Each
# script runs in a new Python, with a time limit; after what it printed
# come the first and the last line of its standard error, if any.
UNGUARDED = """\
from concurrent.futures import InterpreterPoolExecutor


def module_name():
    return __name__


print("the script runs as", repr(__name__), flush=True)
with InterpreterPoolExecutor(max_workers=1) as executor:
    print(executor.submit(module_name).result(timeout=30))
"""
GUARDED = """\
from concurrent.futures import InterpreterPoolExecutor


def module_name():
    return __name__


print("the script runs as", repr(__name__), flush=True)
if __name__ == "__main__":
    with InterpreterPoolExecutor(max_workers=1) as executor:
        print(executor.submit(module_name).result(timeout=30))
"""

if __name__ == "__main__" and sys.version_info >= (3, 14):
    import subprocess
    import tempfile

    for label, source in [("without", UNGUARDED), ("with", GUARDED)]:
        with tempfile.TemporaryDirectory() as folder:
            script = os.path.join(folder, "script.py")
            with open(script, "w", encoding="utf-8") as file:
                file.write(source)
            ran = subprocess.run(
                [sys.executable, script],
                capture_output=True,
                text=True,
                timeout=60,
            )
        print(f"{label} the main guard: exit code {ran.returncode}")
        errors = ran.stderr.splitlines()
        # The first line of a traceback names the cause, the last the error.
        for line in ran.stdout.splitlines() + errors[:1] + errors[-1:]:
            print(f"  {line}")

# %%
# The rule of thumb
# -----------------
#
# The rule of thumb, then. Work that waits: threads. Work that computes in
# Python: processes, or, from Python 3.14, interpreters in one process when
# every module the work needs supports them, or threads on a free-threaded
# build. Code written in C that releases the GIL while it works, such as
# ``hashlib`` on large data or much of NumPy, lets plain threads compute in
# parallel too.
