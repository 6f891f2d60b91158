"""Render the review app's two pages (People to contact, a person) as Chromium shows them at 1280 px and at
390 px (a phone) into docs/review-*.png.

    .venv/bin/python docs/make_review_png.py

Runs the demo in a temporary folder at a fixed time, serves it with `sqbot review` on a free loopback port and
drives Debian's Chromium with selenium (chromium + chromium-driver from apt; nothing downloaded).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.ops.service import run_demo  # noqa: E402

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LATER = "2026-12-02T16:00:00+00:00"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")  # fmt: skip
MAX_HEIGHT = 2600


def main() -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        sys.exit("needs Chromium and chromedriver (apt-get install chromium chromium-driver)")
    with tempfile.TemporaryDirectory() as tmp:
        run_demo(Path(tmp), str(ROOT / "queries"), NOW)
        data = Path(tmp) / "demo-data"
        with sqlite3.connect(data / "sqbot.db") as con:
            ivan = con.execute("SELECT id FROM people WHERE name='Ivan Petrov'").fetchone()[0]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
        env.update(SQBOT_DATA_DIR=str(data), SQBOT_SANDBOX="1",
                   PYTHONPATH=str(ROOT))  # fmt: skip
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "--now", LATER, "review", "--port", str(port)],
            cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stdout is not None
        url = re.search(r"http://\S+", proc.stdout.readline())
        assert url, proc.stderr.read() if proc.stderr else ""
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/review.css", timeout=1)  # noqa: S310 - our loopback server
                break
            except OSError:
                time.sleep(0.1)
        opts = webdriver.ChromeOptions()
        opts.binary_location = chromium
        for f in FLAGS:
            opts.add_argument(f)
        opts.add_argument(f"--user-data-dir={Path(tmp) / 'profile'}")
        d = webdriver.Chrome(options=opts, service=Service(driver_path))
        try:
            d.set_window_size(1280, 900)
            d.get(url.group(0))
            for name, path in (("people", "/"), ("person", f"/person/{ivan}")):
                for width in (1280, 390):
                    d.set_window_size(width, 900)
                    d.get(base + path)
                    height = d.execute_script("return document.documentElement.scrollHeight")
                    d.set_window_size(width, min(int(height) + 140, MAX_HEIGHT))
                    out = ROOT / "docs" / f"review-{name}-{width}.png"
                    d.save_screenshot(str(out))
                    print(out.relative_to(ROOT))
        finally:
            d.quit()
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
