"""One run of a lesson per start method, and what a page shows of the runs.

A reader's Python starts processes with the platform's default start method:
forkserver on Linux from Python 3.14, spawn on macOS and Windows, fork on
Linux up to 3.13. The build runs each lesson once under each of them, the
build Python's default first, one after another (never at the same time, so
that timings stay true). Per cell, :func:`same_output` compares what the runs
printed once the values that change from run to run anyway are masked; where
the runs agree the page shows one output block, where they differ
:func:`tabs_rst` shows one tab per start method (sphinx-design's synchronised
tabs: a reader's choice applies to every page and is remembered).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import re
from collections import Counter
from textwrap import indent

from sphinx.errors import ConfigError

#: The ``:sync-group:`` of every tab set of outputs, and the tabs' ``:sync:`` ids are the methods.
SYNC_GROUP = "start-method"
#: Where each start method is the default, as the tab labels say it (translated by mpdocs.i18n.gallery).
#: Sources: CPython's ``multiprocessing/context.py`` (``_default_context``) of each version.
DEFAULT_WHERE = {
    "forkserver": "Linux, Python 3.14+",
    "spawn": "macOS, Windows",
    "fork": "Linux up to Python 3.13",
}
LABEL_SEPARATOR = " · "
#: Shown in a tab whose run printed nothing in that cell while another run did.
NO_OUTPUT = "This run printed nothing here."

#: What differs between any two runs of the same program, start method or not.
VARYING = [
    (re.compile(r"0x[0-9a-fA-F]+"), "0x…"),  # addresses in reprs
    # Names made of random characters: temporary folders (pymp-…, tmp…), shared memory
    # blocks (psm_…, wnsm_…), a manager's or listener's socket (listener-…).
    (re.compile(r"\b(pymp|psm|wnsm|listener|tmp)[-_]?[A-Za-z0-9_]{4,}"), r"\1…"),
    (re.compile(r"\d+(?:[.,]\d+)*"), "#"),  # PIDs, timings, sizes, counts, ports
    # Columns aligned to the widths of those numbers (tables, progress bars).
    (re.compile(r"\s+"), " "),
]


def platform_default() -> str:
    """The start method this Python uses when nobody chooses one."""
    return multiprocessing.context._default_context._default_context.get_start_method()


def run_order(only: str | None = None) -> tuple[str, ...]:
    """The start methods a build runs each lesson under, in order.

    ``only`` (a start method's name) gives that one alone; ``None`` or empty
    gives every method this platform has, its default first, then the others
    in the order :func:`multiprocessing.get_all_start_methods` lists them.
    Raises :class:`~sphinx.errors.ConfigError` for a name this platform lacks.
    """
    available = multiprocessing.get_all_start_methods()
    if only:
        if only not in available:
            raise ConfigError(
                f"Unknown multiprocessing start method {only!r}; this platform supports: "
                f"{', '.join(available)}."
            )
        return (only,)
    default = platform_default()
    return (default, *(method for method in available if method != default))


def label(method: str) -> str:
    """``"forkserver · Linux, Python 3.14+"``: the method and where readers have it by default."""
    return f"{method}{LABEL_SEPARATOR}{DEFAULT_WHERE[method]}"


def masked(output: str) -> Counter[str]:
    """The lines of ``output`` with run-to-run values masked, as a multiset.

    A multiset, because the order of lines from processes that race is not
    the program's: it differs between two runs under the same method.
    """
    lines = []
    for line in output.splitlines():
        for pattern, replacement in VARYING:
            line = pattern.sub(replacement, line)
        lines.append(line.strip())
    return Counter(lines)


def same_output(outputs: list[str]) -> bool:
    """Whether the runs printed the same, but for what differs between any two runs."""
    first, *others = [masked(output) for output in outputs]
    return all(other == first for other in others)


def tabs_rst(blocks: dict[str, str], selected: str) -> str:
    """reST of a tab set with one tab per start method, each holding that run's output block.

    ``blocks`` maps each method to the reST of its output (an output block as
    sphinx-gallery writes it, or nothing if that run printed nothing).
    """
    items = []
    for method, block in blocks.items():
        options = f"   :sync: {method}\n" + ("   :selected:\n" if method == selected else "")
        body = block.strip("\n") or f".. rst-class:: mpdocs-no-output\n\n{NO_OUTPUT}"
        items.append(f".. tab-item:: {label(method)}\n{options}\n{indent(body, '   ')}\n")
    header = f".. tab-set::\n   :sync-group: {SYNC_GROUP}\n   :class: mpdocs-start-method-tabs\n\n"
    return "\n\n" + header + indent("\n".join(items), "   ") + "\n\n"
