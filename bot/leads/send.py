"""`sqbot leads draft` / `leads reply`: a person's context read from the store, and a follow-up sent through
the outbox, exactly once.

A follow-up is a one-post "query" with its own key `followup:<person>:<n>` (no YAML id can take it): a
`followups` row says to whom, where and what; a `queries` + `outbox` row pair sends it with the same state
machine as every post (`bot.publish.outbox`: claim → exact intent stored → send → posted; an unknown outcome is
reconciled on the platform before anything is sent again). A second `leads reply` after a crash finishes the
pending follow-up (the stored intent, never a new one) instead of writing another. Once posted, the follow-up
row carries our post's id (the outbound record: polling skips our own posts) and the person becomes
`contacted`. Never automatic: only the command sends.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.errors import BotError
from bot.leads import followup
from bot.leads.followup import FollowUpError, Person, Referred, Said
from bot.models import HIDDEN, PostSpec, Query
from bot.platforms.base import Platform
from bot.platforms.specs import REPLYABLE
from bot.store import leads_followups as db
from bot.store.db import POSTED, Store, iso, parse_iso

PREFIX = "followup:"
SOURCE = "sqbot leads reply"


def is_followup(query_id: str | None) -> bool:
    return bool(query_id) and str(query_id).startswith(PREFIX)


def person(store: Store, pid: int) -> Person:
    """What `bot.leads.followup.draft` needs about person `pid`."""
    p = people(store, [pid]).get(pid)
    if p is None:
        raise BotError(f"no person #{pid}; see `sqbot leads list`")
    return p


def _said(r: sqlite3.Row) -> Said:
    return Said(
        platform=r["platform"],
        platform_id=r["platform_id"],
        query_id=r["query_id"],
        text=r["text"],
        created_at=parse_iso(r["created_at"]),
        intent=r["intent"],
        lead_priority=r["lead_priority"],
        offers_contact=bool(r["offers_contact"]),
        url=r["url"],
        in_our_thread=r["post_id"] is not None,
    )


def _referred(r: sqlite3.Row) -> Referred:
    return Referred(
        from_name=r["from_name"],
        platform=r["platform"],
        interaction_id=r["interaction_id"],
        query_id=r["query_id"],
        handle=r["handle"],
        target_platform=r["target_platform"],
        created_at=parse_iso(r["created_at"]),
        in_our_thread=r["post_id"] is not None,
    )


def people(store: Store, pids: Sequence[int]) -> dict[int, Person]:
    """`person` for each of `pids` that exists, read at once (a few reads whatever their number: the review's
    and the digest's People to contact draft a follow-up for every lead)."""
    said: dict[int, list[Said]] = defaultdict(list)
    for r in db.said_by(store, pids):
        said[int(r["person_id"])].append(_said(r))
    referred: dict[int, list[Referred]] = defaultdict(list)
    for r in db.referred_to_any(store, pids):
        referred[int(r["to_person_id"])].append(_referred(r))
    titles = db.query_titles(store)
    out = {}
    for row in db.people(store, pids):
        pid = int(row["id"])
        qids = {s.query_id for s in said[pid]} | {r.query_id for r in referred[pid]}
        out[pid] = Person(
            pid,
            row["name"],
            row["status"],
            tuple(said[pid]),
            tuple(referred[pid]),
            tuple((r["id"], r["title"] or r["id"]) for r in titles if r["id"] in qids),
        )
    return out


@dataclass(frozen=True)
class Sent:
    id: str
    person_id: int
    platform: str
    text: str
    posted_at: datetime
    url: str | None


def sent(store: Store, pid: int) -> list[Sent]:
    """The follow-ups posted to person `pid`, oldest first."""
    return sent_to(store, [pid]).get(pid, [])


def sent_to(store: Store, pids: Sequence[int]) -> dict[int, list[Sent]]:
    """`sent` for each of `pids` (those with a follow-up posted), read at once."""
    out: dict[int, list[Sent]] = defaultdict(list)
    for r in db.posted_to(store, pids):
        pid = int(r["person_id"])
        out[pid].append(Sent(r["id"], pid, r["platform"], r["text"], parse_iso(r["posted_at"]), r["url"]))
    return dict(out)


@dataclass(frozen=True)
class ReplyResult:
    status: str  # "posted" | "deferred" | "failed" | "sending" | "needs_review" | ...
    followup_id: str
    platform: str
    text: str
    url: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == POSTED


def _pending(store: Store, pid: int) -> dict[str, str | None] | None:
    """The follow-up to `pid` written and not posted yet. One without an outbox row counts too: another `leads
    reply` wrote it a moment ago and is about to send it (so two racing commands make one follow-up)."""
    for r in db.unposted(store, pid):
        out = store.outbox_row(r["id"], r["platform"])
        if out is None or out.status not in ("failed", "expired"):
            return {k: r[k] for k in r.keys()}
    return None


UNSENT = ("queued", "ready")  # never sent, or proved absent: other words may replace it


def _supersede(store: Store, pid: int, pending: Mapping[str, str | None], now: datetime) -> None:
    """`--text T` while a follow-up with other words is pending: replace it when it was provably never sent,
    else refuse (its outcome is unknown: sending other words could make two follow-ups)."""
    fid, platform = str(pending["id"]), str(pending["platform"])
    out = store.outbox_row(fid, platform)
    if out is not None and out.status not in UNSENT:
        raise FollowUpError(
            f"#{pid} has a follow-up started before with other words ({fid}, {out.status}): it may be on "
            f"{platform} already, so it is not replaced. Finish it with `sqbot leads reply {pid} --draft` "
            "(or see `sqbot status` when it needs review)"
        )
    if out is None:
        db.drop_unposted(store, fid)
    else:
        store.set_outbox_status(
            fid, platform, "failed", now, "superseded by `leads reply --text`: never sent"
        )


def _as_query(row: Mapping[str, str | None]) -> Query:
    fid, platform = str(row["id"]), str(row["platform"])
    return Query(
        id=fid,
        platforms=(platform,),
        posts=(PostSpec(text=str(row["text"]), reply_to=row["reply_to"]),),
        title=f"follow-up to #{fid.split(':')[1]}",
        watch=timedelta(0),  # never crawled as a query of its own; replies to it arrive as notifications
        source=SOURCE,
    )


def prepare_reply(
    store: Store,
    pid: int,
    now: datetime,
    *,
    text: str | None = None,
    again: bool = False,
    platform: str | None = None,
    key: str | None = None,
    confirm_mention: bool = False,
) -> tuple[dict[str, str | None], bool]:
    """The follow-up row to send for `pid`: the pending one (after a crash or a deferral), else a new one from
    the draft (with `text` instead of the drafted words when given), keyed `followup:<pid>:<key>` when `key` is
    given (`bot.leads.confirmed`), else by its number. Returns (row, resumed). A draft that tags someone who
    never wrote to us (on someone else's word) needs `confirm_mention`."""
    p = person(store, pid)
    if p.status == HIDDEN:
        raise FollowUpError(f"#{pid} is do-not-contact: sqbot never writes to them")
    pending = _pending(store, pid)
    if pending is not None and (text is None or pending["text"] in (text, f"@{pending['mention']} {text}")):
        return pending, True
    if pending is not None:
        _supersede(store, pid, pending, now)
    done = sent(store, pid)
    if done and not again:
        last = done[-1]
        raise FollowUpError(
            f"#{pid} was already contacted on {last.platform} at {iso(last.posted_at)}"
            + (f" ({last.url})" if last.url else "")
            + "; pass --again to send another follow-up"
        )
    d = followup.draft(p, platform=platform)
    if d.mention and not confirm_mention:
        raise FollowUpError(f"#{pid}: nothing sent: {d.warning or 'this tags someone who never wrote to us'}")
    if d.platform not in REPLYABLE:
        said = next((x for x in p.said if x.platform_id == d.reply_to), None)
        where = f" at {said.url}" if said and said.url else ""
        raise FollowUpError(
            f"#{pid} can only be answered on {d.platform}, which has no API to reply to a comment: reply by "
            f"hand{where}, then `sqbot leads set-status {pid} contacted`"
        )
    body = text if text is not None else d.text
    if d.mention and f"@{d.mention}".lower() not in body.lower():
        body = f"@{d.mention} {body}"  # they never spoke: without the mention they would not see it
    problem = followup.length_problem(body, d.platform)
    if problem:
        raise FollowUpError(f"#{pid} on {d.platform}: {problem}")
    fid = f"{PREFIX}{pid}:{key or db.count(store, pid) + 1}"
    row = db.add(store, fid, pid, d.query_id, d.platform, d.reply_to, d.mention, body, now)
    return {k: row[k] for k in row.keys()}, False


def send_reply(
    store: Store, platforms: Mapping[str, Platform], row: Mapping[str, str | None], now: datetime
) -> ReplyResult:
    """Send (or finish sending) follow-up `row` through the outbox; on success record it and mark the person
    contacted. Rate limits, the X budget and unknown outcomes come back as a status, never as a second post."""
    from bot.publish.outbox import publish_due

    fid, platform = str(row["id"]), str(row["platform"])
    pid = int(str(row["person_id"]))
    body = str(row["text"])
    p = platforms.get(platform)
    if p is None:
        if store.outbox_row(fid, platform) is None:  # nothing was ever sent: forget the unsent draft
            db.drop_unposted(store, fid)
        raise BotError(
            f"{platform} is not configured: set its credentials, or answer elsewhere with --platform"
        )
    q = _as_query(row)
    if store.outbox_row(fid, platform) is None:
        store.sync_queries([(q, {platform: now})], now)
    outcomes = [o for o in publish_due(store, {platform: p}, {fid: q}, now, only=fid) if o.query_id == fid]
    out = store.outbox_row(fid, platform)
    assert out is not None
    if out.status != POSTED:
        detail = next((o.detail for o in reversed(outcomes) if o.detail), out.last_error or "")
        status = next((o.status for o in reversed(outcomes)), out.status)
        return ReplyResult(status, fid, platform, body, detail=detail)
    post = db.first_post(store, fid, platform)
    db.mark_posted(store, fid, pid, post, now)
    return ReplyResult(POSTED, fid, platform, body, post["url"])
