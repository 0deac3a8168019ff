# /// script
# dependencies = ["nox>=2025.2.9"]
# ///
"""Sessions for building the site and checking everything in it."""

from __future__ import annotations

import atexit
import os
import shutil
from pathlib import Path

import nox
from nox.logger import logger
from python_discovery import get_interpreter  # how nox itself finds interpreters

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "tests", "lessons"]
# A session whose Python cannot be found (nor downloaded) fails: no check passes by skipping.
nox.options.error_on_missing_interpreters = True
# Each lesson runs in a fresh interpreter: without compiled bytecode in the environments (uv does
# not compile by default, and some machines set PYTHONDONTWRITEBYTECODE) every lesson would
# compile Matplotlib, NumPy and Dask from source again, and its page would time that.
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
ON_CI = "CI" in os.environ
# Every lesson runs on each of these on CI; elsewhere on those installed.
LESSON_PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]
INSTALLED = {v for v in LESSON_PYTHONS if get_interpreter(v) is not None}
# The site shows what most readers' Python prints: 3.14, the first whose Linux default is
# forkserver. (Sphinx 9.1+, needed for a working Chinese search, runs on Python 3.12+.)
DOCS_PYTHON = "3.14"
LESSONS_ON = [v for v in LESSON_PYTHONS if ON_CI or v in INSTALLED]
SPHINX_OPTS = ["-W", "-n", "--keep-going"]
# Two tests at a time (pytest-xdist): while one lesson or build waits on its processes the
# other computes; more would crowd the CPUs that the lessons' own pools fill. The workers
# share each lesson's run and each built site (tests/conftest.py).
PYTEST_WORKERS = ["--numprocesses", "2"]
LANGUAGES = ["en", "zh_CN"]  # English first: it runs the lessons, the others reuse that run
GETTEXT = "build/gettext"
# Tests that run lessons as scripts (test_lessons.py, test_lesson_<topic>.py, ...) and their doctests.
LESSON_TESTS = [*sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("tests/test_lesson*.py")), "examples"]


@nox.session(python=DOCS_PYTHON)
def docs(session: nox.Session) -> None:
    """Build the site in every language into build/html/, running each lesson once."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs"))
    shutil.rmtree(ROOT / "build" / "html", ignore_errors=True)
    for language in LANGUAGES:
        session.run(
            "sphinx-build",
            *SPHINX_OPTS,
            *("-b", "html", "-D", f"language={language}", "-d", f"build/doctrees/{language}"),
            *("docs", f"build/html/{language}"),
            *session.posargs,
        )
    session.run("python", "-m", "mpdocs.publish", "build/html")
    session.log(f"Open {ROOT / 'build' / 'html' / 'index.html'}")


@nox.session(python=DOCS_PYTHON)
def translations(session: nox.Session) -> None:
    """Regenerate the message templates and update the catalogs of every other language."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs", "translate"))
    shutil.rmtree(ROOT / GETTEXT, ignore_errors=True)
    doctrees = "build/doctrees/gettext"
    session.run("sphinx-build", *SPHINX_OPTS, "-b", "gettext", "-d", doctrees, "docs", GETTEXT)
    for language in LANGUAGES[1:]:
        session.run("sphinx-intl", "update", "-p", GETTEXT, "-d", "docs/locales", "-l", language, "-w", "0")


@nox.session(python=DOCS_PYTHON)
def tests(session: nox.Session) -> None:
    """Test the machinery, the catalogs, full site builds and the site in a browser."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs", "test"))
    ignore = [f"--ignore={path}" for path in LESSON_TESTS]
    # A test file per worker: a file's tests share the site it builds.
    session.run("pytest", "tests", *ignore, *PYTEST_WORKERS, "--dist", "loadfile", *session.posargs)


def reader_start_methods(python: str) -> list[str]:
    """The start methods a reader of this Python meets without choosing one.

    Linux's default (fork up to 3.13, forkserver from 3.14) and spawn (macOS, Windows). The
    site's build runs every lesson under all three on the docs Python (the tests session).
    """
    minor = int(python.split(".")[1])
    return ["forkserver" if minor >= 14 else "fork", "spawn"]


@nox.session(python=LESSONS_ON or [DOCS_PYTHON])
def lessons(session: nox.Session) -> None:
    """Run every lesson as a script under its readers' start methods, and its doctests."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lessons"))
    # The test helpers only; the Sphinx extension is not needed to run lessons.
    session.install("--no-deps", "-e", ".")
    env = {"MPDOCS_LESSON_START_METHODS": ",".join(reader_start_methods(str(session.python)))}
    session.run("pytest", *LESSON_TESTS, *PYTEST_WORKERS, *session.posargs, env=env)
    _lessons_ran.append(str(session.python))


_lessons_ran: list[str] = []


@atexit.register
def _report_pythons() -> None:
    """Say which Pythons the lessons ran on, and which this machine lacks, at the end of the run."""
    if _lessons_ran:
        missing = [v for v in LESSON_PYTHONS if v not in LESSONS_ON]
        logger.warning(f"lessons ran on Python {', '.join(_lessons_ran)}")
        if missing:
            logger.warning(
                f"lessons did not run on Python {', '.join(missing)}: not installed here "
                f"(uv python install {' '.join(missing)}, then run again)"
            )
    if get_interpreter(DOCS_PYTHON) is None:  # asked again: nox may have downloaded it meanwhile
        logger.error(
            f"the site is built with Python {DOCS_PYTHON}, which is not installed here: "
            f"uv python install {DOCS_PYTHON} (or pyenv install {DOCS_PYTHON}, or your system's "
            f"python{DOCS_PYTHON} package), then run again"
        )


@nox.session(python=DOCS_PYTHON)
def bench(session: nox.Session) -> None:
    """Measure cold and incremental builds, lesson run times and page weight; print a table."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs", "test"))
    session.run("python", "-m", "mpdocs.bench", *session.posargs)


@nox.session(python=DOCS_PYTHON)
def docs_live(session: nox.Session) -> None:
    """Serve the English site with live rebuilds while you write (sphinx-autobuild)."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs"), "sphinx-autobuild")
    session.run(
        "sphinx-autobuild",
        *("-b", "html", "-d", "build/doctrees/live", "--watch", "examples", "--watch", "src"),
        *("--ignore", "*/docs/lessons/*", "docs", "build/html/live"),
        *session.posargs,
    )


@nox.session(python=DOCS_PYTHON)
def lint(session: nox.Session) -> None:
    """Check style with ruff."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", *session.posargs)
    session.run("ruff", "format", "--check", *session.posargs)


if __name__ == "__main__":
    nox.main()
