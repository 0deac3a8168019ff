"""The managers-in-depth lesson: server process, proxy types, nested copies, lost updates."""

from __future__ import annotations

import platform
import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines, run_lesson

LESSON = EXAMPLES / "01_processes" / "plot_07_managers_in_depth.py"
PROXY_TYPES = [
    ("Value", "ValueProxy"),
    ("Array", "ArrayProxy"),
    ("list", "ListProxy"),
    ("dict", "DictProxy"),
    ("Queue", "AutoProxy[Queue]"),
    ("Lock", "AcquirerProxy"),
    ("Namespace", "NamespaceProxy"),
    ("Event", "EventProxy"),
    ("Condition", "ConditionProxy"),
    ("Semaphore", "AcquirerProxy"),
    ("Barrier", "BarrierProxy"),
]
COUNT = re.compile(r"^expected (\d+), actual (\d+), lost (-?\d+)$")


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_managers_in_depth_lesson(start_method):
    result, leftovers = run_lesson(LESSON, start_method)
    assert result.returncode == 0, result.stderr
    assert leftovers == []
    lines = result.stdout.splitlines()

    # The manager is a separate process, listed by active_children().
    own_pid = int(lines[0].removeprefix("this process: pid "))
    server = re.fullmatch(r"SyncManager-\d+: pid (\d+)", lines[1])
    assert server, lines[1]
    assert int(server[1]) != own_pid

    proxies = [f"manager.{kind}() -> {proxy}" for kind, proxy in PROXY_TYPES]
    assert lines[2:13] == proxies

    # A nested plain list is a copy: the child's append is lost ...
    assert lines[13] == "exit codes [0], plain list after append: []"
    # ... writing it back, or storing a manager.list(), keeps it.
    assert lines[14] == "exit codes [0], written back: [1]"
    assert lines[15] == "exit codes [0], manager.list(): [1]"

    # Without a lock: the printed arithmetic holds, whatever was lost in this run.
    assert lines[16] == "exit codes [0, 0, 0, 0], without a lock:"
    expected, actual, lost = map(int, COUNT.match(lines[17]).groups())
    assert expected == 2000
    assert 0 < actual <= expected
    assert lost == expected - actual
    # With a manager Lock: exact.
    assert lines[18:20] == [
        "exit codes [0, 0, 0, 0], with a lock:",
        "expected 2000, actual 2000, lost 0",
    ]
    # The proxies Python 3.14 added, or the line that says they need it.
    new_methods = lines[20 : lines.index("after shutdown, call 1: BrokenPipeError: [Errno 32] Broken pipe")]
    if sys.version_info >= (3, 14):
        assert new_methods == [
            "exit codes [0, 0, 0], SetProxy of 3 pids",
            "list proxy: copy() [1, 2, 3], after clear() []",
            "dict proxy after |= {'b': 2}: {'a': 1, 'b': 2}",
            "lock proxy: locked() True while held, then False",
            # gh-142740, open: a set proxy is registered as a MutableMapping.
            "set proxy: MutableSet False, MutableMapping True",
        ]
    else:
        assert new_methods == [
            "manager.set() and the new list and dict methods need Python 3.14; "
            f"this run used {platform.python_version()}"
        ]


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_proxies_of_a_server_that_is_gone_fail_for_good(start_method):
    lines = lesson_lines(LESSON, start_method)
    at = lines.index("after shutdown, call 1: BrokenPipeError: [Errno 32] Broken pipe")
    assert lines[at:] == [
        # The with block shut the server down: the proxy's connection is broken, for good.
        "after shutdown, call 1: BrokenPipeError: [Errno 32] Broken pipe",
        "after shutdown, call 2: BrokenPipeError: [Errno 32] Broken pipe",
        # A killed server: the proxy in use, a new proxy and a child's first call all fail.
        "before: {'alice': 3}",
        "the server's exit code: -9",
        "scores['bob'] = 5: BrokenPipeError: [Errno 32] Broken pipe",
        "manager.dict(): ConnectionRefusedError: [Errno 111] Connection refused",
        "child: ConnectionRefusedError: [Errno 111] Connection refused",
        "in a child: [1]",
        # A new manager, made from the copy the parent kept, works again.
        "in a child: [0]",
        "a new manager: {'alice': 3, 'carol': 4}",
    ]
