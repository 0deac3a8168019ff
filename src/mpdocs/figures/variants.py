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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ..i18n.cjk_spacing import HAN, joins
from ..i18n.page_text import message, translate
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
    """Save ``png`` (the 1x light figure) and every variant of the figure ``load()`` returns.

    ``load`` returns a fresh Figure each call (unpickled, translated): each
    variant starts from the figure as the lesson left it. Texts that collide
    are moved apart in every variant (see :func:`_fix_desktop_collisions`,
    :func:`_lay_out_for_a_phone`); the
    layout check's findings are recorded for each file (``"layout"``, empty
    when it is fine).
    """
    import matplotlib.pyplot as plt

    info = {}
    # One figure per layout: the 2x and dark files of a layout are the same drawing at
    # another resolution, in other colours; their text sits where it sits in the 1x one.
    for layout in ("", "-phone"):
        fig = load()
        try:
            if layout:
                boxes = _lay_out_for_a_phone(fig)
            else:
                alt, title = describe_for_alt(fig), figure_title(fig)
                boxes = _fix_until_settled(fig, _fix_desktop_collisions)
            checked = _checked(fig, boxes)
            for dark in ("", "-dark"):
                if dark:
                    _darken(fig)
                for suffix, image in _variant_images(fig, dark, layout):
                    target = variant_path(png, suffix)
                    save_png(image, target)
                    dpi = VARIANTS.get(suffix, (None, None, None))[2] or fig.dpi
                    size = {"width": image.width, "height": image.height}
                    info[suffix] = {"file": target.name, **size, "dpi": dpi, **checked}
                # The dark files are these in other colours, laid out as these were drawn.
                fig.set_layout_engine("none")
        finally:
            plt.close(fig)
    for variant in info.values():
        variant["alt"] = alt
        variant["title"] = title
    png.with_suffix(".variants.json").write_text(json.dumps(info, indent=1), encoding="utf-8")


def _variant_images(fig: Any, dark: str, layout: str) -> Iterator[tuple[str, Any]]:
    """``(suffix, image)`` of each file of ``fig`` in one layout and colour scheme.

    A desktop figure's 1x image is its 2x one halved (each pixel the mean of
    four): drawing it again would cost as much as the 2x one, and the text
    and lines would sit where they sit anyway.
    """
    if layout:
        yield f"{dark}-phone", render(fig, HIDPI, bbox_inches="tight", pad_inches=PHONE_PAD)
        return
    hidpi = render(fig, HIDPI)
    yield f"{dark}-2x", hidpi
    halved = 2 * fig.dpi == HIDPI and hidpi.width % 2 == 0 and hidpi.height % 2 == 0
    yield dark, hidpi.reduce(2) if halved else render(fig, fig.dpi)


def _checked(fig: Any, boxes: list[tuple[Any, Any]]) -> dict[str, Any]:
    """The smallest text of the figure (points) and its layout problems (see :func:`layout_problems`)."""
    return {
        "text_pt": min((text.get_fontsize() for text, _ in boxes), default=0.0),
        "layout": layout_problems(fig, boxes),
    }


