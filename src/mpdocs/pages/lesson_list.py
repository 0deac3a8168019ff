"""Lesson cards, one design wherever lessons are listed.

A card shows a lesson's thumbnail (drawn for the light theme and for the
dark, see :mod:`mpdocs.figures.variants`), its title (a link whose text is the
page's own title; the whole card is the link) and a one-line summary written
for the card. The summaries are kept beside the lessons, in each section's
``GALLERY_HEADER.rst``, by the name of each lesson's file::

    .. lesson-cards::

       :plot_01_processes: Start a child with ``Process``, wait for it with ``join()``, ...

sphinx-gallery puts that header on the section's index page and on the
lessons index, where the directive draws the section's cards in place of
sphinx-gallery's own thumbnails. ``{lesson-list}`` on the landing page draws
every section's title and cards. A section's index page is where its
summaries are translated (its catalog); the other pages copy them from there,
so each summary is translated once. The directive fails the build if a lesson
of the section has no summary, or a summary names no lesson.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

#: Pages that show cards copied from another page: read again on every build.
USED_IN = "_mpdocs_lesson_list_docs"
SUMMARY_CLASS = "mpdocs-card-summary"
#: What a thumbnail's dark twin adds to its name (written by mpdocs.figures).
DARK = "-dark"


class lesson_summary(nodes.General, nodes.Element):
    """Stands for a lesson's card summary, kept on its section's index page, until it is copied here."""


def _doc_link(env: Any, docname: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "",
        nodes.inline("", "", classes=["xref", "std", "std-doc"]),
        refdomain="std",
        reftype="doc",
        reftarget="/" + docname,
        refexplicit=False,
        refwarn=True,
        refdoc=env.docname,
    )


class _Lessons:
    """The gallery's sections and lessons, in order, from the files in ``examples/``."""

    def __init__(self, directive: SphinxDirective) -> None:
        conf = directive.config.sphinx_gallery_conf
        self.examples = Path(directive.env.srcdir, conf["examples_dirs"])
        self.gallery = conf["gallery_dirs"]
        self.pattern = re.compile(conf.get("filename_pattern", r"/plot"))

    def sections(self) -> list[Path]:
        return sorted(p for p in self.examples.iterdir() if (p / "GALLERY_HEADER.rst").is_file())

    def lessons(self, section: Path) -> list[str]:
        return [p.stem for p in sorted(section.glob("*.py")) if self.pattern.search("/" + p.name)]

    def section_of(self, stem: str) -> Path | None:
        return next((s for s in self.sections() if stem in self.lessons(s)), None)

    def index(self, section: Path) -> str:
        return f"{self.gallery}/{section.name}/index"


def _card(
    directive: SphinxDirective, lessons: _Lessons, section: Path, stem: str, summary: nodes.Node
) -> nodes.container:
    folder = f"{lessons.gallery}/{section.name}"
    thumb = f"/{folder}/images/thumb/sphx_glr_{stem}_thumb"
    # The title beside the thumbnail says what it is: it needs no alt text of its own. Lazy, so
    # that the browser fetches only the one the theme shows (it fetches a hidden eager one too).
    light = nodes.image(uri=f"{thumb}.png", alt="", classes=["only-light"], loading="lazy")
    dark = nodes.image(uri=f"{thumb}{DARK}.png", alt="", classes=["only-dark"], loading="lazy")
    title = nodes.paragraph(
        "", "", _doc_link(directive.env, f"{folder}/{stem}"), classes=["mpdocs-card-title"]
    )
    return nodes.container("", light, dark, title, summary, classes=["mpdocs-lesson-card"])


def _cards(
    directive: SphinxDirective, lessons: _Lessons, section: Path, summaries: dict[str, nodes.Node]
) -> nodes.container:
    cards = nodes.container(classes=["mpdocs-lesson-cards"])
    for stem in lessons.lessons(section):
        summary = summaries.get(stem) or lesson_summary(docname=lessons.index(section), lesson=stem)
        cards += _card(directive, lessons, section, stem, summary)
    return cards


def _copies_cards(env: Any) -> None:
    setattr(env, USED_IN, getattr(env, USED_IN, set()) | {env.docname})


