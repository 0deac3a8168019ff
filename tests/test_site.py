"""The real site, built as ``nox -s docs`` builds it, shows what the lessons promise."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import sphinx_gallery
from conftest import LANGUAGES, ROOT, SITE_BASE, build_site

from mpdocs.run import start_methods

pytestmark = pytest.mark.build

OUTPUT_BLOCK = re.compile(
    r'<div class="sphx-glr-script-out highlight-none notranslate[^"]*">'
    r'<div class="highlight"><pre>(.*?)</pre>',
    re.S,
)
#: What comes right before an output block inside a tab: the tab's label, then its content.
TAB_BEFORE = re.compile(
    r'(<input (?:checked="checked" )?id="[^"]+" name="[^"]+" type="radio">)\s*'
    r'<label [^>]*data-sync-id="(\w+)"[^>]*>([^<]*)</label>\s*<div class="sd-tab-content[^"]*"[^>]*>\s*$'
)
TAB_SET = re.compile(r'<div class="sd-tab-set mpdocs-start-method-tabs[^"]*">')
WORKER_LINE = re.compile(r"^#######(start|end) +(hello\d)########$")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory)


def outputs(page: Path, method: str | None = None) -> list[list[str]]:
    """The page's output blocks; in a tab set per start method, ``method``'s (default: the selected)."""
    text = page.read_text(encoding="utf-8")
    found = []
    for block in OUTPUT_BLOCK.finditer(text):
        tab = TAB_BEFORE.search(text, max(0, block.start() - 600), block.start())
        if tab is not None:
            selected = "checked" in tab.group(1)
            if tab.group(2) != method and not (method is None and selected):
                continue
        found.append(html.unescape(re.sub(r"<[^>]+>", "", block.group(1))).splitlines())
    return found


def tab_labels(page: Path) -> list[list[tuple[str, str, bool]]]:
    """Per tab set of outputs: (start method, label, selected) of each tab."""
    text = page.read_text(encoding="utf-8")
    sets = []
    for start in TAB_SET.finditer(text):
        end = text.find('<div class="sd-tab-set', start.end())
        chunk = text[start.end() : end if end != -1 else len(text)]
        tabs = re.findall(
            r'<input (checked="checked" )?id="[^"]+" name="[^"]+" type="radio">\s*'
            r'<label [^>]*data-sync-id="(\w+)"[^>]*>\s*([^<]*?)\s*</label>',
            chunk,
        )
        sets.append([(method, label, bool(checked)) for checked, method, label in tabs])
    return sets


def worker_events(lines: list[str]) -> list[tuple[str, str]]:
    return [m.groups() for m in map(WORKER_LINE.match, lines) if m]


def test_landing_page_links_every_lesson(site):
    out = site.html / "en"
    index = (out / "index.html").read_text(encoding="utf-8")
    for lesson in sorted((ROOT / "examples").glob("*/plot_*.py")):
        assert f'href="lessons/{lesson.parent.name}/{lesson.stem}.html"' in index


CARD = re.compile(
    r'<div class="mpdocs-lesson-card docutils container">\s*'
    r'<img alt="" class="only-light" loading="lazy" src="([^"]+)" />\s*'
    r'<img alt="" class="only-dark" loading="lazy" src="([^"]+)" />\s*'
    r'<p class="mpdocs-card-title"><a [^>]*href="([^"]+)"[^>]*>(.*?)</a></p>\s*'
    r'<p class="mpdocs-card-summary">(.*?)</p>\s*</div>',
    re.S,
)
LESSONS = sorted((ROOT / "examples").glob("*/plot_*.py"))


def cards(page: Path) -> list[tuple[str, str, str, str, str]]:
    """(light thumbnail, dark thumbnail, link, title, summary) of each lesson card on ``page``."""
    return CARD.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("language", "script"), [("en", r"[A-Za-z]"), ("zh_CN", r"[\u4e00-\u9fff]")])
def test_lessons_are_listed_as_the_same_cards_everywhere(site, language, script):
    out = site.html / language
    listings = {
        out / "index.html": ("lessons/", LESSONS),
        out / "lessons" / "index.html": ("", LESSONS),
        **{
            out / "lessons" / section.name / "index.html": ("", [p for p in LESSONS if p.parent == section])
            for section in sorted({p.parent for p in LESSONS})
        },
    }
    summaries: dict[str, set[str]] = {}
    for page, (prefix, lessons) in listings.items():
        found = cards(page)
        here = page.parent.relative_to(out).as_posix()
        expected = [
            f"{prefix}{p.parent.name}/{p.stem}.html" if here in (".", "lessons") else f"{p.stem}.html"
            for p in lessons
        ]
        assert [href for _, _, href, _, _ in found] == expected, page
        text = page.read_text(encoding="utf-8")
        assert "sphx-glr-thumbcontainer" not in text, f"{page}: sphinx-gallery's thumbnails are still there"
        for light, dark, href, title, summary in found:
            assert (page.parent / light).is_file(), light
            assert (page.parent / dark).is_file(), dark
            assert light.endswith("_thumb.png") or light.endswith(f"_thumb.{language}.png"), light
            assert "_thumb-dark" in dark, dark
            assert re.search(script, title), (href, title)
            plain = html.unescape(re.sub(r"<[^>]+>", "", summary))
            assert re.search(script, plain), (href, summary)
            assert len(plain) <= 120, (href, plain)
            summaries.setdefault(href.rsplit("/", 1)[-1], set()).add(plain)
    # One summary per lesson, the same wherever its card is.
    assert len(summaries) == len(LESSONS)
    assert all(len(texts) == 1 for texts in summaries.values()), summaries


def test_the_manager_card_says_what_the_manager_lesson_teaches(site):
    manager = [c for c in cards(site.html / "en" / "index.html") if "plot_06_manager" in c[2]]
    [(_, _, _, _, summary)] = manager
    assert "manager" in summary, summary
    assert "Value and Array" not in summary, summary


def test_dark_thumbnails_are_drawn_dark(site):
    from PIL import Image

    for thumbnail in sorted((site.html / "en" / "_images").glob("sphx_glr_*_thumb-dark.png")):
        with Image.open(thumbnail) as image:
            corner = image.convert("RGB").getpixel((1, 1))
        assert sum(corner) < 150, f"{thumbnail.name}: {corner}"


def test_apply_async_page_shows_worker_lines_three_at_a_time(site):
    out = site.html / "en"
    page = out / "lessons" / "02_pools" / "plot_02_apply_async.html"
    first = outputs(page)[0]
    events = worker_events(first)
    assert len(events) == 18
    assert [kind for kind, _ in events[:3]] == ["start"] * 3
    assert first[-1] == "main end"
    text = page.read_text(encoding="utf-8")
    assert re.search(r"measured: \d+\.\d\d s, ideal: 3 s", text)
    assert "ValueError: Pool is still running" in text
    assert 'src="../../_images/sphx_glr_plot_02_apply_async_001.png"' in text


def test_apply_page_alternates_start_and_end(site):
    out = site.html / "en"
    page = out / "lessons" / "02_pools" / "plot_03_apply.html"
    first = outputs(page)[0]
    assert worker_events(first) == [(kind, f"hello{i}") for i in range(1, 10) for kind in ("start", "end")]
    assert first[-1] == "main end"
    text = page.read_text(encoding="utf-8")
    assert re.search(r"measured: \d+\.\d\d s, ideal: 9 s", text)
    assert 'src="../../_images/sphx_glr_plot_03_apply_001.png"' in text


def test_manager_page_shows_the_shared_dict_and_list(site):
    out = site.html / "en"
    first = outputs(out / "lessons" / "01_processes" / "plot_06_manager.html")[0]
    assert first == [str({f"key{i}": f"val{i}" for i in range(1, 6)}), "[11, 12, 13, 14, 15]"]


def test_dask_pages_show_a_local_cluster_and_its_timings(site):
    # The build runs the Dask lessons on the LocalCluster they start themselves.
    section = site.html / "en" / "lessons" / "03_beyond_one_machine"
    # On a loaded machine Dask may also log that a worker's event loop was unresponsive.
    first = outputs(section / "plot_02_dask_client.html")[0]
    [connected] = [line for line in first if line.startswith("connected to ")] or [f"(none in {first})"]
    assert re.fullmatch(r"connected to tcp://127\.0\.0\.1:\d+, a LocalCluster this script started", connected)
    timings = [line for block in outputs(section / "plot_04_dask_overhead.html") for line in block]
    names = [line.split(":")[0] for line in timings if re.search(r": (\d+\.\d\d s(, )?){3}$", line)]
    assert names == ["Pool", "ProcessPoolExecutor", "Dask, 2 worker threads"]
    for language, suffix in (("en", ".png"), ("zh_CN", ".zh_CN.png")):
        page = (
            site.html / language / "lessons" / "03_beyond_one_machine" / "plot_04_dask_overhead.html"
        ).read_text(encoding="utf-8")
        assert f"sphx_glr_plot_04_dask_overhead_001{suffix}" in page


def test_pool_pages_carry_their_timeline_figure(site):
    out = site.html / "en"
    for lesson in ("plot_02_apply_async", "plot_03_apply"):
        assert (out / "_images" / f"sphx_glr_{lesson}_001.png").stat().st_size > 5_000


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_lesson_shows_a_figure_of_its_run_and_a_thumbnail_drawn_from_it(site, language, tmp_path):
    from sphinx_gallery.utils import scale_image

    out = site.html / language
    suffix = "" if language == "en" else f".{language}"
    # What sphinx-gallery shows for a lesson that drew nothing, at the site's thumbnail size.
    placeholder = tmp_path / "placeholder.png"
    no_image = Path(sphinx_gallery.__file__).parent / "_static" / "no_image.png"
    scale_image(no_image, placeholder, 400, 280)
    for lesson in sorted((ROOT / "examples").glob("*/plot_*.py")):
        page = (out / "lessons" / lesson.parent.name / f"{lesson.stem}.html").read_text(encoding="utf-8")
        figure = rf'<img [^>]*src="[^"]*sphx_glr_{lesson.stem}_\d+{re.escape(suffix)}\.png"'
        assert re.search(figure, page), f"{language}: {lesson.name} shows no figure"
        assert 'class="mpdocs-figure only-light"' in page, f"{language}: {lesson.name}"
        thumbnail = out / "_images" / f"sphx_glr_{lesson.stem}_thumb{suffix}.png"
        assert thumbnail.read_bytes() != placeholder.read_bytes(), f"{language}: {lesson.name}: placeholder"


SIDEBAR_DOWNLOAD = re.compile(r'<a download href="([^"]+)"[^>]*>\s*<i [^>]*></i>\s*([^<]+?)\s*</a>')


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_lesson_page_has_sections_and_its_downloads_in_the_sidebar(site, language):
    for lesson in sorted((ROOT / "examples").glob("*/plot_*.py")):
        page = site.html / language / "lessons" / lesson.parent.name / f"{lesson.stem}.html"
        text = page.read_text(encoding="utf-8")
        article = text[text.index('<article class="bd-article">') : text.index("</article>")]
        headings = re.findall(r"<h2>(.*?)<a class=\"headerlink\"", article)
        # A reader navigates by them: a few, and no more than a catalogue of pitfalls needs.
        assert 3 <= len(headings) <= 7, f"{language}: {lesson.name} has {len(headings)} sections"
        toc = re.search(r'<nav [^>]*class="page-toc"[^>]*>(.*?)</nav>', text, re.S)
        assert toc, f"{lesson.name}: no page TOC"
        assert len(re.findall(r"<a ", toc.group(1))) >= len(headings), f"{lesson.name}: {toc.group(1)}"
        sidebar = text[text.index('class="bd-sidebar-secondary') :]
        downloads = SIDEBAR_DOWNLOAD.findall(sidebar)
        assert [Path(href).name for href, _ in downloads] == [lesson.name, f"{lesson.stem}.ipynb"]
        for href, label in downloads:
            assert (page.parent / href).is_file(), href
            assert CHINESE.search(label) if language == "zh_CN" else label.startswith("Download"), label
        assert "_sources/" not in text, f"{lesson.name} links its generated reST source"


def test_download_note_sits_under_the_title(site):
    for language in LANGUAGES:
        for lesson in sorted((ROOT / "examples").glob("*/plot_*.py")):
            page = site.html / language / "lessons" / lesson.parent.name / f"{lesson.stem}.html"
            text = page.read_text(encoding="utf-8")
            # Right under the title: before the lesson's first paragraph.
            h1, note = text.find("<h1>"), text.find("sphx-glr-download-link-note")
            assert 0 < h1 < note < text.find("<p>", h1), f"{language}: {lesson.name}"


def test_downloads_are_the_lessons_as_written(site):
    out = site.html / "en"
    for lesson in sorted((ROOT / "examples").glob("*/plot_*.py")):
        downloads = list((out / "_downloads").rglob(lesson.name))
        assert downloads, f"no download for {lesson.name}"
        assert all(d.read_bytes() == lesson.read_bytes() for d in downloads)
        notebooks = list((out / "_downloads").rglob(f"{lesson.stem}.ipynb"))
        assert notebooks
        assert all("mpdocs" not in n.read_text() for n in notebooks)


# -- both languages ------------------------------------------------------------------
def pages(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("**/*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def test_lessons_ran_once_per_start_method_for_both_languages(site):
    logs = site.logs
    order = start_methods.run_order()
    for lesson in sorted((ROOT / "examples").glob("*/plot_*.py")):
        runs = re.findall(rf"mpdocs: running {re.escape(lesson.name)} \((\w+),", logs["en"])
        assert runs == list(order), lesson.name
    assert "mpdocs: running" not in logs["zh_CN"]


def test_both_languages_have_the_same_pages_with_the_right_lang(site):
    html_root = site.html
    en = [p.relative_to(html_root / "en") for p in pages(html_root / "en")]
    zh = [p.relative_to(html_root / "zh_CN") for p in pages(html_root / "zh_CN")]
    assert en == zh
    for language, tag in (("en", "en"), ("zh_CN", "zh-CN")):
        for page in pages(html_root / language):
            assert f'<html lang="{tag}"' in page.read_text(encoding="utf-8"), page


def test_language_switch_leads_to_the_same_page(site):
    html_root = site.html
    for language, other in (("en", "zh_CN"), ("zh_CN", "en")):
        for page in pages(html_root / language):
            text = page.read_text(encoding="utf-8")
            # The theme repeats the navbar in the sidebar it shows on narrow screens.
            links = set(re.findall(r'class="mpdocs-language-link" href="([^"]+)" hreflang="([^"]+)"', text))
            assert len(links) == 1, page
            href, hreflang = links.pop()
            assert hreflang == other.replace("_", "-")
            if page.name == "404.html":
                # Served in place of a missing page at any depth: absolute, under the site's base.
                assert href == f"{SITE_BASE}{other}/404.html", href
                target = (html_root / href.removeprefix(SITE_BASE)).resolve()
            else:
                assert not href.startswith(("/", "http")), href
                target = (page.parent / href).resolve()
            assert target == (html_root / other / page.relative_to(html_root / language)).resolve()
            assert target.is_file()


HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CHINESE = re.compile(f"[{HAN}]")


def test_root_page_links_both_languages_and_names_the_site_in_both(site):
    root = (site.html / "index.html").read_text(encoding="utf-8")
    assert 'href="en/index.html"' in root
    assert 'href="zh_CN/index.html"' in root
    assert "navigator.languages" in root
    assert (site.html / ".nojekyll").exists()
    title = re.search(r"<title>(.*?)</title>", root).group(1)
    heading = re.search(r"<h1>(.*?)</h1>", root, re.S).group(1)
    for text in (title, heading):
        assert "Python multiprocessing, by example" in text
        assert CHINESE.search(text), f"no Chinese in {text!r}"
    assert '<span lang="zh-CN">' in heading


def test_every_page_has_a_favicon_that_exists(site):
    for page in [site.html / "index.html", *pages(site.html / "en"), *pages(site.html / "zh_CN")]:
        icon = re.search(r'<link rel="icon" href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert icon, f"{page.relative_to(site.html)} has no favicon"
        if page.name == "404.html":  # served at any depth: its links are absolute, under SITE_BASE
            assert icon.group(1).startswith(SITE_BASE), icon.group(1)
            assert (site.html / icon.group(1).removeprefix(SITE_BASE)).is_file()
        else:
            assert (page.parent / icon.group(1)).is_file(), f"{page}: {icon.group(1)}"
    root_404 = (site.html / "404.html").read_text(encoding="utf-8")
    assert re.search(rf'<link rel="icon" href="{SITE_BASE}en/_static/[^"]+"', root_404)


def test_each_language_has_its_own_not_found_page_with_absolute_links(site):
    for language, tag, heading in (("en", "en", "Page not found"), ("zh_CN", "zh-CN", "页面未找到")):
        page = site.html / language / "404.html"
        text = page.read_text(encoding="utf-8")
        assert f'<html lang="{tag}"' in text
        assert re.search(rf"<h1>{heading}<", text), page
        # Served in place of a missing page at any depth: no link may be relative.
        links = re.findall(r'(?:href|src)="([^"#][^"]*)"', text)
        assert links
        relative = [link for link in links if not link.startswith((SITE_BASE, "https://"))]
        assert relative == [], f"{language}: {relative}"
        assert f'href="{SITE_BASE}{language}/_static/styles/pydata-sphinx-theme.css' in text
    assert "Page not found" not in visible_text(site.html / "zh_CN" / "404.html")


def test_root_not_found_page_speaks_both_languages(site):
    page = (site.html / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in page
    assert "页面未找到" in page
    assert '<section lang="zh-CN">' in page
    links = re.findall(r'href="([^"]*)"', page)
    assert f"{SITE_BASE}en/index.html" in links
    assert f"{SITE_BASE}zh_CN/search.html" in links
    assert all(link.startswith(SITE_BASE) for link in links), links
    assert "<script" not in page


ENGLISH_BOILERPLATE = (
    "Go to the end",
    "to download the full example code",
    "Total running time of the script",
    "minutes",
    "seconds",
    "Download Python source code",
    "Download Jupyter notebook",
    "Download zipped",
    "Gallery generated by Sphinx-Gallery",
    "Color mode",
    "Search the docs",
    "System Settings",
    "Copyright",
    "Created using",
    "Built with",
    "authors",
    "Show Source",
    "Page not found",
)
#: Latin words a Chinese page's footer may show: the names of the tools and the project.
FOOTER_NAMES = re.compile(r"PyData Sphinx Theme|Sphinx|mp-lessons|[\d.]+")


def visible_text(page: Path) -> str:
    """The page's text outside code, output and scripts."""
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style|pre|code)\b.*?</\1>", "", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def test_no_english_boilerplate_on_any_chinese_page(site):
    problems = []
    for page in pages(site.html / "zh_CN"):
        name = page.relative_to(site.html).as_posix()
        text = visible_text(page)
        problems += [f"{name}: {english!r}" for english in ENGLISH_BOILERPLATE if english in text]
        footer = re.search(
            r'<footer class="bd-footer">(.*?)</footer>', page.read_text(encoding="utf-8"), re.S
        )
        footer_text = html.unescape(
            re.sub(r"<[^>]+>", " ", re.sub(r"<!--.*?-->", "", footer.group(1), flags=re.S))
        )
        if re.search(r"[A-Za-z]", FOOTER_NAMES.sub("", footer_text)):
            problems.append(f"{name}: English in the footer: {' '.join(footer_text.split())!r}")
        if re.search(r"[!,:;]|\.(\s|$)|\d[\u4e00-\u9fff]", " ".join(footer_text.split())):
            problems.append(f"{name}: footer punctuation: {' '.join(footer_text.split())!r}")
    assert not problems, "\n".join(problems)


