"""The lesson process: runs one lesson's cells the way ``python lesson.py`` runs it.

The build starts ``python lesson_main.py COMMANDS RESULTS LESSON`` for each
lesson, in the lesson's folder, with descriptors 1 and 2 on a pseudo-terminal
it reads (see :mod:`mpdocs.run.lesson_process`). This file is standalone on
purpose: it imports nothing of mpdocs or Sphinx and starts no thread (and
cloudpickle only to save a figure, after a cell has run). Before
the first cell it replaces itself as ``__main__`` with a fresh module for the
lesson (``__file__`` is the lesson's path, ``__spec__`` is ``None``, and
``__mp_main__`` is the same module), so that spawn and forkserver children
re-run the lesson file as they do for a script.

Protocol, one message each way per cell, as length-prefixed JSON on two pipes:

* the build sends ``{"source", "lineno", "figures", "first_figure", "last"}``;
  ``figures`` is a path template with one ``{}`` for the figure's number,
  ``None`` to leave the cell's figures open for the next cell, or ``""`` to
  close them unsaved (a run whose figures the page does not show);
* the lesson process runs the cell in the lesson's module, prints an uncaught
  exception as the interpreter would, flushes its streams, saves and closes
  every open Matplotlib figure (PNG, plus a pickle for the translated
  figures), writes an end-of-cell marker to the terminal (an OSC sequence, so
  it is invisible even if it leaked), and answers
  ``{"status", "traceback", "figures", "memory"}``, ``status`` being
  ``"ok"``, ``"error"`` or ``"exit"`` (the lesson called ``sys.exit()``),
  ``memory`` its peak resident memory so far, in bytes.

After the last cell, after an error, or when the build closes the pipe, it
returns, and the interpreter ends as a script ends: it joins non-daemon
children and runs ``atexit`` and multiprocessing's finalizers. What they
print is the last cell's output.
"""

import __future__

import builtins
import contextlib
import importlib.machinery
import json
import os
import signal
import struct
import sys
import traceback
import types

HEADER = struct.Struct(">I")
MARKER = "\x1b]9999;mpdocs-cell-end-{}\x07"
FUTURE_FLAGS = [getattr(__future__, name).compiler_flag for name in __future__.all_feature_names]
#: This file's own module, kept alive once the lesson's module is ``__main__``.
RUNNER = sys.modules[__name__]


def read_message(fd):
    """The next message on ``fd``, or ``None`` once the other end is closed."""
    header = _read_exactly(fd, HEADER.size)
    if header is None:
        return None
    return json.loads(_read_exactly(fd, HEADER.unpack(header)[0]))


def write_message(fd, message):
    data = json.dumps(message).encode()
    data = HEADER.pack(len(data)) + data
    while data:
        data = data[os.write(fd, data) :]


def _read_exactly(fd, size):
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def alt_text(fig):
    """The figure's title: stable from run to run, so it can be translated."""
    title = fig._suptitle.get_text() if fig._suptitle is not None else ""
    return title or ", ".join(ax.get_title() for ax in fig.axes if ax.get_title())


def _figure_pickler(cloudpickle):
    """cloudpickle's Pickler, plus ``itertools.count``, which Python 3.14 no longer pickles
    (gh-101588) and a Matplotlib axis of categories holds (``UnitData._counter``)."""
    import ast
    import itertools

    class FigurePickler(cloudpickle.Pickler):
        def reducer_override(self, obj):
            if type(obj) is itertools.count:
                # repr: count(3) or count(3, 2), the next value and the step.
                return itertools.count, tuple(ast.literal_eval(f"[{repr(obj)[len('count(') : -1]}]"))
            return super().reducer_override(obj)

    return FigurePickler


