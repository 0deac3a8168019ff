"""Lessons double as modules: importing one starts no process."""

from __future__ import annotations

import sys

import pytest
from conftest import LESSONS, lesson_id

from mpdocs.testing import LESSON_START_METHODS, reader_env, run

IMPORT_AND_COUNT = """
import importlib.util, multiprocessing, sys
spec = importlib.util.spec_from_file_location("lesson", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
functions = [f for f in vars(module).values() if callable(f) and getattr(f, "__module__", "") == "lesson"]
print(len(multiprocessing.active_children()), bool(functions))
"""


# Importing runs no start method's code: the platform's default stands for all three.
@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_id)
def test_importing_a_lesson_starts_no_process(lesson):
    result, leftovers = run(
        [sys.executable, "-c", IMPORT_AND_COUNT, str(lesson)],
        timeout=60,
        env=reader_env(),
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


# A reader pastes a quick reference into an interactive interpreter: nothing of
# the lesson is defined there, and under spawn or forkserver a worker cannot
# import a function typed at the prompt. So each quick reference runs on its
# own, in a fresh interpreter whose __main__ has no file, as a REPL's does.
PASTE_INTO_A_REPL = """
import doctest, sys
source = sys.argv[1]
test = doctest.DocTestParser().get_doctest(source, {"__name__": "__main__"}, "quick reference", None, 0)
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
runner.run(test)
sys.exit(1 if runner.failures else 0)
"""


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_id)
def test_quick_reference_runs_pasted_into_a_fresh_interpreter(lesson, start_method):
    docstring = lesson.read_text(encoding="utf-8").split('r"""', 1)[1].split('"""', 1)[0]
    result, leftovers = run(
        [sys.executable, "-c", PASTE_INTO_A_REPL, docstring],
        timeout=60,
        env=reader_env(start_method),
        cwd=lesson.parent.parent.parent,  # not the lesson's folder: nothing of it is importable
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert leftovers == []
