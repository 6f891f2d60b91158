"""The outbox state machine: each query's thread on each platform is posted exactly once.

    queued ─claim─▶ claimed ─intent stored─▶ sending ─platform answered─▶ posted
                                                │ error / timeout / crash: outcome unknown
                                                ▼
                                           reconcile ─▶ posted | ready (proved absent: resend the SAME intent)
                                                      | needs_review (never retried by itself)

Every `sending` row is reconciled before anything new is sent. One publisher at a time per database
(an advisory file lock beside the database), so a reconcile can never race a send.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.crash import crash_point
from bot.errors import AuthError, PlatformError, PublishError, RateLimited, StoreError, TransientError
from bot.models import Intent, PublishedPost, Query
from bot.plan import compute_due
from bot.platforms.base import Platform
from bot.schedule import Slots
from bot.store import CLAIMED, FAILED, NEEDS_REVIEW, POSTED, READY, SENDABLE, SENDING, OutboxRow, Store


@dataclass(frozen=True)
class Outcome:
    query_id: str
    platform: str
    status: str  # posted | ready | needs_review | failed | deferred | skipped | would-post | sending
    posts: tuple[PublishedPost, ...] = ()
    detail: str = ""


def sync_queue(store: Store, queries: Sequence[Query], *, slots: Slots, tz: ZoneInfo, now: datetime) -> int:
    """Give every (query, platform) an outbox row with its due time (see `bot.plan.compute_due`)."""
    known = {(r.query_id, r.platform): r.due_at for r in store.outbox()}
    due = compute_due(queries, known, slots=slots, tz=tz, now=now, taken=store.taken_slots())
    return store.sync_queries([(q, due[q.id]) for q in queries], now)


@contextmanager
def publisher_lock(store: Store) -> Iterator[None]:
    """Only one process publishes per database at a time; the lock dies with its process."""
    path = store.path + ".publish.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                "another sqbot process is publishing to this database right now; try again when it is done"
            ) from None
        yield
    finally:
        os.close(fd)


def publish_due(
    store: Store,
    platforms: Mapping[str, Platform],
    queries: Mapping[str, Query],
    now: datetime,
    *,
    only: str | None = None,
    dry_run: bool = False,
) -> list[Outcome]:
    """Reconcile what is unknown, then post everything due (optionally one query). Returns one outcome per row
    touched. Platform errors never escape: they become outcomes (and platform deferrals)."""
    outcomes: list[Outcome] = []
    with publisher_lock(store):
        for row in store.outbox(statuses=[CLAIMED, SENDING]):
            p = platforms.get(row.platform)
            if p is None:
                continue
            if row.status == CLAIMED or row.intent is None:
                # claimed, but the intent never reached the store: nothing can have been sent
                store.set_outbox_status(row.query_id, row.platform, READY, now, row.last_error)
                continue
            if dry_run:
                outcomes.append(
                    Outcome(row.query_id, row.platform, "sending", detail="would reconcile first")
                )
                continue
            outcomes.append(_reconcile(store, p, row, now))
        for row in store.outbox(statuses=SENDABLE):
            if only and row.query_id != only:
                continue
            if row.query_id not in queries and row.query_id.startswith("followup:"):
                continue  # a follow-up is sent by `sqbot leads reply` only, never by `post` (bot.followupdb)
            if row.due_at > now:
                continue
            outcomes.append(_publish_row(store, platforms, queries, row, now, dry_run=dry_run))
    return outcomes


def _publish_row(
    store: Store,
    platforms: Mapping[str, Platform],
    queries: Mapping[str, Query],
    row: OutboxRow,
    now: datetime,
    *,
    dry_run: bool,
) -> Outcome:
    q = queries.get(row.query_id)
    if q is None:
        return Outcome(row.query_id, row.platform, "skipped", detail="no longer in the queue files")
    p = platforms.get(row.platform)
    if p is None:
        return Outcome(row.query_id, row.platform, "skipped", detail=f"{row.platform} is not configured")
    deferred = store.deferred_until(row.platform)
    if deferred and deferred > now:
        return Outcome(row.query_id, row.platform, "deferred", detail=f"until {deferred.isoformat()}")
    if dry_run:
        return Outcome(row.query_id, row.platform, "would-post")
    if not store.claim(row.query_id, row.platform, now):
        return Outcome(row.query_id, row.platform, "skipped", detail="taken by another publisher")
    watch_url = getattr(p, "watch_url", None)
    if row.platform == "substack" and q.substack_post_url and watch_url is not None and not q.posts:
        try:
            post: PublishedPost = watch_url(q.id, q.substack_post_url, now)
        except PlatformError as e:
            return _platform_failure(store, row, e, now)
        store.add_watched(q.id, row.platform, post, now)
        return Outcome(q.id, row.platform, POSTED, (post,), "published by hand; now watched")
    intent = row.intent
    if intent is None:
        specs = [
            replace(s, langs=s.langs or q.langs, title=s.title or q.title) for s in q.posts_for(row.platform)
        ]
        try:
            intent = p.prepare(q.id, specs, now)
        except PlatformError as e:
            return _platform_failure(store, row, e, now)
        except PublishError as e:
            store.set_outbox_status(q.id, row.platform, FAILED, now, str(e))
            return Outcome(q.id, row.platform, FAILED, detail=str(e))
        store.record_intent(intent, [s.text for s in specs], now)
    else:
        store.mark_sending(q.id, row.platform, now)
    crash_point("intent-stored")
    return _send(store, p, intent, now)


def _send(store: Store, p: Platform, intent: Intent, now: datetime) -> Outcome:
    seen = [0]

    def on_posted(post: PublishedPost) -> None:
        if seen[0] == 0:
            crash_point("platform-answered")
        else:
            crash_point("between-posts")
        seen[0] += 1
        store.record_post(intent.query_id, intent.platform, post, now)

    try:
        posts = p.send(intent, on_posted)
    except TransientError as e:
        row = store.outbox_row(intent.query_id, intent.platform)
        assert row is not None and row.intent is not None
        out = _reconcile(store, p, row, now)
        return Outcome(out.query_id, out.platform, out.status, out.posts, f"{e}; reconciled: {out.detail}")
    except PlatformError as e:
        return _platform_failure(store, _row(store, intent), e, now)
    except PublishError as e:
        store.set_outbox_status(intent.query_id, intent.platform, FAILED, now, str(e))
        return Outcome(intent.query_id, intent.platform, FAILED, detail=str(e))
    store.set_outbox_status(intent.query_id, intent.platform, POSTED, now)
    return Outcome(intent.query_id, intent.platform, POSTED, posts)


def _row(store: Store, intent: Intent) -> OutboxRow:
    row = store.outbox_row(intent.query_id, intent.platform)
    assert row is not None
    return row


def _platform_failure(store: Store, row: OutboxRow, e: PlatformError, now: datetime) -> Outcome:
    """A refused or failed-before-sending call (429, auth, 4xx, a timeout while preparing): nothing was posted.
    Keep any stored intent for the retry; only a 4xx that will not change by itself fails the row."""
    status = READY
    if isinstance(e, TransientError):
        pass  # a timeout or 5xx before anything was sent (e.g. while preparing): try again later
    elif isinstance(e, RateLimited):
        store.set_platform_state(
            row.platform, now, deferred_until=e.retry_at, attention=None if e.retry_at else str(e)
        )
    elif isinstance(e, AuthError):
        store.set_platform_state(row.platform, now, attention=str(e))
    else:
        status = FAILED
    store.set_outbox_status(row.query_id, row.platform, status, now, str(e))
    return Outcome(row.query_id, row.platform, "deferred" if status == READY else FAILED, detail=str(e))


def _reconcile(store: Store, p: Platform, row: OutboxRow, now: datetime) -> Outcome:
    assert row.intent is not None
    try:
        r = p.reconcile(row.intent)
    except PlatformError as e:
        # cannot tell yet: leave it `sending`; nothing else is sent for it until a reconcile succeeds
        store.set_outbox_status(row.query_id, row.platform, SENDING, now, f"reconcile failed: {e}")
        return Outcome(row.query_id, row.platform, SENDING, detail=f"reconcile failed, will retry: {e}")
    for post in r.posts:
        store.record_post(row.query_id, row.platform, post, now)
    if r.state == "posted":
        store.set_outbox_status(row.query_id, row.platform, POSTED, now)
        return Outcome(row.query_id, row.platform, POSTED, r.posts, "found on the platform")
    if r.state == "absent":
        store.set_outbox_status(
            row.query_id, row.platform, READY, now, "proved absent after an unknown outcome"
        )
        return Outcome(
            row.query_id, row.platform, READY, r.posts, "proved absent; will resend the same intent"
        )
    detail = r.detail or "the platform's answer matches neither posted nor absent"
    store.set_outbox_status(row.query_id, row.platform, NEEDS_REVIEW, now, detail)
    return Outcome(row.query_id, row.platform, NEEDS_REVIEW, r.posts, detail)
