"""The code that draws a lesson's figure, folded: the lesson's argument first.

A lesson's plotting cell is often its longest (40 lines of Matplotlib on a
phone fill two screens) and stands right before its payoff, the figure. Such
a cell is shown collapsed under a summary that says what it is and how long
("Code that draws the figure, 43 lines"), the figure under it in view. The
code stays on the page (a click opens it, and its copy button copies it), in
the ``.py`` download and in the notebook, unchanged: only the HTML page folds it.

A plotting cell is recognised by what it does, not by a marker in the lesson:
it shows a figure (``plt.show()``) and prints nothing.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.application import Sphinx

from ..i18n.page_text import message, translate

SUMMARY = message("Code that draws the figure, {lines} lines", "mpdocs.pages.plot_code")
SHOWS_A_FIGURE = re.compile(r"^\s*plt\.show\(\)\s*$", re.M)
PRINTS = re.compile(r"\bprint\(")
CLASS = "mpdocs-plot-code"


def draws_the_figure(code: str) -> bool:
    """Whether a cell's ``code`` is there to draw its figure: it shows one and prints nothing."""
    return bool(SHOWS_A_FIGURE.search(code)) and not PRINTS.search(code)


def fold_plotting_code(app: Sphinx, doctree: nodes.document) -> None:
    if not _is_lesson(app, app.env.docname):
        return
    for block in list(doctree.findall(nodes.literal_block)):
        if block.get("language", "").lower() != "python" or not draws_the_figure(block.astext()):
            continue
        lines = len(block.astext().rstrip("\n").splitlines())
        summary = html.escape(translate(app, SUMMARY).format(lines=lines))
        opening = nodes.raw("", f'<details class="{CLASS}"><summary>{summary}</summary>\n', format="html")
        closing = nodes.raw("", "</details>\n", format="html")
        parent = block.parent
        index = parent.index(block)
        parent.insert(index + 1, closing)
        parent.insert(index, opening)


def _is_lesson(app: Sphinx, docname: str) -> bool:
    gallery = app.config.sphinx_gallery_conf.get("gallery_dirs")
    dirs = [gallery] if isinstance(gallery, str) else list(gallery or ())
    return any(docname.startswith(f"{d}/") for d in dirs) and docname.rsplit("/", 1)[-1].startswith("plot_")


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", fold_plotting_code)
