"""The translation catalogs are complete, current and well-formed.

The templates are regenerated from the sources (``sphinx-build -b gettext``),
so a sentence added or changed in a lesson fails here until it is translated.
The zh_CN catalogs also keep one Chinese term for one English term: the map is
``docs/locales/zh_CN/terms.tsv``.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT, build_site
from docutils.core import publish_doctree

from mpdocs.testing import reader_env, run, sphinx_build

LOCALES = ROOT / "docs" / "locales"
LANGUAGES = sorted(p.name for p in LOCALES.iterdir() if p.is_dir())
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# reST only sees inline markup that is separated from the letters around it:
# 使用``close()``方法 shows the backquotes. Most Chinese punctuation separates,
# but not an opening bracket after the markup: ``x``（ leaves it unclosed.
INLINE_MARKUP = re.compile(r"``.+?``|:[a-z:]+:`[^`]+`|`[^`]+`_{0,2}|\*\*[^*]+\*\*|\*[^*\s][^*]*\*")
NAMED_PLACEHOLDER = re.compile(r"\{[a-z]*\}")


def glued_markup(text: str) -> list[str]:
    """Inline markup in ``text`` with a Chinese character right before or after it."""
    glued = []
    for match in INLINE_MARKUP.finditer(text):
        around = text[max(match.start() - 1, 0) : match.start()] + text[match.end() : match.end() + 1]
        if re.search(f"[{HAN}]", around):
            glued.append(match.group())
    return glued


def test_glued_markup_is_found():
    assert glued_markup("调用``close()``之后") == ["``close()``"]
    assert glued_markup("调用 ``close()`` 之后，:class:`~multiprocessing.Pool`。") == []
    assert glued_markup("见\\ :doc:`进程池 <pools>`") == []


LESSON_CATALOGS = sorted((LOCALES / "zh_CN" / "LC_MESSAGES" / "lessons").glob("**/*.po"))
ROLE = re.compile(r":[a-z]+(?::[a-z]+)?:(?=`)")


def inline_markup(text: str) -> tuple[list[str], str]:
    """The inline markup docutils finds in ``text`` (literals, roles, emphasis), and its warnings."""
    from docutils import nodes

    warnings = io.StringIO()
    # Sphinx's roles are unknown to plain docutils: keep their text as interpreted text.
    tree = publish_doctree(
        ROLE.sub("", text), settings_overrides={"warning_stream": warnings, "report_level": 2}
    )
    kinds = (nodes.literal, nodes.title_reference, nodes.strong, nodes.emphasis, nodes.reference)
    found = sorted(
        f"{type(node).__name__}:{node.astext()}" for node in tree.findall() if isinstance(node, kinds)
    )
    return found, warnings.getvalue()


@pytest.mark.parametrize("po", LESSON_CATALOGS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_lesson_translations_keep_their_markup_whole(po):
    """Each translation parses as reST without a warning, with the English's code and roles."""
    for message in read(po):
        if message.id and message.string:
            english, _ = inline_markup(message.id)
            chinese, warnings = inline_markup(message.string)
            assert not warnings, f"{message.string!r}:\n{warnings}"
            # Every code span and reference of the English, whole (a translation may add one).
            code = {item for item in english if item.startswith(("literal:", "title_reference:"))}
            translated = {item for item in chinese if item.startswith(("literal:", "title_reference:"))}
            assert code <= translated, f"{message.string!r} lost {sorted(code - translated)}"


