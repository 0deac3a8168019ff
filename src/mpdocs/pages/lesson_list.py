"""``{lesson-list}``: every gallery section and its lessons, in order, as cards.

The landing page lists the lessons without anyone keeping the list up to
date: the links are made from the files in ``examples/`` (each section in
order, each lesson in order). A card shows the lesson's thumbnail, its title
(a link whose text is the page's own title) and the first sentence of its
introduction, taken from the lesson's page once it is read, so both are
translated with the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..i18n.cjk_spacing import shown_text

USED_IN = "_mpdocs_lesson_list_docs"


def _doc_link(env: Any, docname: str) -> nodes.paragraph:
    xref = addnodes.pending_xref(
        "",
        nodes.inline("", "", classes=["xref", "std", "std-doc"]),
        refdomain="std",
        reftype="doc",
        reftarget="/" + docname,
        refexplicit=False,
        refwarn=True,
        refdoc=env.docname,
    )
    return nodes.paragraph("", "", xref)


class lesson_summary(nodes.General, nodes.Element):
    """Stands for the first sentence of a lesson's introduction until that page is read."""


class LessonList(SphinxDirective):
    """Each section's title (a link to its index page), then a card for each of its lessons."""

    def run(self) -> list[nodes.Node]:
        conf = self.config.sphinx_gallery_conf
        examples = Path(self.env.srcdir, conf["examples_dirs"])
        gallery = conf["gallery_dirs"]
        pattern = re.compile(conf.get("filename_pattern", r"/plot"))
        result: list[nodes.Node] = []
        for section in sorted(p for p in examples.iterdir() if (p / "GALLERY_HEADER.rst").is_file()):
            title = _doc_link(self.env, f"{gallery}/{section.name}/index")
            title["classes"].append("mpdocs-section-title")
            cards = nodes.container(classes=["mpdocs-lesson-cards"])
            for lesson in sorted(section.glob("*.py")):
                if pattern.search("/" + lesson.name):
                    cards += self._card(f"{gallery}/{section.name}", lesson.stem)
            result += [title, cards]
        setattr(self.env, USED_IN, getattr(self.env, USED_IN, set()) | {self.env.docname})
        return result

    def _card(self, folder: str, stem: str) -> nodes.container:
        # The thumbnail sphinx-gallery made (Sphinx picks its .zh_CN file on Chinese pages);
        # the title beside it says what it is, so it needs no alt text of its own.
        thumbnail = nodes.image(uri=f"/{folder}/images/thumb/sphx_glr_{stem}_thumb.png", alt="")
        return nodes.container(
            "",
            thumbnail,
            _doc_link(self.env, f"{folder}/{stem}"),
            lesson_summary(docname=f"{folder}/{stem}"),
            classes=["mpdocs-lesson-card"],
        )


def fill_summaries(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(lesson_summary)):
        summary = first_sentence(app.env.get_doctree(node["docname"]), app.config.language)
        node.replace_self(nodes.paragraph("", summary))


def first_sentence(doctree: nodes.document, language: str | None = None) -> str:
    """The first sentence of the page's first paragraph of prose (not a note, not output),
    spaced as the page shows it in ``language`` (:mod:`mpdocs.i18n.cjk_spacing`)."""
    skip = (nodes.Admonition, nodes.literal_block, addnodes.only)
    for paragraph in doctree.findall(nodes.paragraph):
        if any(isinstance(ancestor, skip) for ancestor in _ancestors(paragraph)):
            continue
        text = shown_text(paragraph, language).strip()
        if text:
            return re.split(r"(?<=[.!?])\s+|(?<=[。！？])", text, maxsplit=1)[0]
    return ""


def _ancestors(node: nodes.Node) -> Iterator[nodes.Node]:
    while node.parent is not None:
        node = node.parent
        yield node


def _always_reread(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    # A lesson added or removed changes no file this page depends on.
    return sorted(getattr(env, USED_IN, set()) - removed)


def setup(app: Sphinx) -> None:
    app.add_node(lesson_summary)
    app.add_directive("lesson-list", LessonList)
    app.connect("doctree-resolved", fill_summaries)
    app.connect("env-get-outdated", _always_reread)
