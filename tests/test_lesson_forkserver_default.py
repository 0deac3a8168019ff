"""The lesson on what changes when forkserver is the default, run as a script under each start method.

Every comparison in it chooses its start method with get_context(), so what
it prints depends on the Python version, not on the default start method
the test gives it (only the section on choosing one shows that default).
"""

from __future__ import annotations

import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, indented_block, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_11_forkserver_default.py"
VERSION = sys.version_info[:3]
# gh-126631 / gh-137996: the fork server imports the main module itself.
SERVER_IMPORTS_MAIN = VERSION >= (3, 14, 1) or (3, 13, 8) <= VERSION < (3, 14)
# ...and until 3.15 (gh-141860: preload errors ignored) an error there kills it.
SERVER_DIES = SERVER_IMPORTS_MAIN and VERSION < (3, 15)
# From 3.14, pickle adds notes saying where in the object it failed.
NOTES = VERSION >= (3, 14)
BOOTSTRAP = (
    "RuntimeError: An attempt has been made to start a new process before the "
    "current process has finished its bootstrapping phase."
)
RESET = "ConnectionResetError: [Errno 104] Connection reset by peer"
STDIN_MISSING = "FileNotFoundError: [Errno 2] No such file or directory: '.../<stdin>'"
ADDRESS = "0x[0-9a-f]+"

LOCAL = r"make_greeter\.<locals>\.greet"
LAMBDA = rf"_pickle\.PicklingError: Can't pickle <function <lambda> at {ADDRESS}>: "
if VERSION >= (3, 14):
    NESTED = rf"_pickle\.PicklingError: Can't pickle local object <function {LOCAL} at {ADDRESS}>"
    LAMBDA += r"it's not found as __main__\.<lambda>"
else:
    verb = "get" if VERSION >= (3, 13) else "pickle"
    NESTED = rf"AttributeError: Can't {verb} local object '{LOCAL}'"
    LAMBDA += r"attribute lookup <lambda> on __main__ failed"
FILE = (
    "TypeError: cannot pickle 'TextIOWrapper' instances"
    if VERSION >= (3, 12)
    else "TypeError: cannot pickle '_io.TextIOWrapper' object"
)
# symptom -> (what start() under forkserver gives, regex; the first note of 3.14+)
UNPICKLABLE = {
    "nested function as target": (NESTED, "when serializing dict item '_target'"),
    "lambda as target": (LAMBDA, "when serializing dict item '_target'"),
    "method of an object with a lock": (
        re.escape("TypeError: cannot pickle '_thread.lock' object"),
        "when serializing dict item 'lock'",
    ),
    "open file as argument": (re.escape(FILE), "when serializing tuple item 0"),
    "socket as argument": ("exit code 0", None),
    "TLS socket as argument": (
        re.escape("TypeError: cannot pickle 'SSLSocket' object"),
        "when serializing tuple item 0",
    ),
}


