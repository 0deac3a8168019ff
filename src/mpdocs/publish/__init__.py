"""Publishing: finish a built site for static hosting, ``python -m mpdocs.publish build/html``.

Writes the root ``index.html`` (sends a visitor to their language, with
visible links to all), ``404.html`` (every language's message, from each
language's own ``404.html``) and ``.nojekyll``. The site's path on its host,
for the links of the 404 pages, comes from ``MPDOCS_SITE_BASE`` (default
``/``; ``/<repository>/`` for a GitHub Pages project site): set it for the
build too, which writes each language's ``404.html``. :mod:`.rtd` builds one
language on Read the Docs.

May import: :mod:`mpdocs.i18n` (the languages and their root page).
"""

from __future__ import annotations

import argparse
import runpy
from pathlib import Path

from ..i18n.languages import site_base, write_root


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the folder holding one folder per language")
    parser.add_argument("--conf", type=Path, default=Path("docs/conf.py"), help="the site's conf.py")
    args = parser.parse_args(argv)
    conf = runpy.run_path(str(args.conf))
    languages = conf["mpdocs_languages"]
    missing = [code for code in languages if not (args.site / code / "index.html").is_file()]
    if missing:
        parser.error(f"{args.site} has no build for: {', '.join(missing)}")
    try:
        write_root(args.site, languages, base=site_base())
    except ValueError as error:
        parser.error(str(error))
