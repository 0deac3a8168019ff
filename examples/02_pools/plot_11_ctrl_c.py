r"""
Ctrl-C and clean shutdown
=========================

Pressing Ctrl-C while a pool works interrupts every worker as well as the
main process, and each one prints its own traceback. The clean pattern:
workers ignore the interrupt, the main process catches ``KeyboardInterrupt``,
stops the pool with :meth:`~multiprocessing.pool.Pool.terminate` and exits
with one message. This lesson presses "Ctrl-C" on four small scripts, two
with a ``Pool`` and two with a ``ProcessPoolExecutor``, and shows what each
one printed.

Quick reference:

>>> import signal
>>> from concurrent.futures import ProcessPoolExecutor
>>> from multiprocessing import Pool
>>> ignore_ctrl_c = (signal.SIGINT, signal.SIG_IGN)
>>> with Pool(2, initializer=signal.signal, initargs=ignore_ctrl_c) as pool:
...     pool.map_async(abs, [-1, -2]).get(timeout=10)
[1, 2]
>>> with ProcessPoolExecutor(
...     2, initializer=signal.signal, initargs=ignore_ctrl_c
... ) as executor:
...     list(executor.map(abs, [-1, -2], timeout=10))
[1, 2]
"""

# %%
# Pressing Ctrl-C from a program
# ------------------------------
#
# A terminal sends Ctrl-C's ``SIGINT`` to every process of the foreground
# *process group*: the program and the workers it started. To do the same,
# ``start`` runs a script in a process group of its own (a new session would
# do too), with its output captured.
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def start(script):
    """Run ``script`` in a new process group, its output captured."""
    if sys.version_info >= (3, 11):
        new_group = {"process_group": 0}
    else:
        new_group = {"preexec_fn": os.setpgrp}
    return subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **new_group,
    )


# %%
# ``wait_for_lines`` reads the script's first lines, giving up after
# ``timeout`` seconds, so the lesson knows when both workers are busy.
# ``select`` is what bounds each wait; it works on pipes on POSIX only.
def wait_for_lines(proc, count, timeout):
    """Read the script's output until it has printed ``count`` lines."""
    output = b""
    deadline = time.monotonic() + timeout
    while output.count(b"\n") < count:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
            break
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            break
        output += chunk
    return output.decode()


# %%
# ``press_ctrl_c`` signals the script's whole group with :func:`os.killpg`;
# :meth:`~subprocess.Popen.send_signal` would reach its main process only.
# :meth:`~subprocess.Popen.communicate` then collects the rest of the output
# and returns once every process holding the script's pipes, workers
# included, has exited. If the script hangs instead, its group is killed.
def press_ctrl_c(proc, timeout=20):
    """Interrupt the script's process group; return (stdout, stderr, hung)."""
    os.killpg(proc.pid, signal.SIGINT)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        return stdout, stderr, False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=10)
        return stdout, stderr, True


# %%
# ``report`` prints the exit code and the script's output, each line marked
# with the stream it came from. Of a traceback it keeps the lines that start
# at the margin: the header, the worker's name and the exception.
def report(name, proc, output, stderr, hung):
    """Print how the script ended and what it printed."""
    if hung:
        print(f"{name}: hung, killed after the time limit")
    code = proc.returncode
    how = f" (killed by {signal.Signals(-code).name})" if code < 0 else ""
    print(f"{name}: exit code {code}{how}")
    for line in output.splitlines():
        print(f"  stdout | {line}")
    for line in stderr.splitlines():
        if line and not line[0].isspace():
            print(f"  stderr | {line}")


# %%
# ``try_ctrl_c`` puts it together: it writes a script to a temporary folder,
# starts it, presses "Ctrl-C" once two tasks are running, reports, and keeps
# the times for the figure at the end. It returns what the script printed.
timelines = {}  # seconds from the start, for the figure


