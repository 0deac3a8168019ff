"""The translations of a domain's catalog, for what Sphinx's own gettext machinery does not reach.

Sphinx translates the pages' text through ``.mo`` files. Text the build
makes itself (sphinx-gallery's sentences, figure texts, thumbnails' titles)
is translated from the ``.po`` catalogs directly: :func:`load_translations`
reads one domain's catalog for the build's language.
"""

from __future__ import annotations

import functools
from pathlib import Path

from babel.messages.pofile import read_po
from sphinx.application import Sphinx


def load_translations(app: Sphinx, domain: str) -> dict[str, str]:
    """msgid -> msgstr of ``domain``'s catalog for the build's language, without fuzzy ones."""
    translations: dict[str, str] = {}
    for po in catalog_paths(app, domain):
        translations.update(_read_catalog(po, po.stat().st_mtime))
    return translations


@functools.lru_cache(maxsize=256)
def _read_catalog(po: Path, mtime: float) -> dict[str, str]:
    with po.open("rb") as file:
        catalog = read_po(file)
    # A figure text that only some Pythons or platforms draw ("needs Linux", a
    # 3.14-only legend) is missing from the template this machine's run made,
    # so updating the catalog marks it obsolete (#~). It still translates.
    messages = [*catalog.obsolete.values(), *catalog]
    return {m.id: m.string for m in messages if m.id and m.string and not m.fuzzy}


def catalog_paths(app: Sphinx, domain: str) -> list[Path]:
    """The ``<domain>.po`` files of the build's language, in the order of ``locale_dirs``."""
    paths = (
        Path(app.srcdir, locale_dir, app.config.language, "LC_MESSAGES", f"{domain}.po")
        for locale_dir in app.config.locale_dirs
    )
    return [path for path in paths if path.is_file()]
