"""Unit tests of the pieces of mpdocs that need no Sphinx build."""

from __future__ import annotations

import sys

import pytest
from sphinx.errors import ConfigError

from mpdocs.pages import stdlib_links
from mpdocs.run import execution, start_methods
from mpdocs.testing import START_METHODS, page_lines, reader_env, run


def test_unknown_start_method_names_the_valid_ones():
    with pytest.raises(ConfigError, match=r"'thread'.*supports: .*fork.*spawn"):
        start_methods.run_order("thread")


@pytest.mark.parametrize("empty", [None, ""])
def test_no_start_method_means_every_method_the_platform_default_first(empty):
    order = start_methods.run_order(empty)
    assert order[0] == start_methods.platform_default()
    assert sorted(order) == sorted(START_METHODS)


@pytest.mark.parametrize("method", START_METHODS)
def test_a_chosen_start_method_runs_alone(method):
    assert start_methods.run_order(method) == (method,)


def test_python_3_14_on_linux_defaults_to_forkserver():
    # The build runs 3.14; its default is the first run and the selected tab.
    if sys.version_info >= (3, 14) and sys.platform == "linux":
        assert start_methods.run_order()[0] == "forkserver"
    elif sys.platform == "linux":
        assert start_methods.run_order()[0] == "fork"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("pid 4242 ran 0.31 s\n", "pid 17 ran 1.05 s\n"),
        ("<ApplyResult object at 0x7f3a2c>\n", "<ApplyResult object at 0x7f00aa>\n"),
        ("child 1 done\nchild 2 done\n", "child 2 done\nchild 1 done\n"),  # processes race
        ("/tmp/pymp-k2j3h4l5 made\n", "/tmp/pymp-zz81mmq0 made\n"),
        ("block psm_5f2a9c1e\n", "block psm_0b7d33aa\n"),
        ("  1    9 ms  0.95x\n", "  1   12 ms  0.9x\n"),  # a table's columns follow the numbers' widths
    ],
)
def test_what_varies_between_any_two_runs_is_not_a_difference(a, b):
    assert start_methods.same_output([a, b, a])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("default: fork\n", "default: spawn\n"),
        ("Process ForkPoolWorker-1:\n", "Process SpawnPoolWorker-1:\n"),
        ("ok\n", "ok\nTraceback (most recent call last):\n"),
        ("x\n", ""),
        ("a\na\n", "a\n"),
    ],
)
def test_what_the_start_method_changes_is_a_difference(a, b):
    assert not start_methods.same_output([a, a, b])


def test_outputs_that_differ_get_a_tab_per_method_the_default_selected():
    blocks = {
        m: f".. rst-class:: sphx-glr-script-out\n\n .. code-block:: none\n\n    {m} says hi\n"
        for m in START_METHODS
    }
    blocks["spawn"] = ""
    rst = start_methods.tabs_rst(blocks, selected="forkserver")
    assert rst.count(".. tab-item::") == 3
    assert ":sync-group: start-method" in rst
    for method in START_METHODS:
        assert f".. tab-item:: {start_methods.label(method)}\n      :sync: {method}\n" in rst
    assert rst.count(":selected:") == 1
    assert ":sync: forkserver\n      :selected:" in rst
    assert start_methods.NO_OUTPUT in rst
    # What the tests read of such a page: each method's own lines.
    assert page_lines(rst, "fork") == ["fork says hi"]
    assert page_lines(rst, "spawn") == []
    assert page_lines(rst) == page_lines(rst, "forkserver") == ["forkserver says hi"]


def test_every_tab_label_says_where_its_method_is_the_default():
    assert start_methods.label("forkserver") == "forkserver · Linux, Python 3.14+"
    assert start_methods.label("spawn") == "spawn · macOS, Windows"
    assert start_methods.label("fork") == "fork · Linux up to Python 3.13"


@pytest.mark.parametrize("method", START_METHODS)
def test_chosen_method_is_a_default_a_lesson_may_still_override(method):
    other = next(m for m in START_METHODS if m != method)
    for lesson_code, expected in [("", method), (f"mp.set_start_method({other!r})\n", other)]:
        code = "import multiprocessing as mp\n" + lesson_code + "print(mp.get_start_method())"
        result, _ = run([sys.executable, "-c", code], timeout=30, env=reader_env(method))
        assert result.stdout.strip() == expected, result.stderr


