"""The set-up a newcomer runs: a missing Python fails the run loudly, never passes by skipping."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mpdocs.testing import run

ROOT = Path(__file__).resolve().parent.parent
DOCS_PYTHON = "3.14"


def other_python() -> str:
    """An installed Python that is not the docs Python (CI has 3.10 to 3.12)."""
    for minor in (12, 11, 10):
        found = shutil.which(f"python3.{minor}")
        if found and subprocess.run([found, "-c", ""], capture_output=True).returncode == 0:
            return found
    raise AssertionError("no Python 3.10 to 3.12 to run nox with")


@pytest.fixture(scope="module")
def lone_python(tmp_path_factory) -> dict[str, str]:
    """A machine whose only Python (with nox) is not 3.14: the environment to run nox in."""
    tmp = tmp_path_factory.mktemp("lone-python")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "uv", "venv", "-q", "-p", other_python(), str(venv)], check=True)
    subprocess.run(
        [sys.executable, "-m", "uv", "pip", "install", "-q", "--python", str(venv / "bin" / "python"), "nox"],
        check=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYENV", "CI", "NOX", "VIRTUAL_ENV"))}
    env.update(
        PATH=f"{venv / 'bin'}:/usr/bin:/bin",
        PYENV_ROOT=str(tmp / "no-pyenv"),
        UV_PYTHON_INSTALL_DIR=str(tmp / "no-uv-pythons"),
        # A machine without network (or nox's download turned off) cannot fetch one either.
        NOX_DOWNLOAD_PYTHON="never",
    )
    return env


@pytest.mark.parametrize("sessions", [["docs"], ["lint", "tests", "lessons"], ["bench"]])
def test_a_missing_docs_python_fails_with_what_to_do(lone_python, sessions, tmp_path):
    python = str(Path(lone_python["PATH"].split(":")[0]) / "python")
    # Environments of its own: nox reuses an existing one without looking for its Python.
    envdir = tmp_path / "envs"
    result, _ = run(
        [python, "-m", "nox", "-x", "--envdir", str(envdir), "-s", *sessions],
        timeout=120,
        env=lone_python,
        cwd=ROOT,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"Python interpreter {DOCS_PYTHON} not found" in output
    assert "Running session tests" not in output  # -x: the run stopped at the first failure
    assert f"uv python install {DOCS_PYTHON}" in output
