"""The site as readers meet it: Debian's chromium, driven by Playwright, over HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import re
import subprocess
import sys
import threading
import urllib.request
from urllib.parse import parse_qs, urldefrag, urljoin, urlsplit

import pytest
from conftest import ROOT, SITE_BASE, build_site

from mpdocs.run import start_methods
from mpdocs.testing import CHROMIUM, CHROMIUM_ARGS, reader_env, run

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory)


@pytest.fixture(scope="module")
def base_url(site):
    handler = functools.partial(_SiteHandler, directory=str(site.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{SITE_BASE.rstrip('/')}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """The site under SITE_BASE, as a static host serves a project's site under a sub-path.

    A missing page answers 404 with a 404 page: its language's own under that
    language's folder (as Read the Docs serves each language's project), the
    root one elsewhere (as GitHub Pages does everywhere).
    """

    def translate_path(self, path):
        path = urlsplit(path).path
        if not path.startswith(SITE_BASE):
            return os.path.join(self.directory, "not-under-the-site-base")
        return super().translate_path("/" + path.removeprefix(SITE_BASE))

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        language = urlsplit(self.path).path.removeprefix(SITE_BASE).split("/")[0]
        page = os.path.join(self.directory, language, "404.html")
        if not language or not os.path.isfile(page):
            page = os.path.join(self.directory, "404.html")
        with open(page, "rb") as file:
            body = file.read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"chromium not found at {CHROMIUM}; set MPDOCS_CHROMIUM")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=list(CHROMIUM_ARGS), timeout=60_000
        )
        yield browser
        browser.close()


class Page:
    """A browser tab that records console errors, failed requests and requests leaving 127.0.0.1."""

    def __init__(self, browser, locale: str = "en-US", color_scheme: str = "light"):
        self.context = browser.new_context(locale=locale, color_scheme=color_scheme)
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("requestfailed", self._failed)
        self.context.route("**/*", self._route)

    def _failed(self, request):
        # A request the page itself cut short by leaving (a favicon still loading when a
        # test clicks a link) is not a broken resource.
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"failed: {request.url}: {request.failure}")

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _route(self, route):
        if urlsplit(route.request.url).hostname != "127.0.0.1":
            self.errors.append(f"left 127.0.0.1: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser):
    page = Page(browser)
    yield page
    page.close()


def search_results(tab: Page, url: str) -> list[str]:
    tab.page.goto(url)
    # searchtools.js retitles the results "Search Results" (translated) once the last one is
    # listed; until then the title is "Searching" followed by pulsing dots.
    tab.page.wait_for_function(
        "() => { const title = document.querySelector('#search-results h2');"
        " return title && title.textContent === Documentation.gettext('Search Results'); }"
    )
    return tab.page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("en", "apply_async", {"plot_02_apply_async", "plot_03_apply"}),
        ("zh_CN", "进程池", {"plot_02_apply_async", "plot_03_apply"}),
        ("zh_CN", "使用进程池", {"plot_02_apply_async", "plot_03_apply"}),
        ("zh_CN", "如何使用进程池", {"plot_02_apply_async", "plot_03_apply"}),
        ("zh_CN", "阻塞", {"plot_03_apply"}),
        ("en", "SharedMemory", {"plot_05_shared_memory", "plot_10_cost_of_sharing"}),
        ("zh_CN", "共享内存", {"plot_04_value_and_array", "plot_05_shared_memory"}),
        # The shared-memory lesson is indexed with 共享内存块, the dictionary's longer word:
        # a reader's 共享内存, or 内存块, is inside it, next to English words or not.
        ("zh_CN", "共享内存 SharedMemory", {"plot_05_shared_memory"}),
        ("zh_CN", "共享内存SharedMemory", {"plot_05_shared_memory"}),
        ("zh_CN", "共享内存 unlink", {"plot_05_shared_memory"}),
        ("zh_CN", "共享内存块", {"plot_05_shared_memory"}),
        ("zh_CN", "内存块", {"plot_05_shared_memory"}),
        ("zh_CN", "进程池 apply_async", {"plot_02_apply_async"}),
        ("zh_CN", "进程池apply_async", {"plot_02_apply_async"}),
    ],
)
def test_search_finds_the_lessons(tab, base_url, language, query, expected):
    links = search_results(tab, f"{base_url}/{language}/search.html?q={query}")
    found = {re.sub(r"\.html.*$", "", link).rsplit("/", 1)[-1] for link in links}
    assert expected <= found, f"{query!r} found {sorted(found)}"
    assert tab.errors == []


# A Chinese term and the English identifier of the same thing, as Chinese readers type them,
# and the lesson that teaches it (its page holds both). Several terms are compounds that jieba
# would cut into a word and a single character (保护块, 预加载, 合并器): the search dictionary
# (docs/_search/zh_userdict.txt) keeps them whole.
MIXED_QUERIES = [
    ("启动方法", "forkserver", "plot_02_start_methods"),
    ("信号量", "Semaphore", "plot_09_synchronisation"),
    ("栅栏", "Barrier", "plot_09_synchronisation"),
    ("条件变量", "Condition", "plot_09_synchronisation"),
    ("分块", "chunksize", "plot_05_chunksize"),
    ("管理器", "SyncManager", "plot_07_managers_in_depth"),
    ("资源追踪器", "resource_tracker", "plot_05_shared_memory"),
    ("进度条", "tqdm", "plot_07_progress_bars"),
    ("初始化函数", "initializer", "plot_01_share_with_pool_workers"),
    ("守护进程", "daemon", "plot_08_nested_and_unpicklable"),
    ("监听器", "QueueListener", "plot_04_logging"),
    ("亲和性", "sched_setaffinity", "plot_05_how_many_workers"),
    ("写时复制", "gc.freeze", "plot_06_read_only_data"),
    ("预加载", "set_forkserver_preload", "plot_09_programs_that_ship"),
    ("保护块", "freeze_support", "plot_09_programs_that_ship"),
    ("合并器", "combiner", "plot_10_word_count"),
]


def typed_both_ways(chinese: str, english: str) -> list[str]:
    """Either order, with a space and without."""
    return [f"{chinese} {english}", f"{english} {chinese}", f"{chinese}{english}", f"{english}{chinese}"]


@pytest.mark.parametrize(
    ("query", "lesson"),
    [
        (query, lesson)
        for chinese, english, lesson in MIXED_QUERIES
        for query in typed_both_ways(chinese, english)
    ],
)
def test_a_chinese_term_with_an_english_identifier_finds_its_lesson(tab, base_url, query, lesson):
    assert lesson in lessons_found(tab, base_url, query), query
    assert tab.errors == []


def test_a_query_typed_in_full_width_finds_its_lesson(tab, base_url):
    # A Chinese input method in full-width mode: full-width letters and a full-width space.
    assert "plot_02_start_methods" in lessons_found(tab, base_url, "启动方法\u3000ｆｏｒｋｓｅｒｖｅｒ")


@pytest.mark.parametrize(("language", "other"), [("zh_CN", "en"), ("en", "zh_CN")])
def test_language_switch_on_the_search_page_keeps_the_query(tab, base_url, language, other):
    search_results(tab, f"{base_url}/{language}/search.html?q=进程池")
    links = tab.page.eval_on_selector_all("a.mpdocs-language-link", "links => links.map(a => a.href)")
    assert links
    for link in links:
        url = urlsplit(link)
        assert url.path == urlsplit(f"{base_url}/{other}/search.html").path, link
        assert parse_qs(url.query) == {"q": ["进程池"]}, link
    tab.page.click(f'a.mpdocs-language-link[hreflang="{other.replace("_", "-")}"] >> visible=true')
    tab.page.wait_for_url(re.compile(rf"/{other}/search\.html\?q="))
    assert tab.errors == []


@pytest.mark.parametrize("query", ["数据仓库", "进程池数据仓库", "共享内存 数据仓库", "数据仓库 unlink"])
def test_search_for_words_the_site_never_uses_finds_nothing(tab, base_url, query):
    # 数据仓库 holds 数据, which the site does use: a fragment must not match.
    assert search_results(tab, f"{base_url}/zh_CN/search.html?q={query}") == []


def lessons_found(tab: Page, base_url: str, query: str) -> set[str]:
    links = search_results(tab, f"{base_url}/zh_CN/search.html?q={query}")
    return {re.sub(r"\.html.*$", "", link).rsplit("/", 1)[-1] for link in links}


def search_snippets(tab: Page) -> list[str]:
    return tab.page.eval_on_selector_all(
        "#search-results ul.search li p.context", "ps => ps.map(p => p.textContent)"
    )


@pytest.mark.parametrize(("language", "query"), [("en", "pool"), ("zh_CN", "进程池")])
def test_search_lists_the_pages_named_by_the_query_first_with_snippets_of_their_text(
    tab, base_url, language, query
):
    links = search_results(tab, f"{base_url}/{language}/search.html?q={query}")
    titles = tab.page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.textContent)"
    )
    assert len(links) > 5
    # Every page whose title holds the query comes before every page that only mentions it.
    named = [query.lower() in title.lower() for title in titles]
    assert named[0], titles
    assert named == sorted(named, reverse=True), titles
    # Snippets come from the pages' text, not their breadcrumbs or download note.
    # The breadcrumbs' first item stands alone on its line; the download note is one sentence.
    furniture = re.compile(r"^[.…\s]*(?:(?:Lessons|课程)\s*\n|Go to the end|跳转到末尾)")
    snippets = search_snippets(tab)
    assert snippets
    assert not [s for s in snippets if furniture.match(s)], snippets
    assert tab.errors == []


def test_every_chinese_word_of_a_mixed_query_is_required(tab, base_url):
    # Both lessons on shared memory mention unlink; only one of them a block's name (名称),
    # a two-character word that searchtools.js alone would make optional.
    both = lessons_found(tab, base_url, "共享内存 unlink")
    assert {"plot_05_shared_memory", "plot_10_cost_of_sharing"} <= both
    named = lessons_found(tab, base_url, "共享内存 unlink 名称")
    assert "plot_05_shared_memory" in named
    assert "plot_10_cost_of_sharing" not in named
    assert "plot_10_cost_of_sharing" not in lessons_found(tab, base_url, "unlink 名称")


@pytest.mark.parametrize(
    ("start", "other"),
    [("en", "zh_CN"), ("zh_CN", "en")],
)
def test_language_switch_lands_on_the_same_page(tab, base_url, start, other):
    page = "lessons/02_pools/plot_02_apply_async.html"
    tab.page.goto(f"{base_url}/{start}/{page}")
    tab.page.click("a.mpdocs-language-link")
    tab.page.wait_for_load_state()
    assert tab.page.url == f"{base_url}/{other}/{page}"
    assert tab.page.get_attribute("html", "lang") == other.replace("_", "-")
    tab.page.click("a.mpdocs-language-link")
    tab.page.wait_for_load_state()
    assert tab.page.url == f"{base_url}/{start}/{page}"
    assert tab.errors == []


@pytest.mark.parametrize(("locale", "language"), [("zh-CN", "zh_CN"), ("en-GB", "en"), ("fr-FR", "en")])
def test_root_page_sends_visitors_to_their_language(browser, base_url, locale, language):
    tab = Page(browser, locale=locale)
    try:
        tab.page.goto(f"{base_url}/")
        tab.page.wait_for_url(f"{base_url}/{language}/**")
        assert tab.page.get_attribute("html", "lang") == language.replace("_", "-")
        assert tab.errors == []  # the redirect may abort the root page's own load: not an error
    finally:
        tab.close()


# -- a missing page -----------------------------------------------------------------------
def _broken_links(tab: Page) -> list[str]:
    """The page's links, images, stylesheets and scripts on this site that do not answer 200."""
    targets = tab.page.eval_on_selector_all(
        "a[href], img[src], link[href], script[src]", "nodes => nodes.map(n => n.href || n.src)"
    )
    here = urldefrag(tab.page.url)[0]  # the missing page: its own anchors (#main-content) point here
    local = [urldefrag(t)[0] for t in targets if urlsplit(t).hostname == "127.0.0.1"]
    assert [url for url in local if url != here]
    return [url for url in local if url != here and _fetch(url)[0] != 200]


