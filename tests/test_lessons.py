"""Every lesson, run as ``python lesson.py`` under each start method, as a reader would."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES, LESSONS, lesson_id

from mpdocs.testing import LESSON_START_METHODS, run_lesson, unexplained_stderr

WORKER_LINE = re.compile(r"^#######(start|end) +(hello\d)########$")


def worker_events(stdout: str) -> list[tuple[str, str]]:
    return [m.groups() for m in map(WORKER_LINE.match, stdout.splitlines()) if m]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_id)
def test_lesson_runs_as_a_script(lesson, start_method):
    result, leftovers = run_lesson(lesson, start_method, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in unexplained_stderr(result.stderr), result.stderr
    assert leftovers == [], f"{lesson.name} left processes running: {leftovers}"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_manager_lesson_shares_dict_and_list(start_method):
    result, _ = run_lesson(EXAMPLES / "01_processes" / "plot_06_manager.py", start_method)
    lines = result.stdout.splitlines()
    assert lines[0] == str({f"key{i}": f"val{i}" for i in range(1, 6)})
    assert lines[1] == "[11, 12, 13, 14, 15]"
    # Plain objects are copied into the child: the parent's stay empty.
    assert lines[2] == "0 {} []"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_apply_async_runs_three_tasks_at_a_time(start_method):
    result, _ = run_lesson(EXAMPLES / "02_pools" / "plot_02_apply_async.py", start_method)
    events = worker_events(result.stdout)
    assert sorted(events) == sorted((kind, f"hello{i}") for i in range(1, 10) for kind in ("start", "end"))
    assert [kind for kind, _ in events[:3]] == ["start"] * 3
    lines = result.stdout.splitlines()
    assert lines.index("main end") == len(events), "main end must follow every worker line"
    assert "ValueError: Pool is still running" in lines


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_apply_runs_one_task_at_a_time(start_method):
    result, _ = run_lesson(EXAMPLES / "02_pools" / "plot_03_apply.py", start_method)
    events = worker_events(result.stdout)
    assert events == [(kind, f"hello{i}") for i in range(1, 10) for kind in ("start", "end")]
    assert result.stdout.splitlines()[len(events)] == "main end"
