r"""
Nested pools and results that cannot travel
===========================================

A task of a :class:`~multiprocessing.pool.Pool` cannot start a pool of its
own, and whatever a task returns or raises must survive :mod:`pickle` on its
way back to the parent. This lesson makes both fail, prints what ``Pool``
and :class:`~concurrent.futures.ProcessPoolExecutor` report, and shows the
fixes: an executor, whose workers may start pools; one flat pool; threads
inside a worker; results that pickle; exceptions that can be rebuilt.

Quick reference:

>>> import multiprocessing, multiprocessing.pool, threading
>>> with multiprocessing.Pool(1) as pool:
...     nested = pool.apply_async(multiprocessing.pool.Pool, (1,))
...     lock = pool.apply_async(threading.Lock)
...     for result in (nested, lock):
...         try:
...             result.get(timeout=30)
...         except Exception as error:
...             print(type(error).__name__)
...     pool.close()
...     pool.join()
AssertionError
MaybeEncodingError
"""

# %%
# ``work`` keeps a CPU busy for a moment and returns the square of its
# number. ``is_daemon`` tells whether the process that runs it is
# *daemonic*. ``run_job`` is a task that starts a pool of two workers of its
# own, maps ``work`` over its items, and returns its process ID, the IDs of
# its pool's workers, and the results.
import multiprocessing
import os
import pickle
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

JOBS = {"a": [1, 2, 3, 4], "b": [5, 6, 7, 8]}


def work(x):
    sum(i * i for i in range(30_000))
    return x * x


def is_daemon():
    return multiprocessing.current_process().daemon


def run_job(items):
    with multiprocessing.Pool(2) as pool:
        workers = [child.pid for child in multiprocessing.active_children()]
        results = pool.map_async(work, items).get(timeout=60)
    return os.getpid(), workers, results


# %%
# A pool inside a pool worker
# ---------------------------
#
# The workers of a ``Pool`` are daemonic processes: they are terminated
# when their parent exits, and the pool terminates them too. So a daemonic
# process may not start processes of its own: they would be left running,
# orphaned. ``Pool(2)`` in ``run_job`` fails in the worker, and the
# ``AssertionError`` travels back to the parent like any exception of a
# task, raised by ``get()``. The cell ends with ``close()`` and ``join()``
# before the ``with`` block's ``terminate()``: a worker that exits normally
# cleans up the semaphores of the inner pool it half made, where a
# terminated one would leave them to the resource tracker, which warns.
if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        daemon = pool.apply_async(is_daemon).get(timeout=30)
        print(f"Pool worker: daemon={daemon}")
        try:
            pool.apply_async(run_job, (JOBS["a"],)).get(timeout=30)
        except AssertionError as error:
            print(f"{type(error).__name__}: {error}")
        pool.close()
        pool.join()

# %%
# Executor workers may start pools
# --------------------------------
#
# The workers of a :class:`~concurrent.futures.ProcessPoolExecutor` are not
# daemonic: at shutdown the executor asks each of them to stop and waits for
# it. So ``run_job`` works there. The cost is processes times processes:
# two executor workers each start a pool of two, six worker processes in
# all, for a machine that may have two CPUs, and every one of them takes
# time to start (under spawn, a fresh interpreter each).
if __name__ == "__main__":
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as executor:
        daemon = executor.submit(is_daemon).result(timeout=30)
        print(f"executor worker: daemon={daemon}")
        nested = list(executor.map(run_job, JOBS.values(), timeout=60))
        executor_pids = [p.pid for p in multiprocessing.active_children()]
    nested_seconds = time.perf_counter() - start
    for name, (pid, workers, _) in zip(JOBS, nested, strict=True):
        print(f"job {name}: executor worker {pid}, its pool {workers}")
    inner = sum(len(workers) for _, workers, _ in nested)
    print(f"results: {[results for _, _, results in nested]}")
    print(
        f"{len(executor_pids)} executor workers + {inner} pool workers,"
        f" {nested_seconds:.2f} s"
    )

# %%
# One flat pool, or threads
# -------------------------
#
# Often the better fix is to flatten the work: one pool, and every item of
# every job as a task of its own. The parent then puts the results back
# together by job. Two worker processes, and the same results:
if __name__ == "__main__":
    start = time.perf_counter()
    tasks = [(name, x) for name, items in JOBS.items() for x in items]
    with multiprocessing.Pool(2) as pool:
        flat_pids = [child.pid for child in multiprocessing.active_children()]
        values = pool.map_async(work, [x for _, x in tasks]).get(timeout=60)
    flat_seconds = time.perf_counter() - start
    by_job = {name: [] for name in JOBS}
    for (name, _), value in zip(tasks, values, strict=True):
        by_job[name].append(value)
    same = list(by_job.values()) == [results for _, _, results in nested]
    print(f"one pool of {len(flat_pids)} workers, {flat_seconds:.2f} s")
    print(f"same results: {same}")

