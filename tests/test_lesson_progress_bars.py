"""The lesson on tqdm progress bars, run as a script."""

from __future__ import annotations

import ast
import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, run_lesson

LESSON = EXAMPLES / "02_pools" / "plot_07_progress_bars.py"
# One state of a bar, e.g. "process_map:  40%|####4      | 4/10 [00:00<00:00, 19.45it/s]".
BAR = re.compile(r"(imap_unordered|process_map): +(\d+)%\|[ #0-9]*\| +(\d+)/10 \[.*\]")
SQUARES = [n * n for n in range(10)]


def lesson_lines(start_method):
    result, leftovers = run_lesson(LESSON, start_method)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "the bars must go to the standard output"
    assert leftovers == []
    # The bars redraw with carriage returns, which text mode reads as line ends.
    return [line.rstrip() for line in result.stdout.splitlines() if line.strip()]


def bar_states(lines, name):
    matches = [BAR.fullmatch(line) for line in lines]
    return [(int(m[2]), int(m[3])) for m in matches if m and m[1] == name]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
@pytest.mark.parametrize("name", ["imap_unordered", "process_map"])
def test_bar_counts_every_result_up_to_100_percent(start_method, name):
    states = bar_states(lesson_lines(start_method), name)
    # Drawn after every result (mininterval=0, miniters=1), then once more on closing.
    assert states[0] == (0, 0)
    assert states[-1] == (100, 10)
    counts = [count for _, count in states]
    assert counts == sorted(counts)
    assert sorted(set(counts)) == list(range(11))
    assert all(percent == 10 * count for percent, count in states)


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_results_follow_each_bar(start_method):
    lines = lesson_lines(start_method)
    unordered = "squares, in the order they finished: "
    ordered = "squares, in input order: "
    [first] = [i for i, line in enumerate(lines) if line.startswith(unordered)]
    [second] = [i for i, line in enumerate(lines) if line.startswith(ordered)]
    assert sorted(ast.literal_eval(lines[first].removeprefix(unordered))) == SQUARES
    assert ast.literal_eval(lines[second].removeprefix(ordered)) == SQUARES
    # Each list is printed after its bar has finished.
    assert BAR.fullmatch(lines[first - 1]).groups() == ("imap_unordered", "100", "10")
    assert BAR.fullmatch(lines[second - 1]).groups() == ("process_map", "100", "10")
