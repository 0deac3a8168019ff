"""Run each lesson the way a reader does: ``python lesson.py``, in a fresh interpreter.

sphinx-gallery still generates every page (text cells, code, thumbnails,
downloads, notebooks, the MD5 cache); only execution moves out of the build
process. :func:`execute_script` takes the place of sphinx-gallery's own
``gen_rst.execute_script`` (same arguments, same results). It starts a
:class:`~mpdocs.run.lesson_process.LessonProcess` for the lesson and sends it the
code cells one at a time; the lesson process runs them in its real
``__main__`` and saves the figures each cell leaves open. A cell's output is
what the lesson's terminal received while it ran; what arrives while the
interpreter exits after the last cell (joined children, ``atexit``,
multiprocessing's finalizers) is the last cell's.

Each lesson runs once per start method, one run after another, each in a
fresh lesson process (:mod:`mpdocs.run.start_methods`): the build Python's
default first, whose run draws the figures, then the others. Where the runs
print different things, the page shows each in a tab. ``mpdocs_start_method``
(or ``MPDOCS_START_METHOD``) runs the lessons under that method only. A method
reaches the lesson as a platform default would, through
``_startmethod/sitecustomize.py``, so a lesson may still choose its own.

A cell that raises fails the build with the lesson's own traceback; a lesson
past its time limit has its whole session killed and fails the build; a
process still alive after the interpreter has exited is reported (a warning)
and killed.
"""

from __future__ import annotations

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

from . import start_methods
from .lesson_process import Cell, Ending, LessonProcess, LessonTimeout
from .processes import reader_env

logger = logging.getLogger(__name__)

START_METHOD_ENV = "MPDOCS_START_METHOD"
#: Said once per lesson page, under its last output (translated by mpdocs.i18n.gallery).
PRODUCED_BY = "Output and figures of a run with {python} on {system}, {cpus} CPUs, start method {method}."
#: The same, for a lesson that ran under each start method.
PRODUCED_BY_RUNS = (
    "Output and figures of {python} on {system}, {cpus} CPUs. The lesson ran once under each "
    "start method, one after another: {first}, {second}, {third}. Where their outputs differ, "
    "a tab shows each; elsewhere they printed the same, and the page shows the {first} run, "
    "this Python's default, which also drew the figures."
)
DEFER_FIGURES = re.compile(r"^[\ \t]*#\s*sphinx_gallery_defer_figures[\ \t]*\n?", re.MULTILINE)


@dataclass
class Settings:
    #: The start methods each lesson runs under, in order; the first one's run draws the figures.
    start_methods: tuple[str, ...] = field(default_factory=start_methods.run_order)
    timeout: float = 120.0
    timeouts: dict[str, float] = field(default_factory=dict)

    def limit_for(self, lesson: str) -> float:
        """Seconds one run of ``lesson`` may take."""
        name = Path(lesson).name
        return float(self.timeouts.get(name, self.timeouts.get(Path(name).stem, self.timeout)))

    def lesson_env(self, method: str) -> dict[str, str]:
        """A reader's environment; a start method other than the platform's becomes the default."""
        return reader_env(method if method != start_methods.platform_default() else None)


settings = Settings()


@dataclass
class Run:
    """One run of a lesson under one start method."""

    method: str
    cells: dict[int, Cell]  # by the index of the code block
    failure: str | None  # the traceback or time-out that fails the lesson
    ending: Ending | None  # None if the run was stopped at its time limit
    elapsed: float  # seconds


def execute_script(
    script_blocks: list[Any],
    script_vars: dict[str, Any],
    gallery_conf: dict[str, Any],
    file_conf: dict[str, Any],
) -> tuple[list[str], float]:
    """Run the lesson under each start method; return each block's output reST and the run time.

    The runs go one after another, each in a fresh lesson process; the first
    (the build Python's default method) saves the figures. A run that fails
    fails the lesson, and the runs after it are skipped.
    """
    script_vars["example_globals"] = {}  # the lesson's globals live in its own process
    script_vars["memory_delta"] = 0.0
    outputs = [""] * len(script_blocks)
    if not script_vars["execute_script"]:
        return outputs, 0.0
    src_file = script_vars["src_file"]
    runs = []
    for method in settings.start_methods:
        run = _run_once(script_blocks, script_vars, method, draw_figures=not runs)
        runs.append(run)
        if run.failure is not None:
            break
    failed = runs[-1] if runs[-1].failure is not None else None
    shown = runs if failed is None else [failed]  # a failed run's page shows what it printed
    for index in shown[0].cells:
        outputs[index] = _output_rst(index, shown, gallery_conf)
    if shown[0].cells:
        outputs[max(shown[0].cells)] += f"\n.. rst-class:: mpdocs-produced-by\n\n{produced_by()}\n\n"
    script_vars["memory_delta"] = (
        max((cell.peak_memory for run in runs for cell in run.cells.values()), default=0) / 2**20
    )
    if failed is None and not any(run.ending.left_running for run in runs):
        # As sphinx-gallery does for a lesson that passed: it runs again only when it changes.
        target = script_vars["target_file"]
        Path(target + ".md5").write_text(gen_rst.get_md5sum(target, mode="t"))
        script_vars["passing"] = True
    elif failed is not None:
        under = f" (under the {failed.method!r} start method)" if len(settings.start_methods) > 1 else ""
        _report_failure(src_file, failed.failure, under, script_vars, gallery_conf)
    # The page says how long the script ran, as a reader would see it run: the first run.
    return outputs, runs[0].elapsed