# %%
# The figure draws the processes that the two runs started, with their
# process IDs: each line goes from a process to one it started. Above each
# tree: the time its run took, start-up included.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    style = {"ha": "center", "va": "center", "fontsize": 9}

    def box(x, y, text, color):
        bbox = {"boxstyle": "round", "facecolor": color, "edgecolor": "none"}
        ax.text(x, y, text, bbox=bbox, **style)

    def line(x0, y0, x1, y1):
        ax.plot([x0, x1], [y0, y1], color="grey", zorder=0)

    leaves = {pid: [] for pid in executor_pids}
    for pid, workers, _ in nested:
        leaves[pid].extend(workers)
    x = 0.0
    executor_x = []
    for pid, workers in leaves.items():
        xs = [x + 1.3 * i for i in range(max(len(workers), 1))]
        executor_x.append(sum(xs) / len(xs))
        for leaf_x, leaf in zip(xs, workers, strict=False):
            box(leaf_x, 0, f"pool worker\npid {leaf}", "#fde2c8")
            line(executor_x[-1], 1, leaf_x, 0)
        box(executor_x[-1], 1, f"executor worker\npid {pid}", "#cfe3f3")
        x = xs[-1] + 1.5
    parent_x = sum(executor_x) / len(executor_x)
    for child_x in executor_x:
        line(parent_x, 2, child_x, 1)
    box(parent_x, 2, f"this script\npid {os.getpid()}", "#e0e0e0")
    ax.text(parent_x, 2.6, f"nested: {nested_seconds:.2f} s", **style)
    flat_x = [x + 0.5 + 1.3 * i for i in range(len(flat_pids))]
    middle = sum(flat_x) / len(flat_x)
    for leaf_x, leaf in zip(flat_x, flat_pids, strict=True):
        line(middle, 2, leaf_x, 1)
        box(leaf_x, 1, f"pool worker\npid {leaf}", "#fde2c8")
    box(middle, 2, f"this script\npid {os.getpid()}", "#e0e0e0")
    ax.text(middle, 2.6, f"one flat pool: {flat_seconds:.2f} s", **style)
    ax.set_xlim(-0.8, flat_x[-1] + 0.8)
    ax.set_ylim(-0.5, 2.9)
    ax.set_xticks([])
    ax.set_yticks([2, 1, 0], ["this script", "its children", "their children"])
    ax.set_ylabel("generation")
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    fig.suptitle("The worker processes of a nested run and of a flat one")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()


# %%
# A pool worker may start *threads*: the rule is about processes. For work
# that waits (downloads, queries), threads inside each worker multiply what
# the pool does at once without more processes. ``wait_for_all`` runs its
# waits on a :class:`~concurrent.futures.ThreadPoolExecutor` in the worker
# and returns its process ID, how many threads ran them, and the time it
# took, less than four waits one after the other would take.
def wait_and_name(seconds):
    time.sleep(seconds)  # stands for a download or a query
    return threading.current_thread().name


def wait_for_all(waits):
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(waits)) as threads:
        names = set(threads.map(wait_and_name, waits, timeout=30))
    return os.getpid(), len(names), time.perf_counter() - start


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        answers = pool.map_async(wait_for_all, [[0.2] * 4] * 2).get(timeout=30)
    for pid, threads, seconds in answers:
        print(
            f"worker {pid}: 4 waits of 0.2 s on {threads} threads,"
            f" {seconds:.2f} s"
        )


# %%
# Results that cannot be pickled
# ------------------------------
#
# The worker pickles a task's return value to send it back. A generator
# cannot be pickled, nor an open file, a lock, or anything that holds one.
# ``Pool`` catches the failure in the worker and raises
# :class:`multiprocessing.pool.MaybeEncodingError` from ``get()``, with the
# result's ``repr`` and the reason; the pool goes on working.
def squares_lazily(n):
    return (x * x for x in range(n))


def open_log(path):
    return open(path, encoding="utf-8")


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        for task, arg in ((squares_lazily, 3), (open_log, os.devnull)):
            try:
                pool.apply_async(task, (arg,)).get(timeout=30)
            except multiprocessing.pool.MaybeEncodingError as error:
                print(f"{type(error).__name__}: {error}")
        still = pool.apply_async(abs, (-1,)).get(timeout=30)
        print("the pool still works:", still)

# %%
# A ``ProcessPoolExecutor`` catches it in the worker too, and its
# ``result()`` raises the pickling error itself (whose type and wording
# depend on the Python version). The fix is the same for both: return
# plain data, ``list(...)`` instead of a generator, what the file holds
# instead of the file.
if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as executor:
        for task, arg in ((squares_lazily, 3), (open_log, os.devnull)):
            try:
                executor.submit(task, arg).result(timeout=30)
            except Exception as error:
                print(f"{type(error).__name__}: {error}")