def render(fig: Any, dpi: float, **savefig: Any) -> Any:
    """``fig`` drawn at ``dpi`` as a PIL image (RGBA, or RGB where nothing is transparent)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    # The PNG is read back at once: compressing it would only cost time.
    savefig.update(format="png", dpi=dpi, facecolor=fig.get_facecolor(), pil_kwargs={"compress_level": 0})
    fig.savefig(buffer, **savefig)
    with Image.open(buffer) as image:
        rgba = image.convert("RGBA")
    return rgba.convert("RGB") if rgba.getextrema()[3][0] == 255 else rgba


def save_png(image: Any, target: Path) -> None:
    """``image`` as a PNG of at most 256 colours: a chart has a few colours and their
    anti-aliased edges, which a palette keeps; the file is a quarter of the size."""
    from PIL import Image

    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        target, format="PNG", optimize=True
    )


#: Texts closer than this (pixels at the figure's own dpi, 1/100 in) do not count as touching.
TOUCH_PX = 1.0


def drawn_texts(fig: Any) -> list[tuple[Any, Any]]:
    """Each text the figure draws when saved, with its box on the canvas (display pixels).

    Only what is drawn: a tick label outside the axis's view, an annotation
    whose point is out of sight or an empty string has no place on the image.
    A text clipped to its axes counts as far as it is visible.
    """
    import matplotlib.text
    from matplotlib.transforms import Bbox

    drawn: list[Any] = []
    draw = matplotlib.text.Text.draw

    def recording_draw(self: Any, renderer: Any) -> None:
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        draw(self, renderer)

    matplotlib.text.Text.draw = recording_draw
    try:
        fig.draw_without_rendering()  # laid out, every text placed; no pixels
    finally:
        matplotlib.text.Text.draw = draw
    renderer = fig.canvas.get_renderer()
    boxes = []
    for text in dict.fromkeys(drawn):
        box = text.get_window_extent(renderer)
        clip = text.get_clip_box() if text.get_clip_on() else None
        if clip is not None:
            box = Bbox.intersection(box, clip)
        if box is not None and box.width > 0 and box.height > 0:
            boxes.append((text, box))
    return boxes


def layout_problems(fig: Any, boxes: list[tuple[Any, Any]] | None = None) -> list[str]:
    """What a reader could not read in the figure: text past the edge of its canvas, texts on top
    of each other. One sentence per problem, naming the texts; empty when the figure is fine.

    Past the edge means cut off, in an image of the canvas; in one saved with a
    tight box (a phone's), it means an image wider than the figure was laid
    out for, so shown smaller, its text too.
    """
    boxes = drawn_texts(fig) if boxes is None else boxes
    problems = [
        f"{_quote(text)} runs past the {' and '.join(edges)} edge"
        for text, edges in _past_the_edge(fig, boxes)
    ]
    problems += [f"{_quote(a)} overlaps {_quote(b)}" for a, b in _overlapping(boxes)]
    return problems


def _past_the_edge(fig: Any, boxes: list[tuple[Any, Any]]) -> list[tuple[Any, list[str]]]:
    canvas = fig.bbox
    found = []
    for text, box in boxes:
        edges = [
            name
            for name, outside in (
                ("left", box.x0 < canvas.x0 - TOUCH_PX),
                ("right", box.x1 > canvas.x1 + TOUCH_PX),
                ("bottom", box.y0 < canvas.y0 - TOUCH_PX),
                ("top", box.y1 > canvas.y1 + TOUCH_PX),
            )
            if outside
        ]
        if edges:
            found.append((text, edges))
    return found


def _quote(text: Any) -> str:
    return repr(" ".join(text.get_text().split()))


#: The run's stamp ("2 CPUs · Python 3.14.0 · start method: 'fork'"), which lessons draw
#: as a small title over each plot.
STAMP = re.compile(r"Python \d+\.\d+")
#: Around a phone figure's drawing, in inches (it is saved with a tight box).
PHONE_PAD = 0.04
#: Side-by-side plots are stacked on a phone, each this high (inches).
PHONE_PANEL_HEIGHT = 3.0
#: Rounds of fixing what the layout check finds before a phone figure is given up.
PHONE_ROUNDS = 6


def _lay_out_for_a_phone(fig: Any) -> list[tuple[Any, Any]]:
    """Draw ``fig`` again for a phone's width: plots stacked, text no smaller than
    :data:`PHONE_MIN_PT`, legends under the plots, one stamp, no figure title (the
    page's caption); then, while the layout check finds colliding texts, fix what it names.
    Return the texts as last drawn (see :func:`drawn_texts`).
    """
    import matplotlib.text

    height = fig.get_size_inches()[1]
    panels = _stack_panels(fig)
    fig.set_size_inches(PHONE_WIDTH, height * 1.15 if panels == 1 else PHONE_PANEL_HEIGHT * panels)
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    for ax in fig.axes:
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            ticks = axis.get_major_ticks()
            size = ticks[0].label1.get_fontsize() if ticks else PHONE_MIN_PT
            ax.tick_params(axis=name, which="both", labelsize=max(size, PHONE_MIN_PT))
    for text in fig.findobj(matplotlib.text.Text):
        if text.get_fontsize() < PHONE_MIN_PT:
            text.set_fontsize(PHONE_MIN_PT)
    _one_stamp(fig)
    # The page shows the figure's title as its caption, right under it (see replace_figures).
    if figure_title(fig) and fig._suptitle is not None:
        fig._suptitle.set_text("")
    _legends_below(fig)
    _fit_titles_and_labels(fig)
    return _fix_until_settled(fig, _fix_collisions)


def _fit_titles_and_labels(fig: Any) -> None:
    """Break titles and axis labels longer than the room they have into lines, between words.

    The room is measured once the figure is laid out: a title's or an x
    label's is the figure's width around the point it is anchored to (as
    Matplotlib measures it), a y label's its plot's height. Matplotlib's own
    ``wrap=True`` measures it from the text's position at each draw, which the
    layout engine moves in the same draw: a label measured short enough for
    one line can be drawn on two, in a margin made for one, past the edge.
    """
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    figure = fig.bbox
    texts = [(fig._suptitle, None)] if fig._suptitle is not None else []
    texts += [(title, None) for ax in fig.axes for title in _titles(ax)]
    texts += [(ax.xaxis.label, None) for ax in fig.axes]
    texts += [(ax.yaxis.label, ax.bbox.height) for ax in fig.axes]
    for text, room in texts:
        words = text.get_text()
        if not words.strip() or not text.get_visible() or " " not in words:
            continue  # a text without spaces (Chinese) is broken by _fix_collisions
        if room is None:  # a title or x label: from where it is anchored to the figure's edges
            box = text.get_window_extent(renderer)
            middle = (box.x0 + box.x1) / 2
            room = {"left": figure.x1 - box.x0, "right": box.x1 - figure.x0}.get(
                text.get_ha(), 2 * min(middle - figure.x0, figure.x1 - middle)
            )
        _break_into_lines(text, room - 2 * TOUCH_PX, renderer)


def _break_into_lines(text: Any, room: float, renderer: Any) -> None:
    """Put ``text`` on as few lines as keep each no longer than ``room`` (display pixels), of
    lengths as even as that number of lines allows."""
    import textwrap

    def length() -> float:
        box = text.get_window_extent(renderer)
        return box.height if abs(text.get_rotation() % 180 - 90) < 45 else box.width

    if length() <= room:
        return
    lines = text.get_text().split("\n")  # the lesson's own line breaks stay
    fitting = None
    for width in range(max(map(len, lines)) - 1, 0, -1):
        wrapped = "\n".join(
            textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) for line in lines
        )
        if fitting is not None and wrapped.count("\n") > fitting.count("\n"):
            break  # one line more: the last that fitted has the fewest, the most even
        text.set_text(wrapped)
        if fitting is not None or length() <= room:
            fitting = wrapped
    text.set_text(fitting or wrapped)


def _fix_until_settled(fig: Any, fix: Callable[[Any, list[tuple[Any, Any]]], bool]) -> list[tuple[Any, Any]]:
    """Draw ``fig`` and ``fix(fig, texts)`` what the layout check finds until nothing
    changes, at most :data:`PHONE_ROUNDS` times; return the texts as last drawn."""
    for _ in range(PHONE_ROUNDS):
        boxes = drawn_texts(fig)
        if not fix(fig, boxes):
            return boxes
    return drawn_texts(fig)


def _stack_panels(fig: Any) -> int:
    """Put plots that stand side by side one under the other; return how many there are.

    Only a plain grid of plots is restacked (twin axes follow their plot); a
    figure with plots spanning cells, insets or colour bars keeps its layout.
    """
    cells: dict[tuple[int, int], list[Any]] = {}
    for ax in fig.axes:
        spec = ax.get_subplotspec() if hasattr(ax, "get_subplotspec") else None
        if (
            spec is None
            or spec.rowspan.stop - spec.rowspan.start > 1
            or spec.colspan.stop - spec.colspan.start > 1
        ):
            return 1 if len(fig.axes) == 1 else 0
        cells.setdefault((spec.rowspan.start, spec.colspan.start), []).append(ax)
    visible = [cell for cell in sorted(cells) if any(ax.get_visible() for ax in cells[cell])]
    if len({column for _, column in visible}) < 2:
        return max(len(visible), 1)
    grid = fig.add_gridspec(len(visible), 1)
    for row, cell in enumerate(visible):
        for ax in cells[cell]:
            ax.set_subplotspec(grid[row])
            if len(ax.get_shared_y_axes().get_siblings(ax)) > 1 and ax.yaxis.get_label_position() == "left":
                # Plots side by side that share a y axis name its ticks once, on the left;
                # one under the other, each names them.
                ax.yaxis.set_tick_params(labelleft=True)
    return len(visible)


def _titles(ax: Any) -> list[Any]:
    return [ax.title, ax._left_title, ax._right_title]


def _one_stamp(fig: Any) -> None:
    """Keep the run's stamp over the first plot only: the plots of one figure come from one run."""
    stamps = [title for ax in fig.axes for title in _titles(ax) if STAMP.search(title.get_text())]
    for title in stamps[1:]:
        title.set_text("")


def _legends_below(fig: Any) -> None:
    """Every legend of a plot becomes one legend under the plots: on a phone a legend
    inside a plot covers its data, and one beside it takes half the width."""
    handles: dict[str, Any] = {}
    title = None
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=False):
            handles.setdefault(text.get_text(), handle)
        title = title or legend.get_title().get_text() or None
        legend.remove()
    if handles:
        _figure_legend(fig, list(handles.values()), list(handles), title, min(2, len(handles)))


def _fix_collisions(fig: Any, boxes: list[tuple[Any, Any]]) -> bool:
    """Fix one round of what the layout check finds in ``boxes`` (the texts as drawn); return
    whether anything changed."""
    for legend in list(fig.legends):
        if legend.get_window_extent().width > fig.bbox.width and legend._ncols > 1:
            _legend_in_columns(fig, legend, legend._ncols - 1)
            return True  # every text moves: the next round draws it again
    ticks = _tick_labels(fig)
    pairs = [(a, b, ticks.get(id(a)), ticks.get(id(b))) for a, b in _overlapping(boxes)]
    # Tick labels of one axis that collide (their axis), and texts that are no tick labels.
    same_axis = {place for _, _, place, other in pairs if place is not None and place == other}
    if any(_bar_names(*place) for place in same_axis):
        # Names of bars one above the other: more height between them first, which moves
        # every text beside a bar with it; what still collides is fixed in the next round.
        width, height = fig.get_size_inches()
        fig.set_size_inches(width, height * 1.25)
        return True
    changed = any([_thin_tick_labels(*place) for place in same_axis])
    done: set[Any] = set(same_axis)
    for a, b, place, other in pairs:
        if place is None and other is None and _make_room_for_one(a, b, done):
            changed = True
    for text, edges in _past_the_edge(fig, boxes):
        place = ticks.get(id(text))
        if place is not None and place not in done:
            done.add(place)
            if _wrap_tick_labels(*place):
                changed = True
                continue
        if text.axes is not None and text in text.axes.texts and "right" in edges:
            # A value written beside a bar's end: widen the plot's range so it fits inside.
            ax = text.axes
            overflow = text.get_window_extent().x1 - fig.bbox.x1 + 2 * TOUCH_PX
            left, right = ax.get_xlim()
            ax.set_xlim(left, right + (right - left) * overflow / max(ax.bbox.width, 1.0))
            changed = True
        elif place is None and "\n" not in text.get_text() and _break_in_two(text):
            changed = True  # a title or label without spaces (Chinese): _fit_titles_and_labels left it whole
        elif {"left", "right"} & set(edges):
            changed = _leave_room(fig, text) or changed
    return changed


def _break_in_two(text: Any) -> bool:
    """Put a line break in the middle of ``text``: at the space nearest it, else between two characters."""
    words = text.get_text()
    if len(words) < 8:
        return False
    middle = len(words) // 2
    spaces = [i for i, c in enumerate(words) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - middle)) if spaces else middle
    # A closing bracket or punctuation stays with the text before it.
    while cut < len(words) - 1 and words[cut] in "）)，。：；、":
        cut += 1
    text.set_text(words[:cut].rstrip() + "\n" + words[cut:].lstrip())
    return True