def test_the_platform_default_start_method_leaves_the_lesson_environment_alone():
    settings = execution.Settings()
    default = start_methods.platform_default()
    assert "MPDOCS_DEFAULT_START_METHOD" not in settings.lesson_env(default)
    assert "PYTHONPATH" not in settings.lesson_env(default)
    other = next(m for m in START_METHODS if m != default)
    assert settings.lesson_env(other)["MPDOCS_DEFAULT_START_METHOD"] == other


@pytest.mark.parametrize("method", START_METHODS)
def test_test_hook_sets_the_default_start_method_of_a_script(method):
    code = "import multiprocessing as mp; print(mp.get_start_method())"
    result, _ = run([sys.executable, "-c", code], timeout=30, env=reader_env(method))
    assert result.stdout.strip() == method, result.stderr


def test_per_lesson_time_limits():
    settings = execution.Settings(timeout=60, timeouts={"plot_slow.py": 300, "plot_other": 90})
    assert settings.limit_for("/x/examples/a/plot_slow.py") == 300
    assert settings.limit_for("/x/examples/a/plot_other.py") == 90
    assert settings.limit_for("/x/examples/a/plot_fast.py") == 60


@pytest.mark.parametrize(
    ("target", "exists"),
    [
        ("multiprocessing.pool.Pool.apply_async", True),
        ("multiprocessing.managers.SyncManager", True),
        ("concurrent.futures.ProcessPoolExecutor", True),
        ("multiprocessing.Pool.apply_sync", False),
        ("multiprocessing.nonexistent", False),
    ],
)
def test_stdlib_objects_resolve_only_when_they_exist(target, exists):
    assert stdlib_links.resolve_object(target) is exists


@pytest.mark.parametrize(
    ("target", "page"),
    [
        ("multiprocessing.pool.Pool", "multiprocessing"),
        ("multiprocessing.shared_memory.SharedMemory", "multiprocessing.shared_memory"),
        ("concurrent.futures.Executor.map", "concurrent.futures"),
        ("os.getpid", "os"),
        ("multiprocessing.managers.SharedMemoryManager", "multiprocessing.shared_memory"),
    ],
)
def test_stdlib_objects_link_to_the_page_documenting_them(target, page):
    assert stdlib_links.page_for(target) == page


def test_figures_refuse_to_draw_boxes_without_the_cjk_font():
    from sphinx.errors import ExtensionError

    from mpdocs.figures.translate import choose_cjk_font

    with pytest.raises(ExtensionError, match=r"'No Such Font'.*apt-get install fonts-noto-cjk"):
        choose_cjk_font("No Such Font", {"DejaVu Sans", "Noto Sans CJK SC"})
    with pytest.raises(ExtensionError, match=r"none of .*dnf install google-noto-sans-cjk-fonts.*PingFang"):
        choose_cjk_font(None, {"DejaVu Sans", "Liberation Serif"})


@pytest.mark.parametrize(
    ("installed", "chosen"),
    [
        ({"DejaVu Sans", "Noto Sans CJK JP", "Noto Sans CJK SC"}, "Noto Sans CJK SC"),
        ({"DejaVu Sans", "PingFang SC", "Hiragino Sans GB"}, "PingFang SC"),  # macOS
        ({"Arial", "Microsoft YaHei", "SimHei"}, "Microsoft YaHei"),  # Windows
        ({"DejaVu Sans", "WenQuanYi Micro Hei"}, "WenQuanYi Micro Hei"),
    ],
)
def test_figures_use_the_first_cjk_font_the_machine_has(installed, chosen):
    from mpdocs.figures.translate import choose_cjk_font

    assert choose_cjk_font(None, installed) == chosen


@pytest.mark.parametrize(
    ("text", "template", "values"),
    [
        ("measured: 3.09 s", "measured: {} s", ["3.09"]),
        (
            "2 CPUs · Python 3.13.0 · start method: 'fork'",
            "{} CPUs · Python {} · start method: {}",
            ["2", "3.13.0", "'fork'"],
        ),
        ("seconds since the pool was created", "seconds since the pool was created", []),
    ],
)
def test_figure_texts_are_looked_up_by_template(text, template, values):
    from mpdocs.figures.translate import template_of, translate_text

    assert template_of(text) == (template, values)
    translated = translate_text(text, {template: "译" + template})
    assert translated == "译" + text


