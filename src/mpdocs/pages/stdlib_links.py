"""Link ``:class:`multiprocessing.Pool``` and friends to docs.python.org, offline.

intersphinx would need the network (or a copied inventory) on every build.
The standard library is right here instead: a reference resolves when the
named object exists in this Python, and links to the page that documents it,
in the reader's language (``docs.python.org/zh-cn/3/`` on Chinese pages).
Unknown names stay unresolved, so ``-n`` still reports typos.
"""

from __future__ import annotations

import importlib
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

# Modules documented on a page of their own; submodules not listed here are
# documented on their parent's page (multiprocessing.pool on multiprocessing).
OWN_PAGES = (
    "multiprocessing.shared_memory",
    "concurrent.futures",
    "multiprocessing",
    "os",
    "time",
    "threading",
    "signal",
    "pickle",
    "queue",
    "subprocess",
    "functools",
    "sys",
    "ctypes",
    "asyncio",
    "warnings",
    "platform",
    "logging",
    "gc",
    "tracemalloc",
    "itertools",
    "collections",
    "tokenize",
    "atexit",
)
LANGUAGE_PATHS = {"zh_CN": "zh-cn/3", "en": "3"}


def resolve_object(target: str) -> bool:
    """True if ``target`` names a module, or an attribute reachable from one."""
    parts = target.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attr in parts[split:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


#: Objects documented on another module's page.
DOCUMENTED_ELSEWHERE = {"multiprocessing.managers.SharedMemoryManager": "multiprocessing.shared_memory"}


def page_for(target: str) -> str:
    for name, page in DOCUMENTED_ELSEWHERE.items():
        if target == name or target.startswith(name + "."):
            return page
    for module in OWN_PAGES:
        if target == module or target.startswith(module + "."):
            return module
    return target.split(".")[0]


def missing_reference(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.reference | None:
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    if node.get("reftype") == "mod":
        page, anchor = target, f"module-{target}"
    else:
        page, anchor = page_for(target), target
    if not target or page.split(".")[0] not in {m.split(".")[0] for m in OWN_PAGES}:
        return None
    if not resolve_object(target):
        return None
    base = LANGUAGE_PATHS.get(app.config.language or "en", "3")
    uri = f"https://docs.python.org/{base}/library/{page}.html#{anchor}"
    reference = nodes.reference("", "", internal=False, refuri=uri, reftitle=target)
    reference.append(contnode)
    return reference


def setup(app: Sphinx) -> None:
    app.connect("missing-reference", missing_reference)
