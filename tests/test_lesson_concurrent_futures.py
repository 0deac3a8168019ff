"""The lesson on concurrent.futures executors, run as a script."""

from __future__ import annotations

import platform
import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines, value_printed_after

LESSON = EXAMPLES / "02_pools" / "plot_08_concurrent_futures.py"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_future_and_map_behave_alike_for_both_executors(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[:6] == [
        "done() right after submit(): False",
        "result(timeout=0.05): TimeoutError()",
        "result(timeout=10): 0.3",
        "done() now: True",
        # map() keeps the input order; only the thread pool runs in this process.
        "ProcessPoolExecutor: [0.3, 0.1, 0.2], all in this process: False",
        "ThreadPoolExecutor: [0.3, 0.1, 0.2], all in this process: True",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_as_completed_and_wait(start_method):
    lines = lesson_lines(LESSON, start_method)
    naps = [line for line in lines if " napped " in line]
    # Completion order is what the lesson shows, but timing is not asserted.
    assert sorted(naps) == ["process napped 0.4 s", "process napped 0.6 s", "thread napped 0.2 s"]
    first = re.fullmatch(r"first: done \[(0\.1|0\.5)\], not done 1", lines[9])
    assert first, lines[9]
    assert lines[10] == "all: done 2, not done 0"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_cancel_only_works_for_waiting_futures(start_method):
    lines = lesson_lines(LESSON, start_method)
    cancelled = value_printed_after(lines, "cancel(): ")
    assert len(cancelled) == 5
    # The running task and those queued for the worker stay; the rest are cancelled.
    assert cancelled[0] is False
    assert cancelled[-1] is True
    assert cancelled == sorted(cancelled)
    outcomes = value_printed_after(lines, "outcomes: ")
    assert outcomes == [0.2 if not c else "cancelled" for c in cancelled]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_shutdown_cancels_pending_futures(start_method):
    lines = lesson_lines(LESSON, start_method)
    [counts] = filter(None, (re.fullmatch(r"(\d+) finished, (\d+) cancelled", line) for line in lines))
    finished, cancelled = int(counts[1]), int(counts[2])
    assert finished + cancelled == 10
    assert finished >= 1
    assert cancelled >= 1


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_max_tasks_per_child_replaces_workers(start_method):
    lines = lesson_lines(LESSON, start_method)
    if sys.version_info >= (3, 11):
        expected = "4 tasks ran in 4 different worker processes"
    else:
        expected = "max_tasks_per_child needs Python 3.11 or later"
    assert lines[-1] == expected


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_running_tasks_are_stopped_with_terminate_workers_from_3_14(start_method):
    lines = lesson_lines(LESSON, start_method)
    if sys.version_info >= (3, 14):
        at = next(i for i, line in enumerate(lines) if line.startswith("the 60 s task's future was done "))
        # Not a timing test: the future is done (failed) within the 10 s wait, not after 60 s.
        assert re.fullmatch(r"the 60 s task's future was done \d\.\d s later", lines[at])
        outcomes = value_printed_after(lines, "the futures: ")
        # The running task and those handed to the worker's queue fail; the rest were cancelled.
        assert outcomes[0] == "BrokenProcessPool"
        assert outcomes[-1] == "cancelled"
        assert outcomes == sorted(outcomes)
        assert set(outcomes) == {"BrokenProcessPool", "cancelled"}
        assert lines[at + 2] == (
            "submit() afterwards: BrokenProcessPool: "
            "A child process terminated abruptly, the process pool is not usable anymore"
        )
    else:
        assert f"terminate_workers() needs Python 3.14; this run used {platform.python_version()}" in lines


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_map_takes_its_whole_input_unless_given_a_buffersize(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert "map() returned after taking 1000 of 1000 items" in lines
    if sys.version_info >= (3, 14):
        at = lines.index("map(buffersize=4) returned after taking 4")
        assert lines[at + 1] == "after reading 1 result it had taken 5"
    else:
        assert f"buffersize needs Python 3.14; this run used {platform.python_version()}" in lines