def test_a_translation_with_the_wrong_placeholders_is_refused():
    from sphinx.errors import ExtensionError

    from mpdocs.figures.translate import translate_text

    with pytest.raises(ExtensionError, match="placeholders"):
        translate_text("measured: 3.09 s", {"measured: {} s": "实测耗时"})


@pytest.mark.parametrize(("rtd", "sphinx"), [("en", "en"), ("zh-cn", "zh_CN"), ("zh-hans", "zh_CN")])
def test_read_the_docs_language_codes_map_to_catalogs(rtd, sphinx):
    from mpdocs.publish.rtd import command

    cmd = command(rtd, "/out")
    assert f"language={sphinx}" in cmd
    assert cmd[-1] == "/out/html"


def test_an_unknown_read_the_docs_language_is_refused():
    from mpdocs.publish.rtd import command

    with pytest.raises(SystemExit, match="'fr'"):
        command("fr", "/out")


@pytest.mark.parametrize(
    ("page", "href"),
    [
        ("index", "../zh_CN/index.html"),
        ("lessons/02_pools/plot_02_apply_async", "../../../zh_CN/lessons/02_pools/plot_02_apply_async.html"),
    ],
)
def test_language_links_are_relative(monkeypatch, page, href):
    from mpdocs.i18n.languages import other_language_href

    monkeypatch.delenv("READTHEDOCS", raising=False)
    assert other_language_href(page, "zh_CN") == href


def test_language_links_on_read_the_docs_cross_projects(monkeypatch):
    from mpdocs.i18n.languages import other_language_href

    monkeypatch.setenv("READTHEDOCS", "True")
    monkeypatch.setenv("READTHEDOCS_VERSION", "latest")
    assert other_language_href("lessons/index", "zh_CN") == "../../../zh-cn/latest/lessons/index.html"


@pytest.mark.parametrize(
    ("base", "code", "root"),
    [
        (None, "zh_CN", "/zh_CN/"),
        ("/mp-lessons/", "en", "/mp-lessons/en/"),
        ("/repo", "zh_CN", "/repo/zh_CN/"),
    ],
)
def test_the_not_found_pages_live_under_the_site_base(monkeypatch, base, code, root):
    from mpdocs.i18n.languages import language_root

    monkeypatch.delenv("READTHEDOCS", raising=False)
    if base is None:
        monkeypatch.delenv("MPDOCS_SITE_BASE", raising=False)
    else:
        monkeypatch.setenv("MPDOCS_SITE_BASE", base)
    assert language_root(code) == root


def test_a_site_base_that_is_not_a_path_from_the_root_is_refused(monkeypatch):
    from mpdocs.i18n.languages import site_base

    monkeypatch.setenv("MPDOCS_SITE_BASE", "mp-lessons/")
    with pytest.raises(ConfigError, match="MPDOCS_SITE_BASE"):
        site_base()


def _built_language(root, code, heading, base):
    article = '<article class="bd-article"><h1>{}<a class="headerlink" href="#x">#</a></h1>{}</article>'
    (root / code).mkdir(parents=True)
    (root / code / "index.html").write_text(article.format(heading, ""), encoding="utf-8")
    link = f'<p>Back <a class="reference internal" href="{base}{code}/index.html">home</a>.</p>'
    (root / code / "404.html").write_text(article.format("404 " + code, link), encoding="utf-8")


def test_the_root_pages_speak_every_language(tmp_path):
    from mpdocs.i18n.languages import write_root

    _built_language(tmp_path, "en", "Python multiprocessing, by example", "/repo/")
    _built_language(tmp_path, "zh_CN", "Python multiprocessing 示例教程", "/repo/")
    write_root(tmp_path, {"en": "English", "zh_CN": "简体中文"}, base="/repo/")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<span lang="zh-CN">Python multiprocessing 示例教程</span>' in index
    not_found = (tmp_path / "404.html").read_text(encoding="utf-8")
    assert '<section lang="zh-CN">\n<h1>404 zh_CN</h1>' in not_found
    assert 'href="/repo/zh_CN/index.html"' in not_found
    assert "headerlink" not in index + not_found


