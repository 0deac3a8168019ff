"""The lesson on pools started from an interactive prompt, typed into ``python -i``."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_02_interactive_code.py"
# The module named in the message differs by version:
# "<module '__main__' (built-in)>" up to 3.11, "(<class '_frozen_importlib.BuiltinImporter'>)" from 3.12.
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
@pytest.mark.parametrize("start_method", START_METHODS)
def test_every_session_records_its_outcome(start_method):
    lines = lesson_lines(LESSON, start_method)
    recorded = {}
    for line in lines:
        found = re.fullmatch(r"(.+), (fork|spawn|forkserver): (works|fails)", line)
        if found:
            recorded[found[1], found[2]] = found[3]
    assert recorded == OUTCOMES


@pytest.mark.parametrize("start_method", START_METHODS)
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


@pytest.mark.parametrize("start_method", START_METHODS)
def test_process_pool_executor_breaks_at_the_prompt_under_spawn(start_method):
    lines = lesson_lines(LESSON, start_method)
    spawn = block(lines, "ProcessPoolExecutor, spawn:")
    assert any(NOT_FOUND.fullmatch(line) for line in spawn), spawn
    assert spawn[-1].startswith("  error, 1x: concurrent.futures.process.BrokenProcessPool: ")
    assert block(lines, "ProcessPoolExecutor, fork:") == ["ProcessPoolExecutor, fork:", "  printed: 9"]


@pytest.mark.parametrize("start_method", START_METHODS)
def test_a_module_file_fixes_spawn(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert block(lines, "def in a module file, spawn: works") == [
        "def in a module file, spawn: works",
        "  printed: [0, 1, 4, 9]",
    ]


@pytest.mark.parametrize("start_method", START_METHODS)
def test_a_lambda_target_pickles_only_under_fork(start_method):
    lines = lesson_lines(LESSON, start_method)
    spawn = block(lines, "lambda for a Process, spawn: fails")
    # The wording after the colon differs by version.
    [error] = spawn[1:]
    assert re.fullmatch(r"  error, 1x: (_pickle\.)?PicklingError: Can't pickle <function <lambda> .*", error)
    assert block(lines, "lambda for a Process, fork: works") == [
        "lambda for a Process, fork: works",
        "  printed: hello from a lambda",
        "  printed: exit code: 0",
    ]
