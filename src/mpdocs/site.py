"""The site's Sphinx extension: ``extensions = ["mpdocs"]`` in ``conf.py``.

Enable it next to ``sphinx_gallery.gen_gallery``; it wires the parts of
:mod:`mpdocs` into one build, the runner first. Settings in ``conf.py``:

``mpdocs_start_method``, ``mpdocs_timeout``, ``mpdocs_timeouts``
    How lessons run: see :mod:`mpdocs.run.extension`.
``mpdocs_languages``
    The site's languages, ``{code: name}``, for the language switch.
``mpdocs_cjk_font``
    The font figures in Chinese are drawn with (default: ``None``, the first
    of :data:`mpdocs.figures.translate.CJK_FONTS` that Matplotlib finds).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from . import figures, i18n, pages

__all__ = ["setup"]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("mpdocs.run")
    pages.setup(app)
    figures.setup(app)
    i18n.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