def test_no_page_links_to_its_generated_source(site):
    # A lesson's download is its source; the generated reST behind a page is English on
    # every language's pages and no use to a reader.
    for language in ("en", "zh_CN"):
        for page in pages(site.html / language):
            text = page.read_text(encoding="utf-8")
            assert "_sources/" not in text, page
            assert "显示源代码" not in text, page


def test_running_time_reads_as_chinese(site):
    for page in sorted((site.html / "zh_CN" / "lessons").glob("*/plot_*.html")):
        text = page.read_text(encoding="utf-8")
        assert re.search(r"<strong>脚本总运行时间：</strong>\d+ 分 [\d.]+ 秒</p>", text), page.name


#: Whitespace between an emphasis, strong text or link and the Chinese text next to it:
#: a Chinese (or full-width punctuation) character outside, one inside, and a gap between.
CJK = HAN + "\u3000-\u303f\uff01-\uff60"
_TAGS = r"(?:<[^>]+>)*"
GAP_BEFORE = re.compile(rf"[{CJK}][ \t\r\n]+{_TAGS}<(?:em|strong|a)\b[^>]*>{_TAGS}[{CJK}]")
GAP_AFTER = re.compile(rf"[{CJK}]{_TAGS}</(?:em|strong|a)>{_TAGS}[ \t\r\n]+[{CJK}]")


