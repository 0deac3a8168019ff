"""Unit tests of the pieces of mpdocs that need no Sphinx build."""

from __future__ import annotations

import sys

import pytest
from sphinx.errors import ConfigError

from mpdocs import execution, stdlib_links
from mpdocs.testing import START_METHODS, reader_env, run


def test_unknown_start_method_names_the_valid_ones():
    with pytest.raises(ConfigError, match=r"'thread'.*supports: fork, spawn, forkserver"):
        execution.check_start_method("thread")


@pytest.mark.parametrize("empty", [None, ""])
def test_no_start_method_means_the_platform_default(empty):
    assert execution.check_start_method(empty) == execution.platform_default_start_method()


@pytest.mark.parametrize("method", START_METHODS)
def test_chosen_method_is_a_default_a_lesson_may_still_override(method):
    other = next(m for m in START_METHODS if m != method)
    setup = (
        "import multiprocessing as mp\n"
        "from mpdocs.execution import make_default_start_method\n"
        f"make_default_start_method({method!r})\n"
    )
    for lesson_code, expected in [("", method), (f"mp.set_start_method({other!r})\n", other)]:
        code = setup + lesson_code + "print(mp.get_start_method())"
        result, _ = run([sys.executable, "-c", code], timeout=30, env=reader_env())
        assert result.stdout.strip() == expected, result.stderr


@pytest.mark.parametrize("method", START_METHODS)
def test_test_hook_sets_the_default_start_method_of_a_script(method):
    code = "import multiprocessing as mp; print(mp.get_start_method())"
    result, _ = run([sys.executable, "-c", code], timeout=30, env=reader_env(method))
    assert result.stdout.strip() == method, result.stderr


def test_per_lesson_time_limits():
    settings = execution.Settings(timeout=60, timeouts={"plot_slow.py": 300, "plot_other": 90})
    assert settings.limit_for("/x/examples/a/plot_slow.py") == 300
    assert settings.limit_for("/x/examples/a/plot_other.py") == 90
    assert settings.limit_for("/x/examples/a/plot_fast.py") == 60


@pytest.mark.parametrize(
    ("target", "exists"),
    [
        ("multiprocessing.pool.Pool.apply_async", True),
        ("multiprocessing.managers.SyncManager", True),
        ("concurrent.futures.ProcessPoolExecutor", True),
        ("multiprocessing.Pool.apply_sync", False),
        ("multiprocessing.nonexistent", False),
    ],
)
def test_stdlib_objects_resolve_only_when_they_exist(target, exists):
    assert stdlib_links.resolve_object(target) is exists


@pytest.mark.parametrize(
    ("target", "page"),
    [
        ("multiprocessing.pool.Pool", "multiprocessing"),
        ("multiprocessing.shared_memory.SharedMemory", "multiprocessing.shared_memory"),
        ("concurrent.futures.Executor.map", "concurrent.futures"),
        ("os.getpid", "os"),
    ],
)
def test_stdlib_objects_link_to_the_page_documenting_them(target, page):
    assert stdlib_links.page_for(target) == page