def try_ctrl_c(name, source):
    """Run ``source`` as a script, interrupt it, report; return its output."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "script.py")
        script.write_text(source)
        started = time.perf_counter()
        proc = start(script)
        output = wait_for_lines(proc, count=2, timeout=30)
        pressed = time.perf_counter()
        stdout, stderr, hung = press_ctrl_c(proc)
        ended = time.perf_counter()
    report(name, proc, output + stdout, stderr, hung)
    tracebacks = stderr.count("Traceback (most recent call last)")
    timelines[name] = (
        pressed - started,
        ended - started,
        proc.returncode,
        tracebacks,
    )
    return output + stdout, stderr


# %%
# The naive script
# ----------------
#
# The naive script: a pool of two workers maps ``work`` over four tasks of
# three seconds each. Each task prints a line when it starts.
NAIVE = """\
import multiprocessing
import time


def work(n):
    print(f"task {n} running", flush=True)
    time.sleep(3)
    return n


if __name__ == "__main__":
    pool = multiprocessing.Pool(processes=2)
    print(pool.map(work, range(4), chunksize=1))
    pool.close()
    pool.join()
"""

# %%
# Once both workers are running a task, the lesson presses "Ctrl-C". Every
# process of the group gets ``SIGINT``: Python raises ``KeyboardInterrupt``
# in the main process, waiting in ``map()``, and in each worker, in the
# middle of its task. The main process prints its traceback and, on its way
# out, terminates the workers. It then dies of the signal, as Python does
# for an uncaught ``KeyboardInterrupt``: exit code -2 seen from Python, 130
# in a shell.
if __name__ == "__main__":
    if sys.platform == "win32":
        print("This demonstration signals a POSIX process group: skipped.")
    else:
        stdout, stderr = try_ctrl_c("naive script", NAIVE)

# %%
# Usually three tracebacks, the main process's and one per worker (the
# ``Process ForkPoolWorker-1:`` lines and the like name the workers). The
# workers print theirs while being terminated, so some may be cut short or
# missing, and a pool replaces a worker that died: a fresh one sometimes
# starts the next task in between. The count varies between runs.
if __name__ == "__main__":
    if sys.platform != "win32":
        tracebacks = stderr.count("Traceback (most recent call last)")
        print(f"tracebacks printed: {tracebacks}")

# %%
# Worse: a wait that never ends
# -----------------------------
#
# It can be worse. A pool whose worker dies of ``SIGINT`` while the main
# process goes on waiting (``kill -INT`` sent to one worker, say) never gets
# that task's result: ``map()`` waits for ever. And where Ctrl-C cannot
# interrupt a wait on a lock (Python 2; Windows before Python 3.14), a
# ``map()`` without a timeout reacts to Ctrl-C only once it returns, if ever.
# That is why ``press_ctrl_c`` has a time limit.

# %%
# The clean script
# ----------------
#
# The clean script. Each worker runs :func:`signal.signal` with
# ``(SIGINT, SIG_IGN)`` as its initializer, so Ctrl-C leaves the workers
# alone; only the main process sees ``KeyboardInterrupt``. It waits with
# ``get(timeout=...)``, catches the interrupt, terminates and joins the pool,
# prints one line and exits with 130, the shell's code for "stopped by
# Ctrl-C". Run it in a terminal and press Ctrl-C to see the same.
CLEAN = """\
import multiprocessing
import signal
import sys
import time


def work(n):
    print(f"task {n} running", flush=True)
    time.sleep(3)
    return n


if __name__ == "__main__":
    ignore_ctrl_c = (signal.SIGINT, signal.SIG_IGN)
    with multiprocessing.Pool(
        processes=2, initializer=signal.signal, initargs=ignore_ctrl_c
    ) as pool:
        try:
            result = pool.map_async(work, range(4), chunksize=1)
            print(result.get(timeout=60))
        except KeyboardInterrupt:
            pool.terminate()
            pool.join()
            print("Interrupted: pool stopped, exiting.", flush=True)
            sys.exit(130)