def test_publishing_for_another_site_base_than_the_build_is_refused(tmp_path):
    from mpdocs.i18n.languages import write_root

    _built_language(tmp_path, "en", "Title", "/")
    with pytest.raises(ValueError, match="MPDOCS_SITE_BASE"):
        write_root(tmp_path, {"en": "English"}, base="/repo/")


@pytest.mark.parametrize(
    ("pieces", "verbatim", "closed"),
    [
        # 一个 *代理*，由代理: emphasis between Chinese words and punctuation.
        (["一个 ", "代理", "，由代理"], [], ["一个", "代理", "，由代理"]),
        # （参见 :ref:`选择 chunksize <...>`）: a link; the space inside it is its own text.
        (["（参见 ", "选择 chunksize", "）"], [], ["（参见", "选择 chunksize", "）"]),
        # **1. lambda 无法序列化。** 进程池...: full-width punctuation carries its own space.
        (["1. lambda 无法序列化。", " 进程池要先"], [], ["1. lambda 无法序列化。", "进程池要先"]),
        # Chinese next to code or Latin text keeps its space, as the catalogs write it.
        (["调用 ", "close()", " 之后"], [False, True, False], ["调用 ", "close()", " 之后"]),
        (["由 ", "Sphinx", " 创建"], [], ["由 ", "Sphinx", " 创建"]),
        # A space inside one run of text is the translator's, not markup's.
        (["一个 代理"], [], ["一个 代理"]),
        # Code is shown as written.
        (["。", " 一 "], [False, True], ["。", " 一 "]),
    ],
)
def test_gaps_close_where_chinese_meets_inline_markup(pieces, verbatim, closed):
    from mpdocs.i18n.cjk_spacing import close_gaps

    assert close_gaps(pieces, verbatim) == closed


@pytest.mark.parametrize(
    ("rst", "text"),
    [
        ("``start()`` 启动进程，``join()`` 等待", "start() 启动进程，join() 等待"),
        (":meth:`~multiprocessing.pool.Pool.apply_async` 把任务交给进程池", "apply_async 把任务交给进程池"),
        (":class:`multiprocessing.Pool` 与 :py:func:`os.cpu_count`", "multiprocessing.Pool 与 os.cpu_count"),
        ("给每个进程一个 *代理*，由 **服务进程** 转发", "给每个进程一个代理，由服务进程转发"),
        (
            "调度器\\ 分派任务（参见 :ref:`选择 chunksize <chunksize>`）",
            "调度器分派任务（参见选择 chunksize）",
        ),
        ("见 `tqdm <https://tqdm.github.io>`_ 文档", "见 tqdm 文档"),
    ],
)
def test_thumbnail_tooltips_are_plain_text(rst, text):
    from mpdocs.i18n.gallery import plain_text

    assert plain_text(rst) == text


def test_the_fingerprint_covers_the_code_that_runs_lessons(tmp_path, monkeypatch):
    import shutil

    from mpdocs.run import cache

    shutil.copytree(cache.PACKAGE, tmp_path / "mpdocs")
    monkeypatch.setattr(cache, "PACKAGE", tmp_path / "mpdocs")
    before = cache.fingerprint(("fork",))
    assert cache.fingerprint(("spawn",)) != before
    lesson_main = tmp_path / "mpdocs" / "lesson_main.py"
    lesson_main.write_text(lesson_main.read_text() + "\n# changed\n")
    assert cache.fingerprint(("fork",)) != before


def test_a_figure_with_an_axis_of_categories_is_saved_for_the_other_languages(tmp_path):
    # Matplotlib's category axis keeps an itertools.count, which Python 3.14 no longer pickles.
    import pickle

    import matplotlib.pyplot as plt

    from mpdocs.run.lesson_main import save_figures

    _, ax = plt.subplots()
    ax.barh(["run 1", "run 2"], [3, 4])
    saved = save_figures(str(tmp_path / "figure_{:03}.png"), 1)
    assert [figure["path"] for figure in saved] == [str(tmp_path / "figure_001.png")]
    with (tmp_path / "figure_001.pickle").open("rb") as file:
        again = pickle.load(file)
    again.axes[0].barh(["run 3"], [5])  # the categories go on counting where they were
    again.draw_without_rendering()
    assert [t.get_text() for t in again.axes[0].get_yticklabels()] == ["run 1", "run 2", "run 3"]
    plt.close(again)


