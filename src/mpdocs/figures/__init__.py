"""Every lesson figure for every reader: each language, phone and desk, light and dark.

Owns: figure texts translated from the ``figures`` catalog and the figures
drawn again in each language from the pickles the runner saved
(:mod:`.translate`); each figure's screen variants, thumbnails and alt text
(:mod:`.variants`).

May import: :mod:`mpdocs.run` (what a lesson process saves) and
:mod:`mpdocs.i18n` (catalogs, Han characters); nothing of :mod:`mpdocs.pages`.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import translate, variants


def setup(app: Sphinx) -> None:
    translate.setup(app)
    variants.setup(app)
