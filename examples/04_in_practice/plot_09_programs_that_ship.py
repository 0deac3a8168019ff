r"""
Programs that ship
==================

A *spawn* child is a new Python process that must find your program again:
an interpreter to run, then your main module to import, then the function to
call. A program frozen into one executable (PyInstaller, cx_Freeze), an
interpreter embedded in another application or a script piped into
``python`` breaks one of these steps. This lesson shows what
:func:`multiprocessing.freeze_support` and
:func:`multiprocessing.set_executable` do about it, which main modules a
child can find, and how :func:`multiprocessing.set_forkserver_preload`
spares each forkserver child its imports.

Quick reference:

>>> import multiprocessing, os, sys
>>> from multiprocessing import spawn
>>> multiprocessing.freeze_support()  # returns at once: not frozen
>>> multiprocessing.set_executable(sys.executable)  # the default
>>> os.fsdecode(spawn.get_executable()) == sys.executable
True
"""

# %%
# ``interpreter`` tells which Python runs it: its executable, its prefix (a
# virtual environment's folder, or the installation's) and whether it can
# import matplotlib. ``run_python`` runs a program in a new Python process,
# from a file, with ``-m``, with ``-c`` or on standard input, and returns
# what it printed; ``last_error`` picks the exception line out of a
# traceback, without the folders of any path in it. ``show_child`` starts a
# spawn pool of one worker process and prints what ``interpreter`` returns
# there.
import importlib.util
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import spawn


def interpreter():
    has_matplotlib = importlib.util.find_spec("matplotlib") is not None
    return sys.executable, sys.prefix, has_matplotlib


def run_python(source, how="file", args=(), options=()):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "program.py")
        with open(path, "w", encoding="utf-8") as file:
            file.write(source)
        command, stdin = {
            "file": ([path, *args], None),
            "-m": (["-m", "program", *args], None),
            "-c": (["-c", source, *args], None),
            "stdin": (["-", *args], source),
        }[how]
        return subprocess.run(
            [sys.executable, *options, *command],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=folder,
        )


def last_error(stderr):
    errors = [
        line for line in stderr.splitlines() if re.match(r"\w+Error", line)
    ]
    return (
        re.sub(r"'[^']*[\\/]([^'\\/]*)'", r"'\1'", errors[-1])
        if errors
        else ""
    )


def show_child(label):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes=1) as pool:
        executable, prefix, has_matplotlib = pool.apply_async(interpreter).get(
            timeout=60
        )
    print(f"{label}: {executable}")
    print(f"    in this program's environment: {prefix == sys.prefix}")
    print(f"    can import matplotlib: {has_matplotlib}")


# %%
# What freeze_support() does
# --------------------------
#
# A frozen program has no ``python`` to start: its children are the program's
# own executable, started again with ``--multiprocessing-fork`` and the pipe
# to read the task from on the command line. The program then runs its
# ``if __name__ == "__main__":`` block from the top once more, so the first
# line there must be :func:`multiprocessing.freeze_support`: when the
# program is frozen (``sys.frozen`` set, as PyInstaller and cx_Freeze do) and
# ``sys.argv`` holds that flag, it runs the task and exits, and the rest of
# the block never runs in the child. In any other case it returns ``None`` at
# once. Up to Python 3.13.3 it acts on Windows only (PyInstaller and
# cx_Freeze patch in their own for the other platforms); from 3.13.4 and in
# 3.14 also on other platforms when the start method is spawn (gh-80334). In
# 3.13.4 to 3.13.12 and 3.14.0 to 3.14.3 the call also fixes the default
# start method, even in a program that is not frozen, so a
# :func:`multiprocessing.set_start_method` after it raises
# ``RuntimeError: context has already been set`` (gh-140814, fixed in
# 3.13.13 and 3.14.4); the last line below shows whether it did here.
if __name__ == "__main__":
    multiprocessing.freeze_support()

    print("sys.frozen:", getattr(sys, "frozen", False))
    print(
        "'--multiprocessing-fork' in sys.argv:",
        "--multiprocessing-fork" in sys.argv,
    )
    started = time.perf_counter()
    returned = multiprocessing.freeze_support()
    took = (time.perf_counter() - started) * 1e6
    print(f"freeze_support() returned {returned!r} after {took:.0f} µs")
    chosen = multiprocessing.get_start_method(allow_none=True)
    print(f"start method fixed by the calls above: {chosen!r}")


