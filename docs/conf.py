"""Sphinx configuration for the multiprocessing lessons site."""

import os
from pathlib import Path

DOCS = Path(__file__).parent
ROOT = DOCS.parent

# -- Project information -----------------------------------------------------
# https://www.sphinx-doc.org/en/master/usage/configuration.html#project-information

project = "Python multiprocessing, by example"
author = "The mp-lessons authors"
copyright = "2026, the mp-lessons authors"

# -- General configuration ---------------------------------------------------
# https://www.sphinx-doc.org/en/master/usage/configuration.html#general-configuration

extensions = [
    "myst_parser",
    "sphinx_copybutton",
    "sphinx_gallery.gen_gallery",
    # 404.md becomes each language's 404.html, with links absolute under MPDOCS_SITE_BASE.
    "notfound.extension",
    "mpdocs",
]
exclude_patterns = [
    "lessons/*.ipynb",
    "lessons/**/*.ipynb",
    "lessons/**/*.py",
    "lessons/**/*.md5",
    "lessons/**/*.zip",
]
nitpicky = True
myst_heading_anchors = 3

# -- Lessons (sphinx-gallery) ------------------------------------------------
# https://sphinx-gallery.github.io/stable/configuration.html

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "lessons",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "capture_repr": (),
    "remove_config_comments": True,
    "download_all_examples": False,
    "show_memory": False,
    "matplotlib_animations": False,
    "write_computation_times": False,
    "show_signature": False,
}

# -- Lesson execution (mpdocs, in src/) --------------------------------------
# The start method can also be set with MPDOCS_START_METHOD=fork|spawn|forkserver.

mpdocs_start_method = os.environ.get("MPDOCS_START_METHOD") or None
mpdocs_timeout = 120

# -- Languages ---------------------------------------------------------------
# https://www.sphinx-doc.org/en/master/usage/advanced/intl.html
# English is the source; `nox -s translations` updates the zh_CN catalogs.

language = "en"
locale_dirs = ["locales/"]
gettext_compact = False
gettext_uuid = False
mpdocs_languages = {"en": "English", "zh_CN": "简体中文"}
# The same switch in a phone's header, where there is room for a word or a character.
mpdocs_language_abbreviations = {"en": "EN", "zh_CN": "中"}
# jieba keeps these terms whole in the Chinese search index (needs an absolute path).
html_search_options = {"dict": str(DOCS / "_search" / "zh_userdict.txt")}

# -- Options for HTML output -------------------------------------------------
# https://www.sphinx-doc.org/en/master/usage/configuration.html#options-for-html-output

html_theme = "pydata_sphinx_theme"
html_title = "multiprocessing, by example"

# A lesson's source is its download (a .py file, and a notebook); the page's reST
# source is generated, English on every language's pages, and no use to readers.
html_show_sourcelink = False

html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_css_files = ["site.css"]
# Without it, a first visit logs "Got invalid theme mode" to the browser console.
html_context = {"default_mode": "auto"}
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_end": ["mpdocs-language-switch", "theme-switcher", "navbar-icon-links"],
    # On a phone the language switch would be in the menu only: a short one stays in sight.
    "navbar_persistent": ["search-button-field", "mpdocs-language-switch-short"],
    # A lesson's sidebar offers its downloads, the .py file being its source; other pages
    # keep the theme's default (their table of contents).
    "secondary_sidebar_items": {"lessons/*/plot_*": ["page-toc", "mpdocs-download-links"]},
}
# Copy code, never prompts (>>>, ...) or output: output blocks get no button.
copybutton_exclude = ".linenos, .gp, .go"
copybutton_selector = "div:not(.sphx-glr-script-out) > div.highlight pre"
