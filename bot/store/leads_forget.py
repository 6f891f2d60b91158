"""SQL for forgetting a person (`bot/leads/forget.py` decides what goes; this reads and deletes) and for leads
nobody refers to any more. The steps take the connection of the caller's transaction: one forget is one
transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.store.db import Store, forget_salt, forgotten_keys, iso, salted


def _marks(n: int) -> str:
    return ",".join("?" * n)


def secure_delete(store: Store) -> None:
    """Freed pages are zeroed from now on, not left holding what was deleted."""
    store.conn.execute("PRAGMA secure_delete=ON")


def checkpoint(store: Store) -> None:
    """Copy the WAL into the database and empty it, so old page versions leave the WAL too."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def accounts_of(store: Store, pid: int) -> list[str]:
    """`platform:handle` (or user id) of each real account of person `pid` (referral placeholders left out)."""
    return [
        f"{r['platform']}:{r['handle'] or r['user_id']}"
        for r in store.q(
            "SELECT platform, user_id, handle FROM identities WHERE person_id=? AND user_id NOT LIKE 'handle:%'"
            " ORDER BY platform, user_id",
            (pid,),
        )
    ]


def live_merges_into(store: Store, pid: int) -> list[int]:
    """Ids of the merges (not undone) that dropped someone into `pid`."""
    return [
        int(r["id"])
        for r in store.q(
            "SELECT id FROM person_merges WHERE kept=? AND undone_at IS NULL ORDER BY id", (pid,)
        )
    ]


def dropped_into(c: sqlite3.Connection, kept: Sequence[int]) -> list[int]:
    """The people merges dropped into any of `kept` (undone merges included: their snapshots are kept)."""
    return [
        int(r["dropped"])
        for r in c.execute(f"SELECT dropped FROM person_merges WHERE kept IN ({_marks(len(kept))})", kept)
    ]


def identities_of(c: sqlite3.Connection, pids: Sequence[int]) -> list[sqlite3.Row]:
    return c.execute(
        f"SELECT platform, user_id, handle, name FROM identities WHERE person_id IN ({_marks(len(pids))})",
        pids,
    ).fetchall()


def names_in(c: sqlite3.Connection, pids: Sequence[int]) -> list[str | None]:
    """These people's names (their person rows)."""
    return [r[0] for r in c.execute(f"SELECT name FROM people WHERE id IN ({_marks(len(pids))})", pids)]


def others_texts_naming(
    c: sqlite3.Connection, pids: Sequence[int], words: Sequence[str]
) -> list[sqlite3.Row]:
    """Interactions of other people whose text contains any of `words` (case-insensitive for ASCII; the caller
    matches exactly): `platform`, `platform_id`, `text`."""
    if not words:
        return []
    likes = " OR ".join("text LIKE ? ESCAPE '\\'" for _ in words)
    pats = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]
    return c.execute(
        f"SELECT platform, platform_id, text FROM interactions WHERE person_id NOT IN ({_marks(len(pids))})"
        f" AND ({likes})",
        [*pids, *pats],
    ).fetchall()


def set_text(c: sqlite3.Connection, platform: str, platform_id: str, text: str) -> None:
    c.execute(
        "UPDATE interactions SET text=? WHERE platform=? AND platform_id=?", (text, platform, platform_id)
    )


def delete_name_referrals(c: sqlite3.Connection, names: Sequence[str]) -> None:
    """Referrals by name only (no handle) naming any of `names` (lower case)."""
    if names:
        c.execute(
            f"DELETE FROM referrals WHERE handle IS NULL AND lower(name) IN ({_marks(len(names))})",
            list(names),
        )


def remember_forgotten(c: sqlite3.Connection, idents: Iterable[sqlite3.Row], now: datetime) -> None:
    """Keep salted one-way keys of these accounts in `forgotten`, so they are never filed again."""
    salt = forget_salt(c, created_at=now)
    assert salt is not None
    for i in idents:
        for key in forgotten_keys(i["platform"], i["user_id"], i["handle"]):
            c.execute(
                "INSERT OR IGNORE INTO forgotten (key, at) VALUES (?, ?)", (salted(salt, key), iso(now))
            )


def interaction_ids(c: sqlite3.Connection, pids: Sequence[int]) -> set[str]:
    return {
        str(r[0])
        for r in c.execute(
            f"SELECT platform_id FROM interactions WHERE person_id IN ({_marks(len(pids))})", pids
        )
    }


def delete_moves_naming(c: sqlite3.Connection, ids: set[str]) -> None:
    """Delete the `person_moves` (merge undo log) rows whose key names any of `ids` (case-insensitive)."""
    if ids:
        c.execute(
            f"""DELETE FROM person_moves WHERE EXISTS (
                    SELECT 1 FROM json_each(person_moves.key) WHERE lower(value) IN ({_marks(len(ids))}))""",
            sorted(x.lower() for x in ids),
        )


def others_mentions(c: sqlite3.Connection, pids: Sequence[int]) -> list[sqlite3.Row]:
    """Interactions of other people that mention someone: `platform`, `platform_id`, `mentions` (JSON)."""
    return c.execute(
        f"SELECT platform, platform_id, mentions FROM interactions WHERE mentions != '[]' "
        f"AND person_id NOT IN ({_marks(len(pids))})",
        pids,
    ).fetchall()


