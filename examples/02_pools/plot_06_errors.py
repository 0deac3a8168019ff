r"""
When a task fails
=================

An exception raised in a pool's worker does not stop the parent: it travels
back with the task's result and is raised again only when you ask for that
result. A worker process that dies, or whose initializer raises, is worse:
a :class:`~multiprocessing.pool.Pool` waits for its task for ever, while a
:class:`~concurrent.futures.ProcessPoolExecutor` reports it.

Quick reference:

>>> from multiprocessing import Pool
>>> with Pool(processes=1) as pool:
...     result = pool.apply_async(int, ("forty-two",))
...     try:
...         result.get(timeout=10)
...     except ValueError as error:
...         print(f"ValueError: {error}")
ValueError: invalid literal for int() with base 10: 'forty-two'
"""

# %%
# ``parse`` fails on text that is not a number. ``crash`` ends its worker
# process at once, without an exception, as a crash or a kill would.
# ``report`` and ``on_result`` are callbacks: they run in the parent, not in
# a worker.
import io
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


def parse(text):
    return int(text)


def crash():
    os._exit(1)


def report(error):
    print(f"error_callback got {type(error).__name__}: {error}", flush=True)


def on_result(value):
    try:
        print(f"callback: 1 / {value} = {1 / value}", flush=True)
    except Exception as error:
        print(f"callback caught {type(error).__name__}: {error}", flush=True)


# %%
# An exception in a task
# ----------------------
#
# :meth:`~multiprocessing.pool.Pool.apply_async` returns at once, and the
# worker catches the task's exception and sends it back. Even after
# :meth:`~multiprocessing.pool.AsyncResult.wait`, nothing has been raised in
# the parent: the result is ready, but not successful. Only
# :meth:`~multiprocessing.pool.AsyncResult.get` raises the worker's exception,
# with its type and message; if nobody calls it, the error goes unnoticed.
if __name__ == "__main__":
    learned = {}  # seconds from submitting to the parent's exception
    with multiprocessing.Pool(processes=2) as pool:
        submitted = time.perf_counter()
        result = pool.apply_async(parse, ("forty-two",))
        result.wait(timeout=10)
        print("submitted and waited: no exception so far")
        print(
            f"ready(): {result.ready()}, successful(): {result.successful()}"
        )
        try:
            result.get(timeout=10)
        except ValueError as error:
            print(f"{type(error).__name__}: {error}")
            failure = error
            learned["Pool, the task raised:\nValueError"] = (
                time.perf_counter() - submitted
            )

# %%
# The traceback of the parent ends in ``get()``. The worker's traceback comes
# along as text, in the exception's ``__cause__``: a
# ``multiprocessing.pool.RemoteTraceback``. Its frames lead from the pool's
# ``worker`` loop into ``parse``.
if __name__ == "__main__":
    cause = failure.__cause__
    print(f"__cause__: {type(cause).__module__}.{type(cause).__name__}")
    remote = str(cause).strip('\n"').splitlines()
    frames = [
        line.split(", in ")[-1] for line in remote if line.startswith("  File")
    ]
    print(f"the worker's traceback passes through {frames}")
    print(f"and ends with: {remote[-1]}")

# %%
# Callbacks
# ---------
#
# An ``error_callback`` is called in the parent with the exception as soon as
# the result arrives, without waiting for ``get()``. It runs before
# ``wait()`` and ``get()`` return, so its line comes first.
if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        result = pool.apply_async(parse, ("seven",), error_callback=report)
        result.wait(timeout=10)
        print(f"successful(): {result.successful()}")

# %%
# Callbacks run in one thread of the parent, the thread that collects every
# result of the pool. If a ``callback`` or ``error_callback`` raises, the
# exception kills that thread (CPython issue gh-83371, in every release
# before 3.16, which instead raises it from ``get()``): its traceback goes to
# stderr, that result and all later ones never
# become ready, ``get()`` without a timeout and ``join()`` wait for ever, and
# ``terminate()`` raises ``AssertionError``. This lesson does not run that.
# The safe pattern: catch every exception inside the callback, as
# ``on_result`` does.
if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        for text in ("4", "0"):
            result = pool.apply_async(parse, (text,), callback=on_result)
            print(f"get() returned {result.get(timeout=10)}")

# %%
# A worker that dies
# ------------------
#
# A worker that dies without raising (``os._exit``, a segmentation fault, the
# out-of-memory killer) sends nothing back. The pool starts a new worker but
# forgets the task, so its result never becomes ready: only the timeout ends
# the wait. Catch :class:`multiprocessing.TimeoutError`: it is not the
# built-in ``TimeoutError``, and it has no message.
# :meth:`~multiprocessing.pool.Pool.terminate` then stops the workers.
if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        submitted = time.perf_counter()
        lost = pool.apply_async(crash)
        try:
            lost.get(timeout=2)
        except multiprocessing.TimeoutError as error:
            print(f"after 2 s: {error!r}, ready(): {lost.ready()}")
            learned["Pool, the worker died:\nTimeoutError"] = (
                time.perf_counter() - submitted
            )
        pool.terminate()
        print("pool terminated")

