"""The Pool API lesson, run as a script under each start method."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, run_lesson, value_printed_after

LESSON = EXAMPLES / "02_pools" / "plot_04_pool_api.py"
WHERE = re.compile(r"^(?P<what>.+): pid (?P<pid>\d+), thread '(?P<thread>[^']+)'$")
GREETING = re.compile(r"^task (?P<task>\d+): hello from worker (?P<pid>\d+)$")
REPLACED = re.compile(r"^8 tasks, 2 processes, (?P<pids>\d+) distinct worker pids$")


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_pool_api_lesson(start_method):
    result, leftovers = run_lesson(LESSON, start_method)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert leftovers == []
    lines = result.stdout.splitlines()

    # apply, apply_async and AsyncResult: a 0.3 s nap cannot be ready within 0.05 s.
    assert lines[:5] == [
        "apply: 49",
        "ready at once: False",
        "ready after wait(timeout=0.05): False",
        "get(timeout=10): 0.3",
        "ready: True successful: True",
    ]
    assert "ready: True successful: False" in lines
    assert "ValueError: 13 is not welcome here" in lines

    # The map family.
    squares = [x * x for x in range(10)]
    assert value_printed_after(lines, "map:") == squares
    assert value_printed_after(lines, "map_async:") == squares
    naps = [0.4, 0.1, 0.3, 0.2]
    assert value_printed_after(lines, "imap:") == naps  # input order
    assert sorted(value_printed_after(lines, "imap_unordered:")) == sorted(naps)  # same set
    assert value_printed_after(lines, "starmap:") == [8, 9, 1000]
    assert value_printed_after(lines, "starmap_async:") == [8, 9, 1000]

    # Callbacks run in the parent process, in another thread than the main one.
    where = {m["what"]: m for m in map(WHERE.match, lines) if m}
    parent = where["parent"]
    assert parent["thread"] == "MainThread"
    callback = where["callback got 16"]
    error_callback = where["error_callback got ValueError('5 is not welcome here')"]
    for called in (callback, error_callback):
        assert called["pid"] == parent["pid"]
        assert called["thread"] != "MainThread"

    # initializer: every task saw its worker's global; the parent's is unchanged.
    greetings = [m for m in map(GREETING.match, lines) if m]
    assert sorted(int(m["task"]) for m in greetings) == [0, 1, 2, 3]
    assert all(m["pid"] != parent["pid"] for m in greetings)
    assert "in the parent: not set" in lines

    # maxtasksperchild=2: each worker ran at most two of the eight tasks.
    (replaced,) = [m for m in map(REPLACED.match, lines) if m]
    assert int(replaced["pids"]) > 2
    assert int(replaced["pids"]) >= 8 // 2

    # close() refuses new work and lets queued tasks finish; terminate() does not.
    assert "ValueError after close(): Pool not running" in lines
    assert value_printed_after(lines, "close(), results:") == [0.1] * 4
    assert any(line.startswith("terminate(), ready:") for line in lines)

    # Leaving the with block terminated the pool: the pending result never came.
    assert lines[-1] == "lost: get(timeout=1) raised TimeoutError()"
