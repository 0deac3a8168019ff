"""The theme's own interface strings, in the page's language.

pydata-sphinx-theme ships a Chinese catalog that lacks some of its strings
("Color mode", "System Settings", ...), and its search box placeholder is a
theme option, which no catalog reaches. The gettext build adds every string
of the theme's templates, that placeholder and the site's title to ``sphinx.pot``; the site's
own ``sphinx.po`` then translates them, and Sphinx prefers it to the theme's.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po, write_po
from sphinx.application import Sphinx
from sphinx.locale import get_translation

TEMPLATE_STRING = re.compile(r"""_\(\s*(['"])(.+?)\1\s*\)""")
#: Theme options whose values are interface text.
TEXT_OPTIONS = {"search_bar_text": "Search the docs ..."}
#: Configuration values that are interface text (the title in the navbar).
TEXT_CONFIG = ("html_title",)


def theme_template_strings(theme: str) -> set[str]:
    """Every ``_("...")`` string in the templates of the installed theme package ``theme``."""
    try:
        package = importlib.import_module(theme)
    except ImportError:
        return set()
    strings = set()
    for template in Path(package.__file__).parent.glob("**/*.html"):
        strings.update(
            match.group(2) for match in TEMPLATE_STRING.finditer(template.read_text(encoding="utf-8"))
        )
    return strings


def add_to_template(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "gettext":
        return
    pot = Path(app.outdir) / "sphinx.pot"
    with pot.open("rb") as file:
        catalog = read_po(file)
    strings = theme_template_strings(app.config.html_theme) | set(TEXT_OPTIONS.values())
    strings |= {app.config[name] for name in TEXT_CONFIG if app.config[name]}
    for message in sorted(strings):
        if message not in catalog:
            catalog.add(message, locations=[(f"{app.config.html_theme} theme", 0)])
    with pot.open("wb") as file:
        write_po(file, catalog, sort_output=True, include_lineno=False)


def translate_text_options(app: Sphinx, config: Any) -> None:
    if not config.language or config.language == "en":
        return
    _ = get_translation("sphinx")
    options = config.html_theme_options
    for option, default in TEXT_OPTIONS.items():
        options[option] = _(options.get(option, default))
    for name in TEXT_CONFIG:
        if config[name]:
            config[name] = _(config[name])


def setup(app: Sphinx) -> None:
    app.connect("build-finished", add_to_template)
    app.connect("config-inited", translate_text_options)
