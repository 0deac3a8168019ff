"""Build machinery for executed multiprocessing lessons; see :mod:`mpdocs.extension`.

``extensions = ["mpdocs"]`` in ``conf.py`` enables the Sphinx extension. The
package imports Sphinx only then, so :mod:`mpdocs.testing` works in any Python
the lessons run on, Sphinx or not.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    from .extension import setup as setup_extension

    return setup_extension(app)