def set_mentions(c: sqlite3.Connection, platform: str, platform_id: str, mentions: list[Any]) -> None:
    c.execute(
        "UPDATE interactions SET mentions=? WHERE platform=? AND platform_id=?",
        (json.dumps(mentions), platform, platform_id),
    )


def referral_targets(c: sqlite3.Connection, pids: Sequence[int]) -> list[int]:
    """Whom these people referred."""
    return [
        int(r["to_person_id"])
        for r in c.execute(
            f"SELECT DISTINCT to_person_id FROM referrals WHERE from_person_id IN ({_marks(len(pids))})"
            " AND to_person_id IS NOT NULL",
            pids,
        )
    ]


def delete_people(c: sqlite3.Connection, pids: Sequence[int]) -> dict[str, int]:
    """Delete these people and every row about them: referrals from and to them (and to their handles), their
    interactions, identities, merges and merge log, what `sqbot leads reply` wrote to them (follow-up, outbox,
    post and query rows) and their merge snapshots. Returns the counts of referrals, interactions, merges and
    people deleted."""
    marks = _marks(len(pids))
    counts: dict[str, int] = {}
    counts["referrals"] = c.execute(
        f"""DELETE FROM referrals WHERE from_person_id IN ({marks}) OR to_person_id IN ({marks})
            OR (target_platform, handle) IN (SELECT platform, lower(handle) FROM identities
                                             WHERE person_id IN ({marks}))""",
        [*pids, *pids, *pids],
    ).rowcount
    counts["interactions"] = c.execute(
        f"DELETE FROM interactions WHERE person_id IN ({marks})", pids
    ).rowcount
    c.execute(f"DELETE FROM identities WHERE person_id IN ({marks})", pids)
    counts["merges"] = c.execute(
        f"DELETE FROM person_merges WHERE kept IN ({marks}) OR dropped IN ({marks})", [*pids, *pids]
    ).rowcount
    c.execute(
        f"DELETE FROM person_moves WHERE from_person IN ({marks}) OR to_person IN ({marks})", [*pids, *pids]
    )
    fids = [(r["id"],) for r in c.execute(f"SELECT id FROM followups WHERE person_id IN ({marks})", pids)]
    c.executemany("DELETE FROM posts WHERE query_id=?", fids)
    c.executemany("DELETE FROM outbox WHERE query_id=?", fids)
    c.executemany("DELETE FROM queries WHERE id=?", fids)
    c.execute(f"DELETE FROM followups WHERE person_id IN ({marks})", pids)
    counts["people"] = c.execute(f"DELETE FROM people WHERE id IN ({marks})", pids).rowcount
    c.execute(f"DELETE FROM people_removed WHERE id IN ({marks})", pids)
    return counts


def drop_orphan_leads(c: sqlite3.Connection, pids: Iterable[int]) -> int:
    """Delete leads nobody refers to any more and the owner never touched (status `referred`, no interactions,
    no notes, no follow-up, only placeholder identities); returns how many."""
    n = 0
    for pid in pids:
        row = c.execute(
            """SELECT 1 FROM people p WHERE p.id=? AND p.status='referred' AND p.notes IS NULL
                 AND p.next_follow_up IS NULL
                 AND NOT EXISTS (SELECT 1 FROM referrals WHERE to_person_id=p.id)
                 AND NOT EXISTS (SELECT 1 FROM interactions WHERE person_id=p.id)
                 AND NOT EXISTS (SELECT 1 FROM identities WHERE person_id=p.id AND user_id NOT LIKE 'handle:%')
                 AND NOT EXISTS (SELECT 1 FROM person_merges WHERE kept=p.id)""",
            (pid,),
        ).fetchone()
        if row is None:
            continue
        c.execute("DELETE FROM identities WHERE person_id=?", (pid,))
        c.execute("DELETE FROM people WHERE id=?", (pid,))
        c.execute("DELETE FROM people_removed WHERE id=?", (pid,))
        n += 1
    return n


# ------------------------------------------------------------------------------------------- traces
def merged_in(store: Store, pid: int) -> list[int]:
    """The people merges dropped into `pid`."""
    return [int(r["dropped"]) for r in store.q("SELECT dropped FROM person_merges WHERE kept=?", (pid,))]


def names(store: Store, pids: Sequence[int]) -> list[str | None]:
    return [r["name"] for r in store.q(f"SELECT name FROM people WHERE id IN ({_marks(len(pids))})", pids)]


def identity_names(store: Store, pids: Sequence[int]) -> list[sqlite3.Row]:
    """These people's identities: `user_id`, `handle`, `name`."""
    return store.q(
        f"SELECT user_id, handle, name FROM identities WHERE person_id IN ({_marks(len(pids))})", pids
    )


def texts(store: Store, pids: Sequence[int]) -> list[str | None]:
    """What these people wrote."""
    return [
        r["text"]
        for r in store.q(f"SELECT text FROM interactions WHERE person_id IN ({_marks(len(pids))})", pids)
    ]
