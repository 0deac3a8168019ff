"""The containers lesson, run as a script under each start method."""

from __future__ import annotations

import re
import shutil
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_12_containers.py"
GONE = re.compile(r"  a worker: gone \d+ ms after its parent")
STILL_RUNNING = "  a worker: still running 1.0 s after its parent"


def section(lines: list[str], first: str, count: int) -> list[str]:
    start = lines.index(first)
    return lines[start : start + count]


@pytest.mark.skipif(sys.platform != "linux", reason="/dev/shm is Linux's")
@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_block_larger_than_dev_shm_is_created_and_reserving_it_fails_at_once(start_method):
    lines = lesson_lines(LESSON, start_method)
    total = shutil.disk_usage("/dev/shm").total / 2**20
    assert lines[:2] == [
        f"/dev/shm: {total:,.0f} MiB in all",
        f"SharedMemory of {2 * total:,.0f} MiB: created",
    ]
    assert "reserve(too_big): OSError: [Errno 28] No space left on device" in lines
    assert "reserve(small): every page of 1 MiB allocated" in lines


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_writing_to_a_page_with_nothing_behind_it_kills_the_child_with_sigbus(start_method):
    lines = lesson_lines(LESSON, start_method)
    # No exception, no traceback: the child is gone before its next line.
    assert section(lines, "child: writing to the mapping", 2) == [
        "child: writing to the mapping",
        "the child's exit code: -7 (SIGBUS)",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_workers_outlive_a_killed_parent_unless_they_watch_it(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Under spawn and forkserver the resource tracker outlives the parent too, and
    # removes the semaphores of the pool's queues once the workers are gone; a
    # semaphore made for fork has no name to remove.
    tracker = [] if start_method == "fork" else ["  resource tracker: removed 5 leaked semaphores"]
    orphans = section(lines, "no watchdog: exit code -9 (SIGKILL)", 3 + len(tracker))
    assert orphans == ["no watchdog: exit code -9 (SIGKILL)", STILL_RUNNING, STILL_RUNNING, *tracker]
    watched = section(lines, "exit_with_parent: exit code -9 (SIGKILL)", 3 + len(tracker))
    assert watched[0] == "exit_with_parent: exit code -9 (SIGKILL)"
    assert all(GONE.fullmatch(line) for line in watched[1:3]), watched
    assert watched[3:] == tracker
    assert lines[-1] == watched[-1]
