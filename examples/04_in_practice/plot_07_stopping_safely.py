r"""
Stopping work safely
====================

:meth:`~multiprocessing.Process.terminate` stops a process at once, wherever
it is: its ``finally`` blocks do not run and the locks it holds stay held.
The programming guidelines of :mod:`multiprocessing` say so under "Avoid
terminating processes". This lesson makes that happen, then stops the same
worker in three ways that let it clean up: an
:class:`~multiprocessing.Event` it checks, a handler for ``SIGTERM``, and
``Process.interrupt()`` (Python 3.14).

Quick reference:

>>> import multiprocessing, time
>>> stop = multiprocessing.Event()
>>> worker = multiprocessing.Process(target=stop.wait, args=(30,))
>>> worker.start()
>>> stop.set()  # ask: the worker returns from stop.wait() and exits
>>> worker.join(timeout=10)
>>> worker.exitcode
0
>>> sleeper = multiprocessing.Process(target=time.sleep, args=(30,))
>>> sleeper.start()
>>> sleeper.terminate()  # force: SIGTERM on POSIX
>>> sleeper.join(timeout=10)
>>> sleeper.exitcode
-15
"""

# %%
# ``work`` is the worker of every run below: it takes a lock, then works in
# units of 50 ms while holding it, until the ``stop`` event is set. Its
# ``finally`` block writes ``cleanup done`` and the time to a file, so the
# parent can tell whether it ran. ``work_with_sigterm_handler`` and
# ``work_until_interrupted`` run ``work`` with a way to be stopped by a
# signal; ``work_without_checking`` never looks at the event.
import multiprocessing
import os
import signal
import sys
import tempfile
import time


def work(lock, stop, started, path):
    try:
        with lock:
            started.set()
            while not stop.is_set():
                time.sleep(0.05)  # one unit of work, done holding the lock
    finally:
        with open(path, "a", encoding="utf-8") as file:
            file.write(f"cleanup done {time.time()}\n")


def raise_system_exit(signum, frame):
    raise SystemExit(0)


def work_with_sigterm_handler(lock, stop, started, path):
    signal.signal(signal.SIGTERM, raise_system_exit)
    work(lock, stop, started, path)


def work_until_interrupted(lock, stop, started, path):
    try:
        work(lock, stop, started, path)
    except KeyboardInterrupt:
        print("worker: KeyboardInterrupt caught, exiting", flush=True)


def work_without_checking(lock, stop, started, path):
    started.set()
    time.sleep(30)  # one long unit of work that never looks at stop


# %%
# ``run`` starts one worker, lets it work for 0.2 s, asks it to stop with
# ``request_stop``, waits for it, then tries to take the lock. It prints the
# exit code, whether the ``finally`` block wrote its line, and what
# ``lock.acquire(timeout=1)`` returned in the parent, and keeps the times for
# the figure.
if __name__ == "__main__":
    folder = tempfile.mkdtemp()
    timelines = {}

    def run(label, target, request_stop):
        lock = multiprocessing.Lock()
        stop = multiprocessing.Event()
        started = multiprocessing.Event()
        path = os.path.join(folder, f"run{len(timelines)}.txt")
        open(path, "w", encoding="utf-8").close()
        worker = multiprocessing.Process(
            target=target, args=(lock, stop, started, path)
        )
        worker.start()
        started.wait(timeout=10)
        began = time.time()
        time.sleep(0.2)
        requested = time.time()
        request_stop(worker, stop)
        worker.join(timeout=10)
        ended = time.time()
        if worker.is_alive():  # never leave a process behind
            worker.kill()
            worker.join(timeout=10)
        free = lock.acquire(timeout=1)
        with open(path, encoding="utf-8") as file:
            written = file.read().split()
        os.remove(path)
        code = worker.exitcode
        print(f"{label}: exit code {code}")
        print(f"    'cleanup done' written: {bool(written)}")
        print(f"    lock.acquire(timeout=1) in the parent: {free}")
        cleanup = float(written[-1]) if written else None
        timelines[label] = (began, requested, ended, cleanup, free, code)


# %%
# What terminate() skips
# ----------------------
#
# On POSIX, ``terminate()`` sends ``SIGTERM``. Python installs no handler for
# it, so the operating system ends the process on the spot: no exception is
# raised, no ``finally`` block, ``with`` exit or :mod:`atexit` function runs,
# and a negative exit code gives the signal's number.
if __name__ == "__main__":
    run("terminate()", work, lambda worker, stop: worker.terminate())

# %%
# The ``finally`` block never wrote its line, and the lock stays acquired by a
# process that no longer exists. Nothing will release it: every process that
# waits for it without a timeout hangs for ever. The same goes for a
# worker stopped inside ``Queue.put()``: the queue's feeder thread may have
# written half a message to the pipe, or still hold the lock that writers
# share, and the queue becomes unusable. Hence the guideline: use
# ``terminate()`` only on processes that share nothing. On Windows,
# ``terminate()`` calls ``TerminateProcess()``, which gives the process no
# chance to react at all; its exit code also reads -15.