def gaps_around_inline_markup(text: str) -> list[str]:
    text = re.sub(r"<(script|style|pre)\b.*?</\1>", "", text, flags=re.S)
    found = [*GAP_BEFORE.finditer(text), *GAP_AFTER.finditer(text)]
    return [re.sub(r"<[^>]+>", "", text[m.start() - 8 : m.end() + 8]) for m in found]


def test_gaps_around_inline_markup_are_found():
    assert gaps_around_inline_markup("给其他每个进程一个 <em>代理</em>，由代理") != []
    assert gaps_around_inline_markup("调度器</em> 分派任务") != []
    assert gaps_around_inline_markup('（参见 <a href="x"><span>选择 chunksize</span></a>）') != []
    # A digit after the gap: test_running_time_reads_as_chinese checks that line.
    assert gaps_around_inline_markup("<strong>脚本总运行时间：</strong> 0 分") == []
    # Chinese next to code or Latin text keeps its space: the catalogs' house style.
    assert gaps_around_inline_markup('调用 <a href="x"><code>close()</code></a> 之后') == []
    assert gaps_around_inline_markup("一个<em>代理</em>，由代理") == []


def test_no_space_between_chinese_text_and_its_emphasis_or_links(site):
    problems = []
    for page in pages(site.html / "zh_CN"):
        gaps = gaps_around_inline_markup(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(site.html).as_posix()}: {gap!r}" for gap in gaps]
    assert not problems, "\n".join(problems)


