"""Run each lesson the way a reader does: ``python lesson.py``, in a fresh interpreter.

sphinx-gallery still generates every page (text cells, code, thumbnails,
downloads, notebooks, the MD5 cache); only execution moves out of the build
process. :func:`execute_script` takes the place of sphinx-gallery's own
``gen_rst.execute_script`` (same arguments, same results). It starts a
:class:`~mpdocs.lesson_process.LessonProcess` for the lesson and sends it the
code cells one at a time; the lesson process runs them in its real
``__main__`` and saves the figures each cell leaves open. A cell's output is
what the lesson's terminal received while it ran; what arrives while the
interpreter exits after the last cell (joined children, ``atexit``,
multiprocessing's finalizers) is the last cell's.

The build's start method (``mpdocs_start_method``, or ``MPDOCS_START_METHOD``)
reaches the lesson as a platform default would, through
``_startmethod/sitecustomize.py``, so a lesson may still choose its own.

A cell that raises fails the build with the lesson's own traceback; a lesson
past its time limit has its whole session killed and fails the build; a
process still alive after the interpreter has exited is reported (a warning)
and killed.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import platform
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from textwrap import indent
from typing import Any

from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx_gallery import gen_rst

from . import figures
from .lesson_process import Cell, Ending, LessonProcess, LessonTimeout
from .processes import reader_env

logger = logging.getLogger(__name__)

START_METHOD_ENV = "MPDOCS_START_METHOD"
#: Said once per lesson page, under its last output (translated by mpdocs.gallery_i18n).
PRODUCED_BY = "Output and figures of a run with {python} on {system}, {cpus} CPUs, start method {method}."
DEFER_FIGURES = re.compile(r"^[\ \t]*#\s*sphinx_gallery_defer_figures[\ \t]*\n?", re.MULTILINE)


def platform_default_start_method() -> str:
    """The start method this Python uses when nobody chooses one."""
    return multiprocessing.context._default_context._default_context.get_start_method()


def check_start_method(method: str | None) -> str:
    """Return ``method``, or the platform default for ``None``/empty; refuse unknown names."""
    if not method:
        return platform_default_start_method()
    valid = multiprocessing.get_all_start_methods()
    if method not in valid:
        raise ConfigError(
            f"Unknown multiprocessing start method {method!r}; this platform supports: {', '.join(valid)}."
        )
    return method


@dataclass
class Settings:
    start_method: str = field(default_factory=platform_default_start_method)
    timeout: float = 120.0
    timeouts: dict[str, float] = field(default_factory=dict)

    def limit_for(self, lesson: str) -> float:
        name = Path(lesson).name
        return float(self.timeouts.get(name, self.timeouts.get(Path(name).stem, self.timeout)))

    def lesson_env(self) -> dict[str, str]:
        """A reader's environment; a start method other than the platform's becomes the default."""
        chosen = self.start_method if self.start_method != platform_default_start_method() else None
        return reader_env(chosen)


settings = Settings()


def execute_script(
    script_blocks: list[Any],
    script_vars: dict[str, Any],
    gallery_conf: dict[str, Any],
    file_conf: dict[str, Any],
) -> tuple[list[str], float]:
    """Run the lesson's code cells in a lesson process; return each block's output reST and the run time."""
    script_vars["example_globals"] = {}  # the lesson's globals live in its own process
    script_vars["memory_delta"] = 0.0
    outputs = [""] * len(script_blocks)
    if not script_vars["execute_script"]:
        return outputs, 0.0
    src_file = script_vars["src_file"]
    name = Path(src_file).name
    limit = settings.limit_for(src_file)
    logger.info("mpdocs: running %s (%s, time limit %g s)", name, settings.start_method, limit)
    started = time.monotonic()
    cells, failure, ending = _run(script_blocks, script_vars, limit)
    elapsed = time.monotonic() - started
    for index, cell in cells.items():
        outputs[index] = _output_rst(cell, gallery_conf["src_dir"])
    if cells:
        outputs[max(cells)] += f"\n.. rst-class:: mpdocs-produced-by\n\n{produced_by()}\n\n"
    if ending is not None:
        peak = max(cell.peak_memory for cell in cells.values()) / 2**20 if cells else 0.0
        script_vars["memory_delta"] = peak
        logger.info("mpdocs: %s ran in %.2f s, peak memory %.0f MiB", name, elapsed, peak)
        if ending.left_running:
            logger.warning(
                "%s left %d process(es) running after its interpreter exited (%s); they were killed. "
                "Close and join every pool and process, or use a with block.",
                name,
                len(ending.left_running),
                ", ".join(ending.left_running),
                type="mpdocs",
                subtype="leftover_process",
            )
    if failure is None and not ending.left_running:
        # As sphinx-gallery does for a lesson that passed: it runs again only when it changes.
        target = script_vars["target_file"]
        Path(target + ".md5").write_text(gen_rst.get_md5sum(target, mode="t"))
        script_vars["passing"] = True
    elif failure is not None:
        _report_failure(src_file, failure, script_vars, gallery_conf)
    return outputs, elapsed


def produced_by() -> str:
    """The sentence that says what ran the lessons: the build's Python, OS, CPUs and start method."""
    return PRODUCED_BY.format(
        python=f"{platform.python_implementation()} {platform.python_version()}",
        system=f"{platform.system()} {platform.machine()}",
        cpus=os.cpu_count(),
        method=settings.start_method,
    )


