r"""
How many workers
================

``Pool()`` and ``ProcessPoolExecutor()`` start one worker process per CPU
they count, and Python has several ways to count. This lesson runs small
scripts under a restricted CPU affinity and with ``-X cpu_count`` to see what
each count says and how many workers a pool starts, reads the container CPU
quota that no count sees, and measures what happens when every worker runs a
multi-threaded library: more threads than CPUs.

Quick reference:

>>> import multiprocessing, os
>>> cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1
>>> 1 <= cpus <= os.cpu_count()
True
>>> with multiprocessing.Pool(processes=cpus) as pool:
...     print(pool.map_async(abs, [-1, -2]).get(timeout=10))
[1, 2]
"""

# %%
# ``run_script`` runs a small program in a Python process of its own and
# returns what it printed. The rest is for the part on BLAS threads:
# ``multiply`` is a task that multiplies matrices with NumPy and returns how
# many threads its process has (Linux shows that in ``/proc``; elsewhere it
# returns ``None``, which ``shown`` prints as such); ``cap_blas_threads``
# sets the environment variables that cap the BLAS threads, and
# ``start_pool`` starts a pool whose workers get a given cap.
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

BLAS_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)
SIZE = 200


def run_script(source, *options, args=(), env=None):
    with tempfile.TemporaryDirectory() as folder:
        script = os.path.join(folder, "script.py")
        with open(script, "w", encoding="utf-8") as file:
            file.write(source)
        command = [sys.executable, *options, script, *args]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=60, env=env
        )
    return result.stdout.strip() or result.stderr.strip()


