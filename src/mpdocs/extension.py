"""Sphinx extension for executed multiprocessing lessons.

Enable it next to ``sphinx_gallery.gen_gallery``; it wires itself into
``sphinx_gallery_conf``. Settings in ``conf.py``:

``mpdocs_start_method``
    Start method the lessons run under: ``"fork"``, ``"spawn"``,
    ``"forkserver"``, or ``None`` for the platform default. The environment
    variable ``MPDOCS_START_METHOD`` overrides it.
``mpdocs_timeout``
    Seconds a lesson may run before it is stopped and fails the build.
``mpdocs_timeouts``
    Per-lesson limits, by file name: ``{"plot_03_speedup.py": 300}``.
``mpdocs_languages``
    The site's languages, ``{code: name}``, for the language switch.
``mpdocs_cjk_font``
    The font figures in Chinese are drawn with (default: ``None``, the first
    of :data:`mpdocs.figures.CJK_FONTS` that Matplotlib finds).
"""

from __future__ import annotations

import os
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx_gallery import gen_rst

from . import (
    a11y,
    cache,
    cjk_spacing,
    download_note,
    execution,
    figure_variants,
    figures,
    gallery_i18n,
    inline_code,
    languages,
    lesson_ending,
    lesson_list,
    outputs,
    page_text,
    page_weight,
    plot_code,
    search_results,
    stdlib_links,
    theme_i18n,
    zh_search,
)

__all__ = ["setup"]

logger = logging.getLogger(__name__)


def _configure(app: Sphinx, config: Config) -> None:
    method = os.environ.get(execution.START_METHOD_ENV) or config.mpdocs_start_method
    settings = execution.Settings(
        start_method=execution.check_start_method(method),
        timeout=float(config.mpdocs_timeout),
        timeouts=dict(config.mpdocs_timeouts),
    )
    execution.settings = settings

    gallery = config.sphinx_gallery_conf
    if gallery.get("parallel"):
        raise ConfigError(
            "sphinx_gallery_conf['parallel'] must stay off: each lesson already runs in a "
            "process of its own, and parallel lessons would distort each other's timings."
        )
    if tuple(gallery.get("capture_repr", ("_repr_html_", "__repr__"))) != ():
        raise ConfigError(
            "sphinx_gallery_conf['capture_repr'] must be (): a script prints no value of its "
            "own, and a page shows what `python lesson.py` prints."
        )
    # No lesson code runs in the build process: nothing there to reset or inspect.
    gallery["reset_modules"] = ()
    gallery["inspect_global_variables"] = False


def _start(app: Sphinx) -> None:
    logger.info("mpdocs: lessons run with the %r start method", execution.settings.start_method)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.add_config_value("mpdocs_start_method", None, "env", types=frozenset({str, type(None)}))
    app.add_config_value("mpdocs_timeout", 120, "env", types=frozenset({int, float}))
    app.add_config_value("mpdocs_timeouts", {}, "env", types=frozenset({dict}))
    # Before sphinx-gallery fills its defaults (priority 10) and runs lessons.
    app.connect("config-inited", _configure, priority=5)
    app.connect("builder-inited", _start, priority=5)
    stdlib_links.setup(app)
    figures.setup(app)
    figure_variants.setup(app)
    gallery_i18n.setup(app)
    languages.setup(app)
    theme_i18n.setup(app)
    a11y.setup(app)
    cache.setup(app)
    lesson_list.setup(app)
    zh_search.setup(app)
    cjk_spacing.setup(app)
    download_note.setup(app)
    outputs.setup(app)
    inline_code.setup(app)
    page_text.setup(app)
    plot_code.setup(app)
    lesson_ending.setup(app)
    page_weight.setup(app)
    search_results.setup(app)
    # generate_file_rst() looks it up in its module when it runs a lesson.
    gen_rst.execute_script = execution.execute_script
    return {"parallel_read_safe": True, "parallel_write_safe": True}
