r"""
Logging from workers
====================

A program configures :mod:`logging` once, in the parent, and its workers call
``logger.info()``. Whether those records appear, and in which format, depends
on the start method. This lesson shows what each start method does with them,
the pattern that works under all of them (a queue to one listener in the
parent), the logger of :mod:`multiprocessing` itself, and why several
processes should not write one log file.

Quick reference:

>>> import logging, logging.handlers, multiprocessing
>>> log_queue = multiprocessing.Queue()
>>> logger = logging.getLogger("quickref")
>>> logger.addHandler(logging.handlers.QueueHandler(log_queue))
>>> logger.warning("from %s", "a worker")
>>> record = log_queue.get(timeout=10)
>>> record.levelname, record.getMessage()
('WARNING', 'from a worker')
"""

# %%
# The functions below sit at the top level of the module, where workers can
# find them under every start method. ``task`` logs as it works;
# ``setup_worker_logging`` is the pool's initializer, which sends every record
# of a worker to a queue; ``Recorder`` is a handler that keeps, for the
# figure, when each record reached the parent. ``run_script`` runs a small
# program in a Python process of its own, and ``show`` prints what that
# program wrote to its standard output and its standard error.
import logging
import logging.handlers
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time

logger = logging.getLogger("lesson")


def task(n):
    logger.info("task %d started", n)
    time.sleep(0.05 * (n % 3 + 1))
    if n == 4:
        logger.warning("task %d is slower than it should be", n)
    logger.info("task %d done", n)
    return n * n


def setup_worker_logging(log_queue):
    root = logging.getLogger()
    root.handlers.clear()  # under fork: the copies of the parent's handlers
    root.addHandler(logging.handlers.QueueHandler(log_queue))
    root.setLevel(logging.INFO)


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__()
        self.received = []

    def emit(self, record):
        when = time.time()
        self.received.append(
            (when, record.process, record.levelname, record.getMessage())
        )


def run_script(source, *args):
    with tempfile.TemporaryDirectory() as folder:
        script = os.path.join(folder, "script.py")
        with open(script, "w", encoding="utf-8") as file:
            file.write(source)
        command = [sys.executable, script, *args]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=60
        )


def show(result):
    for line in result.stdout.splitlines():
        print("   stdout |", line)
    for line in result.stderr.splitlines():
        print("   stderr |", line)


# %%
# A logger configured in the parent
# ---------------------------------
#
# ``CONFIGURED`` is what many programs do: :func:`logging.basicConfig` under
# the ``__main__`` guard, with a format that names the process, then a worker
# that logs one ``INFO`` and one ``WARNING`` record and prints the handlers of
# its root logger. Each run below uses one start method, through
# :func:`multiprocessing.get_context`.
CONFIGURED = """\
import logging
import multiprocessing
import sys

logger = logging.getLogger("app")


def work():
    print("root handlers in the worker:", logging.getLogger().handlers)
    logger.info("worker: info")
    logger.warning("worker: warning")


if __name__ == "__main__":
    logging.basicConfig(
        level=logging.INFO,
        format="%(levelname)s [%(processName)s] %(message)s",
    )
    logger.info("parent: info")
    ctx = multiprocessing.get_context(sys.argv[1])
    worker = ctx.Process(target=work)
    worker.start()
    worker.join(timeout=10)
"""

if __name__ == "__main__":
    for method in ("fork", "spawn", "forkserver"):
        if method in multiprocessing.get_all_start_methods():
            print(f"start method {method!r}:")
            show(run_script(CONFIGURED, method))

# %%
# Under fork the worker is a copy of the parent, configured root logger
# included: its records come out in the parent's format. A spawn worker starts
# in a fresh interpreter, and a forkserver worker is forked from one; either
# imports the module without running the guarded ``basicConfig()``, so its root
# logger has no handler. Its ``INFO`` record is dropped (the root level is
# still ``WARNING``), and its ``WARNING`` goes to standard error through
# :data:`logging.lastResort`, a handler of last resort that writes the bare
# message, without your format. Python 3.14 made forkserver the default on
# Linux and the other POSIX systems but macOS (spawn where the system cannot
# run a fork server): a program whose workers logged fine there up to 3.13
# now logs like this.

