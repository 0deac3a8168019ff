"""The lesson on big and endless inputs: what each way of mapping takes ahead."""

from __future__ import annotations

import platform
import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_03_big_inputs.py"
LINE = re.compile(
    r"(?P<name>.+): took (?P<first>\d+) records by the first result,"
    r" (?P<last>\d+) by result 100; first result after \d+\.\d\d s;"
    r" peak (?P<peak>\d+\.\d) MB"
)


def approaches(lines: list[str]) -> dict[str, tuple[int, int, float]]:
    """``{name: (taken by the first result, by the 100th, peak MB)}``."""
    matches = [LINE.fullmatch(line) for line in lines]
    return {m["name"]: (int(m["first"]), int(m["last"]), float(m["peak"])) for m in matches if m}


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_map_and_executor_map_take_the_whole_input(start_method):
    runs = approaches(lesson_lines(LESSON, start_method))
    assert runs["Pool.map"][:2] == (2000, 2000)
    assert runs["Executor.map"][:2] == (2000, 2000)
    # Peak memory varies a little; 2,000 records of 10 kB are 20 MB.
    assert runs["Pool.map"][2] > 20
    assert runs["Executor.map"][2] > 15


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_imap_takes_more_than_its_reader_reads(start_method):
    runs = approaches(lesson_lines(LESSON, start_method))
    first, last, _ = runs["Pool.imap"]
    # How far it runs ahead depends on the machine's speed; it always takes
    # more than the 100 read plus the bound of 8 the remedies keep.
    assert first < 100
    assert last > 108


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_bounded_approaches_stay_within_eight_records(start_method):
    lines = lesson_lines(LESSON, start_method)
    runs = approaches(lines)
    # Batches of 8: whole batches, 13 of them by the 100th result.
    assert runs["Pool.map in batches of 8"][:2] == (8, 104)
    first, last, peak = runs["bounded_map, limit 8"]
    assert first == 8
    assert 100 < last <= 108
    assert peak < 2
    if sys.version_info >= (3, 14):
        # 8 submitted, then one more before each result is handed over.
        assert runs["Executor.map(buffersize=8)"][:2] == (9, 108)
    else:
        version = platform.python_version()
        assert lines[-1] == f"Executor.map(buffersize=...) needs Python 3.14; this run used {version}"
        assert len(runs) == 5