# %%
# Asking with an Event
# --------------------
#
# The portable way: the parent sets an :class:`~multiprocessing.Event` and
# the worker, which checks it between units of work, leaves its loop. The
# unit in progress finishes first, so the worker stops up to one unit (here
# 50 ms) after the request. It works under every start method and on every
# platform.
if __name__ == "__main__":
    run("Event.set()", work, lambda worker, stop: stop.set())

# %%
# A handler for SIGTERM
# ---------------------
#
# A worker can also install a handler for ``SIGTERM`` with
# :func:`signal.signal`. The same ``terminate()`` call then runs the handler
# in the worker's main thread, interrupting its sleep, and the handler raises
# an exception there: here :exc:`SystemExit`, with which a process ends
# without a traceback. As it goes up, the ``with`` block releases the lock
# and ``finally`` runs. A handler can instead set a flag that the loop
# checks, like the event. This needs POSIX: Windows cannot send ``SIGTERM``
# to another process, so there ``terminate()`` stays ``TerminateProcess()``
# and no handler runs.
if __name__ == "__main__":
    if sys.platform != "win32":
        run(
            "terminate(), handler",
            work_with_sigterm_handler,
            lambda worker, stop: worker.terminate(),
        )
    else:
        print("SIGTERM handlers need POSIX; this run is on", sys.platform)

# %%
# Process.interrupt()
# -------------------
#
# Python 3.14 adds ``Process.interrupt()`` (gh-131913), which sends
# ``SIGINT``, the signal of Ctrl-C: Python raises :exc:`KeyboardInterrupt`
# in the worker, and ``finally`` blocks run as the exception goes up. Left
# uncaught, it ends the worker with exit code 1 and a traceback on its
# standard error; ``work_until_interrupted`` catches it and returns. It works
# on POSIX only (the documentation leaves its behaviour on Windows
# undefined). On an older Python, ``os.kill(pid, SIGINT)`` is what it does,
# and this cell uses that.
if __name__ == "__main__":
    if sys.platform == "win32":
        print("interrupt() sends SIGINT, which needs POSIX")
    elif hasattr(multiprocessing.Process, "interrupt"):
        run(
            "interrupt()",
            work_until_interrupted,
            lambda worker, stop: worker.interrupt(),
        )
    else:
        print(
            "Process.interrupt() needs Python 3.14; this run used",
            sys.version.split()[0],
        )
        run(
            "os.kill(pid, SIGINT)",
            work_until_interrupted,
            lambda worker, stop: os.kill(worker.pid, signal.SIGINT),
        )

# %%
# The timeline of each run, from the times it measured: the worker's bar
# ends when ``join()`` returned in the parent, a green dot marks when its
# ``finally`` block ran, and a red cross a worker that ended without it.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    labels = list(timelines)
    for row, label in enumerate(labels):
        began, requested, ended, cleanup, free, exitcode = timelines[label]
        left, right = 1000 * (began - requested), 1000 * (ended - requested)
        ax.barh(row, right - left, left=left, height=0.5, color="lightgrey")
        state = "lock released" if free else "lock still held"
        ax.text(right + 8, row, f"exit code {exitcode}, {state}", va="center")
        if cleanup is None:
            ax.scatter(right, row, marker="X", s=120, color="C3", zorder=3)
        else:
            x = 1000 * (cleanup - requested)
            ax.scatter(x, row, marker="o", s=80, color="C2", zorder=3)
    ax.axvline(0, color="black", linestyle="--", label="stop requested")
    ax.scatter([], [], marker="o", color="C2", label="finally ran")
    ax.scatter([], [], marker="X", color="C3", label="no cleanup")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(right=ax.get_xlim()[1] + 160)
    ax.set_xlabel("time since the stop was requested (ms)")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    fig.suptitle("Stopping a worker that holds a lock")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# Asking first, forcing last
# --------------------------
#
# A worker busy with a long unit of work may not look at the event for a
# while, and one that hangs never will. So ask, wait a limited time, and only
# then force: ``terminate()``, and :meth:`~multiprocessing.Process.kill`
# (``SIGKILL``, which no handler can catch) if even that fails.
# ``work_without_checking`` ignores the event; the parent gives it 0.5 s.
if __name__ == "__main__":

    def stop_worker(worker, stop, grace):
        stop.set()
        worker.join(timeout=grace)
        if worker.is_alive():
            print(f"still running after {grace} s: terminate()")
            worker.terminate()
            worker.join(timeout=grace)
        if worker.is_alive():
            print(f"still running after {grace} s more: kill()")
            worker.kill()
            worker.join(timeout=10)
        print("exit code", worker.exitcode)

    stop, started = multiprocessing.Event(), multiprocessing.Event()
    worker = multiprocessing.Process(
        target=work_without_checking, args=(None, stop, started, None)
    )
    worker.start()
    started.wait(timeout=10)
    stop_worker(worker, stop, grace=0.5)
    os.rmdir(folder)

# %%
# A pool stops its workers the same way: leaving ``with Pool(...)`` calls
# :meth:`~multiprocessing.pool.Pool.terminate`, so tasks still running are
# cut short; :meth:`~multiprocessing.pool.Pool.close` and then
# :meth:`~multiprocessing.pool.Pool.join` let them finish. Python 3.14 adds
# ``ProcessPoolExecutor.terminate_workers()`` and ``kill_workers()``
# (gh-128041), with the same caveats as ``terminate()`` and ``kill()``.
