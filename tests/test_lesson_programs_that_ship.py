"""The programs-that-ship lesson, run as a script under each start method."""

from __future__ import annotations

import os
import platform
import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_09_programs_that_ship.py"
VERSION = sys.version_info[:3]
# gh-80334 made freeze_support() call get_start_method(), which fixes the
# default start method; gh-140814 took that back (cx_Freeze's hook checks
# the same ranges).
FREEZE_SUPPORT_FIXES_METHOD = (3, 13, 4) <= VERSION < (3, 13, 13) or (3, 14, 0) <= VERSION < (3, 14, 4)
# gh-126631 / gh-137996: the fork server really imports __main__.
SERVER_IMPORTS_MAIN = VERSION >= (3, 14, 1) or (3, 13, 8) <= VERSION < (3, 14)
STARTUP = re.compile(
    r"^('\w+'(?: \+ preload)?): (\d) of 6 children imported asyncio;"
    r" median \d+ ms$"
)


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_freeze_support_returns_at_once_when_not_frozen(start_method):
    lines = lesson_lines(LESSON, start_method)
    assert lines[:2] == [
        "sys.frozen: False",
        "'--multiprocessing-fork' in sys.argv: False",
    ]
    # The time it took is a timing, not asserted.
    assert re.fullmatch(r"freeze_support\(\) returned None after \d+ µs", lines[2])
    fixed = repr(start_method) if FREEZE_SUPPORT_FIXES_METHOD else "None"
    assert lines[3] == f"start method fixed by the calls above: {fixed}"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_frozen_child_is_the_program_with_a_flag(start_method):
    lines = lesson_lines(LESSON, start_method)
    normal = lines[4].removeprefix("normal: ")
    assert "'-c'" in normal
    assert normal.endswith("'--multiprocessing-fork']")
    assert "spawn_main(pipe_handle=7)" in normal
    program = os.path.basename(sys.executable)
    assert lines[5] == f"frozen: [{program!r}, '--multiprocessing-fork', 'pipe_handle=7']"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_set_executable_changes_the_interpreter_of_spawn_children(start_method):
    lines = lesson_lines(LESSON, start_method)
    in_venv = sys.prefix != sys.base_prefix
    base = sys._base_executable
    # In a virtual environment on POSIX, Python 3.10 gives sys.executable.
    base_is_this_environment = base == sys.executable or not in_venv
    assert lines[6:15] == [
        f"this program runs in a virtual environment: {in_venv}",
        f"get_executable(): {sys.executable}",
        f"spawn child: {sys.executable}",
        "    in this program's environment: True",
        "    can import matplotlib: True",
        f"after set_executable(): {base}",
        f"spawn child: {base}",
        f"    in this program's environment: {base_is_this_environment}",
        # spawn hands the child the parent's sys.path, whatever runs it.
        "    can import matplotlib: True",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_only_a_main_module_with_a_file_or_name_is_found(start_method):
    lines = lesson_lines(LESSON, start_method)
    at = lines.index("python program.py: top level ran in 3 of 3; exit codes hello 0, print 0")
    assert lines[at + 1] == "python -m program: top level ran in 3 of 3; exit codes hello 0, print 0"
    assert lines[at + 2] == 'python -c "...": top level ran in 1 of 3; exit codes hello 1, print 0'
    # The message depends on the version: from 3.14 the plain AttributeError of the lookup.
    if VERSION >= (3, 14):
        assert lines[at + 3] == "    AttributeError: module '__main__' has no attribute 'hello'"
    else:
        assert lines[at + 3].startswith(
            "    AttributeError: Can't get attribute 'hello' on <module '__main__'"
        )
    assert lines[at + 4] == "python - < program.py: top level ran in 1 of 3; exit codes hello 1, print 1"
    assert lines[at + 5] == "    FileNotFoundError: [Errno 2] No such file or directory: '<stdin>'"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_a_program_on_standard_input_under_forkserver(start_method):
    lines = lesson_lines(LESSON, start_method)
    at = next(i for i, line in enumerate(lines) if line.startswith("forkserver, python - < program.py: "))
    if SERVER_IMPORTS_MAIN and VERSION < (3, 15):
        # The fork server imports '<stdin>', fails and ends: no child runs at all.
        assert lines[at : at + 2] == [
            "forkserver, python - < program.py: exit code 1; children's exit codes: none",
            "    ConnectionResetError: [Errno 104] Connection reset by peer",
        ]
    else:
        # Each child imports it (before gh-126631), or the server ignores its failure (gh-141860).
        assert lines[at : at + 2] == [
            "forkserver, python - < program.py: exit code 0; children's exit codes: hello 1, print 1",
            "    FileNotFoundError: [Errno 2] No such file or directory: '<stdin>'",
        ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_preload_errors_are_reported_as_asked_from_3_15(start_method):
    lines = lesson_lines(LESSON, start_method)
    if VERSION < (3, 15):
        version = platform.python_version()
        assert lines[-1] == f"set_forkserver_preload(on_error=...) needs Python 3.15; this run used {version}"
        return
    clean = ["    printed: child ran", "    printed: exit code: 0"]
    at = lines.index("on_error='ignore': exit code 0")
    assert lines[at:] == [
        "on_error='ignore': exit code 0",
        *clean,
        # An ImportWarning, which the default filters hide.
        "on_error='warn': exit code 0",
        *clean,
        "on_error='warn' -W default::ImportWarning: exit code 0",
        *clean,
        "    stderr: ImportWarning: Failed to preload module 'no_such_module':"
        " No module named 'no_such_module'",
        # The server ends; the parent's start() fails, with a note.
        "on_error='fail': exit code 1",
        "    stderr: ModuleNotFoundError: No module named 'no_such_module'",
        "    stderr: ConnectionResetError: [Errno 104] Connection reset by peer",
        "    stderr: Forkserver process may have crashed during module preloading. Check stderr.",
    ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_preloading_spares_each_child_the_import(start_method):
    lines = lesson_lines(LESSON, start_method)
    # The medians are timings, not asserted; who imported asyncio is a fact.
    counts = dict(m.groups() for m in map(STARTUP.match, lines) if m)
    assert counts == {
        "'fork'": "0",
        "'spawn'": "6",
        "'forkserver'": "0" if SERVER_IMPORTS_MAIN else "6",
        "'forkserver' + preload": "0",
    }
    assert any(re.fullmatch(r"importing asyncio took \d+ ms in the last program", line) for line in lines)
