"""The build machinery, exercised through real Sphinx builds of small projects."""

from __future__ import annotations

import re
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mpdocs.run import start_methods
from mpdocs.testing import START_METHODS, page_lines, reader_env, run, run_in_terminal, sphinx_build

pytestmark = pytest.mark.build

CONF = """
extensions = ["sphinx_gallery.gen_gallery", "mpdocs"]
sphinx_gallery_conf = {{
    "examples_dirs": "examples",
    "gallery_dirs": "lessons",
    "filename_pattern": "/plot_",
    "capture_repr": (),
    "download_all_examples": False,
}}
mpdocs_timeout = {timeout}
exclude_patterns = ["examples"]
"""
INDEX = """
Test
====

.. toctree::

   lessons/index
"""

CHILD_PRINTS = '''
"""
Children print
==============
"""
import multiprocessing
import os


def work(n):
    print(f"child says {n}", flush=False)
    return n * n


# %%
# A pool over a function defined in this file (found by spawn children only
# if the lesson runs like a script), then a process whose print must appear.
if __name__ == "__main__":
    print("parent before")
    with multiprocessing.Pool(2) as pool:
        print(sorted(pool.map(work, range(4))))
    p = multiprocessing.Process(target=work, args=(10,))
    p.start()
    p.join(timeout=30)
    print("exitcode", p.exitcode)
    print("parent after")
'''

HANGS = '''
"""
Hangs
=====
"""
import multiprocessing
import time


def stuck(_):
    time.sleep(600)


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        pool.map(stuck, range(2))
'''

RAISES = '''
"""
Raises
======
"""
def broken():
    raise RuntimeError("this lesson is broken on purpose")


broken()
'''

LEAVES_PROCESS = '''
"""
Leaves a process running
========================
"""
import subprocess
import sys

if __name__ == "__main__":
    # Not a multiprocessing child: nothing waits for it when the script ends.
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
'''

JOBLIB_KEEPS_WORKERS = '''
"""
joblib
======
"""
from joblib import Parallel, delayed


def square(x):
    return x * x


if __name__ == "__main__":
    print(Parallel(n_jobs=2, timeout=30)(delayed(square)(x) for x in range(4)))
'''


ENVIRONMENT = '''
"""
Environment
===========

What a script can see of how it was started.
"""
import os
import sys
import threading

print("threads:", threading.active_count())
print("file:", __file__)
print("argv:", sys.argv)
print("cwd:", os.getcwd())
print("path[0]:", sys.path[0])
print("spec:", __spec__)
print("main:", __name__, sys.modules["__main__"].__doc__.split()[0])
main = sys.modules["__main__"]
print("__mp_main__ is __main__:", sys.modules.get("__mp_main__", main) is main)
build = {"sphinx", "sphinx_gallery", "mpdocs"}
print("sphinx:", [name for name in sys.modules if name.split(".")[0] in build])
print("terminal:", sys.stdout.isatty(), sys.stderr.isatty(), os.get_terminal_size())
print("stdin:", sys.stdin.isatty())

# %%
# A second cell runs in the same module.
print("threads:", threading.active_count(), "file:", os.path.basename(__file__))
'''


def make_project(tmp_path: Path, lessons: dict[str, str], timeout: float = 60) -> Path:
    src = tmp_path / "docs"
    (src / "examples" / "section").mkdir(parents=True)
    (src / "conf.py").write_text(CONF.format(timeout=timeout))
    (src / "index.rst").write_text(INDEX)
    (src / "examples" / "GALLERY_HEADER.rst").write_text("Lessons\n=======\n")
    (src / "examples" / "section" / "GALLERY_HEADER.rst").write_text("Section\n-------\n")
    for name, code in lessons.items():
        (src / "examples" / "section" / name).write_text(textwrap.dedent(code))
    return src


def build(src: Path, start_method: str | None = None, timeout: float = 240):
    env = reader_env()
    if start_method:
        env["MPDOCS_START_METHOD"] = start_method
    cmd = sphinx_build(str(src), str(src.parent / "html"), "-b", "html")
    return run(cmd, timeout=timeout, env=env)


def generated(src: Path, lesson: str) -> str:
    return (src / "lessons" / "section" / f"{lesson}.rst").read_text()


@pytest.mark.parametrize("start_method", START_METHODS)
def test_children_find_lesson_functions_and_their_output_reaches_the_page(tmp_path, start_method):
    src = make_project(tmp_path, {"plot_children.py": CHILD_PRINTS})
    result, leftovers = build(src, start_method)
    assert result.returncode == 0, result.stderr
    assert f"lessons run with the {start_method!r} start method" in result.stdout
    page = generated(src, "plot_children")
    output = re.findall(r"^    (.*)$", page.split("sphx-glr-script-out", 1)[1], re.MULTILINE)
    children = sorted(line for line in output if line.startswith("child says"))
    assert children == [
        "child says 0",
        "child says 1",
        "child says 10",
        "child says 2",
        "child says 3",
    ]
    assert output[0] == "parent before"
    assert output.index("[0, 1, 4, 9]") > max(output.index(f"child says {n}") for n in range(4))
    assert output.index("exitcode 0") > output.index("child says 10")
    assert output[output.index("exitcode 0") + 1] == "parent after"
    # Nothing a child printed leaked to the build's terminal instead.
    assert "child says" not in result.stdout.replace(page, "")
    assert leftovers == []


