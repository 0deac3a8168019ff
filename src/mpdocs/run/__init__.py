"""The lesson runner: every example of a sphinx-gallery site runs as ``python example.py``.

Owns: running each example in a fresh interpreter of its own, cell by cell,
once per start method (:mod:`.execution`, :mod:`.start_methods`); the lesson
process and the pseudo-terminal it writes to (:mod:`.lesson_process`,
:mod:`.lesson_main`); finding and killing what a run leaves behind
(:mod:`.processes`); re-running exactly what changed (:mod:`.cache`); the
start-method hook of the tests (``_startmethod/``). Its results are the
pages' output blocks, the figures' PNG files and pickles, and the sentence
that says what produced them.

May import: the standard library, Sphinx, sphinx-gallery and sphinx-design;
nothing else of :mod:`mpdocs`. The rest of mpdocs builds on it, never the
reverse.

Use it in any sphinx-gallery project: ``extensions = [..., "mpdocs.run"]``
(settings: :mod:`mpdocs.run.extension`). Importing this package imports no
Sphinx, so :mod:`mpdocs.testing` works in any Python the examples run on.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    from .extension import setup as setup_runner

    return setup_runner(app)