# %%
# One writer: a queue and a listener
# ----------------------------------
#
# The pattern that works under every start method: each worker's root logger
# gets a :class:`logging.handlers.QueueHandler`, which puts every record on a
# :class:`multiprocessing.Queue`; in the parent, a
# :class:`logging.handlers.QueueListener` thread takes them off the queue and
# hands them to the real handlers. Only the parent formats and writes. The
# pool's ``initializer`` installs the handler in each worker; it first removes
# the handlers a forked worker inherited, or each record would be written
# twice. The parent logs through the queue too.
if __name__ == "__main__":
    log_queue = multiprocessing.Queue()
    console = logging.StreamHandler(sys.stdout)
    console.setFormatter(
        logging.Formatter(
            "%(asctime)s.%(msecs)03d %(processName)s (pid %(process)d)"
            " %(levelname)s: %(message)s",
            datefmt="%H:%M:%S",
        )
    )
    recorder = Recorder()
    listener = logging.handlers.QueueListener(log_queue, console, recorder)
    root = logging.getLogger()
    to_queue = logging.handlers.QueueHandler(log_queue)
    root.addHandler(to_queue)  # the parent's own records go the same way
    root.setLevel(logging.INFO)
    with multiprocessing.Pool(
        2, initializer=setup_worker_logging, initargs=(log_queue,)
    ) as pool:
        listener.start()  # once the workers exist: see below
        try:
            logger.info("pool of 2 workers started")
            squares = pool.map_async(task, range(6), chunksize=1).get(30)
            pool.close()
            pool.join()  # the workers exit, and send what their queues hold
            logger.info("results: %s", squares)
        finally:
            listener.stop()  # handles the records left on the queue, then ends
    root.removeHandler(to_queue)

# %%
# Every line came through the one listener, in the parent, in one format,
# with the name and process ID of the process that logged it. A record
# carries them from the worker: :class:`logging.LogRecord` fills in
# ``processName`` and ``process`` (and ``created``, the time of the call)
# where the call is made. ``QueueHandler`` formats the message before
# pickling the record, so the arguments need not be picklable.
# :meth:`~logging.handlers.QueueListener.stop` waits until the listener has
# handled every record already on the queue. A worker hands its records to a
# background thread that feeds the queue, so the pool is closed and joined
# before the ``with`` block ends: leaving the block calls ``terminate()``,
# which could stop a worker before that thread has sent its last records.
#
# The listener starts after the pool has started its workers. Under fork, a
# child is a copy of its parent at one instant, locks included, and only of
# the thread that forked: had the listener been writing a line to
# ``sys.stdout`` at that instant, the worker would hold a copy of the
# stream's lock that no thread of its own will ever release, and hang when
# it flushes its output on exit. Python 3.12 and later warn about forking a
# process that runs several threads, with a ``DeprecationWarning`` that is
# hidden by default.

# %%
# The figure shows when the listener received each record, one row per
# process; a grey bar spans each task, from its ``started`` record to its
# ``done`` record.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    received = recorder.received
    t0 = received[0][0]
    workers = sorted({pid for _, pid, _, _ in received} - {os.getpid()})
    pids = [os.getpid(), *workers]
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    started = {}
    for when, pid, _, message in received:
        words = message.split()
        if words[0] == "task" and words[2] == "started":
            started[words[1]] = when
        elif words[0] == "task" and words[2] == "done":
            begin = 1000 * (started[words[1]] - t0)
            ax.barh(
                pids.index(pid),
                1000 * (when - t0) - begin,
                left=begin,
                height=0.5,
                color="lightgrey",
                edgecolor="white",
            )
            name = f"task {words[1]}"
            ax.text(begin + 5, pids.index(pid) - 0.3, name, fontsize=9)
    for level, color in {"INFO": "C0", "WARNING": "C3"}.items():
        points = [(t, pid) for t, pid, name, _ in received if name == level]
        ax.scatter(
            [1000 * (t - t0) for t, _ in points],
            [pids.index(pid) for _, pid in points],
            s=40,
            color=color,
            label=level,
            zorder=3,
        )
    labels = [f"parent pid {pid}" for pid in pids[:1]]
    labels += [f"worker pid {pid}" for pid in workers]
    ax.set_yticks(range(len(pids)), labels)
    ax.set_ylim(len(pids) - 0.5, -0.5)
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel("time the listener received the record (ms)")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), title="level")
    fig.suptitle("Log records of all processes reach one listener")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# The queue must reach the workers when they start, as the initializer's
# argument. Passed with each task instead, a :class:`multiprocessing.Queue`
# cannot be pickled, and the pool says why. For a queue that travels with
# the tasks, use ``multiprocessing.Manager().Queue()``: a proxy, which can
# be pickled.
if __name__ == "__main__":
    with multiprocessing.Pool(1) as pool:
        try:
            pool.apply_async(setup_worker_logging, (log_queue,)).get(10)
        except RuntimeError as error:
            print(f"{type(error).__name__}: {error}")

# %%
# From Python 3.14, :class:`~logging.handlers.QueueListener` is also a
# context manager (gh-132106): the ``with`` block starts the listener and
# stops it at the end, even if the block raises. On an older Python this
# cell says so; ``start()`` and ``stop()`` in a ``try``/``finally``, as
# above, do the same.
if __name__ == "__main__":
    if sys.version_info >= (3, 14):
        initargs = (log_queue,)
        with (
            multiprocessing.Pool(1, setup_worker_logging, initargs) as pool,
            logging.handlers.QueueListener(log_queue, console),
        ):
            pool.apply_async(task, (4,)).get(10)
            pool.close()
            pool.join()
    else:
        print(
            "QueueListener as a context manager needs Python 3.14;"
            " this run used",
            sys.version.split()[0],
        )
    log_queue.close()
    log_queue.join_thread()