#: Elements that end one run of text a reader sees and start another (or hold none).
BLOCK = re.compile(
    r"</?(?:address|article|aside|blockquote|br|button|caption|dd|details|div|dl|dt|figcaption|figure"
    r"|footer|form|h[1-6]|header|hr|img|input|label|li|link|main|meta|nav|ol|option|p|section|select"
    r"|summary|table|tbody|td|th|thead|title|tr|ul)\b[^>]*>"
    # A toggle's labels, one shown at a time ("收起侧边栏" or "展开侧边栏").
    r'|<span [^>]*class="[^"]*-label\b[^>]*>'
)
#: Attributes whose value a reader sees or hears: tooltips, alt text, labels, descriptions.
SHOWN_ATTRIBUTE = re.compile(r'\s(?:title|alt|aria-label|tooltip|placeholder|content)="([^"]*)"')
CJK_GAP = re.compile(rf"[{CJK}][ \t\r\n]+[{CJK}]")


def chinese_gaps(page_html: str) -> list[str]:
    """Whitespace between two Chinese characters (or full-width punctuation) in any text the
    page shows: its prose, headings, navigation, link texts, tooltips and alt texts."""
    text = re.sub(r"<(script|style|pre|code)\b.*?</\1>|<!--.*?-->", "\x00", page_html, flags=re.S)
    runs = [*SHOWN_ATTRIBUTE.findall(text), *BLOCK.split(re.sub(SHOWN_ATTRIBUTE, "", text))]
    found = []
    for run in runs:
        run = html.unescape(re.sub(r"<[^>]+>", "", run))
        found += [run[max(m.start() - 8, 0) : m.end() + 8] for m in CJK_GAP.finditer(run)]
    return found