def _run(script_blocks: list[Any], script_vars: dict[str, Any], limit: float):
    """Run the cells; return ``({block index: Cell}, failure text or None, Ending or None)``."""
    code = [index for index, block in enumerate(script_blocks) if block.type == "code"]
    images = script_vars["image_path_iterator"]
    template = images.image_path  # sphinx-gallery's: str.format() with the figure's number
    cells: dict[int, Cell] = {}
    failure = ending = None
    index = None
    with LessonProcess(script_vars["src_file"], env=settings.lesson_env(), limit=limit) as lesson:
        try:
            for index in code:
                block = script_blocks[index]
                keep_open = DEFER_FIGURES.search(block.content)
                cell = lesson.run_cell(
                    block.content,
                    block.lineno,
                    None if keep_open else template,
                    len(images) + 1,
                    index == code[-1],
                )
                for _ in cell.figures:
                    next(images)
                cells[index] = cell
                if cell.status != "ok":
                    break
            ending = lesson.finish()
        except LessonTimeout as timeout:
            if index is not None:
                cells.setdefault(index, Cell()).output += lesson.take_output()
            name = Path(script_vars["src_file"]).name
            hint = f"If it really needs longer, raise its limit with mpdocs_timeouts = {{{name!r}: seconds}}."
            return cells, f"{type(timeout).__name__}: {timeout}. {hint}\n", None
    if index is not None:
        cells[index].output += ending.output
        failure = _failure(cells[index], ending)
    return cells, failure, ending


def _failure(last: Cell, ending: Ending) -> str | None:
    """The traceback or exit status that fails the lesson, or ``None`` if it ended well."""
    if last.status == "error":
        return last.traceback
    if ending.returncode != 0:
        how = "sys.exit()" if last.status == "exit" else "the lesson process ended during a cell"
        return f"{how}: exit status {ending.returncode}\n"
    return None


def _output_rst(cell: Cell, src_dir: str) -> str:
    images = figures.images_rst(cell.figures, src_dir)
    text = gen_rst.CODE_OUTPUT.format(indent(cell.output, " " * 4)) if cell.output.strip() else ""
    return f"\n{images}\n\n{text}\n\n\n"


def _report_failure(
    src_file: str, failure: str, script_vars: dict[str, Any], gallery_conf: dict[str, Any]
) -> None:
    """As sphinx-gallery reports a failing example: a warning, or info if it is expected to fail."""
    from sphinx_gallery.gen_gallery import _expected_failing_examples

    relative = os.path.relpath(src_file, gallery_conf["src_dir"])
    message = "\n%s unexpectedly failed to execute correctly:\n\n%s"
    if src_file in _expected_failing_examples(gallery_conf):
        logger.info(message.replace("unexpectedly", "expectedly"), relative, indent(failure, "    "))
    else:
        logger.warning(message, relative, indent(failure, "    "), type="mpdocs", subtype="lesson_error")
    script_vars["formatted_exception"] = failure
    script_vars["execute_script"] = False
