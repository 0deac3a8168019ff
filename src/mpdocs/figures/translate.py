"""Figures in every language from one execution of a lesson.

The lesson process saves each figure as PNG, as sphinx-gallery's scraper
does, and also pickles the Figure object next to it (:mod:`mpdocs.run.lesson_main`).
A build in another language runs no lesson: it unpickles each figure,
replaces every text (titles, labels, tick labels, legend, annotations) with
its translation from the ``figures`` catalog, draws it with a CJK-capable
font and saves ``<name>.<language>.png``,
which Sphinx's ``figure_language_filename`` then shows on that language's pages.

Figure texts hold measured values ("measured: 3.09 s"). A text is looked up
by its template: numbers and single-quoted values become ``{}`` ("measured:
{} s"), and the translation gets the same values back in the same order.
Texts that only some Pythons or platforms draw are kept in the catalog as
obsolete (``#~``) entries, which translate all the same.
"""

from __future__ import annotations

import functools
import pickle
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..i18n.catalogs import catalog_paths, load_translations
from . import variants

logger = logging.getLogger(__name__)

DOMAIN = "figures"
PLACEHOLDER = re.compile(r"'[^']*'|\d+(?:\.\d+)*")
LETTER = re.compile(r"[^\W\d_]")


# -- templates ------------------------------------------------------------------
def template_of(text: str) -> tuple[str, list[str]]:
    """``"measured: 3.09 s"`` -> ``("measured: {} s", ["3.09"])``."""
    return PLACEHOLDER.sub("{}", text), PLACEHOLDER.findall(text)


def needs_translation(text: str) -> bool:
    """Words need translating; numbers and mathtext (``$10^{-1}$``) do not."""
    math = text.startswith("$") and text.endswith("$")
    return not math and bool(LETTER.search(PLACEHOLDER.sub("", text)))


def translate_text(text: str, translations: dict[str, str]) -> str | None:
    """The translation of ``text``, or ``None`` if the catalog lacks its template."""
    template, values = template_of(text)
    translated = translations.get(template)
    if translated is None:
        return None
    if translated.count("{}") != len(values):
        raise ExtensionError(
            f"The translation of figure text {template!r} has {translated.count('{}')} "
            f"placeholders '{{}}' instead of {len(values)}: {translated!r}"
        )
    parts = translated.split("{}")
    return "".join(part + value for part, value in zip(parts, [*values, ""], strict=True))


# -- texts of a figure -------------------------------------------------------------
def translate_figure(fig: Any, translate: Callable[[str], str]) -> None:
    """Replace every text of ``fig`` that has letters by ``translate(text)``.

    Titles, labels, legend entries and annotations are Text artists. Tick
    labels are drawn anew from the axis's formatter, so ticks with labels of
    their own (``set_yticks(ticks, labels)``) get translated labels instead.
    """
    import matplotlib.text
    from matplotlib.category import StrCategoryFormatter
    from matplotlib.ticker import FixedLocator

    tick_labels = set()
    fixed_ticks = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in [*axis.majorTicks, *axis.minorTicks]:
                tick_labels.update((id(tick.label1), id(tick.label2)))
            # Ticks with labels of their own: set_xticks(ticks, labels), or the
            # names of a categorical axis (ax.bar(["kept", "lost"], ...)).
            formatter = axis.get_major_formatter()
            fixed = isinstance(axis.get_major_locator(), FixedLocator)
            if fixed or isinstance(formatter, StrCategoryFormatter):
                locs = list(axis.get_majorticklocs())
                fixed_ticks.append((axis, locs, formatter.format_ticks(locs)))
    for artist in fig.findobj(matplotlib.text.Text):
        text = artist.get_text()
        if id(artist) not in tick_labels and needs_translation(text):
            artist.set_text(translate(text))
    for axis, locs, labels in fixed_ticks:
        if any(needs_translation(label) for label in labels):
            translated = [translate(label) if needs_translation(label) else label for label in labels]
            axis.set_ticks(locs, translated)


def figure_strings(fig: Any) -> list[str]:
    """The texts of ``fig`` that :func:`translate_figure` would translate."""
    found: list[str] = []
    translate_figure(fig, lambda text: found.append(text) or text)
    return found


def pickled_figures(srcdir: Path, gallery_dirs: list[str]) -> Iterator[Path]:
    for gallery in gallery_dirs:
        yield from sorted((srcdir / gallery).glob("**/images/*.pickle"))


def _load(path: Path) -> Any:
    with path.open("rb") as file:
        return pickle.load(file)  # written by this build's own scraper


