"""The threads or processes lesson, run as a script under each start method."""

from __future__ import annotations

import platform
import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "02_pools" / "plot_09_threads_or_processes.py"
INTERPRETERS = re.compile(r"^CPU-bound on (\d+) interpreters: \d+ms$")
ROW = re.compile(r"^(?P<workload>CPU-bound|I/O-bound) +(?P<workers>\d+) +\d+ms +\d+ms$")


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_every_workload_is_timed_on_both_kinds_of_pool(start_method):
    lines = lesson_lines(LESSON, start_method)
    cpus = int(lines[0].removeprefix("CPUs: "))
    assert lines[1].split() == ["workload", "workers", "threads", "processes"]
    rows = [(m["workload"], int(m["workers"])) for m in map(ROW.match, lines[2:]) if m]
    # Timings vary from run to run: only the rows themselves are guaranteed.
    counts = sorted({1, 2, 4, min(cpus, 8)})
    assert rows == [(w, n) for w in ("CPU-bound", "I/O-bound") for n in counts]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_the_run_says_what_its_python_offers_beyond_threads_and_processes(start_method):
    lines = lesson_lines(LESSON, start_method)
    version = platform.python_version()
    gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    assert f"Python {version}: {'the GIL is on' if gil else 'no GIL (free-threaded)'}" in lines
    cpus = int(lines[0].removeprefix("CPUs: "))
    interpreters = [int(m[1]) for m in map(INTERPRETERS.match, lines) if m]
    if sys.version_info >= (3, 14):
        assert interpreters == sorted({1, 2, 4, min(cpus, 8)})
    else:
        assert f"InterpreterPoolExecutor needs Python 3.14; this run used {version}" in lines
        assert interpreters == []


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_workers_run_the_script_under_another_name_so_the_guard_keeps_main_code_out(start_method):
    lines = lesson_lines(LESSON, start_method)
    # A forked worker is a copy of __main__; spawn and forkserver import the script again.
    name = "__main__" if start_method == "fork" else "__mp_main__"
    start = lines.index(f"a process worker ran this script as {name!r}")
    if sys.version_info < (3, 14):
        assert lines[start + 1 :] == [
            f"worker interpreters need Python 3.14; this run used {platform.python_version()}"
        ]
        return
    assert lines[start + 1 :] == [
        "a worker interpreter ran it as '<fake __main__>'",
        # Unguarded, the worker interpreter runs the pool again, and that pool's worker
        # cannot find the function: the call fails in the main interpreter.
        "without the main guard: exit code 1",
        "  the script runs as '__main__'",
        "  the script runs as '<fake __main__>'",
        "  Exception: AttributeError: module '__main__' has no attribute 'module_name'",
        "  concurrent.interpreters.NotShareableError: args not shareable",
        "with the main guard: exit code 0",
        "  the script runs as '__main__'",
        "  the script runs as '<fake __main__>'",
        "  <fake __main__>",
    ]
