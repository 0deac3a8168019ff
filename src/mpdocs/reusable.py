"""Stop the worker processes that libraries keep between calls, as a script's exit would.

joblib's loky backend keeps its workers idle for minutes after a
``Parallel`` call so that the next call starts at once; they end when the
script ends. A build (or a test run) goes on after a lesson, so it stops
them itself instead of reporting them as left running.
"""

from __future__ import annotations

import sys


def stop_reusable_workers() -> None:
    """Shut down joblib's reusable executor, if a lesson started one."""
    reusable = sys.modules.get("joblib.externals.loky.reusable_executor")
    executor = getattr(reusable, "_executor", None)
    if executor is None:
        return
    if hasattr(executor, "terminate"):  # joblib's executor also removes its memory-map folder
        executor.terminate(kill_workers=False)
    else:
        executor.shutdown(wait=True)


def stop_loky_resource_tracker() -> None:
    """Stop loky's resource tracker process, which otherwise lives until this process exits."""
    tracker = sys.modules.get("joblib.externals.loky.backend.resource_tracker")
    if tracker is not None:
        tracker._resource_tracker._stop()
