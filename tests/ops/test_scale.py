"""The database stays usable while the daemon writes: readers (a second connection, the CLI) never see
"database is locked" during a large ingest, and `sqbot backup` copies a live database and verifies the copy."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.models import IdentityData, InteractionData
from bot.store.db import Store

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def synthetic(n: int, people: int, start: int = 0) -> list[InteractionData]:
    out = []
    for k in range(start, start + n):
        p = k % people
        author = IdentityData(
            platform="bluesky",
            user_id=f"did:plc:{p:024x}",
            handle=f"user{p}.bsky.social",
            name=f"Person {p}",
            bio="Researcher in open-ended learning. " * 3,
        )
        out.append(
            InteractionData(
                platform="bluesky",
                platform_id=f"at://{author.user_id}/app.bsky.feed.post/{k:013d}",
                kind="reply",
                author=author,
                text=f"Reply {k}: you could ask the open-endedness reading group about this. " * 2,
                created_at=NOW - timedelta(seconds=n - k),
                root_id="at://did:plc:owner/app.bsky.feed.post/root",
                parent_id="at://did:plc:owner/app.bsky.feed.post/root",
            )
        )
    return out


def env_for(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(SQBOT_DB=str(db), SQBOT_DATA_DIR=str(db.parent), SQBOT_SANDBOX="1")
    return env


def sqbot(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env_for(db), capture_output=True, text=True, timeout=120
    )


def ingest_in_background(db: Path, total: int, people: int) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def write() -> None:
        store = Store.open(db)
        try:
            for start in range(0, total, 500):
                store.ingest("bluesky", synthetic(500, people, start), f"c{start}", NOW)
        except BaseException as e:
            errors.append(e)
        finally:
            store.close()

    Store.open(db).close()  # schema first, so readers find the tables
    t = threading.Thread(target=write)
    t.start()
    return t, errors


def test_a_second_reader_and_the_cli_never_see_database_is_locked_during_a_large_ingest(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sqbot.db"
    writer, write_errors = ingest_in_background(db, 40_000, 8_000)
    reader = sqlite3.connect(db)  # a plain second connection with SQLite's defaults, like Datasette's
    counts: list[int] = []
    read_errors: list[str] = []
    cli_runs: list[subprocess.CompletedProcess[str]] = []
    while writer.is_alive():
        try:
            counts.append(reader.execute("SELECT COUNT(*) FROM interactions").fetchone()[0])
            reader.execute(
                "SELECT person_id, COUNT(*), MAX(created_at) FROM interactions GROUP BY person_id"
                " ORDER BY 3 DESC LIMIT 50"
            ).fetchall()
        except sqlite3.OperationalError as e:
            read_errors.append(str(e))
        if len(cli_runs) < 3 and len(counts) % 20 == 1:
            cli_runs.append(sqbot(db, "leads", "list", "--limit", "5"))
    writer.join()
    reader.close()
    assert write_errors == [] and read_errors == []
    assert (
        len(counts) > 10 and counts == sorted(counts) and counts[-1] > 0
    )  # reads kept going, each consistent
    assert cli_runs, "the CLI did not run during the ingest"
    for r in cli_runs:
        assert r.returncode == 0 and "locked" not in r.stderr, r.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM interactions").fetchone()[0] == 40_000


def test_backup_of_a_live_database_is_complete_private_and_passes_integrity_check(tmp_path: Path) -> None:
    db = tmp_path / "sqbot.db"
    store = Store.open(db)
    store.ingest("bluesky", synthetic(2_000, 500), "first", NOW)
    store.close()
    writer, write_errors = ingest_in_background(db, 20_000, 4_000)
    out = tmp_path / "backups" / "copy.db"
    out.parent.mkdir()
    r = sqbot(db, "backup", str(out))
    writer.join()
    assert write_errors == []
    assert r.returncode == 0, r.stderr
    assert "integrity_check: ok" in r.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with sqlite3.connect(out) as con:
        n = con.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
        cursor = con.execute("SELECT value FROM cursors WHERE platform='bluesky'").fetchone()[0]
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert n >= 2_000  # a consistent snapshot: at least what was there before, plus whole batches only
    assert (n - 2_000) % 500 == 0 and cursor in ("first", *(f"c{s}" for s in range(0, 20_000, 500)))
    again = sqbot(db, "backup", str(out))
    assert again.returncode == 1 and "exists; choose a new path or pass --force" in again.stderr
    forced = sqbot(db, "backup", str(out), "--force")
    assert forced.returncode == 0 and "integrity_check: ok" in forced.stdout
