"""The same page in the other languages: a switch on every page and a root page.

Each language is built into its own folder, ``build/html/<code>/``, with the
same page names, so the same page elsewhere is always
``../<other code>/<page>.html`` relative to the root of the current one.
Links are relative: they work from ``file://``, under any sub-path of a static
host, and on Read the Docs, where each language is its own project served at
``/<rtd code>/<version>/``.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

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


def other_language_href(pagename: str, code: str, builder_suffix: str = ".html") -> str:
    """Relative URL of ``pagename`` in language ``code``, from that page in another language."""
    version = os.environ.get("READTHEDOCS_VERSION") if os.environ.get("READTHEDOCS") == "True" else None
    depth = pagename.count("/")
    if version:
        up = "../" * (depth + 2)
        return f"{up}{RTD_CODES.get(code, code.lower())}/{version}/{pagename}{builder_suffix}"
    up = "../" * (depth + 1)
    return f"{up}{code}/{pagename}{builder_suffix}"


def add_language_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    current = app.config.language or "en"
    suffix = app.builder.out_suffix if hasattr(app.builder, "out_suffix") else ".html"
    context["mpdocs_languages"] = [
        {
            "code": code,
            "tag": language_tag(code),
            "name": name,
            "current": code == current,
            "href": other_language_href(pagename, code, suffix),
        }
        for code, name in app.config.mpdocs_languages.items()
    ]


ROOT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<script>
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
</head>
<body>
<main>
<h1>{title}</h1>
<ul>
{links}
</ul>
</main>
</body>
</html>
"""


def write_root(
    out: Path, languages: dict[str, str], title: str, default: str = "en", base: str = "/"
) -> None:
    """Write ``index.html`` (language redirect with visible links), ``404.html`` and ``.nojekyll``.

    ``404.html`` is served for a missing page at any depth, so its links are
    absolute: ``base`` is the site's path on its host (``/<repository>/`` on
    GitHub Pages for a project).
    """
    rules = "\n".join(
        f'    if (wanted[i].indexOf("{code.split("_")[0].lower()}") === 0) {{ target = "{code}/"; break; }}'
        for code in languages
    )
    links = "\n".join(
        f'<li><a href="{code}/index.html" hreflang="{language_tag(code)}" lang="{language_tag(code)}">'
        f"{html.escape(name)}</a></li>"
        for code, name in languages.items()
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(
        ROOT_PAGE.format(title=html.escape(title), default=default, rules=rules, links=links),
        encoding="utf-8",
    )
    not_found = ROOT_PAGE.replace("window.location.replace(target + window.location.hash);", "").format(
        title="404 · " + html.escape(title),
        default=default,
        rules="",
        links=links.replace('href="', f'href="{base}'),
    )
    (out / "404.html").write_text(not_found, encoding="utf-8")
    (out / ".nojekyll").write_text("", encoding="utf-8")


def _configure(app: Sphinx, config: Any) -> None:
    templates = str(Path(__file__).parent / "templates")
    if templates not in config.templates_path:
        config.templates_path.append(templates)
    language = config.language or "en"
    if language not in config.mpdocs_languages:
        meant = sphinx_language(language)
        raise ConfigError(
            f"language {language!r} is not one of this site's languages "
            f"({', '.join(config.mpdocs_languages)})" + (f"; did you mean {meant!r}?" if meant else ".")
        )


def setup(app: Sphinx) -> None:
    app.add_config_value("mpdocs_languages", {"en": "English"}, "html", types=frozenset({dict}))
    app.connect("config-inited", _configure)
    app.connect("html-page-context", add_language_links)
