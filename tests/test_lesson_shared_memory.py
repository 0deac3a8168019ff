"""The shared-memory lesson: bytes and list items cross processes; nothing leaks."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, run_lesson

LESSON = EXAMPLES / "01_processes" / "plot_05_shared_memory.py"
LEAK_WARNING = (
    "UserWarning: resource_tracker: There appear to be 1 leaked shared_memory objects to clean up at shutdown"
)


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_shared_memory_lesson(start_method):
    result, leftovers = run_lesson(LESSON, start_method)
    assert result.returncode == 0, result.stderr
    assert leftovers == []
    # The lesson unlinks every block it made: its own tracker has nothing to report.
    assert "leaked" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stdout.splitlines()

    # A child attached by name and wrote; the parent reads the same bytes.
    assert lines[0].startswith("created '")
    assert lines[1:3] == ["child exit code: 0", "parent reads: b'hello'"]
    # The child changed item 0 of a ShareableList; the parent sees it.
    assert lines[3:5] == ["child exit code: 0", "parent sees: [42, 2.5, 'abc', None]"]
    # The pickled bytes and the block attached by name gave the child the same data.
    assert lines[5] == "the child read the same bytes both ways: True"
    # SharedMemoryManager: both children's changes seen, both blocks gone after `with`.
    assert lines[6] == "parent reads: b'hello' and [42, 2, 3]"
    assert lines[7].startswith("after the with block: FileNotFoundError: [Errno 2]")

    # The separate program's tracker warned (3.13 appends the names) and then
    # unlinked the block, so attaching to it by name fails.
    assert lines[8] == "the program exited with code 0; its stderr says:"
    assert lines[9].startswith(LEAK_WARNING)
    assert lines[10].startswith("FileNotFoundError: [Errno 2]")
    assert len(lines) == 11
