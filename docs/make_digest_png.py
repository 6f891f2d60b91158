"""Render docs/digest.png: the demo digest (`sqbot demo`) as headless Chromium shows it at 600 px.

    .venv/bin/python docs/make_digest_png.py

Runs the demo in a temporary folder at a fixed time, so the picture only changes when the digest does.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.ops.service import run_demo  # noqa: E402


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("needs headless Chromium (apt-get install chromium)")
    out = ROOT / "docs" / "digest.png"
    with tempfile.TemporaryDirectory() as tmp:
        run_demo(Path(tmp), str(ROOT / "queries"), datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
        page = Path(tmp) / "digest.html"
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
        # measure the page's height in the same browser, then shoot exactly that
        probe = Path(tmp) / "probe.html"
        probe.write_text(
            page.read_text("utf-8").replace(
                "</body>",
                "<script>document.body.setAttribute('data-h', document.documentElement.scrollHeight)"
                "</script></body>",
            ),
            encoding="utf-8",
        )
        dom = subprocess.run(
            [chromium, *flags, "--window-size=600,800", "--dump-dom", probe.as_uri()],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
        m = re.search(r'data-h="(\d+)"', dom)
        height = int(m[1]) if m else 2400
        subprocess.run(
            [chromium, *flags, f"--window-size=600,{height}", f"--screenshot={out}", page.as_uri()],
            check=True,
            capture_output=True,
            timeout=120,
        )
    print(f"wrote {out} (600 x {height} px)")


if __name__ == "__main__":
    main()
