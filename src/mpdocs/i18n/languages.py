"""The same page in the other languages: a switch on every page and a root page.

Each language is built into its own folder, ``build/html/<code>/``, with the
same page names, so the same page elsewhere is always
``../<other code>/<page>.html`` relative to the root of the current one.
Links are relative: they work from ``file://``, under any sub-path of a static
host, and on Read the Docs, where each language is its own project served at
``/<rtd code>/<version>/``.

The 404 page is the exception: a host serves it in place of a missing page
at any depth, so its links are absolute. sphinx-notfound-page writes each
language's ``404.html`` with the theme, from ``docs/404.md``; its prefix is
``MPDOCS_SITE_BASE`` followed by the language (on Read the Docs, the
project's own path, which the extension finds itself). A static host serves
only the root ``404.html``, written by :func:`write_root` with the message in
every language.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Sphinx language code -> Read the Docs language code.
RTD_CODES = {"en": "en", "zh_CN": "zh-cn"}
#: Read the Docs language codes that mean a Sphinx language code.
FROM_RTD = {"en": "en", "zh-cn": "zh_CN", "zh-hans": "zh_CN", "zh_CN": "zh_CN"}


def language_tag(code: str) -> str:
    """BCP 47 tag for ``<html lang>`` and ``hreflang``: ``zh_CN`` -> ``zh-CN``."""
    return code.replace("_", "-")


def sphinx_language(rtd_code: str | None) -> str | None:
    """The Sphinx language of a Read the Docs language code, or ``None`` if unknown."""
    if not rtd_code:
        return None
    return FROM_RTD.get(rtd_code, FROM_RTD.get(rtd_code.lower()))


def _rtd_version() -> str | None:
    return os.environ.get("READTHEDOCS_VERSION") if os.environ.get("READTHEDOCS") == "True" else None


def site_base() -> str:
    """The site's path on its host, from ``MPDOCS_SITE_BASE``: ``/``, or ``/<repository>/``."""
    base = os.environ.get("MPDOCS_SITE_BASE") or "/"
    if not base.startswith("/"):
        raise ConfigError(f"MPDOCS_SITE_BASE must be a path from the host's root, like /repo/: {base!r}")
    return base if base.endswith("/") else base + "/"


def language_root(code: str) -> str:
    """Absolute path of language ``code``'s folder on the host."""
    version = _rtd_version()
    if version:
        return f"/{RTD_CODES.get(code, code.lower())}/{version}/"
    return f"{site_base()}{code}/"


def other_language_href(pagename: str, code: str, builder_suffix: str = ".html") -> str:
    """Relative URL of ``pagename`` in language ``code``, from that page in another language."""
    version = _rtd_version()
    depth = pagename.count("/")
    if version:
        up = "../" * (depth + 2)
        return f"{up}{RTD_CODES.get(code, code.lower())}/{version}/{pagename}{builder_suffix}"
    up = "../" * (depth + 1)
    return f"{up}{code}/{pagename}{builder_suffix}"


def _not_found_page(app: Sphinx) -> str | None:
    return getattr(app.config, "notfound_pagename", None)


def add_language_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    current = app.config.language or "en"
    suffix = app.builder.out_suffix if hasattr(app.builder, "out_suffix") else ".html"
    absolute = pagename == _not_found_page(app)
    context["mpdocs_languages"] = [
        {
            "code": code,
            "tag": language_tag(code),
            "name": name,
            "abbreviation": app.config.mpdocs_language_abbreviations.get(code, name),
            "current": code == current,
            "href": f"{language_root(code)}{pagename}{suffix}"
            if absolute
            else other_language_href(pagename, code, suffix),
        }
        for code, name in app.config.mpdocs_languages.items()
    ]


