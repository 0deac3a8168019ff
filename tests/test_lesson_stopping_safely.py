"""The lesson on stopping workers safely, run as a script under each start method."""

from __future__ import annotations

import platform
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_07_stopping_safely.py"


def outcome(label: str, exitcode: int, cleaned_up: bool) -> list[str]:
    return [
        f"{label}: exit code {exitcode}",
        f"    'cleanup done' written: {cleaned_up}",
        f"    lock.acquire(timeout=1) in the parent: {cleaned_up}",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_terminate_skips_finally_and_leaves_the_lock_held(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[:3] == outcome("terminate()", -15, False)


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_an_event_and_a_sigterm_handler_let_the_worker_clean_up(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[3:9] == outcome("Event.set()", 0, True) + outcome("terminate(), handler", 0, True)


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_sigint_raises_keyboard_interrupt_and_finally_runs(start_method):
    lines = lesson_lines(LESSON, start_method)
    if sys.version_info >= (3, 14):
        expected = ["worker: KeyboardInterrupt caught, exiting", *outcome("interrupt()", 0, True)]
    else:
        expected = [
            f"Process.interrupt() needs Python 3.14; this run used {platform.python_version()}",
            "worker: KeyboardInterrupt caught, exiting",
            *outcome("os.kill(pid, SIGINT)", 0, True),
        ]
    assert lines[9 : 9 + len(expected)] == expected


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_worker_that_ignores_the_request_is_terminated_after_the_grace_time(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[-2:] == ["still running after 0.5 s: terminate()", "exit code -15"]
