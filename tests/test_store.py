"""The lead database: migrations, idempotent writes, cursors with their rows, people across platforms."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import StoreError
from bot.models import IdentityData, InteractionData
from bot.store import Store

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
        from bot.store import migration_set

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
    with pytest.raises(StoreError, match="is it a sqbot database"):
        Store.open(junk)


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
        assert s.merge_by_links(NOW) == 1
        assert s.counts()["people"] == 1
        lead = s.leads()[0]
        assert {i["platform"] for i in lead["identities"]} == {"bluesky", "substack"}
        assert lead["interactions"] == 2
        assert "links bluesky:IVAN.test" in s.q("SELECT evidence FROM person_merges")[0]["evidence"]
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
    from bot.store import iso

    with pytest.raises(ValueError, match="naive"):
        iso(datetime(2026, 1, 1))
    assert iso(NOW + timedelta(hours=1)) == "2026-12-01T10:00:00+00:00"
