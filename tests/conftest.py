from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
LESSONS = sorted(EXAMPLES.glob("*/plot_*.py"))


def lesson_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
