r"""
Run pools from a prompt or a notebook
=====================================

Under spawn (the default on macOS and Windows) a worker process is a fresh
interpreter, and under forkserver (the default on Linux from Python 3.14) a
fork of one: either finds a task's function by its module and name, and
imports the module if it must. A function typed at the ``>>>`` prompt or in a
Jupyter cell belongs to a ``__main__`` module with no file behind it, so the
workers cannot find it. This lesson types into a real interactive interpreter
to show the error, why fork is spared, the fix (put the function in a module
file), and what happens when a tool gives the prompt a file after all.

Quick reference:

>>> import math
>>> import multiprocessing
>>> with multiprocessing.Pool(2) as pool:  # a function from a module works
...     print(pool.map_async(math.factorial, range(5)).get(timeout=10))
[1, 1, 2, 6, 24]
"""

# %%
# ``at_prompt`` starts ``python -q -i``: ``-i`` gives the interactive prompt
# even when the input comes from a pipe, ``-q`` leaves out the banner. It
# types ``lines`` into it as a reader would, and returns what the session
# printed once it has read them all and exited. Prompts and tracebacks go to
# its standard error, where ``PROMPTS`` strips the ``>>>`` and ``...``
# prompts. ``WORKED`` records the outcome of every session, for the figure at
# the end. Everything runs in a temporary folder.
import collections
import multiprocessing
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PROMPTS = re.compile(r"^(?:(?:>>>|\.\.\.) )+")
ERROR_LINE = re.compile(r"^[\w.]+(?:: .*|Error)$")
WORKED = {}


def at_prompt(lines, method, folder):
    return subprocess.run(
        [sys.executable, "-q", "-i"],
        input=lines.format(method=method),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=folder,
    )


def stderr_lines(result):
    return [PROMPTS.sub("", line) for line in result.stderr.splitlines()]


def show(result):
    """What the session printed, and the last line of every traceback."""
    for line in result.stdout.splitlines():
        print("  printed:", line)
    errors = [line for line in stderr_lines(result) if ERROR_LINE.match(line)]
    for line, count in collections.Counter(errors).items():
        print(f"  error, {count}x: {line}")


def record(place, method, result, success):
    worked = WORKED[place, method] = success in result.stdout
    print(f"{place}, {method}: {'works' if worked else 'fails'}")


# spawn everywhere, and fork where the platform has it (not on Windows)
AVAILABLE = multiprocessing.get_all_start_methods()
TRIED = [method for method in ("spawn", "fork") if method in AVAILABLE]


# %%
# A function typed at the prompt
# ------------------------------
#
# These are the lines a reader types: choose spawn (what macOS and Windows
# use anyway), define ``f``, map it over a pool. ``map_async(...).get()``
# with a timeout instead of ``map()``, because ``map()`` would wait for
# ever here: no result comes back.
PROMPT_FUNCTION = """\
import multiprocessing
multiprocessing.set_start_method({method!r})
def f(x): return x * x

with multiprocessing.Pool(2) as pool:
    print(pool.map_async(f, range(4)).get(timeout=3))

"""

if __name__ == "__main__":
    workspace = tempfile.TemporaryDirectory()
    folder = workspace.name
    result = at_prompt(PROMPT_FUNCTION, "spawn", folder)
    record("def at the prompt", "spawn", result, "[0, 1, 4, 9]")
    show(result)

# %%
# The pool pickles ``f`` as a reference, "``f`` in module ``__main__``". A
# spawn worker starts a new interpreter and prepares its own ``__main__``
# from the parent's main file, but an interactive session has none: the
# worker keeps the interpreter's own, empty ``__main__``, which has no ``f``,
# and unpickling the task raises ``AttributeError`` (its wording depends on
# the Python version; the lines above are this one's). The worker dies with
# it, the pool starts a new one, which takes the next task and dies the same
# way; no result ever comes, so ``get()`` times out and the ``with`` block
# stops the workers. The last traceback, the one the prompt printed:
if __name__ == "__main__":
    lines = stderr_lines(result)
    last = max(i for i, line in enumerate(lines) if line.startswith("Trace"))
    print("\n".join(line for line in lines[last:] if line))

