"""The threads or processes lesson, run as a script under each start method."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import START_METHODS, lesson_lines

LESSON = EXAMPLES / "02_pools" / "plot_09_threads_or_processes.py"
ROW = re.compile(r"^(?P<workload>CPU-bound|I/O-bound) +(?P<workers>\d+) +\d+ms +\d+ms$")


@pytest.mark.parametrize("start_method", START_METHODS)
def test_every_workload_is_timed_on_both_kinds_of_pool(start_method):
    lines = lesson_lines(LESSON, start_method)
    cpus = int(lines[0].removeprefix("CPUs: "))
    assert lines[1].split() == ["workload", "workers", "threads", "processes"]
    rows = [(m["workload"], int(m["workers"])) for m in map(ROW.match, lines[2:]) if m]
    # Timings vary from run to run: only the rows themselves are guaranteed.
    counts = sorted({1, 2, 4, min(cpus, 8)})
    assert rows == [(w, n) for w in ("CPU-bound", "I/O-bound") for n in counts]
