"""The outbox state machine: each query's thread on each platform is posted exactly once.

    queued ─claim─▶ claimed ─intent stored─▶ sending ─platform answered─▶ posted
                                                │ error / timeout / crash: outcome unknown
                                                ▼
                                           reconcile ─▶ posted | ready (proved absent: resend the SAME intent)
                                                      | needs_review (never retried by itself)

Every `sending` row is reconciled before anything new is sent. One publisher at a time per database
(an advisory file lock beside the database), so a reconcile can never race a send.

A row the database has no record of (never claimed, no intent: a first send, or a lost or restored
database, or a container run without its volume) is first looked for by content among the account's own
recent posts (`Platform.recent_own_posts`). When one such row is due on a platform, that platform is read once
and EVERY row of it the database has no record of is compared, due or not (a query posted by a lost database
gets a new, later slot in the new one; it must be found before anything newer is posted). A match is adopted
as posted instead of being sent again; a thread found only in part is continued after its last post where the
platform can (X, sandbox one by one; Bluesky by re-pointing the rest's reply refs, `continue_after`), and left
for review where it cannot. The newest
post each read saw is kept (cursor `adopt`): the next read asks only for newer ones (X bills per post read).
A restored backup keeps its older mark, so everything posted since the backup is read again.
"""

from __future__ import annotations

import fcntl
import html
import logging
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from bot.crash import crash_point
from bot.errors import (
    AuthError,
    PlatformError,
    PublishError,
    RateLimited,
    StoreError,
    TransientError,
    storage_fault,
)
from bot.models import Intent, PostSpec, PublishedPost, Query
from bot.platforms.base import ContinuesThreads, OwnPost, Platform, WatchesUrls, resumes
from bot.platforms.textrules import text_with_link
from bot.publish.plan import compute_due
from bot.publish.schedule import Slots
from bot.safety.redact import redact
from bot.store.db import (
    CLAIMED,
    EXPIRED,
    FAILED,
    NEEDS_REVIEW,
    POSTED,
    READY,
    SENDABLE,
    SENDING,
    OutboxRow,
    Store,
)

log = logging.getLogger("sqbot.publish")


@dataclass(frozen=True)
class Outcome:
    query_id: str
    platform: str
    status: str  # posted | ready | needs_review | failed | deferred | skipped | would-post | sending
    posts: tuple[PublishedPost, ...] = ()
    detail: str = ""


def sync_queue(
    store: Store,
    queries: Sequence[Query],
    *,
    slots: Slots,
    tz: ZoneInfo,
    now: datetime,
    failures: dict[str, str] | None = None,
) -> int:
    """Give every (query, platform) an outbox row with its due time (see `bot.publish.plan.compute_due`). A query
    that cannot be scheduled is left out (why goes into `failures`); the others are synced."""
    known = {(r.query_id, r.platform): r.due_at for r in store.outbox()}
    due = compute_due(
        queries, known, slots=slots, tz=tz, now=now, taken=store.taken_slots(), failures=failures
    )
    return store.sync_queries([(q, due[q.id]) for q in queries if q.id in due], now)


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
            outcomes.append(_guarded(store, row, now, partial(_reconcile, store, p, row, now)))
        sweep = _Sweep()
        if not dry_run:
            sweep = adopt_unrecorded(store, platforms, queries, now, only=only)
            outcomes.extend(sweep.settled)
        for row in store.outbox(statuses=SENDABLE):
            if only and row.query_id != only:
                continue
            if row.query_id not in queries and row.query_id.startswith("followup:"):
                continue  # a follow-up is sent by `sqbot leads reply` only, never by `post` (bot.leads.send)
            if row.due_at > now:
                continue
            outcomes.append(
                _guarded(
                    store,
                    row,
                    now,
                    partial(_publish_row, store, platforms, queries, row, now, dry_run=dry_run, sweep=sweep),
                )
            )
    return outcomes


def _guarded(store: Store, row: OutboxRow, now: datetime, step: Callable[[], Outcome]) -> Outcome:
    """One row's step; an error nobody foresaw ends only that row (`failed`, the reason redacted, the trace in
    the log, redacted by its formatter): the other rows are still reconciled and posted. A storage fault or a
    busy database is everyone's problem and still stops the run."""
    try:
        return step()
    except (StoreError, sqlite3.OperationalError):
        raise
    except Exception as e:
        if storage_fault(e) is not None:
            raise
        detail = redact(
            f"stopped by an unexpected error (the other posts went on; see the log): {type(e).__name__}: {e}"
        )
        log.error(
            f"{row.query_id} on {row.platform}: {detail}",
            exc_info=True,
            extra={"fields": {"query": row.query_id, "platform": row.platform}},
        )
        store.set_outbox_status(row.query_id, row.platform, FAILED, now, detail)
        return Outcome(row.query_id, row.platform, FAILED, detail=detail)


