"""The speed-up lesson, run as a script under each start method."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, run_lesson

LESSON = EXAMPLES / "02_pools" / "plot_10_speedup.py"
ROW = re.compile(r"^ +(?P<workers>\d+)(?: +\d+ ms +\d+ ms +\d+\.\d\dx){2}$")
BEST = re.compile(
    r"^(?P<name>small results|4 MB results): best (?P<speedup>\d+\.\d\d)x with (?P<workers>\d+) "
    r"workers, (?P<percent>\d+)% of the ideal (?P<ideal>\d+)x$"
)


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_speedup_is_measured_for_every_number_of_workers(start_method):
    result, leftovers = run_lesson(LESSON, start_method)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert leftovers == []
    lines = result.stdout.splitlines()
    cpus = int(lines[0].removeprefix("workers a pool starts by default: "))
    assert lines[1].split() == ["small", "results", "4", "MB", "results"]
    assert lines[2].split() == ["workers", "loop", "pool", "speed-up", "loop", "pool", "speed-up"]
    # Timings vary from run to run: only the rows themselves are guaranteed.
    counts = list(range(1, min(cpus + 2, 6) + 1))
    assert [int(ROW.match(line)["workers"]) for line in lines[3 : 3 + len(counts)]] == counts
    bests = [BEST.match(line) for line in lines[3 + len(counts) :]]
    assert [m["name"] for m in bests] == ["small results", "4 MB results"]
    for m in bests:
        # The ideal is the worker count capped by the CPUs; the percentage is derived from the two.
        assert int(m["ideal"]) == min(int(m["workers"]), cpus)
        assert abs(int(m["percent"]) - 100 * float(m["speedup"]) / int(m["ideal"])) <= 1
