"""What `sqbot status`, `sqbot health` and the digest's attention section read: platform state, posts that need
review or failed, failing daemon jobs, the outbox at a glance, the last digest sent. Plain rows out; the
attention list itself is built by `bot.ops.attention` (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.store.db import EXPIRED, FAILED, NEEDS_REVIEW, QUEUED, READY, parse_iso

if TYPE_CHECKING:
    import sqlite3

    from bot.store.db import Store


@dataclass(frozen=True)
class PlatformRow:
    platform: str
    attention: str | None
    deferred_until: datetime | None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class PostRow:
    query_id: str
    platform: str
    status: str  # needs_review | failed
    last_error: str | None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class JobRow:
    job: str
    last_start: str
    last_ok: str | None
    last_error: str
    streak: int = 1  # failed runs in a row


@dataclass(frozen=True)
class UnreadRow:
    """Replies known to be on a platform and not read yet (X's mentions backlog, `bot.platforms.x.backlog`)."""

    platform: str
    stretches: int  # unread stretches of the timeline
    older_than: datetime | None  # the unread replies are older than this (when known)


@dataclass(frozen=True)
class ForgottenRow:
    """Replies by forgotten accounts on one platform, counted and not stored (`forgotten_writes`)."""

    platform: str
    writes: int
    last_at: datetime | None


@dataclass(frozen=True)
class AttentionData:
    platforms: tuple[PlatformRow, ...] = ()
    posts: tuple[PostRow, ...] = ()
    jobs: tuple[JobRow, ...] = ()
    unread: tuple[UnreadRow, ...] = ()


def _dt(s: str | None) -> datetime | None:
    return parse_iso(s) if s else None


def attention_data(store: Store) -> AttentionData:
    """Platform state (by platform), posts needing review or failed (by query, platform), jobs whose last run
    failed (by job)."""
    platforms = tuple(
        PlatformRow(r["platform"], r["attention"] or None, _dt(r["deferred_until"]), _dt(r["updated_at"]))
        for r in store.q("SELECT * FROM platform_state ORDER BY platform")
    )
    posts = tuple(
        PostRow(r["query_id"], r["platform"], r["status"], r["last_error"], _dt(r["updated_at"]))
        for r in store.q(
            f"""SELECT query_id, platform, status, last_error, updated_at FROM outbox
                WHERE status IN ('{NEEDS_REVIEW}', '{FAILED}') ORDER BY query_id, platform"""
        )
    )
    jobs = tuple(
        JobRow(r["job"], r["last_start"], r["last_ok"], r["last_error"], int(r["streak"] or 1))
        for r in store.job_runs().values()
        if r["last_error"]
    )
    return AttentionData(platforms, posts, jobs, _unread(store))


def _unread(store: Store) -> tuple[UnreadRow, ...]:
    from bot.platforms.x.backlog import Backlog

    backlog = Backlog.parse(store.get_cursor("x"))
    if not backlog.waiting:
        return ()
    return (UnreadRow("x", len(backlog.gaps), backlog.oldest_before),)


def outbox_counts(store: Store) -> dict[str, int]:
    """Outbox rows per status."""
    return {
        r["status"]: int(r["n"]) for r in store.q("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
    }


def next_queued(store: Store) -> sqlite3.Row | None:
    """The outbox row due first among those not yet sent."""
    rows = store.q(
        f"SELECT * FROM outbox WHERE status IN ('{QUEUED}', '{READY}') ORDER BY due_at, query_id LIMIT 1"
    )
    return rows[0] if rows else None


def outbox_trouble(store: Store) -> list[sqlite3.Row]:
    """Rows that expired, need review or failed, by due time."""
    return store.q(
        f"SELECT * FROM outbox WHERE status IN ('{EXPIRED}', '{NEEDS_REVIEW}', '{FAILED}') ORDER BY due_at"
    )


def last_digest_sent(store: Store) -> datetime | None:
    return _dt(store.q("SELECT MAX(sent_at) AS t FROM digests WHERE status='sent'")[0]["t"])


def forgotten_writes(store: Store) -> tuple[ForgottenRow, ...]:
    """How often forgotten accounts wrote again (not stored), by platform."""
    return tuple(
        ForgottenRow(r["platform"], int(r["n"]), _dt(r["t"]))
        for r in store.q(
            "SELECT platform, COUNT(*) AS n, MAX(at) AS t FROM forgotten_writes GROUP BY platform ORDER BY platform"
        )
    )
