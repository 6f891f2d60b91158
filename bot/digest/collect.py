"""What the digest needs from the store, and the bookkeeping of digest windows (the `digests` table).

A window is `[since, until)` on `interactions.fetched_at` (when sqbot learned of a reply, so a late-fetched
old reply is still reported once). `since` is the end of the last digest SENT, or the first interaction ever.
People marked `do-not-contact` never appear.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.digest.build import (
    AttentionRow,
    Author,
    Contacted,
    Counts,
    DigestInput,
    PersonRow,
    PostRow,
    QueryRow,
    ReferralRow,
    ReplyRow,
)
from bot.leads import followup
from bot.leads import send as followupdb
from bot.store.db import Store, iso, parse_iso

HIDDEN = "do-not-contact"
SENT, SENDING, FAILED, WRITTEN = "sent", "sending", "failed", "written"


@dataclass(frozen=True)
class DigestRecord:
    window_start: datetime
    window_end: datetime
    message_id: str
    status: str
    path: str | None


def window(store: Store, now: datetime) -> tuple[datetime, datetime]:
    """(since, until): since the end of the last digest sent (or the first interaction), until `now`."""
    until = now.replace(microsecond=0)
    last = store.q(f"SELECT MAX(window_end) AS w FROM digests WHERE status='{SENT}'")[0]["w"]
    if last is None:
        last = store.q("SELECT MIN(fetched_at) AS w FROM interactions")[0]["w"]
    since = parse_iso(last) if last else until
    return min(since, until), until


def pending(store: Store) -> DigestRecord | None:
    """The newest digest handed to the mail server whose acceptance was never recorded (crash or unknown)."""
    rows = store.q(f"SELECT * FROM digests WHERE status='{SENDING}' ORDER BY window_end DESC LIMIT 1")
    if not rows:
        return None
    r = rows[0]
    return DigestRecord(
        parse_iso(r["window_start"]), parse_iso(r["window_end"]), r["message_id"], r["status"], r["path"]
    )


def record(
    store: Store,
    window_end: datetime,
    window_start: datetime,
    message_id: str,
    status: str,
    counts: Counts,
    path: str | None,
    *,
    sent_at: datetime | None = None,
) -> None:
    """Insert or update the digest row of this window (keyed by its end)."""
    with store.tx() as c:
        c.execute(
            """INSERT INTO digests (window_end, window_start, message_id, status, replies, people, referrals,
                   path, sent_at) VALUES (?,?,?,?,?,?,?,?,?)
               ON CONFLICT(window_end) DO UPDATE SET window_start=excluded.window_start,
                   message_id=excluded.message_id, status=excluded.status, replies=excluded.replies,
                   people=excluded.people, referrals=excluded.referrals, path=excluded.path,
                   sent_at=COALESCE(excluded.sent_at, digests.sent_at)""",
            (
                iso(window_end),
                iso(window_start),
                message_id,
                status,
                counts.replies,
                counts.people,
                counts.referrals,
                path,
                iso(sent_at) if sent_at else None,
            ),
        )


def _dt(s: str | None) -> datetime | None:
    if not s:
        return None
    try:
        return parse_iso(s)
    except ValueError:
        return None


def _author(r: sqlite3.Row | dict[str, Any]) -> Author:
    return Author(
        person_id=int(r["person_id"]),
        platform=r["platform"],
        user_id=r["user_id"],
        handle=r["handle"],
        name=r["name"],
        bio=r["bio"],
        url=r["url"],
    )


def _identities(store: Store, person_id: int) -> tuple[Author, ...]:
    rows = store.q(
        """SELECT person_id, platform, user_id, handle, name, bio, url FROM identities WHERE person_id=?
           ORDER BY first_seen, platform, user_id""",
        (person_id,),
    )
    return tuple(_author(r) for r in rows)


def _person(store: Store, r: sqlite3.Row) -> PersonRow:
    referred_by = tuple(
        x["name"] or "someone"
        for x in store.q(
            """SELECT DISTINCT p.name FROM referrals f JOIN people p ON p.id = f.from_person_id
               WHERE f.to_person_id=? ORDER BY p.name""",
            (r["id"],),
        )
    )
    return PersonRow(
        person_id=int(r["id"]),
        name=r["name"],
        status=r["status"],
        identities=_identities(store, int(r["id"])),
        next_follow_up=_dt(r["next_follow_up"]),
        referred_by=referred_by,
    )


def _target(handle: str | None, name: str | None) -> str:
    return f"@{handle}" if handle else (name or "someone")


def collect(
    store: Store,
    since: datetime,
    until: datetime,
    *,
    people_limit: int = 40,
    x_budget_usd: float | None = None,
) -> DigestInput:
    """Everything the digest of `[since, until)` shows, read in one go. `x_budget_usd`: SQBOT_X_BUDGET_USD, so a
    spent X budget reads as the budget (None: as X waiting)."""
    s, u = iso(since), iso(until)
    refers_of: dict[tuple[str, str], tuple[str, ...]] = {}
    for x in store.q(  # whom each reply of the window points to, in one read
        f"""SELECT f.platform, f.interaction_id, f.handle, f.name FROM referrals f JOIN interactions i
               ON i.platform = f.platform AND i.platform_id = f.interaction_id
            LEFT JOIN people t ON t.id = f.to_person_id
            WHERE i.fetched_at >= ? AND i.fetched_at < ? AND COALESCE(t.status, '') != '{HIDDEN}'
            ORDER BY f.platform, f.interaction_id, f.target""",
        (s, u),
    ):
        key = (x["platform"], x["interaction_id"])
        refers_of[key] = (*refers_of.get(key, ()), _target(x["handle"], x["name"]))
    replies = []
    for r in store.q(
        f"""SELECT i.*, p.name AS person_name, d.handle, d.name AS ident_name, d.bio, d.url AS ident_url,
                   fu.query_id AS followup_of
            FROM interactions i JOIN people p ON p.id = i.person_id
            LEFT JOIN identities d ON d.platform = i.platform AND d.user_id = i.author_user_id
            LEFT JOIN followups fu ON fu.id = i.query_id  -- an answer to our follow-up: the query it was about
            WHERE i.fetched_at >= ? AND i.fetched_at < ? AND i.deleted = 0 AND p.status != '{HIDDEN}'
            ORDER BY i.created_at DESC, i.platform, i.platform_id""",
        (s, u),
    ):
        refers = refers_of.get((r["platform"], r["platform_id"]), ())
        author = Author(
            person_id=int(r["person_id"]),
            platform=r["platform"],
            user_id=r["author_user_id"],
            handle=r["handle"],
            name=r["ident_name"] or r["person_name"],
            bio=r["bio"],
            url=r["ident_url"],
        )
        replies.append(
            ReplyRow(
                platform=r["platform"],
                platform_id=r["platform_id"],
                kind=r["kind"],
                query_id=r["followup_of"] or r["query_id"],
                text=r["text"],
                created_at=parse_iso(r["created_at"]),
                author=author,
                url=r["url"],
                intent=r["intent"],
                lead_priority=r["lead_priority"],
                offers_contact=None if r["offers_contact"] is None else bool(r["offers_contact"]),
                refers=refers,
            )
        )

    new_people = tuple(
        # counted (the headline, the digests table); who they are is said under "People to contact"
        PersonRow(int(r["id"]), r["name"], r["status"], next_follow_up=_dt(r["next_follow_up"]))
        for r in store.q(
            # people who answered for the first time in this window (a referred lead who has not answered yet
            # is listed under referrals, not here)
            f"""SELECT p.* FROM people p JOIN (SELECT person_id, MIN(fetched_at) AS first_at FROM interactions
                    GROUP BY person_id) f ON f.person_id = p.id
                WHERE f.first_at >= ? AND f.first_at < ? AND p.status != '{HIDDEN}'
                ORDER BY p.first_seen DESC, p.id""",
            (s, u),
        )
    )
    follow_ups = tuple(
        _person(store, r)
        for r in store.q(
            f"""SELECT * FROM people WHERE next_follow_up IS NOT NULL AND next_follow_up != ''
                AND next_follow_up <= ? AND status NOT IN ('done', '{HIDDEN}')
                ORDER BY next_follow_up, id""",
            (u,),
        )
    )
    referrals = tuple(
        ReferralRow(
            platform=r["platform"],
            from_name=r["from_name"],
            target=r["to_name"] or _target(r["handle"], r["name"]),
            target_platform=r["target_platform"],
            known=r["to_person_id"] is not None,
            count=int(r["n"]),
            from_person_id=int(r["from_person_id"]),
            to_person_id=None if r["to_person_id"] is None else int(r["to_person_id"]),
        )
        for r in store.q(
            # one row per (referrer, referred) pair: the same recommendation on three platforms is one pair, 3×
            f"""SELECT f.from_person_id, f.to_person_id, MIN(f.platform) AS platform, p.name AS from_name,
                       t.name AS to_name, MIN(f.handle) AS handle, MIN(f.name) AS name,
                       MIN(f.target_platform) AS target_platform, COUNT(*) AS n, MAX(f.created_at) AS last_at
                FROM referrals f JOIN people p ON p.id = f.from_person_id
                LEFT JOIN people t ON t.id = f.to_person_id
                WHERE f.created_at >= ? AND f.created_at < ? AND p.status != '{HIDDEN}'
                  AND COALESCE(t.status, '') != '{HIDDEN}'
                GROUP BY f.from_person_id, COALESCE(CAST(f.to_person_id AS TEXT), f.target)
                ORDER BY n DESC, last_at DESC, p.name""",
            (s, u),
        )
    )
    attention = _attention_rows(store, until, x_budget_usd)
    leads, leads_total = _leads(store, s, u, people_limit)
    return DigestInput(
        since=since,
        until=until,
        leads=leads,
        leads_total=leads_total,
        queries=_queries(store, u),
        replies=tuple(replies),
        new_people=new_people,
        follow_ups=follow_ups,
        referrals=referrals,
        attention=tuple(attention),
    )


def _attention_rows(store: Store, until: datetime, x_budget_usd: float | None) -> list[AttentionRow]:
    """The attention list `sqbot status` shows (`bot.ops.attention`), as of the window's end."""
    from bot.ops import attention
    from bot.store.metering import x_budget
    from bot.store.status import attention_data

    budget = None if x_budget_usd is None else x_budget(store, x_budget_usd, until)
    return [
        AttentionRow(a.source, a.heading, a.text)
        for a in attention.build(attention_data(store), budget, until)
    ]


