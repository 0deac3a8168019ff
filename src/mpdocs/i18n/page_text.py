"""Words mpdocs itself writes into the pages, in the page's language.

The folded plotting code's summary, the figures' captions, the note that
figure text is translated, the way on from the last lesson: each feature
names its sentences here with :func:`message`; the gettext build writes them
to ``pages.pot`` and :func:`translate` looks them up in the language's
``pages.po``.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from sphinx.application import Sphinx

from .catalogs import load_translations

DOMAIN = "pages"
#: msgid -> the feature that writes it (the template's location comment).
MESSAGES: dict[str, str] = {}


def message(text: str, where: str) -> str:
    """Name ``text`` as one of the pages' words (written by ``where``); returns it."""
    MESSAGES[text] = where
    return text


def translate(app: Sphinx, text: str) -> str:
    """``text`` in the build's language (itself in English, or where the catalog lacks it)."""
    if (app.config.language or "en") == "en":
        return text
    return load_translations(app, DOMAIN).get(text, text)


def write_template(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "gettext":
        return
    catalog = Catalog(project=app.config.project, version=app.config.version, fuzzy=False)
    for text, where in MESSAGES.items():
        catalog.add(text, locations=[(where, 0)])
    with (Path(app.outdir) / f"{DOMAIN}.pot").open("wb") as file:
        write_po(file, catalog, sort_output=True, include_lineno=False)


def setup(app: Sphinx) -> None:
    app.connect("build-finished", write_template)
