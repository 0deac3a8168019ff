"""The site's layout on a phone and on a desktop, in Debian's chromium: nothing wider than
the screen, figures whose text can be read, and figures that follow the theme."""

from __future__ import annotations

import json
import re

import pytest
from test_browser import base_url, browser, site, site_pages  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# The smallest print of the pages themselves at 390 px: pydata-sphinx-theme's
# footer and breadcrumbs, 0.75rem = 12 CSS px. No figure text may be smaller.
SMALLEST_TEXT_PX = 12.0


def new_tab(browser, viewport, scheme="light", scale=2):  # noqa: F811
    context = browser.new_context(viewport=viewport, device_scale_factor=scale, color_scheme=scheme)
    context.set_default_timeout(20_000)
    return context, context.new_page()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_page_is_wider_than_the_screen(browser, site, base_url, viewport):  # noqa: F811
    context, page = new_tab(browser, viewport)
    wide = []
    for path in site_pages(site):
        page.goto(f"{base_url}/{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide.append(f"{path}: {overflow} px wider than the screen")
        if viewport is DESKTOP:
            # Lessons are formatted to 79 columns: the code column holds them.
            clipped = page.eval_on_selector_all(
                "div.highlight-Python pre",
                "blocks => blocks.filter(b => b.scrollWidth > b.clientWidth).length",
            )
            if clipped:
                wide.append(f"{path}: {clipped} code block(s) scroll sideways")
    context.close()
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("width", [320, 390, 960, 1024, 1100, 1199])
def test_site_title_stays_clear_of_the_navigation(browser, base_url, width):  # noqa: F811
    # What follows the title: on a phone the search button, on a small laptop the nav links.
    after = ".navbar-persistent--mobile" if width < 960 else ".navbar-header-items__center"
    context, page = new_tab(browser, {"width": width, "height": 800})
    for language in ("en", "zh_CN"):
        page.goto(f"{base_url}/{language}/lessons/02_pools/plot_02_apply_async.html")
        title = page.locator(".navbar-brand .title").bounding_box()
        nav = page.locator(after).first.bounding_box()
        assert title["x"] + title["width"] <= nav["x"], (language, title, nav)
    context.close()


def visible_figures(page) -> list[dict]:
    """For each figure the page shows: the file the browser chose, its size and its text size."""
    for picture in page.locator("a.mpdocs-figure:visible picture").all():
        picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('a.mpdocs-figure img')]"
        ".filter(i => i.offsetParent).every(i => i.complete && i.naturalWidth > 0)"
    )
    return page.eval_on_selector_all(
        "a.mpdocs-figure picture",
        """pictures => pictures.filter(p => p.querySelector('img').offsetParent).map(p => {
            const img = p.querySelector('img');
            return {file: img.currentSrc.split('/').pop(), shown: img.clientWidth,
                    variants: p.dataset.mpdocsVariants, not_for_phones: p.dataset.mpdocsNotForPhones,
                    href: p.parentElement.href};
        })""",
    )


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_figure_text_is_no_smaller_than_the_page_text_on_a_phone(browser, site, base_url, language):  # noqa: F811
    context, page = new_tab(browser, PHONE)
    small, seen = [], 0
    for path in site_pages(site):
        if not path.startswith(f"{language}/lessons/") or path.endswith("index.html"):
            continue
        page.goto(f"{base_url}/{path}")
        for figure in visible_figures(page):
            seen += 1
            if figure["not_for_phones"]:
                continue  # drawn for a desktop: test_every_lesson_page_reads_on_a_phone names it
            variant = json.loads(figure["variants"])[figure["file"]]
            # points -> the file's pixels (dpi / 72) -> CSS pixels (shown width / file width)
            px = variant["text_pt"] * variant["dpi"] / 72 * figure["shown"] / variant["width"]
            if px < SMALLEST_TEXT_PX:
                small.append(f"{path}: {figure['file']} draws text at {px:.1f} CSS px")
            if "-phone" not in figure["file"]:
                small.append(f"{path}: a phone was given {figure['file']}")
    context.close()
    assert seen > 0
    assert not small, "\n".join(small)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_figures_follow_the_theme_and_open_full_size(browser, base_url, scheme):  # noqa: F811
    context, page = new_tab(browser, DESKTOP, scheme=scheme)
    page.goto(f"{base_url}/en/lessons/02_pools/plot_10_speedup.html")
    [figure] = visible_figures(page)
    assert ("-dark" in figure["file"]) == (scheme == "dark"), figure
    assert figure["file"].endswith("-2x.png"), figure  # a 2x screen gets the sharp file
    full = page.request.get(figure["href"])
    assert full.ok
    assert full.headers["content-type"] == "image/png"
    context.close()