def _publish_row(
    store: Store,
    platforms: Mapping[str, Platform],
    queries: Mapping[str, Query],
    row: OutboxRow,
    now: datetime,
    *,
    dry_run: bool,
    sweep: _Sweep | None = None,
) -> Outcome:
    q = queries.get(row.query_id)
    if q is None:
        return Outcome(row.query_id, row.platform, "skipped", detail="no longer in the queue files")
    p = platforms.get(row.platform)
    if p is None:
        return Outcome(row.query_id, row.platform, "skipped", detail=f"{row.platform} is not configured")
    deferred = store.deferred_until(row.platform)
    if deferred and deferred > now:
        st = store.platform_state(row.platform)
        why = f": {st['attention']}" if st and st["attention"] else ""
        return Outcome(row.query_id, row.platform, "deferred", detail=f"until {deferred.isoformat()}{why}")
    if dry_run:
        return Outcome(row.query_id, row.platform, "would-post")
    key = (row.query_id, row.platform)
    if sweep is not None and key in sweep.blocked:  # not yet compared with what is on the platform: wait
        return sweep.blocked[key]
    adopted = sweep.prefixes.get(key, ()) if sweep is not None else ()
    if not store.claim(row.query_id, row.platform, now):
        return Outcome(row.query_id, row.platform, "skipped", detail="taken by another publisher")
    if row.platform == "substack" and q.substack_post_url and isinstance(p, WatchesUrls) and not q.posts:
        try:
            post: PublishedPost = p.watch_url(q.id, q.substack_post_url, now)
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
            found = _posted(store, q.id, row.platform)
            if found and isinstance(
                p, ContinuesThreads
            ):  # the rest of a thread whose start was found (adopted)
                intent = p.continue_after(intent, found)
        except PlatformError as e:
            return _platform_failure(store, row, e, now)
        except PublishError as e:
            store.set_outbox_status(q.id, row.platform, FAILED, now, str(e))
            return Outcome(q.id, row.platform, FAILED, detail=str(e))
        store.record_intent(intent, [s.text for s in specs], now)
        # a thread resumes after posts already proved or adopted (none for a plain first send)
        intent = _row(store, intent).intent or intent
    else:
        store.mark_sending(q.id, row.platform, now)
    crash_point("intent-stored")
    out = _send(store, p, intent, now)
    if adopted and out.status == POSTED:
        detail = f"posts 1-{len(adopted)} were already on {row.platform} (adopted); sent the rest"
        return replace(out, detail=detail)
    return out


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


def _posted(store: Store, query_id: str, platform: str) -> tuple[PublishedPost, ...]:
    """The posts of a (query, platform) already known to exist (adopted from the platform), in thread order."""
    rows = [r for r in store.posts_of(query_id) if r["platform"] == platform and r["status"] == POSTED]
    return tuple(PublishedPost(r["idx"], r["platform_id"], r["url"], r["cid"]) for r in rows)


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
    taken = _taken_elsewhere(store, row, r.posts)
    if taken:
        store.set_outbox_status(row.query_id, row.platform, NEEDS_REVIEW, now, taken)
        return Outcome(row.query_id, row.platform, NEEDS_REVIEW, (), taken)
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
    detail = (r.detail or "the platform's answer matches neither posted nor absent") + _same_words(store, row)
    store.set_outbox_status(row.query_id, row.platform, NEEDS_REVIEW, now, detail)
    return Outcome(row.query_id, row.platform, NEEDS_REVIEW, r.posts, detail)


def _who(query_id: str, idx: int) -> str:
    """A row named for the owner: "query 'a'" or "follow-up followup:3:1", with the post's number in a thread."""
    what = f"follow-up {query_id}" if query_id.startswith("followup:") else f"query {query_id!r}"
    return f"{what} (post {idx + 1})" if idx else what


_REWORD = (
    "reword it (the queue file, or `sqbot leads reply PERSON --text ...` for a follow-up) and requeue it"
)


def _taken_elsewhere(store: Store, row: OutboxRow, posts: Sequence[PublishedPost]) -> str:
    """Why a recheck's answer cannot be this row's: a post it found is already recorded for another row (the
    same words, posted earlier by another query or follow-up). Empty when every post is free or ours."""
    for post in posts:
        owner = store.post_owner(row.platform, post.platform_id)
        if owner is not None and owner != (row.query_id, post.index):
            return (
                f"post {post.index + 1} has the same words as {_who(*owner)}, already on {row.platform} "
                f"({post.url or post.platform_id}); {row.platform} refuses the same words twice, so this one "
                f"was not posted: {_REWORD}"
            )
    return ""


