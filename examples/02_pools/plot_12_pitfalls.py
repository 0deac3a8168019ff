r"""
Pitfalls and their fixes
========================

Six mistakes that multiprocessing programs often make, each reproduced in a
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
import multiprocessing
import multiprocessing.connection
import os
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
# **2. No** ``if __name__ == "__main__":`` **guard.** Under spawn (the default
# on macOS and Windows) a child imports the main module again to find the
# target function. Without the guard, the child runs the top-level code that
# starts a process too, and multiprocessing stops it with a ``RuntimeError``;
# the child exits with code 1, as the demo below shows. Under forkserver (the
# default on Linux and other POSIX systems but macOS from Python 3.14) the
# same happens in each child up to Python 3.13.7 and 3.14.0; from 3.13.8 and
# 3.14.1 the fork server imports the main module itself (gh-126631), so the
# error happens in the server instead and can show differently.
GUARDLESS = """\
import multiprocessing

ctx = multiprocessing.get_context("spawn")
child = ctx.Process(target=print, args=("hello from the child",))
child.start()
child.join(timeout=10)
print("exit code:", child.exitcode)
"""

if __name__ == "__main__":
    result = run_script(GUARDLESS)
    message = " ".join(result.stderr.rpartition("RuntimeError:")[2].split())
    print("RuntimeError:", message.split(". ")[0] + ".")
    print(result.stdout.strip())

# %%
# The fix: everything that starts processes goes under the guard, so that the
# child imports the module without running it. A script that calls
# :func:`multiprocessing.set_start_method` at its top level fails the same
# way, even earlier: the child calls it again and gets
# ``RuntimeError: context has already been set``.
GUARDED = """\
import multiprocessing

if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=print, args=("hello from the child",))
    child.start()
    child.join(timeout=10)
    print("exit code:", child.exitcode)
"""

if __name__ == "__main__":
    print(run_script(GUARDED).stdout.strip())

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
# server's child, and the server collects it at once. The state comes from
# ``/proc``, so it is printed on Linux only.
if __name__ == "__main__":
    child = multiprocessing.Process(target=do_nothing)
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
# writes in blocks of several kilobytes, cut anywhere in a line, and the blocks
# of different workers get mixed. In ``CHATTY``, three workers print 2,000
# lines each at the same time; ``count_broken`` runs it with a given ``print``
# line, here with Python's default buffering (``PYTHONUNBUFFERED`` unset), and
# counts the lines that came out broken:
CHATTY = """\
import multiprocessing
import sys
import time

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
WHOLE_LINE = re.compile(r"worker \d line \d+")
BROKEN_LINES = {}  # label: count, for the figure at the end


def count_broken(label, printing, env):
    script = CHATTY.replace("PRINT", printing)
    lines = run_script(script, env=env).stdout.splitlines()
    broken = [line for line in lines if not WHOLE_LINE.fullmatch(line)]
    print(f"{label}: {len(broken)} of {len(lines)} lines broken")
    BROKEN_LINES[label] = len(broken)
    for line in broken[:4]:
        print("   ", repr(line))


if __name__ == "__main__":
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    count_broken("print(a, b, c)", 'print("worker", n, "line", i)', env)

# %%
# A fix: one string per ``print`` and ``flush=True``, so each line leaves
# the process in a single write, and a single write to a pipe of at most
# ``PIPE_BUF`` bytes (4096 on Linux; POSIX guarantees 512) is never mixed with
# another.
FLUSHED = 'print(f"worker {n} line {i}", flush=True)'

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
ONE_WRITE = 'sys.stdout.write(f"worker {n} line {i}\\n"); sys.stdout.flush()'

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