def _leave_room(fig: Any, text: Any) -> bool:
    """Narrow the area the layout engine fills, so that ``text`` (a tick label at the end of an
    axis) comes inside the canvas."""
    engine = fig.get_layout_engine()
    if engine is None or not hasattr(engine, "get") or "rect" not in engine.get():
        return False
    box, width = text.get_window_extent(), fig.bbox.width
    left, bottom, right, top = _rect(engine.get()["rect"])
    past_right = max(box.x1 - fig.bbox.x1, 0) + 2 * TOUCH_PX
    past_left = max(fig.bbox.x0 - box.x0, 0) + 2 * TOUCH_PX
    right -= past_right / width if box.x1 > fig.bbox.x1 else 0
    left += past_left / width if box.x0 < fig.bbox.x0 else 0
    engine.set(rect=(left, bottom, right - left, top - bottom))
    return True


def _rect(rect: Any) -> tuple[float, float, float, float]:
    """A layout engine's ``rect`` (left, bottom, width, height) as (left, bottom, right, top)."""
    left, bottom, width, height = rect if rect is not None else (0, 0, 1, 1)
    return left, bottom, left + width, bottom + height


def _auto_ticks(axis: Any) -> bool:
    from matplotlib.ticker import AutoLocator, ScalarFormatter

    return isinstance(axis.get_major_locator(), AutoLocator) and isinstance(
        axis.get_major_formatter(), ScalarFormatter
    )