@pytest.mark.parametrize(
    ("missing", "language", "heading"),
    [
        ("zh_CN/lessons/02_pools/plot_99_gone.html", "zh_CN", "页面未找到"),
        ("en/lessons/no/such/folder/page.html", "en", "Page not found"),
    ],
)
def test_a_missing_page_shows_the_theme_s_404_page_in_its_language(tab, base_url, missing, language, heading):
    response = tab.page.goto(f"{base_url}/{missing}", wait_until="networkidle")
    assert response.status == 404
    assert tab.page.get_attribute("html", "lang") == language.replace("_", "-")
    assert tab.page.locator("article h1").inner_text().rstrip("#").strip() == heading
    # Styled and working from any depth: every link, stylesheet and script answers.
    assert _broken_links(tab) == []
    assert tab.page.evaluate(
        "() => [...document.styleSheets].some(s => s.href && s.href.includes('pydata-sphinx-theme.css'))"
    )
    tab.page.locator("article p a").first.click()
    tab.page.wait_for_load_state()
    assert tab.page.url == f"{base_url}/{language}/index.html"
    assert [e for e in tab.errors if "404" not in e] == []


def test_a_missing_page_outside_the_languages_shows_both(tab, base_url):
    response = tab.page.goto(f"{base_url}/no/such/page.html", wait_until="networkidle")
    assert response.status == 404
    headings = tab.page.locator("h1").all_inner_texts()
    assert headings == ["Page not found", "页面未找到"]
    assert _broken_links(tab) == []
    tab.page.locator('section[lang="zh-CN"] a').first.click()
    tab.page.wait_for_load_state()
    assert tab.page.url == f"{base_url}/zh_CN/index.html"


