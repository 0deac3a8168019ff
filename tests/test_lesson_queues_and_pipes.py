"""The queues-and-pipes lesson, run as ``python lesson.py`` under each start method."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from mpdocs.testing import START_METHODS, lesson_lines

LESSON = EXAMPLES / "01_processes" / "plot_03_queues_and_pipes.py"


@pytest.mark.parametrize("start_method", START_METHODS)
def test_queues_and_pipes_deliver_in_order_and_drain_before_join(start_method):
    lines = lesson_lines(LESSON, start_method)

    # get(timeout=...) gives up instead of waiting for ever.
    assert lines[:2] == [
        "{'id': 1, 'text': 'hello'}",
        "queue.Empty: nothing arrived within 0.2 s",
    ]
    # The consumer prints the producer's items in order and stops at the sentinel,
    # so both processes exit.
    assert lines[2:7] == [
        "consumer got 'apple'",
        "consumer got 'banana'",
        "consumer got 'cherry'",
        "consumer got None: stopping",
        "exit codes: 0 0",
    ]
    # JoinableQueue.join() returns once every task is marked done.
    assert lines[7:9] == [
        "squares: [1, 4, 9, 16, 25, 36] exit codes: [0, 0]",
        "tasks.join() returned: every task was marked done",
    ]
    assert lines[9:17] == [
        "SimpleQueue gave x",
        "SimpleQueue gave y",
        "SimpleQueue gave None",
        "ping -> PING",
        "pong -> PONG",
        "echo exit code: 0",
        "True one way",
        "OSError: connection is read-only",
    ]
    # Joining before draining a 1 MB item times out with the child alive;
    # draining first lets the child exit.
    assert lines[17:] == [
        "after join(timeout=1): alive=True, exitcode=None",
        "got 1000000 bytes; alive=False, exitcode=0",
    ]