def read(path: Path):
    with path.open("rb") as file:
        return read_po(file)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    """Message templates regenerated from a copy of the current sources.

    The copy is the one a site build of this test run used, generated lesson
    pages included: their MD5 files let the gettext build skip running the
    lessons again.
    """
    site = build_site(tmp_path_factory)
    tmp = tmp_path_factory.mktemp("gettext")
    shutil.copytree(site.html.parent / "docs", tmp / "docs", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copytree(ROOT / "examples", tmp / "examples")
    result, _ = run(sphinx_build(tmp / "docs", tmp / "pot", "-b", "gettext"), timeout=600, env=reader_env())
    assert result.returncode == 0, result.stderr
    return tmp / "pot"


def pairs(templates: Path):
    for pot in sorted(templates.glob("**/*.pot")):
        domain = pot.relative_to(templates).with_suffix("")
        for language in LANGUAGES:
            yield pot, LOCALES / language / "LC_MESSAGES" / f"{domain}.po"


def test_there_is_a_chinese_catalog():
    assert "zh_CN" in LANGUAGES


def test_every_message_is_translated(templates):
    problems = []
    for pot, po in pairs(templates):
        if not po.exists():
            problems.append(f"{po.relative_to(ROOT)}: missing (run `nox -s translations`)")
            continue
        catalog = read(po)
        for message in read(pot):
            if not message.id:
                continue
            translated = catalog.get(message.id)
            if translated is None and po.stem == "figures":
                # A figure text that only some Pythons draw is obsolete (#~) after an update on
                # another Python, and translates all the same (mpdocs.figures.translate._read_catalog).
                translated = catalog.obsolete.get(message.id)
            if translated is None:
                problems.append(f"{po.relative_to(ROOT)}: not in catalog: {message.id[:70]!r}")
            elif not translated.string:
                problems.append(f"{po.relative_to(ROOT)}: untranslated: {message.id[:70]!r}")
            elif translated.fuzzy:
                problems.append(f"{po.relative_to(ROOT)}: fuzzy: {message.id[:70]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po", sorted(LOCALES.glob("**/*.po")), ids=lambda p: str(p.relative_to(LOCALES)))
def test_msgfmt_accepts_the_catalog(po, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(po)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("po", sorted(LOCALES.glob("**/*.po")), ids=lambda p: str(p.relative_to(LOCALES)))
def test_translations_keep_markup_and_placeholders(po):
    problems = []
    for message in read(po):
        if not message.id or not message.string:
            continue
        from_rst = any(str(where).endswith(".rst") for where, _ in message.locations)
        if from_rst and glued_markup(message.string):
            problems.append(
                f"inline markup glued to Chinese text {glued_markup(message.string)}: {message.string!r}"
            )
        if sorted(NAMED_PLACEHOLDER.findall(message.id)) != sorted(NAMED_PLACEHOLDER.findall(message.string)):
            problems.append(f"placeholders differ: {message.id!r} -> {message.string!r}")
        for role in re.findall(r":(?:class|meth|func|mod|attr|exc|data):`[^`]+`", message.id):
            if role not in message.string:
                problems.append(f"cross-reference {role} lost in: {message.string!r}")
    assert not problems, "\n".join(problems)


# -- terminology: one English term, one Chinese term -------------------------------------------
ZH_MESSAGES = LOCALES / "zh_CN" / "LC_MESSAGES"
TERMS = LOCALES / "zh_CN" / "terms.tsv"
# What a term check does not read: code, roles (reST and MyST), links, and the dotted or called
# names that figure labels hold without backquotes (``Pool.map``, ``Value(lock=False)``), and
# exception names, which a figure label may break over two lines (``Connection\nResetError``).
NOT_PROSE = re.compile(
    r"``.+?``|(?::[a-z:]+:|\{[a-z:]+\})`[^`]*`|`[^`]+`__?|\w+(?:\.\w+)*\([^)]*\)|\w+(?:\.\w+)+|\{[a-z_]*\}"
    r"|\b[A-Z]\w*\n?[A-Z]\w*(?:Error|Exception|Warning)\b"
)


def prose(text: str) -> str:
    return NOT_PROSE.sub(" ", text)


def english(forms: str) -> re.Pattern[str]:
    """``"join|joined"`` matches either form, whole words, any case, plural or not."""
    words = "|".join(re.escape(form).replace(r"\ ", r"\s+") for form in forms.split("|"))
    return re.compile(rf"(?<!\w)(?:{words})(?:s|es)?(?!\w)", re.IGNORECASE)


def mentions(term: str, msgid: str, other_senses: str | None = None) -> bool:
    """Whether ``msgid`` uses ``term`` (forms separated by ``|``) in its prose, leaving out the
    phrases of ``other_senses`` (where the word means something else). A term written with code
    (````with```` block) is looked for in the whole message."""
    text = msgid if "``" in term else prose(msgid)
    if other_senses:
        text = english(other_senses).sub(" ", text)
    return bool(english(term).search(text))


def test_terms_are_found_in_prose_only():
    assert english("worker").search("two workers")
    assert english("shut down").search("shut  down")
    assert not english("lock").search(prose("a deadlock, ``Lock``, :class:`~multiprocessing.Lock`"))
    assert not english("future").search(prose("concurrent.futures executors"))
    assert not english("name").search(prose("Download zipped: {name}"))
    assert not english("connection").search(prose("Connection\nResetError"))
    assert english("connection").search(prose("an encrypted connection"))
    assert mentions("name|names", "found by name")
    assert not mentions("name|names", "it names the server", "names the")
    assert mentions("``with`` block", "leaving the ``with`` block")
    assert not mentions("block", "``with``")


@functools.cache
def zh_messages() -> list[tuple[str, str, str]]:
    """(catalog, msgid, msgstr) of every translated message of every zh_CN catalog."""
    return [
        (str(po.relative_to(ZH_MESSAGES)), message.id, message.string)
        for po in sorted(ZH_MESSAGES.glob("**/*.po"))
        for message in read(po)
        if message.id and message.string
    ]


def read_terms() -> list[tuple[str, list[str], str | None]]:
    """(English forms, Chinese renderings, English phrases where the word is another sense)."""
    with TERMS.open(encoding="utf-8", newline="") as file:
        return [
            (row["english"], row["zh_CN"].split("|"), row.get("other_senses"))
            for row in csv.DictReader(file, delimiter="\t")
        ]


SEARCH_DICTIONARY = ROOT / "docs" / "_search" / "zh_userdict.txt"


def test_search_keeps_every_chinese_term_whole():
    """Each Chinese term of ``terms.tsv`` is one word of the search index, so a query of it, with
    or without an English identifier beside it, finds the pages that use it (mpdocs.i18n.search)."""
    from mpdocs.i18n.search import SearchChineseSegmentedQuery

    search = SearchChineseSegmentedQuery({"dict": str(SEARCH_DICTIONARY)})
    words = {word for _, chinese, _ in read_terms() for word in chinese}
    terms = {word for word in words if re.fullmatch(f"[{HAN}]{{2,}}", word)}
    split = sorted(term for term in terms if term not in search.split(term))
    assert not split, f"add to {SEARCH_DICTIONARY.relative_to(ROOT)}: {split}"


def test_every_mapped_term_is_translated_alike():
    """Each message whose English uses a term of ``terms.tsv`` uses its Chinese (or a listed alternative)."""
    missing = [
        f"{catalog}: {msgid[:60]!r} lacks {'|'.join(chinese)} ({term!r})"
        for term, chinese, other_senses in read_terms()
        for catalog, msgid, msgstr in zh_messages()
        if mentions(term, msgid, other_senses) and not any(word in msgstr for word in chinese)
    ]
    assert not missing, "\n".join(missing)


# Renderings the site does not use (glossary variants and calques), with what it says instead; some
# only in the messages whose English has a given word (None: in every message).
FORBIDDEN = [
    (None, "工作者", "工作进程 or 工作线程"),
    (None, "死掉|死于|死亡", "意外退出, or 因…而终止"),
    (None, "吃掉", "抵消"),
    (None, "付出", "承担"),
    (None, "干净的?(?:脚本|做法|退出)", "改进后的脚本, 正确的做法, 优雅退出"),
    (None, "朴素的", "未做处理的"),
    (None, "索取", "获取"),
    (None, "退出码", "退出代码"),
    (None, "资源跟踪器", "资源追踪器"),
    (None, "封存|解封", "序列化, 反序列化"),
    (None, "启动方式", "启动方法"),
    ("zombie|reap|reaped|reaping", "收集", "回收 (a parent reaps a zombie)"),
    # Terms that drifted in one section (see terms.tsv for the rendering the site uses).
    (None, "抛出", "引发 (raise)"),
    ("cell", "单元(?!格)", "单元格 (notebook), 这段代码 (page); 单元 is a unit of work"),
    (None, "名字", "名称"),
    (None, "文件夹", "目录"),
    ("fix|fixes", "修正(?!版本)", "解决方法 (a fix); 修复 (a bug fix)"),
    (None, "分叉", "fork 出, 执行 fork (the verb stays fork)"),
    ("``with`` block", r"``with``(?:\\ )?\s*(?:代码块|语句)", "``with`` 块"),
    # Numbers: Arabic numerals take the unit symbol, as in the figures; no thousands separator.
    (None, r"\d\s*毫秒", "N ms (几十毫秒 with a Chinese numeral)"),
    (None, r"\d,\d{3}(?!\d)", "2000, 2 万, 30 万 (no thousands separator)"),
]


def test_no_forbidden_rendering():
    found = [
        f"{catalog}: {msgid[:60]!r} has {match.group()!r}: write {instead}"
        for only_with, forbidden, instead in FORBIDDEN
        for catalog, msgid, msgstr in zh_messages()
        if only_with is None or mentions(only_with, msgid)
        for match in re.finditer(forbidden, msgstr)
    ]
    assert not found, "\n".join(found)


# One English word, two renderings: among the messages whose English has the word, the catalogs
# may use one rendering or the other, not both. This finds drift; the term map says which is right.
VARIANTS = [
    # After a space, where code was: ``with`` 块, ``finally`` 块, a block of code.
    ("chunk", "分块", r"(?<![分\s])块"),
    ("server", "服务进程", "服务器"),
    ("join|joined|joining", "等待", r"\bjoin\b"),
    ("stderr|standard error", "标准错误", r"\bstderr\b"),
    ("pid|process ID", "进程 ID", r"\bpid\b"),
    ("condition", "条件变量", "条件(?!变量|满足|成立)"),
    ("queue", "元素", "一项|每一项"),
]


@pytest.mark.parametrize(("term", "first", "second"), VARIANTS, ids=[term for term, *_ in VARIANTS])
def test_no_term_is_rendered_two_ways(term, first, second):
    uses = {first: [], second: []}
    for catalog, msgid, msgstr in zh_messages():
        if english(term).search(prose(msgid)):
            for rendering, where in uses.items():
                if re.search(rendering, prose(msgstr)):
                    where.append(f"{catalog}: {msgid[:50]!r}")
    if all(uses.values()):
        pytest.fail(
            f"{term!r} is rendered two ways:\n"
            + "\n".join(f"{rendering}:\n  " + "\n  ".join(where) for rendering, where in uses.items())
        )


def test_figures_write_units_as_symbols():
    """Tick labels and annotations print ms and s, so axis labels and titles do too."""
    spelled = [
        f"figures.po: {message.id!r} -> {message.string!r}"
        for message in read(ZH_MESSAGES / "figures.po")
        if message.id and "秒" in message.string
    ]
    assert not spelled, "\n".join(spelled)


# -- figure texts: each measured value keeps its unit -----------------------------------------
# A figure text's values fill the translation's {} in order (mpdocs.figures.translate.translate_text), so a
# translation that reorders its phrases puts a value next to another value's word: "8 MB for 10
# tasks" drawn as "8 个任务共用的 10 MB 数据". Each value of a text with several is checked for the
# word that tells what it is, in English (the first word of this table after it, or else the
# nearest before it) and in Chinese (one of its renderings in the same place).
VALUE_WORDS = {
    "MB": ["MB"],
    "s": ["s"],
    "ms": ["ms"],
    "tasks": ["任务"],
    "times": ["次"],
    "workers": ["工作进程"],
    "worker": ["工作进程"],
    "processes": ["进程"],
    "CPUs": ["CPU"],
    "files": ["文件"],
    "names": ["名称"],
    "tracebacks": ["回溯信息"],
    "code": ["退出代码"],  # exit code -{}
    "pid": ["PID"],
    "Python": ["Python"],
    "method": ["启动方法"],  # start method: {}
    "dask": ["dask"],
    "countdown": ["countdown"],
    "counts": ["counts"],
    "+=": ["+="],
    "lost": ["丢失"],
    "printed": ["行"],  # of {} printed: {} 行
    "add": ["加"],
}
# Where the phrase of a value ends: English and Chinese clause punctuation, and the end of code.
AFTER_ENDS = re.compile(r"[,;:·()/\]，；：。（）、]")
BEFORE_ENDS = re.compile(r"[,;·()，；。（）、]")
VALUE_WORD = re.compile(r"[A-Za-z]+|\+=")
#: A measure word alone between two values: the noun it counts comes after the second
#: ("{} 个 {} ms 的任务": 20 tasks of 5 ms).
MEASURE_WORD = "个"
SAMPLE_VALUES = ["101", "2002", "30003", "400004", "5000005", "60000006"]


def _phrases(text: str, values: list[str]) -> list[tuple[str, str, str]]:
    """For each value in ``text``: the text before it and after it, to the next value or
    punctuation, and the rest of its clause after it."""
    found = []
    position = 0
    starts = []
    for value in values:
        position = text.index(value, position)
        starts.append(position)
        position += len(value)
    ends = [start + len(value) for start, value in zip(starts, values, strict=True)]
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        before = text[ends[i - 1] if i else 0 : start]
        before = BEFORE_ENDS.split(before)[-1]
        clause = AFTER_ENDS.split(text[end:])[0]
        after = clause[: starts[i + 1] - end] if i + 1 < len(values) else clause
        found.append((before, after, clause))
    return found


def misplaced_values(msgid: str, msgstr: str) -> list[str]:
    """What is wrong with the values of ``msgstr``, the translation of the figure text ``msgid``."""
    from mpdocs.figures.translate import translate_text

    count = msgid.count("{}")
    values = SAMPLE_VALUES[:count]
    parts = msgid.split("{}")
    english_text = "".join(part + value for part, value in zip(parts, [*values, ""], strict=True))
    chinese_text = translate_text(english_text, {msgid: msgstr})
    problems = []
    english_phrases = _phrases(english_text, values)
    chinese_phrases = _phrases(chinese_text, values)
    for value, (before, after, _), (zh_before, zh_after, zh_clause) in zip(
        values, english_phrases, chinese_phrases, strict=True
    ):
        words = [w for w in VALUE_WORD.findall(after) if w in VALUE_WORDS]
        words += [w for w in reversed(VALUE_WORD.findall(before)) if w in VALUE_WORDS]
        if not words:
            problems.append(f"{value} in {english_text!r}: no word of VALUE_WORDS next to it (add one)")
            continue
        renderings = VALUE_WORDS[words[0]]
        where = zh_before + zh_after
        if zh_after.strip() == MEASURE_WORD:
            where += zh_clause
        if not any(rendering in where for rendering in renderings):
            problems.append(
                f"{words[0]!r} goes with {value} in {english_text!r}; "
                f"{'|'.join(renderings)!r} does not in {chinese_text!r}"
            )
    return problems


def test_misplaced_values_are_found():
    dask = "Dask: {} MB for {} tasks, sent {} times or scattered once"
    assert misplaced_values(dask, "Dask：{} MB 数据供 {} 个任务读取，随任务发送 {} 次与只分发一次") == []
    assert misplaced_values(dask, "Dask：{} 个任务共用的 {} MB 数据，发送 {} 次与只分发一次") != []
    assert misplaced_values("{} tasks of {} ms", "{} 个 {} ms 的任务") == []
    assert misplaced_values("{} tasks of {} ms", "{} ms 的 {} 个任务") != []
    assert misplaced_values("{} tasks on {} workers", "{} 个工作进程上的 {} 个任务") != []
    assert misplaced_values("{} CPUs · Python {}", "Python {} · {} 个 CPU") != []
    assert misplaced_values("{} widgets of {} gadgets", "{} 个部件，{} 个小工具") != []  # unknown words


def test_figure_values_stay_next_to_their_units():
    """Each value of a figure text with several is drawn next to the word that says what it is."""
    with (ZH_MESSAGES / "figures.po").open("rb") as file:
        catalog = read_po(file)
    problems = [
        problem
        for message in [*catalog, *catalog.obsolete.values()]
        if message.id and message.string and message.id.count("{}") > 1 and message.string != message.id
        for problem in misplaced_values(message.id, message.string)
    ]
    assert not problems, "\n".join(problems)
