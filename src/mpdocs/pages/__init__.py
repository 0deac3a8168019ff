"""What the pages add to what sphinx-gallery makes of a lesson.

Owns: the lesson cards of the landing page and the gallery indexes
(:mod:`.lesson_list`); links from standard-library names to docs.python.org,
offline (:mod:`.stdlib_links`); accessible names for what the theme leaves
unnamed (:mod:`.a11y`); the download note under the title
(:mod:`.download_note`); outputs that keep their meaning on a phone
(:mod:`.outputs`); short inline code kept whole (:mod:`.inline_code`); the
plotting code folded (:mod:`.plot_code`); the end of a lesson
(:mod:`.lesson_ending`); what every page loads (:mod:`.page_weight`); search
results and their snippets (:mod:`.search_results`); the templates (the page
layout, the header's logo, the sidebar's download links).

May import: :mod:`mpdocs.run`, :mod:`mpdocs.i18n` and :mod:`mpdocs.figures`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from . import (
    a11y,
    download_note,
    inline_code,
    lesson_ending,
    lesson_list,
    outputs,
    page_weight,
    plot_code,
    search_results,
    stdlib_links,
)

TEMPLATES = str(Path(__file__).parent / "templates")
#: What the body of every page made from a document goes through, in order.
BODY_REWRITES = (outputs.rewrite_outputs, inline_code.keep_short_chips_whole)


def _add_templates(app: Sphinx, config: Any) -> None:
    if TEMPLATES not in config.templates_path:
        config.templates_path.append(TEMPLATES)


def _rewrite_body(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is not None and "body" in context:
        for rewrite in BODY_REWRITES:
            context["body"] = rewrite(context["body"])


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _add_templates)
    stdlib_links.setup(app)
    a11y.setup(app)
    lesson_list.setup(app)
    download_note.setup(app)
    app.connect("html-page-context", _rewrite_body)
    plot_code.setup(app)
    lesson_ending.setup(app)
    page_weight.setup(app)
    search_results.setup(app)
