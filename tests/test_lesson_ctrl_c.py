"""The lesson on Ctrl-C and a pool, run as a script: two scripts get SIGINT."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import START_METHODS, run_lesson

LESSON = EXAMPLES / "02_pools" / "plot_11_ctrl_c.py"
MESSAGE = "  stdout | Interrupted: pool stopped, exiting."


def run(start_method):
    result, leftovers = run_lesson(LESSON, start_method)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    # The scripts run in the lesson's session: whatever they left would be found.
    assert leftovers == [], f"processes left running: {leftovers}"
    lines = result.stdout.splitlines()
    clean = lines.index("clean script: exit code 130")
    # Only the clean pattern is guaranteed to end: the naive one may hang (the lesson says so).
    assert not any("hung" in line for line in lines[clean:]), result.stdout
    return lines[:clean], lines[clean:]


@pytest.mark.parametrize("start_method", START_METHODS)
def test_naive_script_dies_of_sigint_with_tracebacks(start_method):
    naive, _ = run(start_method)
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


@pytest.mark.parametrize("start_method", START_METHODS)
def test_clean_script_prints_one_message_and_exits_130(start_method):
    _, clean = run(start_method)
    # Both workers announce their task before the interrupt, in either order.
    assert clean[0] == "clean script: exit code 130"
    assert sorted(clean[1:3]) == ["  stdout | task 0 running", "  stdout | task 1 running"]
    assert clean[3:] == [MESSAGE, "standard error: 0 characters"]
