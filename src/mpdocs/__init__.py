"""Build machinery for executed multiprocessing lessons, in parts.

=====================  ==========================================================
:mod:`mpdocs.run`      the lesson runner: each lesson as ``python lesson.py``, in
                       a fresh interpreter, once per start method; a Sphinx
                       extension of its own that any sphinx-gallery site can use
:mod:`mpdocs.i18n`     the second language: catalogs, language switch, Chinese
                       spacing and search
:mod:`mpdocs.figures`  figures redrawn per language and screen, thumbnails, alt text
:mod:`mpdocs.pages`    what pages add: the lesson list, stdlib links, a11y fixes
:mod:`mpdocs.publish`  finishing a built site for a static host or Read the Docs
:mod:`mpdocs.site`     the site's extension, which wires the parts together
:mod:`mpdocs.testing`  running lessons and builds as a reader does, for the tests
:mod:`mpdocs.bench`    measuring builds and pages (``nox -s bench``)
=====================  ==========================================================

Imports run one way: ``run`` imports nothing of the others; ``i18n`` may use
``run``; ``figures`` may use ``run`` and ``i18n``; ``pages`` may use all
three (``tests/test_layout.py`` checks it).

``extensions = ["mpdocs"]`` in ``conf.py`` enables the site's extension. The
package imports Sphinx only then, so :mod:`mpdocs.testing` works in any
Python the lessons run on, Sphinx or not.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    from .site import setup as setup_site

    return setup_site(app)
