r"""
What changes when forkserver is the default
===========================================

Python 3.14 made *forkserver* the default start method on Linux, where it
had been *fork* (gh-84559), so a program that worked for years may now fail
in ``start()``, hang, miss a setting or warn at exit. This lesson makes each
of these failures happen under both methods, prints the message you would
search for, and fixes it.

Quick reference:

>>> import multiprocessing, pickle, threading
>>> ctx = multiprocessing.get_context("spawn")  # a start method, on purpose
>>> ctx.get_start_method()
'spawn'
>>> with ctx.Pool(1) as pool:  # a task's function must pickle: abs does
...     pool.apply_async(abs, (-3,)).get(timeout=60)
3
>>> pickle.dumps(threading.Lock())  # what forkserver does to a child's args
Traceback (most recent call last):
  ...
TypeError: cannot pickle '_thread.lock' object
"""

# %%
# Find your symptom by the message you saw:
#
# - ``Can't pickle local object``, ``Can't get local object``, ``Can't
#   pickle <function <lambda>``, ``TypeError: cannot pickle '_thread.lock'
#   object``, ``cannot pickle '_io.TextIOWrapper' object`` (from Python
#   3.12: ``'TextIOWrapper' instances``), ``TypeError: cannot pickle
#   'SSLSocket' object``: :ref:`forkserver-default-pickle`.
# - ``ConnectionResetError: [Errno 104] Connection reset by peer`` from
#   ``start()`` or ``Pool()``; ``RuntimeError: An attempt has been made to
#   start a new process before the current process has finished its
#   bootstrapping phase``; a pool that never returns; ``FileNotFoundError:
#   [Errno 2] No such file or directory: '.../<stdin>'``:
#   :ref:`forkserver-default-main`.
# - A global variable or an environment variable that the child does not
#   see: :ref:`forkserver-default-globals`.
# - ``UserWarning: resource_tracker: There appear to be N leaked semaphore
#   objects to clean up at shutdown``: :ref:`forkserver-default-semaphores`.
# - ``RuntimeError: context has already been set``; ``RuntimeError: A
#   SemLock created in a fork context is being shared with a process in a
#   spawn context``: :ref:`forkserver-default-choose`.

# %%
# ``COMPARED`` holds the two start methods this lesson compares, where the
# platform has them: both exist on Linux and macOS, neither on Windows.
# ``start_child`` starts a child process and returns a short outcome and
# what a reader would see: the exit code, or the exception that ``start()``
# raised, with the first of the notes that Python 3.14 adds to pickling
# errors. ``RESULTS`` keeps every outcome for the figure at the end.
import collections
import functools
import itertools
import multiprocessing
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import traceback

AVAILABLE = multiprocessing.get_all_start_methods()
COMPARED = [m for m in ("fork", "forkserver") if m in AVAILABLE]
NOT_HERE = f"fork and forkserver do not exist on {sys.platform}: skipped"
RESULTS = {}  # symptom -> {column: (outcome, worked)}


def record(symptom, column, outcome, worked):
    RESULTS.setdefault(symptom, {})[column] = (outcome, worked)


def start_child(ctx, target, args=()):
    child = ctx.Process(target=target, args=args)
    try:
        child.start()
    except Exception as error:
        shown = traceback.format_exception_only(type(error), error)
        return type(error).__name__, "".join(shown).splitlines()[:2]
    child.join(timeout=60)
    if child.exitcode is None:
        child.kill()
        child.join()
    outcome = "works" if child.exitcode == 0 else "fails"
    return outcome, [f"exit code {child.exitcode}"]


# %%
# .. _forkserver-default-pickle:
#
# Targets and arguments must pickle
# ---------------------------------
#
# A fork child is a copy of its parent: the ``Process`` object, its target
# and its arguments are already in the child's memory, and nothing is
# pickled. A forkserver child, like a spawn child, gets them through a pipe,
# pickled by ``start()`` in the parent. :mod:`pickle` saves a function as
# its module and name, so a function defined inside another one, or a
# ``lambda``, cannot be found again; and an object that wraps something of
# the operating system (a :mod:`threading` lock, an open file, an encrypted
# connection) refuses to be pickled. A plain ``socket.socket`` is
# the exception: :mod:`multiprocessing` sends the child its file
# descriptor. Six targets under each method; under forkserver the error
# comes from ``start()``, in the parent, before any child exists:
def make_greeter(name):
    def greet():
        return f"hello, {name}"

    return greet


