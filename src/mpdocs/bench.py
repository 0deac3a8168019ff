"""Measure the build and the pages: ``python -m mpdocs.bench [--update-readme]``.

Works on a copy of the repository's tracked files, so the working tree is
left alone, and uses that copy's ``src/`` so that editing the machinery is
measured too. Prints a table, writes ``build/bench.json`` and, with
``--update-readme``, replaces the table between the bench markers in
README.md.

What it measures: the cold build of both languages and the second language's
share of it, against the sum of the lessons' own run times (each lesson runs
once per start method: the build's overhead is the rest; with ``--baseline
REV``, also the cold build of that commit, in the same run, for an A/B
comparison); a rebuild with nothing changed; a rebuild after editing one
lesson; a rebuild after editing the machinery in ``src/``; each lesson's run
time under each start method and its process's peak memory; for every lesson
whose output holds timings, those timings on the page (the default start
method's run) beside a terminal run of the same lesson (``python lesson.py``
on a pseudo-terminal, the platform's default start method);
the build's peak memory; and the bytes a reader downloads for the landing
page and each lesson page, on a phone and on a desktop, read to the end
(everything the browser fetches: HTML, styles, scripts, fonts, images), raw
and as a static host serves it (gzip for text, images and fonts as they are).
``python -m mpdocs.bench --pages-only build/html`` weighs an already built
site's pages alone.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import http.server
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .testing import CHROMIUM, CHROMIUM_ARGS, page_lines, reader_env, run_in_terminal, sphinx_build

ROOT = Path.cwd()
LANGUAGES = ("en", "zh_CN")
EDITED_LESSON = "examples/01_processes/plot_06_manager.py"
EDITED_MACHINERY = "src/mpdocs/run/lesson_process.py"
#: A duration in a lesson's output: "4.3 ms", "1.25 s", "120 µs".
NUMBER = re.compile(r"\d+(?:\.\d+)?")
TIMING = re.compile(r"(\d+(?:\.\d+)?)(?= ?(?:ns|µs|us|ms|s)\b)")
COMPRESSED_BY_HOSTS = ("text/", "application/javascript", "application/json", "image/svg+xml")
MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")
TARGETS = {
    "second_language_share": 0.25,
    "nothing_changed_share": 0.10,
    # The cold build of both languages against the sum of the lessons' own run times.
    "build_over_lessons": 1.15,
    "lesson_page_gzip_bytes": 400_000,
    "median_phone_lesson_page_gzip_bytes": 200_000,
}


def copy_repository(target: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)


class Builder:
    def __init__(self, repo: Path):
        self.repo = repo
        self.env = reader_env(PYTHONPATH=str(repo / "src"))
        self.env.pop("MPDOCS_START_METHOD", None)  # as nox -s docs builds: every start method
        self.lesson_times: dict[str, dict[str, float]] = {}  # lesson -> start method -> seconds
        self.lesson_memory: dict[str, float] = {}

    def build(self, language: str) -> float:
        out = self.repo / "build" / "html" / language
        doctrees = self.repo / "build" / "doctrees" / language
        options = ("-b", "html", "-D", f"language={language}", "-d", str(doctrees))
        started = time.perf_counter()
        result = subprocess.run(
            sphinx_build(self.repo / "docs", out, *options),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"the {language} build failed:\n{result.stderr}")
        ran = r"mpdocs: (\S+\.py) ran in ([\d.]+) s \((\w+)\), peak memory (\d+) MiB"
        for lesson, seconds, method, mebibytes in re.findall(ran, result.stdout):
            self.lesson_times.setdefault(lesson, {})[method] = float(seconds)
            self.lesson_memory[lesson] = max(self.lesson_memory.get(lesson, 0.0), float(mebibytes))
        return elapsed

    def build_all(self) -> dict[str, float]:
        return {language: self.build(language) for language in LANGUAGES}


def copy_commit(revision: str, target: Path) -> None:
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)


def measure_builds(repo: Path, baseline: Path | None = None) -> dict[str, object]:
    builder = Builder(repo)
    # A and B one after the other, on the same machine in the same minutes.
    baseline_cold = Builder(baseline).build_all() if baseline else None
    cold = builder.build_all()
    lesson_times = dict(builder.lesson_times)
    lesson_memory = dict(builder.lesson_memory)
    timings = compare_timings(repo)
    nothing = builder.build_all()
    builder.lesson_times.clear()
    edited = repo / EDITED_LESSON
    edited.write_text(edited.read_text() + "\n# edited by the bench\n")
    one_lesson = builder.build_all()
    rerun_after_lesson_edit = sorted(builder.lesson_times)
    builder.lesson_times.clear()
    machinery = repo / EDITED_MACHINERY
    machinery.write_text(machinery.read_text() + "\n# edited by the bench\n")
    after_machinery = builder.build_all()
    rerun_after_machinery_edit = sorted(builder.lesson_times)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
    cold_total = sum(cold.values())
    lessons_total = sum(sum(runs.values()) for runs in lesson_times.values())
    return {
        "cold": cold,
        "cold_total": cold_total,
        "second_language_share": cold["zh_CN"] / cold_total,
        "nothing_changed": nothing,
        "nothing_changed_share": sum(nothing.values()) / cold_total,
        "one_lesson_edited": one_lesson,
        "one_lesson_rerun": rerun_after_lesson_edit,
        "one_lesson_budget": sum(lesson_times.get(Path(EDITED_LESSON).name, {}).values()) + 0.25 * cold_total,
        "machinery_edited": after_machinery,
        "machinery_rerun": rerun_after_machinery_edit,
        "baseline_cold_total": sum(baseline_cold.values()) if baseline_cold else None,
        "lesson_seconds": lesson_times,
        "lesson_peak_memory_mib": lesson_memory,
        "timings_page_and_terminal": timings,
        "lessons_seconds": lessons_total,
        "build_over_lessons": cold_total / lessons_total,
        "peak_memory_bytes": peak,
    }


# -- timings on the page and in a terminal --------------------------------------------
def compare_timings(repo: Path) -> dict[str, list[dict[str, object]]]:
    """For each lesson whose page shows durations: each such line, page beside terminal.

    Lines are matched by their words (numbers and spacing taken out), the
    n-th such line on the page with the n-th in the terminal; the terminal
    run is ``python lesson.py`` right after the cold build.
    """
    compared = {}
    for rst in sorted((repo / "docs" / "lessons").glob("*/plot_*.rst")):
        page = [line for line in page_lines(rst.read_text()) if TIMING.search(line)]
        if not page:
            continue
        lesson = repo / "examples" / rst.parent.name / f"{rst.stem}.py"
        status, screen, _ = run_in_terminal(
            [sys.executable, lesson.name], timeout=300, env=reader_env(), cwd=lesson.parent
        )
        if status != 0:
            raise SystemExit(f"{lesson.name} failed in a terminal:\n{screen}")
        terminal = [line for line in screen.splitlines() if TIMING.search(line)]
        rows = []
        for line in page:
            match = next((other for other in terminal if _words(other) == _words(line)), None)
            if match is not None:
                terminal.remove(match)
            template = " ".join(NUMBER.sub("{}", line).split())
            rows.append(
                {"line": template, "page": NUMBER.findall(line), "terminal": NUMBER.findall(match or "")}
            )
        compared[lesson.name] = rows
    return compared


def _words(line: str) -> list[str]:
    return NUMBER.sub("{}", line).split()


# -- page weight ---------------------------------------------------------------------
#: The screens a page is weighed on: a phone (390 CSS px at 2 device pixels per CSS pixel, as
#: the design review used) and a desktop, each in a fresh browser context (a cold cache).
SCREENS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}, "device_scale_factor": 1},
}
#: Scroll a page to its end, a screen at a time, so that what loads lazily (figures) loads too.
SCROLL_TO_THE_END = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
    window.scrollTo(0, y);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}"""