# %%
# ``multiprocessing.spawn.get_command_line()``, an undocumented helper,
# builds the start of a spawn child's command line. Normally it is the
# interpreter with a ``-c`` program that reads the task from the pipe. With
# ``sys.frozen`` set, for a moment, it is the program itself with the flag
# that ``freeze_support()`` looks for (``pipe_handle=7`` stands for the real
# pipe):
def shown(command):
    return [os.path.basename(os.fsdecode(arg)) for arg in command]


if __name__ == "__main__":
    print("normal:", shown(spawn.get_command_line(pipe_handle=7)))
    sys.frozen = True
    try:
        print("frozen:", shown(spawn.get_command_line(pipe_handle=7)))
    finally:
        del sys.frozen

# %%
# Choosing the interpreter: set_executable()
# ------------------------------------------
#
# A spawn child, the fork server and the resource tracker are started with
# the interpreter that ``multiprocessing.spawn.get_executable()`` returns:
# ``sys.executable`` unless :func:`multiprocessing.set_executable` was given
# another. An application that embeds Python, where ``sys.executable`` is the
# application itself, must point it at a real ``python`` (``pythonw.exe``
# for a program without a console on Windows). Here a child reports which
# interpreter runs it, before and after pointing it at
# ``sys._base_executable``: the Python that this virtual environment was made
# from (outside one, and on POSIX before Python 3.11, ``sys.executable``
# itself). Where that is another installation (``in this program's
# environment: False``), the child can still import matplotlib: spawn hands
# every child the parent's ``sys.path``. So the interpreter you choose must
# be the same Python version, able to load the packages on that path.
if __name__ == "__main__":
    in_venv = sys.prefix != sys.base_prefix
    print("this program runs in a virtual environment:", in_venv)
    print("get_executable():", os.fsdecode(spawn.get_executable()))
    show_child("spawn child")

    default = spawn.get_executable()
    multiprocessing.set_executable(sys._base_executable)
    print("after set_executable():", os.fsdecode(spawn.get_executable()))
    show_child("spawn child")
    multiprocessing.set_executable(default)

# %%
# The main module must be importable
# ----------------------------------
#
# Python 3.14 made forkserver the default start method on POSIX platforms
# other than macOS, where they can run a fork server (gh-84559; spawn
# otherwise), and its What's New points to the docs'
# restrictions of the spawn and forkserver methods: what the child gets is
# pickled (so it must be picklable), global variables the parent changed
# after import keep their imported value in the child, and the main module
# must be safe to import.
#
# A spawn child imports your main module again, as ``__mp_main__``, to find
# the functions you defined in it, and runs its top level (not the guarded
# block). For that it needs a file or a module name. ``PROGRAM`` starts two
# children with the start method named on its command line, here spawn:
# one runs ``hello``, defined in the program, the other
# ``print``, which every Python has. It is run four ways. From a file or
# with ``-m``, both children work and the top level runs once in each of
# them. With ``-c`` there is no file: nothing runs again, so no guard is
# needed, but ``hello`` cannot be found. On standard input (``python -``, a
# heredoc, a pipe) the main module's ``__file__`` is ``'<stdin>'``, and the
# child looks for a file of that name: both fail. Functions typed at the
# ``>>>`` prompt are lost the same way as those of ``-c``.
PROGRAM = """\
import multiprocessing
import sys

print("top level ran", flush=True)


def hello():
    print("hello ran", flush=True)


if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    for target in (hello, print):
        child = ctx.Process(target=target)
        child.start()
        child.join(timeout=30)
        print(f"exit code: {target.__name__} {child.exitcode}", flush=True)
"""