class Tally:
    """A count that several threads of a process may add to at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.total = 0

    def add(self, n=1):
        with self.lock:
            self.total += n


def first_line(file):
    return file.readline()


def local_address(sock):
    return sock.getsockname()


def tls_socket():
    context = ssl.create_default_context()
    return context.wrap_socket(socket.socket(), server_hostname="example.org")


if __name__ == "__main__":
    with (
        open(__file__, encoding="utf-8") as file,
        socket.socket() as plain,
        tls_socket() as tls,
    ):
        BROKEN = {
            "nested function as target": (make_greeter("world"), ()),
            "lambda as target": (lambda: make_greeter("world")(), ()),
            "method of an object with a lock": (Tally().add, ()),
            "open file as argument": (first_line, (file,)),
            "socket as argument": (local_address, (plain,)),
            "TLS socket as argument": (local_address, (tls,)),
        }
        for symptom, (target, args) in BROKEN.items():
            print(f"{symptom}:")
            for method in COMPARED:
                ctx = multiprocessing.get_context(method)
                outcome, lines = start_child(ctx, target, args)
                record(symptom, method, outcome, outcome == "works")
                print(f"  {method}: {lines[0]}")
                for line in lines[1:]:
                    print(f"    {line.strip()}")
    if not COMPARED:
        print(NOT_HERE)


# %%
# The fixes give the child what pickles. A function defined at the top
# level of a module is found by its name; :func:`functools.partial` binds
# it to the values that the nested function or the ``lambda`` took from
# around it. An object leaves its lock out of what it pickles
# (``__getstate__``) and makes a new one when it is unpickled
# (``__setstate__``); a lock that processes must share is one of
# :mod:`multiprocessing`'s, which pickles while a child starts. A file or
# a connection is opened again in the child, from its path or its address.
# All of this holds for a pool's ``initializer`` and ``initargs`` too, which
# its workers get as a ``Process`` gets its target and arguments.
def greet(name):
    return f"hello, {name}"


class PicklableTally(Tally):
    def __getstate__(self):
        state = self.__dict__.copy()
        del state["lock"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.lock = threading.Lock()


def first_line_of(path):
    with open(path, encoding="utf-8") as file:
        return file.readline()


def tls_local_address():
    with tls_socket() as sock:
        return sock.getsockname()


if __name__ == "__main__" and "forkserver" in COMPARED:
    with socket.socket() as plain:
        FIXED = {
            "nested function as target": (functools.partial(greet, "world"),),
            "lambda as target": (functools.partial(greet, "world"),),
            "method of an object with a lock": (PicklableTally().add,),
            "open file as argument": (first_line_of, (__file__,)),
            "socket as argument": (local_address, (plain,)),
            "TLS socket as argument": (tls_local_address,),
        }
        ctx = multiprocessing.get_context("forkserver")
        for symptom, (target, *args) in FIXED.items():
            outcome, lines = start_child(ctx, target, *args)
            record(symptom, "forkserver, fixed", outcome, outcome == "works")
            print(f"{symptom}, fixed, forkserver: {lines[0]}")

# %%
# .. _forkserver-default-main:
#
# The fork server runs your script's top level
# --------------------------------------------
#
# Under fork nothing of your script runs again in a child. Under forkserver
# the main module is imported again, as ``__mp_main__``, so that children
# find the functions defined in it: by each child up to Python 3.13.7 and
# in 3.14.0, as under spawn; by the fork server itself from 3.13.8 and
# 3.14.1, once, before it forks any child (gh-126631). Either way the top
# level runs again and the ``if __name__ == "__main__":`` block does not.
# ``run_program`` runs a program with a new Python, from a file or from
# standard input, in a folder of its own; a program still running after
# ``timeout`` seconds is stopped, with every process it started. ``show``
# prints its exit code, how many times its top level ran, what it printed,
# and from its standard error the last line of each traceback and each
# warning (marked ``stderr:``), repeats counted.
EXCEPTION = re.compile(r"[A-Za-z_][\w.]*(?:Error|Exception)(?::|$)")
WARNING = re.compile(r".*?: (\w+Warning): (.*?)(?:: \{.*\})?$")


def run_program(source, args=(), stdin=False, timeout=60):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "program.py")
        with open(path, "w", encoding="utf-8") as file:
            file.write(source)
        program = subprocess.Popen(
            [sys.executable, "-" if stdin else path, *args],
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=folder,
            # multiprocessing's own temporary folder goes in there too
            env={**os.environ, "TMPDIR": folder},
            start_new_session=True,  # POSIX: a process group of its own
        )
        try:
            out, err = program.communicate(
                source if stdin else None, timeout=timeout
            )
            code = program.returncode
        except subprocess.TimeoutExpired:
            os.killpg(program.pid, signal.SIGKILL)
            out, err = program.communicate()
            code = None
    return code, out, err


def error_lines(stderr):
    found, lines, after_error = [], stderr.splitlines(), False
    for i, line in enumerate(lines):
        warning = WARNING.match(line)
        if warning:
            found.append(f"{warning[1]}: {warning[2]}")
            after_error = False
        elif EXCEPTION.match(line):
            more = itertools.takewhile(  # the message, in indented lines
                lambda text: text[:1].isspace() and text.strip(),
                lines[i + 1 :],
            )
            found.append(" ".join([line.strip(), *map(str.strip, more)]))
            after_error = True
        elif line[:1].isspace():
            continue
        elif after_error and line and not line.startswith("Traceback"):
            found.append(line)  # a note added to the exception
        else:
            after_error = False
    counts = collections.Counter(
        re.sub(r"'[^']*/([^'/]*)'", r"'.../\1'", line) for line in found
    )
    return [
        line if n == 1 else f"{line} ({n} times)" for line, n in counts.items()
    ]


def show(label, result, timeout=60):
    code, out, err = result
    if code is None:
        print(f"{label}: still running after {timeout} s, stopped")
    else:
        print(f"{label}: exit code {code}")
    runs = out.count("top level ran")
    if runs:
        print(f"  top level ran {runs} time{'' if runs == 1 else 's'}")
    for line in out.replace("top level ran", "").splitlines():
        if line:
            print(f"  printed: {line}")
    for line in error_lines(err):
        print(f"  stderr: {line}")


def error_name(result):
    code, _, err = result
    if code is None:
        return "hangs"
    errors = error_lines(err)
    if code == 0 or not errors:
        return "works" if code == 0 else f"exit code {code}"
    return errors[-1].split(":")[0]


# %%
# ``NO_GUARD`` starts a pool at its top level, with no main guard. Under
# fork it works. Under forkserver, importing the main module starts a pool
# again, inside the process that imports it, and :mod:`multiprocessing`
# refuses with a ``RuntimeError``. What follows depends on the version.
# From Python 3.13.8 and 3.14.1 the error kills the fork server, the
# parent's connection to it is reset, and ``Pool()`` raises
# ``ConnectionResetError``. Before, and again in 3.15, where the fork server
# ignores a failure to preload any module, ``__main__`` included
# (gh-141860), each worker imports the module itself and dies of the same
# error; the pool starts a new one in its place, for ever, and ``map()``
# never returns. The lesson stops such a program after ``HANG`` seconds.
NO_GUARD = """\
import multiprocessing

