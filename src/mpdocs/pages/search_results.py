"""Search results that lead with the pages a query names, each with a snippet of its text.

Sphinx ranks every page that merely mentions a word alike, then sorts them
by name, and makes each snippet from the start of the page's main text,
which on these pages is the breadcrumbs, the download note or a list of
lesson cards. ``search_scorer.js`` (``html_search_scorer``) ranks a page
whose title holds every word of the query first, the page before its
sections; ``search_snippets.js``, on the search page only, leaves that
furniture out of the text a snippet is cut from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

HERE = Path(__file__).parent
SCORER = HERE / "search_scorer.js"
SNIPPETS = "mpdocs-search-snippets.js"


def _configure(app: Sphinx, config: Config) -> None:
    if not config.html_search_scorer:
        config.html_search_scorer = str(SCORER)


def _add_snippet_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if pagename == "search":
        # Deferred: it runs once searchtools.js, which the page loads after it, has defined Search.
        app.add_js_file(SNIPPETS, loading_method="defer")


def _write_snippet_script(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir, "_static", SNIPPETS)
        target.write_text((HERE / "search_snippets.js").read_text(encoding="utf-8"), encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _add_snippet_script)
    app.connect("build-finished", _write_snippet_script)