#: A text written on a plot moves up at most this many times its height to clear another.
STAGGER_LEVELS = 3


def _make_room_for_one(a: Any, b: Any, done: set[Any], wrap: bool = True) -> bool:
    """Of two texts written on a plot that run into each other, make room for the later one (else
    the earlier); each text once per round."""
    for text in (b, a):
        if text.axes is not None and text in text.axes.texts and id(text) not in done:
            done.add(id(text))
            if _make_room(text, wrap):
                return True
    return False


def _make_room(text: Any, wrap: bool = True) -> bool:
    """A text written on a plot that runs into another: its words one under the other (``wrap``),
    or else moved up by its own height, once more each time, up to :data:`STAGGER_LEVELS`."""
    from matplotlib.transforms import ScaledTranslation

    lines = text.get_text().split("\n")
    if wrap and sum(len(line.split()) for line in lines) > 2 and any(" " in line for line in lines):
        # "pool worker\npid 12" -> "pool\nworker\npid 12": the widest line, word by word
        widest = max(range(len(lines)), key=lambda i: len(lines[i]) if " " in lines[i] else -1)
        lines[widest : widest + 1] = lines[widest].split()
        text.set_text("\n".join(lines))
        return True
    import matplotlib.text

    level = getattr(text, "_mpdocs_level", 0)
    if level >= STAGGER_LEVELS:
        return False
    height = text.get_window_extent().height / text.figure.dpi  # inches
    if isinstance(text, matplotlib.text.Annotation):
        # An annotation sets its transform anew at each draw, from its offset from the point.
        per_inch = {"offset points": 72, "offset pixels": text.figure.dpi}.get(text.anncoords)
        if per_inch is None:
            return False
        x, y = text.xyann
        text.xyann = (x, y + height * per_inch)
    else:
        text.set_transform(text.get_transform() + ScaledTranslation(0, height, text.figure.dpi_scale_trans))
    text._mpdocs_level = level + 1
    return True


