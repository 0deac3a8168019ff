"""The lesson on logging from workers, run as a script under each start method."""

from __future__ import annotations

import platform
import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_04_logging.py"
POOL_WORKER = {"fork": "ForkPoolWorker", "spawn": "SpawnPoolWorker", "forkserver": "ForkServerPoolWorker"}
# The clock time at the start of each line varies from run to run.
LISTENED = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} (\S+) \(pid (\d+)\) (INFO|WARNING): (.*)$")
QUEUE_ERROR = "RuntimeError: Queue objects should only be shared between processes through inheritance"
SEMLOCK = re.compile(r"   stderr \| \[DEBUG/MainProcess\] created semlock with handle \d+")
SHARED = re.compile(r"shared: 900 lines logged, (\d+) in the files \((\d+) logging errors\)")
UNCONFIGURED = [
    "   stdout | root handlers in the worker: []",
    "   stderr | INFO [MainProcess] parent: info",
    # logging.lastResort: the bare message, and no INFO record.
    "   stderr | worker: warning",
]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_only_a_forked_worker_inherits_the_parents_logging_configuration(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Each variant asks for its start method explicitly: the same under every default.
    assert lines[:13] == [
        "start method 'fork':",
        "   stdout | root handlers in the worker: [<StreamHandler <stderr> (NOTSET)>]",
        "   stderr | INFO [MainProcess] parent: info",
        "   stderr | INFO [ForkProcess-1] worker: info",
        "   stderr | WARNING [ForkProcess-1] worker: warning",
        "start method 'spawn':",
        *UNCONFIGURED,
        "start method 'forkserver':",
        *UNCONFIGURED,
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_every_record_reaches_the_one_listener_with_its_process(start_method):
    lines = lesson_lines(LESSON, start_method)
    records = [LISTENED.match(line).groups() for line in lines[13 : lines.index(QUEUE_ERROR)]]
    assert len(records) == 15
    parent_pid = records[0][1]
    assert records[0] == ("MainProcess", parent_pid, "INFO", "pool of 2 workers started")
    assert records[-1] == ("MainProcess", parent_pid, "INFO", "results: [0, 1, 4, 9, 16, 25]")
    workers = records[1:-1]
    assert all(re.fullmatch(POOL_WORKER[start_method] + r"-\d+", name) for name, *_ in workers)
    assert all(pid != parent_pid for _, pid, _, _ in workers)
    # Which worker ran which task varies; each task's records came from one worker, in order.
    for n in range(6):
        mine = [(pid, message) for _, pid, _, message in workers if message.startswith(f"task {n} ")]
        expected = ["started", "is slower than it should be", "done"] if n == 4 else ["started", "done"]
        assert [message.removeprefix(f"task {n} ") for _, message in mine] == expected
        assert len({pid for pid, _ in mine}) == 1
    assert [level for *_, level, _ in workers].count("WARNING") == 1


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_listener_as_a_context_manager_from_3_14(start_method):
    lines = lesson_lines(LESSON, start_method)
    at = lines.index(QUEUE_ERROR)
    if sys.version_info >= (3, 14):
        records = [LISTENED.match(line).groups() for line in lines[at + 1 : at + 4]]
        assert [(level, message) for _, _, level, message in records] == [
            ("INFO", "task 4 started"),
            ("WARNING", "task 4 is slower than it should be"),
            ("INFO", "task 4 done"),
        ]
    else:
        assert lines[at + 1] == (
            f"QueueListener as a context manager needs Python 3.14; this run used {platform.python_version()}"
        )


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_multiprocessing_logs_to_its_own_logger(start_method):
    lines = lesson_lines(LESSON, start_method)
    at = lines.index("name 'multiprocessing', propagate False, handlers []")
    end = next(i for i, line in enumerate(lines) if line.startswith("shared: "))
    logged = lines[at + 1 : end]
    assert "   stdout | hello" in logged
    assert any(SEMLOCK.fullmatch(line) for line in logged)
    assert "   stderr | [INFO/Process-1] child process calling self.run()" in logged
    assert "   stderr | [INFO/Process-1] process exiting with exitcode 0" in logged
    assert "   stderr | [INFO/MainProcess] process shutting down" in logged


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_one_rotating_file_shared_by_forked_workers_against_a_listener(start_method):
    lines = lesson_lines(LESSON, start_method)
    shared = [match for match in map(SHARED.fullmatch, lines) if match]
    assert len(shared) == 3
    # How many lines the shared handler loses varies from run to run, and may be none.
    assert all(int(match[1]) <= 900 for match in shared)
    assert lines[-1] == "queue: 900 lines logged, 900 in the files (0 logging errors)"
