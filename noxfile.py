# /// script
# dependencies = ["nox>=2025.2.9"]
# ///
"""Sessions for building the site and checking everything in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "tests"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
# Sphinx 9.1+ (needed for a working Chinese search) runs on Python 3.12+.
DOCS_PYTHON = "3.13"
SPHINX_OPTS = ["-W", "-n", "--keep-going"]
LANGUAGES = ["en", "zh_CN"]
GETTEXT = ROOT / "build" / "gettext"


@nox.session(python=DOCS_PYTHON)
def docs(session: nox.Session) -> None:
    """Build the site into build/html/, running every lesson."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs"))
    shutil.rmtree(ROOT / "build" / "html", ignore_errors=True)
    session.run("sphinx-build", *SPHINX_OPTS, "-b", "html", "docs", "build/html/en", *session.posargs)


@nox.session(python=DOCS_PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite: machinery, lessons as scripts, doctests and site builds."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs", "test"))
    session.run("pytest", *session.posargs)


@nox.session(python=DOCS_PYTHON)
def lint(session: nox.Session) -> None:
    """Check style with ruff."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", *session.posargs)
    session.run("ruff", "format", "--check", *session.posargs)


if __name__ == "__main__":
    nox.main()