def _same_words(store: Store, row: OutboxRow) -> str:
    """ "; the same words were posted by query 'a'" when another row on this platform has this row's words."""
    rows = store.post_texts(row.platform)
    words = {comparable(r["text"]) for r in rows if r["query_id"] == row.query_id}
    owners = [
        _who(r["query_id"], r["idx"])
        for r in rows
        if r["query_id"] != row.query_id and r["status"] == POSTED and comparable(r["text"]) in words
    ]
    return f"; the same words were posted by {', '.join(owners)}: {_REWORD}" if owners else ""


# ---------------------------------------------------------------------------------------------- adopting
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def comparable(text: str) -> str:
    """A post's text as compared with what a platform shows: entities undone (X escapes `&<>`), NFC, every URL
    one token (X rewrites links to t.co), whitespace collapsed."""
    text = unicodedata.normalize("NFC", html.unescape(text).replace("\r\n", "\n"))
    return " ".join(_URL.sub("<url>", text).split())


def _forms(spec: PostSpec) -> set[str]:
    """How a post may read on a platform: its text, or its text with the link appended (X, Substack)."""
    return {comparable(spec.text), comparable(text_with_link(spec.text, spec.link))}


def link_key(url: str) -> str:
    """A link as compared: scheme and host lower-cased, an empty path and trailing punctuation dropped."""
    parts = urlsplit(url.strip().rstrip(".,;:!?'\")]"))
    path = "" if parts.path in ("", "/") else parts.path
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, parts.fragment))


def _spec_links(spec: PostSpec) -> tuple[frozenset[str], frozenset[str]]:
    """Where a post's links go: those in its text, with or without its link (a card the platform may drop)."""
    text = frozenset(link_key(u) for u in _URL.findall(spec.text))
    return text, text | {link_key(spec.link)} if spec.link else text


def _reads_as(post: OwnPost, spec: PostSpec) -> bool:
    """Is `post` this post, whole? The same words, links to the same targets (where the platform says where its
    links go), as many images (where it says)."""
    forms = _forms(spec)
    shown = comparable(post.text)
    # X appends a t.co link for a post's images: the text without a trailing link also counts (not when the
    # platform says the post has no image)
    tolerate = post.media is None or post.media > 0
    if shown not in forms and not (
        tolerate and shown.endswith("<url>") and shown.removesuffix("<url>").rstrip() in forms
    ):
        return False
    if post.links is not None and frozenset(link_key(u) for u in post.links) not in _spec_links(spec):
        return False
    return post.media is None or post.media == len(spec.images)


def match_thread(
    specs: Sequence[PostSpec], mine: Sequence[OwnPost], taken: set[str]
) -> tuple[tuple[OwnPost, ...], int]:
    """The longest chain among our own posts that reads as `specs` from its first post on: a root post (not a
    reply) with the first text, then each next post replying to the previous one. Posts some query already has
    (`taken`) are never matched again. Returns (the chain, how many root posts matched); ties go to the oldest."""
    free = [o for o in mine if o.platform_id not in taken]
    roots = [o for o in free if o.reply_to is None and _reads_as(o, specs[0])]
    best: tuple[OwnPost, ...] = ()
    for root in reversed(roots):  # newest first from the platform: the oldest is tried first
        chain = [root]
        for spec in specs[1:]:
            nxt = [o for o in free if o.reply_to == chain[-1].platform_id and _reads_as(o, spec)]
            if not nxt:
                break
            chain.append(nxt[-1])
        if len(chain) > len(best):
            best = tuple(chain)
    return best, len(roots)


@dataclass
class _Sweep:
    """What one run's comparison with the platforms decided, per (query, platform)."""

    settled: list[Outcome] = field(default_factory=list)  # adopted whole, or for review
    blocked: dict[tuple[str, str], Outcome] = field(default_factory=dict)  # could not be checked: not sent
    prefixes: dict[tuple[str, str], tuple[PublishedPost, ...]] = field(default_factory=dict)  # thread starts


ADOPT_CURSOR = "adopt"  # cursors(platform, "adopt"): the newest own post the last look-up saw


def _unrecorded(store: Store, row: OutboxRow, q: Query | None) -> bool:
    """A row the database knows nothing about: never claimed, no intent, no post, and something to post."""
    if q is None or row.intent is not None or row.attempts != 0 or not q.posts_for(row.platform):
        return False
    if row.query_id.startswith("followup:"):  # written by `leads reply` just before it is sent: never lost
        return False
    if row.platform == "substack" and q.substack_post_url and not q.posts:
        return False  # published by hand: only watched
    return not any(
        r["status"] == POSTED for r in store.posts_of(row.query_id) if r["platform"] == row.platform
    )