def _leads(store: Store, s: str, u: str, limit: int) -> tuple[tuple[PersonRow, ...], int]:
    """The people to contact: who answered or was referred in `[s, u)`, or has a follow-up due, strongest
    first (referral/offer, referred, the rest; then priority, then most recent), the first `limit` in full."""
    where = f"""p.status NOT IN ('{HIDDEN}', 'done') AND (
            p.id IN (SELECT person_id FROM interactions WHERE fetched_at >= :s AND fetched_at < :u AND deleted = 0
                     AND COALESCE(intent, '') NOT IN ('spam', 'abuse'))
            OR p.id IN (SELECT to_person_id FROM referrals WHERE created_at >= :s AND created_at < :u)
            OR (p.next_follow_up IS NOT NULL AND p.next_follow_up != '' AND p.next_follow_up <= :u))"""
    total = int(store.q(f"SELECT COUNT(*) AS n FROM people p WHERE {where}", {"s": s, "u": u})[0]["n"])
    rows = store.q(
        f"""SELECT p.* FROM people p LEFT JOIN person_stats st ON st.person_id = p.id WHERE {where}
            ORDER BY COALESCE(st.grp, 2), COALESCE(st.pr, -1) DESC, st.last_at DESC, p.id LIMIT :n""",
        {"s": s, "u": u, "n": limit},
    )
    out = []
    for r in rows:
        pid = int(r["id"])
        base = _person(store, r)
        counts = tuple(
            (x["name"] or "someone", int(x["n"]))
            for x in store.q(
                f"""SELECT p.name, COUNT(*) AS n FROM referrals f JOIN people p ON p.id = f.from_person_id
                    WHERE f.to_person_id=? AND p.status != '{HIDDEN}' AND f.created_at < ?
                    GROUP BY f.from_person_id ORDER BY n DESC, p.name""",
                (pid, u),
            )
        )
        answered = bool(store.q("SELECT 1 FROM interactions WHERE person_id=? LIMIT 1", (pid,)))
        contacted = tuple(
            Contacted(c.platform, c.posted_at, c.url)
            for c in followupdb.sent(store, pid)
            if c.posted_at <= parse_iso(u)
        )
        draft, draft_platform = None, None
        if not contacted:
            try:
                d = followup.draft(followupdb.person(store, pid))
                draft, draft_platform = d.text, d.platform
            except followup.FollowUpError:
                pass
        out.append(
            replace(
                base,
                referred_by_counts=counts,
                answered=answered,
                contacted=contacted,
                draft=draft,
                draft_platform=draft_platform,
            )
        )
    return tuple(out), total