print("top level ran", flush=True)
ctx = multiprocessing.get_context({method!r})


def square(x):
    return x * x


with ctx.Pool(2) as pool:
    print(pool.map(square, [1, 2, 3]))
    pool.close()
    pool.join()
"""
HANG = 5

if __name__ == "__main__":
    for method in COMPARED:
        result = run_program(NO_GUARD.format(method=method), timeout=HANG)
        show(f"no main guard, {method}", result, timeout=HANG)
        outcome = error_name(result)
        record("no main guard, Pool", method, outcome, outcome == "works")
    if not COMPARED:
        print(NOT_HERE)

# %%
# Python 3.15 adds ``on_error`` to
# :func:`~multiprocessing.set_forkserver_preload` (gh-141860): ``"ignore"``,
# the default, as above; ``"warn"``, an :class:`ImportWarning`, which Python
# hides unless you turn warnings on; ``"fail"``, which lets the error kill
# the fork server as in 3.14 and adds a note to the parent's error. It must
# be called before the fork server starts. A program that hangs this way
# can use it to fail at once instead:
PRELOAD = 'ctx.set_forkserver_preload(["__main__"], on_error="fail")'

if __name__ == "__main__" and "forkserver" in COMPARED:
    if sys.version_info >= (3, 15):
        source = NO_GUARD.replace("\n\n\ndef", f"\n{PRELOAD}\n\n\ndef", 1)
        result = run_program(source.format(method="forkserver"), timeout=HANG)
        show('no main guard, on_error="fail"', result, timeout=HANG)
    else:
        print(
            "set_forkserver_preload(on_error=...) is new in Python 3.15;"
            f" this run used {sys.version.split()[0]}"
        )

# %%
# The fix is the main guard: every line that starts processes goes under
# ``if __name__ == "__main__":``. The top level still runs in the process
# that imports the module for the children (the fork server from 3.13.8
# and 3.14.1, each worker before), so keep slow work and side effects out
# of it as well. (Both programs close and join their pool before the end
# of the ``with`` block, which would stop a worker still starting: so each
# worker that runs the top level is counted.)
GUARDED = """\
import multiprocessing

