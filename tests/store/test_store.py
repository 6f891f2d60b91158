"""The lead database: migrations, idempotent writes, cursors with their rows, people across platforms."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import StoreError
from bot.leads.people import list_leads
from bot.models import IdentityData, InteractionData
from bot.store.db import Store

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def reply(
    pid: str,
    user: str,
    text: str = "hi",
    *,
    platform: str = "bluesky",
    deleted: bool = False,
    links: tuple[tuple[str, str], ...] = (),
) -> InteractionData:
    return InteractionData(
        platform=platform,
        platform_id=pid,
        kind="reply",
        author=IdentityData(
            platform=platform, user_id=user, handle=f"{user}.test", name=user.title(), links=links
        ),
        text=text,
        created_at=NOW,
        deleted=deleted,
    )


def test_opening_twice_applies_migrations_once_and_uses_wal(tmp_path: Path) -> None:
    Store.open(tmp_path / "a.db").close()
    s = Store.open(tmp_path / "a.db")
    try:
        from bot.store.db import migration_set

        names = [r["name"] for r in s.q("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert names[:2] == ["m001_initial", "m002_person_merges"]
        assert (
            len(names) == len(set(names))
            and migration_set().pending(s.db) == []
            and s.pending_migrations() == []
        )
        assert s.q("PRAGMA journal_mode")[0][0] == "wal"
    finally:
        s.close()


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(StoreError, match=r"not a SQLite database.*sqbot backup"):
        Store.open(junk)
    assert junk.read_bytes() == b"\x00garbage" * 100


def test_ingesting_the_same_batch_twice_files_nothing_twice(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "a.db")
    try:
        batch = [reply("r1", "ana"), reply("r2", "ben"), reply("r3", "ana")]
        first = s.ingest("bluesky", batch, "c1", NOW)
        second = s.ingest("bluesky", batch, "c2", NOW)
        assert (first.new_interactions, first.new_people) == (3, 2)
        assert (second.new_interactions, second.new_people) == (0, 0)
        assert s.get_cursor("bluesky") == "c2"
        assert s.counts()["interactions"] == 3 and s.counts()["people"] == 2
    finally:
        s.close()


def test_a_failed_ingest_leaves_neither_rows_nor_a_moved_cursor(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "a.db")
    try:
        s.ingest("bluesky", [reply("r1", "ana")], "c1", NOW)

        def boom(_: InteractionData) -> None:
            raise RuntimeError("crash mid-batch")

        with pytest.raises(RuntimeError):
            s.ingest("bluesky", [reply("r2", "ben")], "c2", NOW, analyse=boom)
        assert s.get_cursor("bluesky") == "c1"
        assert s.counts()["interactions"] == 1
    finally:
        s.close()


def test_a_deleted_reply_is_marked_not_lost(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "a.db")
    try:
        s.ingest("bluesky", [reply("r1", "ana", "kept text")], None, NOW)
        rep = s.ingest("bluesky", [reply("r1", "ana", "", deleted=True)], None, NOW)
        row = s.q("SELECT text, deleted FROM interactions")[0]
        assert rep.deleted == 1 and row["deleted"] == 1 and row["text"] == "kept text"
    finally:
        s.close()


def test_accounts_that_link_each_other_become_one_person_with_evidence(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "a.db")
    try:
        s.ingest("bluesky", [reply("b1", "ivan")], None, NOW)
        s.ingest("substack", [reply("s1", "ivan-s", platform="substack")], None, NOW)
        assert s.counts()["people"] == 2
        s.update_profiles([IdentityData("substack", "ivan-s", links=(("bluesky", "IVAN.test"),))], NOW)
        assert s.merge_by_links(NOW) == 0  # only one side says so
        s.update_profiles([IdentityData("bluesky", "ivan", links=(("substack", "ivan-s.test"),))], NOW)
        assert s.merge_by_links(NOW) == 1
        assert s.counts()["people"] == 1
        lead = list_leads(s)[0]
        assert {i["platform"] for i in lead["identities"]} == {"bluesky", "substack"}
        assert lead["interactions"] == 2
        evidence = s.q("SELECT evidence FROM person_merges")[0]["evidence"]
        assert "links substack:ivan-s.test, which links back" in evidence
    finally:
        s.close()


def test_a_reader_can_read_while_a_writer_holds_a_transaction(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "a.db")
    try:
        s.ingest("bluesky", [reply("r1", "ana")], None, NOW)
        reader = sqlite3.connect(tmp_path / "a.db", timeout=0.1)
        with s.tx() as c:
            c.execute("UPDATE people SET name='Busy'")
            assert reader.execute("SELECT COUNT(*) FROM interactions").fetchone()[0] == 1
        reader.close()
    finally:
        s.close()


def test_naive_datetimes_are_refused() -> None:
    from bot.store.db import iso

    with pytest.raises(ValueError, match="naive"):
        iso(datetime(2026, 1, 1))
    assert iso(NOW + timedelta(hours=1)) == "2026-12-01T10:00:00+00:00"


# ------------------------------------------------------------------------------------------ a lost database
def _fingerprint(p: Path) -> tuple[bytes, int]:
    return p.read_bytes(), p.stat().st_mode


def test_an_empty_database_file_is_refused_and_never_initialised_over(tmp_path: Path) -> None:
    db = tmp_path / "sqbot.db"
    db.write_bytes(b"")
    with pytest.raises(StoreError, match=r"empty \(0 bytes.*sqbot backup.*move sqbot.db aside"):
        Store.open(db)
    assert db.read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["sqbot.db"]


def test_a_sqlite_database_without_sqbots_schema_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "sqbot.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('someone else''s data')")
    con.commit()
    con.close()
    before = _fingerprint(db)
    with pytest.raises(StoreError, match="SQLite database, but not sqbot's"):
        Store.open(db)
    assert _fingerprint(db) == before
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    con.close()
    assert tables == ["notes"]


def test_a_directory_where_the_database_should_be_is_refused_as_unreadable(tmp_path: Path) -> None:
    (tmp_path / "sqbot.db").mkdir()
    with pytest.raises(StoreError, match="not a regular file"):
        Store.open(tmp_path / "sqbot.db")
    assert list((tmp_path / "sqbot.db").iterdir()) == []


def test_an_unreadable_database_file_is_refused(tmp_path: Path) -> None:
    import tempfile

    # tests run as root, who reads any file: drop to `nobody` for the open (seteuid), in a folder it may enter
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to an unprivileged user for the check")
    with tempfile.TemporaryDirectory(dir=tmp_path.anchor + "tmp") as d:
        os.chmod(d, 0o711)  # noqa: S103 (nobody must reach the file to be refused by its own mode)
        db = Path(d) / "sqbot.db"
        Store.open(db).close()
        os.chmod(db, 0)
        before = _fingerprint(db)
        os.seteuid(65534)
        try:
            with pytest.raises(StoreError, match=r"unreadable \(Permission denied\).*sqbot backup"):
                Store.open(db)
        finally:
            os.seteuid(0)
        assert _fingerprint(db) == before


def test_a_missing_database_whose_lock_file_is_left_is_refused_as_lost(tmp_path: Path) -> None:
    db = tmp_path / "sqbot.db"
    Store.open(db).close()
    (tmp_path / "sqbot.db.publish.lock").touch()  # `sqbot post` leaves it beside the database
    db.unlink()
    with pytest.raises(StoreError, match=r"missing but sqbot.db.publish.lock.*deleted or moved"):
        Store.open(db)
    assert not db.exists()


def test_a_first_run_creates_a_whole_database_and_no_temporary_file(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "data" / "sqbot.db")
    try:
        assert s.is_sqbot_database() and s.pending_migrations() == []
    finally:
        s.close()
    assert sorted(p.name for p in (tmp_path / "data").iterdir() if not p.name.startswith("sqbot.db")) == []


def _cli(args: list[str], data: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update({"SQBOT_DATA_DIR": str(data), "SQBOT_SANDBOX": "1", "SQBOT_QUEUE": str(data.parent / "q")})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=data.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "empty (0 bytes; truncated or lost)"),
        (b"<html>not a database</html>\n", "not a SQLite database"),
    ],
)
def test_sqbot_post_refuses_a_lost_database_in_one_line_and_leaves_it_untouched(
    tmp_path: Path, content: bytes, says: str
) -> None:
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "a.yaml").write_text(
        "id: a\nplatforms: [bluesky]\ntext: Who knows?\n", encoding="utf-8"
    )
    data = tmp_path / "data"
    data.mkdir()
    db = data / "sqbot.db"
    db.write_bytes(content)
    r = _cli(["post"], data)
    assert r.returncode == 1 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and "sqbot backup" in lines[0] and "Traceback" not in r.stderr
    assert db.read_bytes() == content and sorted(p.name for p in data.iterdir()) == ["sqbot.db"]


def test_sqbot_post_refuses_a_database_path_it_cannot_read_as_a_file_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "a.yaml").write_text(
        "id: a\nplatforms: [bluesky]\ntext: Who knows?\n", encoding="utf-8"
    )
    data = tmp_path / "data"
    (data / "sqbot.db").mkdir(
        parents=True
    )  # as root every file is readable: a folder stands in for unreadable
    r = _cli(["post"], data)
    lines = r.stderr.strip().splitlines()
    assert (
        r.returncode == 1
        and len(lines) == 1
        and "not a regular file" in lines[0]
        and "Traceback" not in r.stderr
    )
    assert (
        sorted(p.name for p in data.iterdir()) == ["sqbot.db"] and list((data / "sqbot.db").iterdir()) == []
    )


def test_an_old_database_takes_its_earliest_rows_time_as_its_creation_and_a_new_one_its_first_sync(
    tmp_path: Path,
) -> None:
    import sqlite_utils

    from bot.store.migrations import migration_set

    old = tmp_path / "old.db"
    db = sqlite_utils.Database(old)
    migration_set().apply(db, stop_before="m011_database_created")  # a database made by an older sqbot
    db.execute(
        "INSERT INTO queries (id, platforms, tags, watch_seconds, first_seen, updated_at) "
        "VALUES ('q', '[]', '[]', 0, '2026-03-01T08:00:00+00:00', '2026-05-01T08:00:00+00:00')"
    )
    db.conn.commit()
    db.conn.close()
    s = Store.open(old)
    try:
        assert s.created_at() == datetime(2026, 3, 1, 8, tzinfo=UTC)
        s.sync_queries([], datetime(2026, 6, 1, tzinfo=UTC))  # a later sync never moves it
        assert s.created_at() == datetime(2026, 3, 1, 8, tzinfo=UTC)
    finally:
        s.close()
    new = Store.open(tmp_path / "new.db")
    try:
        assert new.created_at() is None
        new.sync_queries([], datetime(2026, 6, 1, tzinfo=UTC))
        assert new.created_at() == datetime(2026, 6, 1, tzinfo=UTC)
    finally:
        new.close()