def test_chinese_gaps_are_found():
    assert chinese_gaps("<p>其他进程持有的是 代理，每个操作</p>") != []
    assert chinese_gaps('<div class="card"><p>调度器 分派任务</p></div>') != []
    assert chinese_gaps('<img alt="一个 代理。" src="x.png">') != []
    assert chinese_gaps('<a title="链接 到此">#</a>') != []
    # Chinese next to Latin text or code keeps its space; separate blocks are separate texts.
    assert chinese_gaps("<p>调用 <code>close()</code> 之后，fork 服务进程</p>") == []
    assert chinese_gaps("<li>第一课</li>\n<li>第二课</li><h2>标题</h2>\n<p>段落</p>") == []
    toggle = '<span class="x-collapse-label">收起</span>\n<span class="x-expand-label">展开</span>'
    assert chinese_gaps(toggle) == []


def test_no_gap_between_chinese_characters_anywhere_a_page_shows_text(site):
    """Pages, the landing page's cards, navigation, tooltips and alt texts all get the spacing
    of mpdocs.i18n.cjk_spacing, whichever part of the build wrote them."""
    problems = []
    for page in [site.html / "index.html", site.html / "404.html", *pages(site.html / "zh_CN")]:
        gaps = chinese_gaps(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(site.html).as_posix()}: {gap!r}" for gap in gaps]
    assert not problems, "\n".join(problems)


