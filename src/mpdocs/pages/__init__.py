"""What the pages add to what sphinx-gallery makes of a lesson.

Owns: the landing page's list of lessons (:mod:`.lesson_list`); links from
standard-library names to docs.python.org, offline (:mod:`.stdlib_links`);
accessible names for what the theme leaves unnamed (:mod:`.a11y`); the
download note under the title (:mod:`.download_note`); the templates of the
sidebar's download links (``templates/``).

May import: :mod:`mpdocs.run`, :mod:`mpdocs.i18n` and :mod:`mpdocs.figures`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from . import a11y, download_note, lesson_list, stdlib_links

TEMPLATES = str(Path(__file__).parent / "templates")


def _add_templates(app: Sphinx, config: Any) -> None:
    if TEMPLATES not in config.templates_path:
        config.templates_path.append(TEMPLATES)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _add_templates)
    stdlib_links.setup(app)
    a11y.setup(app)
    lesson_list.setup(app)
    download_note.setup(app)
