"""What the digest needs from the store, and the bookkeeping of digest windows (the `digests` table).

A window is `[since, until)` on `interactions.fetched_at` (when sqbot learned of a reply, so a late-fetched
old reply is still reported once). `since` is the end of the last digest SENT, or the first interaction ever.
People marked `do-not-contact` never appear. The SQL is in `bot.store.digests`; this module turns its rows into
the digest's input (`bot.digest.model`).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.digest.model import (
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
from bot.store import digests as db
from bot.store.db import Store, iso, parse_iso

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
    last = db.last_window_end(store, SENT) or db.first_fetched_at(store)
    since = parse_iso(last) if last else until
    return min(since, until), until


def pending(store: Store) -> DigestRecord | None:
    """The newest digest handed to the mail server whose acceptance was never recorded (crash or unknown)."""
    r = db.newest_window(store, SENDING)
    if r is None:
        return None
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
    db.save_window(
        store,
        window_end=iso(window_end),
        window_start=iso(window_start),
        message_id=message_id,
        status=status,
        counts=(counts.replies, counts.people, counts.referrals),
        path=path,
        sent_at=iso(sent_at) if sent_at else None,
    )


def recorded_counts(store: Store, rec: DigestRecord) -> Counts:
    """The counts recorded with a digest window."""
    return Counts(*db.window_counts(store, iso(rec.window_end)))


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


def _people(store: Store, rows: list[sqlite3.Row]) -> list[PersonRow]:
    """`rows` of people as the digest names them: their identities and who referred them (read at once)."""
    pids = [int(r["id"]) for r in rows]
    idents: dict[int, list[Author]] = defaultdict(list)
    for x in db.identities(store, pids):
        idents[int(x["person_id"])].append(_author(x))
    referrers: dict[int, list[str]] = defaultdict(list)
    for x in db.referrer_names(store, pids):
        referrers[int(x["person_id"])].append(x["name"] or "someone")
    return [
        PersonRow(
            person_id=pid,
            name=r["name"],
            status=r["status"],
            identities=tuple(idents[pid]),
            next_follow_up=_dt(r["next_follow_up"]),
            referred_by=tuple(referrers[pid]),
        )
        for pid, r in zip(pids, rows, strict=True)
    ]


def _target(handle: str | None, name: str | None) -> str:
    return f"@{handle}" if handle else (name or "someone")


def collect(
    store: Store,
    since: datetime,
    until: datetime,
    *,
    people_limit: int = 40,
    x_budget_usd: float | None = None,
    x_poll_reserve_usd: float | None = None,
) -> DigestInput:
    """Everything the digest of `[since, until)` shows, read in one go. `x_budget_usd`: SQBOT_X_BUDGET_USD, so a
    spent X budget reads as the budget (None: as X waiting); `x_poll_reserve_usd`: SQBOT_X_POLL_RESERVE_USD."""
    s, u = iso(since), iso(until)
    leads, leads_total = _leads(store, s, u, people_limit)
    return DigestInput(
        since=since,
        until=until,
        leads=leads,
        leads_total=leads_total,
        queries=_queries(store, u),
        replies=_replies(store, s, u),
        new_people=tuple(
            # counted (the headline, the digests table); who they are is said under "People to contact"
            PersonRow(int(r["id"]), r["name"], r["status"], next_follow_up=_dt(r["next_follow_up"]))
            for r in db.new_people(store, s, u)
        ),
        follow_ups=tuple(_people(store, db.follow_ups_due(store, u))),
        referrals=_referrals(store, s, u),
        attention=tuple(_attention_rows(store, until, x_budget_usd, x_poll_reserve_usd)),
    )


def collect_contacts(
    store: Store, since: datetime, until: datetime, *, people_limit: int, offset: int = 0
) -> tuple[DigestInput, Counts]:
    """Only what the digest's "People to contact" and headline need (`bot.digest.build.contact_list`; the
    review's first page): the first `people_limit` leads in full, their replies in the window, the window's
    referral pairs and the query titles; the window's counts (replies, new people, referral pairs) counted, not
    read. The same rows as `collect` reads for them: the list is the digest's. `offset`: the leads from there
    on (a later page of the review's list; `leads_total` stays the count of all)."""
    s, u = iso(since), iso(until)
    leads, leads_total = _leads(store, s, u, people_limit, offset)
    referrals = _referrals(store, s, u)
    data = DigestInput(
        since=since,
        until=until,
        leads=leads,
        leads_total=leads_total,
        queries=tuple(_query(q) for q in db.answered_queries(store, not_prefixed=followupdb.PREFIX)),
        replies=_replies(store, s, u, [p.person_id for p in leads]),
        referrals=referrals,
    )
    replies, people = db.window_sizes(store, s, u)
    return data, Counts(replies, people, sum(1 for r in referrals if r.count > 0))


def _replies(store: Store, s: str, u: str, people: list[int] | None = None) -> tuple[ReplyRow, ...]:
    """The replies fetched in the window (only `people`'s when given), newest first, each with whom it points
    to."""
    refers_of: dict[tuple[str, str], tuple[str, ...]] = {}
    for x in db.referral_targets(store, s, u):
        key = (x["platform"], x["interaction_id"])
        refers_of[key] = (*refers_of.get(key, ()), _target(x["handle"], x["name"]))
    return tuple(
        ReplyRow(
            platform=r["platform"],
            platform_id=r["platform_id"],
            kind=r["kind"],
            query_id=r["followup_of"] or r["query_id"],
            text=r["text"],
            created_at=parse_iso(r["created_at"]),
            author=Author(
                person_id=int(r["person_id"]),
                platform=r["platform"],
                user_id=r["author_user_id"],
                handle=r["handle"],
                name=r["ident_name"] or r["person_name"],
                bio=r["bio"],
                url=r["ident_url"],
            ),
            url=r["url"],
            intent=r["intent"],
            lead_priority=r["lead_priority"],
            offers_contact=None if r["offers_contact"] is None else bool(r["offers_contact"]),
            refers=refers_of.get((r["platform"], r["platform_id"]), ()),
        )
        for r in db.replies(store, s, u, people)
    )


def _referrals(store: Store, s: str, u: str) -> tuple[ReferralRow, ...]:
    """One row per (referrer, referred) pair filed in the window."""
    return tuple(
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
        for r in db.referral_pairs(store, s, u)
    )


def _attention_rows(
    store: Store, until: datetime, x_budget_usd: float | None, reserve: float | None = None
) -> list[AttentionRow]:
    """The attention list `sqbot status` shows (`bot.ops.attention`), as of the window's end."""
    from bot.ops import attention
    from bot.store.metering import x_budget
    from bot.store.status import attention_data

    budget = None if x_budget_usd is None else x_budget(store, x_budget_usd, until, reserve)
    return [
        AttentionRow(a.source, a.heading, a.text)
        for a in attention.build(attention_data(store), budget, until)
    ]


def _leads(store: Store, s: str, u: str, limit: int, offset: int = 0) -> tuple[tuple[PersonRow, ...], int]:
    """The people to contact: who answered or was referred in `[s, u)`, or has a follow-up due, in the one lead
    order (`bot.leads.ranking`), the first `limit` in full (each: who referred them how often, whether we are in
    touch, a draft; read for all of them at once); and how many in all."""
    rows, total = db.leads(store, s, u, limit, offset)
    pids = [int(r["id"]) for r in rows]
    until = parse_iso(u)
    sent = followupdb.sent_to(store, pids)
    contacted = {
        pid: tuple(
            Contacted(c.platform, c.posted_at, c.url) for c in sent.get(pid, ()) if c.posted_at <= until
        )
        for pid in pids
    }
    persons = followupdb.people(store, [pid for pid in pids if not contacted[pid]])
    counts: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for x in db.referred_by_counts(store, pids, u):
        counts[int(x["person_id"])].append((x["name"] or "someone", int(x["n"])))
    answered = db.answered(store, pids)
    out = []
    for p in _people(store, rows):
        draft, draft_platform = _draft(persons.get(p.person_id))
        out.append(
            replace(
                p,
                referred_by_counts=tuple(counts[p.person_id]),
                answered=p.person_id in answered,
                contacted=contacted[p.person_id],
                draft=draft,
                draft_platform=draft_platform,
            )
        )
    return tuple(out), total


def _draft(p: followup.Person | None) -> tuple[str | None, str | None]:
    """(draft, its platform) for a lead not contacted yet (`p`; None when contacted, or when none can be made)."""
    if p is None:
        return None, None
    try:
        d = followup.draft(p)
    except followup.FollowUpError:
        return None, None
    return d.text, d.platform


def _queries(store: Store, u: str) -> tuple[QueryRow, ...]:
    """Queries with something published or answered, each with its yield up to `u`."""
    out = []
    for q in db.answered_queries(store, not_prefixed=followupdb.PREFIX):
        replies, people, referrals, offers = db.query_yield(store, q["id"], u)
        out.append(
            replace(
                _query(q),
                offers_total=offers,
                posts=tuple(
                    PostRow(p["platform"], int(p["idx"]), p["platform_id"], p["url"])
                    for p in db.posted(store, q["id"])
                ),
                replies_total=replies,
                people_total=people,
                referrals_total=referrals,
            )
        )
    return tuple(out)


def _query(q: sqlite3.Row) -> QueryRow:
    """A query as the digest names it (its yield and posts are `_queries`')."""
    return QueryRow(id=q["id"], title=q["title"], platforms=tuple(json.loads(q["platforms"] or "[]")))