def test_chinese_tooltips_are_labels_without_a_full_stop(site):
    problems = []
    for page in pages(site.html / "zh_CN"):
        tooltips = re.findall(r'\stitle="([^"]*。)"', page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(site.html).as_posix()}: {t!r}" for t in sorted(set(tooltips))]
    assert not problems, "\n".join(problems)


def test_chinese_lesson_page_is_chinese_but_its_code_and_output_are_not(site):
    html_root = site.html
    page = Path("lessons") / "02_pools" / "plot_02_apply_async.html"
    zh = (html_root / "zh_CN" / page).read_text(encoding="utf-8")
    en = (html_root / "en" / page).read_text(encoding="utf-8")
    assert re.search(r"<h1>[^<]*[\u4e00-\u9fff]", zh), "the title is not Chinese"
    # Code and captured output are the same characters in both languages.
    assert re.findall(r"<pre>.*?</pre>", zh, re.S) == re.findall(r"<pre>.*?</pre>", en, re.S)
    text = visible_text(html_root / "zh_CN" / page)
    for english in ENGLISH_BOILERPLATE:
        assert english not in text, f"{english!r} on the Chinese page"
    assert 'src="../../_images/sphx_glr_plot_02_apply_async_001.zh_CN.png"' in zh
    alt = re.search(r'<img [^>]*src="[^"]*001\.zh_CN\.png"[^>]* alt="([^"]*)"', zh).group(1)
    assert re.search(r"[\u4e00-\u9fff]", alt), f"alt text not translated: {alt!r}"


def test_chinese_figures_are_drawn_anew(site):
    images = site.html / "zh_CN" / "_images"
    for lesson in ("plot_02_apply_async", "plot_03_apply"):
        zh = images / f"sphx_glr_{lesson}_001.zh_CN.png"
        en = site.html / "en" / "_images" / f"sphx_glr_{lesson}_001.png"
        assert zh.stat().st_size > 5_000
        assert zh.read_bytes() != en.read_bytes()


def test_chinese_cards_read_as_chinese(site):
    for page in ("index.html", "lessons/index.html", "lessons/04_in_practice/index.html"):
        found = cards(site.html / "zh_CN" / page)
        assert found, page
        for _, _, _, title, summary in found:
            for text in (title, summary):
                plain = html.unescape(re.sub(r"<[^>]+>", "", text))
                # No reST left, and no gap where markup was next to Chinese.
                assert not re.search(r"``|:[a-z]+:`|`_|\*|\\|~\w", plain), f"{page}: reST in {plain!r}"
                assert not re.search(f"[{CJK}] +[{CJK}]", plain), f"{page}: a gap in {plain!r}"
        for english in ENGLISH_BOILERPLATE:
            assert english not in visible_text(site.html / "zh_CN" / page), page