def produced_by() -> str:
    """The sentence that says what ran the lessons: the build's Python, OS, CPUs and start methods."""
    values = {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "system": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
    }
    methods = settings.start_methods
    if len(methods) == 3:
        return PRODUCED_BY_RUNS.format(**values, first=methods[0], second=methods[1], third=methods[2])
    if len(methods) == 1:
        return PRODUCED_BY.format(**values, method=methods[0])
    raise ConfigError(f"Lessons run under one start method or under all three, not {methods}.")


def _run_once(script_blocks: list[Any], script_vars: dict[str, Any], method: str, draw_figures: bool) -> Run:
    """Run the lesson once under ``method``, log how it went, and warn of processes it left running."""
    src_file = script_vars["src_file"]
    name = Path(src_file).name
    limit = settings.limit_for(src_file)
    logger.info("mpdocs: running %s (%s, time limit %g s)", name, method, limit)
    started = time.monotonic()
    cells, failure, ending = _run(script_blocks, script_vars, method, limit, draw_figures)
    run = Run(method, cells, failure, ending, time.monotonic() - started)
    if ending is not None:
        peak = max((cell.peak_memory for cell in cells.values()), default=0) / 2**20
        logger.info("mpdocs: %s ran in %.2f s (%s), peak memory %.0f MiB", name, run.elapsed, method, peak)
        if ending.left_running:
            logger.warning(
                "%s left %d process(es) running after its interpreter exited (%s, start method %s); "
                "they were killed. Close and join every pool and process, or use a with block.",
                name,
                len(ending.left_running),
                ", ".join(ending.left_running),
                method,
                type="mpdocs",
                subtype="leftover_process",
            )
    return run


def _run(
    script_blocks: list[Any], script_vars: dict[str, Any], method: str, limit: float, draw_figures: bool
):
    """Run the cells; return ``({block index: Cell}, failure text or None, Ending or None)``.

    With ``draw_figures`` the figures are saved where sphinx-gallery expects
    them; otherwise each cell's figures are closed unsaved.
    """
    code = [index for index, block in enumerate(script_blocks) if block.type == "code"]
    images = script_vars["image_path_iterator"]
    # sphinx-gallery's path template (str.format() with the figure's number), or "": close unsaved.
    template = images.image_path if draw_figures else ""
    cells: dict[int, Cell] = {}
    failure = ending = None
    index = None
    with LessonProcess(script_vars["src_file"], env=settings.lesson_env(method), limit=limit) as lesson:
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


def _output_rst(index: int, runs: list[Run], gallery_conf: dict[str, Any]) -> str:
    """reST of code block ``index``'s figures and output: one block, or a tab per run where they differ."""
    first = runs[0].cells[index]
    images = images_rst(first.figures, gallery_conf["src_dir"])
    outputs = {run.method: run.cells[index].output for run in runs if index in run.cells}
    if len(outputs) == len(runs) and start_methods.same_output(list(outputs.values())):
        text = _text_rst(first.output)
    else:
        blocks = {method: _text_rst(output) for method, output in outputs.items()}
        text = start_methods.tabs_rst(blocks, selected=runs[0].method)
    return f"\n{images}\n\n{text}\n\n\n"


def images_rst(saved: list[dict[str, str]], src_dir: str) -> str:
    """reST for the figures one cell saved (``{"path", "alt"}`` each, see mpdocs.run.lesson_main).

    The alt text is not in the reST: a page can show the one of the figure
    drawn in its language (:mod:`mpdocs.figures.variants`).
    """
    rst = [_image_rst(Path(figure["path"]), src_dir) for figure in saved]
    if len(rst) > 1:
        return "\n\n.. rst-class:: sphx-glr-horizontal\n\n" + "\n".join(rst)
    return "".join(rst)


def _image_rst(path: Path, src_dir: str) -> str:
    uri = "/" + path.relative_to(src_dir).as_posix()
    return f"\n\n.. image:: {uri}\n   :class: sphx-glr-single-img\n\n"


def _text_rst(output: str) -> str:
    return gen_rst.CODE_OUTPUT.format(indent(output, " " * 4)) if output.strip() else ""


def _report_failure(
    src_file: str, failure: str, under: str, script_vars: dict[str, Any], gallery_conf: dict[str, Any]
) -> None:
    """As sphinx-gallery reports a failing example: a warning, or info if it is expected to fail."""
    from sphinx_gallery.gen_gallery import _expected_failing_examples

    relative = os.path.relpath(src_file, gallery_conf["src_dir"])
    message = "\n%s%s unexpectedly failed to execute correctly:\n\n%s"
    if src_file in _expected_failing_examples(gallery_conf):
        logger.info(message.replace("unexpectedly", "expectedly"), relative, under, indent(failure, "    "))
    else:
        logger.warning(
            message, relative, under, indent(failure, "    "), type="mpdocs", subtype="lesson_error"
        )
    script_vars["formatted_exception"] = failure
    script_vars["execute_script"] = False
