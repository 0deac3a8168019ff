"""The lesson on sharing a Queue, Lock, Value or Event with pool workers."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_01_share_with_pool_workers.py"
INHERITANCE = "objects should only be shared between processes through inheritance"
SIX = r"items \[0, 1, 2, 3, 4, 5\] put by [12] process(es)?"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_pool_and_executor_refuse_the_objects_at_get_and_result(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[:7] == [
        f"Queue: RuntimeError: Queue {INHERITANCE}",
        f"Lock: RuntimeError: Lock {INHERITANCE}",
        # A Value is a Synchronized wrapper; an Event pickles its Condition.
        f"Value: RuntimeError: Synchronized {INHERITANCE}",
        f"Event: RuntimeError: Condition {INHERITANCE}",
        "submit() returned a Future",
        f"result() raised RuntimeError: Queue {INHERITANCE}",
        f"pickle.dumps(queue): RuntimeError: Queue {INHERITANCE}",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_process_args_inherit_the_same_objects(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[7:9] == [
        "Process(args=...): items [0, 1, 2] put by 3 processes, exit codes [0, 0, 0]",
        "counter: 3",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_manager_proxies_and_initializers_both_work(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Which worker took which task varies: one or both of the two workers.
    assert re.fullmatch(rf"manager proxies: {SIX}", lines[9]), lines[9]
    assert lines[10] == "counter: 6"
    assert re.fullmatch(rf"Pool initializer: {SIX}", lines[11]), lines[11]
    executor = r"ProcessPoolExecutor initializer: items \[6, 7, 8, 9, 10, 11\] put by [12] process(es)?"
    assert re.fullmatch(executor, lines[12]), lines[12]
    # One counter, shared through the initializer by both pools.
    assert lines[13] == "counter: 12"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_both_costs_are_measured(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Timings: only their form is checked, never their values.
    number = r"\d+\.\d+"
    assert re.fullmatch(rf"queue: manager proxy {number} µs, inherited {number} µs, \d+x", lines[14])
    assert re.fullmatch(rf"lock: manager proxy {number} µs, inherited {number} µs, \d+x", lines[15])
    assert len(lines) == 16