def _queries(store: Store, u: str) -> tuple[QueryRow, ...]:
    """Queries with something published or answered, each with its yield up to `u`."""
    out = []
    for q in store.q(
        f"""SELECT * FROM queries WHERE id NOT LIKE '{followupdb.PREFIX}%' AND (id IN (SELECT query_id FROM posts WHERE status='posted')
              OR id IN (SELECT query_id FROM interactions WHERE query_id IS NOT NULL))
           ORDER BY first_seen DESC, id"""
    ):
        posts = tuple(
            PostRow(p["platform"], int(p["idx"]), p["platform_id"], p["url"])
            for p in store.q(
                "SELECT * FROM posts WHERE query_id=? AND status='posted' ORDER BY platform, idx", (q["id"],)
            )
        )
        y = store.q(
            f"""SELECT COUNT(*) AS replies, COUNT(DISTINCT i.person_id) AS people FROM interactions i
                JOIN people p ON p.id = i.person_id
                WHERE i.query_id=? AND i.fetched_at < ? AND i.deleted=0 AND p.status != '{HIDDEN}'""",
            (q["id"], u),
        )[0]
        refs = store.q(
            """SELECT COUNT(DISTINCT f.from_person_id || '>' || COALESCE(f.to_person_id, f.target)) AS n
               FROM referrals f JOIN interactions i
                   ON i.platform = f.platform AND i.platform_id = f.interaction_id
               WHERE i.query_id=? AND f.created_at < ?""",
            (q["id"], u),
        )[0]["n"]
        offers = store.q(
            f"""SELECT COUNT(DISTINCT i.person_id) AS n FROM interactions i JOIN people p ON p.id = i.person_id
                WHERE i.query_id=? AND i.fetched_at < ? AND i.deleted=0 AND p.status != '{HIDDEN}'
                  AND (i.offers_contact = 1 OR i.intent = 'offer')""",
            (q["id"], u),
        )[0]["n"]
        out.append(
            QueryRow(
                offers_total=int(offers),
                id=q["id"],
                title=q["title"],
                platforms=tuple(json.loads(q["platforms"] or "[]")),
                posts=posts,
                replies_total=int(y["replies"]),
                people_total=int(y["people"]),
                referrals_total=int(refs),
            )
        )
    return tuple(out)
