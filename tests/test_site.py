"""The real site, built under each start method, shows what the lessons promise."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from mpdocs.testing import START_METHODS, reader_env, run, sphinx_build

pytestmark = pytest.mark.build

OUTPUT_BLOCK = re.compile(
    r'<div class="sphx-glr-script-out highlight-none notranslate">'
    r'<div class="highlight"><pre>(.*?)</pre>',
    re.S,
)
WORKER_LINE = re.compile(r"^#######(start|end) +(hello\d)########$")


@pytest.fixture(scope="module", params=START_METHODS)
def site(request, tmp_path_factory) -> tuple[str, Path]:
    """The site built from a copy of docs/ and examples/, under one start method."""
    tmp = tmp_path_factory.mktemp(f"site-{request.param}")
    shutil.copytree(
        ROOT / "docs",
        tmp / "docs",
        ignore=shutil.ignore_patterns("lessons", "sg_execution_times.rst"),
    )
    shutil.copytree(ROOT / "examples", tmp / "examples")
    env = reader_env(MPDOCS_START_METHOD=request.param)
    cmd = sphinx_build(str(tmp / "docs"), str(tmp / "html"), "-b", "html")
    result, leftovers = run(cmd, timeout=600, env=env)
    assert result.returncode == 0, result.stderr
    assert leftovers == [], f"processes outlived the build: {leftovers}"
    return request.param, tmp / "html"


def outputs(page: Path) -> list[list[str]]:
    text = page.read_text(encoding="utf-8")
    return [
        html.unescape(re.sub(r"<[^>]+>", "", block)).splitlines()
        for block in OUTPUT_BLOCK.findall(text)
    ]


def worker_events(lines: list[str]) -> list[tuple[str, str]]:
    return [m.groups() for m in map(WORKER_LINE.match, lines) if m]


def test_landing_page_links_every_lesson(site):
    _, out = site
    index = (out / "index.html").read_text(encoding="utf-8")
    for lesson in sorted((ROOT / "examples").glob("*/plot_*.py")):
        assert f'href="lessons/{lesson.parent.name}/{lesson.stem}.html"' in index


def test_apply_async_page_shows_worker_lines_three_at_a_time(site):
    _method, out = site
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
    _, out = site
    page = out / "lessons" / "02_pools" / "plot_03_apply.html"
    first = outputs(page)[0]
    assert worker_events(first) == [
        (kind, f"hello{i}") for i in range(1, 10) for kind in ("start", "end")
    ]
    assert first[-1] == "main end"
    text = page.read_text(encoding="utf-8")
    assert re.search(r"measured: \d+\.\d\d s, ideal: 9 s", text)
    assert 'src="../../_images/sphx_glr_plot_03_apply_001.png"' in text


def test_manager_page_shows_the_shared_dict_and_list(site):
    _, out = site
    first = outputs(out / "lessons" / "01_processes" / "plot_06_manager.html")[0]
    assert first == [str({f"key{i}": f"val{i}" for i in range(1, 6)}), "[11, 12, 13, 14, 15]"]


def test_pool_pages_carry_their_timeline_figure(site):
    _, out = site
    for lesson in ("plot_02_apply_async", "plot_03_apply"):
        assert (out / "_images" / f"sphx_glr_{lesson}_001.png").stat().st_size > 10_000


def test_downloads_are_the_lessons_as_written(site):
    _, out = site
    for lesson in sorted((ROOT / "examples").glob("*/plot_*.py")):
        downloads = list((out / "_downloads").rglob(lesson.name))
        assert downloads, f"no download for {lesson.name}"
        assert all(d.read_bytes() == lesson.read_bytes() for d in downloads)
        notebooks = list((out / "_downloads").rglob(f"{lesson.stem}.ipynb"))
        assert notebooks
        assert all("mpdocs" not in n.read_text() for n in notebooks)