if __name__ == "__main__":
    ways = {
        "file": "python program.py",
        "-m": "python -m program",
        "-c": 'python -c "..."',
        "stdin": "python - < program.py",
    }
    for how, command in ways.items():
        result = run_python(PROGRAM, how, args=["spawn"])
        lines = result.stdout.splitlines()
        codes = ", ".join(
            line.removeprefix("exit code: ")
            for line in lines
            if line.startswith("exit code: ")
        )
        runs = lines.count("top level ran")
        print(f"{command}: top level ran in {runs} of 3; exit codes {codes}")
        if last_error(result.stderr):
            print("   ", last_error(result.stderr))

# %%
# Under forkserver, a program on standard input breaks the fork server
# itself. The children are forks of the server, and from Python 3.13.8 and
# 3.14.1 the server imports the main module once, for all of them
# (gh-126631; before, each child imported it, as under spawn). On 3.14 an
# error there ends the server, so ``start()`` in the parent fails with
# ``ConnectionResetError`` before any child runs, whatever it runs, even
# ``print``: a heredoc or a pipe into ``python``, common in CI scripts,
# breaks every use of the 3.14 default on Linux. From 3.15 the server
# ignores the error (gh-141860), and each child fails as under spawn. The
# same program, on standard input, under forkserver:
if __name__ == "__main__":
    if "forkserver" in multiprocessing.get_all_start_methods():
        result = run_python(PROGRAM, "stdin", args=["forkserver"])
        codes = ", ".join(
            line.removeprefix("exit code: ")
            for line in result.stdout.splitlines()
            if line.startswith("exit code: ")
        )
        print(
            f"forkserver, python - < program.py: exit code"
            f" {result.returncode}; children's exit codes: {codes or 'none'}"
        )
        print("   ", last_error(result.stderr))
    else:
        print("forkserver is not available on", sys.platform)

# %%
# Preloading the fork server
# --------------------------
#
# The fork server forks every child from itself, so a module it has
# imported is already imported in each child. By default it is given
# ``['__main__']``, but it only imports your main module from Python 3.13.8
# and 3.14.1 on (gh-126631, gh-137996); before, every child imported the
# main module, and all that it imports, again.
# :func:`~multiprocessing.set_forkserver_preload` replaces that list, so keep
# ``'__main__'`` in it; it must be called before the server starts, and by
# default an ``ImportError`` of a module in it is ignored without a word
# (Python 3.15 lets you choose, below). ``STARTUP``
# is a program whose main module imports :mod:`asyncio` (tens of
# milliseconds; large libraries take longer) and then starts seven children
# in a row, each of which reports whether it imported asyncio itself. It
# runs once per start method, and once more under forkserver with asyncio
# preloaded; the first child, which also starts the fork server, is left
# out.
STARTUP = """\
import json
import multiprocessing
import os
import sys
import time

started = time.perf_counter()
IMPORTED_BY = None if "asyncio" in sys.modules else os.getpid()
import asyncio  # what the tasks of this program need

IMPORT_MS = (time.perf_counter() - started) * 1000


def report(queue):
    queue.put(IMPORTED_BY == os.getpid())


if __name__ == "__main__":
    method, preload = sys.argv[1], sys.argv[2:]
    ctx = multiprocessing.get_context(method)
    if preload:
        ctx.set_forkserver_preload(preload)
    queue = ctx.Queue()
    times, imported_here = [], []
    for _ in range(7):
        started = time.perf_counter()
        child = ctx.Process(target=report, args=(queue,))
        child.start()
        imported_here.append(queue.get(timeout=30))
        child.join(timeout=30)
        times.append((time.perf_counter() - started) * 1000)
    print(json.dumps([IMPORT_MS, times[1:], imported_here[1:]]))
"""

