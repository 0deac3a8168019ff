r"""
joblib, a sturdier pool
=======================

`joblib <https://joblib.readthedocs.io/>`_ runs a loop of function calls on
worker processes in one line:
``Parallel(n_jobs=2)(delayed(f)(x) for x in items)``. Its default backend,
loky, adds what :class:`multiprocessing.pool.Pool` lacks: workers kept for
the next call, a clear error when a worker dies, and large NumPy arrays
handed to workers as memory maps instead of copies.

Quick reference:

>>> from joblib import Parallel, delayed
>>> Parallel(n_jobs=2, timeout=30)(delayed(abs)(x) for x in [-1, -2, -3])
[1, 2, 3]
"""

# %%
# The tasks
# ---------
#
# ``square`` computes, ``timed_task`` tells which process ran it and when,
# ``crash`` ends its worker process abruptly for one input, as a
# segmentation fault or the out-of-memory killer would, and ``describe``
# says what kind of array a worker received.
import multiprocessing
import os
import platform
import time

from joblib import Parallel, delayed


def square(x):
    return x * x


def timed_task(_):
    started = time.time()
    time.sleep(0.05)
    return os.getpid(), started, time.time()


def crash(x):
    if x == 3:
        os._exit(1)
    return x


def describe(array):
    return f"{type(array).__name__}, writeable={array.flags.writeable}"


# %%
# The same job, two ways
# ----------------------
#
# The same job with a pool and with joblib. ``delayed(square)(x)`` records
# the call without making it; ``Parallel`` runs the recorded calls on
# ``n_jobs`` workers and returns the results in order. Its ``timeout``
# bounds each task, like the timeout of ``get()``.
if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print("Pool.map:", pool.map_async(square, range(8)).get(timeout=30))
    parallel = Parallel(n_jobs=2, timeout=30)
    print("Parallel:", parallel(delayed(square)(x) for x in range(8)))

# %%
# Workers kept for the next call
# ------------------------------
#
# A pool's workers end with its ``with`` block. loky keeps its workers
# after a call, idle for up to five minutes, and the next call with the
# same settings uses them again, without starting processes: two calls
# together used no more than ``n_jobs`` processes. They end with your script.
if __name__ == "__main__":
    first = parallel(delayed(timed_task)(i) for i in range(10))
    second = parallel(delayed(timed_task)(i) for i in range(10))
    pids = sorted({pid for pid, _, _ in first + second})
    print("processes used by both calls together:", len(pids))

# %%
# Each task of the two calls as a bar, from the times the workers measured,
# on the line of the process that ran it: the second call's tasks are on
# the same lines as the first's.
if __name__ == "__main__":
    import matplotlib.pyplot as plt

    t0 = min(started for _, started, _ in first)
    fig, ax = plt.subplots(figsize=(8, 2.8), layout="constrained")
    for number, (call, colour) in enumerate(((first, "C0"), (second, "C1"))):
        for task, (pid, started, ended) in enumerate(call):
            ax.barh(
                pids.index(pid),
                ended - started,
                left=started - t0,
                height=0.6,
                color=colour,
                edgecolor="w",
                label=f"call {number + 1}" if task == 0 else None,
            )
    ax.set_yticks(range(len(pids)), [f"pid {pid}" for pid in pids])
    ax.set_xlabel("seconds since the first call's first task started")
    fig.legend(loc="outside lower center", ncols=2)
    fig.suptitle("joblib: two calls, the same worker processes")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# A worker that dies
# ------------------
#
# A worker that dies makes a :class:`~multiprocessing.pool.Pool` wait forever
# for its task (see :ref:`sphx_glr_lessons_02_pools_plot_06_errors.py`), and
# a :class:`~concurrent.futures.ProcessPoolExecutor` raises
# ``BrokenProcessPool``, which names the dead worker and its exit code only
# from Python 3.15, and not always. joblib raises ``TerminatedWorkerError``,
# whose message gives the exit codes of the workers, and the next call gets
# new workers.
if __name__ == "__main__":
    from joblib.externals.loky.process_executor import TerminatedWorkerError

    try:
        parallel(delayed(crash)(x) for x in range(6))
    except TerminatedWorkerError as error:
        print(f"TerminatedWorkerError: {error}")
    print("next call:", parallel(delayed(square)(x) for x in range(4)))

# %%
# Large arrays as memory maps
# ---------------------------
#
# A :class:`~multiprocessing.pool.Pool` pickles every argument and sends
# the bytes to a worker. joblib writes a NumPy array larger than
# ``max_nbytes`` (1 MB by default) to a file once and gives the workers a
# read-only ``numpy.memmap`` of it: no copy per task, and the operating
# system shares the pages between the processes.
if __name__ == "__main__":
    import numpy as np

    small = np.zeros(1_000)  # 8 kB
    large = np.zeros(2_000_000)  # 16 MB
    kinds = parallel(delayed(describe)(array) for array in (small, large))
    print("small array arrives as", kinds[0])
    print("large array arrives as", kinds[1])
