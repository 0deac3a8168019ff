"""Short inline code stays on one line.

Sphinx writes ``if __name__ == "__main__":`` as one ``<code>`` holding a span
per word, and a line may break between the words, leaving half a chip at the
end of one line and half at the start of the next. A chip shorter than
:data:`SHORT` characters gets the class ``mpdocs-nowrap`` (``site.css`` keeps
it whole); a longer one may still break, or it would push the line past a
phone's width.
"""

from __future__ import annotations

import html
import re

SHORT = 24
CHIP = re.compile(r'<code class="([^"]*\bliteral\b[^"]*)">(.*?)</code>', re.S)
TAG = re.compile(r"<[^>]+>")


def keep_short_chips_whole(body: str) -> str:
    def mark(match: re.Match[str]) -> str:
        classes, inner = match.groups()
        if len(html.unescape(TAG.sub("", inner))) >= SHORT or "mpdocs-nowrap" in classes:
            return match.group(0)
        return f'<code class="{classes} mpdocs-nowrap">{inner}</code>'

    return CHIP.sub(mark, body)