# %%
# A :class:`~concurrent.futures.ProcessPoolExecutor` notices that a worker
# died. It cannot tell which task killed it, so every pending future fails
# with :class:`~concurrent.futures.process.BrokenProcessPool`, and the
# executor refuses new tasks. Leaving the ``with`` block shuts it down. From
# Python 3.15 the exception's ``__cause__`` names the process that died and
# its exit code (gh-139462), though still not the task, when the executor
# can read that exit code at the moment it notices the death. Under
# forkserver it always can; under fork and spawn the process may not have
# finished exiting yet, and ``__cause__`` is then ``None``, as it always is
# before 3.15 (CPython's own test of it fails the same way: gh-143620,
# open). The cell says which this Python does.
if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as executor:
        submitted = time.perf_counter()
        future = executor.submit(crash)
        try:
            future.result(timeout=10)
        except BrokenProcessPool as error:
            print(f"BrokenProcessPool: {error}")
            learned["executor, the worker died:\nBrokenProcessPool"] = (
                time.perf_counter() - submitted
            )
            cause = str(error.__cause__).strip("\n'")
        try:
            executor.submit(parse, "7")
        except BrokenProcessPool as error:
            print(f"BrokenProcessPool: {error}")
    if sys.version_info >= (3, 15):
        print(f"__cause__ (Python 3.15+): {cause}")
    else:
        print(f"__cause__: {cause}; this run used {sys.version.split()[0]}")


# %%
# An initializer that fails
# -------------------------
#
# A pool's ``initializer`` runs once in each new worker, before its first
# task: to open a connection, load a model. ``connect`` fails as one would
# whose database is down, and counts its attempts in a shared
# :class:`~multiprocessing.Value`. It sends the first attempt's traceback to
# standard output, so that it shows on this page, and the others nowhere.
def open_database():
    raise ConnectionError("database unreachable")


def connect(attempts):
    with attempts.get_lock():
        attempts.value += 1
        first = attempts.value == 1
    sys.stderr = sys.stdout if first else io.StringIO()
    open_database()


# %%
# In a :class:`~multiprocessing.pool.Pool`, an initializer that raises ends
# its worker process, which prints the traceback. The pool starts a new
# worker, whose initializer fails the same way, and so on for as long as
# the pool lives: the task never runs, nothing is raised in the parent, and
# only the timeout of ``get()`` ends the wait.
if __name__ == "__main__":
    attempts = multiprocessing.Value("i", 0)
    with multiprocessing.Pool(2, connect, (attempts,)) as pool:
        submitted = time.perf_counter()
        result = pool.apply_async(parse, ("7",))
        try:
            result.get(timeout=1)
        except multiprocessing.TimeoutError as error:
            case = "Pool, the initializer failed:\nTimeoutError"
            learned[case] = time.perf_counter() - submitted
            print(f"after 1 s: {error!r}")
        print(f"workers started and failed so far: {attempts.value}")

# %%
# A :class:`~concurrent.futures.ProcessPoolExecutor` logs the initializer's
# traceback (the ``Exception in initializer:`` line), lets the worker
# exit, and breaks: the future fails at once with ``BrokenProcessPool``.
if __name__ == "__main__":
    attempts.value = 0
    with ProcessPoolExecutor(
        max_workers=1, initializer=connect, initargs=(attempts,)
    ) as executor:
        submitted = time.perf_counter()
        future = executor.submit(parse, "7")
        try:
            future.result(timeout=10)
        except BrokenProcessPool as error:
            case = "executor, the initializer\nfailed: BrokenProcessPool"
            learned[case] = time.perf_counter() - submitted
            print(f"BrokenProcessPool: {error}")

# %%
# The fix: an initializer that cannot fail. ``connect_or_remember`` keeps
# the error instead of raising it, and ``lookup``, the task, raises it. The
# workers stay up, and ``get()`` raises the real error at once. A check in
# the parent before the pool starts (can it reach the database?) catches
# the common case earlier still.
SETUP_ERROR = None


def connect_or_remember():
    global SETUP_ERROR
    try:
        open_database()
    except ConnectionError as error:
        SETUP_ERROR = error


def lookup(key):
    if SETUP_ERROR is not None:
        raise SETUP_ERROR
    return key.upper()


if __name__ == "__main__":
    with multiprocessing.Pool(1, connect_or_remember) as pool:
        submitted = time.perf_counter()
        result = pool.apply_async(lookup, ("alice",))
        try:
            result.get(timeout=10)
        except ConnectionError as error:
            case = "Pool, the initializer kept\nits error: ConnectionError"
            learned[case] = time.perf_counter() - submitted
            print(f"get() raised {type(error).__name__}: {error}")

# %%
# When the parent found out
# -------------------------
#
# Each bar runs from submitting the task to the moment the parent's call
# raised, as measured in this run, including the time the worker processes
# took to start. An exception in the task, and a dead worker or a failed
# initializer under the executor, are reported as soon as they happen, and
# so is the error an initializer kept for the tasks. The pool with a dead
# worker or a failing initializer learns nothing: only the timeout it was
# given ends the wait.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    for row, (case, seconds) in enumerate(learned.items()):
        color = "C3" if "TimeoutError" in case else "C0"
        ax.barh(row, seconds, height=0.5, color=color)
        ax.text(seconds, row, f" {seconds:.2f} s", va="center")
    ax.set_yticks(range(len(learned)), list(learned))
    ax.invert_yaxis()
    ax.set_xlim(0, 2.6)
    ax.set_xlabel("seconds from submitting the task to the exception")
    fig.suptitle("How long the parent waited to hear of a failure")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
