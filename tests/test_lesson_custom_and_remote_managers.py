"""The custom and remote managers lesson, run as a script under each start method."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "01_processes" / "plot_08_custom_and_remote_managers.py"
CLIENT_LINE = re.compile(r"^client \d+: 500 increments sent$")
REFUSED = "AuthenticationError: digest sent was rejected"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_manager_shares_a_counter_and_refuses_a_wrong_key(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Two children incremented one Counter through proxies: no increment lost.
    assert lines[:2] == ["exit codes: [0, 0]", "counter.value(): 1000"]
    # The server listens on localhost, at a port the OS chose.
    assert re.fullmatch(r"server address: \('127\.0\.0\.1', [1-9]\d*\)", lines[2])
    # Three clients, in any order: two with the key, one refused.
    clients = lines[3:6]
    assert sum(bool(CLIENT_LINE.match(line)) for line in clients) == 2
    assert clients.count(REFUSED) == 1
    assert lines[6:] == ["exit codes: [0, 0, 0]", "the server's counter: 1000"]
