"""Re-run a lesson when the machinery that runs it changes, not only the lesson.

sphinx-gallery re-runs a lesson when the MD5 of its script changes, and keeps
its output otherwise. The output also depends on the code that executes it:
the start methods, the lesson process and how it is read, the versions of
Python, sphinx-gallery and Matplotlib. Their fingerprint is kept next to the
generated gallery; when it differs, every lesson's MD5 is dropped, so each
lesson runs again exactly once.
"""

from __future__ import annotations

import hashlib
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from . import execution

logger = logging.getLogger(__name__)

PACKAGE = Path(__file__).parent
#: The modules whose code runs, or captures, a lesson.
EXECUTION_MODULES = (
    "execution.py",
    "lesson_process.py",
    "lesson_main.py",
    "processes.py",
    "start_methods.py",
    "_startmethod/sitecustomize.py",
)
FINGERPRINT = ".mpdocs-fingerprint"


def fingerprint(start_methods: tuple[str, ...]) -> str:
    """A digest of what decides a run's output besides the example itself."""
    digest = hashlib.sha256()
    for module in EXECUTION_MODULES:
        digest.update(module.encode() + b"\0" + (PACKAGE / module).read_bytes())
    for part in (
        *start_methods,
        platform.python_version(),
        version("sphinx-gallery"),
        _version_or_none("matplotlib"),  # draws the figures, if the gallery has any
    ):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def _version_or_none(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "none"


def drop_stale_results(app: Sphinx) -> None:
    """Before sphinx-gallery looks at its MD5s: forget them if the machinery changed."""
    current = fingerprint(execution.settings.start_methods)
    gallery_dirs = app.config.sphinx_gallery_conf["gallery_dirs"]
    for gallery in [gallery_dirs] if isinstance(gallery_dirs, str) else gallery_dirs:
        folder = Path(app.srcdir) / gallery
        stamp = folder / FINGERPRINT
        if stamp.is_file() and stamp.read_text().strip() == current:
            continue
        stale = list(folder.glob("**/*.md5"))
        for md5 in stale:
            md5.unlink()
        if stale:
            logger.info("mpdocs: the code that runs lessons changed: %s will run again", gallery)
        folder.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n")


def setup(app: Sphinx) -> None:
    # After mpdocs has read the start method (priority 5), before sphinx-gallery runs lessons (500).
    app.connect("builder-inited", drop_stale_results, priority=6)
