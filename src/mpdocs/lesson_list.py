"""``{lesson-list}``: every gallery section and its lessons, as links, in order.

The landing page lists the lessons without anyone keeping the list up to
date: the links are made from the files in ``examples/`` (each section in
order, each lesson in order), and their text is each page's own title, so it
is translated with the page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

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


class LessonList(SphinxDirective):
    """A nested list: each section's index page, then its lessons."""

    def run(self) -> list[nodes.Node]:
        conf = self.config.sphinx_gallery_conf
        examples = Path(self.env.srcdir, conf["examples_dirs"])
        gallery = conf["gallery_dirs"]
        pattern = re.compile(conf.get("filename_pattern", r"/plot"))
        sections = nodes.bullet_list()
        for section in sorted(p for p in examples.iterdir() if (p / "GALLERY_HEADER.rst").is_file()):
            lessons = nodes.bullet_list()
            for lesson in sorted(section.glob("*.py")):
                if pattern.search("/" + lesson.name):
                    lessons += nodes.list_item(
                        "", _doc_link(self.env, f"{gallery}/{section.name}/{lesson.stem}")
                    )
            sections += nodes.list_item("", _doc_link(self.env, f"{gallery}/{section.name}/index"), lessons)
        setattr(self.env, USED_IN, getattr(self.env, USED_IN, set()) | {self.env.docname})
        return [sections]


def _always_reread(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    # A lesson added or removed changes no file this page depends on.
    return sorted(getattr(env, USED_IN, set()) - removed)


def setup(app: Sphinx) -> None:
    app.add_directive("lesson-list", LessonList)
    app.connect("env-get-outdated", _always_reread)