# %%
# Exceptions that cannot be rebuilt
# ---------------------------------
#
# An exception raised by a task is pickled too. :mod:`pickle` stores an
# exception as its class, its ``args`` (whatever ``__init__`` passed to
# ``super().__init__()``) and its attributes, and rebuilds it by calling
# the class with ``args``. ``FetchError`` takes two arguments but passes
# one message on, so rebuilding it calls ``FetchError(message)``, which
# fails. Pickled and unpickled in this process:
class FetchError(Exception):
    def __init__(self, url, status):
        super().__init__(f"{url} answered {status}")
        self.url = url
        self.status = status


def fetch(url, error_class=FetchError):
    raise error_class(url, 404)


URL = "https://example.org/a"

if __name__ == "__main__":
    try:
        pickle.loads(pickle.dumps(FetchError(URL, 404)))
    except TypeError as error:
        print(f"{type(error).__name__}: {error}")

# %%
# A pool worker pickles it without trouble; the parent fails to unpickle it.
# A ``Pool`` unpickles results in its result-handler thread, and the error
# ends that thread (a long-standing bug: gh-79492, gh-103061). No result of
# that pool arrives after that, and leaving the ``with`` block raises
# another error. That would break this page, so ``UNREBUILDABLE`` runs as a
# script of its own, with the same ``FetchError``. ``run_script`` stops it,
# and every process it started, if it hangs; the lines marked ``stderr:``
# are the errors it printed there.
UNREBUILDABLE = """\
import multiprocessing


class FetchError(Exception):
    def __init__(self, url, status):
        super().__init__(f"{url} answered {status}")
        self.url = url
        self.status = status


def fetch(url):
    raise FetchError(url, 404)


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print("a first task:", pool.apply_async(abs, (-1,)).get(timeout=30))
        failing = pool.apply_async(fetch, ("https://example.org/a",))
        try:
            failing.get(timeout=2)
        except Exception as error:
            print(f"fetch: get(timeout=2) raised {type(error).__name__}")
        later = pool.apply_async(abs, (-2,))
        try:
            later.get(timeout=1)
        except Exception as error:
            print(f"later task: get(timeout=1) raised {type(error).__name__}")
    print("the with block ended")
"""


def run_script(source, timeout=30):
    with tempfile.TemporaryDirectory() as folder:
        script = os.path.join(folder, "script.py")
        with open(script, "w", encoding="utf-8") as file:
            file.write(source)
        process = subprocess.Popen(
            [sys.executable, script],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # POSIX: its own process group
        )
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if sys.platform == "win32":
                kill = ["taskkill", "/F", "/T", "/PID", str(process.pid)]
                subprocess.run(kill, capture_output=True, timeout=30)
            else:
                os.killpg(process.pid, signal.SIGKILL)
            out, err = process.communicate()
            return None, out, err
    return process.returncode, out, err


if __name__ == "__main__":
    code, out, err = run_script(UNREBUILDABLE)
    print(out.strip())
    for line in err.splitlines():
        if re.match(r"Exception in thread|\w+Error: ", line):
            print("stderr:", line)
    if code is None:
        print("the script hung and was stopped after 30 s")
    else:
        print("exit code:", code)

# %%
# A ``ProcessPoolExecutor`` unpickles results in its management thread,
# which catches the error, marks the executor broken and stops its workers:
# ``result()`` raises :class:`~concurrent.futures.process.BrokenProcessPool`
# with a message about a process that ended abruptly, although none did.
# The real error is at the end of the exception's ``__cause__``, and the
# executor refuses any new task.
if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as executor:
        try:
            executor.submit(fetch, URL).result(timeout=30)
        except BrokenProcessPool as error:
            print(f"{type(error).__name__}: {error}")
            cause = str(error.__cause__).strip().strip("'\"").strip()
            print("its __cause__ ends with:", cause.splitlines()[-1])
        try:
            executor.submit(abs, -1)
        except BrokenProcessPool as error:
            print(f"submit() afterwards: {type(error).__name__}: {error}")


# %%
# Two fixes. Pass every argument of ``__init__`` on to
# ``super().__init__()``, so that ``args`` can rebuild the exception, and
# write the message in ``__str__``; or keep ``__init__`` and add
# ``__reduce__``, which tells :mod:`pickle` how to rebuild the object: call
# this class with these arguments. Both arrive whole, attributes included.
class FetchErrorWithArgs(Exception):
    def __init__(self, url, status):
        super().__init__(url, status)
        self.url = url
        self.status = status

    def __str__(self):
        return f"{self.url} answered {self.status}"


class FetchErrorWithReduce(Exception):
    def __init__(self, url, status):
        super().__init__(f"{url} answered {status}")
        self.url = url
        self.status = status

    def __reduce__(self):
        return type(self), (self.url, self.status)


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        for error_class in (FetchErrorWithArgs, FetchErrorWithReduce):
            try:
                pool.apply_async(fetch, (URL, error_class)).get(timeout=30)
            except (FetchErrorWithArgs, FetchErrorWithReduce) as error:
                print(
                    f"{type(error).__name__}: {error} (status {error.status})"
                )
