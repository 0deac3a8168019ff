"""The failing-task lesson: exceptions come back with get(), dead workers differ by pool type."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from mpdocs.testing import START_METHODS, lesson_lines

LESSON = EXAMPLES / "02_pools" / "plot_06_errors.py"
NOT_A_NUMBER = "ValueError: invalid literal for int() with base 10: {!r}"


@pytest.mark.parametrize("start_method", START_METHODS)
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
    broken = lines[14:]
    assert len(broken) == 2
    assert all(line.startswith("BrokenProcessPool: ") for line in broken), broken
    assert "terminated abruptly" in broken[0]
