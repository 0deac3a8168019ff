"""Make sphinx-gallery run a lesson the way ``python lesson.py`` would.

sphinx-gallery executes a lesson inside the build process, in a fake
``__main__`` module. This module adjusts that execution so multiprocessing
behaves as it does for a reader:

* ``__file__`` is set and ``__spec__`` is ``None``, so spawn and forkserver
  children re-import the lesson as ``__mp_main__`` and find its functions;
* the start method chosen for the build becomes the *default*, as a platform
  default would be, so a lesson may still call ``set_start_method()`` itself;
* child output is relayed into the page (see :mod:`mpdocs.relay`);
* each lesson has a time limit; past it, its processes are killed and the
  lesson fails with :class:`LessonTimeout`;
* processes a lesson leaves running are reported and killed, and the
  forkserver is stopped, so nothing outlives the lesson;
* children are numbered from ``Process-1`` in every lesson, as in a fresh
  interpreter.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import multiprocessing.pool
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.errors import ConfigError
from sphinx.util import logging

from .relay import ChildOutputRelay
from .reusable import stop_reusable_workers

logger = logging.getLogger(__name__)

START_METHOD_ENV = "MPDOCS_START_METHOD"
#: After the limit, the timeout is raised again at this interval, in case a
#: lesson's own ``except Exception`` swallowed the first one.
RETRY_INTERVAL = 5.0


class LessonTimeout(Exception):
    """A lesson ran past its time limit."""


def platform_default_start_method() -> str:
    """The start method this Python uses when nobody chooses one."""
    return multiprocessing.context._default_context._default_context.get_start_method()


def check_start_method(method: str | None) -> str:
    """Return ``method``, or the platform default for ``None``/empty; refuse unknown names."""
    if not method:
        return _PLATFORM_DEFAULT
    valid = multiprocessing.get_all_start_methods()
    if method not in valid:
        raise ConfigError(
            f"Unknown multiprocessing start method {method!r}; this platform supports: {', '.join(valid)}."
        )
    return method


def make_default_start_method(method: str) -> None:
    """Make ``method`` the default start method, as if the platform had chosen it.

    ``set_start_method()`` would fix the method for good, and a lesson that
    calls ``set_start_method()`` itself would then fail only in the build.
    """
    default = multiprocessing.context._default_context
    default._default_context = multiprocessing.get_context(method)
    default._actual_context = None


_PLATFORM_DEFAULT = platform_default_start_method()


@dataclass
class Settings:
    start_method: str = _PLATFORM_DEFAULT
    timeout: float = 120.0
    timeouts: dict[str, float] = field(default_factory=dict)

    def limit_for(self, lesson: str) -> float:
        name = Path(lesson).name
        return float(self.timeouts.get(name, self.timeouts.get(Path(name).stem, self.timeout)))


settings = Settings()
_relay: ChildOutputRelay | None = None
_running: str | None = None
_started = 0.0


def start(new_settings: Settings) -> None:
    """Called once per build before any lesson runs."""
    global settings
    settings = new_settings


def finish() -> None:
    """Called once per build after every lesson ran."""
    global _relay
    if _relay is not None:
        _relay.close()
        _relay = None


def relay() -> ChildOutputRelay | None:
    return _relay


# -- hooks named in sphinx_gallery_conf ------------------------------------------
def reset_argv(gallery_conf: dict[str, Any], script_vars: dict[str, Any]) -> list[str]:
    """Give the fake ``__main__`` what a real one has; called before each lesson runs."""
    example_globals = script_vars["example_globals"]
    example_globals["__file__"] = str(script_vars["src_file"])
    # With a __spec__, children would look for a module named "__main__" and
    # skip it; without one they run the file by path, as for `python file.py`.
    example_globals["__spec__"] = None
    return []


def reset_modules(gallery_conf: dict[str, Any], fname: str, when: str) -> None:
    """Set up before and clean up after each lesson."""
    if when == "before":
        _before_lesson(fname)
    else:
        _after_lesson(fname)


# -- one lesson ------------------------------------------------------------------
def _before_lesson(fname: str) -> None:
    global _running, _started, _relay
    _running = fname
    make_default_start_method(settings.start_method)
    # Name children Process-1, Process-2... from 1 in every lesson, as a fresh interpreter does.
    multiprocessing.process._process_counter = itertools.count(1)
    _stop_forkserver()  # a forkserver keeps the streams and main module it started with
    if _relay is None:  # only builds that run a lesson need one
        _relay = ChildOutputRelay()
    _relay.start_lesson()
    limit = settings.limit_for(fname)
    logger.info("mpdocs: running %s (%s, time limit %g s)", Path(fname).name, settings.start_method, limit)
    _started = time.monotonic()
    signal.signal(signal.SIGALRM, _on_timeout)
    signal.setitimer(signal.ITIMER_REAL, limit, RETRY_INTERVAL)


def _after_lesson(fname: str) -> None:
    global _running
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    logger.info("mpdocs: %s ran in %.2f s", Path(fname).name, time.monotonic() - _started)
    stop_reusable_workers()  # joblib keeps its workers for the next call
    left_running = _stop_children(grace=2.0)
    if left_running:
        logger.warning(
            "%s left %d process(es) running after it finished (%s); they were killed. "
            "Close and join every pool and process, or use a with block.",
            fname,
            len(left_running),
            ", ".join(left_running),
            type="mpdocs",
            subtype="leftover_process",
        )
    _stop_forkserver()
    if _relay is not None:
        for line in _relay.end_lesson():
            logger.info("[child output after %s ended] %s", Path(fname).name, line.rstrip())
    make_default_start_method(settings.start_method)
    _running = None


def _on_timeout(signum: int, frame: Any) -> None:
    lesson = _running or "a lesson"
    limit = settings.limit_for(lesson)
    killed = _stop_children(grace=0)
    raise LessonTimeout(
        f"{Path(lesson).name} ran past its time limit of {limit:g} s and was stopped"
        + (f"; its processes were killed ({', '.join(killed)})" if killed else "")
        + ". If it really needs longer, raise its limit with "
        f"mpdocs_timeouts = {{{Path(lesson).name!r}: seconds}} in conf.py."
    )


def _stop_children(grace: float) -> list[str]:
    """Wait up to ``grace`` seconds for children, then kill the rest; name those killed."""
    deadline = time.monotonic() + grace
    for child in multiprocessing.active_children():
        child.join(max(0.0, deadline - time.monotonic()))
    if multiprocessing.active_children():
        # A pool still running would replace the workers killed below.
        for obj in gc.get_objects():
            if isinstance(obj, multiprocessing.pool.Pool) and obj._state == "RUN":
                obj.terminate()
    killed = []
    for child in multiprocessing.active_children():
        killed.append(f"{child.name} pid {child.pid}")
        try:
            child.kill()
        except AttributeError:  # loky's Popen, which joblib registers as a child, has no kill()
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)
        child.join(5)
    return killed


def _stop_forkserver() -> None:
    # CPython's own test-suite helper; public API has no way to stop the server.
    multiprocessing.forkserver._forkserver._stop()