def threads_in_this_process():
    try:
        with open("/proc/self/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        return None  # not Linux


def shown(threads):
    return "not counted (no /proc)" if threads is None else threads


def multiply(products):
    rng = np.random.default_rng(products)
    a, b = rng.random((SIZE, SIZE)), rng.random((SIZE, SIZE))
    for _ in range(products):
        a @ b
    return threads_in_this_process()


def cap_blas_threads():
    for name in BLAS_VARIABLES:
        os.environ[name] = "1"


def start_pool(workers, blas_threads, context=None):
    saved = {name: os.environ.pop(name, None) for name in BLAS_VARIABLES}
    if blas_threads is not None:
        os.environ.update(dict.fromkeys(BLAS_VARIABLES, str(blas_threads)))
    try:
        return (context or multiprocessing).Pool(workers)
    finally:  # the parent's own environment stays as it was
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


# %%
# Three counts of CPUs
# --------------------
#
# :func:`os.cpu_count` is the number of logical CPUs of the machine.
# :func:`os.process_cpu_count` (Python 3.13+, gh-109649) is the number this
# process may run on: where :func:`os.sched_getaffinity` exists (Linux), the
# CPUs of its affinity, ``len(os.sched_getaffinity(0))``; elsewhere the same
# as ``cpu_count()``.
# ``COUNTS`` prints the three counts and how many worker processes
# ``Pool()`` started, counted with :func:`multiprocessing.active_children`.
# Given ``pin``, it first restricts itself to one CPU with
# :func:`os.sched_setaffinity`, as ``taskset -c 0 python script.py`` or a
# batch scheduler would; its pool's workers inherit the affinity.
COUNTS = """\
import multiprocessing
import os
import sys

if __name__ == "__main__":
    if "pin" in sys.argv:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    counts = [f"cpu_count {os.cpu_count()}"]
    if hasattr(os, "process_cpu_count"):
        counts.append(f"process_cpu_count {os.process_cpu_count()}")
    if hasattr(os, "sched_getaffinity"):
        counts.append(f"affinity {len(os.sched_getaffinity(0))}")
    with multiprocessing.Pool() as pool:
        started = len(multiprocessing.active_children())
    print(", ".join(counts) + f"; Pool() started {started}")
"""

if __name__ == "__main__":
    print("as started:", run_script(COUNTS))
    if hasattr(os, "sched_setaffinity"):
        print("pinned to one CPU:", run_script(COUNTS, args=["pin"]))
    else:
        print("CPU affinity needs Linux; this run used", sys.platform)

# %%
# From Python 3.13, ``Pool()`` and ``ProcessPoolExecutor()`` take
# :func:`os.process_cpu_count` workers (``Lib/multiprocessing/pool.py`` and
# ``Lib/concurrent/futures/process.py``); up to 3.12 they take
# :func:`os.cpu_count`, so a pinned script on 3.12 still starts one worker
# per CPU of the machine, and they share the one CPU it may use. The pinned
# line above shows which of the two this Python does.
# :class:`~concurrent.futures.ProcessPoolExecutor` also caps its default at 61
# on Windows, and refuses ``max_workers`` above 61 there: it waits on its
# workers with the Windows call ``WaitForMultipleObjects``, which takes at
# most 64 handles, and the executor needs three of them itself (the result
# queue reader, its wake-up reader and the SIGINT handler), so
# ``_MAX_WINDOWS_WORKERS = 64 - 3`` in ``Lib/concurrent/futures/process.py``
# from Python 3.14; up to 3.13 the same file counted ``63 - 2``, also 61.
# (``Pool`` failed above about 60 workers on Windows too, until Python 3.13
# made it wait in batches, gh-89240.)
#
# Python 3.13 also adds the option ``-X cpu_count=N`` and the environment
# variable ``PYTHON_CPU_COUNT=N`` (gh-109595): both counts then return ``N``,
# whatever the machine, and the pools follow. Affinity is left as it is.
if __name__ == "__main__":
    if sys.version_info >= (3, 13):
        print("-X cpu_count=1:", run_script(COUNTS, "-X", "cpu_count=1"))
    else:
        print(
            "-X cpu_count needs Python 3.13; this run used",
            platform.python_version(),
        )

# %%
# Container CPU quotas
# --------------------
#
# A container given "2 CPUs" (``docker run --cpus=2``, a Kubernetes CPU
# limit) usually gets a *quota*: the kernel lets its processes use 2 CPUs'
# worth of time per period (``200000 100000``: 200 ms every 100 ms), on any
# of the machine's CPUs. No count above reads it (gh-80235): on a 64-CPU
# host, ``Pool()`` starts 64 workers that share 2 CPUs of time, and the
# kernel pauses them all when the quota is spent. The quota is in the
# ``cpu.max`` file of cgroup v2, or ``cpu.cfs_quota_us`` and
# ``cpu.cfs_period_us`` of cgroup v1; what this machine says:
QUOTA_FILES = {
    "cgroup v2": ["/sys/fs/cgroup/cpu.max"],
    "cgroup v1": [
        "/sys/fs/cgroup/cpu/cpu.cfs_quota_us",
        "/sys/fs/cgroup/cpu/cpu.cfs_period_us",
    ],
}


def read_quota():
    for version, paths in QUOTA_FILES.items():
        if all(os.path.exists(path) for path in paths):
            values = []
            for path in paths:
                with open(path, encoding="utf-8") as file:
                    values.append(file.read().strip())
            return version, " ".join(values)
    return None, None


if __name__ == "__main__":
    where, quota = read_quota()
    if quota is None:
        print("no cgroup CPU quota file here")
    elif quota.split()[0] in ("max", "-1"):
        print(f"{where}: {quota!r}: no CPU quota")
    else:
        limit, period = map(int, quota.split())
        print(f"{where}: {quota!r}: {limit / period:g} CPUs of time")
    print("cpu_count() says", os.cpu_count())

# %%
# A container limited to certain CPUs instead (``docker run --cpuset-cpus``)
# has them as its affinity, which :func:`os.process_cpu_count` does see.
# Under a quota, pass ``processes=`` yourself, or set ``PYTHON_CPU_COUNT``
# in the container's environment (Python 3.13+). joblib's ``cpu_count()``
# does read the quota.

# %%
# Worker processes × BLAS threads
# -------------------------------
#
# NumPy does its matrix products in a BLAS library (OpenBLAS in most wheels
# from PyPI; MKL or Apple's Accelerate in some builds), which runs each
# large product on several threads of its own: by default, about one per
# CPU. A pool of N workers, each running M BLAS threads, has N × M threads
# that want a CPU. When that is more than the CPUs, the kernel takes turns
# among them, and BLAS threads, which wait for each other many times in
# each product, wait for one that is not running. The usual fix: one BLAS
# thread per worker, set by the environment variables in
# ``BLAS_VARIABLES``.
#
# The library reads them once, when it is loaded, which is when ``numpy``
# is imported. This module imports numpy at its top, as most programs do,
# so an ``initializer`` that sets them runs too late: under fork the worker
# is a copy of a parent that has loaded the library; under spawn and
# forkserver the main module, numpy with it, is imported before the
# initializer runs (in the worker, or in the fork server it is forked
# from). ``multiply`` returns the threads of its worker process: the
# worker's own thread, which does its share of the BLAS work, and the
# helper threads BLAS started. Capped to one BLAS thread, a worker has
# just its own.
if __name__ == "__main__":
    with multiprocessing.Pool(1, initializer=cap_blas_threads) as pool:
        threads = pool.apply_async(multiply, (1,)).get(timeout=30)
    print("variables set by an initializer: threads:", shown(threads))

# %%
# Set in the parent's :data:`os.environ` before the pool starts, they reach
# a worker that imports numpy afresh and inherits the parent's environment:
# a spawn worker. A fork worker is a copy of a parent that already loaded
# the library with its own setting. A forkserver worker is forked from the
# fork server, which keeps the environment it started with; it started
# with the pool above, before this change. What this run's default start
# method gives:
if __name__ == "__main__":
    with start_pool(1, blas_threads=1) as pool:
        threads = pool.apply_async(multiply, (1,)).get(timeout=30)
    method = multiprocessing.get_start_method()
    print(f"variables set in the parent, {method}: threads:", shown(threads))

# %%
# The measurement
# ---------------
#
# Sure ways: set the variables in the environment before Python starts
# (``OMP_NUM_THREADS=1 python script.py``, a container's environment), or
# at the top of the main script before ``import numpy``. Here
# ``start_pool`` sets them in :data:`os.environ` and starts a *spawn* pool,
# whatever the default start method, so every worker imports numpy with
# them. Four pools: one worker and one per CPU, each with one BLAS thread
# and with the library's default. Each runs the same job, 8 tasks of one
# product of two 200 × 200 matrices; the four pools take turns, three
# rounds, and the lines give the median time.
if __name__ == "__main__":
    spawn = multiprocessing.get_context("spawn")
    cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    settings = [(w, limit) for w in sorted({1, cpus}) for limit in (1, None)]
    pools = {s: start_pool(*s, context=spawn) for s in settings}
    measured = {}  # threads per worker, None where /proc is missing
    for (workers, limit), pool in pools.items():
        found = pool.map_async(multiply, [1] * workers).get(timeout=60)
        measured[workers, limit] = None if None in found else max(found)
    times = {setting: [] for setting in settings}
    for _ in range(3):
        for setting, pool in pools.items():
            start = time.perf_counter()
            pool.map_async(multiply, [1] * 8, chunksize=1).get(timeout=60)
            times[setting].append(time.perf_counter() - start)
            time.sleep(0.1)  # idle BLAS threads may spin a moment longer
    for pool in pools.values():
        pool.terminate()
        pool.join()


def blas_threads(setting):
    return measured[setting] or setting[1] or "default"


# %%
# Each line: the workers, the threads each worker had (``default`` if this
# system has no ``/proc`` to count them), and the median time. The
# last line names the fastest setting of this run and compares the one with
# the most threads to it. On a machine with few CPUs and nothing else
# running, the differences can be small; on a busy one, or with many CPUs,
# the waits of oversubscribed BLAS threads can take longer than the work.
if __name__ == "__main__":
    median_ms = {s: statistics.median(times[s]) * 1000 for s in settings}
    for setting in settings:
        print(
            f"{setting[0]} worker(s) x {blas_threads(setting)} thread(s)"
            f" each: {median_ms[setting]:.0f} ms"
        )
    fastest = min(settings, key=median_ms.get)
    most = settings[-1]
    print(
        f"fastest: {fastest[0]} x {blas_threads(fastest)};"
        f" {most[0]} x {blas_threads(most)} took"
        f" {median_ms[most] / median_ms[fastest]:.1f} times as long"
    )

# %%
# The figure shows the three rounds as dots and their median as a bar; a
# hatched bar is a setting with more threads than CPUs. To change the BLAS
# threads of a process that has already imported numpy, the
# ``threadpoolctl`` library (a dependency of scikit-learn) calls into the
# loaded library at run time: ``with threadpool_limits(limits=1):`` around
# the work, in the worker. joblib's default process backend (loky) caps
# its workers' BLAS threads by itself, to the CPUs divided by the workers.
if __name__ == "__main__":
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    for i, setting in enumerate(settings):
        workers, limit = setting
        threads = workers * (measured[setting] or limit or cpus)
        ax.bar(
            i,
            median_ms[setting],
            color="tab:blue" if limit == 1 else "tab:red",
            hatch="//" if threads > cpus else None,
            edgecolor="white",
        )
        points = [t * 1000 for t in times[setting]]
        ax.plot([i] * len(points), points, "k.", markersize=6)
    labels = [f"{s[0]} × {blas_threads(s)}" for s in settings]
    ax.set_xticks(range(len(settings)), labels)
    ax.legend(
        handles=[
            Patch(color="tab:blue", label="BLAS threads capped to 1"),
            Patch(color="tab:red", label="BLAS threads by default"),
            Patch(
                facecolor="white",
                edgecolor="grey",
                hatch="//",
                label="more threads than CPUs",
            ),
        ],
        loc="upper left",
        fontsize=9,
    )
    slowest = max(max(points) for points in times.values()) * 1000
    ax.set_ylim(0, 1.45 * slowest)  # room for the legend
    ax.set_xlabel("worker processes × threads per worker")
    ax.set_ylabel("time for 8 products (ms)")
    fig.suptitle("The same NumPy job on pools of worker processes")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
