"""The lesson on a process pool used from asyncio, run as a script under each start method."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_13_asyncio.py"
SECONDS = r"\d+\.\d+ s"


def matches(pattern: str, line: str) -> bool:
    return re.fullmatch(pattern, line) is not None


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_gather_returns_results_in_the_order_of_the_calls_and_errors_in_place(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[0] == "results: [1, 2, 3, 4]"
    # The calls end in whatever order the workers finish them.
    ended = re.fullmatch(r"the calls ended in the order \[(.*)\]", lines[1])
    assert ended is not None, lines[1]
    assert sorted(ended[1].split(", ")) == ["1", "2", "3", "4"]
    assert matches(r"the loop ticked \d+ times while the workers computed", lines[2])
    assert lines[3] == "[7, ValueError(\"invalid literal for int() with base 10: 'seven'\")]"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_timeout_leaves_the_call_running_and_the_worker_busy(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert matches(rf"TimeoutError after {SECONDS}", lines[4])
    # A call a worker has taken cannot be cancelled: it runs to the end.
    assert lines[5:7] == ["the call was cancelled: False", "the call is still running: True"]
    assert matches(rf"the next call returned 1 {SECONDS} after the first", lines[7])
    assert lines[8] == "the first call's result, unused: 'finished'"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_stop_event_ends_the_call_that_timed_out(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert matches(rf"timed out; the call returned 'stopped' after {SECONDS}", lines[9])
    # The call that ended in time is untouched.
    assert lines[10:12] == ["stopped", "finished"]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_shutdown_in_the_loop_freezes_it_and_in_a_thread_does_not(start_method):
    lines = lesson_lines(LESSON, start_method)
    # While shutdown() waits in the event loop, no coroutine runs: not one tick.
    assert matches(rf"pool\.shutdown\(\): {SECONDS}, 0 ticks meanwhile", lines[12])
    assert matches(
        rf"await asyncio\.to_thread\(pool\.shutdown\): {SECONDS}, \d+ ticks meanwhile",
        lines[13],
    )
    assert len(lines) == 14
