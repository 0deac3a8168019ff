"""The word count lesson, checked against a sequential recount of the same files."""

from __future__ import annotations

import collections
import functools
import keyword
import os
import re
import tokenize

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_10_word_count.py"


@functools.cache
def recount() -> collections.Counter[str]:
    """The names of the first 600 .py files of this Python's library, counted here."""
    folder = os.path.dirname(os.__file__)
    paths = []
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name not in ("site-packages", "__pycache__")]
        paths += [os.path.join(root, name) for name in files if name.endswith(".py")]
    total: collections.Counter[str] = collections.Counter()
    for path in sorted(paths)[:600]:
        with tokenize.open(path) as file:
            for token in tokenize.generate_tokens(file.readline):
                if token.type == tokenize.NAME and not keyword.iskeyword(token.string):
                    total[token.string] += 1
    return total


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_progress_lines_come_in_order(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[:7] == ["counting the names in 600 files"] + [
        f"{n} of 600 files" for n in range(100, 601, 100)
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_the_pool_counts_what_a_plain_recount_finds(start_method):
    lines = lesson_lines(LESSON, start_method)
    total = recount()
    # The seconds at the end of the summary are a timing.
    summary = f"{sum(total.values())} names, {len(total)} different; 0 files skipped; "
    assert lines[7].startswith(summary)
    assert re.fullmatch(r"\d+\.\d\d s", lines[7].removeprefix(summary))
    top = sorted(total.items(), key=lambda item: (-item[1], item[0]))[:10]
    width = max(len(name) for name, _ in top)
    ranking = [f"{rank:2}. {name:<{width}} {count:6}" for rank, (name, count) in enumerate(top, 1)]
    assert lines[8:18] == ranking


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_loop_and_pool_agree_and_the_ratio_is_printed(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Both times and their ratio are timings: only their form is checked.
    assert re.fullmatch(r"plain loop: \d+\.\d\d s", lines[18])
    assert re.fullmatch(r"pool of \d+ processes: \d+\.\d\d s", lines[19])
    assert lines[20] == "same counts in all three runs: True"
    assert re.fullmatch(r"speed-up of the pool over the loop: \d+\.\d\d", lines[21])
    assert len(lines) == 22