# -- Chinese typography ---------------------------------------------------------------------
def test_chinese_emphasis_is_upright_and_heavier_not_slanted(tab, base_url):
    page = "lessons/01_processes/plot_06_manager.html"
    style = "() => { const s = getComputedStyle(document.querySelector('article p em'));"
    style += " return [s.fontStyle, Number(s.fontWeight)]; }"
    tab.page.goto(f"{base_url}/zh_CN/{page}")
    assert tab.page.inner_text("article p em") == "代理"
    zh_style, zh_weight = tab.page.evaluate(style)
    tab.page.goto(f"{base_url}/en/{page}")
    en_style, en_weight = tab.page.evaluate(style)
    assert (zh_style, en_style) == ("normal", "italic")
    assert zh_weight > en_weight
    assert tab.errors == []


def test_copy_button_speaks_chinese_with_chinese_punctuation(browser, base_url):
    tab = Page(browser, locale="zh-CN")
    try:
        origin = f"{urlsplit(base_url).scheme}://{urlsplit(base_url).netloc}"
        tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        tab.page.goto(f"{base_url}/zh_CN/lessons/02_pools/plot_02_apply_async.html")
        button = tab.page.locator("button.copybtn").first
        assert button.get_attribute("data-tooltip") == "复制"
        assert button.locator("svg title").text_content() == "复制到剪贴板"
        button.scroll_into_view_if_needed()
        button.hover()
        button.click()
        tab.page.wait_for_function("() => document.querySelector('button.copybtn.success')")
        assert button.get_attribute("data-tooltip") == "已复制"
        assert button.locator("svg title").text_content() == "已复制"
        assert tab.errors == []
    finally:
        tab.close()


