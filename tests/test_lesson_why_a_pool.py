"""The why-a-pool lesson, run as a script under each start method."""

from __future__ import annotations

import multiprocessing
import os
import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "02_pools" / "plot_01_why_a_pool.py"
COUNTS = [1, 2, 4, 8, 16]
ROW = re.compile(r"^(?P<method>\w+) +(?P<tasks>\d+) +(?P<alone>\d+\.\d+) s +(?P<pool>\d+\.\d+) s +\d+\.\dx$")


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_table_has_a_row_for_each_start_method_and_task_count(start_method):
    lines = lesson_lines(LESSON, start_method)
    workers = getattr(os, "process_cpu_count", os.cpu_count)()
    assert lines[0] == f"workers: {workers}, default start method: {start_method}"
    assert lines[1].split() == ["method", "tasks", "process", "per", "task", "pool", "ratio"]
    rows = [ROW.match(line) for line in lines[2:]]
    assert all(rows), lines[2:]
    # Every start method of the platform, in the lesson's fixed order, whatever the default.
    # (This process's list can also hold methods that libraries register, such as loky's.)
    available = multiprocessing.get_all_start_methods()
    methods = [m for m in ("fork", "spawn", "forkserver") if m in available]
    expected = [(m, n) for m in methods for n in COUNTS]
    assert [(row["method"], int(row["tasks"])) for row in rows] == expected
    # Which way is faster depends on the machine: that is the figure's job, not a test's.
    assert all(float(row["alone"]) > 0 and float(row["pool"]) > 0 for row in rows)