if __name__ == "__main__":
    configurations = [("fork", []), ("spawn", []), ("forkserver", [])]
    configurations.append(("forkserver", ["__main__", "asyncio"]))
    startup = {}
    for method, preload in configurations:
        if method not in multiprocessing.get_all_start_methods():
            continue
        label = f"{method!r} + preload" if preload else repr(method)
        result = run_python(STARTUP, args=[method, *preload])
        if result.returncode != 0:
            print(f"{label}: failed:", last_error(result.stderr))
            continue
        import_ms, times, imported_here = json.loads(result.stdout)
        startup[label] = times
        median = statistics.median(times)
        print(
            f"{label}: {sum(imported_here)} of {len(times)} children"
            f" imported asyncio; median {median:.0f} ms"
        )
    print(f"importing asyncio took {import_ms:.0f} ms in the last program")
    if "forkserver" not in multiprocessing.get_all_start_methods():
        print("forkserver is not available on", sys.platform)

# %%
# Python 3.15 gives :func:`~multiprocessing.set_forkserver_preload` a
# keyword ``on_error`` (gh-141860): ``'ignore'``, the default, as before;
# ``'warn'``, which emits an :exc:`ImportWarning` in the server, a category
# that Python's default filters hide (``-W default::ImportWarning`` shows
# it); or ``'fail'``, which ends the server, so that ``start()`` fails with
# a ``ConnectionResetError`` and a note that says where to look. 3.15
# handles an error while the server imports the main module the same way
# (on 3.14 it always ends the server, as above). ``PRELOAD`` asks the
# server for a module that does not exist, under each setting. On an older
# Python this cell says so.
PRELOAD = """\
import multiprocessing
import sys

if __name__ == "__main__":
    ctx = multiprocessing.get_context("forkserver")
    modules = ["__main__", "no_such_module"]
    ctx.set_forkserver_preload(modules, on_error=sys.argv[1])
    child = ctx.Process(target=print, args=("child ran",))
    child.start()
    child.join(timeout=30)
    print("exit code:", child.exitcode, flush=True)
"""
REPORTED = re.compile(r"\b\w+(Error|Warning): .*|^Forkserver process.*")

if __name__ == "__main__":
    if "forkserver" not in multiprocessing.get_all_start_methods():
        print("forkserver is not available on", sys.platform)
    elif sys.version_info >= (3, 15):
        settings = [("ignore", []), ("warn", [])]
        settings += [("warn", ["-W", "default::ImportWarning"]), ("fail", [])]
        for on_error, options in settings:
            result = run_python(PRELOAD, args=[on_error], options=options)
            shown = " ".join([f"on_error={on_error!r}", *options])
            print(f"{shown}: exit code {result.returncode}")
            for line in result.stdout.splitlines():
                print("    printed:", line)
            for line in result.stderr.splitlines():
                if reported := REPORTED.search(line):
                    print("    stderr:", reported[0])
    else:
        print(
            "set_forkserver_preload(on_error=...) needs Python 3.15;"
            " this run used",
            sys.version.split()[0],
        )

# %%
# The time from ``start()`` to ``join()`` of each child, as dots, and their
# median, as a bar. A child that imported asyncio itself paid for it; one
# forked from a process that had imported it did not. The counts printed
# above say which children paid on this Python.
if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    labels = list(startup)
    medians = [statistics.median(startup[label]) for label in labels]
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    ax.barh(range(len(labels)), medians, color="tab:blue", alpha=0.4)
    for y, label in enumerate(labels):
        ax.plot(startup[label], [y] * len(startup[label]), "o", color="black")
        ax.annotate(
            f"{medians[y]:.0f} ms",
            (max(startup[label]), y),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
        )
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max(max(times) for times in startup.values()) * 1.25)
    ax.set_xlabel("milliseconds from start() to join()")
    fig.suptitle("Starting a child whose main module imports asyncio")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
