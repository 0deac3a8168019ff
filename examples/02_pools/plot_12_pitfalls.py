r"""
Pitfalls and their fixes
========================

Seven mistakes that multiprocessing programs often make, each reproduced in a
few lines with the error or the symptom it causes, and then fixed. Where the
mistake would break this page itself, the reproduction runs as a separate
script.

Quick reference:

>>> import pickle
>>> pickle.loads(pickle.dumps(abs)) is abs
True
>>> try:
...     pickle.dumps(lambda x: 2 * x)
... except Exception as error:
...     print(type(error).__name__)
PicklingError
"""

# %%
# The functions that the pools and processes below run, all at the top level
# of the module, and two helpers: ``run_script`` runs a small program in a
# Python process of its own and returns what it printed; ``process_state``
# reads the state letter Linux shows for a process (``'Z'`` for a zombie), or
# ``'gone'``.
import collections
import io
import multiprocessing
import multiprocessing.connection
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

SEEN = []


def double(x):
    return 2 * x


def make_local():
    def local_double(x):
        return 2 * x

    return local_double


def remember(x):
    SEEN.append(x)
    return os.getpid(), list(SEEN)


def do_nothing():
    pass


def run_script(source, *options, env=None):
    with tempfile.TemporaryDirectory() as folder:
        script = os.path.join(folder, "script.py")
        with open(script, "w", encoding="utf-8") as file:
            file.write(source)
        command = [sys.executable, *options, script]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=30, env=env
        )