def absolute_links_on_not_found_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Make the links in the 404 page's own text absolute, as the extension does for the theme's."""
    if docname != _not_found_page(app):
        return
    prefix = app.config.notfound_urls_prefix or "/"
    for reference in doctree.findall(nodes.reference):
        uri = reference.get("refuri", "")
        if reference.get("internal") and uri and not uri.startswith(("/", "#")) and "://" not in uri:
            reference["refuri"] = prefix + uri


ROOT_PAGE = """<!DOCTYPE html>
<html lang="{tag}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{icon}<style>
:root {{ color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.6; }}
body {{ max-width: 42rem; margin: 4rem auto; padding: 0 1.5rem; }}
h1 {{ font-size: 1.6rem; line-height: 1.35; margin: 0 0 1.5rem; }}
h1 span {{ display: block; }}
ul {{ list-style: none; padding: 0; font-size: 1.2rem; }}
.wordmark {{ font-size: 1.1rem; margin: 0 0 1rem; }}
.wordmark a {{ color: inherit; text-decoration: none; font-weight: 600; }}
form {{ display: flex; gap: 0.5rem; margin: 1.25rem 0; }}
input[type="search"] {{ flex: 1; font: inherit; padding: 0.4rem 0.6rem; border: 1px solid #8886;
  border-radius: 0.375rem; }}