def test_output_label_and_site_title_are_translated(site):
    zh = site.html / "zh_CN"
    page = (zh / "lessons" / "02_pools" / "plot_02_apply_async.html").read_text(encoding="utf-8")
    assert 'href="../../_static/mpdocs-gallery.css' in page
    css = (zh / "_static" / "mpdocs-gallery.css").read_text(encoding="utf-8")
    assert re.search(r'div\.sphx-glr-script-out::before \{ content: "[^"]*[\u4e00-\u9fff]', css)
    title = re.search(r'<p class="title logo__title">(.*?)</p>', page)
    assert title is not None
    # A phone shows the title's first word; the rest is a part of its own (site.css).
    assert re.fullmatch(
        r'multiprocessing<span class="mpdocs-title-rest"> [\u4e00-\u9fff]+</span>', title.group(1)
    )
    assert "mpdocs-gallery.css" not in (site.html / "en" / "index.html").read_text(encoding="utf-8")


def test_every_lesson_page_says_once_what_produced_it(site):
    python = r"CPython 3\.14\.\d+\S*"  # the Python most readers run, whose Linux default is forkserver
    first, second, third = start_methods.run_order()
    sentences = {
        "en": rf"Output and figures of {python} on [^,<]+, \d+ CPUs\. The lesson ran once under each "
        rf"start method, one after another: {first}, {second}, {third}\. .* the page shows the {first} run, "
        r"this Python.s default, which also drew the figures\.",  # an apostrophe, curled or not
        "zh_CN": rf"本页的输出和图来自 {python}（[^（）<]+，\d+ 个 CPU）。"
        rf".*{first}、{second}、{third}.*{first}",
    }
    for language, sentence in sentences.items():
        pages = sorted((site.html / language / "lessons").glob("*/plot_*.html"))
        assert pages
        for page in pages:
            text = page.read_text(encoding="utf-8")
            assert len(re.findall(sentence, text)) == 1, f"{language}: {page.name}"
            printed = [
                line
                for method in start_methods.run_order()
                for block in outputs(page, method)
                for line in block
            ]
            assert not [line for line in printed if "needs Python 3.14" in line], f"{language}: {page.name}"


# -- outputs by start method ----------------------------------------------------------------
START_METHODS_PAGE = Path("lessons") / "01_processes" / "plot_02_start_methods.html"


def test_outputs_that_differ_by_start_method_show_a_tab_each(site):
    page = site.html / "en" / START_METHODS_PAGE
    sets = tab_labels(page)
    assert sets, "the start-methods lesson prints its default method: its outputs must differ"
    order = start_methods.run_order()
    for tabs in sets:
        assert [method for method, _, _ in tabs] == list(order)
        assert [label for _, label, _ in tabs] == [start_methods.label(m) for m in order]
        # The build Python's default is the tab a reader sees first.
        assert [method for method, _, selected in tabs if selected] == [order[0]]
    for method in order:
        defaults = [line for block in outputs(page, method) for line in block if line.startswith("default:")]
        assert defaults, f"no default: line under {method}"
        assert {line.split()[-1] for line in defaults} == {repr(method)}, defaults


def test_outputs_that_agree_show_one_block(site):
    page = site.html / "en" / "lessons" / "01_processes" / "plot_06_manager.html"
    assert tab_labels(page) == []
    assert len(outputs(page)) == len(OUTPUT_BLOCK.findall(page.read_text(encoding="utf-8")))


def test_tab_labels_speak_the_page_s_language(site):
    en = tab_labels(site.html / "en" / START_METHODS_PAGE)
    zh = tab_labels(site.html / "zh_CN" / START_METHODS_PAGE)
    assert [[m for m, _, _ in tabs] for tabs in zh] == [[m for m, _, _ in tabs] for tabs in en]
    for tabs in zh:
        for method, label, _ in tabs:
            assert label.startswith(f"{method} · "), label
            assert re.search(r"[\u4e00-\u9fff]|macOS、Windows", label), label


# -- the end of a lesson, its plotting code, what a page loads --------------------------------
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_lesson_ends_with_two_compact_downloads_and_no_signature(site, language):
    for lesson in LESSONS:
        page = site.html / language / "lessons" / lesson.parent.name / f"{lesson.stem}.html"
        text = page.read_text(encoding="utf-8")
        footer = text[text.index("sphx-glr-footer-example") :]
        footer = footer[: footer.index("</section>")]
        links = re.findall(r'<a class="reference download internal" download="" href="([^"]+)"', footer)
        assert [Path(link).name for link in links] == [lesson.name, f"{lesson.stem}.ipynb"], lesson.name
        assert ".zip" not in text, lesson.name
        assert "sphx-glr-signature" not in text, lesson.name
        assert not list((site.html / language / "_downloads").rglob(f"{lesson.stem}.zip"))


