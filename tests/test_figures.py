"""Figures drawn by the build: the CJK font however it was installed, and figures for each screen."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from mpdocs.figures import CJK_FONTS
from mpdocs.testing import reader_env, run


def _python(code: str, config_dir, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter whose Matplotlib keeps its font list in ``config_dir``."""
    env = reader_env(MPLCONFIGDIR=str(config_dir), MPLBACKEND="Agg")
    result, leftovers = run(
        [sys.executable, "-c", textwrap.dedent(code)], timeout=timeout, env=env, cwd=config_dir
    )
    assert leftovers == []
    assert result.returncode == 0, result.stderr
    return result


def _installed_cjk_font() -> str:
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    font = next((family for family in CJK_FONTS if family in families), None)
    if font is None:
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")
    return font


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="needs fontconfig's fc-list")
def test_a_cjk_font_installed_after_matplotlib_cached_its_font_list_is_found_without_warnings(tmp_path):
    font = _installed_cjk_font()
    # What a reader's machine holds when the font came after Matplotlib's first run:
    # a cached font list without it.
    _python(
        """
        from pathlib import Path
        import matplotlib
        from matplotlib import font_manager as fm
        manager = fm.fontManager
        manager.ttflist = [f for f in manager.ttflist if "CJK" not in f.name and "Han" not in f.name]
        fm.json_dump(manager, Path(matplotlib.get_cachedir(), f"fontlist-v{fm.FontManager.__version__}.json"))
        """,
        tmp_path,
    )
    stale = next(tmp_path.glob("fontlist-*.json")).read_text(encoding="utf-8")
    assert font not in stale
    drawn = _python(
        """
        import json, logging, warnings
        import matplotlib.pyplot as plt
        from matplotlib import font_manager
        from mpdocs.figures import _cjk_font

        records = []
        handler = logging.Handler()
        handler.emit = records.append
        logging.getLogger("matplotlib").addHandler(handler)
        warnings.simplefilter("always")
        with warnings.catch_warnings(record=True) as caught:
            missing_before = not any("CJK" in f.name for f in font_manager.fontManager.ttflist)
            font = _cjk_font(None)
            fig, ax = plt.subplots()
            ax.set_title("进程池", fontfamily=["DejaVu Sans", font])
            ax.set_xlabel("耗时（秒）", fontfamily=["DejaVu Sans", font])
            fig.savefig("out.png")
        print(json.dumps({
            "missing_before": missing_before,
            "font": font,
            "log": [r.getMessage() for r in records if r.levelno >= logging.WARNING],
            "warnings": [str(w.message) for w in caught],
        }))
        """,
        tmp_path,
    )
    report = json.loads(drawn.stdout.splitlines()[-1])
    assert report["missing_before"]
    assert report["font"] in CJK_FONTS
    assert report["log"] == []
    assert report["warnings"] == []
    assert "findfont" not in drawn.stderr
    # The refreshed list was cached: the next build finds the font at once.
    assert font in next(tmp_path.glob("fontlist-*.json")).read_text(encoding="utf-8")