li {{ margin: 0.5rem 0; }}
section + section {{ margin-top: 2.5rem; }}
a {{ color: #0a6ebd; }}
@media (prefers-color-scheme: dark) {{ a {{ color: #79c0ff; }} }}
</style>
{script}</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""

REDIRECT = """<script>
// Send the visitor to the language their browser asks for first; links below work without script.
(function () {{
  var wanted = (navigator.languages || [navigator.language || ""]).map(function (l) {{
    return l.toLowerCase();
  }});
  var target = "{default}/";
  for (var i = 0; i < wanted.length; i++) {{
{rules}
  }}
  window.location.replace(target + window.location.hash);
}})();
</script>
"""

HEADING = re.compile(r"<h1>(.*?)</h1>", re.S)
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
HEADER_LINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
TAG = re.compile(r"<[^>]+>")
LINK = re.compile(r'<a [^>]*href="([^"]*)"')
FAVICON = re.compile(r'<link rel="icon" href="([^"]+)"')
SITE_TITLE = re.compile(r'<p class="title logo__title">(.*?)</p>', re.S)
SEARCH_FIELD = re.compile(r'<input[^>]*?name="q"[^>]*?placeholder="([^"]*)"', re.S)


def _article(page: Path) -> str:
    """The main text of a page the site's theme wrote."""
    text = page.read_text(encoding="utf-8")
    start = text.index('<article class="bd-article">')
    return HEADER_LINK.sub("", text[start : text.index("</article>", start)])


def page_title(page: Path) -> str:
    """The heading of a built page, as text."""
    return html.unescape(TAG.sub("", HEADING.search(_article(page)).group(1))).strip()


def write_root(out: Path, languages: dict[str, str], default: str = "en", base: str = "/") -> None:
    """Write ``index.html`` (language redirect with visible links), ``404.html`` and ``.nojekyll``.

    Both pages speak every language, with the text each language's build
    wrote: its home page's heading, and its ``404.html``'s site title (a link
    home), message and search field (a form that searches that language). ``404.html``
    is served for a missing page at any depth, so its links are absolute, as
    the build made them: ``base`` is the site's path on its host
    (``/<repository>/`` on GitHub Pages for a project), and a build made for
    another one is refused.
    """
    tags = {code: language_tag(code) for code in languages}
    # The default language's favicon (html_favicon), if it has one.
    favicon = FAVICON.search((out / default / "index.html").read_text(encoding="utf-8"))

    def icon(prefix: str) -> str:
        return f'<link rel="icon" href="{prefix}{favicon.group(1)}">\n' if favicon else ""

    titles = {code: page_title(out / code / "index.html") for code in languages}
    rules = "\n".join(
        f'    if (wanted[i].indexOf("{code.split("_")[0].lower()}") === 0) {{ target = "{code}/"; break; }}'
        for code in languages
    )
    links = "\n".join(
        f'<li><a href="{code}/index.html" hreflang="{tags[code]}" lang="{tags[code]}">'
        f"{html.escape(name)}</a></li>"
        for code, name in languages.items()
    )
    headings = "".join(f'<span lang="{tags[code]}">{html.escape(titles[code])}</span>' for code in languages)
    (out / "index.html").write_text(
        ROOT_PAGE.format(
            tag=tags[default],
            title=html.escape(" · ".join(dict.fromkeys(titles.values()))),
            icon=icon(f"{default}/"),
            script=REDIRECT.format(default=default, rules=rules),
            body=f"<h1>{headings}</h1>\n<ul>\n{links}\n</ul>",
        ),
        encoding="utf-8",
    )
    sections, not_found_titles = [], []
    for code in languages:
        article = _article(out / code / "404.html")
        heading = HEADING.search(article)
        not_found_titles.append(html.unescape(TAG.sub("", heading.group(1))).strip())
        paragraphs = "\n".join(f"<p>{p}</p>" for p in PARAGRAPH.findall(article, heading.end()))
        wrong = [href for href in LINK.findall(paragraphs) if not href.startswith(f"{base}{code}/")]
        if wrong:
            raise ValueError(
                f"{code}/404.html links to {wrong}, not under {base}{code}/: "
                "build with the same MPDOCS_SITE_BASE as you publish with"
            )
        page = (out / code / "404.html").read_text(encoding="utf-8")
        site_title = SITE_TITLE.search(page)
        wordmark = (
            f'<p class="wordmark"><a href="{base}{code}/index.html">'
            f"{html.escape(html.unescape(TAG.sub('', site_title.group(1))).strip())}</a></p>\n"
            if site_title
            else ""
        )
        field = SEARCH_FIELD.search(page)
        search = (
            f'\n<form action="{base}{code}/search.html" method="get" role="search">'
            f'<input type="search" name="q" placeholder="{field.group(1)}" aria-label="{field.group(1)}">'
            "</form>"
            if field
            else ""
        )
        title = f"<h1>{heading.group(1).strip()}</h1>"
        sections.append(f'<section lang="{tags[code]}">\n{wordmark}{title}\n{paragraphs}{search}\n</section>')
    (out / "404.html").write_text(
        ROOT_PAGE.format(
            tag=tags[default],
            title=html.escape(" · ".join(not_found_titles)),
            icon=icon(f"{base}{default}/"),
            script="",
            body="\n".join(sections),
        ),
        encoding="utf-8",
    )
    (out / ".nojekyll").write_text("", encoding="utf-8")


def _configure(app: Sphinx, config: Any) -> None:
    templates = str(Path(__file__).parent / "templates")
    if templates not in config.templates_path:
        config.templates_path.append(templates)
    language = config.language or "en"
    # On Read the Docs sphinx-notfound-page finds the project's path itself.
    if "notfound_urls_prefix" in config and not _rtd_version():
        config.notfound_urls_prefix = language_root(language)
    if language not in config.mpdocs_languages:
        meant = sphinx_language(language)
        raise ConfigError(
            f"language {language!r} is not one of this site's languages "
            f"({', '.join(config.mpdocs_languages)})" + (f"; did you mean {meant!r}?" if meant else ".")
        )


def setup(app: Sphinx) -> None:
    app.add_config_value("mpdocs_languages", {"en": "English"}, "html", types=frozenset({dict}))
    # {code: a short name for the phone's header}; a language without one shows its name.
    app.add_config_value("mpdocs_language_abbreviations", {}, "html", types=frozenset({dict}))
    app.connect("config-inited", _configure)
    app.connect("html-page-context", add_language_links)
    app.connect("doctree-resolved", absolute_links_on_not_found_page)
