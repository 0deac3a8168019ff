"""The synchronisation lesson, run as a script under each start method."""

from __future__ import annotations

import platform
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "01_processes" / "plot_09_synchronisation.py"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_each_primitive_does_its_job(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Lock: no increment lost.
    assert lines[0] == "Lock, 4 processes x 10000 increments: 40000"
    # From 3.14 a lock tells whether another process holds it.
    if sys.version_info >= (3, 14):
        assert lines[1:3] == [
            "Lock.locked() while a child holds it: True",
            "Lock.locked() once the child has ended: False",
        ]
        del lines[1:3]
    else:
        assert lines.pop(1) == f"Lock.locked() needs Python 3.14; this run used {platform.python_version()}"
    assert lines[1:4] == [
        # A plain Lock cannot be taken again by its owner; an RLock can.
        "Lock, taken again by its owner: False",
        "RLock, 3 processes x 2 deposits of 5: 30",
        # Semaphore(2): never more than two inside, and two did overlap.
        "Semaphore(2), 5 visitors: at most 2 inside at once",
    ]
    # Five 0.2 s visits, two at a time: at least three rounds.
    assert lines[4].startswith("took ")
    assert float(lines[4].split()[1]) >= 0.59
    # Event: every worker starts after the parent set the event.
    assert lines[5] == "parent: set the event"
    assert sorted(lines[6:9]) == [f"worker {i}: got the start signal" for i in (1, 2, 3)]
    # Condition: the consumer wakes up only once all three items are made.
    assert lines[9:13] == [
        "producer: item 1 ready",
        "producer: item 2 ready",
        "producer: item 3 ready",
        "consumer: woke up, all 3 items ready: True",
    ]
    # Barrier: nobody passes before all three have arrived.
    assert sorted(lines[13:16]) == [f"p{i}: arrived" for i in range(3)]
    assert sorted(lines[16:19]) == [f"p{i}: passed" for i in range(3)]
    assert lines[19:] == ["Barrier(3): 3 of 3 processes passed"]