# %%
# Under fork it works
# -------------------
#
# The same lines with fork. A forked worker is a copy of the interpreter that
# typed them, ``f`` included, so the lookup succeeds, as long as ``f`` was
# defined before the pool started its workers. Fork exists on POSIX systems
# only, not on Windows, and it is no longer the default anywhere: spawn on
# macOS since Python 3.8, and on Linux since 3.14 forkserver, or spawn where
# the system cannot run a fork server (gh-84559). On Linux before 3.14,
# functions typed at the prompt simply worked.
if __name__ == "__main__":
    if "fork" in TRIED:
        result = at_prompt(PROMPT_FUNCTION, "fork", folder)
        record("def at the prompt", "fork", result, "[0, 1, 4, 9]")
        show(result)
    else:
        print("fork is not available on", sys.platform)

# %%
# The documentation of :mod:`concurrent.futures` warns about this in its
# `ProcessPoolExecutor
# <https://docs.python.org/3/library/concurrent.futures.html#processpoolexecutor>`__
# section: "The ``__main__`` module must be importable by worker
# subprocesses. This means that ProcessPoolExecutor will not work in the
# interactive interpreter." (The note came with bpo-11161; newer versions of
# the page add "A function defined in a REPL or a lambda should not be
# expected to work.") Under spawn the worker dies the same way, but the
# executor notices and fails the future with
# :class:`~concurrent.futures.process.BrokenProcessPool` instead of waiting.
# Under fork the same lines work.
PROMPT_EXECUTOR = """\
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
def f(x): return x * x

context = multiprocessing.get_context({method!r})
with ProcessPoolExecutor(2, mp_context=context) as executor:
    print(executor.submit(f, 3).result(timeout=10))

"""

if __name__ == "__main__":
    for method in TRIED:
        print(f"ProcessPoolExecutor, {method}:")
        show(at_prompt(PROMPT_EXECUTOR, method, folder))

# %%
# The fix: a module file
# ----------------------
#
# Put the function in a ``.py`` file and import it at the prompt. The task
# now refers to ``square`` in module ``square_worker``, which a spawn worker
# can import, since it starts in the same folder with the same ``sys.path``.
# A notebook's kernel is an interactive interpreter too: in Jupyter, the
# file goes next to the notebook (the ``%%writefile`` cell magic can write it
# from a cell). The lesson writes the file to its
# temporary folder, where every session runs.
SQUARE_WORKER = """\
def square(x):
    return x * x
"""
MODULE_FUNCTION = """\
import multiprocessing
multiprocessing.set_start_method({method!r})
from square_worker import square
with multiprocessing.Pool(2) as pool:
    print(pool.map_async(square, range(4)).get(timeout=10))

"""

if __name__ == "__main__":
    Path(folder, "square_worker.py").write_text(SQUARE_WORKER)
    result = at_prompt(MODULE_FUNCTION, "spawn", folder)
    record("def in a module file", "spawn", result, "[0, 1, 4, 9]")
    show(result)

# %%
# Cells of a file, with ``__file__`` set
# --------------------------------------
#
# Some tools run the ``# %%`` cells of a ``.py`` file, like this lesson's,
# in an interactive interpreter, and set ``__file__`` there to the file's
# path: the interactive window of VS Code does (vscode-jupyter issue 13993,
# closed as "won't fix"). A spawn worker then prepares its ``__main__`` from
# that file, as it would for ``python analysis.py``: it runs the whole file
# as ``__mp_main__``, every cell, including the one that starts the pool,
# and multiprocessing stops that with a ``RuntimeError``. The worker dies,
# the pool starts another, and so on until ``get()`` times out.
# ``ANALYSIS`` is such a file; the session sets ``__file__`` as the tool
# does and runs the file's cells, one after the other. ``summarise`` prints
# how many times each line came out, with the worker numbers left out.
ANALYSIS = """\
# cell 1
import multiprocessing

name = multiprocessing.current_process().name
print("cell 1 ran in " + name, flush=True)


def f(x):
    return x * x

# cell 2
ctx = multiprocessing.get_context({method!r})
with ctx.Pool(2) as pool:
    print(pool.map_async(f, range(4)).get(timeout=2))

"""


def run_cells(cells, method, folder):
    path = Path(folder, "analysis.py")
    path.write_text(cells.format(method=method))
    return at_prompt(f"__file__ = {str(path)!r}\n{cells}", method, folder)


def summarise(result):
    printed = [
        re.sub(r"-\d+$", "-N", line) for line in result.stdout.split("\n")
    ]
    for line, count in collections.Counter(filter(None, printed)).items():
        print(f"  printed, {count}x: {line}")
    errors = [line for line in stderr_lines(result) if ERROR_LINE.match(line)]
    for line, count in collections.Counter(errors).items():
        print(f"  error, {count}x: {line.rstrip(': ')}")


