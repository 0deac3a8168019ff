"""The lesson on pools started from an interactive prompt, typed into ``python -i``."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_02_interactive_code.py"
# The message differs by version: up to 3.13 "Can't get attribute 'f' on <module '__main__' ...>"
# (the module shown as "(built-in)" up to 3.11, "(<class '_frozen_importlib.BuiltinImporter'>)"
# from 3.12); from 3.14 the plain AttributeError of the lookup.
if sys.version_info >= (3, 14):
    NOT_FOUND = re.compile(r"  error, [1-9]\d*x: AttributeError: module '__main__' has no attribute 'f'")
else:
    NOT_FOUND = re.compile(
        r"  error, [1-9]\d*x: AttributeError: Can't get attribute 'f' on <module '__main__' .*>"
    )
# Every combination the lesson records on Linux, where all three start methods exist.
OUTCOMES = {
    ("def at the prompt", "fork"): "works",
    ("def at the prompt", "spawn"): "fails",
    ("def at the prompt", "forkserver"): "fails",
    ("def in a module file", "fork"): "works",
    ("def in a module file", "spawn"): "works",
    ("def in a module file", "forkserver"): "works",
    ("lambda for a Process", "fork"): "works",
    ("lambda for a Process", "spawn"): "fails",
    ("lambda for a Process", "forkserver"): "fails",
}


def block(lines, first):
    """The line ``first`` and the indented lines under it."""
    start = lines.index(first)
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    return lines[start:end]


# The sessions choose their start method themselves: the lesson's default changes nothing.
@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_every_session_records_its_outcome(start_method):
    lines = lesson_lines(LESSON, start_method)
    recorded = {}
    for line in lines:
        found = re.fullmatch(r"(.+), (fork|spawn|forkserver): (works|fails)", line)
        if found:
            recorded[found[1], found[2]] = found[3]
    assert recorded == OUTCOMES


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_function_typed_at_the_prompt_is_not_found_by_spawn_workers(start_method):
    lines = lesson_lines(LESSON, start_method)
    session = block(lines, "def at the prompt, spawn: fails")
    # Each worker dies on the task it took; how many died before the timeout varies.
    assert any(NOT_FOUND.fullmatch(line) for line in session), session
    assert session[-1] == "  error, 1x: multiprocessing.context.TimeoutError"
    # Then the traceback the prompt printed, in full.
    after = lines[len(session) :]
    assert after[0] == "Traceback (most recent call last):"
    assert '  File "<stdin>", line 2, in <module>' in after
    end = after.index("multiprocessing.context.TimeoutError")
    assert after[end + 1] == "def at the prompt, fork: works"
    assert after[end + 2] == "  printed: [0, 1, 4, 9]"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_process_pool_executor_breaks_at_the_prompt_under_spawn(start_method):
    lines = lesson_lines(LESSON, start_method)
    spawn = block(lines, "ProcessPoolExecutor, spawn:")
    assert any(NOT_FOUND.fullmatch(line) for line in spawn), spawn
    assert spawn[-1].startswith("  error, 1x: concurrent.futures.process.BrokenProcessPool: ")
    assert block(lines, "ProcessPoolExecutor, fork:") == ["ProcessPoolExecutor, fork:", "  printed: 9"]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_module_file_fixes_spawn(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert block(lines, "def in a module file, spawn: works") == [
        "def in a module file, spawn: works",
        "  printed: [0, 1, 4, 9]",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_lambda_target_pickles_only_under_fork(start_method):
    lines = lesson_lines(LESSON, start_method)
    spawn = block(lines, "lambda for a Process, spawn: fails")
    # The wording after the colon differs by version; from 3.14 the failed lookup comes first.
    *lookup, error = spawn[1:]
    assert re.fullmatch(r"  error, 1x: (_pickle\.)?PicklingError: Can't pickle <function <lambda> .*", error)
    if sys.version_info >= (3, 14):
        assert lookup == ["  error, 1x: AttributeError: module '__main__' has no attribute '<lambda>'"]
    else:
        assert lookup == []
    assert block(lines, "lambda for a Process, fork: works") == [
        "lambda for a Process, fork: works",
        "  printed: hello from a lambda",
        "  printed: exit code: 0",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_file_behind_the_prompt_makes_spawn_workers_run_every_cell(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Each worker ran the whole file, pool cell included, and died; get() timed out.
    session = block(lines, "cells with __file__ set, spawn:")
    assert session[1] == "  printed, 1x: cell 1 ran in MainProcess"
    workers = re.fullmatch(r"  printed, (\d+)x: cell 1 ran in SpawnPoolWorker-N", session[2])
    failed = re.fullmatch(r"  error, (\d+)x: RuntimeError", session[3])
    assert workers, session
    assert failed, session
    assert int(failed[1]) >= 1
    assert int(workers[1]) >= int(failed[1])
    assert session[4:] == ["  error, 1x: multiprocessing.context.TimeoutError"]
    # Guarded, the pool cell runs at the prompt only; the rest still runs once per worker.
    # (The second worker may be stopped with the pool before it got that far.)
    guarded = block(lines, "guarded cells with __file__ set, spawn:")[1:]
    assert guarded[0] == "  printed, 1x: cell 1 ran in MainProcess"
    assert guarded[1] in {f"  printed, {n}x: cell 1 ran in SpawnPoolWorker-N" for n in (1, 2)}
    assert guarded[2:] == ["  printed, 1x: [0, 1, 4, 9]"]
