"""The lesson on nested pools, unpicklable results and exceptions."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_08_nested_and_unpicklable.py"
REBUILD = "TypeError: FetchError.__init__() missing 1 required positional argument: 'status'"
BROKEN = (
    "BrokenProcessPool: A process in the process pool was terminated abruptly "
    "while the future was running or pending."
)


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_pool_worker_cannot_start_a_pool_an_executor_worker_can(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[:3] == [
        "Pool worker: daemon=True",
        "AssertionError: daemonic processes are not allowed to have children",
        "executor worker: daemon=False",
    ]
    # Which executor worker ran which job varies; each job's pool had two workers.
    job = re.compile(r"job ([ab]): executor worker (\d+), its pool \[(\d+), (\d+)\]")
    jobs = [job.fullmatch(line) for line in lines[3:5]]
    assert all(jobs), lines[3:5]
    assert [m[1] for m in jobs] == ["a", "b"]
    inner = {m[i] for m in jobs for i in (3, 4)}
    assert len(inner) == 4
    assert {m[2] for m in jobs}.isdisjoint(inner)
    assert lines[5] == "results: [[1, 4, 9, 16], [25, 36, 49, 64]]"
    # Timings: only their form is checked.
    assert re.fullmatch(r"2 executor workers \+ 4 pool workers, \d+\.\d\d s", lines[6]), lines[6]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_one_flat_pool_and_threads_inside_workers(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert re.fullmatch(r"one pool of 2 workers, \d+\.\d\d s", lines[7]), lines[7]
    assert lines[8] == "same results: True"
    waits = re.compile(r"worker \d+: 4 waits of 0\.2 s on 4 threads, \d+\.\d\d s")
    assert all(waits.fullmatch(line) for line in lines[9:11]), lines[9:11]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_results_that_cannot_be_pickled(start_method):
    lines = lesson_lines(LESSON, start_method)
    generator = re.escape("""'TypeError("cannot pickle 'generator' object")'""")
    assert re.fullmatch(
        r"MaybeEncodingError: Error sending result: '<generator object "
        r"squares_lazily\.<locals>\.<genexpr> at 0x[0-9a-f]+>'\. Reason: " + generator,
        lines[11],
    ), lines[11]
    # The wording for a file depends on the Python version.
    assert lines[12].startswith(
        "MaybeEncodingError: Error sending result: "
        "'<_io.TextIOWrapper name='/dev/null' mode='r' encoding='utf-8'>'. "
        """Reason: 'TypeError("cannot pickle '"""
    ), lines[12]
    assert lines[13] == "the pool still works: 1"
    assert lines[14] == "TypeError: cannot pickle 'generator' object"
    assert re.fullmatch(r"TypeError: cannot pickle '(_io\.)?TextIOWrapper' (object|instances)", lines[15])


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_an_exception_that_cannot_be_rebuilt_and_the_fixes(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[16] == REBUILD
    # The Pool's result handler thread dies: every later get() times out,
    # and leaving the with block raises (3.10 spells it "result_hander").
    assert lines[17:24] == [
        "a first task: 1",
        "fetch: get(timeout=2) raised TimeoutError",
        "later task: get(timeout=1) raised TimeoutError",
        "stderr: Exception in thread Thread-3 (_handle_results):",
        f"stderr: {REBUILD}",
        lines[22],
        "exit code: 1",
    ]
    assert re.fullmatch(
        r"stderr: AssertionError: Cannot have cache with result_hand(l)?er not alive", lines[22]
    )
    assert lines[24:] == [
        BROKEN,
        f"its __cause__ ends with: {REBUILD}",
        "submit() afterwards: BrokenProcessPool: A child process terminated abruptly, "
        "the process pool is not usable anymore",
        "FetchErrorWithArgs: https://example.org/a answered 404 (status 404)",
        "FetchErrorWithReduce: https://example.org/a answered 404 (status 404)",
    ]
