"""The failing-task lesson: exceptions come back with get(), dead workers differ by pool type."""

from __future__ import annotations

import platform
import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "02_pools" / "plot_06_errors.py"
NOT_A_NUMBER = "ValueError: invalid literal for int() with base 10: {!r}"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_errors_lesson(start_method):
    lines = lesson_lines(LESSON, start_method)

    # Silent until get(), which re-raises with the worker's traceback attached.
    assert lines[:6] == [
        "submitted and waited: no exception so far",
        "ready(): True, successful(): False",
        NOT_A_NUMBER.format("forty-two"),
        "__cause__: multiprocessing.pool.RemoteTraceback",
        "the worker's traceback passes through ['worker', 'parse']",
        "and ends with: " + NOT_A_NUMBER.format("forty-two"),
    ]
    # error_callback runs before wait() returns.
    assert lines[6:8] == [
        "error_callback got " + NOT_A_NUMBER.format("seven"),
        "successful(): False",
    ]
    # A callback that catches its own error leaves the pool working.
    assert lines[8:12] == [
        "callback: 1 / 4 = 0.25",
        "get() returned 4",
        "callback caught ZeroDivisionError: division by zero",
        "get() returned 0",
    ]
    # A dead worker: Pool waits until the timeout, the executor breaks.
    assert lines[12:14] == ["after 2 s: TimeoutError(), ready(): False", "pool terminated"]
    assert lines[14:16] == [
        "BrokenProcessPool: A process in the process pool was terminated abruptly"
        " while the future was running or pending.",
        "BrokenProcessPool: A child process terminated abruptly, the process pool is not usable anymore",
    ]
    # From 3.15 the exception's __cause__ names the dead worker and its exit code (gh-139462).
    if sys.version_info >= (3, 15):
        named = r"__cause__ \(Python 3\.15\+\): Process \d+ terminated abruptly with exit code 1"
        # The forkserver sends the exit code with the death; a forked or spawned worker
        # may not be reapable yet when the executor looks (gh-143620).
        if start_method == "forkserver":
            assert re.fullmatch(named, lines[16]), lines[16]
        else:
            assert re.fullmatch(named, lines[16]) or lines[16] == "__cause__ (Python 3.15+): None", lines[16]
    else:
        assert lines[16] == f"__cause__: None; this run used {platform.python_version()}"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_failing_initializer_restarts_pool_workers_and_breaks_an_executor(start_method):
    lines = lesson_lines(LESSON, start_method)
    at = lines.index("after 1 s: TimeoutError()")
    # The first worker's traceback, sent to stdout; the pool named the worker it started.
    first = lines.index("Traceback (most recent call last):")
    assert re.fullmatch(r"Process (Fork|Spawn|ForkServer)PoolWorker-\d+:", lines[first - 1])
    assert lines[first:at][-1] == "ConnectionError: database unreachable"
    assert "    initializer(*initargs)" in lines[first:at]
    # The pool kept starting workers whose initializer failed, until get() timed out.
    # Both workers failed; a forked replacement starts in milliseconds, so under fork and
    # forkserver more did within the second (a spawned one, under load, may take longer).
    restarts = int(re.fullmatch(r"workers started and failed so far: (\d+)", lines[at + 1])[1])
    assert restarts > 2 if start_method != "spawn" else restarts >= 2
    # The executor logs the initializer's traceback once and breaks at once.
    executor = lines[at + 2 :]
    assert executor[0] == "Exception in initializer:"
    assert executor[executor.index("ConnectionError: database unreachable") + 1 :] == [
        "BrokenProcessPool: A process in the process pool was terminated abruptly"
        " while the future was running or pending.",
        # The fix: the initializer keeps its error and the task raises it.
        "get() raised ConnectionError: database unreachable",
    ]
