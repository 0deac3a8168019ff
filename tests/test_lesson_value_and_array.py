"""The Value-and-Array lesson, run as ``python lesson.py`` under each start method."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "01_processes" / "plot_04_value_and_array.py"

COUNT_LINE = re.compile(r"^with(out)? the lock: expected (\d+), actual (\d+), lost (-?\d+)$")


def counts(line: str) -> tuple[int, ...]:
    match = COUNT_LINE.match(line)
    assert match, line
    return tuple(int(number) for number in match.groups()[1:])


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_value_and_array_shared_with_and_without_the_lock(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert len(lines) == 6, lines

    # The child wrote the Value and the Array; the parent reads them after join.
    assert lines[0] == "exit code: 0 total: 30 squares: [0.0, 1.0, 4.0, 9.0, 16.0]"

    # Without the lock: how many updates are lost varies, but the arithmetic holds.
    assert lines[1].startswith("without the lock:")
    expected, actual, lost = counts(lines[1])
    assert expected == 4 * 20_000
    assert 0 < actual <= expected
    assert expected - actual == lost

    # With the lock the total is exact.
    assert lines[2].startswith("with the lock:")
    assert counts(lines[2]) == (80_000, 80_000, 0)

    # lock=False gives the raw ctypes object, without get_lock().
    assert lines[3:5] == [
        "c_int(0) has get_lock: False",
        "<Synchronized wrapper for c_int(30)> has get_lock: True",
    ]

    # Four processes each filled their own slice of the array.
    table = [float(i * i) for i in range(8)]
    assert lines[5] == f"exit codes: [0, 0, 0, 0] table: {table}"