# -- the figures.pot template, written by the gettext builder --------------------------
def write_template(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "gettext":
        return
    import matplotlib.pyplot as plt

    catalog = Catalog(project=app.config.project, version=app.config.version, fuzzy=False)
    for path in pickled_figures(Path(app.srcdir), _gallery_dirs(app)):
        fig = _load(path)
        where = path.relative_to(app.srcdir).as_posix()
        for text in figure_strings(fig):
            catalog.add(template_of(text)[0], locations=[(where, 0)])
        plt.close(fig)
    target = Path(app.outdir) / f"{DOMAIN}.pot"
    with target.open("wb") as file:
        write_po(file, catalog, omit_header=False, sort_output=True, include_lineno=False)
    logger.info("mpdocs: wrote %s (%d figure texts)", target, len(catalog))


# -- translated figures, drawn by the builds of other languages --------------------------
def render_figures(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """Draw every lesson figure in the build's language, in each of its screen variants.

    The figures are drawn side by side in worker processes, one per CPU (the
    lessons have all run by now, so no lesson's timing shares the machine).
    """
    if app.builder.format != "html":
        return
    language = app.config.language or "en"
    thumbnail_size = app.config.sphinx_gallery_conf.get("thumbnail_size", (400, 280))
    drawing_code = max(Path(module.__file__).stat().st_mtime for module in (variants, sys.modules[__name__]))
    figures = pickled_figures(Path(app.srcdir), _gallery_dirs(app))
    if language == "en":
        jobs = [
            functools.partial(_draw_figure, path, path.with_suffix(".png"), thumbnail_size)
            for path in figures
            if not _up_to_date(path.with_suffix(".variants.json"), max(path.stat().st_mtime, drawing_code))
        ]
        _draw_all(jobs)
        logger.info("mpdocs: drew %d figure(s) for every screen", len(jobs))
        return
    import matplotlib.pyplot as plt

    translations = load_translations(app, DOMAIN)
    catalog_changed = max((p.stat().st_mtime for p in catalog_paths(app, DOMAIN)), default=0.0)
    font = _cjk_font(app.config.mpdocs_cjk_font)
    logger.info("mpdocs: figures in %s are drawn with the font %r", language, font)
    jobs = []
    with _with_cjk_font(font):
        for path in figures:
            png = path.with_suffix(".png")
            target = png.with_name(f"{png.stem}.{language}{png.suffix}")
            newest_input = max(path.stat().st_mtime, catalog_changed, drawing_code)
            if _up_to_date(target.with_suffix(".variants.json"), newest_input):
                continue
            # Translated here first: a text without a translation is this build's warning.
            plt.close(_load_translated(path, translations, language, font))
            jobs.append(
                functools.partial(
                    _draw_translated_figure, path, target, translations, language, font, thumbnail_size
                )
            )
    _draw_all(jobs)
    logger.info("mpdocs: drew %d figure(s) in %s for every screen", len(jobs), language)


def _draw_all(jobs: list[functools.partial[None]]) -> None:
    """Run ``jobs`` in a pool of spawned worker processes (the build's process may hold threads).

    Raises :class:`~sphinx.errors.ExtensionError` naming the figure whose
    drawing failed or took over :data:`FIGURE_TIMEOUT` seconds; leaving the
    ``with`` block then terminates the workers.
    """
    import multiprocessing
    import os

    if not jobs:
        return
    context = multiprocessing.get_context("spawn")
    failed = None
    with context.Pool(min(len(jobs), os.cpu_count() or 1)) as pool:
        results = [pool.apply_async(job) for job in jobs]
        for job, result in zip(jobs, results, strict=True):
            try:
                result.get(timeout=FIGURE_TIMEOUT)
            except Exception as error:
                # Without the parent's frames (the worker's traceback is its cause), the
                # error keeps no pool alive: its semaphores go now, not in a warning at exit.
                failed = job, error.with_traceback(None)
                break
    if failed:
        job, error = failed
        raise ExtensionError(f"drawing {job.args[0].name} failed: {error!r}") from error


#: Seconds a worker may take to draw one figure in every variant (about 2 s each here).
FIGURE_TIMEOUT = 300


def _draw_figure(path: Path, png: Path, thumbnail_size: tuple[int, int]) -> None:
    load = functools.partial(_load, path)
    variants.draw_variants(load, png)
    _write_thumbnail(load, png, thumbnail_size, "")


def _draw_translated_figure(
    path: Path,
    target: Path,
    translations: dict[str, str],
    language: str,
    font: str,
    thumbnail_size: tuple[int, int],
) -> None:
    load = functools.partial(_load_translated, path, translations, language, font)
    with _with_cjk_font(font), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        variants.draw_variants(load, target)
        _write_thumbnail(load, path.with_suffix(".png"), thumbnail_size, f".{language}")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    if missing:
        # Without its record of variants the figure is drawn again by the next build.
        target.with_suffix(".variants.json").unlink()
        raise ExtensionError(f"{target.name} would draw boxes instead of text: {missing[0]}")


def _with_cjk_font(font: str) -> Any:
    """Each text keeps its own font and falls back to ``font`` glyph by glyph;
    texts created while drawing (tick labels) take the family from rcParams."""
    import matplotlib

    return matplotlib.rc_context({"font.family": [*matplotlib.rcParams["font.family"], font]})


def _up_to_date(output: Path, newest_input: float) -> bool:
    return output.exists() and output.stat().st_mtime >= newest_input


def _load_translated(path: Path, translations: dict[str, str], language: str, font: str) -> Any:
    import matplotlib.text

    fig = _load(path)
    name = path.with_suffix(".png").name
    translate_figure(fig, functools.partial(_translated, translations, name, language))
    for text_artist in fig.findobj(matplotlib.text.Text):
        text_artist.set_fontfamily([*text_artist.get_fontfamily(), font])
    return fig


def _translated(translations: dict[str, str], figure: str, language: str, text: str) -> str:
    translated = translate_text(text, translations)
    if translated is None:
        logger.warning(
            "figure text %r in %s has no %s translation (template %r in %s.po)",
            text,
            figure,
            language,
            template_of(text)[0],
            DOMAIN,
            type="mpdocs",
            subtype="figure_translation",
        )
        return text
    return translated


def _write_thumbnail(load: Callable[[], Any], png: Path, size: tuple[int, int], language: str) -> None:
    """Draw the gallery thumbnail anew, light and dark, if this figure is the lesson's thumbnail (its first).

    Named as Sphinx looks for a language's own image (``figure_language_filename``):
    ``sphx_glr_x_thumb-dark.zh_CN.png``.
    """
    thumb = png.parent / "thumb" / png.name.replace("_001.png", "_thumb.png")
    if png.name.endswith("_001.png") and thumb.exists():
        light = thumb.with_name(f"{thumb.stem}{language}.png")
        dark = thumb.with_name(f"{thumb.stem}{DARK_THUMBNAIL}{language}.png")
        variants.draw_thumbnail(load, light, dark, size)


#: What a thumbnail's dark twin adds to its name.
DARK_THUMBNAIL = "-dark"


#: CJK fonts common on Linux, macOS and Windows, Simplified Chinese first.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Serif SC",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Microsoft YaHei",
    "SimHei",
    "DengXian",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)
INSTALL_CJK_FONT = (
    "Debian or Ubuntu: sudo apt-get install fonts-noto-cjk; "
    "Fedora: sudo dnf install google-noto-sans-cjk-fonts; "
    "macOS and Windows come with one (PingFang SC, Microsoft YaHei); "
    "or set mpdocs_cjk_font in conf.py to a CJK font you have"
)


def choose_cjk_font(wanted: str | None, installed: set[str]) -> str:
    """The family to draw Chinese with: ``wanted`` if given, else the first of :data:`CJK_FONTS`.

    ``installed`` holds the family names Matplotlib knows. Raises
    :class:`~sphinx.errors.ExtensionError`, with the install command for each
    platform, when the font is missing: a figure must not draw boxes.
    """
    if wanted:
        if wanted in installed:
            return wanted
        raise ExtensionError(
            f"Figures in Chinese need the font {wanted!r}, which Matplotlib cannot find. {INSTALL_CJK_FONT}."
        )
    for family in CJK_FONTS:
        if family in installed:
            return family
    raise ExtensionError(
        f"Figures in Chinese need a CJK font; Matplotlib finds none of {', '.join(CJK_FONTS)}. "
        f"{INSTALL_CJK_FONT}."
    )


def _cjk_font(wanted: str | None) -> str:
    from matplotlib import font_manager

    try:
        return choose_cjk_font(wanted, {font.name for font in font_manager.fontManager.ttflist})
    except ExtensionError:
        refresh_font_list()
        return choose_cjk_font(wanted, {font.name for font in font_manager.fontManager.ttflist})


def refresh_font_list() -> int:
    """Add the system's fonts that Matplotlib's cached font list lacks; return how many files.

    Matplotlib reads its font list from a cache written the first time it ran,
    so a font installed since (the CJK font the error above asks for) is
    missing from it. The list is refreshed in place, not replaced:
    Matplotlib's text and backend modules hold the ``fontManager`` object they
    imported, and a new one would leave them looking the font up in the old
    list, with a "findfont: Font family ... not found" warning for every text
    drawn. The refreshed list is written back to the cache, for the next build.
    """
    from matplotlib import font_manager, get_cachedir

    manager = font_manager.fontManager
    known = {font.fname for font in [*manager.ttflist, *manager.afmlist]}
    added = 0
    for path in font_manager.findSystemFonts():
        if path not in known:
            try:
                manager.addfont(path)
            except (OSError, RuntimeError):  # a file FreeType cannot read: Matplotlib skips it too
                continue
            added += 1
    if added:
        cache = Path(get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")
        font_manager.json_dump(manager, cache)
        logger.info("mpdocs: added %d font file(s) missing from Matplotlib's font list (%s)", added, cache)
    return added


def _gallery_dirs(app: Sphinx) -> list[str]:
    dirs = app.config.sphinx_gallery_conf["gallery_dirs"]
    return [dirs] if isinstance(dirs, str) else list(dirs)


def setup(app: Sphinx) -> None:
    app.add_config_value("mpdocs_cjk_font", None, "env", types=frozenset({str, type(None)}))
    app.connect("env-before-read-docs", render_figures)
    app.connect("build-finished", write_template)
