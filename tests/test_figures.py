"""Figures drawn by the build: the CJK font however it was installed, and figures for each screen."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from mpdocs.figures import variants
from mpdocs.figures.translate import CJK_FONTS
from mpdocs.testing import reader_env, run


def _python(code: str, config_dir, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter whose Matplotlib keeps its font list in ``config_dir``."""
    env = reader_env(MPLCONFIGDIR=str(config_dir), MPLBACKEND="Agg")
    result, leftovers = run(
        [sys.executable, "-c", textwrap.dedent(code)], timeout=timeout, env=env, cwd=config_dir
    )
    assert leftovers == []
    assert result.returncode == 0, result.stderr
    return result


def _installed_cjk_font() -> str:
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    font = next((family for family in CJK_FONTS if family in families), None)
    if font is None:
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")
    return font


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="needs fontconfig's fc-list")
def test_a_cjk_font_installed_after_matplotlib_cached_its_font_list_is_found_without_warnings(tmp_path):
    font = _installed_cjk_font()
    # What a reader's machine holds when the font came after Matplotlib's first run:
    # a cached font list without it.
    _python(
        """
        from pathlib import Path
        import matplotlib
        from matplotlib import font_manager as fm
        manager = fm.fontManager
        manager.ttflist = [f for f in manager.ttflist if "CJK" not in f.name and "Han" not in f.name]
        fm.json_dump(manager, Path(matplotlib.get_cachedir(), f"fontlist-v{fm.FontManager.__version__}.json"))
        """,
        tmp_path,
    )
    stale = next(tmp_path.glob("fontlist-*.json")).read_text(encoding="utf-8")
    assert font not in stale
    drawn = _python(
        """
        import json, logging, warnings
        import matplotlib.pyplot as plt
        from matplotlib import font_manager
        from mpdocs.figures.translate import _cjk_font

        records = []
        handler = logging.Handler()
        handler.emit = records.append
        logging.getLogger("matplotlib").addHandler(handler)
        warnings.simplefilter("always")
        with warnings.catch_warnings(record=True) as caught:
            missing_before = not any("CJK" in f.name for f in font_manager.fontManager.ttflist)
            font = _cjk_font(None)
            fig, ax = plt.subplots()
            ax.set_title("进程池", fontfamily=["DejaVu Sans", font])
            ax.set_xlabel("耗时（秒）", fontfamily=["DejaVu Sans", font])
            fig.savefig("out.png")
        print(json.dumps({
            "missing_before": missing_before,
            "font": font,
            "log": [r.getMessage() for r in records if r.levelno >= logging.WARNING],
            "warnings": [str(w.message) for w in caught],
        }))
        """,
        tmp_path,
    )
    report = json.loads(drawn.stdout.splitlines()[-1])
    assert report["missing_before"]
    assert report["font"] in CJK_FONTS
    assert report["log"] == []
    assert report["warnings"] == []
    assert "findfont" not in drawn.stderr
    # The refreshed list was cached: the next build finds the font at once.
    assert font in next(tmp_path.glob("fontlist-*.json")).read_text(encoding="utf-8")


# -- figures for each screen ------------------------------------------------------------
@pytest.fixture
def plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    yield matplotlib.pyplot
    matplotlib.pyplot.close("all")


STAMP = "2 CPUs · Python 3.14.0 · start method: 'forkserver'"


def test_the_layout_check_names_texts_that_overlap_or_run_past_the_edge(plt):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.text(0.3, 0.5, "first label", transform=ax.transAxes)
    ax.text(0.35, 0.5, "second label", transform=ax.transAxes)
    ax.text(1.2, 0.2, "far outside", transform=ax.transAxes)
    ax.text(0.1, 0.9, "alone", transform=ax.transAxes)
    problems = variants.layout_problems(fig)
    assert "'first label' overlaps 'second label'" in problems
    assert "'far outside' runs past the right edge" in problems
    assert not [p for p in problems if "alone" in p]


def test_a_figure_that_fits_passes_the_layout_check(plt):
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    ax.plot([1, 2, 3], [3, 1, 2], label="measured")
    ax.set_xlabel("seconds")
    ax.legend()
    assert variants.layout_problems(fig) == []


def test_a_phone_figure_stacks_its_plots_puts_legends_below_and_keeps_one_stamp(plt):
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5), layout="constrained")
    for ax in axes:
        ax.plot([0, 1], [0, 1], label="Pool.map in batches")
        ax.plot([0, 1], [1, 0], label="Executor.map")
        ax.set_title(STAMP, fontsize=8, color="grey")
        ax.set_xlabel("seconds since the call")
    axes[0].legend(loc="upper left", bbox_to_anchor=(1, 1), fontsize=8)
    fig.suptitle("Records taken from the generator, and results read")

    variants._lay_out_for_a_phone(fig)

    assert variants.layout_problems(fig) == []
    assert fig.get_size_inches()[0] == variants.PHONE_WIDTH
    upper, lower = (ax.get_position() for ax in fig.axes)
    assert upper.y0 > lower.y1, "the plots are not one above the other"
    assert [ax.get_legend() for ax in fig.axes] == [None, None]
    [legend] = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["Pool.map in batches", "Executor.map"]
    assert legend.get_window_extent().y1 < lower.y0 * fig.bbox.height, "the legend is not under the plots"
    assert [ax.get_title() for ax in fig.axes] == [STAMP, ""]
    assert fig._suptitle.get_text() == "", "the page's caption carries the title"
    texts = variants.drawn_texts(fig)
    assert min(text.get_fontsize() for text, _ in texts) >= variants.PHONE_MIN_PT


