"""The runner as a Sphinx extension: ``extensions = [..., "mpdocs.run"]``.

It takes over sphinx-gallery's execution of examples (``gen_rst.execute_script``),
sets ``sphinx_gallery_conf["capture_repr"]`` to ``()`` unless given, and
refuses the two settings of ``sphinx_gallery_conf`` that would contradict it
(``parallel``, a non-empty ``capture_repr``). Settings in ``conf.py``, each
with its default:

``mpdocs_start_method = None``
    ``None``: each example runs once under every start method, the platform's
    default first, and pages show where their outputs differ. ``"fork"``,
    ``"spawn"`` or ``"forkserver"``: examples run under that one only, as the
    default. The environment variable ``MPDOCS_START_METHOD`` overrides it.
``mpdocs_timeout = 120``
    Seconds one run of an example may take before it is stopped and fails
    the build.
``mpdocs_timeouts = {}``
    Per-example limits, by file name: ``{"plot_03_speedup.py": 300}``.
"""

from __future__ import annotations

import os
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx_gallery import gen_rst

from . import cache, execution, start_methods

logger = logging.getLogger(__name__)


def _configure(app: Sphinx, config: Config) -> None:
    method = os.environ.get(execution.START_METHOD_ENV) or config.mpdocs_start_method
    execution.settings = execution.Settings(
        start_methods=start_methods.run_order(method),
        timeout=float(config.mpdocs_timeout),
        timeouts=dict(config.mpdocs_timeouts),
    )
    gallery = config.sphinx_gallery_conf
    # A script prints no value of its own: a page shows what `python example.py` prints.
    gallery.setdefault("capture_repr", ())
    if gallery.get("parallel"):
        raise ConfigError(
            "sphinx_gallery_conf['parallel'] must stay off: each example already runs in a "
            "process of its own, and parallel examples would distort each other's timings."
        )
    if tuple(gallery["capture_repr"]) != ():
        raise ConfigError(
            "sphinx_gallery_conf['capture_repr'] must be (): a script prints no value of its "
            "own, and a page shows what `python example.py` prints."
        )
    # No example code runs in the build process: nothing there to reset or inspect.
    gallery["reset_modules"] = ()
    gallery["inspect_global_variables"] = False


def _start(app: Sphinx) -> None:
    methods = execution.settings.start_methods
    if len(methods) == 1:
        logger.info("mpdocs: lessons run with the %r start method", methods[0])
    else:
        logger.info(
            "mpdocs: lessons run once under each start method, in turn: %s", ", ".join(map(repr, methods))
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.setup_extension("sphinx_design")  # the tabs of outputs that differ by start method
    app.add_config_value("mpdocs_start_method", None, "env", types=frozenset({str, type(None)}))
    app.add_config_value("mpdocs_timeout", 120, "env", types=frozenset({int, float}))
    app.add_config_value("mpdocs_timeouts", {}, "env", types=frozenset({dict}))
    # Before sphinx-gallery fills its defaults (priority 10) and runs examples.
    app.connect("config-inited", _configure, priority=5)
    app.connect("builder-inited", _start, priority=5)
    cache.setup(app)
    # generate_file_rst() looks it up in its module when it runs an example.
    gen_rst.execute_script = execution.execute_script
    return {"parallel_read_safe": True, "parallel_write_safe": True}
