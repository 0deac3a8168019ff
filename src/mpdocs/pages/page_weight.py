"""What every page loads, cut to what it uses.

pydata-sphinx-theme loads on every page:

- Font Awesome's solid web font (115 kB) for the twenty-odd icons the theme
  draws (search, menu, theme switch, arrows, admonitions). After the build
  the font is replaced, under its own name, by a subset holding just the
  glyphs the built pages and the theme's stylesheet ask for: the classes
  ``fa-*`` in the pages and the theme's scripts, and the icon characters the
  stylesheet writes itself. Nothing else changes: the same stylesheet, the
  same ``<i class="fa-solid ...">`` elements.
- Font Awesome's script (22 kB), which only turns icons into SVG for sites that
  add icons of their own (``icon_links``); this site has none, so the script
  goes (``layout.html``).
- Sphinx's search index and search scripts, which the theme loads on every page
  for searching as you type; that is off (``search_as_you_type``), so they load
  on the search page only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

THEME_CSS = Path("_static", "styles", "pydata-sphinx-theme.css")
SOLID_FONT = Path("_static", "vendor", "fontawesome", "webfonts", "fa-solid-900.woff2")
#: ``.fa-arrow-up,.fa-up{--fa:"\f062"}``: icon classes and their character.
ICON_RULE = re.compile(r'((?:\.fa-[\w-]+,?)+)\{--fa:"\\([0-9a-fA-F]+)"')
ICON_CLASS = re.compile(r"\bfa-[a-z0-9][a-z0-9-]*")
#: Icon characters the stylesheet writes itself (admonitions, arrows): Unicode's private use area.
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
UNUSED_SCRIPTS = ("fontawesome.js",)
SEARCH_SCRIPTS = ("searchtools.js", "language_data.js", "searchindex.js")
SCRIPT = re.compile(r"[ \t]*<script\b[^>]*\bsrc=\"([^\"]*)\"[^>]*>\s*</script>\n?")


def without_unused_scripts(head: str, pagename: str) -> Markup:
    """The theme's ``<head>`` markup without the scripts this page does not use."""
    unused = UNUSED_SCRIPTS if pagename == "search" else UNUSED_SCRIPTS + SEARCH_SCRIPTS

    def keep(match: re.Match[str]) -> str:
        name = match.group(1).split("?")[0].rsplit("/", 1)[-1]
        return "" if name in unused else match.group(0)

    return Markup(SCRIPT.sub(keep, str(head)))


def icon_characters(theme_css: str, used_classes: set[str]) -> set[int]:
    """The code points of the icons the pages use, from the theme's stylesheet."""
    points = {ord(character) for character in PRIVATE_USE.findall(theme_css)}
    for classes, point in ICON_RULE.findall(theme_css):
        if used_classes & {name.lstrip(".") for name in classes.split(",")}:
            points.add(int(point, 16))
    return points


def used_icon_classes(outdir: Path) -> set[str]:
    """Every ``fa-*`` class named in the built pages and in the site's scripts."""
    used: set[str] = set()
    for path in [*outdir.glob("**/*.html"), *outdir.glob("_static/**/*.js")]:
        used.update(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return used


def subset_icon_font(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    font, css = outdir / SOLID_FONT, outdir / THEME_CSS
    # From the theme's own file: the one in the output may be an earlier build's subset.
    themes = [
        Path(d, "static") / SOLID_FONT.relative_to("_static") for d in app.builder.theme.get_theme_dirs()
    ]
    source = next((path for path in themes if path.is_file()), None)
    if source is None or not font.is_file() or not css.is_file():
        return
    from fontTools import subset
    from fontTools.ttLib import TTFont

    points = icon_characters(css.read_text(encoding="utf-8"), used_icon_classes(outdir))
    with TTFont(source) as original:
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(points))
        subsetter.subset(original)
        original.flavor = "woff2"
        original.save(font)
    logger.info("mpdocs: icon font cut to the %d icons the pages use (%s)", len(points), font.name)


def add_helpers(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    context["mpdocs_without_unused_scripts"] = without_unused_scripts


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_helpers)
    app.connect("build-finished", subset_icon_font)
