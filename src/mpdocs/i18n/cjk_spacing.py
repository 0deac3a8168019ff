"""No space between Chinese text and the emphasis, strong text or link beside it.

reST sees inline markup only where whitespace (or punctuation) separates it
from the text around it, so a translation writes ``一个 *代理*，`` and docutils
keeps that space: the page reads "一个 代理，", a gap Chinese never has. Every
Chinese translation, present or future, would need ``\\ `` escapes around each
emphasis and link to avoid it. Instead, on pages in a language written without
spaces, this removes whitespace at the edge of an inline element when the
characters on both sides of it are Chinese, or when either side is full-width
punctuation (which carries its own spacing). A space between Chinese and Latin
text or code stays: that is the catalogs' house style (``调用 ``close()`` 之后``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

#: Han characters (CJK unified ideographs, extension A, compatibility ideographs, planes 2-3).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
#: Full-width punctuation: CJK symbols (、。「」…) and full-width forms (，：；！？（）).
FULL_WIDTH_PUNCTUATION = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
_HAN = re.compile(f"[{HAN}]")
_PUNCTUATION = re.compile(f"[{FULL_WIDTH_PUNCTUATION}]")
_GAP = re.compile(r"[ \t\r\n]+")
#: Languages written without spaces between words (Sphinx language codes, by prefix).
LANGUAGES = ("zh", "ja")
#: Whose text is shown as written: code, raw HTML, maths.
VERBATIM = (nodes.FixedTextElement, nodes.literal, nodes.raw, nodes.math, nodes.comment)


def joins(before: str, after: str) -> bool:
    """Whether a gap between the characters ``before`` and ``after`` should close."""
    if not before or not after:
        return False
    if _PUNCTUATION.match(before) or _PUNCTUATION.match(after):
        return True
    return bool(_HAN.match(before) and _HAN.match(after))


def close_gaps(pieces: Sequence[str], verbatim: Sequence[bool] = ()) -> list[str]:
    """``pieces`` (consecutive runs of text, split where markup began or ended) without the gaps
    that :func:`joins` closes at a split; a gap inside one piece, or in a ``verbatim`` one, stays.

    ``["一个 ", "代理", "，"]`` (from ``一个 *代理*，``) becomes ``["一个", "代理", "，"]``.
    """
    text = "".join(pieces)
    starts, offset = [], 0
    for piece in pieces:
        starts.append(offset)
        offset += len(piece)
    splits = set(starts[1:])
    removed: set[int] = set()
    for gap in _GAP.finditer(text):
        start, end = gap.span()
        touches_split = any(start <= split <= end for split in splits)
        if touches_split and joins(text[start - 1 : start], text[end : end + 1]):
            removed.update(range(start, end))
    result = []
    for i, (piece, start) in enumerate(zip(pieces, starts, strict=True)):
        if verbatim and verbatim[i]:
            result.append(piece)
        else:
            result.append("".join(c for j, c in enumerate(piece, start) if j not in removed))
    return result


def writes_without_spaces(language: str | None) -> bool:
    return (language or "en").split("_")[0].split("-")[0].lower() in LANGUAGES


class CloseGapsAroundInlineMarkup(SphinxPostTransform):
    """Apply :func:`close_gaps` to each paragraph, title, caption... of a page."""

    # After references are resolved (their text is known) and before the page is written.
    default_priority = 900

    def is_supported(self) -> bool:
        return writes_without_spaces(self.config.language) and super().is_supported()

    def run(self, **kwargs: Any) -> None:
        for block in list(self.document.findall(nodes.TextElement)):
            if isinstance(block.parent, nodes.TextElement) or _is_verbatim(block):
                continue  # an inline element: handled with the block that holds it
            texts = list(block.findall(nodes.Text))
            if len(texts) < 2:
                continue
            verbatim = [_is_verbatim(text) for text in texts]
            for text, closed in zip(texts, close_gaps([str(t) for t in texts], verbatim), strict=True):
                if closed != text:
                    # By identity: Text is a str, and Element.replace() finds an equal sibling.
                    parent = text.parent
                    index = next(i for i, child in enumerate(parent.children) if child is text)
                    parent[index] = nodes.Text(closed)


def _is_verbatim(node: nodes.Node) -> bool:
    while node is not None:
        if isinstance(node, VERBATIM):
            return True
        node = node.parent
    return False


def setup(app: Sphinx) -> None:
    app.add_post_transform(CloseGapsAroundInlineMarkup)
