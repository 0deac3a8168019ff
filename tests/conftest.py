from __future__ import annotations

import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from mpdocs.testing import SHARED_RUNS, computed_once, descendants, reader_env, run, sphinx_build

# The fidelity cases are programs for test_fidelity.py to run, not test modules.
collect_ignore = ["fidelity"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
LESSONS = sorted(EXAMPLES.glob("*/plot_*.py"))


def lesson_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


LANGUAGES = ("en", "zh_CN")
#: The test site is built for a host that serves it under a sub-path, as GitHub Pages
#: serves a project's site under /<repository>/: only the 404 pages' links depend on it.
SITE_BASE = "/mp-lessons/"
GENERATED = {ROOT / "docs" / "lessons", ROOT / "docs" / "sg_execution_times.rst"}


def ignore_generated(folder: str, names: list[str]) -> set[str]:
    """For shutil.copytree: leave out what builds generate inside docs/."""
    return {name for name in names if Path(folder, name) in GENERATED or name.endswith(".mo")}


@dataclass
class Site:
    html: Path  # one folder per language, plus the root page
    logs: dict[str, str]  # sphinx-build's output per language


_site: list[Site] = []


def build_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Both languages built from a copy of docs/ and examples/, once per test run.

    As ``nox -s docs`` builds it: each lesson runs under every start method,
    the platform's default first. pytest-xdist's workers share the build
    through the run's shared folder: the first worker to need the site builds
    it, a worker that needs it meanwhile waits for that build.
    """
    if _site:
        return _site[0]
    shared = Path(os.environ.get(SHARED_RUNS) or tmp_path_factory.getbasetemp())
    # Each language's build has a time limit of its own (1200 s); two, and some to spare.
    logs = computed_once(shared / "site", _build_site, timeout=3000)
    _site.append(Site(shared / "site" / "html", logs))
    return _site[0]


def _build_site(tmp: Path) -> dict[str, str]:
    shutil.copytree(ROOT / "docs", tmp / "docs", ignore=ignore_generated)
    shutil.copytree(ROOT / "examples", tmp / "examples")
    env = reader_env(MPDOCS_SITE_BASE=SITE_BASE)
    env.pop("MPDOCS_START_METHOD", None)
    logs = {}
    for language in LANGUAGES:
        options = ("-b", "html", "-D", f"language={language}", "-d", str(tmp / "doctrees" / language))
        result, leftovers = run(
            sphinx_build(tmp / "docs", tmp / "html" / language, *options), timeout=1200, env=env
        )
        assert result.returncode == 0, result.stderr
        assert leftovers == [], f"processes outlived the {language} build: {leftovers}"
        logs[language] = result.stdout
    publish, _ = run(
        [sys.executable, "-m", "mpdocs.publish", str(tmp / "html")], timeout=60, env=env, cwd=tmp
    )
    assert publish.returncode == 0, publish.stderr
    return logs


def stop_reusable_workers() -> None:
    """Shut down joblib's reusable executor (its workers wait for the next call), if started."""
    reusable = sys.modules.get("joblib.externals.loky.reusable_executor")
    executor = getattr(reusable, "_executor", None)
    if executor is not None:
        executor.terminate(kill_workers=False)  # also removes joblib's memory-map folder


def stop_loky_resource_tracker() -> None:
    """Stop loky's resource tracker process, which otherwise lives until this process exits."""
    tracker = sys.modules.get("joblib.externals.loky.backend.resource_tracker")
    if tracker is not None:
        tracker._resource_tracker._stop()


def pytest_configure(config: pytest.Config) -> None:
    """One folder for the lesson runs and site builds of the test run, shared by its xdist workers.

    Lessons run from here get Ctrl-C as in a reader's terminal, even when the test run was
    started where SIGINT is ignored (in the background of a shell without job control):
    every program started from here would inherit that.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if hasattr(config, "workerinput") or SHARED_RUNS in os.environ:
        return  # a worker inherits the folder of the run that started it
    shared = tempfile.mkdtemp(prefix="mpdocs-test-run-")
    os.environ[SHARED_RUNS] = shared
    config.add_cleanup(lambda: (shutil.rmtree(shared, ignore_errors=True), os.environ.pop(SHARED_RUNS, None)))


@pytest.hookimpl(wrapper=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int):
    """Fail the run if any process it started is still alive at its end."""
    # After every other implementation: pytest-xdist's stops its workers there.
    result = yield
    # Doctests that use shared memory or the forkserver in this process start
    # the standard library's helper processes; they would stop at exit anyway.
    # joblib's doctest leaves its workers idle for the next call; they hold the
    # trackers' pipes open, so they go first.
    stop_reusable_workers()
    stop_loky_resource_tracker()
    multiprocessing.resource_tracker._resource_tracker._stop()
    multiprocessing.forkserver._forkserver._stop()
    alive = descendants(os.getpid())
    if alive:
        session.config.get_terminal_writer().line(f"processes outlived the test run: {alive}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    return result