def starting(lines: list[str], prefix: str) -> list[str]:
    """The one line that starts with ``prefix``, and the indented lines under it."""
    [first] = [line for line in lines if line.startswith(prefix)]
    return indented_block(lines, first)


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_what_does_not_pickle_fails_under_forkserver_only(start_method):
    lines = lesson_lines(LESSON, start_method)
    for symptom, (error, note) in UNPICKLABLE.items():
        shown = indented_block(lines, f"{symptom}:")
        assert shown[1] == "  fork: exit code 0", shown
        assert re.fullmatch(rf"  forkserver: {error}", shown[2]), shown
        # A plain socket travels: multiprocessing sends its file descriptor.
        expected_notes = [f"    {note}"] if NOTES and note else []
        assert shown[3:] == expected_notes, shown
        assert f"{symptom}, fixed, forkserver: exit code 0" in lines


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_pool_at_the_top_level_breaks_forkserver_by_version(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert indented_block(lines, "no main guard, fork: exit code 0") == [
        "no main guard, fork: exit code 0",
        "  top level ran 1 time",
        "  printed: [1, 4, 9]",
    ]
    if SERVER_DIES:
        assert indented_block(lines, "no main guard, forkserver: exit code 1") == [
            "no main guard, forkserver: exit code 1",
            "  top level ran 2 times",  # the program, then the fork server
            f"  stderr: {BOOTSTRAP}",
            f"  stderr: {RESET}",
        ]
    else:
        # Workers die of the error and are replaced until the lesson stops the program.
        hung = indented_block(lines, "no main guard, forkserver: still running after 5 s, stopped")
        runs = re.fullmatch(r"  top level ran (\d+) times", hung[1])
        assert runs, hung
        assert int(runs[1]) >= 2, hung
        # Workers that die at once may garble each other's lines: the count is not asserted.
        assert any(
            re.fullmatch(rf"  stderr: {re.escape(BOOTSTRAP)}( \(\d+ times\))?", line) for line in hung
        ), hung


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_on_error_fail_turns_the_hang_into_an_error_on_3_15(start_method):
    lines = lesson_lines(LESSON, start_method)
    if VERSION >= (3, 15):
        assert indented_block(lines, 'no main guard, on_error="fail": exit code 1') == [
            'no main guard, on_error="fail": exit code 1',
            "  top level ran 2 times",
            f"  stderr: {BOOTSTRAP}",
            f"  stderr: {RESET}",
            "  stderr: Forkserver process may have crashed during module preloading. Check stderr.",
        ]
    else:
        version = sys.version.split()[0]
        assert f"set_forkserver_preload(on_error=...) is new in Python 3.15; this run used {version}" in lines


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_the_main_guard_fixes_it_and_the_top_level_still_runs_again(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Once in the fork server, or once in each of the pool's two workers.
    runs = 2 if SERVER_IMPORTS_MAIN else 3
    assert indented_block(lines, "main guard, forkserver: exit code 0") == [
        "main guard, forkserver: exit code 0",
        f"  top level ran {runs} times",
        "  printed: [1, 4, 9]",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_script_on_standard_input_needs_fork_or_a_file(start_method):
    lines = lesson_lines(LESSON, start_method)
    works = ["  printed: the child ran", "  printed: the child's exit code: 0"]
    assert indented_block(lines, "python - < program.py, fork: exit code 0")[1:] == works
    forkserver = starting(lines, "python - < program.py, forkserver: ")
    if SERVER_DIES:
        assert forkserver == [
            "python - < program.py, forkserver: exit code 1",
            f"  stderr: {STDIN_MISSING}",
            f"  stderr: {RESET}",
        ]
    else:
        assert forkserver == [
            "python - < program.py, forkserver: exit code 0",
            "  printed: the child's exit code: 1",
            f"  stderr: {STDIN_MISSING}",
        ]
    assert indented_block(lines, "python program.py, forkserver: exit code 0")[1:] == works


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_forkserver_children_see_import_time_globals_and_the_servers_environment(start_method):
    lines = lesson_lines(LESSON, start_method)
    start = lines.index(
        "fork: CONFIG['verbose'] = True, APP_MODE = 'debug', its parent is this process: True"
    )
    assert lines[start + 1 : start + 4] == [
        "spawn: CONFIG['verbose'] = False, APP_MODE = 'debug', its parent is this process: True",
        "forkserver: CONFIG['verbose'] = False, APP_MODE = None, its parent is this process: False",
        "forkserver, initializer=configure: CONFIG['verbose'] = True, APP_MODE = 'debug'",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_killed_program_leaks_semaphores_only_outside_fork(start_method):
    lines = lesson_lines(LESSON, start_method)
    start = lines.index("killed by SIGTERM, fork: exit code -15")
    assert lines[start : start + 4] == [
        "killed by SIGTERM, fork: exit code -15",
        "killed by SIGTERM, forkserver: exit code -15",
        "  stderr: UserWarning: resource_tracker: There appear to be 4 leaked semaphore objects"
        " to clean up at shutdown",
        "SIGTERM handled, forkserver: exit code 143",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_choosing_a_start_method(start_method):
    lines = lesson_lines(LESSON, start_method)
    start = lines.index(f"default start method: {start_method}")
    methods = ["fork", "spawn", "forkserver"]
    if VERSION >= (3, 14):  # the default first
        methods = [start_method, *(m for m in methods if m != start_method)]
    assert lines[start + 1 : start + 3] == [
        f"all start methods: {methods}",
        "set_start_method('spawn'): RuntimeError: context has already been set",
    ]
    mixed = lines[start + 3].removeprefix("a lock of the fork context, forkserver child: ")
    if VERSION >= (3, 11, 5):  # gh-77377
        assert mixed == (
            "RuntimeError: A SemLock created in a fork context is being shared with a process in a "
            "spawn context. This is not supported. Please use the same context to create "
            "multiprocessing objects and Process."
        )
    else:  # the child used a semaphore that does not exist in it, and crashed
        assert re.fullmatch(r"exit code -\d+", mixed), mixed
    assert lines[start + 4 :] == ["a lock of the forkserver context, forkserver child: exit code 0"]