def process_state(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as file:
            stat = file.read()
    except FileNotFoundError:
        return "gone"
    return stat[stat.rindex(")") + 2]  # the field after the (command name)


# %%
# Functions that cannot be pickled
# --------------------------------
#
# **1. Lambdas and local functions cannot be pickled.** The pool pickles the
# function to send it to a worker, and :mod:`pickle` stores a function by its
# module and qualified name, which the worker looks up in that module. A
# ``lambda`` (named ``<lambda>``) or a function defined inside another function
# (``outer.<locals>.inner``) has such a name, but the lookup cannot find it.
# The error type depends on the Python version.
# The fix: a function defined at the top level of the module.
if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        for func in (lambda x: 2 * x, make_local()):
            try:
                pool.map_async(func, [1, 2, 3]).get(timeout=10)
            except Exception as error:
                print(f"{type(error).__name__}: {error}")
        print(
            "top-level function:",
            pool.map_async(double, [1, 2, 3]).get(timeout=10),
        )

# %%
# The missing main guard
# ----------------------
#
# **2. No** ``if __name__ == "__main__":`` **guard.** A spawn child imports
# the main module again, as ``__mp_main__``, to find the functions it runs.
# Without the guard it also runs the top-level code that starts the pool,
# and multiprocessing stops that with a ``RuntimeError``: the worker dies,
# the pool starts another, which dies the same way, and ``map()`` waits for
# ever. ``GUARDLESS`` is such a script, with a timeout of 1 s on its
# ``get()``; ``run_each_way`` runs it once per start method this platform
# has and prints its exit code, its output, and the errors on its standard
# error, each with how many times it appeared. A forked worker is a copy of
# the parent and imports nothing, so fork hides the mistake. Under
# forkserver, the default on Linux from Python 3.14, it depends on the
# version. Each worker imported the main module itself, as under spawn, up
# to 3.13.7 and 3.14.0. From 3.13.8 and 3.14.1 the fork server imports it
# once (gh-126631): on 3.14 the ``RuntimeError`` ends the server, and the
# parent's next request to it fails with ``ConnectionResetError``; from
# 3.15 the server ignores it (gh-141860), and each worker fails as under
# spawn.
GUARDLESS = """\
import multiprocessing

ctx = multiprocessing.get_context({method!r})
with ctx.Pool(processes=2) as pool:
    print(pool.map_async(abs, [-1, -2]).get(timeout=1))
"""
ERROR_LINE = re.compile(r"^[\w.]+Error\b.*", re.MULTILINE)
METHODS = [
    method
    for method in ("fork", "spawn", "forkserver")
    if method in multiprocessing.get_all_start_methods()
]


def run_each_way(source, methods):
    results = {}
    for method in methods:
        result = results[method] = run_script(source.format(method=method))
        print(f"{method}: exit code {result.returncode}")
        for line in result.stdout.splitlines():
            print("    printed:", line)
        errors = [e.rstrip(": ") for e in ERROR_LINE.findall(result.stderr)]
        for error, count in collections.Counter(errors).items():
            print(f"    {count}x {error}")
    return results


if __name__ == "__main__":
    print(f"Python {platform.python_version()}")
    guardless = run_each_way(GUARDLESS, METHODS)

# %%
# Every ``RuntimeError`` above has the same message, which names the fix:
if __name__ == "__main__":
    stderr = guardless["spawn"].stderr
    message = " ".join(stderr.rpartition("RuntimeError:")[2].split())
    print("RuntimeError:", message.split(". ")[0] + ".")

# %%
# The fix: everything that starts processes goes under the guard, so that the
# child imports the module without running it. A script that calls
# :func:`multiprocessing.set_start_method` at its top level fails the same
# way, even earlier: the child calls it again and gets
# ``RuntimeError: context has already been set``. The same script with the
# guard, under the start methods that failed:
GUARDED = """\
import multiprocessing

if __name__ == "__main__":
    ctx = multiprocessing.get_context({method!r})
    with ctx.Pool(processes=2) as pool:
        print(pool.map_async(abs, [-1, -2]).get(timeout=10))
"""

if __name__ == "__main__":
    run_each_way(GUARDED, [m for m in METHODS if m != "fork"])

# %%
# A pool never closed
# -------------------
#
# **3. A pool that is never closed.** A :class:`~multiprocessing.pool.Pool`
# that nobody closes keeps its worker processes until it is garbage collected
# or the program exits, at a moment you do not choose. When a running pool is
# collected, Python 3.8 and later emit a ``ResourceWarning``, hidden unless you
# run with ``-W always::ResourceWarning`` or ``-X dev``:
LEAKY = """\
import multiprocessing

if __name__ == "__main__":
    pool = multiprocessing.Pool(processes=2)
    print(pool.map_async(abs, [-1, -2]).get(timeout=10))
    del pool
"""

if __name__ == "__main__":
    result = run_script(LEAKY, "-W", "always::ResourceWarning")
    print(result.stdout.strip())
    for line in result.stderr.splitlines():
        if "ResourceWarning: unclosed" in line:
            print(line[line.index("ResourceWarning") :])

# %%
# The fix: a ``with`` block, which stops the workers at its end (collect
# your results inside it), or ``close()`` and then ``join()``, which lets the
# workers finish their tasks first.
CLOSED = """\
import multiprocessing

if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        print(pool.map_async(abs, [-1, -2]).get(timeout=10))
"""

if __name__ == "__main__":
    result = run_script(CLOSED, "-W", "always::ResourceWarning")
    print(result.stdout.strip(), "warnings:", result.stderr.count("Warning"))

# %%
# Zombie processes
# ----------------
#
# **4. Zombie processes.** On POSIX, a child that has ended stays in the
# process table as a *zombie* (state ``Z``) until its parent collects its exit
# code. ``join()``, ``is_alive()``, ``exitcode`` and
# :func:`multiprocessing.active_children` collect it; starting a new process
# collects the ones that ended before. A forkserver child is the fork
# server's child, and the server collects it at once, so this demo starts
# its child with spawn, which makes it a child of this process on every
# platform. The state comes from ``/proc``, so it is printed on Linux only.
if __name__ == "__main__":
    child = multiprocessing.get_context("spawn").Process(target=do_nothing)
    child.start()
    multiprocessing.connection.wait([child.sentinel], timeout=10)
    time.sleep(
        0.1
    )  # the child closes its pipes just before it becomes a zombie
    if sys.platform.startswith("linux"):
        print("after it ended:", repr(process_state(child.pid)))
        multiprocessing.active_children()
        print("after active_children():", repr(process_state(child.pid)))
    child.join(timeout=10)

# %%
# Global state in workers
# -----------------------
#
# **5. Global state in workers.** Each worker process has its own copy of the
# module, so ``remember`` appends to the worker's own ``SEEN``: the parent's
# list stays empty, and a worker's list keeps growing from task to task.
if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        answers = pool.map_async(remember, range(6), chunksize=1).get(
            timeout=10
        )
    last_seen = dict(
        answers
    )  # the list each worker returned with its last task
    print("the parent's SEEN:", SEEN)
    for pid, seen in sorted(last_seen.items()):
        print(f"worker {pid} saw: {seen}")

# %%
# The fix: return what you need and let the parent combine it. To share a
# list that every process changes, use a manager (see the manager lesson).
if __name__ == "__main__":
    with multiprocessing.Pool(processes=2) as pool:
        doubled = pool.map_async(double, range(6)).get(timeout=10)
    print("returned to the parent:", doubled)

# %%
# Interleaved prints
# ------------------
#
# **6. Prints from workers interleave.** In a terminal, Python writes each
# line of output at once. Into a pipe or a file, as for a log or in CI, it
# collects output in a buffer and writes it in blocks, cut anywhere in a
# line, and the blocks of different workers get mixed. A block is about
# ``io.DEFAULT_BUFFER_SIZE`` bytes: 8 KiB up to Python 3.13, 128 KiB
# from 3.14 (gh-117151), as the first line below says for this run. In
# ``CHATTY``, three workers print 2,000 lines of 80 bytes each at the same
# time, 160 kB per worker, more than one block; ``count_broken`` runs it
# with a given ``print`` line, here with Python's default buffering
# (``PYTHONUNBUFFERED`` unset), and counts the lines that came out broken:
CHATTY = """\
import multiprocessing
import sys
import time

PADDING = "." * 60

def chatty(n, barrier):
    barrier.wait(timeout=10)
    for i in range(2000):
        PRINT
        time.sleep(0.0001)

if __name__ == "__main__":
    barrier = multiprocessing.Barrier(3)
    workers = [
        multiprocessing.Process(target=chatty, args=(n, barrier))
        for n in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
"""
WHOLE_LINE = re.compile(r"worker \d line \d{4} \.{60}")
BROKEN_LINES = {}  # label: count, for the figure at the end


def count_broken(label, printing, env):
    script = CHATTY.replace("PRINT", printing)
    lines = run_script(script, env=env).stdout.splitlines()
    broken = [line for line in lines if not WHOLE_LINE.fullmatch(line)]
    print(f"{label}: {len(broken)} of {len(lines)} lines broken")
    BROKEN_LINES[label] = len(broken)
    for line in broken[:4]:
        print("   ", repr(re.sub(r"\.{3,}", "...", line)))


if __name__ == "__main__":
    print(f"io.DEFAULT_BUFFER_SIZE: {io.DEFAULT_BUFFER_SIZE} bytes")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    count_broken(
        "print(a, b, c)", 'print("worker", n, "line", f"{i:04}", PADDING)', env
    )

# %%
# A fix: one string per ``print`` and ``flush=True``, so each line leaves
# the process in a single write, and a single write to a pipe of at most
# ``PIPE_BUF`` bytes (4096 on Linux; POSIX guarantees 512) is never mixed with
# another.
FLUSHED = 'print(f"worker {n} line {i:04} {PADDING}", flush=True)'

if __name__ == "__main__":
    count_broken("one string, flush=True", FLUSHED, env)

# %%
# That fix holds only while Python buffers its output. With
# ``PYTHONUNBUFFERED=1`` (or ``python -u``), which PyCharm's run configurations
# and many Docker images set, ``print()`` writes its text and its newline in
# two writes, and another worker's line can land between them: the same script,
# unbuffered.
if __name__ == "__main__":
    unbuffered = {**env, "PYTHONUNBUFFERED": "1"}
    count_broken("unbuffered, flush=True", FLUSHED, unbuffered)

# %%
# What holds either way: the whole line, newline included, in one
# ``sys.stdout.write()``, then a flush. The :mod:`logging` module's handlers
# write each record that way too. Surest of all: return the results and print
# them in the parent.
ONE_WRITE = (
    'sys.stdout.write(f"worker {n} line {i:04} {PADDING}\\n"); '
    "sys.stdout.flush()"
)

if __name__ == "__main__":
    count_broken("buffered, one write", ONE_WRITE, env)
    count_broken("unbuffered, one write", ONE_WRITE, unbuffered)

# %%
# ``count_broken`` kept each count in ``BROKEN_LINES``. The figure shows them
# side by side for this run: only one write per line, flushed, kept every
# line whole under both buffering modes.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    labels = list(BROKEN_LINES)
    counts = list(BROKEN_LINES.values())
    colors = ["C3" if count else "C2" for count in counts]
    ax.barh(range(len(labels)), counts, color=colors)
    for row, count in enumerate(counts):
        ax.text(count, row, f" {count}", va="center")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(right=max(*counts, 10) * 1.15)
    ax.set_xlabel("broken lines, of 6000 printed by 3 workers")
    fig.suptitle("Output of 3 workers into one pipe: lines broken by style")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()

# %%
# Forking a process that runs threads
# -----------------------------------
#
# **7. Forking a process that runs threads.** ``fork()`` copies only the
# thread that calls it: a lock that another thread held at that moment stays
# held in the child for ever. From Python 3.12, :func:`os.fork` in a process
# that runs other threads emits a :exc:`DeprecationWarning` (gh-100228). It
# counts the threads of the whole process, so it also sees threads that C
# code started, which :func:`threading.active_count` does not count: here
# the watchdog thread of ``faulthandler.dump_traceback_later()``, which
# dumps every thread's traceback if the program hangs; libraries written in
# C, C++ or Rust start threads of their own too. The warning is raised in
# ``multiprocessing``'s code, not in ``__main__``, so Python's default
# filters hide it; pytest shows it in its summary. ``WATCHED`` is run with
# the default filters, with
# ``-W default::DeprecationWarning`` (show it) and with
# ``-W error::DeprecationWarning`` (make it an error): the output says what
# each printed, and the warning lines of its standard error.
WATCHED = """\
import faulthandler
import multiprocessing
import threading

if __name__ == "__main__":
    faulthandler.dump_traceback_later(60)  # a watchdog thread, started in C
    print("threading.active_count():", threading.active_count(), flush=True)
    ctx = multiprocessing.get_context({method!r})
    child = ctx.Process(target=print, args=("hello from the child",))
    child.start()
    child.join(timeout=10)
    print("exit code:", child.exitcode, flush=True)
    faulthandler.cancel_dump_traceback_later()
"""


def run_watched(method, action=None):
    options = ["-W", f"{action}::DeprecationWarning"] if action else []
    result = run_script(WATCHED.format(method=method), *options)
    how = " ".join(options) or "default warning filters"
    print(f"{method}, {how}: exit code {result.returncode}")
    for line in result.stdout.splitlines():
        print("    printed:", line)
    for line in result.stderr.splitlines():
        if "DeprecationWarning:" in line:
            warning = line[line.index("DeprecationWarning:") :]
            print("    stderr:", re.sub(r"pid=\d+", "pid=N", warning))


if __name__ == "__main__":
    print(f"Python {platform.python_version()}")
    if "fork" in METHODS:
        for action in (None, "default", "error"):
            run_watched("fork", action)
    else:
        print("the fork start method is not available on", sys.platform)

# %%
# Up to Python 3.14, ``-W error`` has no effect on this warning: the error
# is discarded, and the fork goes on. From 3.15 it is raised (gh-135427),
# from ``start()``, after the child was forked: the child runs, while the
# parent fails. So a test suite that turns warnings into errors, as many
# pytest configurations do (``filterwarnings = error``), passes on 3.14 and
# fails on 3.15.
#
# The fix: do not fork a process that runs threads. Start the pool or the
# processes before anything starts a thread, or use a start method that
# does not fork this process: spawn, or forkserver, whose server forks
# children from a process that runs no thread of yours. The same script
# under forkserver (spawn where there is none), with warnings made errors:
if __name__ == "__main__":
    if "fork" in METHODS:
        run_watched(
            "forkserver" if "forkserver" in METHODS else "spawn", "error"
        )