print("top level ran", flush=True)


def square(x):
    return x * x


if __name__ == "__main__":
    ctx = multiprocessing.get_context({method!r})
    with ctx.Pool(2) as pool:
        print(pool.map(square, [1, 2, 3]))
        pool.close()
        pool.join()
"""

if __name__ == "__main__" and "forkserver" in COMPARED:
    result = run_program(GUARDED.format(method="forkserver"))
    show("main guard, forkserver", result)
    outcome = error_name(result)
    worked = outcome == "works"
    record("no main guard, Pool", "forkserver, fixed", outcome, worked)

# %%
# A script read from standard input (``python - < script.py``, a heredoc
# in a CI job, ``curl ... | python -``) has ``'<stdin>'`` as the file name
# of its main module, and no file of that name exists. Under fork nothing
# looks for it. Under forkserver importing the main module fails with
# ``FileNotFoundError``: from 3.13.8 and 3.14.1 the error kills the fork
# server, so ``start()`` raises ``ConnectionResetError`` before any child
# runs; before, and in 3.15, the child dies of it, with exit code 1, and
# the parent goes on. The fix: save the script in a file and run the file.
CHILD_RUNS = """\
import multiprocessing

if __name__ == "__main__":
    ctx = multiprocessing.get_context({method!r})
    child = ctx.Process(target=print, args=("the child ran",))
    child.start()
    child.join(timeout=30)
    print("the child's exit code:", child.exitcode)
