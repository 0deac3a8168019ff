"""Build one language of the site on Read the Docs: ``python -m mpdocs.publish.rtd``.

Read the Docs gives each translation its own project, names its language
``READTHEDOCS_LANGUAGE`` (``en``, ``zh-cn``; ``zh-hans`` is also accepted) and
expects the pages in ``$READTHEDOCS_OUTPUT/html``. The Sphinx language is
``zh_CN``: a ``zh-cn`` passed through would find no catalogs and silently
build English, so unknown codes are refused.
"""

from __future__ import annotations

import os
import subprocess
import sys

from ..i18n.languages import sphinx_language


def command(rtd_language: str, output: str) -> list[str]:
    language = sphinx_language(rtd_language)
    if language is None:
        raise SystemExit(f"READTHEDOCS_LANGUAGE={rtd_language!r} has no translation of this site")
    return [
        sys.executable, "-m", "sphinx", "-W", "-n", "--keep-going",
        "-b", "html", "-D", f"language={language}", "docs", os.path.join(output, "html"),
    ]  # fmt: skip


def main() -> None:
    cmd = command(
        os.environ.get("READTHEDOCS_LANGUAGE", "en"), os.environ.get("READTHEDOCS_OUTPUT", "_readthedocs")
    )
    sys.stderr.write(" ".join(cmd) + "\n")
    raise SystemExit(subprocess.call(cmd))


if __name__ == "__main__":
    main()
