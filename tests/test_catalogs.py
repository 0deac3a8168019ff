"""The translation catalogs are complete, current and well-formed.

The templates are regenerated from the sources (``sphinx-build -b gettext``),
so a sentence added or changed in a lesson fails here until it is translated.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT, ignore_generated
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
    """Message templates regenerated from a copy of the current sources."""
    tmp = tmp_path_factory.mktemp("gettext")
    shutil.copytree(ROOT / "docs", tmp / "docs", ignore=ignore_generated)
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