# -- every page -------------------------------------------------------------------------
class _Anchors(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name in {"id", "name"} and value)


@functools.cache
def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            text = body.decode("utf-8", "replace") if url.endswith((".html", "/")) else ""
            return response.status, text
    except urllib.error.HTTPError as error:
        return error.code, ""


def _anchors(url: str) -> set[str]:
    parser = _Anchors()
    parser.feed(_fetch(url)[1])
    return parser.ids


def site_pages(site) -> list[str]:
    return sorted(
        p.relative_to(site.html).as_posix()
        for language in ("en", "zh_CN")
        for p in (site.html / language).glob("**/*.html")
        if not {"_static", "_sources", "_downloads"} & set(p.parts)
    )


def test_every_page_loads_cleanly_and_its_links_and_images_resolve(tab, site, base_url):
    problems = []
    for page in site_pages(site):
        tab.errors.clear()
        tab.page.goto(f"{base_url}/{page}")
        problems += [f"{page}: {error}" for error in tab.errors]
        targets = tab.page.eval_on_selector_all(
            "a[href], img[src]", "nodes => nodes.map(n => n.href || n.src)"
        )
        for target in targets:
            if urlsplit(target).hostname != "127.0.0.1":
                continue
            url, fragment = urldefrag(target)
            status, _ = _fetch(url)
            if status != 200:
                problems.append(f"{page}: {target} answers {status}")
            elif fragment and url.endswith(".html") and fragment not in _anchors(url):
                problems.append(f"{page}: {target} has no #{fragment}")
    assert not problems, "\n".join(problems)