def lesson_pages(site, language: str) -> list[str]:  # noqa: F811
    return [
        path
        for path in site_pages(site)
        if path.startswith(f"{language}/lessons/") and path.rsplit("/", 1)[-1].startswith("plot_")
    ]


#: Figures that no automatic phone layout fits, so phones get the desktop figure (tap to open it
#: full size): figure -> why. A figure missing here that falls back fails the test, and so does
#: one listed here that no longer does.
PHONE_FALLBACKS = {
    "sphx_glr_plot_08_nested_and_unpicklable_001": "a tree of eight labelled processes side by side",
}


TAB_LABELS = ".mpdocs-start-method-tabs label"
#: For each output block that is a table: how it wraps, and how many lines it has and shows.
#: A table in a start method's tab that is not selected has no layout: it is measured when its
#: own tab is the one selected (the tests below select each in turn).
TABLE_ROWS = """blocks => blocks.filter(pre => pre.getClientRects().length > 0).map(pre => {
    const style = getComputedStyle(pre);
    const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    return {
        whiteSpace: style.whiteSpace, overflowX: style.overflowX,
        lines: pre.textContent.replace(/\\n$/, "").split("\\n").length,
        rows: Math.round((pre.scrollHeight - padding) / parseFloat(style.lineHeight)),
        wider: pre.scrollWidth > pre.clientWidth,
    };
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_lesson_page_reads_on_a_phone(browser, site, base_url, language, scheme):  # noqa: F811
    """At 390 px, on every lesson page: each figure a phone is given is the phone's own and passes
    the build's layout check (no text past its edge, no text on other text); each output that is a
    table keeps its rows and scrolls sideways; nothing is wider than the screen."""
    context, page = new_tab(browser, PHONE, scheme=scheme)
    problems, figures, tables = [], 0, 0
    for path in lesson_pages(site, language):
        page.goto(f"{base_url}/{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{path}: {overflow} px wider than the screen")
        for figure in visible_figures(page):
            figures += 1
            variant = json.loads(figure["variants"])[figure["file"]]
            if ("-dark" in figure["file"]) != (scheme == "dark"):
                problems.append(f"{path}: the {scheme} theme shows {figure['file']}")
            name = re.sub(r"(\.\w+)?(-dark)?(-2x)?\.png$", "", figure["file"])
            if bool(figure["not_for_phones"]) != (name in PHONE_FALLBACKS):
                problems.append(f"{path}: {figure['file']}, not for phones: {figure['not_for_phones']}")
            problems += [f"{path}: {figure['file']}: {problem}" for problem in variant["layout"]]
        methods = page.eval_on_selector_all(TAB_LABELS, "ls => [...new Set(ls.map(l => l.dataset.syncId))]")
        for method in [None, *methods]:
            if method:  # every tab of the start-method group shows this method's output
                page.locator(f"{TAB_LABELS}[data-sync-id='{method}']").first.click()
            for table in page.eval_on_selector_all(".sphx-glr-script-out.mpdocs-out-table pre", TABLE_ROWS):
                tables += 1
                if table["whiteSpace"] != "pre" or table["rows"] != table["lines"]:
                    problems.append(f"{path} ({method or 'default'} tab): a table wraps: {table}")
                if table["wider"] and table["overflowX"] not in ("auto", "scroll"):
                    problems.append(f"{path} ({method or 'default'} tab): a table is cut off: {table}")
    context.close()
    assert figures >= len(lesson_pages(site, language))
    assert tables > 0
    assert not problems, "\n".join(problems)