"""


def stdin_outcome(result):
    code, out, err = result
    if code != 0 or "the child's exit code: 0" in out:
        return error_name(result)
    return f"child: {error_lines(err)[-1].split(':')[0]}"


if __name__ == "__main__":
    for method in COMPARED:
        result = run_program(CHILD_RUNS.format(method=method), stdin=True)
        show(f"python - < program.py, {method}", result)
        outcome = stdin_outcome(result)
        record("script read from stdin", method, outcome, outcome == "works")
    if "forkserver" in COMPARED:
        result = run_program(CHILD_RUNS.format(method="forkserver"))
        show("python program.py, forkserver", result)
        outcome = stdin_outcome(result)
        worked = outcome == "works"
        record("script read from stdin", "forkserver, fixed", outcome, worked)
    else:
        print(NOT_HERE)

# %%
# .. _forkserver-default-globals:
#
# What a child sees: globals, environment, parent
# -----------------------------------------------
#
# A fork child starts with its parent's memory as it is at that moment. A
# forkserver child is forked from the fork server, which never ran your
# main block: a global variable that the parent changed at run time has,
# in the child, the value that importing the module gives it. The fork
# server also keeps the environment it started with, at the first
# forkserver child of the program (here, in the first section), so a
# change to :data:`os.environ` made later never reaches its children; a
# spawn child, a new process each time, gets the environment of the
# moment. And a forkserver child's parent is the fork server. ``CONFIG`` is
# ``{"verbose": False}`` when the module is imported; the main block makes
# it ``True`` and sets ``APP_MODE`` in the environment, then asks a pool
# worker of each start method what it sees.
CONFIG = {"verbose": False}


def what_child_sees(parent_pid):
    is_parent = os.getppid() == parent_pid
    return CONFIG["verbose"], os.environ.get("APP_MODE"), is_parent


def ask_a_worker(method, **pool_options):
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(1, **pool_options) as pool:
        answer = pool.apply_async(what_child_sees, (os.getpid(),))
        return answer.get(timeout=60)


def record_what_child_sees(column, verbose, mode):
    shown = "new value" if verbose else "old value"
    record("global set at run time", column, shown, verbose)
    shown = "seen" if mode == "debug" else "not seen"
    record("os.environ set later", column, shown, mode == "debug")


if __name__ == "__main__":
    CONFIG["verbose"] = True
    os.environ["APP_MODE"] = "debug"
    for method in ("fork", "spawn", "forkserver"):
        if method in AVAILABLE:
            verbose, mode, is_parent = ask_a_worker(method)
            print(
                f"{method}: CONFIG['verbose'] = {verbose},"
                f" APP_MODE = {mode!r},"
                f" its parent is this process: {is_parent}"
            )
            if method in COMPARED:
                record_what_child_sees(method, verbose, mode)


# %%
# The fix is to hand the child what it needs: to a ``Process`` as
# arguments, to a pool's workers through ``initializer`` and ``initargs``,
# run once in each worker as it starts. ``configure`` puts both values
# where the code in the worker looks for them. An environment variable can
# also be set before the program's first forkserver child, since the fork
# server starts with it; one that a library reads when it is imported has
# to be, since the fork server imports your main module and what it
# imports.
def configure(config, environ):
    CONFIG.update(config)
    os.environ.update(environ)


if __name__ == "__main__" and "forkserver" in COMPARED:
    environ = {"APP_MODE": os.environ["APP_MODE"]}
    verbose, mode, _ = ask_a_worker(
        "forkserver", initializer=configure, initargs=(CONFIG, environ)
    )
    print(
        f"forkserver, initializer=configure: CONFIG['verbose'] = {verbose},"
        f" APP_MODE = {mode!r}"
    )
    record_what_child_sees("forkserver, fixed", verbose, mode)

# %%
# .. _forkserver-default-semaphores:
#
# Semaphores and the resource tracker
# -----------------------------------
#
# On Linux and macOS, the locks, queues and pools of :mod:`multiprocessing`
# are built on named POSIX semaphores. A fork context removes their names
# at once: fork children inherit the semaphores themselves. In a forkserver
# or spawn context a child opens them by name, so the names stay, and a
# *resource tracker* process, started with the first of them, removes what
# a program leaves behind: when the program is killed before it removed
# them itself, the tracker removes them and warns. On Linux, where fork was
# the default, programs show this warning from Python 3.14 on. ``KILLED``
# makes a queue (three semaphores) and a lock (one), then receives
# ``SIGTERM``, the signal that ``kill``, ``timeout`` and a stopping
# container send.
KILLED = """\
import multiprocessing
import os
import signal
import sys
import time