class LessonCards(SphinxDirective):
    """A section's lessons as cards, with the summaries this directive holds (see the module)."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        lessons = _Lessons(self)
        parsed = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, parsed)
        fields = list(parsed.findall(nodes.field))
        if not fields or len(parsed.children) != 1 or not isinstance(parsed[0], nodes.field_list):
            raise self.error(
                "lesson-cards holds one field per lesson: ':plot_01_name: One line for its card.'"
            )
        summaries = {field[0].astext().strip(): field[1] for field in fields}
        sections = {stem: lessons.section_of(stem) for stem in summaries}
        unknown = sorted(stem for stem, section in sections.items() if section is None)
        if unknown:
            raise self.error(f"lesson-cards: no lesson is named {', '.join(unknown)} (in {lessons.examples})")
        if len(set(sections.values())) != 1:
            raise self.error(
                "lesson-cards: the summaries of one section's lessons, in its GALLERY_HEADER.rst"
            )
        section = next(iter(sections.values()))
        missing = [stem for stem in lessons.lessons(section) if stem not in summaries]
        if missing:
            raise self.error(f"lesson-cards: no summary for {', '.join(missing)} ({section.name})")
        own_page = self.env.docname == lessons.index(section)
        paragraphs: dict[str, nodes.Node] = {}
        for stem, body in summaries.items():
            if len(body.children) != 1 or not isinstance(body[0], nodes.paragraph):
                raise self.error(f"lesson-cards: the summary of {stem} is one line of text")
            if own_page:  # translated here, copied from here
                paragraph = body[0].deepcopy()
                paragraph["classes"].append(SUMMARY_CLASS)
                paragraph["mpdocs_lesson"] = stem
                paragraphs[stem] = paragraph
        if not own_page:
            _copies_cards(self.env)
        return [_cards(self, lessons, section, paragraphs)]


class LessonList(SphinxDirective):
    """Each section's title (a link to its index page), then its lessons' cards."""

    def run(self) -> list[nodes.Node]:
        lessons = _Lessons(self)
        result: list[nodes.Node] = []
        for section in lessons.sections():
            title = nodes.paragraph(
                "", "", _doc_link(self.env, lessons.index(section)), classes=["mpdocs-section-title"]
            )
            result += [title, _cards(self, lessons, section, {})]
        _copies_cards(self.env)
        return result


class CopySummaries(SphinxPostTransform):
    """Put each lesson's translated summary, from its section's index page, into the cards here."""

    # Before references are resolved (a summary may hold some) and before the Chinese
    # spacing is closed (mpdocs.i18n.cjk_spacing), so the copy gets both as the page's own text.
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(lesson_summary)):
            source = self.env.get_doctree(node["docname"])
            found = next(
                (p for p in source.findall(nodes.paragraph) if p.get("mpdocs_lesson") == node["lesson"]), None
            )
            if found is None:
                node.replace_self(nodes.paragraph(classes=[SUMMARY_CLASS]))
                continue
            summary = copy.deepcopy(found)
            # Translated where it is kept; the gettext build must not extract the copy again.
            summary["translatable"] = False
            for xref in summary.findall(addnodes.pending_xref):
                xref["refdoc"] = self.env.docname
            node.replace_self(summary)


def remove_gallery_thumbnails(app: Sphinx, doctree: nodes.document) -> None:
    """sphinx-gallery's thumbnails on a gallery index page: the lesson cards stand in their place."""
    for parent in list(doctree.findall(nodes.Element)):
        removing = False
        for child in list(parent.children):
            text = child.astext() if isinstance(child, (nodes.raw, nodes.comment)) else ""
            if isinstance(child, nodes.raw) and ("sphx-glr-thumbnails" in text or "sg-tag-list" in text):
                removing = "sphx-glr-thumbnails" in text
                parent.remove(child)
            elif removing:
                parent.remove(child)
                if isinstance(child, nodes.raw) and text.strip() == "</div>":
                    removing = False


def _always_reread(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    # Cards copied from another page, whose summaries or translations may have changed.
    return sorted(getattr(env, USED_IN, set()) - removed)


def _merge(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    setattr(env, USED_IN, getattr(env, USED_IN, set()) | getattr(other, USED_IN, set()))


def setup(app: Sphinx) -> None:
    app.add_node(lesson_summary)
    app.add_directive("lesson-cards", LessonCards)
    app.add_directive("lesson-list", LessonList)
    app.add_post_transform(CopySummaries)
    app.connect("doctree-read", remove_gallery_thumbnails, priority=100)
    app.connect("env-get-outdated", _always_reread)
    app.connect("env-merge-info", _merge)
