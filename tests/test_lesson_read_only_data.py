"""The lesson on large read-only data: four ways to give it to every worker."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_06_read_only_data.py"
APPROACH = re.compile(
    r"(?P<name>[a-z ]+): \d+\.\d\d s, sums correct: (?P<correct>True|False);"
    r" worker private (?P<private>\d+) MB, shared (?P<shared>\d+) MB"
)
GROWTH = re.compile(r"(?P<action>.+): \+(?P<mb>\d+\.\d) MB private in the child")

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="memory is measured from Linux's /proc")


def approaches(lines: list[str]) -> dict[str, tuple[bool, int]]:
    """``{approach: (sums correct, a worker's private MB)}``."""
    matches = filter(None, map(APPROACH.fullmatch, lines))
    return {m["name"]: (m["correct"] == "True", int(m["private"])) for m in matches}


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_every_approach_computes_the_same_sums(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[0] == "data: 50 MB, pickled: 50 MB"
    runs = approaches(lines)
    assert list(runs) == ["with every task", "initializer", "fork global", "shared memory"]
    assert all(correct for correct, _ in runs.values())


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_only_copies_cost_private_memory(start_method):
    runs = approaches(lesson_lines(LESSON, start_method))
    # Memory in MB varies a little with the Python and NumPy versions; a
    # 50 MB copy is private memory, the inherited or shared pages are not.
    assert runs["with every task"][1] >= 50
    if start_method == "fork":
        assert runs["initializer"][1] < 20  # inherited, not pickled
    else:
        assert runs["initializer"][1] >= 50  # pickled once per worker
    assert runs["fork global"][1] < 20
    assert runs["shared memory"][1] < 50


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_module_global_reaches_forked_workers_only(start_method):
    lines = lesson_lines(LESSON, start_method)
    seen = "an array of 50 MB" if start_method == "fork" else "None"
    assert f"a {start_method!r} worker's data: {seen}" in lines


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_reference_counts_and_collections_copy_pages_unless_frozen(start_method):
    lines = lesson_lines(LESSON, start_method)
    growth = {m["action"]: float(m["mb"]) for m in filter(None, map(GROWTH.fullmatch, lines))}
    assert list(growth) == ["reading every record", "gc.collect()", "gc.collect() after gc.freeze()"]
    # 300,000 small lists and their strings are about 50 MB.
    assert growth["reading every record"] > 20
    assert growth["gc.collect()"] > 20
    assert growth["gc.collect() after gc.freeze()"] < 5


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_closing_shared_memory_too_early(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[-4:] == [
        "BufferError: cannot close exported pointers exist",
        "after del: closed and unlinked",
        # np.ndarray(buffer=shm.buf) does not hold the buffer: the read crashes.
        "close() raised nothing",
        "the script was killed by SIGSEGV",
    ]
