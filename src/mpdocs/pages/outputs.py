"""A lesson's output keeps its meaning on a narrow screen.

An output block is what an 80-column terminal showed. On a phone its lines
are longer than the screen is wide, and how they should give way depends on
what they are:

- A table (columns lined up with runs of spaces) turned into wrapped lines is
  nonsense: a number lands on one line and its unit on the next. Such a block
  gets the class ``mpdocs-out-table``: it keeps its lines whole and scrolls
  sideways (``site.css``).
- Any other line wraps, but a wrapped line must read as the continuation of
  the one above, not as a new line of output. Each line becomes an element of
  its own, which ``site.css`` sets with a hanging indent, deeper than the
  line's own leading spaces.

This works on the written HTML of each page (``html-page-context``), so it
reaches every output block sphinx-gallery writes, wherever it sits (inside a
tab of a tab-set too). The text is unchanged: the same characters, newlines
included.
"""

from __future__ import annotations

import html
import re

TABLE_CLASS = "mpdocs-out-table"
LINE_CLASS = "mpdocs-line"
#: An output block as Sphinx writes sphinx-gallery's ``.. rst-class:: sphx-glr-script-out``
#: literal block; Pygments opens the ``<pre>`` with an empty span.
OUTPUT_BLOCK = re.compile(
    r'(?P<open><div class="(?P<classes>sphx-glr-script-out[^"]*)">\s*<div class="highlight">)'
    r"<pre>(?:<span></span>)?(?P<text>.*?)</pre>",
    re.S,
)
#: Two columns: something, a run of two or more spaces, something.
COLUMNS = re.compile(r"\S {2,}\S")
#: This many lines with columns make a block a table.
TABLE_LINES = 2
#: How much deeper than its line's own indentation a wrapped continuation starts, in ``ch``.
HANG = 2


def is_table(text: str) -> bool:
    """Whether the output ``text`` has columns lined up with spaces, on two lines or more."""
    return sum(1 for line in text.splitlines() if COLUMNS.search(line)) >= TABLE_LINES


def lines_html(escaped: str) -> str:
    """Each line of an output block's (escaped) text as an element of its own, its newline kept.

    A line that starts with spaces hangs its continuations under its own text.
    """
    parts = []
    for line in escaped.split("\n")[: -1 if escaped.endswith("\n") else None]:
        indent = len(line) - len(line.lstrip(" "))
        style = f' style="--mpdocs-hang:{indent + HANG}ch"' if indent else ""
        parts.append(f'<span class="{LINE_CLASS}"{style}>{line}\n</span>')
    return "".join(parts)


def rewrite_outputs(body: str) -> str:
    """``body`` (a page's HTML) with every output block marked as a table or split into lines."""

    def rewrite(match: re.Match[str]) -> str:
        text = match["text"]
        if is_table(html.unescape(re.sub(r"<[^>]+>", "", text))):
            opening = match["open"].replace(match["classes"], f"{match['classes']} {TABLE_CLASS}", 1)
            return f"{opening}<pre>{text}</pre>"
        return f"{match['open']}<pre>{lines_html(text)}</pre>"

    return OUTPUT_BLOCK.sub(rewrite, body)
