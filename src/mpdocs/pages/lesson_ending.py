"""The end of a lesson: its downloads, and a way on from the last one.

sphinx-gallery ends each lesson with three download buttons, each naming its
file: the notebook, the ``.py`` file and a ``.zip`` of the two, which for one
lesson adds nothing but a third button. Here the ``.zip`` goes, the ``.py``
file comes first, and both buttons say what the sidebar's links say ("Download
the lesson (.py)"), short enough for one row (``site.css``). sphinx-gallery's
signature goes too (``show_signature`` in ``conf.py``; also from pages it
generated before). The theme links each page to the next in the table of
contents; the last lesson has no next page, so it gets one: all the lessons.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation

from ..i18n.page_text import message, translate

ZIP_DOWNLOAD = "sphx-glr-download-zip"
SIGNATURE = "sphx-glr-signature"
#: The buttons, in order, with the words of the sidebar's links (templates/mpdocs-download-links.html).
DOWNLOADS = {
    "sphx-glr-download-python": "Download the lesson (.py)",
    "sphx-glr-download-jupyter": "Download as a notebook (.ipynb)",
}
ALL_LESSONS = message("All lessons", "mpdocs.pages.lesson_ending")


def tidy_downloads(app: Sphinx, doctree: nodes.document) -> None:
    """No .zip, no signature; the lesson's own file first, each button with its short name."""
    # On doctree-read, before Sphinx collects the page's downloads: the .zip is not copied either.
    _ = get_translation("sphinx")
    for node in list(doctree.findall(nodes.Element)):
        classes = node.get("classes", [])
        if ZIP_DOWNLOAD in classes or (SIGNATURE in classes and node.parent is not None):
            node.parent.remove(node)
    for footer in doctree.findall(nodes.container):
        buttons = [child for child in footer.children if set(child.get("classes", [])) & set(DOWNLOADS)]
        if not buttons:
            continue
        for button in buttons:
            label = next(DOWNLOADS[c] for c in button["classes"] if c in DOWNLOADS)
            for literal in button.findall(nodes.literal):
                literal[:] = [nodes.Text(_(label))]
            footer.remove(button)
        order = list(DOWNLOADS)
        buttons.sort(key=lambda b: next(order.index(c) for c in b["classes"] if c in DOWNLOADS))
        footer.extend(buttons)


def way_on_from_the_last_lesson(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    gallery = app.config.sphinx_gallery_conf.get("gallery_dirs")
    index = f"{gallery}/index" if isinstance(gallery, str) else None
    is_lesson = index is not None and pagename.startswith(f"{gallery}/") and "/plot_" in pagename
    if is_lesson and not context.get("next"):
        context["next"] = {
            "link": context["pathto"](index),
            "title": html.escape(translate(app, ALL_LESSONS)),
        }


def setup(app: Sphinx) -> None:
    # Before Sphinx's own collectors (priority 500) note the page's download files.
    app.connect("doctree-read", tidy_downloads, priority=100)
    app.connect("html-page-context", way_on_from_the_last_lesson)