# %%
# The logger of multiprocessing
# -----------------------------
#
# :mod:`multiprocessing` logs what it does (processes started and ended,
# semaphores created, finalizers run) to a logger of its own, returned by
# :func:`multiprocessing.get_logger`. That logger does not propagate its
# records to the root logger, so ``basicConfig()`` does not show them, and it
# has no handler until you add one:
if __name__ == "__main__":
    mp_logger = multiprocessing.get_logger()
    print(
        f"name {mp_logger.name!r}, propagate {bool(mp_logger.propagate)},"
        f" handlers {mp_logger.handlers}"
    )

# %%
# :func:`multiprocessing.log_to_stderr` adds a handler that writes to
# standard error in the format ``[LEVEL/process name] message`` and sets the
# level; children inherit the setting, under spawn and forkserver too.
# ``MP_LOGGED`` creates a :class:`multiprocessing.Lock` and runs one child at
# level ``DEBUG``; what it printed to standard error:
MP_LOGGED = """\
import logging
import multiprocessing

if __name__ == "__main__":
    multiprocessing.log_to_stderr(logging.DEBUG)
    lock = multiprocessing.Lock()
    child = multiprocessing.Process(target=print, args=("hello",))
    child.start()
    child.join(timeout=10)
"""

if __name__ == "__main__":
    show(run_script(MP_LOGGED))

# %%
# At ``INFO``, lines such as ``child process calling self.run()`` and
# ``process shutting down`` remain, without the ``DEBUG`` ones.
# ``multiprocessing.util`` also defines the levels ``SUBDEBUG`` (5) and
# ``SUBWARNING`` (25); at ``SUBDEBUG``, shown as ``Level 5``, every finalizer
# call is logged as well.

# %%
# Several processes, one log file
# -------------------------------
#
# A :class:`logging.FileHandler` opened in the parent before the workers are
# forked is shared badly. Each worker gets a copy of the handler: the same
# open file, but its own lock, which no other process respects, and nothing
# orders the writes of different processes. A plain file in append mode
# usually gets whole lines on a local disk, because each record is one
# ``write()``, but nothing promises it (think of a network file system). A
# :class:`logging.handlers.RotatingFileHandler` is worse: each copy decides
# on its own when to rotate, and renames the file while the others still
# write to it. Under spawn and forkserver nothing is inherited at all,
# and the workers' records never reach the file, as the first section
# showed. The logging cookbook says it plainly: logging to a single file
# from several processes is not supported.
#
# ``ROTATING`` forks three workers that log 300 lines each to one rotating
# file (500 bytes per file and enough backups to keep every line), then
# counts the lines the files hold. With ``shared``, the workers use the
# handler they inherited; with ``queue``, they send their records to a
# ``QueueListener`` in the parent, the only process that writes the file.
ROTATING = """\
import glob
import logging
import logging.handlers
import multiprocessing
import os
import sys
import tempfile

logger = logging.getLogger("app")


def work(n, barrier, log_queue):
    if log_queue is not None:
        logger.handlers = [logging.handlers.QueueHandler(log_queue)]
    barrier.wait(timeout=10)
    for i in range(300):
        logger.info("worker %d line %03d", n, i)


if __name__ == "__main__":
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "app.log")
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=500, backupCount=1000
    )
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    ctx = multiprocessing.get_context("fork")
    log_queue = ctx.Queue() if sys.argv[1] == "queue" else None
    barrier = ctx.Barrier(3)
    workers = [
        ctx.Process(target=work, args=(n, barrier, log_queue))
        for n in range(3)
    ]
    for worker in workers:
        worker.start()
    if log_queue is not None:
        listener = logging.handlers.QueueListener(log_queue, handler)
        listener.start()
    for worker in workers:
        worker.join(timeout=30)
    if log_queue is not None:
        listener.stop()
    handler.close()
    lines = 0
    for name in glob.glob(path + "*"):
        with open(name, encoding="utf-8") as file:
            lines += len(file.read().splitlines())
        os.remove(name)
    os.rmdir(folder)
    print(f"{sys.argv[1]}: 900 lines logged, {lines} in the files")
"""

if __name__ == "__main__":
    if "fork" in multiprocessing.get_all_start_methods():
        for mode in ("shared", "shared", "shared", "queue"):
            result = run_script(ROTATING, mode)
            errors = result.stderr.count("--- Logging error ---")
            print(result.stdout.strip(), f"({errors} logging errors)")
    else:
        print("the fork start method is not available on", sys.platform)

# %%
# The shared handler was run three times, because how many lines it loses,
# and whether a worker fails to rename a file another worker just renamed
# (the "Logging error" it prints to its standard error), varies from run to
# run; a run may even lose none, which is how this bug slips through tests.
# With the listener, one process writes and rotates the file, and every line
# arrives.
