"""Each lesson figure drawn for the screen that shows it.

A lesson process saves a figure once, as its ``plt.show()`` left it (a PNG at
Matplotlib's 100 dpi, and the pickled Figure, see :mod:`mpdocs.run.lesson_main`).
From the pickle the build draws the same figure again, for each language:

========================  =======================================================
``X-2x.png``              the same layout at 200 dpi, for screens of 2 device
                          pixels per CSS pixel
``X-phone.png``           laid out again :data:`PHONE_WIDTH` inches wide, no text
                          under :data:`PHONE_MIN_PT`, at 200 dpi: shown on screens
                          narrower than :data:`PHONE_MEDIA`
``X-dark*.png``           the three again in the dark theme's colours
========================  =======================================================

The data and the drawing code are the run's; only size, resolution and
colours change. Pages show them with ``<picture>`` (the browser picks the
file for the screen) inside a link to the 2x file, which opens the figure
full size. Beside them, ``X.variants.json`` records for each file its pixel
size, its resolution and the smallest text drawn in it (points), which the
browser tests turn into CSS pixels.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ..i18n.cjk_spacing import HAN, joins
from ..run.lesson_main import alt_text

logger = logging.getLogger(__name__)

#: A phone's figure is this many inches wide; at 200 dpi, shown 2x, it is 440 CSS px.
PHONE_WIDTH = 4.4
#: No text of a phone figure is smaller: on a 390 px screen it is drawn ~12 CSS px.
PHONE_MIN_PT = 11.0
PHONE_MEDIA = "(max-width: 599.98px)"
HIDPI = 200
#: The dark theme's background (pydata-sphinx-theme's --pst-color-background).
DARK_BACKGROUND = "#14181e"
DARK_TEXT = "#ced6dd"

#: suffix -> (phone layout, dark colours, dpi or None for Matplotlib's own)
VARIANTS = {
    "-2x": (False, False, HIDPI),
    "-phone": (True, False, HIDPI),
    "-dark": (False, True, None),
    "-dark-2x": (False, True, HIDPI),
    "-dark-phone": (True, True, HIDPI),
}


CJK = re.compile(f"[{HAN}]")
#: At most this many values written on a plot go into its alt text.
ALT_VALUES = 12


def describe_for_alt(fig: Any) -> str:
    """Alt text that says what the figure shows, in the figure's own words.

    Its title, then for each plot its axis labels, its categories (the tick
    labels that are words), its legend and the values written on it (bar
    labels, annotations: the measured numbers). Only the figure's text, so
    a translated figure gives translated alt text; joined with the
    punctuation of the title's script.
    """
    fig.draw_without_rendering()  # tick labels exist once the figure is laid out
    title = alt_text(fig)
    full_stop, comma = ("。", "、") if CJK.search(title) else (". ", ", ")
    parts = [one_line(title).rstrip(".。")]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        legend = ax.get_legend()
        groups = [
            [label for label in (ax.get_xlabel(), ax.get_ylabel()) if label],
            [
                tick.get_text()
                for tick in [*ax.get_xticklabels(), *ax.get_yticklabels()]
                # words, not numbers (nor mathtext numbers such as $\mathdefault{10^{2}}$)
                if re.search(r"[^\W\d_]", tick.get_text()) and not tick.get_text().startswith("$")
            ],
            [text.get_text() for text in legend.get_texts()] if legend else [],
            [text.get_text() for text in ax.texts if re.search(r"\d", text.get_text())][:ALT_VALUES],
        ]
        parts += [comma.join(one_line(item) for item in group) for group in groups if group]
    return full_stop.join(dict.fromkeys(parts)).strip() + full_stop.strip()


def one_line(text: str) -> str:
    """A figure text broken over lines, as one line: a break between Chinese characters
    (or next to full-width punctuation) closes, any other becomes a space."""
    words = text.split()
    return "".join(
        word if not index or joins(words[index - 1][-1], word[0]) else " " + word
        for index, word in enumerate(words)
    )


def variant_path(png: Path, suffix: str) -> Path:
    """``sphx_glr_x_001.zh_CN.png``, ``-dark`` -> ``sphx_glr_x_001.zh_CN-dark.png``."""
    return png.with_name(f"{png.stem}{suffix}{png.suffix}")


def draw_variants(load: Callable[[], Any], png: Path) -> None:
    """Save every variant of the figure ``load()`` returns next to ``png`` (the 1x light one).

    ``load`` returns a fresh Figure each call (unpickled, translated): each
    variant starts from the figure as the lesson left it.
    """
    import matplotlib.pyplot as plt

    fig = load()
    info = {"": _describe(fig, png, fig.dpi)}
    alt = describe_for_alt(fig)
    plt.close(fig)
    for suffix, (phone, dark, dpi) in VARIANTS.items():
        fig = load()
        try:
            if phone:
                _lay_out_for_a_phone(fig)
            if dark:
                _darken(fig)
            target = variant_path(png, suffix)
            fig.savefig(target, dpi=dpi or fig.dpi, facecolor=fig.get_facecolor())
            info[suffix] = _describe(fig, target, dpi or fig.dpi)
        finally:
            plt.close(fig)
    for variant in info.values():
        variant["alt"] = alt
    png.with_suffix(".variants.json").write_text(json.dumps(info, indent=1), encoding="utf-8")


def _describe(fig: Any, path: Path, dpi: float) -> dict[str, Any]:
    from matplotlib.image import imread

    height, width = imread(path).shape[:2]
    return {"file": path.name, "width": width, "height": height, "dpi": dpi, "text_pt": _smallest_text(fig)}


def _smallest_text(fig: Any) -> float:
    import matplotlib.text

    fig.canvas.draw()  # makes the tick labels that will be drawn
    renderer = fig.canvas.get_renderer()
    sizes = [
        text.get_fontsize()
        for text in fig.findobj(matplotlib.text.Text)
        if text.get_visible() and text.get_text().strip() and text.get_window_extent(renderer).width > 0
    ]
    return min(sizes, default=0.0)


def _lay_out_for_a_phone(fig: Any) -> None:
    import matplotlib.text

    height = fig.get_size_inches()[1]
    fig.set_size_inches(PHONE_WIDTH, height * 1.15)
    # A title longer than the phone's width goes on two lines (Matplotlib
    # cannot wrap legend entries, so titles only).
    titles = [fig._suptitle] + [ax.title for ax in fig.axes]
    for title in titles:
        if title is not None:
            title.set_wrap(True)
    for ax in fig.axes:
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            ticks = axis.get_major_ticks()
            size = ticks[0].label1.get_fontsize() if ticks else PHONE_MIN_PT
            ax.tick_params(axis=name, which="both", labelsize=max(size, PHONE_MIN_PT))
    for text in fig.findobj(matplotlib.text.Text):
        if text.get_fontsize() < PHONE_MIN_PT:
            text.set_fontsize(PHONE_MIN_PT)
    # Category names under the x axis that now run into each other are slanted.
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        labels = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text().strip()]
        boxes = [t.get_window_extent(renderer) for t in labels]
        if any(a.x1 > b.x0 for a, b in itertools.pairwise(boxes)):
            ax.tick_params(axis="x", labelrotation=30)
            for label in labels:
                label.set_horizontalalignment("right")
                label.set_rotation_mode("anchor")


def _darken(fig: Any) -> None:
    """Dark background; black and grey become light grey; coloured lines and bars keep their colour."""
    import matplotlib.lines
    import matplotlib.patches
    import matplotlib.text

    fig.patch.set_facecolor(DARK_BACKGROUND)
    for ax in fig.axes:
        ax.set_facecolor(DARK_BACKGROUND)
        for spine in ax.spines.values():
            spine.set_edgecolor(_on_dark(spine.get_edgecolor()))
    for text in fig.findobj(matplotlib.text.Text):
        text.set_color(_on_dark(text.get_color()))
    for line in fig.findobj(matplotlib.lines.Line2D):
        line.set_color(_on_dark(line.get_color()))
        line.set_markeredgecolor(_on_dark(line.get_markeredgecolor()))
    for patch in fig.findobj(matplotlib.patches.Patch):
        if patch in (fig.patch, *(ax.patch for ax in fig.axes)):
            continue
        patch.set_facecolor(_on_dark(patch.get_facecolor(), background=True))
        patch.set_edgecolor(_on_dark(patch.get_edgecolor()))
    for ax in fig.axes:  # last: ticks made while drawing take these colours
        ax.tick_params(which="both", colors=DARK_TEXT)


def _on_dark(color: Any, background: bool = False) -> tuple[float, ...]:
    """A grey keeps its place between the text and the background, in the dark theme's terms."""
    from matplotlib.colors import to_rgba

    r, g, b, a = to_rgba(color)
    if max(r, g, b) - min(r, g, b) > 0.15:  # a colour, not a grey
        return (r, g, b, a)
    lightness = 0.2126 * r + 0.7152 * g + 0.0722 * b
    if background and lightness > 0.9:  # white boxes (legends, labels) take the page's colour
        return (*to_rgba(DARK_BACKGROUND)[:3], a)
    text = to_rgba(DARK_TEXT)
    back = to_rgba(DARK_BACKGROUND)
    mix = 1 - lightness  # black -> the text colour, white -> the background
    return (*(back[i] + (text[i] - back[i]) * mix for i in range(3)), a)


