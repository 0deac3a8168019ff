"""What mpdocs does to the pages it writes: outputs, folded plotting code, lighter heads."""

from __future__ import annotations

import html
import re

import pytest

from mpdocs.pages import inline_code, outputs, page_weight, plot_code

SPEEDUP = """\
                       small results              4 MB results
workers    loop    pool  speed-up    loop    pool  speed-up
      1   91 ms   95 ms     0.93x   90 ms  219 ms     0.41x
      2   92 ms   52 ms     1.72x   97 ms  168 ms     0.66x
small results: best 1.72x with 2 workers, 86% of the ideal 2x
"""
LOG = """\
   stdout | 2026-12-07 10:00:01 INFO worker: task 1 started in the worker process with a long line
   stdout | 2026-12-07 10:00:02 INFO worker: task 2 started
main: all tasks done
"""


def block(text: str) -> str:
    """An output block as Sphinx writes sphinx-gallery's output (Pygments' empty span first)."""
    return (
        '<div class="sphx-glr-script-out highlight-none notranslate"><div class="highlight">'
        f"<pre><span></span>{html.escape(text)}</pre></div>\n</div>"
    )


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<pre>(.*?)</pre>", markup, re.S).group(1)))


@pytest.mark.parametrize(("text", "table"), [(SPEEDUP, True), (LOG, False), ("main end\n", False)])
def test_outputs_with_columns_are_tables(text, table):
    assert outputs.is_table(text) is table


def test_a_table_keeps_its_lines_and_is_marked_to_scroll():
    page = f"<p>before</p>{block(SPEEDUP)}<p>after</p>"
    rewritten = outputs.rewrite_outputs(page)
    assert 'class="sphx-glr-script-out highlight-none notranslate mpdocs-out-table"' in rewritten
    assert "mpdocs-line" not in rewritten
    assert text_of(rewritten) == SPEEDUP


def test_other_output_lines_hang_their_continuations_under_their_own_text():
    rewritten = outputs.rewrite_outputs(block(LOG))
    assert "mpdocs-out-table" not in rewritten
    lines = re.findall(r'<span class="mpdocs-line"( style="[^"]*")?>(.*?)</span>', rewritten, re.S)
    assert [html.unescape(line) for _, line in lines] == [line + "\n" for line in LOG.splitlines()]
    # "   stdout |" lines hang under their text, 3 spaces in, plus the hanging indent.
    assert [style for style, _ in lines] == [' style="--mpdocs-hang:5ch"'] * 2 + [""]
    assert text_of(rewritten) == LOG


def test_output_blocks_inside_tabs_are_rewritten_too():
    tabs = f'<div class="sd-tab-set"><div class="sd-tab-content">{block(SPEEDUP)}</div>{block(LOG)}</div>'
    rewritten = outputs.rewrite_outputs(tabs)
    assert rewritten.count("mpdocs-out-table") == 1
    assert rewritten.count('class="mpdocs-line"') == 3


PLOTTING = """\
if __name__ == "__main__":
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot(sizes, seconds)
    plt.show()
"""


@pytest.mark.parametrize(
    ("code", "folded"),
    [
        (PLOTTING, True),
        (PLOTTING.replace("    plt.show()", '    print("done")\n    plt.show()'), False),
        ('if __name__ == "__main__":\n    print(pool.map(f, range(3)))\n', False),
        ("import matplotlib.pyplot as plt\n", False),
    ],
)
def test_the_cell_that_draws_the_figure_is_the_one_folded(code, folded):
    assert plot_code.draws_the_figure(code) is folded


HEAD = """\
  <script defer src="../_static/scripts/fontawesome.js?digest=75c7"></script>
  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=75c7" />
    <script src="../_static/searchtools.js"></script>
    <script src="../_static/language_data.js"></script>
    <script src="../searchindex.js"></script>
    <script src="../_static/copybutton.js?v=1"></script>
"""


def test_pages_load_neither_the_icon_script_nor_the_search_index():
    head = str(page_weight.without_unused_scripts(HEAD, "lessons/02_pools/plot_02_apply_async"))
    assert "fontawesome.js" not in head
    assert "searchindex.js" not in head
    assert "searchtools.js" not in head
    assert "language_data.js" not in head
    assert "bootstrap.js" in head
    assert "copybutton.js" in head


def test_the_search_page_keeps_its_search_scripts():
    head = str(page_weight.without_unused_scripts(HEAD, "search"))
    assert "fontawesome.js" not in head
    assert "searchindex.js" in head
    assert "searchtools.js" in head


THEME_CSS = (
    '.fa-arrow-up{--fa:"\\f062"}.fa-house,.fa-home{--fa:"\\f015"}.fa-star{--fa:"\\f005"}'
    'html{--pst-icon-bell:"\uf0f3";--pst-icon-angle-right:"\uf105"}'
)


def test_the_icon_font_keeps_the_icons_the_pages_and_the_stylesheet_use():
    points = page_weight.icon_characters(THEME_CSS, {"fa-arrow-up", "fa-home", "fa-solid", "fa-lg"})
    assert points == {0xF062, 0xF015, 0xF0F3, 0xF105}


def test_the_root_not_found_page_offers_each_language_s_home_and_search(tmp_path):
    from mpdocs.i18n.languages import write_root

    for code, title, placeholder in (
        ("en", "multiprocessing, by example", "Search the docs ..."),
        ("zh_CN", "multiprocessing 示例教程", "搜索文档……"),
    ):
        (tmp_path / code).mkdir()
        header = (
            f'<p class="title logo__title">{title}</p>'
            f'<form action="/repo/{code}/search.html"><input type="search"\n  class="form-control"\n'
            f'  name="q"\n  placeholder="{placeholder}"/></form>'
        )
        article = '<article class="bd-article"><h1>{}</h1>{}</article>'
        (tmp_path / code / "index.html").write_text(header + article.format(title, ""), encoding="utf-8")
        back = f'<p>Back <a href="/repo/{code}/index.html">home</a>.</p>'
        (tmp_path / code / "404.html").write_text(
            header + article.format(f"404 {code}", back), encoding="utf-8"
        )
    write_root(tmp_path, {"en": "English", "zh_CN": "简体中文"}, base="/repo/")
    page = (tmp_path / "404.html").read_text(encoding="utf-8")
    zh = page[page.index('<section lang="zh-CN">') :]
    assert '<p class="wordmark"><a href="/repo/zh_CN/index.html">multiprocessing 示例教程</a></p>' in zh
    assert '<form action="/repo/zh_CN/search.html" method="get" role="search">' in zh
    assert 'placeholder="搜索文档……"' in zh
    assert '<form action="/repo/en/search.html"' in page[: page.index('<section lang="zh-CN">')]


def test_short_inline_code_stays_whole_and_long_code_may_break():
    words = '<span class="pre">if</span> <span class="pre">__name__</span>'
    guard = f'<code class="docutils literal notranslate">{words}</code>'
    long = '<code class="docutils literal notranslate">' + '<span class="pre">word</span> ' * 8 + "</code>"
    rewritten = inline_code.keep_short_chips_whole(f"<p>{guard} and {long}</p>")
    assert rewritten.count("mpdocs-nowrap") == 1
    assert 'class="docutils literal notranslate mpdocs-nowrap"><span class="pre">if</span>' in rewritten
    assert inline_code.keep_short_chips_whole(rewritten) == rewritten
