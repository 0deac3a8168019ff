"""The pitfalls lesson, run as a script under each start method."""

from __future__ import annotations

import ast
import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import START_METHODS, lesson_lines

LESSON = EXAMPLES / "02_pools" / "plot_12_pitfalls.py"
BOOTSTRAP = (
    "RuntimeError: An attempt has been made to start a new process before the "
    "current process has finished its bootstrapping phase."
)
UNCLOSED = (
    "ResourceWarning: unclosed running multiprocessing pool <multiprocessing.pool.Pool state=RUN pool_size=2>"
)
WORKER_SAW = re.compile(r"^worker \d+ saw: (\[.*\])$")


@pytest.mark.parametrize("start_method", START_METHODS)
def test_lambdas_and_local_functions_fail_to_pickle(start_method):
    lines = lesson_lines(LESSON, start_method)
    # The exception type and wording depend on the Python version.
    errors = ("PicklingError: ", "AttributeError: ")
    assert lines[0].startswith(errors)
    assert "<lambda>" in lines[0]
    assert lines[1].startswith(errors)
    assert "make_local.<locals>.local_double" in lines[1]
    assert lines[2] == "top-level function: [2, 4, 6]"


@pytest.mark.parametrize("start_method", START_METHODS)
def test_guard_warning_and_fixes(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[3:11] == [
        BOOTSTRAP,
        "exit code: 1",
        "hello from the child",
        "exit code: 0",
        "[1, 2]",
        UNCLOSED,
        "[1, 2] warnings: 0",
        # A forkserver child is collected by the fork server, never by us.
        "after it ended: 'gone'" if start_method == "forkserver" else "after it ended: 'Z'",
    ]
    assert lines[11] == "after active_children(): 'gone'"


@pytest.mark.parametrize("start_method", START_METHODS)
def test_each_worker_appends_to_its_own_list(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[12] == "the parent's SEEN: []"
    seen = [ast.literal_eval(m[1]) for m in map(WORKER_SAW.match, lines) if m]
    assert 1 <= len(seen) <= 2
    # Which worker ran which task varies; every task ran in exactly one of them.
    assert sorted(x for items in seen for x in items) == list(range(6))
    assert all(items == sorted(items) for items in seen)
    assert "returned to the parent: [0, 2, 4, 6, 8, 10]" in lines


@pytest.mark.parametrize("start_method", START_METHODS)
def test_one_flushed_string_per_print_keeps_lines_whole(start_method):
    lines = lesson_lines(LESSON, start_method)
    # How many unflushed lines break varies from run to run, and may be none.
    assert any(re.fullmatch(r"print\(a, b, c\): \d+ of 6000 lines broken", line) for line in lines)
    assert "one string, flush=True: 0 of 6000 lines broken" in lines


@pytest.mark.parametrize("start_method", START_METHODS)
def test_unbuffered_output_breaks_flushed_prints_but_not_single_writes(start_method):
    lines = lesson_lines(LESSON, start_method)
    # print() makes two writes when unbuffered, so some lines of three
    # workers printing 2,000 lines each at once meet (110 to 250 of 6,000 on
    # 2 CPUs here); one write per line keeps every line whole, buffered or not.
    [unbuffered] = [line for line in lines if line.startswith("unbuffered, flush=True: ")]
    broken = int(re.fullmatch(r"unbuffered, flush=True: (\d+) of 6000 lines broken", unbuffered)[1])
    assert broken > 0
    assert lines[-2:] == [
        "buffered, one write: 0 of 6000 lines broken",
        "unbuffered, one write: 0 of 6000 lines broken",
    ]
