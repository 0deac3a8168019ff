"""The cost of sharing lesson, run as a script under each start method."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "01_processes" / "plot_10_cost_of_sharing.py"
OPERATIONS = [
    "local dict d[k] = v",
    "Value with its lock",
    "Value(lock=False)",
    "Array element write",
    "SharedMemory byte write",
    "Manager dict proxy d[k] = v",
    "Queue round trip",
]
ROW = re.compile(r"^(?P<name>.+?) +(?P<time>\d+(?:\.\d+)?) (?P<unit>ns|µs) +(?P<ratio>\d+)x$")
UNITS = {"ns": 1e-9, "µs": 1e-6}


def table(lines: list[str]) -> dict[str, float]:
    """{operation: seconds} from the rows the lesson prints."""
    rows = {}
    for line in lines:
        match = ROW.match(line)
        if match:
            rows[match["name"]] = float(match["time"]) * UNITS[match["unit"]]
    return rows


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_messages_cost_orders_of_magnitude_more_than_local_writes(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[0] == "echo exit code: 0"
    assert lines[1].split() == ["operation", "time", "vs", "dict"]
    seconds = table(lines[2:])
    assert list(seconds) == OPERATIONS
    local = seconds["local dict d[k] = v"]
    # Timings vary from run to run; the gap between the groups is far larger.
    assert seconds["Manager dict proxy d[k] = v"] > 10 * local
    assert seconds["Queue round trip"] > 10 * local
