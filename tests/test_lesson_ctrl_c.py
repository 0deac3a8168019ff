"""The lesson on Ctrl-C and a pool, run as a script: four scripts get SIGINT."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, run_lesson

LESSON = EXAMPLES / "02_pools" / "plot_11_ctrl_c.py"
MESSAGE = "  stdout | Interrupted: pool stopped, exiting."
HEADERS = ("clean script: exit code", "executor, shutdown(): exit code", "executor, stopped: exit code")


def run(start_method):
    """The lesson's lines, cut where each script's report begins (the naive one first)."""
    result, leftovers = run_lesson(LESSON, start_method)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    # The scripts run in the lesson's session: whatever they left would be found.
    assert leftovers == [], f"processes left running: {leftovers}"
    lines = result.stdout.splitlines()
    starts = [next(i for i, line in enumerate(lines) if line.startswith(header)) for header in HEADERS]
    naive, clean, shutdown, stopped = (lines[a:b] for a, b in zip([0, *starts], [*starts, None], strict=True))
    # Only the naive script may hang (the lesson says so); the others always end.
    assert not any("hung" in line for line in clean + shutdown + stopped), result.stdout
    return naive, clean, shutdown, stopped


def tasks(lines, state):
    return {m[1] for m in map(re.compile(rf"^  stdout \| task (\d) {state}$").match, lines) if m}


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_naive_script_dies_of_sigint_with_tracebacks(start_method):
    naive, *_ = run(start_method)
    if naive[0] == "naive script: hung, killed after the time limit":
        # A worker handler thread that tries to fork at shutdown can keep it alive.
        naive = naive[1:]
        assert naive[0] == "naive script: exit code -9 (killed by SIGKILL)"
    else:
        assert naive[0] == "naive script: exit code -2 (killed by SIGINT)"
    assert {"  stdout | task 0 running", "  stdout | task 1 running"} <= set(naive)
    count = re.fullmatch(r"tracebacks printed: (\d+)", naive[-1])
    assert count is not None, naive
    # The main process's traceback always; the workers' race their termination.
    assert int(count[1]) >= 1
    assert "  stderr | Traceback (most recent call last):" in naive
    assert "  stderr | KeyboardInterrupt" in naive


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_clean_script_prints_one_message_and_exits_130(start_method):
    _, clean, *_ = run(start_method)
    # Both workers announce their task before the interrupt, in either order.
    assert clean[0] == "clean script: exit code 130"
    assert sorted(clean[1:3]) == ["  stdout | task 0 running", "  stdout | task 1 running"]
    assert clean[3:] == [MESSAGE, "standard error: 0 characters"]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_executor_shutdown_lets_the_tasks_it_handed_out_run_to_the_end(start_method):
    _, _, shutdown, _ = run(start_method)
    assert shutdown[0] == "executor, shutdown(): exit code 130"
    message = shutdown.index("  stdout | Interrupted: executor shut down, exiting.")
    assert {"0", "1"} <= tasks(shutdown[:message], "running")
    # Workers that ignore SIGINT finish every task they started, before the message or after it.
    assert tasks(shutdown, "done") == tasks(shutdown, "running")
    after = re.fullmatch(r"tasks that ended after the message: (\d)", shutdown[-2])
    assert after is not None, shutdown
    assert int(after[1]) == len(tasks(shutdown[message:], "done")) >= 1
    # cancel_futures cancelled the tasks still waiting in the executor: 8 were submitted.
    assert len(tasks(shutdown, "running")) < 8
    assert re.fullmatch(r"every process gone \d+\.\d\d s after Ctrl-C", shutdown[-1])
    assert not any(line.startswith("  stderr |") for line in shutdown)


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_stopped_executor_runs_no_task_after_ctrl_c_and_says_how(start_method):
    *_, stopped = run(start_method)
    how = "terminate_workers()" if sys.version_info >= (3, 14) else "terminate() on each worker"
    assert stopped[0] == "executor, stopped: exit code 130"
    message = stopped.index(f"  stdout | Interrupted: workers stopped with {how}, exiting.")
    assert {"0", "1"} <= tasks(stopped[:message], "running")
    assert stopped[message + 1] == "tasks that ended after the message: 0"
    assert re.fullmatch(r"every process gone \d+\.\d\d s after Ctrl-C", stopped[message + 2])
    assert len(stopped) == message + 3, stopped
