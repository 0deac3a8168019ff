"""The lesson on how many workers: CPU counts, quotas and BLAS threads."""

from __future__ import annotations

import os
import platform
import re
import sys

import pytest
from conftest import EXAMPLES

from mpdocs.testing import LESSON_START_METHODS, lesson_lines

LESSON = EXAMPLES / "04_in_practice" / "plot_05_how_many_workers.py"
CPUS = os.cpu_count()
AFFINITY = len(os.sched_getaffinity(0))
# The BLAS threads a worker reports: read from /proc, so Linux only.
LINUX = sys.platform.startswith("linux")


def counts(cpu_count: int, process_cpu_count: int, affinity: int) -> str:
    if sys.version_info >= (3, 13):
        return f"cpu_count {cpu_count}, process_cpu_count {process_cpu_count}, affinity {affinity}"
    return f"cpu_count {cpu_count}, affinity {affinity}"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_each_count_and_the_workers_pool_starts(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Up to 3.12 Pool() takes cpu_count(); from 3.13, process_cpu_count().
    default = AFFINITY if sys.version_info >= (3, 13) else CPUS
    pinned = 1 if sys.version_info >= (3, 13) else CPUS
    assert lines[0] == f"as started: {counts(CPUS, AFFINITY, AFFINITY)}; Pool() started {default}"
    assert lines[1] == f"pinned to one CPU: {counts(CPUS, 1, 1)}; Pool() started {pinned}"
    if sys.version_info >= (3, 13):
        # -X cpu_count overrides both counts, not the affinity.
        assert lines[2] == f"-X cpu_count=1: {counts(1, 1, AFFINITY)}; Pool() started 1"
    else:
        assert lines[2] == f"-X cpu_count needs Python 3.13; this run used {platform.python_version()}"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_the_quota_is_read_and_counts_ignore_it(start_method):
    lines = lesson_lines(LESSON, start_method)
    # What the machine says varies: no file, no quota, or a quota.
    assert re.fullmatch(
        r"no cgroup CPU quota file here"
        r"|cgroup v[12]: '(max|-1) \d+': no CPU quota"
        r"|cgroup v[12]: '\d+ \d+': [\d.]+ CPUs of time",
        lines[3],
    ), lines[3]
    assert lines[4] == f"cpu_count() says {CPUS}"


@pytest.mark.skipif(not LINUX, reason="threads are counted in /proc")
@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_an_initializer_is_too_late_and_the_parent_reaches_only_spawn(start_method):
    lines = lesson_lines(LESSON, start_method)
    # numpy is imported before the initializer runs: the default BLAS threads.
    assert lines[5] == f"variables set by an initializer: threads: {AFFINITY}"
    # Only a spawn worker imports numpy with the parent's new environment;
    # a fork worker copies the loaded library, and the fork server kept the
    # environment it started with.
    expected = 1 if start_method == "spawn" else AFFINITY
    assert lines[6] == f"variables set in the parent, {start_method}: threads: {expected}"


@pytest.mark.parametrize("start_method", LESSON_START_METHODS)
def test_each_setting_is_measured_with_the_blas_threads_it_asked_for(start_method):
    lines = lesson_lines(LESSON, start_method)
    # Timings vary: only the form of these lines is checked, never the values.
    settings = sorted({1, AFFINITY})
    default = AFFINITY if LINUX else "default"
    expected = [(w, b) for w in settings for b in (1, default)]
    pattern = re.compile(r"(\d+) worker\(s\) x (\w+) thread\(s\) each: \d+ ms")
    found = [m.groups() for m in map(pattern.fullmatch, lines[7:-1]) if m]
    assert found == [(str(w), str(b)) for w, b in expected]
    assert re.fullmatch(
        rf"fastest: \d+ x \w+; {settings[-1]} x {default} took [\d.]+ times as long",
        lines[-1],
    ), lines[-1]
