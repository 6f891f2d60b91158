"""SQL for finding people, listing leads, one person's details and the owner's workflow columns (status, notes,
follow-up). Plain rows out; what they mean (errors, priority names, the lead dict) is decided in `bot/leads/`.
Merges are in `leads_merges`, forgetting in `leads_forget`, re-running understanding in `leads_reprocess`."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from bot.leads import ranking
from bot.store.db import Store, iso


# ------------------------------------------------------------------------------------------- finding people
def person(store: Store, pid: int) -> sqlite3.Row | None:
    rows = store.q("SELECT * FROM people WHERE id=?", (pid,))
    return rows[0] if rows else None


def person_exists(store: Store, pid: int) -> bool:
    return bool(store.q("SELECT 1 FROM people WHERE id=?", (pid,)))


def person_names(store: Store) -> dict[int, str | None]:
    """Every person's name, by id."""
    return {int(r["id"]): r["name"] for r in store.q("SELECT id, name FROM people")}


def people_with_handle(store: Store, handle: str, platform: str = "") -> list[int]:
    """The people with an identity whose handle is `handle` (lower case), on `platform` if given."""
    sql = "SELECT DISTINCT person_id FROM identities WHERE lower(handle)=?"
    params: list[Any] = [handle]
    if platform:
        sql += " AND platform=?"
        params.append(platform)
    return [int(r["person_id"]) for r in store.q(sql, params)]


# ------------------------------------------------------------------------------------------- listing
# `person_stats` (kept by triggers, see store.m006_person_stats) holds each person's aggregates and listing group;
# the ORDER BY is the one lead order, `bot.leads.ranking` (tests/leads/test_ranking.py checks SQL and Python agree).
_LEADS_SQL = f"""SELECT p.*, s.n, COALESCE(s.last_at, s.referred_at) AS last_at, s.pr, s.refers, s.offers,
                       s.referred
                FROM person_stats s JOIN people p ON p.id=s.person_id
                WHERE {{where}}
                ORDER BY {ranking.ORDER_BY}"""


def lead_rows(
    store: Store,
    *,
    query: str | None = None,
    platform: str | None = None,
    status: str | None = None,
    rank: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[sqlite3.Row]:
    """People with their `person_stats`, in lead order, filtered (each filter only when given; `rank` is the
    best lead priority as a number) and paged."""
    where: list[str] = ["1=1"]
    params: list[Any] = []
    if status:
        where.append("p.status=?")
        params.append(status)
    if platform:
        where.append("EXISTS (SELECT 1 FROM identities d WHERE d.person_id=p.id AND d.platform=?)")
        params.append(platform)
    if query:
        where.append(
            """p.id IN (SELECT person_id FROM interactions WHERE query_id=?
                       UNION SELECT r.to_person_id FROM referrals r JOIN interactions i ON i.platform=r.platform
                             AND i.platform_id=r.interaction_id WHERE i.query_id=?)"""
        )
        params += [query, query]
    if rank is not None:
        where.append("s.pr=?")
        params.append(rank)
    page = " LIMIT ? OFFSET ?" if limit is not None or offset else ""
    if page:
        params += [-1 if limit is None else limit, offset]
    return store.q(_LEADS_SQL.format(where=" AND ".join(where)) + page, params)


def lead_row(store: Store, pid: int) -> sqlite3.Row:
    """One person's `lead_rows` row (the person must exist)."""
    return store.q(_LEADS_SQL.format(where="p.id=?"), (pid,))[0]


def lead_identities(store: Store, pid: int) -> list[sqlite3.Row]:
    return store.q(
        "SELECT platform, user_id, handle FROM identities WHERE person_id=? ORDER BY platform, user_id",
        (pid,),
    )


def lead_queries(store: Store, pid: int) -> list[str]:
    """The queries a person answered, by id."""
    rows = store.q(
        "SELECT DISTINCT query_id FROM interactions WHERE person_id=? AND query_id IS NOT NULL ORDER BY 1",
        (pid,),
    )
    return [r["query_id"] for r in rows]


def referred_by(store: Store, pid: int) -> list[sqlite3.Row]:
    """Who pointed to a person (`from_person_id`, `name`, the first `query_id` they did it under)."""
    return store.q(
        """SELECT r.from_person_id, pp.name, MIN(i.query_id) AS query_id FROM referrals r
           JOIN people pp ON pp.id=r.from_person_id
           LEFT JOIN interactions i ON i.platform=r.platform AND i.platform_id=r.interaction_id
           WHERE r.to_person_id=? AND r.from_person_id != ? GROUP BY r.from_person_id ORDER BY r.from_person_id""",
        (pid, pid),
    )


# ------------------------------------------------------------------------------------------- one person in full
def identities(store: Store, pid: int) -> list[sqlite3.Row]:
    return store.q("SELECT * FROM identities WHERE person_id=? ORDER BY platform", (pid,))


def interactions(store: Store, pid: int) -> list[sqlite3.Row]:
    """What a person wrote, newest first."""
    return store.q(
        """SELECT platform, platform_id, kind, query_id, text, url, created_at, intent, lead_priority,
                  offers_contact, deleted,
                  EXISTS (SELECT 1 FROM corrections c WHERE c.platform=i.platform
                          AND c.interaction_id=i.platform_id) AS corrected
           FROM interactions i WHERE person_id=? ORDER BY created_at DESC""",
        (pid,),
    )


def referred(store: Store, pid: int) -> list[sqlite3.Row]:
    """Whom a person pointed to."""
    return store.q(
        """SELECT r.handle, r.name, r.target_platform, r.kind, r.to_person_id, i.query_id
           FROM referrals r LEFT JOIN interactions i ON i.platform=r.platform
                AND i.platform_id=r.interaction_id
           WHERE r.from_person_id=? ORDER BY r.created_at, r.target""",
        (pid,),
    )


def merges_of(store: Store, pid: int) -> list[sqlite3.Row]:
    """The merges that kept or dropped a person."""
    return store.q(
        "SELECT id, kept, dropped, evidence, at, undone_at FROM person_merges WHERE kept=? OR dropped=?"
        " ORDER BY id",
        (pid, pid),
    )


# ------------------------------------------------------------------------------------------- workflow
def set_status(store: Store, pid: int, status: str, now: datetime) -> None:
    with store.tx() as c:
        c.execute("UPDATE people SET status=?, updated_at=? WHERE id=?", (status, iso(now), pid))


def append_note(store: Store, pid: int, line: str, now: datetime) -> None:
    """Add `line` after a person's notes (on a new line)."""
    with store.tx() as c:
        c.execute(
            "UPDATE people SET notes = COALESCE(notes || char(10), '') || ?, updated_at=? WHERE id=?",
            (line, iso(now), pid),
        )


def set_follow_up(store: Store, pid: int, when: datetime | None, now: datetime) -> None:
    with store.tx() as c:
        c.execute(
            "UPDATE people SET next_follow_up=?, updated_at=? WHERE id=?",
            (iso(when) if when else None, iso(now), pid),
        )
