# /// script
# dependencies = ["nox>=2025.2.9"]
# ///
"""Sessions for building the site and checking everything in it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "tests", "lessons"]
# A reader may lack one of the Pythons (nox reports it); CI must have them all.
nox.options.error_on_missing_interpreters = "CI" in os.environ

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
# Sphinx 9.1+ (needed for a working Chinese search) runs on Python 3.12+.
DOCS_PYTHON = "3.13"
LESSON_PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
SPHINX_OPTS = ["-W", "-n", "--keep-going"]
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
    session.run("pytest", "tests", *ignore, *session.posargs)


@nox.session(python=LESSON_PYTHONS)
def lessons(session: nox.Session) -> None:
    """Run every lesson as a script under fork, spawn and forkserver, and its doctests."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lessons"))
    # The test helpers only; the Sphinx extension is not needed to run lessons.
    session.install("--no-deps", "-e", ".")
    session.run("pytest", *LESSON_TESTS, *session.posargs)


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