def test_language_switch_on_every_page(site):
    """Every page's switch links to the same page in the other language.

    The switch is a plain link (only the search page's script adds the query to it, tested
    above), so its target is read from each page's HTML; clicking it is tested above.
    """
    problems = []
    for page in site_pages(site):
        language, rest = page.split("/", 1)
        other = "zh_CN" if language == "en" else "en"
        found = re.search(r'<a class="mpdocs-language-link" href="([^"]*)"', (site.html / page).read_text())
        # Served under the site's base path, where the 404 pages' absolute links point too.
        target = urljoin(f"http://site{SITE_BASE}{page}", html.unescape(found[1])) if found else None
        if target != f"http://site{SITE_BASE}{other}/{rest}" or not (site.html / other / rest).is_file():
            problems.append(f"{page} -> {target}")
    assert not problems, "\n".join(problems)


# -- copying code -------------------------------------------------------------------------
def copy_code_blocks(browser, url: str) -> list[str]:
    """Click every copy button of the page and return what each put on the clipboard."""
    tab = Page(browser)
    try:
        origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
        tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        tab.page.goto(url)
        # A reader opens the folded plotting code to copy it.
        tab.page.evaluate(
            "() => document.querySelectorAll('details.mpdocs-plot-code').forEach(d => d.open = true)"
        )
        copied = []
        buttons = tab.page.locator("button.copybtn")
        for i in range(buttons.count()):
            block = buttons.nth(i)
            block.scroll_into_view_if_needed()
            block.hover()
            block.click()
            copied.append(tab.page.evaluate("() => navigator.clipboard.readText()"))
        assert tab.errors == []
        return copied
    finally:
        tab.close()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_copied_lesson_code_runs(browser, base_url, tmp_path, language):
    url = f"{base_url}/{language}/lessons/02_pools/plot_02_apply_async.html"
    blocks = copy_code_blocks(browser, url)
    quick_reference, *cells = blocks
    for code in blocks:
        assert not re.search(r"^(>>>|\.\.\.) ", code, re.M), f"prompts were copied: {code!r}"
        assert "#######start" not in code.replace('print(f"#######start', ""), "output was copied"
    assert "1024" not in quick_reference.splitlines(), "the doctest's output was copied"
    script = tmp_path / "copied.py"
    script.write_text("\n\n".join(cells), encoding="utf-8")
    lesson = ROOT / "examples" / "02_pools" / "plot_02_apply_async.py"
    result, leftovers = run([sys.executable, str(script)], timeout=120, env=reader_env(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "main end" in result.stdout.splitlines()
    assert leftovers == []
    # The copied cells are the lesson's code, cell for cell.
    assert all(cell.strip() in lesson.read_text(encoding="utf-8") for cell in cells)
    # The quick reference is for the >>> prompt: pasted there, it runs (as a script it would need
    # the main guard under spawn and forkserver, like any code that starts processes).
    pasted = subprocess.run(
        [sys.executable, "-q", "-i"],
        input=quick_reference + "\n\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=reader_env(),
        cwd=tmp_path,
    )
    assert "Traceback" not in pasted.stderr, pasted.stderr
    assert "1024" in pasted.stdout.split(), pasted.stdout


def _shown_default(tab: Page) -> str:
    """The start method of the ``default:`` line a reader sees in the page's first tab set of outputs."""
    shown = tab.page.eval_on_selector(
        ".mpdocs-start-method-tabs",
        "set => [...set.querySelectorAll('.sd-tab-content')].filter(c => c.offsetParent !== null)"
        ".map(c => c.innerText).join('\\n')",
    )
    [line] = [line for line in shown.splitlines() if line.startswith("default:")]
    return line.split()[-1].strip("'")


def test_a_start_method_chosen_on_one_page_shows_on_the_next(tab, base_url):
    # Both lessons print their default start method, so their outputs have a tab per method.
    first = f"{base_url}/en/lessons/01_processes/plot_02_start_methods.html"
    second = f"{base_url}/en/lessons/04_in_practice/plot_05_how_many_workers.html"
    default = start_methods.platform_default()
    tab.page.goto(first)
    assert _shown_default(tab) == default
    other = next(m for m in start_methods.run_order() if m != default)
    tab.page.click(f".mpdocs-start-method-tabs label[data-sync-id='{other}']")
    assert _shown_default(tab) == other
    tab.page.goto(second)
    checked = tab.page.eval_on_selector_all(
        ".mpdocs-start-method-tabs input:checked + label", "labels => labels.map(l => l.dataset.syncId)"
    )
    assert checked, "the next page shows no tabs of outputs"
    assert set(checked) == {other}, checked
    tab.page.goto(first)  # and back, the choice still holds
    assert _shown_default(tab) == other
    assert tab.errors == []