def save_figures(template, first):
    """Save every open Matplotlib figure as PNG and pickle, in order, then close it."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return []
    # cloudpickle, not pickle: a lesson's figure may hold functions of its own
    # (a lambda as a tick formatter), which pickle can only name, and the
    # build that draws the figure again has no lesson module to find them in.
    import cloudpickle

    saved = []
    for number, fignum in enumerate(plt.get_fignums(), first):
        fig = plt.figure(fignum)
        path = template.format(number)
        try:
            fig.savefig(path)
            with open(os.path.splitext(path)[0] + ".pickle", "wb") as file:
                _figure_pickler(cloudpickle)(file).dump(fig)
            saved.append({"path": path, "alt": alt_text(fig)})
        finally:
            plt.close(fig)
    return saved


def close_figures():
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")


def peak_memory():
    """This process's peak resident memory in bytes, since it started this program.

    ``ru_maxrss`` would count the memory of the process that started it too
    (Linux carries it over ``exec``); ``VmHWM`` is this program's own.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # bytes on macOS


def lesson_module(path, doc):
    """A fresh ``__main__`` with what ``python path`` gives the script."""
    module = types.ModuleType("__main__", doc)
    module.__file__ = path
    module.__cached__ = None
    module.__loader__ = importlib.machinery.SourceFileLoader("__main__", path)
    module.__spec__ = None
    module.__builtins__ = builtins
    sys.modules["__main__"] = sys.modules["__mp_main__"] = module
    return module


def flush_streams():
    for stream in {sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__}:
        with contextlib.suppress(AttributeError, OSError, ValueError):  # closed or replaced
            stream.flush()


def run_cell(cell, module, flags):
    """Run one cell in ``module``; return (status, traceback text, future flags)."""
    try:
        source = "\n" * (cell["lineno"] - 1) + cell["source"]
        code = compile(source, module.__file__, "exec", flags, dont_inherit=True)
    except SyntaxError as error:
        error.__traceback__ = None  # the interpreter shows no frame for these
        return "error", _report(error), flags
    flags |= code.co_flags & sum(FUTURE_FLAGS)
    try:
        exec(code, module.__dict__)
    except SystemExit:
        raise
    except BaseException as error:
        # The frames above the lesson's own code are this file's.
        error.__traceback__ = error.__traceback__.tb_next
        return "error", _report(error), flags
    return "ok", None, flags


def _report(error):
    sys.excepthook(type(error), error, error.__traceback__)
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


def end_cell(terminal, results, number, status, text=None, figures=()):
    """Flush, mark the end of cell ``number`` in the terminal, then report it to the build."""
    flush_streams()
    os.write(terminal, MARKER.format(number).encode())
    message = {"status": status, "traceback": text, "figures": list(figures), "memory": peak_memory()}
    write_message(results, message)


def as_in_a_terminal():
    """Ctrl-C raises KeyboardInterrupt, as in a reader's terminal.

    A build started in the background by a shell without job control (a CI
    script, ``cmd &``) has SIGINT ignored, every program it starts inherits
    that, and Python then leaves it ignored: ``Process.interrupt()`` and
    ``os.kill(pid, SIGINT)`` would do nothing in the lesson and its children.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main():
    commands, results, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    as_in_a_terminal()
    for fd in (commands, results):
        os.set_inheritable(fd, False)
    terminal = os.dup(1)  # for the markers, even if the lesson redirects descriptor 1
    start = read_message(commands)
    sys.argv[:] = [os.path.basename(path)]  # as for `python lesson.py` in its folder
    sys.path[0] = os.path.dirname(path)
    module = lesson_module(path, start["doc"])
    flags = 0
    number = 0
    while True:
        cell = read_message(commands)
        if cell is None:
            return 0
        number += 1
        try:
            status, text, flags = run_cell(cell, module, flags)
        except SystemExit:
            end_cell(terminal, results, number, "exit")
            raise
        figures = []
        if status == "ok" and cell["figures"] is not None:
            try:
                if cell["figures"]:
                    figures = save_figures(cell["figures"], cell["first_figure"])
                else:
                    close_figures()
            except Exception as error:  # a figure that cannot be saved fails its cell
                status, text = "error", _report(error)
        end_cell(terminal, results, number, status, text, figures)
        if status != "ok":
            return 1
        if cell["last"]:
            return 0


if __name__ == "__main__":
    sys.exit(main())