if __name__ == "__main__":
    print("cells with __file__ set, spawn:")
    summarise(run_cells(ANALYSIS, "spawn", folder))

# %%
# The fix is the one for any script: guard the cell that starts processes
# with ``if __name__ == "__main__":``. In the interactive window
# ``__name__`` is ``"__main__"``, so the cell runs there; a worker runs the
# file as ``__mp_main__`` and skips it. The rest of the file still runs in
# each worker as it starts, as the ``cell 1 ran`` lines show: keep the
# cells' top level cheap (no data loading, no plots) or put it under the
# guard too.
GUARDED_CELLS = ANALYSIS.replace(
    """ctx = multiprocessing.get_context({method!r})
with ctx.Pool(2) as pool:
    print(pool.map_async(f, range(4)).get(timeout=2))
""",
    """if __name__ == "__main__":
    ctx = multiprocessing.get_context({method!r})
    with ctx.Pool(2) as pool:
        print(pool.map_async(f, range(4)).get(timeout=10))
""",
)

if __name__ == "__main__":
    print("guarded cells with __file__ set, spawn:")
    summarise(run_cells(GUARDED_CELLS, "spawn", folder))

# %%
# A lambda for a Process
# ----------------------
#
# A :class:`~multiprocessing.Process` pickles its target too, except under
# fork. A ``lambda`` has no name that :mod:`pickle` can look up in its module,
# so under spawn ``start()`` fails at once, in the interpreter that typed it,
# before the child process is started. The same lines under fork start the
# child, which runs the lambda.
PROMPT_LAMBDA = """\
import multiprocessing
multiprocessing.set_start_method({method!r})
p = multiprocessing.Process(target=lambda: print("hello from a lambda"))
p.start(); p.join(timeout=10); print("exit code:", p.exitcode)
"""

if __name__ == "__main__":
    for method in TRIED:
        result = at_prompt(PROMPT_LAMBDA, method, folder)
        record("lambda for a Process", method, result, "exit code: 0")
        show(result)

# %%
# What worked where
# -----------------
#
# The remaining combinations of start method and place, for every start
# method this platform has: forkserver behaves as spawn, since its workers
# come from a server process that never saw the prompt either.
PLACES = {
    "def at the prompt": (PROMPT_FUNCTION, "[0, 1, 4, 9]"),
    "def in a module file": (MODULE_FUNCTION, "[0, 1, 4, 9]"),
    "lambda for a Process": (PROMPT_LAMBDA, "exit code: 0"),
}

if __name__ == "__main__":
    methods = [m for m in ("fork", "spawn", "forkserver") if m in AVAILABLE]
    for method in methods:
        for place, (lines, success) in PLACES.items():
            if (place, method) not in WORKED:
                result = at_prompt(lines, method, folder)
                record(place, method, result, success)
    workspace.cleanup()

# %%
# Each square of the figure is one interactive session of this run. Only the
# module file works under every start method. Fork accepts everything: its
# workers are copies of the interpreter at the prompt, so they find ``f`` by
# name, and it does not pickle the target of a ``Process`` at all.
if __name__ == "__main__":
    import os
    import platform

    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    places = list(PLACES)
    grid = [[WORKED[place, method] for place in places] for method in methods]
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    colours = ListedColormap(["#f4b6b0", "#b5dfb0"])
    ax.imshow(grid, cmap=colours, vmin=0, vmax=1, aspect="auto")
    for row, outcomes in enumerate(grid):
        for column, worked in enumerate(outcomes):
            text = "works" if worked else "fails"
            ax.text(column, row, text, ha="center", va="center", fontsize=12)
    ax.set_xticks(range(len(places)), places)
    ax.set_yticks(range(len(methods)), methods)
    ax.set_xlabel("where the function was defined")
    ax.set_ylabel("start method")
    ax.set_xticks([x + 0.5 for x in range(len(places) - 1)], minor=True)
    ax.set_yticks([y + 0.5 for y in range(len(methods) - 1)], minor=True)
    ax.grid(which="minor", color="white", linewidth=4)
    ax.tick_params(which="both", length=0)
    fig.suptitle("Pools and processes started from an interactive prompt")
    stamp = (
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        f" · start method: {multiprocessing.get_start_method()!r}"
    )
    ax.set_title(stamp, fontsize=8, color="grey")
    plt.show()
