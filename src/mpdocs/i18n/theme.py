"""The theme's own interface strings, in the page's language.

pydata-sphinx-theme ships a Chinese catalog that lacks some of its strings
("Color mode", "System Settings", ...) and leaves English in others (the
footer's "© Copyright ..."), its search box placeholder is a theme option,
which no catalog reaches, and sphinx-copybutton keeps its messages in its
JavaScript. The gettext build adds every string of the theme's templates
(``_()`` calls and ``{% trans %}`` blocks alike), that placeholder, the
copy button's messages, the site's title and copyright line, and the few
words of Sphinx's own that its catalog gets wrong for this site to
``sphinx.pot``; the site's own ``sphinx.po`` then translates them, and Sphinx
prefers it to the theme's and its own.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.pofile import read_po, write_po
from jinja2.ext import babel_extract
from sphinx.application import Sphinx
from sphinx.locale import get_translation

#: Theme options whose values are interface text.
TEXT_OPTIONS = {"search_bar_text": "Search the docs ..."}
#: Configuration values that are interface text: the title in the navbar, the footer's
#: copyright line.
TEXT_CONFIG = ("html_title", "copyright")
#: sphinx-copybutton's messages (its ``copybutton.js``), which it translates itself
#: into a few languages only, Chinese with a half-width "!".
COPYBUTTON_MESSAGES = {
    "copy": "Copy",
    "copy_to_clipboard": "Copy to clipboard",
    "copy_success": "Copied!",
    "copy_failure": "Failed to copy",
}
COPYBUTTON_SCRIPT = "mpdocs-copybutton.js"
#: Sphinx's own words on every page that its Chinese catalog ends with a full stop, which a
#: tooltip does not take: the permalinks' titles.
SPHINX_MESSAGES = (
    "Link to this heading",
    "Link to this definition",
    "Link to this term",
    "Link to this table",
)


def theme_template_strings(theme: str) -> set[str]:
    """Every message in the templates of the installed theme package ``theme``.

    Jinja's own extractor (the one Babel uses) reads ``_()`` calls and
    ``{% trans %}`` blocks, with the placeholders the running template asks for.
    """
    try:
        package = importlib.import_module(theme)
    except ImportError:
        return set()
    strings = set()
    for template in Path(package.__file__).parent.glob("**/*.html"):
        with template.open("rb") as file:
            for _line, _function, message, _comments in babel_extract(file, DEFAULT_KEYWORDS, [], {}):
                strings.update([message] if isinstance(message, str) else filter(None, message))
    return strings


def add_to_template(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "gettext":
        return
    pot = Path(app.outdir) / "sphinx.pot"
    with pot.open("rb") as file:
        catalog = read_po(file)
    sources = {
        f"{app.config.html_theme} theme": theme_template_strings(app.config.html_theme)
        | set(TEXT_OPTIONS.values()),
        "sphinx-copybutton": set(COPYBUTTON_MESSAGES.values()),
        "sphinx": set(SPHINX_MESSAGES),
        "conf.py": {app.config[name] for name in TEXT_CONFIG if isinstance(app.config[name], str)},
    }
    for source, strings in sources.items():
        for message in sorted(strings):
            if message and message not in catalog:
                catalog.add(message, locations=[(source, 0)])
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
        if config[name] and isinstance(config[name], str):
            config[name] = _(config[name])


def _add_copybutton_script(app: Sphinx) -> None:
    if app.builder.format == "html" and (app.config.language or "en") != "en":
        app.add_js_file(COPYBUTTON_SCRIPT, priority=600)  # after copybutton.js (500)


def write_copybutton_script(app: Sphinx, exception: Exception | None) -> None:
    """Give sphinx-copybutton the page language's messages from ``sphinx.po``.

    copybutton.js looks its messages up by ``<html lang>`` when the page has
    loaded and when a button is clicked; only the icons' titles are built as
    it loads, so they are rebuilt here.
    """
    if exception is not None or app.builder.format != "html" or (app.config.language or "en") == "en":
        return
    _ = get_translation("sphinx")
    messages = json.dumps({key: _(text) for key, text in COPYBUTTON_MESSAGES.items()}, ensure_ascii=False)
    script = f"""// mpdocs: sphinx-copybutton's messages in the page's language, from sphinx.po.
if (typeof messages !== "undefined" && typeof iconCheck !== "undefined") {{
  const previous = messages[locale];
  messages[document.documentElement.lang] = {messages};
  locale = document.documentElement.lang;
  iconCheck = iconCheck.replace(previous.copy_success, messages[locale].copy_success);
  iconCopy = iconCopy.replace(previous.copy_to_clipboard, messages[locale].copy_to_clipboard);
}}
"""
    (Path(app.outdir) / "_static" / COPYBUTTON_SCRIPT).write_text(script, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("build-finished", add_to_template)
    app.connect("config-inited", translate_text_options)
    app.connect("builder-inited", _add_copybutton_script)
    app.connect("build-finished", write_copybutton_script)
