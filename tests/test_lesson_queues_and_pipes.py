"""The queues-and-pipes lesson, run as ``python lesson.py`` under each start method."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "01_processes" / "plot_03_queues_and_pipes.py"
AFTER_PUT = re.compile(
    r"after put\(\): qsize\(\) = (?P<size>\w+), empty\(\) = (?P<empty>True|False): (?P<times>\d+)x"
)


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_queues_and_pipes_deliver_in_order_and_drain_before_join(start_method):
    lines = lesson_lines(LESSON, start_method)

    # get(timeout=...) gives up instead of waiting for ever.
    assert lines[:2] == [
        "{'id': 1, 'text': 'hello'}",
        "queue.Empty: nothing arrived within 0.2 s",
    ]
    # Right after put(), qsize() counts the item (a semaphore) while empty() polls a pipe
    # the feeder thread may not have written yet: either answer, 100 times in all.
    said = [AFTER_PUT.fullmatch(line) for line in lines[2:]]
    said = said[: said.index(None)]
    expected_size = "NotImplementedError" if sys.platform == "darwin" else "1"
    assert {m["size"] for m in said} == {expected_size}
    assert len({m["empty"] for m in said}) == len(said)
    assert sum(int(m["times"]) for m in said) == 100
    # A manager's queue.Queue holds the item once put() returns.
    manager = 2 + len(said)
    assert lines[manager] == "manager's queue: qsize() = 1, empty() = False"
    del lines[2 : manager + 1]
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
