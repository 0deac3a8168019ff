"""Chinese search that finds 进程池 in 使用进程池.

Sphinx segments Chinese text with jieba when it builds the index, but the
browser splits a query only at spaces and punctuation, so 使用进程池 is one
word that matches nothing. ``zh_splitquery.js`` (emitted into
``language_data.js`` through Sphinx's ``js_splitter_code`` hook) cuts a query
where Chinese meets Latin letters (共享内存SharedMemory), splits runs of Han
characters by greedy longest match against the words in the index, drops
question words and generic verbs (如何, 使用), lets each Chinese word find the
indexed words that contain it (共享内存 finds a page indexed with 共享内存块),
and makes every Chinese word of the query required, as every English word is.

jieba splits 进程池 into 进程 + 池 and drops single characters, unless a user
dictionary lists the term: ``html_search_options = {"dict": <absolute path>}``.
A compound it would cut into a word and a dropped character (保护块, 预加载,
合并器) can then not be found at all, with an English identifier beside it or
not: ``docs/_search/zh_userdict.txt`` lists the site's compounds, every Chinese
term of ``docs/locales/zh_CN/terms.tsv`` among them (tests/test_catalogs.py).
"""

from __future__ import annotations

from pathlib import Path

import jieba
from sphinx.application import Sphinx
from sphinx.search.zh import SearchChinese

# Only affect queries: the zh indexer ignores stopwords, searchtools.js drops them from
# queries. Question words and generic verbs: 如何使用进程池 asks about 进程池.
QUESTION_WORDS = "如何 怎么 怎样 什么 为什么 哪些 哪个 是否 能否 可以 以及 或者 我们 你们"
GENERIC_VERBS = "使用 利用 进行 实现 关于 一个"
QUERY_STOPWORDS = frozenset(f"{QUESTION_WORDS} {GENERIC_VERBS}".split())


class SearchChineseSegmentedQuery(SearchChinese):
    stopwords = SearchChinese.stopwords | QUERY_STOPWORDS
    js_splitter_code = (Path(__file__).parent / "zh_splitquery.js").read_text(encoding="utf-8")

    def __init__(self, options: dict[str, str]) -> None:
        # jieba takes most of a second to load its dictionary; a build that
        # indexes no page (nothing changed) should not pay for it.
        self._options = options
        self._segmenter_ready = False
        super().__init__({**options, "dict": ""})

    def split(self, input: str) -> list[str]:
        if not self._segmenter_ready:
            dictionary = self._options.get("dict")
            if dictionary and Path(dictionary).is_file():
                jieba.load_userdict(dictionary)
            self._segmenter_ready = True
        return super().split(input)


def setup(app: Sphinx) -> None:
    app.add_search_language(SearchChineseSegmentedQuery)