def _fix_desktop_collisions(fig: Any, boxes: list[tuple[Any, Any]]) -> bool:
    """Fix a desktop figure's colliding texts (``boxes``, as drawn), keeping its layout: tick
    labels of one axis that run into each other are thinned out, a text written on a plot that
    runs into another moves up; return whether anything changed."""
    ticks = _tick_labels(fig)
    changed, done = False, set()
    for a, b in _overlapping(boxes):
        place = ticks.get(id(a))
        if place is not None and place == ticks.get(id(b)):
            if place not in done and not _bar_names(*place):
                done.add(place)
                changed = _thin_tick_labels(*place) or changed
        elif id(a) not in ticks and id(b) not in ticks and _make_room_for_one(a, b, done, wrap=False):
            changed = True
    return changed


def _bar_names(ax: Any, axis: Any, which: str) -> bool:
    return axis is ax.yaxis and which == "major" and not _auto_ticks(axis)


def _tick_labels(fig: Any) -> dict[int, tuple[Any, Any, str]]:
    """id(tick label) -> (its axes, its axis, "major" or "minor")."""
    ticks = {}
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for which, found in (("major", axis.get_major_ticks()), ("minor", axis.get_minor_ticks())):
                for tick in found:
                    ticks[id(tick.label1)] = ticks[id(tick.label2)] = (ax, axis, which)
    return ticks


