"""axe-core, in Debian's chromium, on the built site: no serious or critical violation."""

from __future__ import annotations

import pytest
from test_browser import Page, base_url, browser, site, site_pages  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

#: One page of each kind the site has. Dark mode changes colours only, and pages of a kind
#: share their colours: these are checked in both modes, every other page in light mode.
PAGE_KINDS = {
    "index.html",
    "search.html",
    "404.html",
    "lessons/index.html",
    "lessons/01_processes/index.html",
    "lessons/02_pools/index.html",
    "lessons/03_beyond_one_machine/index.html",
    "lessons/04_in_practice/index.html",
    "lessons/01_processes/plot_06_manager.html",
    "lessons/02_pools/plot_02_apply_async.html",
    "lessons/03_beyond_one_machine/plot_02_dask_client.html",
    "lessons/04_in_practice/plot_06_read_only_data.html",
}


@pytest.mark.parametrize(("scheme", "pages"), [("light", "every page"), ("dark", "one page of each kind")])
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_no_serious_accessibility_violations(browser, site, base_url, language, scheme, pages):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    checked = [
        page
        for page in site_pages(site)
        if page.startswith(f"{language}/") and (scheme == "light" or page.split("/", 1)[1] in PAGE_KINDS)
    ]
    assert {page.split("/", 1)[1] for page in checked} >= PAGE_KINDS, checked
    axe, tab, serious = Axe(), Page(browser, color_scheme=scheme), []
    for page in checked:
        tab.page.goto(f"{base_url}/{page}")
        assert tab.page.evaluate("document.documentElement.dataset.theme") == scheme, page
        serious += [
            f"{page}: {v['id']} ({v['impact']}): {v['help']} -- {[n['target'] for n in v['nodes']][:3]}"
            for v in axe.run(tab.page, options={"resultTypes": ["violations"]}).response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
    tab.close()
    assert not serious, "\n".join(serious)