"""

# %%
# The same Ctrl-C, sent to the clean script's whole group: the workers
# ignore it, the main process prints its message once, the standard error
# stays empty, and the exit code is the script's own.
if __name__ == "__main__":
    if sys.platform == "win32":
        print("This demonstration signals a POSIX process group: skipped.")
    else:
        stdout, stderr = try_ctrl_c("clean script", CLEAN)
        print(f"standard error: {len(stderr)} characters")

# %%
# A ProcessPoolExecutor
# ---------------------
#
# :class:`concurrent.futures.ProcessPoolExecutor` takes an initializer too,
# but it has no ``terminate()`` before Python 3.14. The nearest call is
# :meth:`~concurrent.futures.Executor.shutdown` with ``wait=False`` and
# ``cancel_futures=True``. This script tries it: a pool of two workers that
# ignore Ctrl-C, eight tasks of half a second, each of which prints a line
# when it starts and another when it is done.
EXECUTOR = """\
import concurrent.futures
import signal
import sys
import time


def work(n):
    print(f"task {n} running", flush=True)
    time.sleep(0.5)
    print(f"task {n} done", flush=True)
    return n


if __name__ == "__main__":
    ignore_ctrl_c = (signal.SIGINT, signal.SIG_IGN)
    executor = concurrent.futures.ProcessPoolExecutor(
        max_workers=2, initializer=signal.signal, initargs=ignore_ctrl_c
    )
    try:
        futures = [executor.submit(work, n) for n in range(8)]
        for future in futures:
            print(future.result(timeout=60))
    except KeyboardInterrupt:
        executor.shutdown(wait=False, cancel_futures=True)
        print("Interrupted: executor shut down, exiting.", flush=True)
        sys.exit(130)
    executor.shutdown()
"""


# %%
# The message comes at once, and yet the script goes on: the two tasks that
# were running finish, and so does any task already on the executor's *call
# queue*, which the workers read from. ``cancel_futures`` cancels only the
# futures still waiting in the executor; a task put on the call queue (it
# holds up to one more than the number of workers, ``EXTRA_QUEUED_CALLS`` in
# ``concurrent/futures/process.py``) is marked running and can no longer be
# cancelled. ``sys.exit()`` does not end the process either: the
# interpreter's exit waits for the executor's thread, which waits for those
# tasks. ``after_ctrl_c`` counts the tasks that ended after the script's
# message and says when the script and its workers were gone.
def after_ctrl_c(name, stdout):
    """Print what a script did after Ctrl-C, and how long it took."""
    pressed, ended = timelines[name][:2]
    after = stdout.split("Interrupted")[-1].splitlines()
    done = sum(line.endswith(" done") for line in after)
    print(f"tasks that ended after the message: {done}")
    print(f"every process gone {ended - pressed:.2f} s after Ctrl-C")


if __name__ == "__main__":
    if sys.platform == "win32":
        print("This demonstration signals a POSIX process group: skipped.")
    else:
        stdout, stderr = try_ctrl_c("executor, shutdown()", EXECUTOR)
        after_ctrl_c("executor, shutdown()", stdout)

# %%
# The fix stops the workers themselves. From Python 3.14,
# ``ProcessPoolExecutor.terminate_workers()`` (gh-128041) does it: it calls
# ``shutdown(wait=False, cancel_futures=True)`` and then ``terminate()`` on
# each live worker. ``terminate_workers()`` returns as soon as it has sent
# the signals; the script's exit then waits for the executor's thread, which
# sees the workers die, fails their futures and joins them. On an older
# Python the script terminates the workers by hand (they are its only child
# processes, so :func:`multiprocessing.active_children` lists them) and then
# waits for that thread itself, with ``shutdown(wait=True,
# cancel_futures=True)``. Without that wait, an exit while the thread closes
# its wake-up pipe can print ``Exception ignored on threading shutdown`` and a
# traceback ending in ``OSError: [Errno 9] Bad file descriptor``: the
# interpreter's exit writes to that pipe without a lock before Python 3.12.8
# and 3.13.1 (gh-125451 added the lock). So the lesson times the whole of it:
# from Ctrl-C until every process of the script is gone.
EXECUTOR_STOPPED = """\
import concurrent.futures
import multiprocessing
import signal
import sys
import time


