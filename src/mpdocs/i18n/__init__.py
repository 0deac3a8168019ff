"""The site in a second language: the same pages, translated from gettext catalogs.

Owns: the language switch and the root page that picks a language
(:mod:`.languages`); the catalogs read directly, for text the build makes
itself (:mod:`.catalogs`); sphinx-gallery's and the runner's sentences
(:mod:`.gallery`); the sentences mpdocs itself writes into pages and
figures (:mod:`.page_text`, the ``pages`` catalog); the theme's interface
strings (:mod:`.theme`); Chinese
spacing around inline markup (:mod:`.cjk_spacing`); Chinese search
(:mod:`.search`, ``zh_splitquery.js``).

May import: :mod:`mpdocs.run` (its sentences and tab labels, to translate
them); nothing of :mod:`mpdocs.figures` or :mod:`mpdocs.pages`.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import cjk_spacing, gallery, languages, page_text, search, theme


def setup(app: Sphinx) -> None:
    gallery.setup(app)
    languages.setup(app)
    theme.setup(app)
    search.setup(app)
    page_text.setup(app)
    cjk_spacing.setup(app)