@pytest.mark.parametrize("start_method", START_METHODS)
def test_a_lesson_sees_what_a_script_sees(tmp_path, start_method):
    src = make_project(tmp_path, {"plot_env.py": ENVIRONMENT})
    result, _ = build(src, start_method)
    assert result.returncode == 0, result.stderr
    folder = src / "examples" / "section"
    status, screen, _ = run_in_terminal(
        [sys.executable, "plot_env.py"], timeout=60, env=reader_env(start_method), cwd=folder
    )
    assert status == 0, screen
    assert page_lines(generated(src, "plot_env")) == screen.splitlines()
    assert "threads: 1" in screen
    assert "sphinx: []" in screen


def test_a_lesson_that_hangs_fails_the_build_within_its_limit(tmp_path):
    src = make_project(tmp_path, {"plot_hangs.py": HANGS}, timeout=5)
    started = time.monotonic()
    result, leftovers = build(src, "spawn", timeout=120)
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert "plot_hangs.py ran past its time limit of 5 s" in result.stderr
    assert "LessonTimeout" in result.stderr
    assert elapsed < 60, f"the build took {elapsed:.0f} s to give up on a 5 s limit"
    assert leftovers == []


def test_a_lesson_that_raises_fails_the_build_with_its_traceback(tmp_path):
    src = make_project(tmp_path, {"plot_raises.py": RAISES})
    result, _ = build(src)
    assert result.returncode != 0
    default = start_methods.platform_default()  # the first run fails: the others do not run
    assert f"plot_raises.py (under the {default!r} start method) unexpectedly failed" in result.stderr
    assert re.findall(r"mpdocs: running plot_raises\.py \((\w+),", result.stdout) == [default]
    assert "Traceback (most recent call last)" in result.stderr
    assert 'raise RuntimeError("this lesson is broken on purpose")' in result.stderr
    assert "RuntimeError: this lesson is broken on purpose" in result.stderr


def test_a_process_left_running_is_reported_and_killed(tmp_path):
    src = make_project(tmp_path, {"plot_leaves.py": LEAVES_PROCESS})
    result, leftovers = build(src, "fork")
    assert result.returncode != 0
    assert re.search(
        r"plot_leaves\.py left 1 process\(es\) running .*sleep\(600\).*they were killed", result.stderr
    )
    assert leftovers == []


def test_workers_joblib_keeps_for_the_next_call_end_with_the_lesson(tmp_path):
    src = make_project(tmp_path, {"plot_joblib.py": JOBLIB_KEEPS_WORKERS})
    result, leftovers = build(src, "fork")
    assert result.returncode == 0, result.stderr
    assert "    [0, 1, 4, 9]" in generated(src, "plot_joblib").splitlines()
    assert leftovers == []


def test_an_unknown_start_method_is_refused_by_name(tmp_path):
    src = make_project(tmp_path, {})
    result, _ = build(src, "threads")
    assert result.returncode != 0
    assert "Unknown multiprocessing start method 'threads'" in result.stderr
    for method in START_METHODS:
        assert method in result.stderr


def test_a_language_code_without_catalogs_is_refused(tmp_path):
    src = make_project(tmp_path, {})
    (src / "conf.py").write_text(
        (src / "conf.py").read_text() + 'mpdocs_languages = {"en": "English", "zh_CN": "中文"}\n'
    )
    result, _ = run(
        sphinx_build(src, tmp_path / "html", "-b", "html", "-D", "language=zh-cn"),
        timeout=120,
        env=reader_env(),
    )
    assert result.returncode != 0
    assert (
        "language 'zh-cn' is not one of this site's languages (en, zh_CN); did you mean 'zh_CN'?"
        in result.stderr
    )


QUICK = '''
"""
Quick {n}
=========
"""
print("lesson {n}")
'''


def test_a_lesson_runs_again_exactly_when_it_or_the_machinery_changed(tmp_path):
    src = make_project(tmp_path, {f"plot_{n}.py": QUICK.format(n=n) for n in (1, 2)})

    def ran(start_method: str) -> list[str]:
        result, _ = build(src, start_method)
        assert result.returncode == 0, result.stderr
        return sorted(re.findall(r"mpdocs: running (plot_\d\.py)", result.stdout))

    assert ran("fork") == ["plot_1.py", "plot_2.py"]
    assert ran("fork") == []
    lesson = src / "examples" / "section" / "plot_2.py"
    lesson.write_text(lesson.read_text() + "# edited\n")
    assert ran("fork") == ["plot_2.py"]
    # The start method is part of the machinery: every lesson runs again under the new one.
    assert ran("spawn") == ["plot_1.py", "plot_2.py"]
    assert ran("spawn") == []


