"""Accessibility fixes for what the theme generates.

pydata-sphinx-theme's sidebar folds each section with ``<details><summary>``
whose only content is an icon, so a screen reader announces an unnamed
control (axe: summary-name, serious). Each summary is named after the section
it folds, in the page's language, since the name is the section's own title.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx

# The current page's link carries aria-current before its class.
FOLDED_SECTION = re.compile(
    r'(<a [^>]*class="[^"]*reference internal[^"]*"[^>]*>((?:(?!</a>).)*)</a><details[^>]*>)<summary>'
)
TAG = re.compile(r"<[^>]+>")


def name_summaries(toctree_html: str) -> str:
    def named(match: re.Match[str]) -> str:
        title = html.unescape(TAG.sub("", match.group(2))).strip()
        return f'{match.group(1)}<summary aria-label="{html.escape(title)}">'

    return FOLDED_SECTION.sub(named, toctree_html)


def _wrap(generate: Callable[..., str]) -> Callable[..., str]:
    @functools.wraps(generate)
    def generate_named(*args: Any, **kwargs: Any) -> str:
        # The theme returns a BeautifulSoup tree or a string; the template only prints it.
        return name_summaries(str(generate(*args, **kwargs)))

    return generate_named


def name_sidebar_toggles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if "generate_toctree_html" in context:
        context["generate_toctree_html"] = _wrap(context["generate_toctree_html"])


def setup(app: Sphinx) -> None:
    # After the theme's own handler (priority 500) has put the function in the context.
    app.connect("html-page-context", name_sidebar_toggles, priority=900)
