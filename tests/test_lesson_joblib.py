"""The joblib lesson, run as a script."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines, printed_after

LESSON = EXAMPLES / "03_beyond_one_machine" / "plot_01_joblib.py"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_parallel_gives_what_pool_map_gives(start_method):
    lines = lesson_lines(LESSON, start_method)
    squares = str([x * x for x in range(8)])
    assert printed_after(lines, "Pool.map: ") == squares
    assert printed_after(lines, "Parallel: ") == squares


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_workers_are_reused_between_calls(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Fresh workers for the second call would make up to four.
    assert int(printed_after(lines, "processes used by both calls together: ")) in {1, 2}


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_dead_worker_raises_and_the_next_call_works(start_method):
    lines = lesson_lines(LESSON, start_method)
    error = printed_after(lines, "TerminatedWorkerError: ")
    assert error.startswith("A worker process managed by the executor was unexpectedly terminated")
    assert "The exit codes of the workers are {EXIT(1)}" in lines
    assert printed_after(lines, "next call: ") == "[0, 1, 4, 9]"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_only_the_large_array_is_memory_mapped(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert printed_after(lines, "small array arrives as ") == "ndarray, writeable=True"
    assert printed_after(lines, "large array arrives as ") == "memmap, writeable=False"