def _thin_tick_labels(ax: Any, axis: Any, which: str) -> bool:
    """Tick labels that run into each other: drop the minor ones, fewer automatic ones, or slant them."""
    from matplotlib.ticker import MaxNLocator, NullFormatter

    if which == "minor":
        axis.set_minor_formatter(NullFormatter())
        return True
    if _auto_ticks(axis):
        axis.set_major_locator(MaxNLocator(nbins=4))
        return True
    if axis is not ax.xaxis:
        return False
    labels = ax.get_xticklabels()
    if any(" " in label.get_text() and "\n" not in label.get_text() for label in labels):
        return _wrap_tick_labels(ax, axis, which)
    rotation = max((label.get_rotation() for label in labels), default=0)
    if rotation >= 90:
        return False
    # Slanted first; upright if slanted labels still touch (a slanted label's box is loose).
    ax.tick_params(axis="x", labelrotation=45 if rotation == 0 else 90)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right" if rotation == 0 else "center")
        label.set_rotation_mode("anchor" if rotation == 0 else "default")
    return True


def _wrap_tick_labels(ax: Any, axis: Any, which: str) -> bool:
    """Labels too long for the phone (the names of bars) go on two lines."""
    import textwrap

    from matplotlib.category import StrCategoryFormatter
    from matplotlib.ticker import FixedLocator

    if which != "major":
        return False
    fixed = isinstance(axis.get_major_locator(), FixedLocator)
    if not fixed and not isinstance(axis.get_major_formatter(), StrCategoryFormatter):
        return False
    locs = list(axis.get_majorticklocs())
    labels = [label.get_text() for label in axis.get_majorticklabels()]
    if len(labels) != len(locs) or any("\n" in label for label in labels):
        return False
    wrapped = []
    for label in labels:
        # " · " joins the parts of a name ("worker · pid 123"): the place to break.
        parts = label.split(" · ")
        if len(parts) > 1:
            wrapped.append("\n".join(parts))
        else:
            wrapped.append(textwrap.fill(label, max(len(label) // 2 + 1, 6), break_on_hyphens=False))
    axis.set_ticks(locs, wrapped)
    return True


def _legend_in_columns(fig: Any, legend: Any, ncols: int) -> None:
    handles, labels = legend.legend_handles, [text.get_text() for text in legend.get_texts()]
    title = legend.get_title().get_text() or None
    legend.remove()
    _figure_legend(fig, handles, labels, title, ncols)


def _figure_legend(fig: Any, handles: list[Any], labels: list[str], title: str | None, ncols: int) -> None:
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=ncols,
        title=title,
        fontsize=PHONE_MIN_PT,
        title_fontsize=PHONE_MIN_PT,
    )


def _overlapping(boxes: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    pairs = []
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        width = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        height = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if width > TOUCH_PX and height > TOUCH_PX:
            pairs.append((a, b))
    return pairs


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
        # Light text was drawn on something dark or coloured (a bar's label): it stays.
        if _lightness(text.get_color()) <= LIGHT_TEXT:
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


#: Text lighter than this (0 black, 1 white) keeps its colour in the dark figures.
LIGHT_TEXT = 0.6


def _lightness(color: Any) -> float:
    from matplotlib.colors import to_rgba

    r, g, b, _ = to_rgba(color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _on_dark(color: Any, background: bool = False) -> tuple[float, ...]:
    """A grey keeps its place between the text and the background, in the dark theme's terms."""
    from matplotlib.colors import to_rgba

    r, g, b, a = to_rgba(color)
    if max(r, g, b) - min(r, g, b) > 0.15:  # a colour, not a grey
        return (r, g, b, a)
    lightness = _lightness(color)
    if background and lightness > 0.9:  # white boxes (legends, labels) take the page's colour
        return (*to_rgba(DARK_BACKGROUND)[:3], a)
    text = to_rgba(DARK_TEXT)
    back = to_rgba(DARK_BACKGROUND)
    mix = 1 - lightness  # black -> the text colour, white -> the background
    return (*(back[i] + (text[i] - back[i]) * mix for i in range(3)), a)


def draw_thumbnail(load: Callable[[], Any], light: Path, dark: Path, size: tuple[int, int]) -> None:
    """The figure as a gallery thumbnail of ``size`` pixels, in the light theme's colours and the dark's.

    No text, no frame, bold lines: a whole chart shrunk to a card's width has
    text nobody can read, and its axes' frame inside the card's border makes a
    double frame; its lines and bars alone still show the lesson's idea. The
    dark one is drawn like the dark figures, not filtered.
    """
    import matplotlib.pyplot as plt

    for target, darken in ((light, False), (dark, True)):
        fig = load()
        try:
            _strip_for_a_thumbnail(fig)
            if darken:
                _darken(fig)
            fig.set_size_inches(size[0] / 100, size[1] / 100)
            save_png(render(fig, 100), target)
        finally:
            plt.close(fig)


def _strip_for_a_thumbnail(fig: Any) -> None:
    import matplotlib.lines
    import matplotlib.text

    for text in fig.findobj(matplotlib.text.Text):
        text.set_visible(False)
    for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes)]:
        if legend is not None:
            legend.remove()
    for ax in fig.axes:
        ax.tick_params(which="both", labelbottom=False, labelleft=False, length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
    for line in fig.findobj(matplotlib.lines.Line2D):
        line.set_linewidth(line.get_linewidth() * 2.5)
        line.set_markersize(line.get_markersize() * 2.4)


# -- pages -----------------------------------------------------------------------------
TRANSLATED_NOTE = message(
    "Text in the figures is translated; the code, its output and the downloads are the English originals.",
    "mpdocs.figures.variants",
)


def replace_figures(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Show each lesson figure of ``docname`` as a captioned ``<picture>`` of its variants.

    A phone gets the phone variant only where its layout check found nothing
    (see :func:`layout_problems`); otherwise it gets the desktop figure, which a
    tap opens full size. On a page in another language than the lessons', the
    first figure is followed by a note that its text is translated and the code is not.
    """
    if app.builder.format != "html":
        return
    translated = (app.config.language or "en") != "en"
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
        for suffix in ("-phone", "-dark-phone"):
            if info[suffix]["layout"]:
                logger.info(
                    "mpdocs: %s is not laid out for a phone (phones get the desktop figure): %s",
                    info[suffix]["file"],
                    "; ".join(info[suffix]["layout"]),
                )
        base = relative_uri(app.builder.get_target_uri(docname), app.builder.imagedir + "/")
        figure = _picture_html(info, base, info[""]["alt"], info[""].get("title", ""))
        if translated:
            note = html.escape(translate(app, TRANSLATED_NOTE))
            figure += f'\n<p class="mpdocs-translated-figures">{note}</p>'
            translated = False
        image.replace_self(nodes.raw("", figure, format="html"))


def _picture_html(info: dict[str, dict[str, Any]], base: str, alt: str, caption: str = "") -> str:
    def url(suffix: str) -> str:
        return html.escape(base + info[suffix]["file"])

    parts = []
    for theme, dark in (("only-light", ""), ("only-dark", "-dark")):
        one, phone = info[dark], info[dark + "-phone"]
        fits = not phone.get("layout")
        served = (dark, dark + "-2x", dark + "-phone") if fits else (dark, dark + "-2x")
        shown = {info[s]["file"]: info[s] for s in served}
        source = (
            f'<source media="{PHONE_MEDIA}" srcset="{url(dark + "-phone")} 2x"'
            f' width="{phone["width"] // 2}" height="{phone["height"] // 2}">'
            if fits
            else ""
        )
        # Why phones get the desktop figure, for the tests to name.
        unfit = (
            ""
            if fits
            else f' data-mpdocs-not-for-phones="{html.escape(json.dumps(phone["layout"]), quote=True)}"'
        )
        parts.append(
            f'<a class="mpdocs-figure {theme}" href="{url(dark + "-2x")}">'
            f'<picture data-mpdocs-variants="{html.escape(json.dumps(shown), quote=True)}"{unfit}>'
            f"{source}"
            f'<img class="sphx-glr-single-img {theme}" src="{url(dark)}"'
            f' srcset="{url(dark)} 1x, {url(dark + "-2x")} 2x"'
            f' width="{one["width"]}" height="{one["height"]}"'
            f' alt="{html.escape(alt, quote=True)}" loading="lazy">'
            f"</picture></a>"
        )
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="mpdocs-figure-frame">\n{chr(10).join(parts)}\n{figcaption}</figure>'


def figure_title(fig: Any) -> str:
    """The figure's title, for its caption: its suptitle, else its plots' titles (not the run's stamp)."""
    if fig._suptitle is not None and fig._suptitle.get_text().strip():
        return " ".join(fig._suptitle.get_text().split())
    titles = [
        t.get_text()
        for ax in fig.axes
        for t in _titles(ax)
        if t.get_text() and not STAMP.search(t.get_text())
    ]
    return " · ".join(" ".join(t.split()) for t in dict.fromkeys(titles))


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", replace_figures)
