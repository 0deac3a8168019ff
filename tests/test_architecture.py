"""src/mpdocs in parts: imports run one way, and the runner stands alone in a foreign gallery."""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from pathlib import Path

import pytest

from mpdocs.testing import START_METHODS, page_lines, reader_env, run, sphinx_build

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "mpdocs"
PARTS = ("run", "i18n", "figures", "pages", "publish")
#: Which other parts each part may import (the package docstring says why).
MAY_IMPORT = {
    "run": set(),
    "i18n": {"run"},
    "figures": {"run", "i18n"},
    "pages": {"run", "i18n", "figures"},
    "publish": {"i18n"},
}


def imported_parts(module: Path) -> set[str]:
    """The parts of mpdocs that ``module`` imports, absolute or relative, at any depth of its code."""
    own = module.relative_to(PACKAGE).parts
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(own[: len(own) - node.level])
                names = [*base, *(node.module.split(".") if node.module else [])]
                targets = [names] if node.module else [[*base, alias.name] for alias in node.names]
            elif node.module and node.module.split(".")[0] == "mpdocs":
                names = node.module.split(".")[1:]
                targets = [names] if names else [[alias.name] for alias in node.names]
            else:
                continue
            found.update(target[0] for target in targets if target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "mpdocs" and len(parts) > 1:
                    found.add(parts[1])
    return found


@pytest.mark.parametrize("part", PARTS)
def test_imports_run_one_way(part):
    wrong = []
    for module in sorted((PACKAGE / part).glob("**/*.py")):
        others = imported_parts(module) & set(PARTS) - {part}
        if others - MAY_IMPORT[part]:
            wrong.append(f"{module.relative_to(PACKAGE)} imports {sorted(others - MAY_IMPORT[part])}")
    assert not wrong, "\n".join(wrong)


def test_the_import_check_sees_relative_and_absolute_imports(tmp_path):
    module = PACKAGE / "run" / "_probe_for_the_test.py"
    module.write_text("from ..i18n import catalogs\nimport mpdocs.pages.a11y\nfrom . import cache\n")
    try:
        assert imported_parts(module) == {"i18n", "pages", "run"}
    finally:
        module.unlink()


def test_every_part_says_what_it_owns_and_what_it_may_import():
    for part in PARTS:
        doc = ast.get_docstring(ast.parse((PACKAGE / part / "__init__.py").read_text(encoding="utf-8")))
        assert doc, part
        assert "May import" in doc, part


def test_importing_the_runner_imports_nothing_else_of_mpdocs():
    # The runner's Sphinx side too: everything `extensions = ["mpdocs.run"]` loads.
    code = textwrap.dedent(
        """
        import sys
        import mpdocs.run, mpdocs.run.extension
        print(sorted(name for name in sys.modules if name.startswith("mpdocs")))
        """
    )
    result, _ = run([sys.executable, "-c", code], timeout=60, env=reader_env())
    assert result.returncode == 0, result.stderr
    loaded = eval(result.stdout)  # a list of module names
    assert "mpdocs.run.execution" in loaded
    others = [name for name in loaded if name.split(".")[1:2] and name.split(".")[1] not in {"run"}]
    assert others == [], others


# -- the runner in a gallery of someone else's ------------------------------------------
FOREIGN_CONF = """
extensions = ["sphinx_gallery.gen_gallery", "mpdocs.run"]
sphinx_gallery_conf = {"examples_dirs": "examples", "gallery_dirs": "auto_examples"}
exclude_patterns = ["examples"]


def setup(app):  # for the test: which of mpdocs the build loaded
    import pathlib, sys

    def loaded(app, exception):
        names = sorted(name for name in sys.modules if name.startswith("mpdocs"))
        pathlib.Path(app.outdir, "mpdocs-modules.txt").write_text("\\n".join(names))

    app.connect("build-finished", loaded)
"""
FOREIGN_INDEX = """
Gallery
=======

.. toctree::

   auto_examples/index
"""
CHILDREN_OF_BOTH_KINDS = '''
"""
Children of both kinds
======================

A child started by spawn and one started by fork each print a line.
"""
import multiprocessing


def greet(kind):
    print(f"hello from a {kind} child")


if __name__ == "__main__":
    for kind in ("spawn", "fork"):
        child = multiprocessing.get_context(kind).Process(target=greet, args=(kind,))
        child.start()
        child.join(timeout=30)
        print(f"{kind} child exit code: {child.exitcode}")
'''


@pytest.mark.build
@pytest.mark.parametrize("start_method", START_METHODS)
def test_a_foreign_gallery_gets_the_runner_with_one_line(tmp_path, start_method):
    src = tmp_path / "doc"
    (src / "examples").mkdir(parents=True)
    (src / "conf.py").write_text(FOREIGN_CONF)
    (src / "index.rst").write_text(FOREIGN_INDEX)
    (src / "examples" / "README.rst").write_text("Examples\n========\n")
    (src / "examples" / "plot_children.py").write_text(CHILDREN_OF_BOTH_KINDS)
    env = reader_env(MPDOCS_START_METHOD=start_method)
    result, leftovers = run(sphinx_build(src, tmp_path / "html", "-b", "html"), timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert leftovers == []
    assert f"lessons run with the {start_method!r} start method" in result.stdout
    page = (src / "auto_examples" / "plot_children.rst").read_text()
    assert page_lines(page) == [
        "hello from a spawn child",
        "spawn child exit code: 0",
        "hello from a fork child",
        "fork child exit code: 0",
    ]
    assert f"start method {start_method}." in page
    # Nothing of the site's own parts was loaded into the build.
    loaded = (tmp_path / "html" / "mpdocs-modules.txt").read_text().split()
    assert "mpdocs.run.execution" in loaded
    assert [name for name in loaded if re.match(r"mpdocs\.(i18n|figures|pages|site)\b", name)] == []
    html = (tmp_path / "html" / "auto_examples" / "plot_children.html").read_text(encoding="utf-8")
    assert "hello from a fork child" in html
