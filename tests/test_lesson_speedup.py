"""The speed-up lesson, run as a script under each start method."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import START_METHODS, run_lesson

LESSON = EXAMPLES / "02_pools" / "plot_10_speedup.py"
SERIAL = re.compile(r"^(small results|4 MB results): T1 = \d+ ms in a loop$")
ROW = re.compile(r"^ +(?P<workers>\d+)(?: +\d+ ms +\d+\.\d\dx){2}$")


@pytest.mark.parametrize("start_method", START_METHODS)
def test_speedup_is_measured_for_every_number_of_workers(start_method):
    result, leftovers = run_lesson(LESSON, start_method)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert leftovers == []
    lines = result.stdout.splitlines()
    cpus = int(lines[0].removeprefix("CPUs: "))
    assert [SERIAL.match(line)[1] for line in lines[1:3]] == ["small results", "4 MB results"]
    assert lines[3].split() == ["workers", "small", "results", "4", "MB", "results"]
    # Timings vary from run to run: only the rows themselves are guaranteed.
    workers = [int(m["workers"]) for m in map(ROW.match, lines[4:]) if m]
    assert workers == list(range(1, min(cpus + 2, 6) + 1))