PRINTS_ITS_METHOD = '''
"""
Its method
==========
"""
import multiprocessing
import os


def pid_of_child(_):
    return os.getpid()


if __name__ == "__main__":
    print("the same under every method")
    with multiprocessing.Pool(2) as pool:
        print("a child's pid:", pool.map(pid_of_child, [0])[0])  # differs only by value

# %%
# This cell's output depends on the start method.
if __name__ == "__main__":
    print("default:", multiprocessing.get_start_method())
'''


def test_each_start_method_runs_and_outputs_that_differ_get_a_tab_each(tmp_path):
    src = make_project(tmp_path, {"plot_method.py": PRINTS_ITS_METHOD})
    result, leftovers = build(src)
    assert result.returncode == 0, result.stderr
    assert leftovers == []
    order = start_methods.run_order()
    assert re.findall(r"mpdocs: running plot_method\.py \((\w+),", result.stdout) == list(order)
    rst = generated(src, "plot_method")
    first_cell, second_cell = rst.split("This cell's output depends on the start method.")
    # Outputs that differ only by a PID are one block; the start method's name makes tabs.
    assert ".. tab-set::" not in first_cell
    assert second_cell.count(".. tab-item::") == len(order)
    assert second_cell.count(":selected:") == 1
    assert f":sync: {order[0]}\n      :selected:" in second_cell
    # Each tab is what `python plot_method.py` prints in a terminal under that method.
    folder = src / "examples" / "section"
    for method in order:
        status, screen, _ = run_in_terminal(
            [sys.executable, "plot_method.py"], timeout=60, env=reader_env(method), cwd=folder
        )
        assert status == 0, screen
        page, terminal = page_lines(rst, method), screen.splitlines()
        assert page[-1] == terminal[-1] == f"default: {method}"
        assert len(page) == len(terminal)
    assert f"one after another: {', '.join(order)}." in rst


FAILS_UNDER_SPAWN = '''
"""
Fails under spawn
=================
"""
import multiprocessing

if __name__ == "__main__":
    if multiprocessing.get_start_method() == "spawn":
        raise RuntimeError("this lesson only breaks under spawn")
    print("fine")
'''


def test_a_lesson_that_fails_under_one_start_method_fails_the_build_naming_it(tmp_path):
    src = make_project(tmp_path, {"plot_spawn_only.py": FAILS_UNDER_SPAWN})
    result, leftovers = build(src)
    assert result.returncode != 0
    assert "plot_spawn_only.py (under the 'spawn' start method) unexpectedly failed" in result.stderr
    assert "RuntimeError: this lesson only breaks under spawn" in result.stderr
    assert leftovers == []


def test_the_runs_of_every_start_method_are_cached_together(tmp_path):
    src = make_project(tmp_path, {f"plot_{n}.py": QUICK.format(n=n) for n in (1, 2)})

    def ran() -> list[str]:
        result, _ = build(src)
        assert result.returncode == 0, result.stderr
        return sorted(re.findall(r"mpdocs: running (plot_\d\.py)", result.stdout))

    runs = len(start_methods.run_order())
    assert ran() == ["plot_1.py"] * runs + ["plot_2.py"] * runs
    assert ran() == []
    lesson = src / "examples" / "section" / "plot_1.py"
    lesson.write_text(lesson.read_text() + "# edited\n")
    assert ran() == ["plot_1.py"] * runs


CTRL_C = '''
"""
Ctrl-C
======
"""
import multiprocessing
import signal
import time


def nap(started):
    try:
        started.set()
        time.sleep(30)
    except KeyboardInterrupt:
        print("child: KeyboardInterrupt")


if __name__ == "__main__":
    print("parent:", signal.getsignal(signal.SIGINT).__name__)
    started = multiprocessing.Event()
    p = multiprocessing.Process(target=nap, args=(started,))
    p.start()
    started.wait(timeout=10)
    time.sleep(0.2)
    p.terminate() if not hasattr(p, "interrupt") else p.interrupt()
    p.join(timeout=10)
'''


def test_a_lesson_gets_ctrl_c_even_from_a_build_that_ignores_it(tmp_path):
    # As a shell without job control starts a background job: SIGINT ignored, and inherited.
    src = make_project(tmp_path, {"plot_ctrl_c.py": CTRL_C})
    code = (
        "import signal, subprocess, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
        "sys.exit(subprocess.call(sys.argv[1:]))"
    )
    cmd = [sys.executable, "-c", code, *sphinx_build(src, src.parent / "html", "-b", "html")]
    env = reader_env(MPDOCS_START_METHOD="forkserver")
    result, leftovers = run(cmd, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    lines = page_lines(generated(src, "plot_ctrl_c"))
    assert lines[0] == "parent: default_int_handler"
    if sys.version_info >= (3, 14):
        assert "child: KeyboardInterrupt" in lines
    assert leftovers == []
