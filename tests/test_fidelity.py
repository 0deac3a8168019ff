"""The page shows what ``python lesson.py`` shows in a terminal: the fidelity cases.

Each program in ``tests/fidelity/`` (copied from the project's shared cases)
runs in a pseudo-terminal as a reader runs it, and is built as a lesson of a
throwaway gallery, under each start method. The page's output lines must be
the terminal's: in the same order where the program fixes it, as a multiset
where processes race.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from test_build import build, make_project

from mpdocs.testing import START_METHODS, page_lines, reader_env, run_in_terminal

pytestmark = pytest.mark.build

CASES = Path(__file__).parent / "fidelity"
#: How the page's lines must match the terminal's, per case.
ORDER = {
    "plot_class_defined_in_lesson": "exact",
    "plot_logging_in_workers": "multiset",  # the two workers race for the three tasks
    "plot_manager_left_to_exit": "exact",
    "plot_no_threads_of_its_own": "exact",
    "plot_parent_and_children_print": "multiset",
    "plot_stream_saved_before_fork": "multiset",
    "plot_unjoined_child": "exact",
}
SLOW = "plot_lesson_sets_alarm"  # runs 46 s: past the time limit a lesson gets here


def terminal_lines(case: str, start_method: str, timeout: float = 60) -> tuple[int | None, list[str]]:
    """Exit status (None if still running at ``timeout``) and screen of ``python case.py``."""
    command = [sys.executable, f"{case}.py"]
    try:
        status, screen, leftovers = run_in_terminal(
            command, timeout=timeout, env=reader_env(start_method), cwd=CASES
        )
    except subprocess.TimeoutExpired as expired:
        return None, expired.output.splitlines()
    assert leftovers == [], f"{case}.py left processes running in a terminal"
    return status, screen.splitlines()


_built: dict[str, Path] = {}


def built_gallery(tmp_path_factory: pytest.TempPathFactory, start_method: str) -> Path:
    """The cases that end in time, built once per start method as one gallery; must pass."""
    if start_method not in _built:
        tmp = tmp_path_factory.mktemp(f"fidelity-{start_method}")
        src = make_project(tmp, {f"{case}.py": (CASES / f"{case}.py").read_text() for case in ORDER})
        result, leftovers = build(src, start_method)
        assert result.returncode == 0, result.stderr
        assert leftovers == []
        _built[start_method] = src
    return _built[start_method]


@pytest.mark.parametrize("start_method", START_METHODS)
@pytest.mark.parametrize("case", sorted(ORDER))
def test_the_page_shows_what_the_terminal_shows(tmp_path_factory, case, start_method):
    status, terminal = terminal_lines(case, start_method)
    assert status == 0, "\n".join(terminal)
    assert terminal, f"{case}.py printed nothing"
    src = built_gallery(tmp_path_factory, start_method)
    page = page_lines((src / "lessons" / "section" / f"{case}.rst").read_text())
    if ORDER[case] == "exact":
        assert page == terminal
    else:
        assert Counter(page) == Counter(terminal)


@pytest.mark.parametrize("start_method", START_METHODS)
def test_a_lessons_own_alarm_does_not_disable_the_time_limit(tmp_path, start_method):
    case = (CASES / f"{SLOW}.py").read_text()
    src = make_project(tmp_path, {f"{SLOW}.py": case}, timeout=8)
    started = time.monotonic()
    result, leftovers = build(src, start_method)
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert f"{SLOW}.py ran past its time limit of 8 s" in result.stderr
    assert elapsed < 40, f"the build took {elapsed:.0f} s to stop a lesson limited to 8 s"
    assert leftovers == []
    # What the page shows is what a terminal showed by the same time.
    status, terminal = terminal_lines(SLOW, start_method, timeout=8)
    assert status is None, "the case must outlast the limit"
    assert page_lines((src / "lessons" / "section" / f"{SLOW}.rst").read_text()) == terminal
