"""The site as readers meet it: Debian's chromium, driven by Playwright, over HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from urllib.parse import urlsplit

import pytest
from conftest import build_site

from mpdocs.execution import platform_default_start_method

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("MPDOCS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory, platform_default_start_method())


@pytest.fixture(scope="module")
def base_url(site):
    handler = functools.partial(_QuietHandler, directory=str(site.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
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
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        yield browser
        browser.close()


class Page:
    """A browser tab that records console errors, failed requests and requests leaving 127.0.0.1."""

    def __init__(self, browser, locale: str = "en-US"):
        self.context = browser.new_context(locale=locale)
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda request: self.errors.append(f"failed: {request.url}"))
        self.context.route("**/*", self._route)

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
    # searchtools.js titles the results "Searching" (translated) until it has finished.
    tab.page.wait_for_function(
        "() => { const title = document.querySelector('#search-results h2');"
        " return title && title.textContent !== Documentation.gettext('Searching'); }"
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
    ],
)
def test_search_finds_the_lessons(tab, base_url, language, query, expected):
    links = search_results(tab, f"{base_url}/{language}/search.html?q={query}")
    found = {re.sub(r"\.html.*$", "", link).rsplit("/", 1)[-1] for link in links}
    assert expected <= found, f"{query!r} found {sorted(found)}"
    assert tab.errors == []


@pytest.mark.parametrize("query", ["数据库连接", "进程池数据库"])
def test_search_for_words_the_site_never_uses_finds_nothing(tab, base_url, query):
    # 数据库 holds 数据, which the site does use: a fragment must not match.
    assert search_results(tab, f"{base_url}/zh_CN/search.html?q={query}") == []


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
        assert tab.errors == []
    finally:
        tab.close()
