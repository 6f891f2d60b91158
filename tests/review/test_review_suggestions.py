"""The person page asks `suggest_merges(store, person=P)` (one pass over the others, not every pair): it must
say exactly what the global list says about P, on a real store full of look-alike names, handles and sites."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from bot.leads import merges
from bot.store.db import Store
from tests.digest_seed import T0, add_query, ingest, reply

NAMES = ("Ann Lee", "Bo Chen", "Cy Dax", "Ann  lee", "bo")
BIOS = ("see https://www.Example.org/x", "github.com/ann", "nothing", "lab.example.net", "x.com/bo", None)
HANDLES = ("annlee", "bochen", "cydax", "ann_lee")


def test_a_persons_suggestions_are_the_global_ones_that_include_them(tmp_path: Path) -> None:
    rng = random.Random(3)
    store = Store.open(tmp_path / "sqbot.db")
    try:
        add_query(store)
        items = []
        for n in range(1, 120):
            platform = rng.choice(["bluesky", "x"])
            handle = rng.choice(HANDLES) + (f"{n}.bsky.social" if platform == "bluesky" else str(n % 3))
            items.append(
                reply(n, platform=platform, name=rng.choice(NAMES), bio=rng.choice(BIOS), handle=handle)
            )
        ingest(store, items, T0 + timedelta(hours=1))
        everyone = merges.suggest_merges(store)
        assert len(everyone) > 100
        for (pid,) in store.q("SELECT id FROM people"):
            mine = {(s.a, s.b): set(s.reason.split("; ")) for s in merges.suggest_merges(store, person=pid)}
            want = {(s.a, s.b): set(s.reason.split("; ")) for s in everyone if pid in (s.a, s.b)}
            assert mine == want, pid
    finally:
        store.close()


def test_identities_edited_behind_the_stores_back_or_filed_before_the_keys_are_still_found(
    tmp_path: Path,
) -> None:
    """The keys are a cache: a hand edit (sqlite3, Datasette) marks them stale and the look-up still reads that
    identity; a database made before m013 gets every identity's keys from the migration."""
    import sqlite3

    from bot.store.migrations import migration_set

    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    conn.row_factory = sqlite3.Row
    store = Store(conn, str(tmp_path / "old.db"))
    migration_set().apply(store.db, stop_before="m013_lookalikes")
    add_query(store)
    ingest(
        store,
        [
            reply(1, platform="bluesky", name="Ann Lee", handle="annlee.bsky.social", bio="lab.example.net"),
            reply(2, platform="x", name="ann lee", handle="ann_lee0", bio="see lab.example.net/x"),
            reply(3, platform="x", name="Bo Chen", handle="bochen1"),
        ],
        T0 + timedelta(hours=1),
    )
    migration_set().apply(store.db)
    assert store.q("SELECT COUNT(*) AS n FROM identities WHERE keys_ok IS NULL")[0]["n"] == 0
    store.conn.execute(
        "UPDATE identities SET name='Ann Lee' WHERE handle='bochen1'"
    )  # behind the store's back
    assert store.q("SELECT COUNT(*) AS n FROM identities WHERE keys_ok IS NULL")[0]["n"] == 1
    everyone = merges.suggest_merges(store)
    assert len(everyone) == 2  # Ann with Ann on X (name and site), Ann with the renamed Bo (name)
    for (pid,) in store.q("SELECT id FROM people"):
        mine = {(s.a, s.b): set(s.reason.split("; ")) for s in merges.suggest_merges(store, person=pid)}
        assert mine == {(s.a, s.b): set(s.reason.split("; ")) for s in everyone if pid in (s.a, s.b)}, pid
    conn.close()
