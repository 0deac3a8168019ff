"""The lesson on start methods, run as a script."""

from __future__ import annotations

import ast
import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines, reader_env, run, run_lesson

LESSON = EXAMPLES / "01_processes" / "plot_02_start_methods.py"
SAW = re.compile(r"^(fork|spawn|forkserver): the child saw (.*)$")
AT_IMPORT = "'set when the module is imported'"
CHANGED = "'changed by the parent'"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_only_a_forked_child_sees_the_parents_change(start_method):
    lines = lesson_lines(LESSON, start_method)
    available = ast.literal_eval(lines[0].removeprefix("available: "))
    assert sorted(available) == ["fork", "forkserver", "spawn"]
    assert lines[1] == f"default:   {start_method!r}"
    # get_context() leaves the default alone; set_start_method() after it was fixed raises.
    assert lines[2:5] == [
        "context: 'spawn'",
        f"default: {start_method!r}",
        "RuntimeError: context has already been set",
    ]
    saw = dict(match.groups() for match in map(SAW.match, lines) if match)
    assert saw == {"fork": CHANGED, "spawn": AT_IMPORT, "forkserver": AT_IMPORT}


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_fork_with_threads_warns_from_3_12(start_method):
    result, _ = run_lesson(LESSON, start_method)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    warned = [line for line in lines if line.startswith("DeprecationWarning: ")]
    if sys.version_info >= (3, 12):
        assert len(warned) == 1
        assert "is multi-threaded, use of fork() may lead to deadlocks" in warned[0]
        assert "no warning was emitted" not in lines
    else:
        assert warned == []
        assert "no warning was emitted" in lines
    for method in ("fork", "spawn", "forkserver"):
        assert any(re.fullmatch(rf"{method}: \d+\.\d to \d+\.\d ms", line) for line in lines)


def test_the_printed_default_is_the_running_pythons_own():
    """No start method chosen: the lesson prints this Python's default (forkserver on Linux from 3.14)."""
    code = "import multiprocessing; print(multiprocessing.get_start_method())"
    own, _ = run([sys.executable, "-c", code], timeout=30, env=reader_env())
    result, leftovers = run([sys.executable, LESSON.name], timeout=120, env=reader_env(), cwd=LESSON.parent)
    assert result.returncode == 0, result.stderr
    assert f"default:   {own.stdout.strip()!r}" in result.stdout.splitlines()
    assert leftovers == []