def adopt_unrecorded(
    store: Store,
    platforms: Mapping[str, Platform],
    queries: Mapping[str, Query],
    now: datetime,
    *,
    only: str | None = None,
) -> _Sweep:
    """Compare every row the database has no record of with the account's own recent posts, on each platform
    where one of them is due now (one read per platform), and adopt what is already there. Rows the daemon
    expired (due long ago, e.g. explicit times in a new database after a loss) are compared too, and on the
    platform's first look-up they are reason enough for one: found, they are polled like any post."""
    sweep = _Sweep()
    rows = [
        r
        for r in store.outbox(statuses=[*SENDABLE, EXPIRED])
        if _unrecorded(store, r, queries.get(r.query_id))
    ]
    for name in sorted({r.platform for r in rows}):
        p = platforms.get(name)
        mine_rows = [r for r in rows if r.platform == name]
        due = [
            r
            for r in mine_rows
            if r.status in SENDABLE and r.due_at <= now and (not only or r.query_id == only)
        ]
        since = store.get_cursor(name, ADOPT_CURSOR)
        first_look = since is None and any(r.status == EXPIRED for r in mine_rows)
        deferred = store.deferred_until(name)
        if p is None or not (due or first_look) or (deferred and deferred > now):
            continue
        try:
            mine = p.recent_own_posts(since or None)
        except PlatformError as e:
            for row in due:
                sweep.blocked[(row.query_id, name)] = _check_failed(store, row, e, now)
            continue
        lost = _older_than_the_database(store, mine, now)
        for row in mine_rows:
            q = queries[row.query_id]
            found = _adopt(store, p, q, row, lost, now)
            if isinstance(found, Outcome):
                sweep.settled.append(found)
            elif found:
                sweep.prefixes[(row.query_id, name)] = found
        store.set_cursor(name, ADOPT_CURSOR, mine[0].platform_id if mine else (since or ""), now)
    return sweep


def _older_than_the_database(store: Store, mine: Sequence[OwnPost], now: datetime) -> list[OwnPost]:
    """The own posts a lost copy of this database could have made. The database knows everything it sent since
    it was made: a newer post it has no record of was made by hand (or by another tool)."""
    made = store.created_at() or now
    return [o for o in mine if o.created_at is None or o.created_at <= made]


def _check_failed(store: Store, row: OutboxRow, e: PlatformError, now: datetime) -> Outcome:
    if isinstance(e, RateLimited | AuthError):
        return _platform_failure(store, row, e, now)
    # nothing was sent and the check is not done: the row stays as it is and is checked again next run
    detail = f"could not look for an earlier copy on {row.platform} before the first send: {e}"
    store.set_outbox_status(row.query_id, row.platform, row.status, now, detail)
    return Outcome(row.query_id, row.platform, "deferred", detail=detail)


def _adopt(
    store: Store, p: Platform, q: Query, row: OutboxRow, mine: Sequence[OwnPost], now: datetime
) -> Outcome | tuple[PublishedPost, ...]:
    """Adopt what of this row's thread is among `mine`: an outcome when the row is settled (whole thread
    found, or a partial one the platform cannot continue), else the posts adopted (none, or a thread start)."""
    specs = q.posts_for(row.platform)
    chain, roots = match_thread(specs, mine, store.post_ids(row.platform))
    if not chain:
        return ()
    posts = tuple(PublishedPost(i, o.platform_id, o.url, o.cid) for i, o in enumerate(chain))
    texts = [s.text for s in specs]
    times = {i: o.created_at for i, o in enumerate(chain) if o.created_at is not None}
    more = f" ({roots} copies of its first post; adopted the oldest longest thread)" if roots > 1 else ""
    if len(chain) == len(specs):
        note = f"already on {row.platform}: adopted {len(chain)} post(s) found by their text, not sent again{more}"
        store.adopt_posts(q.id, row.platform, posts, texts, now, complete=True, note=note, posted_at=times)
        return Outcome(q.id, row.platform, POSTED, posts, note)
    note = f"posts 1-{len(chain)} of {len(specs)} already on {row.platform} (adopted by their text){more}"
    store.adopt_posts(q.id, row.platform, posts, texts, now, complete=False, note=note, posted_at=times)
    if not resumes(p):
        detail = (
            f"{note}; {row.platform} cannot continue a thread after posts it did not write in this run: "
            "post the rest by hand, or delete the partial thread and requeue"
        )
        store.set_outbox_status(q.id, row.platform, NEEDS_REVIEW, now, detail)
        return Outcome(q.id, row.platform, NEEDS_REVIEW, posts, detail)
    return posts
