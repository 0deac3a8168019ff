"""The lesson on starting, joining and inspecting a process, run as a script."""

from __future__ import annotations

import platform
import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines, run_lesson

LESSON = EXAMPLES / "01_processes" / "plot_01_processes.py"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_child_knows_its_parent(start_method):
    result, leftovers = run_lesson(LESSON, start_method)
    assert result.returncode == 0, result.stderr
    assert leftovers == []
    lines = result.stdout.splitlines()
    parent_pid = int(re.fullmatch(r"parent: pid (\d+), parent pid \d+", lines[0])[1])
    [child] = filter(None, (re.fullmatch(r"child:  pid (\d+), parent pid (\d+)", line) for line in lines))
    # Under forkserver the child is forked by the server, not by the lesson.
    forked_by_lesson = start_method != "forkserver"
    assert (int(child[2]) == parent_pid) is forked_by_lesson
    assert f"parent matches: {forked_by_lesson}" in lines
    assert "parent_process() matches: True" in lines
    # A quick child may already have ended when the parent asks: alive is True or False.
    assert f"started: pid {child[1]}, alive True" in lines or f"started: pid {child[1]}, alive False" in lines
    assert lines.index("before start: name 'Process-1', daemon False, pid None") == 1
    assert "joined: alive False, exitcode 0" in lines
    assert "name 'napper', daemon True" in lines
    assert "parent's name 'MainProcess'" in lines


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_exit_codes_tell_how_a_child_ended(start_method):
    lines = lesson_lines(LESSON, start_method)
    expected = [
        "ValueError: boom",  # the child's traceback, sent to its stdout
        "fail: exitcode 1",
        "leave: exitcode 3",
        "alive: [True, True]",
        "terminate(): exitcode -15, killed by SIGTERM",
        "kill(): exitcode -9, killed by SIGKILL",
        "countdown-3: 3",
        "countdown-3: 2",
        "countdown-3: 1",
        "countdown-3: exitcode 0",
    ]
    assert [line for line in lines if line in expected] == expected
    traceback = lines.index("Traceback (most recent call last):")
    assert lines[traceback - 1] == "Process Process-3:"
    assert traceback < lines.index("ValueError: boom")


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_interrupt_lets_the_child_clean_up_from_3_14(start_method):
    lines = lesson_lines(LESSON, start_method)
    if sys.version_info >= (3, 14):
        at = lines.index("child: KeyboardInterrupt, cleaning up")
        assert lines[at : at + 3] == [
            "child: KeyboardInterrupt, cleaning up",
            "child: finally ran",
            "interrupt(): exitcode 0",
        ]
    else:
        assert f"Process.interrupt() needs Python 3.14; this run used {platform.python_version()}" in lines