def test_plots_that_share_a_y_axis_each_name_its_ticks_once_stacked_on_a_phone(plt):
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5), layout="constrained", sharey=True)
    names = ["with every task", "initializer", "fork global"]
    axes[0].barh(range(3), [0.8, 0.3, 0.03])
    axes[0].set_yticks(range(3), names)
    axes[1].barh(range(3), [77, 77, 75])
    fig.canvas.draw()
    assert not any(tick.label1.get_visible() for tick in axes[1].yaxis.get_major_ticks())

    variants._lay_out_for_a_phone(fig)

    for ax in axes:
        shown = [tick.label1.get_text() for tick in ax.yaxis.get_major_ticks() if tick.label1.get_visible()]
        assert shown == names


def test_a_phone_figure_turns_tick_labels_that_collide(plt):
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    sizes = [1, 10, 100, 1000, 1600, 2500]
    ax.plot(sizes, [2, 1, 0.5, 0.2, 0.1, 0.05])
    fig.canvas.draw()
    assert variants.layout_problems(fig) == []  # at 8 in they fit
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(size) for size in sizes])
    variants._lay_out_for_a_phone(fig)
    assert variants.layout_problems(fig) == []  # at 4.4 in, turned
    assert ax.get_xticklabels()[0].get_rotation() > 0


@pytest.mark.parametrize(("height", "top"), [(3.0, 3), (3.1, 3), (3.5, 3), (3.75, 4.2), (3.8, 4.2)])
def test_a_phone_figure_breaks_a_long_axis_label_into_lines_that_stay_inside(plt, height, top):
    # The why-a-pool lesson's figure: how far the label is from the figure's top and
    # bottom depends on the data and the figure's height, so Matplotlib's own wrap
    # (measured from there, then moved by the layout) put it past the left edge of some.
    fig, ax = plt.subplots(figsize=(8, height), layout="constrained")
    runs = {
        "fork": ("o", [0.7, 0.7, 0.7, 0.9, 1.7]),
        "spawn": ("s", [0.7, 0.8, 1.5, 2.1, 4.1]),
        "forkserver": ("^", [0.3, 0.4, 0.6, 0.9, 1.2]),
    }
    for method, (marker, ratios) in runs.items():
        ax.plot([1, 2, 4, 8, 16], ratios, marker=marker, label=repr(method))
    ax.set_ylim(0, top)
    ax.set_xlabel("number of tasks")
    ax.set_ylabel("process-per-task time / pool time")
    ax.legend(loc="upper left", title="start method")
    fig.suptitle("Short CPU-bound tasks: one process per task vs one pool")
    ax.set_title("2 CPUs · Python 3.14.10 · start method: 'forkserver'", fontsize=8, color="grey")

    variants._lay_out_for_a_phone(fig)

    assert variants.layout_problems(fig) == []
    lines = ax.get_ylabel().split("\n")
    assert " ".join(lines) == "process-per-task time / pool time"
    assert len(lines) <= 2
    assert max(map(len, lines)) - min(map(len, lines)) < 10, "lines of about the same length"


def test_a_phone_figure_moves_an_annotation_up_to_clear_its_neighbour(plt):
    # The share-with-pool-workers lesson's figure, when a manager proxy is only twice as
    # slow: the two values written over the points run into each other on a phone.
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    for value in (19, 38):
        ax.plot([value], [0], "o", ms=10)
        ax.annotate(f"{value} µs", (value, 0), xytext=(0, 10), textcoords="offset points", ha="center")
    ax.set_xscale("log")
    ax.set_xlim(1, 1000)

    variants._lay_out_for_a_phone(fig)

    assert variants.layout_problems(fig) == []
    offsets = sorted(text.xyann[1] for text in ax.texts)
    assert offsets[0] == 10, "the other stays"
    assert offsets[1] > 10, "one of them moved up, in points"


def test_a_phone_figure_gives_crowded_bars_more_height_before_moving_their_values(plt):
    # The word-count lesson's figure: twenty bars, each with its count beside it. On a
    # phone the names and the counts of neighbouring bars touch; the figure grows taller,
    # and each count stays beside its own bar.
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    counts = [41545, 4367, 3193, *range(2349, 1349, -50)][:20]
    ax.barh(range(20), counts)
    ax.set_yticks(range(20), [f"'name{i}'" for i in range(20)], fontsize=8)
    ax.invert_yaxis()
    for y, count in enumerate(counts):
        beside = {"xytext": (3, 0), "textcoords": "offset points", "va": "center"}
        ax.annotate(str(count), (count, y), fontsize=8, **beside)
    ax.set_xlim(0, counts[0] * 1.12)
    ax.set_xlabel("occurrences")
    ax.set_title(STAMP, fontsize=8, color="grey")
    fig.suptitle("The 20 most used names in 400 stdlib files")

    variants._lay_out_for_a_phone(fig)

    assert variants.layout_problems(fig) == []
    assert fig.get_size_inches()[1] > 3.5 * 1.15 * 1.2, "the figure grew taller"
    assert {text.xyann for text in ax.texts} == {(3, 0)}, "a count moved off its bar"