def test_the_last_lesson_leads_on_to_all_the_lessons(site):
    last = LESSONS[-1]
    for language in LANGUAGES:
        text = (site.html / language / "lessons" / last.parent.name / f"{last.stem}.html").read_text(
            encoding="utf-8"
        )
        nav = re.search(r'<a class="right-next"\s+href="([^"]+)"', text)
        assert nav, f"{language}: the last lesson has no next page"
        assert nav.group(1) == "../index.html", nav.group(1)


FOLD = re.compile(r'<details class="mpdocs-plot-code"><summary>([^<]*)</summary>\s*(.*?)</details>', re.S)


@pytest.mark.parametrize(
    ("language", "summary"),
    [("en", r"Code that draws the figure, (\d+) lines"), ("zh_CN", r"绘制此图的代码，共 (\d+) 行")],
)
def test_the_code_that_draws_the_figure_is_folded_and_whole(site, language, summary):
    for lesson in LESSONS:
        text = (site.html / language / "lessons" / lesson.parent.name / f"{lesson.stem}.html").read_text(
            encoding="utf-8"
        )
        folds = FOLD.findall(text)
        cells = lesson.read_text(encoding="utf-8").count("    plt.show()")
        assert len(folds) == cells, f"{language}: {lesson.name}: {len(folds)} folded of {cells}"
        for title, code in folds:
            lines = int(re.fullmatch(summary, title).group(1))
            shown = html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<pre>(.*?)</pre>", code, re.S).group(1)))
            assert len(shown.rstrip("\n").splitlines()) == lines
            assert "plt.show()" in shown
            # The code on the page is the lesson's, line for line; the figure is outside the fold.
            assert all(line in lesson.read_text(encoding="utf-8") for line in shown.splitlines())
            assert "mpdocs-figure" not in code


def test_pages_load_no_icon_script_and_the_search_index_only_to_search(site):
    for language in LANGUAGES:
        for page in pages(site.html / language):
            text = page.read_text(encoding="utf-8")
            assert "fontawesome.js" not in text, page
            search = page.name == "search.html"
            assert ("searchindex.js" in text) == search, page


def test_the_icon_font_holds_every_icon_the_pages_use_and_no_more(site):
    import pydata_sphinx_theme
    from fontTools.ttLib import TTFont

    from mpdocs.pages import page_weight

    for language in LANGUAGES:
        out = site.html / language
        css = (out / page_weight.THEME_CSS).read_text(encoding="utf-8")
        classes = set()
        for page in pages(out):
            classes |= set(re.findall(r'class="[^"]*\b(fa-[a-z0-9-]+)', page.read_text(encoding="utf-8")))
        theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
        with TTFont(theme / "static" / page_weight.SOLID_FONT.relative_to("_static")) as original:
            solid = set(original.getBestCmap())
        wanted = page_weight.icon_characters(css, classes) & solid  # brand icons are in another font
        assert len(wanted) > 10
        font = out / page_weight.SOLID_FONT
        with TTFont(font) as subset:
            have = set(subset.getBestCmap())
        assert wanted <= have, sorted(hex(point) for point in wanted - have)
        assert font.stat().st_size < 20_000, font.stat().st_size


def test_outputs_that_are_tables_scroll_and_other_lines_hang(site):
    speedup = (site.html / "en" / "lessons" / "02_pools" / "plot_10_speedup.html").read_text(encoding="utf-8")
    blocks = re.findall(
        r'<div class="(sphx-glr-script-out[^"]*)"><div class="highlight"><pre>(.*?)</pre>', speedup, re.S
    )
    tables = [body for classes, body in blocks if "mpdocs-out-table" in classes]
    assert any("speed-up" in body for body in tables)
    lines = [body for classes, body in blocks if "mpdocs-out-table" not in classes]
    assert all(body.startswith('<span class="mpdocs-line"') for body in lines if body.strip())


def test_chinese_pages_say_that_only_the_figures_are_translated(site):
    for language, count in (("en", 0), ("zh_CN", 1)):
        for lesson in LESSONS:
            text = (site.html / language / "lessons" / lesson.parent.name / f"{lesson.stem}.html").read_text(
                encoding="utf-8"
            )
            notes = re.findall(r'<p class="mpdocs-translated-figures">([^<]*)</p>', text)
            assert len(notes) == count, f"{language}: {lesson.name}"
            if notes:
                assert "英文原版" in notes[0]
