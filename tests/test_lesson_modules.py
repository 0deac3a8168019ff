"""Lessons double as modules: importing one starts no process."""

from __future__ import annotations

import sys

import pytest
from conftest import LESSONS, lesson_id

from mpdocs.testing import START_METHODS, reader_env, run

IMPORT_AND_COUNT = """
import importlib.util, multiprocessing, sys
spec = importlib.util.spec_from_file_location("lesson", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
functions = [f for f in vars(module).values() if callable(f) and getattr(f, "__module__", "") == "lesson"]
print(len(multiprocessing.active_children()), bool(functions))
"""


@pytest.mark.parametrize("start_method", START_METHODS)
@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_id)
def test_importing_a_lesson_starts_no_process(lesson, start_method):
    result, leftovers = run(
        [sys.executable, "-c", IMPORT_AND_COUNT, str(lesson)],
        timeout=60,
        env=reader_env(start_method),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "True"]
    assert leftovers == []


def test_every_lesson_has_a_quick_reference_doctest():
    import doctest

    finder = doctest.DocTestFinder()
    for lesson in LESSONS:
        source = lesson.read_text(encoding="utf-8")
        docstring = source.split('r"""', 1)[1].split('"""', 1)[0]
        examples = finder._parser.get_examples(docstring)
        assert examples, f"{lesson.name} has no >>> quick reference in its docstring"