def test_a_figure_the_phone_layout_cannot_fix_is_not_served_to_phones(plt, tmp_path, monkeypatch):
    # A figure whose collisions no fix of the phone layout undoes.
    monkeypatch.setattr(variants, "_fix_collisions", lambda fig, boxes: False)

    def crowded():
        fig, ax = plt.subplots(figsize=(8, 2), layout="constrained")
        for x in range(8):
            ax.text(x, 0, f"worker{x}", ha="center")
        ax.set_xlim(-0.5, 7.5)
        fig.suptitle("Twelve workers in a row")
        return fig

    png = tmp_path / "crowded.png"
    variants.draw_variants(crowded, png)
    info = json.loads(png.with_suffix(".variants.json").read_text(encoding="utf-8"))
    assert info[""]["layout"] == []
    assert info["-2x"]["layout"] == []
    assert info["-phone"]["layout"], "twelve labels in a phone's width do not collide?"
    assert info[""]["title"] == "Twelve workers in a row"
    picture = variants._picture_html(info, "", "alt", info[""]["title"])
    assert "<source" not in picture
    assert "<figcaption>Twelve workers in a row</figcaption>" in picture
    fitting = dict(info, **{key: dict(info[key], layout=[]) for key in ("-phone", "-dark-phone")})
    assert picture != variants._picture_html(fitting, "", "alt")
    assert '<source media="(max-width: 599.98px)"' in variants._picture_html(fitting, "", "alt")


def test_every_variant_is_saved_with_a_palette_and_described(plt, tmp_path):
    def simple():
        fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
        ax.barh(["kept", "lost"], [3, 1], color=["C2", "C3"])
        fig.suptitle("Updates kept and lost")
        return fig

    png = tmp_path / "simple.png"
    variants.draw_variants(simple, png)
    info = json.loads(png.with_suffix(".variants.json").read_text(encoding="utf-8"))
    assert set(info) == {"", *variants.VARIANTS}
    from PIL import Image

    for variant in info.values():
        with Image.open(tmp_path / variant["file"]) as image:
            assert image.mode == "P"
            assert image.size == (variant["width"], variant["height"])
        assert variant["layout"] == []
    assert info["-2x"]["width"] == 2 * info[""]["width"]
    # A phone's figure: 4.4 in at 200 dpi, less what its tight box trims.
    assert abs(info["-phone"]["width"] - variants.PHONE_WIDTH * 200) < 40


def test_dark_figures_keep_light_labels_on_bars_and_lighten_dark_text(plt):
    from matplotlib.colors import to_hex

    fig, ax = plt.subplots()
    ax.barh([0], [1], color="C0")
    on_bar = ax.text(0.5, 0, "hello1", color="w")
    beside = ax.text(1.1, 0, "1.00 s", color="black")
    variants._darken(fig)
    assert to_hex(on_bar.get_color()) == "#ffffff"
    assert variants._lightness(beside.get_color()) > 0.6


def test_thumbnails_come_light_and_dark_without_a_frame(plt, tmp_path):
    from PIL import Image

    def chart():
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [0, 2, 1])
        ax.set_title("a title nobody could read at this size")
        return fig

    light, dark = tmp_path / "thumb.png", tmp_path / "thumb-dark.png"
    variants.draw_thumbnail(chart, light, dark, (400, 280))
    with Image.open(light) as image:
        assert image.size == (400, 280)
        corner = image.convert("RGB").getpixel((2, 2))
    with Image.open(dark) as image:
        dark_corner = image.convert("RGB").getpixel((2, 2))
    assert sum(corner) > 600, corner
    assert sum(dark_corner) < 150, dark_corner


def test_labels_written_on_a_plot_that_collide_are_moved_apart_in_every_variant(plt, tmp_path):
    # Where a run's timings put three labels close together (the logging lesson's tasks).
    def close_labels():
        fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
        ax.barh([0, 1], [100, 100], color="0.85")
        for x, name in ((50, "task 2"), (53, "task 3"), (56, "task 5")):
            ax.text(x, 1.35, name)
        ax.set_xlim(0, 110)
        return fig

    fig = close_labels()
    assert len(variants.layout_problems(fig)) == 3
    png = tmp_path / "close.png"
    variants.draw_variants(close_labels, png)
    info = json.loads(png.with_suffix(".variants.json").read_text(encoding="utf-8"))
    assert [(suffix, variant["layout"]) for suffix, variant in info.items() if variant["layout"]] == []