def work(n):
    print(f"task {n} running", flush=True)
    time.sleep(0.5)
    print(f"task {n} done", flush=True)
    return n


def stop_workers(executor):
    if hasattr(executor, "terminate_workers"):  # Python 3.14+
        executor.terminate_workers()
        how = "terminate_workers()"
    else:
        for process in multiprocessing.active_children():
            process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)
        how = "terminate() on each worker"
    print(f"Interrupted: workers stopped with {how}, exiting.", flush=True)


if __name__ == "__main__":
    ignore_ctrl_c = (signal.SIGINT, signal.SIG_IGN)
    executor = concurrent.futures.ProcessPoolExecutor(
        max_workers=2, initializer=signal.signal, initargs=ignore_ctrl_c
    )
    try:
        futures = [executor.submit(work, n) for n in range(8)]
        for future in futures:
            print(future.result(timeout=60))
    except KeyboardInterrupt:
        stop_workers(executor)
        sys.exit(130)
    executor.shutdown()
"""

# %%
# The same Ctrl-C on that script. Its message says which branch this Python
# took; no task ends after it, and the script is gone as soon as its workers
# are. What becomes of each future is shown in
# :ref:`sphx_glr_lessons_02_pools_plot_08_concurrent_futures.py`.
if __name__ == "__main__":
    if sys.platform == "win32":
        print("This demonstration signals a POSIX process group: skipped.")
    else:
        stdout, stderr = try_ctrl_c("executor, stopped", EXECUTOR_STOPPED)
        after_ctrl_c("executor, stopped", stdout)

# %%
# The four runs on one time axis, as the lesson measured them: from starting
# each script until two tasks had announced themselves, then from Ctrl-C
# until the script and its workers had exited, with the exit code each one
# returned and the tracebacks it printed.
if __name__ == "__main__" and sys.platform != "win32":
    import multiprocessing
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    for row, run in enumerate(timelines.values()):
        working, ended, code, tracebacks = run
        ax.barh(row, working, height=0.4, color="C0")
        ax.barh(row, ended - working, left=working, height=0.4, color="C3")
        # Above the bar, where it fits whatever the bar's length.
        label = f" exit code {code}, {tracebacks} tracebacks"
        ax.text(0, row - 0.25, label, va="bottom")
    ax.barh(0, 0, color="C0", label="working: start until 2 tasks ran")
    ax.barh(0, 0, color="C3", label="Ctrl-C until every process exited")
    ax.set_yticks(range(len(timelines)), list(timelines))
    ax.set_ylim(len(timelines) - 0.5, -0.8)
    ax.set_xlabel("seconds since the script was started", loc="right")
    fig.legend(loc="outside lower center")
    fig.suptitle("One Ctrl-C sent to each script's process group")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# Always end the pool
# -------------------
#
# Workers that ignore ``SIGINT`` keep running until the main process stops
# them, so the main process must always end the pool: ``terminate()`` when
# interrupted (leaving the ``with`` block calls it too), ``close()`` and
# ``join()`` after normal work. An executor is different: leaving
# ``with ProcessPoolExecutor(...)`` calls ``shutdown(wait=True)``, which
# waits for every task submitted, so on Ctrl-C stop its workers as above
# before the block ends. On Windows, Ctrl-C in a console reaches every
# process attached to it, workers included, and the same pattern applies;
# before Python 3.14, wait there in short slices (``while not
# result.ready(): result.wait(timeout=0.5)``), so the interrupt is raised
# between two of them.
