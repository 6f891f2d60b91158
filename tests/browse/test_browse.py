"""`sqbot browse`: Datasette on loopback, read-only over the live (WAL) database, with canned queries; a canned
query page rendered in headless Chromium (screenshot in out/test-output/)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.browse.app import META, metadata
from bot.models import IdentityData, InteractionData
from bot.store.db import Store
from tests.conftest import service_unavailable

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "out" / "test-output"
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return str(r.read().decode("utf-8"))


def reply(pid: str, user: str, name: str, text: str) -> InteractionData:
    return InteractionData(
        platform="bluesky",
        platform_id=pid,
        kind="reply",
        author=IdentityData(platform="bluesky", user_id=user, handle=f"{user}.test", name=name),
        text=text,
        created_at=NOW,
    )


def test_metadata_describes_every_table_and_names_the_database_after_the_file(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "leads.db")
    tables = {r["name"] for r in s.q("SELECT name FROM sqlite_master WHERE type='table'")} - {
        "_sqlite_migrations"
    }
    s.close()
    meta = metadata(tmp_path / "leads.db")
    db = meta["databases"]["leads"]
    assert tables <= set(db["tables"]) and all(db["tables"][t]["description"] for t in tables)
    assert set(db["queries"]) == {
        "follow_ups_due",
        "referrals_not_contacted",
        "query_yield",
        "people_by_platform",
    }
    assert json.loads(META.read_text("utf-8"))["databases"]["DB"]["queries"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if importlib.util.find_spec("datasette") is None:
        service_unavailable("Datasette", "not installed: pip install -e '.[browse]'")
    from bot.poll.fetch import make_analyser

    db = tmp_path / "data" / "sqbot.db"
    s = Store.open(db)
    s.ingest(
        "bluesky",
        [reply("r1", "maya", "Maya Okafor", "You should talk to @ivan.test, he built exactly this.")],
        None,
        NOW,
        analyse=make_analyser(["you"]),
    )
    s.close()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env["SQBOT_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "browse", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                get(base + "/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"sqbot browse exited: {proc.stdout.read() if proc.stdout else ''}")
                time.sleep(0.1)
        else:
            pytest.fail("sqbot browse did not answer within 10 s")
        yield base, db
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_browse_serves_canned_queries_read_only_and_sees_live_writes(server: tuple[str, Path]) -> None:
    base, db = server
    page = json.loads(get(base + "/sqbot/referrals_not_contacted.json?_shape=array"))
    assert [(r["handle"], r["referred_by"], r["status"]) for r in page] == [
        ("ivan.test", "Maya Okafor", "referred")
    ]
    # a write by the daemon while browsing is visible at once (a live WAL database, not --immutable)
    s = Store.open(db)
    s.ingest("bluesky", [reply("r2", "sam", "Sam Rivera", "ok")], None, NOW)
    s.close()
    yield_rows = json.loads(get(base + "/sqbot/people_by_platform.json?_shape=array"))
    assert yield_rows[0]["people"] == 3
    # the connection is read-only: SQL that writes is refused
    req = base + "/sqbot.json?sql=" + urllib.request.quote("update people set name='x'")
    with pytest.raises(urllib.error.HTTPError):
        get(req)


def test_a_canned_query_page_renders_in_headless_chromium(server: tuple[str, Path]) -> None:
    base, _ = server
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        service_unavailable("Chromium", "install Debian's chromium (make test-deps)")
    OUT.mkdir(parents=True, exist_ok=True)
    shot = OUT / "browse-referrals-not-contacted.png"
    shot.unlink(missing_ok=True)
    url = base + "/sqbot/referrals_not_contacted"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=90
    ).stdout
    assert "Referrals not yet contacted" in dom and "ivan.test" in dom and "Maya Okafor" in dom
    subprocess.run(
        [CHROMIUM, *flags, "--window-size=1200,800", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=90,
    )
    assert shot.exists() and shot.stat().st_size > 10_000
