"""The pitfalls lesson, run as a script under each start method."""

from __future__ import annotations

import ast
import io
import platform
import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "02_pools" / "plot_12_pitfalls.py"
BOOTSTRAP = (
    "RuntimeError: An attempt has been made to start a new process before the "
    "current process has finished its bootstrapping phase."
)
UNCLOSED = (
    "ResourceWarning: unclosed running multiprocessing pool <multiprocessing.pool.Pool state=RUN pool_size=2>"
)
WORKER_SAW = re.compile(r"^worker \d+ saw: (\[.*\])$")
VERSION = sys.version_info[:3]
# gh-126631: from 3.13.8 and 3.14.1 the fork server imports the main module itself.
SERVER_IMPORTS_MAIN = VERSION >= (3, 14, 1) or (3, 13, 8) <= VERSION < (3, 14)


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_lambdas_and_local_functions_fail_to_pickle(start_method):
    lines = lesson_lines(LESSON, start_method)
    # The exception type and wording depend on the Python version.
    errors = ("PicklingError: ", "AttributeError: ")
    assert lines[0].startswith(errors)
    assert "<lambda>" in lines[0]
    assert lines[1].startswith(errors)
    assert "make_local.<locals>.local_double" in lines[1]
    assert lines[2] == "top-level function: [2, 4, 6]"


def block(lines: list[str], first: str) -> list[str]:
    """The line ``first`` and the indented lines under it."""
    start = lines.index(first)
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return lines[start:end]


def failed_like_spawn(lines: list[str], method: str) -> None:
    """Each worker ran the unguarded pool and died; get() timed out in the parent."""
    assert lines[0] == f"{method}: exit code 1"
    assert re.fullmatch(r"    [1-9]\d*x RuntimeError", lines[1]), lines
    assert lines[2:] == ["    1x multiprocessing.context.TimeoutError"]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_missing_guard_fails_by_start_method_and_version(start_method):
    lines = lesson_lines(LESSON, start_method)
    at = lines.index(f"Python {platform.python_version()}")
    # Each script chooses its start method: the lesson's default changes nothing.
    # A forked worker imports nothing: the missing guard goes unnoticed.
    assert block(lines, "fork: exit code 0") == ["fork: exit code 0", "    printed: [1, 2]"]
    assert lines.index("fork: exit code 0") == at + 1
    failed_like_spawn(block(lines, "spawn: exit code 1"), "spawn")
    forkserver = block(lines, "forkserver: exit code 1")
    if SERVER_IMPORTS_MAIN and VERSION < (3, 15):
        # gh-126631: the fork server imports __main__, and the RuntimeError ends it.
        assert forkserver[1:] == [
            "    1x RuntimeError",
            "    1x ConnectionResetError: [Errno 104] Connection reset by peer",
        ]
    else:
        # Each worker imports __main__ (before gh-126631), or the server ignores its failure (gh-141860).
        failed_like_spawn(forkserver, "forkserver")
    assert lines[at + 1 + 2 + 3 + len(forkserver)] == BOOTSTRAP
    # With the guard, both work.
    fixed = lines.index(BOOTSTRAP) + 1
    assert lines[fixed : fixed + 4] == [
        "spawn: exit code 0",
        "    printed: [1, 2]",
        "forkserver: exit code 0",
        "    printed: [1, 2]",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_pool_never_closed_and_a_zombie(start_method):
    lines = lesson_lines(LESSON, start_method)
    at = lines.index(UNCLOSED)
    assert lines[at - 1 : at + 5] == [
        "[1, 2]",
        UNCLOSED,
        "[1, 2] warnings: 0",
        # A spawn child, whatever the default, is ours to collect: a zombie until then.
        "after it ended: 'Z'",
        "after active_children(): 'gone'",
        "the parent's SEEN: []",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_each_worker_appends_to_its_own_list(start_method):
    lines = lesson_lines(LESSON, start_method)
    seen = [ast.literal_eval(m[1]) for m in map(WORKER_SAW.match, lines) if m]
    assert 1 <= len(seen) <= 2
    # Which worker ran which task varies; every task ran in exactly one of them.
    assert sorted(x for items in seen for x in items) == list(range(6))
    assert all(items == sorted(items) for items in seen)
    assert "returned to the parent: [0, 2, 4, 6, 8, 10]" in lines


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_one_flushed_string_per_print_keeps_lines_whole(start_method):
    lines = lesson_lines(LESSON, start_method)
    # From 3.14 the buffer is 128 KiB (gh-117151): each worker prints more than that.
    assert f"io.DEFAULT_BUFFER_SIZE: {io.DEFAULT_BUFFER_SIZE} bytes" in lines
    # How many unflushed lines break varies from run to run, and may be none.
    assert any(re.fullmatch(r"print\(a, b, c\): \d+ of 6000 lines broken", line) for line in lines)
    assert "one string, flush=True: 0 of 6000 lines broken" in lines


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_unbuffered_output_breaks_flushed_prints_but_not_single_writes(start_method):
    lines = lesson_lines(LESSON, start_method)
    # print() makes two writes when unbuffered, so some lines of three
    # workers printing 2,000 lines each at once meet (110 to 250 of 6,000 on
    # 2 CPUs here); one write per line keeps every line whole, buffered or not.
    [unbuffered] = [line for line in lines if line.startswith("unbuffered, flush=True: ")]
    broken = int(re.fullmatch(r"unbuffered, flush=True: (\d+) of 6000 lines broken", unbuffered)[1])
    assert broken > 0
    at = lines.index("buffered, one write: 0 of 6000 lines broken")
    assert lines[at + 1] == "unbuffered, one write: 0 of 6000 lines broken"


WARNING = (
    "    stderr: DeprecationWarning: This process (pid=N) is multi-threaded,"
    " use of fork() may lead to deadlocks in the child."
)
PRINTED = ["    printed: threading.active_count(): 1", "    printed: hello from the child"]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_forking_a_process_with_a_thread_started_in_c(start_method):
    lines = lesson_lines(LESSON, start_method)
    at = lines.index("fork, default warning filters: exit code 0")
    assert lines[at - 1] == f"Python {platform.python_version()}"
    clean = [*PRINTED, "    printed: exit code: 0"]
    # Hidden by default: the warning is raised in multiprocessing's code, not in __main__.
    assert block(lines, "fork, default warning filters: exit code 0")[1:] == clean
    # threading.active_count() says 1, yet the warning (3.12+, gh-100228) counts the C thread.
    shown = block(lines, "fork, -W default::DeprecationWarning: exit code 0")[1:]
    assert shown == ([*clean, WARNING] if VERSION >= (3, 12) else clean)
    if VERSION >= (3, 15):
        # gh-135427: raised from start(), after the child was forked.
        assert block(lines, "fork, -W error::DeprecationWarning: exit code 1")[1:] == [*PRINTED, WARNING]
    else:
        # Up to 3.14 the error is discarded and the fork goes on.
        assert block(lines, "fork, -W error::DeprecationWarning: exit code 0")[1:] == clean
    # The fix: forkserver does not fork this process.
    assert lines[-4:] == ["forkserver, -W error::DeprecationWarning: exit code 0", *clean]
