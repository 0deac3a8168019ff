"""The Dask lessons: on the LocalCluster they start, and on a cluster started apart from them.

The second half is the setting a reader uses for a real cluster: a
``dask scheduler`` and two ``dask worker`` processes, each started as a
separate command on 127.0.0.1, and ``DASK_SCHEDULER_ADDRESS`` pointing the
unchanged lessons at them.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES

from mpdocs.testing import (
    LESSON_START_METHODS,
    lesson_lines,
    printed_after,
    reader_env,
    run,
    session_processes,
    value_printed_after,
)

SECTION = EXAMPLES / "03_beyond_one_machine"
CLIENT = SECTION / "plot_02_dask_client.py"
DATA = SECTION / "plot_03_dask_data.py"
OVERHEAD = SECTION / "plot_04_dask_overhead.py"
DASK_LESSONS = [CLIENT, DATA, OVERHEAD]
WORKER_NAMES = ("alpha", "beta")
SQUARES = [x * x for x in range(8)]


def check_client_lesson(lines):
    for prefix in ("Pool.map:", "executor.map:", "client.map + gather:"):
        assert ast.literal_eval(printed_after(lines, prefix).strip()) == SQUARES
    assert printed_after(lines, "sum of the squares: ") == str(sum(SQUARES))
    assert printed_after(lines, "status of one square's future: ") == "finished"
    # Naps of 0.9 and 0.1 s start at once on the two workers: the short one ends first.
    # (Where the 0.3 s nap waits, and so the rest of the order, is the scheduler's choice.)
    order = value_printed_after(lines, "finished in this order: ")
    assert sorted(order) == [0.1, 0.3, 0.9]
    assert order[0] == 0.1
    assert printed_after(lines, "ProcessPoolExecutor: ") == printed_after(lines, "client.get_executor(): ")
    assert lines[-1] == "client closed"


def check_data_lesson(lines):
    assert printed_after(lines, "a lambda on the cluster: ") == "42"
    assert printed_after(lines, "lengths the tasks saw: ") == "{8000000}"
    assert re.fullmatch(r"tcp://127\.0\.0\.1:\d+", printed_after(lines, "the 20 MB result is on "))
    assert printed_after(lines, "the task that used it ran on the same worker: ") == "True"
    assert printed_after(lines, "still held by a worker after del: ") == "False"


def check_overhead_lesson(lines):
    timed = [line for line in lines if re.fullmatch(r"[\w ,]+: \d+\.\d\d s, \d+\.\d\d s, \d+\.\d\d s", line)]
    assert [line.split(":")[0] for line in timed] == ["Pool", "ProcessPoolExecutor", "Dask, 2 worker threads"]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_client_lesson_on_a_local_cluster(start_method):
    lines = lesson_lines(CLIENT, start_method)
    assert re.fullmatch(
        r"connected to tcp://127\.0\.0\.1:\d+, a LocalCluster this script started", lines[0]
    ), lines[0]
    check_client_lesson(lines)
    assert printed_after(lines, "dashboard: ").startswith("http://127.0.0.1:")
    assert [line for line in lines if line.startswith("worker ")] == [
        "worker 0: 1 thread(s)",
        "worker 1: 1 thread(s)",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_data_lesson_on_a_local_cluster(start_method):
    check_data_lesson(lesson_lines(DATA, start_method))


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_overhead_lesson_times_three_ways(start_method):
    check_overhead_lesson(lesson_lines(OVERHEAD, start_method))


# -- A cluster started apart from the lessons ----------------------------------


def dask_command(*args: str) -> list[str]:
    """The ``dask`` command of the Python running the tests."""
    script = Path(sys.executable).with_name("dask")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "dask", *args]


def stop(processes: list[subprocess.Popen], timeout: float = 30) -> list[int]:
    """SIGTERM each process, as Ctrl-C or a service manager would; return PIDs still alive after."""
    for proc in processes:
        proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for proc in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(max(0.1, deadline - time.monotonic()))
    time.sleep(0.5)  # a nanny's worker process may end just after the nanny
    left = [pid for proc in processes for pid in session_processes(proc.pid)]
    for proc in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    return left


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A scheduler and two workers on 127.0.0.1, each its own command in its own session."""
    folder = tmp_path_factory.mktemp("dask-cluster")
    scheduler_file = folder / "scheduler.json"
    logs = []

    def start(name: str, *args: str) -> subprocess.Popen:
        log = open(folder / f"{name}.log", "w")  # noqa: SIM115 (closed at teardown)
        logs.append(log)
        return subprocess.Popen(
            dask_command(*args),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=reader_env(),
            cwd=folder,
            start_new_session=True,
        )

    processes = [
        start(
            "scheduler",
            "scheduler",
            *("--host", "127.0.0.1", "--port", "0", "--dashboard-address", "127.0.0.1:0"),
            *("--scheduler-file", str(scheduler_file)),
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert scheduler_file.exists(), (folder / "scheduler.log").read_text()
        for name in WORKER_NAMES:
            processes.append(
                start(
                    name,
                    "worker",
                    *("--scheduler-file", str(scheduler_file), "--name", name),
                    *("--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1"),
                    *("--no-dashboard", "--death-timeout", "60"),
                )
            )
        address = json.loads(scheduler_file.read_text())["address"]
        wait_for_workers(address, len(WORKER_NAMES), folder)
        yield address, processes
    finally:
        left = stop(processes)
        for log in logs:
            log.close()
    assert left == [], f"the cluster left processes running: {left}"


def wait_for_workers(address: str, count: int, folder: Path, timeout: float = 60) -> None:
    """Wait until ``count`` workers have joined the scheduler at ``address``."""
    from distributed import Client

    with Client(address, timeout=30) as client:
        try:
            client.wait_for_workers(count, timeout=timeout)
        except TimeoutError:
            logs = "\n".join(log.read_text() for log in sorted(folder.glob("*.log")))
            pytest.fail(f"{count} workers did not join within {timeout} s:\n{logs}")


def run_on_cluster(lesson: Path, address: str) -> list[str]:
    env = reader_env(DASK_SCHEDULER_ADDRESS=address)
    result, leftovers = run([sys.executable, lesson.name], timeout=120, env=env, cwd=lesson.parent)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert leftovers == [], "the lesson started processes of its own that outlived it"
    return result.stdout.splitlines()


def test_client_lesson_on_a_separate_cluster(dask_cluster):
    address, processes = dask_cluster
    lines = run_on_cluster(CLIENT, address)
    assert lines[0] == f"connected to {address}, the scheduler named by DASK_SCHEDULER_ADDRESS"
    check_client_lesson(lines)
    # The workers are the ones started above, by the names given to them.
    assert [line for line in lines if line.startswith("worker ")] == [
        f"worker {name!r}: 1 thread(s)" for name in WORKER_NAMES
    ]
    # Closing the client left the cluster running for the next one.
    assert all(proc.poll() is None for proc in processes)


def test_data_lesson_on_a_separate_cluster(dask_cluster):
    address, _ = dask_cluster
    lines = run_on_cluster(DATA, address)
    assert lines[0] == f"connected to {address}"
    check_data_lesson(lines)


def test_overhead_lesson_on_a_separate_cluster(dask_cluster):
    address, _ = dask_cluster
    check_overhead_lesson(run_on_cluster(OVERHEAD, address))