if __name__ == "__main__":
    if sys.argv[1:] == ["--handle-sigterm"]:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    ctx = multiprocessing.get_context({method!r})
    queue = ctx.Queue()
    lock = ctx.Lock()
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)  # stands for the work that the signal interrupts
"""


def leak_outcome(result):
    warned = any("leaked semaphore" in line for line in error_lines(result[2]))
    return ("leak warning" if warned else "no warning"), not warned


if __name__ == "__main__":
    for method in COMPARED:
        result = run_program(KILLED.format(method=method))
        show(f"killed by SIGTERM, {method}", result)
        record("killed by SIGTERM", method, *leak_outcome(result))
    if not COMPARED:
        print(NOT_HERE)

# %%
# Nothing was left behind: the tracker removed the names, and its warning
# says that the program did not. A program that ends normally removes them
# itself, and a signal that Python turns into an exception lets it end
# normally: Ctrl-C is one already (``KeyboardInterrupt``), and
# :func:`signal.signal` makes ``SIGTERM`` one: here ``sys.exit(143)``, the
# exit code a shell reports for a program that ``SIGTERM`` ended. A
# program killed with ``SIGKILL`` (``kill -9``, the kernel's out-of-memory
# killer) cannot clean up, and the warning is then a true report.
if __name__ == "__main__" and "forkserver" in COMPARED:
    source = KILLED.format(method="forkserver")
    result = run_program(source, args=["--handle-sigterm"])
    show("SIGTERM handled, forkserver", result)
    record("killed by SIGTERM", "forkserver, fixed", *leak_outcome(result))

# %%
# .. _forkserver-default-choose:
#
# Choosing a start method on purpose
# ----------------------------------
#
# Python 3.14's default is forkserver where the platform can pass file
# descriptors between processes, except on macOS, and (a check that later
# bug-fix releases of 3.14 added, gh-155717) a temporary folder is
# writable; elsewhere it is spawn, as on macOS since Python 3.8 and on
# Windows always. Python 3.14 also lists the default first in
# :func:`~multiprocessing.get_all_start_methods`. The default is fixed by
# the first call of :func:`~multiprocessing.get_start_method`, or the first
# process, queue or lock made from the default context;
# :func:`~multiprocessing.set_start_method` raises ``RuntimeError`` after
# that, unless given ``force=True``.
if __name__ == "__main__":
    print("default start method:", multiprocessing.get_start_method())
    print("all start methods:", multiprocessing.get_all_start_methods())
    try:
        multiprocessing.set_start_method("spawn")
    except RuntimeError as error:
        print(f"set_start_method('spawn'): RuntimeError: {error}")


# %%
# In a program, choose once, in the first line of the main block:
# ``multiprocessing.set_start_method("forkserver")``. In a library, never
# change the program's default: use a context, or let the caller pass one,
# as :class:`~concurrent.futures.ProcessPoolExecutor` does with
# ``mp_context``, and make every queue, lock and process from that one
# context. Objects of two contexts do not mix: a lock made with
# ``get_context("fork")`` worked with ``multiprocessing.Process`` while
# both were fork, and fails when the default becomes forkserver. Python
# 3.11.5 and later refuse it in the parent (gh-77377); before, the child
# crashed.
def use_lock(lock):
    with lock:
        pass


if __name__ == "__main__" and "forkserver" in COMPARED:
    ctx = multiprocessing.get_context("forkserver")
    for made_by in ("fork", "forkserver"):
        lock = multiprocessing.get_context(made_by).Lock()
        outcome, lines = start_child(ctx, use_lock, (lock,))
        print(f"a lock of the {made_by} context, forkserver child: {lines[0]}")

# %%
# Choosing fork on purpose brings the old behaviour back on Linux, and the
# reasons it was left: a fork child gets a copy of every lock of its
# parent, held ones too, but only the thread that called fork, so in a
# program with threads (a logging handler's, a database driver's, a
# library's pool) a child can wait for ever on a lock that no thread of
# its own will release. Python 3.12 and later warn when a process with
# several threads forks (a ``DeprecationWarning``, hidden by default,
# gh-100228). Fork does not exist on Windows and is unsafe on macOS
# (bpo-33725). Take fork for a program you know, where a child must inherit
# something that does not pickle; forkserver or spawn everywhere else.


# %%
# Every symptom at a glance
# -------------------------
#
# Each cell of the figure is one run of this lesson: green where it worked,
# red where it failed, hung, warned or the child saw an old value. A long
# name goes on two lines, to fit a phone's screen.
def two_lines(text):
    if len(text) <= 13:
        return text
    if ": " in text:
        return text.replace(": ", ":\n", 1)
    capitals = [i for i, letter in enumerate(text) if letter.isupper() and i]
    if not capitals:
        return text
    middle = min(capitals, key=lambda i: abs(i - len(text) / 2))
    return f"{text[:middle]}\n{text[middle:]}"


if __name__ == "__main__":
    import platform

    import matplotlib.pyplot as plt

    columns = ["fork", "forkserver", "forkserver,\nfixed"]
    keys = ["fork", "forkserver", "forkserver, fixed"]
    colours = {True: ("#b5dfb0", "#1b5e20"), False: ("#f4b6b0", "#8b1a1a")}
    fig, ax = plt.subplots(figsize=(8, 7), layout="constrained")
    for row, (symptom, outcomes) in enumerate(RESULTS.items()):
        ax.text(-0.45, row - 0.3, symptom, va="bottom")
        for x, key in enumerate(keys):
            if key not in outcomes:
                continue
            outcome, worked = outcomes[key]
            cell, ink = colours[worked]
            ax.barh(row, 0.9, left=x - 0.45, height=0.55, color=cell)
            ax.text(
                x, row, two_lines(outcome), ha="center", va="center", color=ink
            )
    if not RESULTS:
        ax.text(1, 0, "no fork or forkserver here", ha="center")
    ax.set_xlim(-0.5, 2.5)
    ax.set_ylim(max(len(RESULTS), 1) - 0.5, -0.9)
    ax.set_xticks(range(len(columns)), columns)
    ax.xaxis.tick_top()
    ax.set_yticks([])
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    fig.suptitle("The same programs under fork and forkserver")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