@pytest.mark.parametrize(
    ("text", "translate"),
    [("measured: 3.09 s", True), ("0.5", False), ("$\\mathdefault{10^{-1}}$", False), ("'fork'", False)],
)
def test_only_words_in_figures_are_translated(text, translate):
    from mpdocs.figures.translate import needs_translation

    assert needs_translation(text) is translate


@pytest.mark.parametrize(
    ("received", "shown"),
    [
        ("plain\r\nlines\r\n", "plain\nlines\n"),
        # A progress bar redrawn in place leaves its last state.
        ("  0%|   |\r 50%|#  |\r100%|###|\r\n", "100%|###|\n"),
        # A shorter redraw after ESC[K leaves nothing of the longer one.
        ("long status line\r\x1b[Kshort\r\n", "short\n"),
        ("\x1b[1;31mred\x1b[0m text\r\n", "red text\n"),
        # tqdm's second bar: down a line, draw, back up; then the first bar redrawn.
        ("bar 1: 0%\r\nbar 2: 0%\x1b[A\rbar 1: 100%\r\n\r\n", "bar 1: 100%\nbar 2: 0%\n"),
        ("a\tb\r\n", "a       b\n"),
        ("abc\bX\r\n", "abX\n"),
        ("title\x1b]0;window title\x07 kept\r\n", "title kept\n"),
        ("no newline at the end", "no newline at the end\n"),
        ("中文\r\n", "中文\n"),
    ],
)
def test_the_page_shows_what_a_terminal_finally_displays(received, shown):
    from mpdocs.run.lesson_process import screen_text

    assert screen_text(received) == shown


def test_sidebar_toggles_are_named_after_their_section_the_current_one_too():
    from mpdocs.pages.a11y import name_summaries

    toctree = (
        '<li><a class="reference internal" href="a.html">Plain</a></li>'
        '<li><a aria-current="page" class="current reference internal" href="#">Current &amp; open</a>'
        '<details open="open"><summary><span class="toctree-toggle"></span></summary><ul></ul></details></li>'
        '<li><a class="reference internal" href="b/index.html"><em>Folded</em></a>'
        "<details><summary><span></span></summary><ul></ul></details></li>"
    )
    named = name_summaries(toctree)
    assert '<details open="open"><summary aria-label="Current &amp; open">' in named
    assert '<details><summary aria-label="Folded">' in named
    assert named.count("aria-label") == 2


def test_computed_once_computes_once_and_remembers_a_failure(tmp_path):
    from mpdocs.testing import ComputedOnceError, computed_once

    calls = []

    def compute(folder):
        calls.append(folder)
        (folder / "made.txt").write_text("made")
        return {"logs": len(calls)}

    # An attempt that never finished (its worker was killed) left a folder: it is done again.
    (tmp_path / "thing").mkdir()
    (tmp_path / "thing" / "half.txt").write_text("left")
    assert computed_once(tmp_path / "thing", compute, timeout=10) == {"logs": 1}
    assert computed_once(tmp_path / "thing", compute, timeout=10) == {"logs": 1}
    assert len(calls) == 1
    assert sorted(p.name for p in (tmp_path / "thing").iterdir()) == ["made.txt", "result.pickle"]

    def fail(folder):
        calls.append(folder)
        raise RuntimeError("the build failed: see its log")

    with pytest.raises(RuntimeError):
        computed_once(tmp_path / "broken", fail, timeout=10)
    # Later callers get the first failure's traceback, without a second (long) attempt.
    with pytest.raises(ComputedOnceError, match="the build failed: see its log"):
        computed_once(tmp_path / "broken", compute, timeout=10)
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("label", "alt"),
    [
        ("执行器，初始化函数\n失败：BrokenProcessPool", "执行器，初始化函数失败：BrokenProcessPool"),
        (
            "executor, the initializer\nfailed: BrokenProcessPool",
            "executor, the initializer failed: BrokenProcessPool",
        ),
        ("fork 出的\n子进程", "fork 出的子进程"),
        ("Connection\nResetError", "Connection ResetError"),
    ],
)
def test_a_figure_label_broken_over_lines_reads_as_one_line_in_alt_text(label, alt):
    from mpdocs.figures.variants import one_line

    assert one_line(label) == alt


