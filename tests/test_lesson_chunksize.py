"""The chunksize lesson: Pool.map's default chunksize, and map timed against chunksize."""

from __future__ import annotations

import math
import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "02_pools" / "plot_05_chunksize.py"
WORKLOAD = re.compile(r"^(\d+) tasks, (\d+) workers: default chunksize (\d+)$")
ROW = re.compile(r"^ +(\d+) +(\d+) +(\d+\.\d{3}) s( +\(default\))?$")
FIXED_SIZES = {1, 4, 16, 64, 256, 1024}


def cpython_default(n_tasks: int, n_workers: int) -> int:
    """Pool.map's chunksize when given none (CPython's Lib/multiprocessing/pool.py)."""
    chunksize, extra = divmod(n_tasks, n_workers * 4)
    return chunksize + 1 if extra else chunksize


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_chunksize_lesson(start_method):
    lines = lesson_lines(LESSON, start_method)

    # The default printed is CPython's formula for the workload printed.
    n_tasks, workers, default = map(int, WORKLOAD.match(lines[0]).groups())
    assert default == cpython_default(n_tasks, workers)
    assert lines[1] == f"that is {math.ceil(n_tasks / default)} chunks, about 4 per worker"

    # One row per chunk size, in increasing order, the default marked once.
    assert lines[2].split() == ["chunksize", "chunks", "median"]
    rows = [ROW.match(line) for line in lines[3:]]
    rows = rows[: rows.index(None)] if None in rows else rows
    sizes = [int(row[1]) for row in rows]
    assert sizes == sorted(FIXED_SIZES | {default})
    for row in rows:
        size, chunks = int(row[1]), int(row[2])
        assert chunks == math.ceil(n_tasks / size)
        assert bool(row[4]) == (size == default)
    # Timings belong in the figure, not in a pass/fail test.

    # The defaults of the other mapping methods, read from their signatures.
    assert lines[3 + len(rows) :] == [
        "Pool.map: chunksize=None",
        "Pool.imap: chunksize=1",
        "Pool.imap_unordered: chunksize=1",
        "ProcessPoolExecutor.map: chunksize=1",
    ]