def draw_thumbnail(load: Callable[[], Any], target: Path, size: tuple[int, int]) -> None:
    """The figure as a gallery thumbnail: no text, bold lines, ``size`` pixels.

    A whole chart shrunk to a thumbnail's 160 CSS px has text nobody can
    read; its lines and bars alone still show the lesson's idea.
    """
    import matplotlib.lines
    import matplotlib.pyplot as plt
    import matplotlib.text

    fig = load()
    try:
        for text in fig.findobj(matplotlib.text.Text):
            text.set_visible(False)
        for ax in fig.axes:
            if ax.get_legend() is not None:
                ax.get_legend().remove()
            ax.tick_params(which="both", labelbottom=False, labelleft=False, length=0)
        for line in fig.findobj(matplotlib.lines.Line2D):
            line.set_linewidth(line.get_linewidth() * 2.5)
            line.set_markersize(line.get_markersize() * 2.4)
        fig.set_size_inches(size[0] / 100, size[1] / 100)
        fig.savefig(target, dpi=100)
    finally:
        plt.close(fig)


# -- pages -----------------------------------------------------------------------------
def replace_figures(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Show each lesson figure of ``docname`` as a ``<picture>`` of its variants."""
    if app.builder.format != "html":
        return
    for image in list(doctree.findall(nodes.image)):
        if "sphx-glr-single-img" not in image.get("classes", []):
            continue
        # Sphinx has put the language's own file (X.zh_CN.png) among the candidates.
        png = Path(app.srcdir, image.get("candidates", {}).get("*", image["uri"]))
        described = png.with_suffix(".variants.json")
        if not described.is_file():
            logger.warning(
                "figure %s has no screen variants (%s is missing)",
                image["uri"],
                described.name,
                location=image,
                type="mpdocs",
                subtype="figure_variants",
            )
            continue
        info = json.loads(described.read_text(encoding="utf-8"))
        images = Path(app.builder.outdir, app.builder.imagedir)
        images.mkdir(parents=True, exist_ok=True)
        for variant in info.values():
            shutil.copyfile(png.with_name(variant["file"]), images / variant["file"])
        base = relative_uri(app.builder.get_target_uri(docname), app.builder.imagedir + "/")
        image.replace_self(nodes.raw("", _picture_html(info, base, info[""]["alt"]), format="html"))


def _picture_html(info: dict[str, dict[str, Any]], base: str, alt: str) -> str:
    def url(suffix: str) -> str:
        return html.escape(base + info[suffix]["file"])

    parts = []
    for theme, dark in (("only-light", ""), ("only-dark", "-dark")):
        one, phone = info[dark], info[dark + "-phone"]
        shown = {info[s]["file"]: info[s] for s in (dark, dark + "-2x", dark + "-phone")}
        parts.append(
            f'<a class="mpdocs-figure {theme}" href="{url(dark + "-2x")}">'
            f'<picture data-mpdocs-variants="{html.escape(json.dumps(shown), quote=True)}">'
            f'<source media="{PHONE_MEDIA}" srcset="{url(dark + "-phone")} 2x"'
            f' width="{phone["width"] // 2}" height="{phone["height"] // 2}">'
            f'<img class="sphx-glr-single-img {theme}" src="{url(dark)}"'
            f' srcset="{url(dark)} 1x, {url(dark + "-2x")} 2x"'
            f' width="{one["width"]}" height="{one["height"]}"'
            f' alt="{html.escape(alt, quote=True)}" loading="lazy">'
            f"</picture></a>"
        )
    return "\n".join(parts)


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", replace_figures)