def measure_pages(site: Path) -> dict[str, dict[str, dict[str, int]]]:
    """What a reader downloads for the landing page and each lesson page, in each language, on
    each of :data:`SCREENS`: ``{page: {screen: {"raw", "gzip", "requests"}}}``."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    lessons = (site / "en" / "lessons").glob("*/plot_*.html")
    pages = ["index.html", *sorted(p.relative_to(site / "en").as_posix() for p in lessons)]
    weights: dict[str, dict[str, dict[str, int]]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
            for language in LANGUAGES:
                for page in pages:
                    url = f"{base}/{language}/{page}"
                    weights[f"{language}/{page}"] = {
                        screen: _weigh(browser, url, site, base, options)
                        for screen, options in SCREENS.items()
                    }
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return weights


def _weigh(browser, url: str, site: Path, base: str, screen: dict) -> dict[str, int]:
    """Everything the browser fetched for ``url``, read to its end, in a fresh context (a cold cache)."""
    context = browser.new_context(**screen)
    page = context.new_page()
    fetched: dict[str, str] = {}
    page.on("response", lambda r: fetched.setdefault(r.url.split("#")[0], r.headers.get("content-type", "")))
    page.goto(url, wait_until="networkidle")
    page.evaluate(SCROLL_TO_THE_END)
    page.wait_for_load_state("networkidle")
    context.close()
    raw = served = 0
    for address, content_type in fetched.items():
        if not address.startswith(base):
            continue
        body = (site / address[len(base) + 1 :].split("?")[0]).read_bytes()
        raw += len(body)
        compressible = content_type.startswith(COMPRESSED_BY_HOSTS)
        served += len(gzip.compress(body, 6)) if compressible else len(body)
    return {"raw": raw, "gzip": served, "requests": len(fetched)}


def median_lesson_page(pages: dict[str, dict[str, dict[str, int]]], screen: str) -> float:
    """The median of the bytes served for a lesson page (both languages) on ``screen``."""
    return statistics.median(w[screen]["gzip"] for name, w in pages.items() if "/lessons/" in name)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


# -- report ---------------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = found.group(1) if found else cpu
    return {
        "cpu": cpu,
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "date": datetime.date.today().isoformat(),
    }


def table(results: dict) -> str:
    b, pages, m = results["builds"], results["pages"], results["machine"]

    def check(ok: bool) -> str:
        return "yes" if ok else "**no**"

    lesson_pages = {
        f"{name}, {screen}": weight
        for name, screens in pages.items()
        if "/lessons/" in name
        for screen, weight in screens.items()
    }
    heaviest, weight = max(lesson_pages.items(), key=lambda item: item[1]["gzip"])
    phone, desktop = median_lesson_page(pages, "phone"), median_lesson_page(pages, "desktop")
    one_lesson = sum(b["one_lesson_edited"].values())
    nothing = sum(b["nothing_changed"].values())
    machinery = sum(b["machinery_edited"].values())
    lessons = len(b["lesson_seconds"])
    # The start methods in the order the build ran them: the default first.
    methods = list(next(iter(b["lesson_seconds"].values())))
    baseline = b.get("baseline_cold_total")
    rows = [
        ("Cold build, both languages", f"{b['cold_total']:.1f} s", ""),
        *(
            [
                (
                    f"Cold build of {results['baseline']}, same run",
                    f"{baseline:.1f} s (this one: {b['cold_total'] / baseline:.2f}×)",
                    f"≤ 1.10×: {check(b['cold_total'] <= 1.10 * baseline)}",
                )
            ]
            if baseline
            else []
        ),
        (
            "Second language (zh_CN) of it",
            f"{b['cold']['zh_CN']:.1f} s ({b['second_language_share']:.0%})",
            f"≤ 25 %: {check(b['second_language_share'] <= TARGETS['second_language_share'])}",
        ),
        (
            "Rebuild, nothing changed",
            f"{nothing:.1f} s ({b['nothing_changed_share']:.0%})",
            f"≤ 10 %: {check(b['nothing_changed_share'] <= TARGETS['nothing_changed_share'])}",
        ),
        (
            f"Rebuild after editing {Path(EDITED_LESSON).name}",
            f"{one_lesson:.1f} s, ran {', '.join(b['one_lesson_rerun']) or 'nothing'}",
            f"≤ {b['one_lesson_budget']:.1f} s: {check(one_lesson <= b['one_lesson_budget'])}",
        ),
        (
            f"Rebuild after editing {EDITED_MACHINERY}",
            f"{machinery:.1f} s, ran {len(b['machinery_rerun'])} lessons",
            f"all {lessons}: {check(len(b['machinery_rerun']) == lessons)}",
        ),
        (
            "Lessons' own run time, every start method",
            f"{b['lessons_seconds']:.1f} s (the cold build: {b['build_over_lessons']:.2f}× that)",
            f"build ≤ 1.15×: {check(b['build_over_lessons'] <= TARGETS['build_over_lessons'])}",
        ),
        ("Peak memory of a build", f"{b['peak_memory_bytes'] / 2**20:.0f} MiB", ""),
        (
            f"Heaviest lesson page ({heaviest})",
            f"{weight['gzip'] / 1000:.0f} kB served, {weight['raw'] / 1000:.0f} kB raw",
            f"≤ 400 kB: {check(weight['gzip'] <= TARGETS['lesson_page_gzip_bytes'])}",
        ),
        (
            "Median lesson page on a phone (390 px, 2x), read to its end",
            f"{phone / 1000:.0f} kB served",
            f"≤ 200 kB: {check(phone <= TARGETS['median_phone_lesson_page_gzip_bytes'])}",
        ),
        ("Median lesson page on a desktop (1366 px), read to its end", f"{desktop / 1000:.0f} kB served", ""),
    ]
    lines = [
        f"Measured on {m['date']}: {m['cpu']}, {m['cpus']} CPUs, Python {m['python']}, {m['system']}.",
        "",
        "| measure | value | target |",
        "| --- | --- | --- |",
        *(f"| {a} | {v} | {t} |" for a, v, t in rows),
        "",
        f"| lesson | {' | '.join(methods)} | peak memory of its process |",
        f"| --- | {' | '.join('---' for _ in methods)} | --- |",
        *(
            f"| {name} | {' | '.join(f'{runs.get(m, 0):.2f} s' for m in methods)} "
            f"| {b['lesson_peak_memory_mib'].get(name, 0):.0f} MiB |"
            for name, runs in sorted(b["lesson_seconds"].items())
        ),
        "",
        f"Timings printed by the lessons: on the page (the build's {methods[0]} run, the default)",
        "and in a terminal (`python lesson.py`, right after the build), numbers in order of the line.",
        "",
        "| lesson | line | page | terminal |",
        "| --- | --- | --- | --- |",
        *(
            f"| {name} | `{row['line']}` | {', '.join(row['page'])} | {', '.join(row['terminal']) or '—'} |"
            for name, rows in sorted(b["timings_page_and_terminal"].items())
            for row in rows
        ),
        "",
        "What a reader downloads for a page, in a fresh browser that opens it and scrolls to its",
        "end: served as a static host serves it (text gzip-compressed), then raw, then requests.",
        "",
        "| page | phone (390 px, 2x) | desktop (1366 px) |",
        "| --- | --- | --- |",
        *(
            f"| {name} | " + " | ".join(_weight(w[screen]) for screen in ("phone", "desktop")) + " |"
            for name, w in sorted(pages.items())
        ),
    ]
    return "\n".join(lines)


def _weight(weight: dict[str, int]) -> str:
    return f"{weight['gzip'] / 1000:.0f} kB, {weight['raw'] / 1000:.0f} kB raw, {weight['requests']} requests"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-readme", action="store_true", help="replace the table in README.md")
    parser.add_argument("--baseline", metavar="REV", help="also time the cold build of this commit")
    parser.add_argument(
        "--pages-only", metavar="SITE", type=Path, help="only weigh the pages of this built site"
    )
    args = parser.parse_args(argv)
    if args.pages_only:
        pages = measure_pages(args.pages_only)
        for screen in SCREENS:
            sys.stdout.write(
                f"median lesson page, {screen}: {median_lesson_page(pages, screen) / 1000:.0f} kB\n"
            )
        for name, screens in sorted(pages.items()):
            sizes = ", ".join(
                f"{screen} {w['gzip'] / 1000:.0f} kB ({w['requests']})" for screen, w in screens.items()
            )
            sys.stdout.write(f"{name}: {sizes}\n")
        return
    with tempfile.TemporaryDirectory(prefix="mpdocs-bench-") as tmp:
        repo = Path(tmp) / "current"
        repo.mkdir()
        copy_repository(repo)
        baseline = None
        if args.baseline:
            baseline = Path(tmp) / "baseline"
            baseline.mkdir()
            copy_commit(args.baseline, baseline)
        builds = measure_builds(repo, baseline)
        subprocess.run([sys.executable, "-m", "mpdocs.publish", "build/html"], cwd=repo, check=True)
        pages = measure_pages(repo / "build" / "html")
    results = {"machine": machine(), "builds": builds, "pages": pages, "baseline": args.baseline}
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    report = table(results)
    sys.stdout.write(report + "\n")
    if args.update_readme:
        readme = ROOT / "README.md"
        text = readme.read_text()
        start, end = (text.index(marker) for marker in MARKERS)
        readme.write_text(text[: start + len(MARKERS[0])] + "\n" + report + "\n" + text[end:])


if __name__ == "__main__":
    main()
