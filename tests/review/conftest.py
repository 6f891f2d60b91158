"""Fixtures for the review app: the sandbox demo's database (real SQLite, written by `sqbot demo`), the app
served in process (Starlette's TestClient, a real ASGI round trip) or as `sqbot review` in a subprocess on a
loopback port, and a dump of the database to prove what a request did not change."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from bot.config import load_settings
from bot.review.app import Config, create_app
from bot.review.guard import Guard, served_hosts

NOW = "2026-12-01T09:00:00+00:00"
LATER = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
QUEUE = Path(__file__).resolve().parents[2] / "queries"
TOKEN = "test-token-0123456789"
BASE = "http://127.0.0.1:8765"


def sqbot(out: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(SQBOT_DATA_DIR=str(out / "demo-data"), SQBOT_SANDBOX="1", SQBOT_QUEUE=str(QUEUE))
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=out, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    r = sqbot(tmp_path, "--now", NOW, "demo", "--out", str(tmp_path), "--queue", str(QUEUE))
    assert r.returncode == 0, r.stdout + r.stderr
    return tmp_path


def make_client(demo: Path, *, login: bool = True) -> TestClient:
    settings = load_settings(data_dir=demo / "demo-data", sandbox=True, queue=QUEUE)
    guard = Guard(TOKEN, served_hosts("127.0.0.1", 8765))
    c = TestClient(create_app(Config(settings, guard, lambda: LATER)), base_url=BASE)
    if login:
        r = c.get(f"/?token={TOKEN}", follow_redirects=False)
        assert r.status_code == 303
    return c


@pytest.fixture
def client(demo: Path) -> TestClient:
    return make_client(demo)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, html[:500]
    return m.group(1)


def nonce_of(html: str) -> str:
    m = re.search(r'name="nonce" value="([^"]+)"', html)
    assert m, html[:500]
    return m.group(1)


def db(demo: Path) -> sqlite3.Connection:
    con = sqlite3.connect(demo / "demo-data" / "sqbot.db")
    con.row_factory = sqlite3.Row
    return con


def dump(demo: Path) -> str:
    """Every row of every table (what a request must not change), plus the sandbox network's state."""
    con = sqlite3.connect(demo / "demo-data" / "sqbot.db")
    try:
        text = "\n".join(con.iterdump())
    finally:
        con.close()
    net = demo / "demo-data" / "sandbox.json"
    return text + (net.read_text("utf-8") if net.exists() else "")


def pid_of(demo: Path, name: str) -> int:
    with db(demo) as con:
        return int(con.execute("SELECT id FROM people WHERE name=?", (name,)).fetchone()["id"])


def followup_posts(demo: Path) -> dict[str, dict[str, str]]:
    import json

    data = json.loads((demo / "demo-data" / "sandbox.json").read_text("utf-8"))
    return {k: v for k, v in data["posts"].items() if v["query_id"].startswith("followup:")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """`sqbot review` running in a subprocess on a loopback port; `url` is the login URL it printed."""

    def __init__(self, proc: subprocess.Popen[str], url: str, port: int) -> None:
        self.proc, self.url, self.port = proc, url, port
        self.base = f"http://127.0.0.1:{port}"


def serve(home: Path, env: dict[str, str], *args: str) -> Served:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *args, "review", "--port", str(port)],
        cwd=home,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    m = re.search(r"(http://127\.0\.0\.1:\d+/\?token=\S+)", line)
    assert m, line + (proc.stderr.read() if proc.stderr else "")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/review.css", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    return Served(proc, m.group(1), port)


@pytest.fixture
def served_demo(demo: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(SQBOT_DATA_DIR=str(demo / "demo-data"), SQBOT_SANDBOX="1", SQBOT_QUEUE=str(QUEUE))
    yield demo, env