def test_lesson_start_methods_come_from_the_environment(monkeypatch):
    from mpdocs import testing

    monkeypatch.delenv(testing.LESSON_START_METHODS_VARIABLE, raising=False)
    assert testing._lesson_start_methods() == ("fork", "spawn", "forkserver")
    monkeypatch.setenv(testing.LESSON_START_METHODS_VARIABLE, "forkserver, spawn")
    assert testing._lesson_start_methods() == ("forkserver", "spawn")
    monkeypatch.setenv(testing.LESSON_START_METHODS_VARIABLE, "fork,thread")
    with pytest.raises(ValueError, match="thread"):
        testing._lesson_start_methods()


#: What a Dask worker logged as a LocalCluster closed (CI, Python 3.12.1, spawn).
HEARTBEAT_AT_CLOSE = """\
2026-12-07 15:25:49,411 - distributed.worker - ERROR - Failed to communicate with scheduler during heartbeat.
Traceback (most recent call last):
  File "/site-packages/distributed/comm/tcp.py", line 226, in read
    frames_nosplit_nbytes_bin = await stream.read_bytes(fmt_size)
                                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
tornado.iostream.StreamClosedError: Stream is closed

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/site-packages/distributed/worker.py", line 1165, in heartbeat
    response = await retry_operation(
               ^^^^^^^^^^^^^^^^^^^^^^
  File "/site-packages/distributed/comm/tcp.py", line 137, in convert_stream_closed_error
    raise CommClosedError(f"in {obj}: {exc}") from exc
distributed.comm.core.CommClosedError: in <TCP (closed) ConnectionPool.heartbeat_worker \
local=tcp://127.0.0.1:34448 remote=tcp://127.0.0.1:43145>: Stream is closed
"""
OTHER_ERROR = """\
Traceback (most recent call last):
  File "lesson.py", line 3, in <module>
    1 / 0
ZeroDivisionError: division by zero
"""


@pytest.mark.parametrize(
    ("stderr", "left"),
    [
        (HEARTBEAT_AT_CLOSE, ""),
        ("warning\n" + HEARTBEAT_AT_CLOSE * 2, "warning\n"),
        # Anything else is left for the test to see, even inside or after the block.
        (HEARTBEAT_AT_CLOSE + OTHER_ERROR, OTHER_ERROR),
        (HEARTBEAT_AT_CLOSE.replace("tornado.iostream", OTHER_ERROR + "tornado.iostream"), None),
        (HEARTBEAT_AT_CLOSE.replace("heartbeat_worker", "gather"), None),
        (HEARTBEAT_AT_CLOSE.replace("(closed) ", ""), None),
    ],
)
def test_only_the_dask_heartbeat_race_at_close_is_explained(stderr, left):
    from mpdocs.testing import unexplained_stderr

    assert unexplained_stderr(stderr) == (stderr if left is None else left)


def test_a_figure_that_cannot_be_drawn_fails_the_build_by_name(tmp_path):
    import functools

    from sphinx.errors import ExtensionError

    from mpdocs.figures import translate

    broken = tmp_path / "sphx_glr_plot_99_broken_001.pickle"
    broken.write_bytes(b"not a pickle")
    job = functools.partial(translate._draw_figure, broken, broken.with_suffix(".png"), (400, 280))
    failed = r"drawing sphx_glr_plot_99_broken_001\.pickle failed: UnpicklingError"
    with pytest.raises(ExtensionError, match=failed):
        translate._draw_all([job])


def test_a_translated_figure_that_would_draw_boxes_fails_the_build_by_name(tmp_path):
    import functools
    import pickle

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sphinx.errors import ExtensionError

    from mpdocs.figures import translate

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xlabel("seconds")
    path = tmp_path / "sphx_glr_plot_99_boxes_001.pickle"
    path.write_bytes(pickle.dumps(fig))
    plt.close(fig)
    target = tmp_path / "sphx_glr_plot_99_boxes_001.zh_CN.png"
    # A font without Chinese glyphs, where the build would have chosen a CJK one.
    args = (path, target, {"seconds": "秒"}, "zh_CN", "DejaVu Sans", (400, 280))
    job = functools.partial(translate._draw_translated_figure, *args)
    boxes = r"drawing sphx_glr_plot_99_boxes_001\.pickle failed: .*\.zh_CN\.png would draw boxes instead of"
    with pytest.raises(ExtensionError, match=boxes):
        translate._draw_all([job])
    assert not target.with_suffix(".variants.json").exists(), "the next build would take it as drawn"
