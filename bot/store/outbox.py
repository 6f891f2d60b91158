"""The outbox and our posts: a post's life (queued → claimed → sending → posted | needs_review, see DESIGN.md),
the queue's queries, posts adopted from a platform, and which posts are still watched for replies."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.models import Intent, OutboxRow, PublishedPost, Query, WatchedPost, iso, parse_iso
from bot.safety.redact import redact_opt
from bot.store.connection import Connection

# Outbox states: a post's life (see DESIGN.md). `ready` = an intent exists but was proved absent (retry it as is).
QUEUED, CLAIMED, SENDING, READY, POSTED, NEEDS_REVIEW, FAILED, EXPIRED = (
    "queued",
    "claimed",
    "sending",
    "ready",
    "posted",
    "needs_review",
    "failed",
    "expired",
)
SENDABLE = (QUEUED, READY)


class OutboxMixin(Connection):
    """The `queries`, `outbox` and `posts` tables."""

    def sync_queries(self, queries: Iterable[tuple[Query, dict[str, datetime]]], now: datetime) -> int:
        """Record queries and give each (query, platform) an outbox row with its due time.

        Rows already posted, sending or under review keep everything; a queued row follows the YAML's time.
        Returns how many outbox rows were created."""
        created = 0
        with self.tx() as c:
            c.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('created_at', ?)", (iso(now),))
            for query, due in queries:
                c.execute(
                    """INSERT INTO queries (id, title, platforms, tags, watch_seconds, substack_post_url,
                           source, line, first_seen, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)
                       ON CONFLICT(id) DO UPDATE SET title=excluded.title, platforms=excluded.platforms,
                           tags=excluded.tags, watch_seconds=excluded.watch_seconds,
                           substack_post_url=excluded.substack_post_url, source=excluded.source,
                           line=excluded.line, updated_at=excluded.updated_at""",
                    (
                        query.id,
                        query.title,
                        json.dumps(list(query.platforms)),
                        json.dumps(list(query.tags)),
                        int(query.watch.total_seconds()),
                        query.substack_post_url,
                        query.source,
                        query.line,
                        iso(now),
                        iso(now),
                    ),
                )
                for platform, due_at in due.items():
                    exists = c.execute(
                        "SELECT 1 FROM outbox WHERE query_id=? AND platform=?", (query.id, platform)
                    ).fetchone()
                    if exists:
                        c.execute(
                            f"""UPDATE outbox SET due_at=?, updated_at=? WHERE query_id=? AND platform=?
                                AND status='{QUEUED}' AND due_at != ?""",
                            (iso(due_at), iso(now), query.id, platform, iso(due_at)),
                        )
                    else:
                        c.execute(
                            """INSERT INTO outbox (query_id, platform, status, due_at, updated_at)
                               VALUES (?,?,?,?,?)""",
                            (query.id, platform, QUEUED, iso(due_at), iso(now)),
                        )
                        created += 1
        return created

    def created_at(self) -> datetime | None:
        """When this database was made (stamped by its first sync; see migration m011)."""
        rows = self.q("SELECT value FROM meta WHERE key='created_at'")
        return parse_iso(rows[0]["value"]) if rows else None

    def taken_slots(self) -> list[datetime]:
        return [parse_iso(r["due_at"]) for r in self.q("SELECT DISTINCT due_at FROM outbox")]

    def outbox(self, *, statuses: Sequence[str] | None = None) -> list[OutboxRow]:
        sql = "SELECT * FROM outbox"
        params: list[Any] = []
        if statuses:
            sql += f" WHERE status IN ({','.join('?' * len(statuses))})"
            params = list(statuses)
        rows = self.q(sql + " ORDER BY due_at, query_id, platform", params)
        return [self._outbox_row(r) for r in rows]

    def outbox_row(self, query_id: str, platform: str) -> OutboxRow | None:
        rows = self.q("SELECT * FROM outbox WHERE query_id=? AND platform=?", (query_id, platform))
        return self._outbox_row(rows[0]) if rows else None

    def _outbox_row(self, r: sqlite3.Row) -> OutboxRow:
        intent = None
        if r["intent"]:
            done = tuple(
                PublishedPost(index=p["idx"], platform_id=p["platform_id"], url=p["url"], cid=p["cid"])
                for p in self.q(
                    "SELECT * FROM posts WHERE query_id=? AND platform=? AND status='posted' ORDER BY idx",
                    (r["query_id"], r["platform"]),
                )
            )
            intent = Intent(r["query_id"], r["platform"], json.loads(r["intent"]), done)
        return OutboxRow(
            query_id=r["query_id"],
            platform=r["platform"],
            status=r["status"],
            due_at=parse_iso(r["due_at"]),
            intent=intent,
            attempts=r["attempts"],
            last_error=r["last_error"],
        )

    def claim(self, query_id: str, platform: str, now: datetime) -> bool:
        """Atomically take a due row for sending; False if someone else has it or it is not sendable."""
        with self.tx() as c:
            cur = c.execute(
                f"""UPDATE outbox SET status='{CLAIMED}', claimed_at=?, attempts=attempts+1, updated_at=?
                    WHERE query_id=? AND platform=? AND status IN ('{QUEUED}','{READY}') AND due_at <= ?""",
                (iso(now), iso(now), query_id, platform, iso(now)),
            )
            return cur.rowcount == 1

    def record_intent(self, intent: Intent, texts: Sequence[str], now: datetime) -> None:
        """Store the exact intent *before* the platform call; the row moves to `sending`."""
        with self.tx() as c:
            c.execute(
                f"UPDATE outbox SET status='{SENDING}', intent=?, updated_at=? WHERE query_id=? AND platform=?",
                (json.dumps(intent.payload, sort_keys=True), iso(now), intent.query_id, intent.platform),
            )
            for i, text in enumerate(texts):
                c.execute(
                    """INSERT INTO posts (query_id, platform, idx, status, text) VALUES (?,?,?,?,?)
                       ON CONFLICT(query_id, platform, idx) DO NOTHING""",
                    (intent.query_id, intent.platform, i, "pending", text),
                )

    def mark_sending(self, query_id: str, platform: str, now: datetime) -> None:
        with self.tx() as c:
            c.execute(
                f"UPDATE outbox SET status='{SENDING}', updated_at=? WHERE query_id=? AND platform=?",
                (iso(now), query_id, platform),
            )

    def record_post(self, query_id: str, platform: str, post: PublishedPost, now: datetime) -> None:
        with self.tx() as c:
            c.execute(
                """INSERT INTO posts (query_id, platform, idx, platform_id, url, cid, status, posted_at)
                   VALUES (?,?,?,?,?,?,'posted',?) ON CONFLICT(query_id, platform, idx) DO UPDATE SET
                   platform_id=excluded.platform_id, url=excluded.url, cid=excluded.cid, status='posted',
                   posted_at=COALESCE(posts.posted_at, excluded.posted_at)""",
                (query_id, platform, post.index, post.platform_id, post.url, post.cid, iso(now)),
            )

    def set_outbox_status(
        self, query_id: str, platform: str, status: str, now: datetime, error: str | None = None
    ) -> None:
        with self.tx() as c:
            c.execute(
                """UPDATE outbox SET status=?, last_error=?, updated_at=?,
                       posted_at=CASE WHEN ?='posted' THEN COALESCE(posted_at, ?) ELSE posted_at END
                   WHERE query_id=? AND platform=?""",
                (status, redact_opt(error), iso(now), status, iso(now), query_id, platform),
            )

    def post_ids(self, platform: str) -> set[str]:
        """Every platform id some query's post already has (a post is adopted by one query only)."""
        rows = self.q(
            "SELECT platform_id FROM posts WHERE platform=? AND platform_id IS NOT NULL", (platform,)
        )
        return {str(r["platform_id"]) for r in rows}

    def post_owner(self, platform: str, platform_id: str) -> tuple[str, int] | None:
        """The (query or follow-up id, post index) a platform post is already recorded for, if any."""
        rows = self.q(
            "SELECT query_id, idx FROM posts WHERE platform=? AND platform_id=?", (platform, platform_id)
        )
        return (str(rows[0]["query_id"]), int(rows[0]["idx"])) if rows else None

    def post_texts(self, platform: str) -> list[sqlite3.Row]:
        """`query_id`, `idx`, `text`, `status` of every post with words on `platform` (which row posted which
        words: a duplicate is named by its owner)."""
        return self.q(
            "SELECT query_id, idx, text, status FROM posts WHERE platform=? AND text IS NOT NULL "
            "ORDER BY query_id, idx",
            (platform,),
        )

    def adopt_posts(
        self,
        query_id: str,
        platform: str,
        posts: Sequence[PublishedPost],
        texts: Sequence[str],
        now: datetime,
        *,
        complete: bool,
        note: str,
        posted_at: Mapping[int, datetime] | None = None,
    ) -> None:
        """Posts found on the platform for a (query, platform) this database had no record of (a lost or
        restored database): stored as posted, in one transaction; the row is `posted` when the whole thread was
        found, else it keeps its status (the rest is sent, after these). `posted_at`: when the platform says
        each post (by index) was made; the watch window runs from then."""
        when = {i: iso(t) for i, t in (posted_at or {}).items()}
        with self.tx() as c:
            for post in posts:
                c.execute(
                    """INSERT INTO posts (query_id, platform, idx, platform_id, url, cid, status, text, posted_at)
                       VALUES (?,?,?,?,?,?,'posted',?,?) ON CONFLICT(query_id, platform, idx) DO UPDATE SET
                       platform_id=excluded.platform_id, url=excluded.url, cid=excluded.cid, status='posted',
                       text=COALESCE(posts.text, excluded.text),
                       posted_at=COALESCE(posts.posted_at, excluded.posted_at)""",
                    (
                        query_id,
                        platform,
                        post.index,
                        post.platform_id,
                        post.url,
                        post.cid,
                        texts[post.index] if post.index < len(texts) else None,
                        when.get(post.index, iso(now)),
                    ),
                )
            if complete:
                c.execute(
                    f"""UPDATE outbox SET status='{POSTED}', last_error=?, updated_at=?,
                           posted_at=COALESCE(posted_at, ?) WHERE query_id=? AND platform=?""",
                    (note, iso(now), when.get(0, iso(now)), query_id, platform),
                )
            else:
                c.execute(
                    "UPDATE outbox SET last_error=?, updated_at=? WHERE query_id=? AND platform=?",
                    (note, iso(now), query_id, platform),
                )

    def posts_of(self, query_id: str | None = None) -> list[sqlite3.Row]:
        if query_id:
            return self.q("SELECT * FROM posts WHERE query_id=? ORDER BY platform, idx", (query_id,))
        return self.q("SELECT * FROM posts ORDER BY query_id, platform, idx")

    def watched_posts(self, platform: str, now: datetime) -> list[WatchedPost]:
        """Our posted posts on `platform` whose query is still inside its `watch` window."""
        rows = self.q(
            """SELECT p.query_id, p.platform_id, p.idx, p.posted_at, q.watch_seconds FROM posts p
               JOIN queries q ON q.id = p.query_id
               WHERE p.platform=? AND p.status='posted' AND p.platform_id IS NOT NULL
               ORDER BY p.posted_at, p.query_id, p.idx""",
            (platform,),
        )
        out = []
        for r in rows:
            posted = parse_iso(r["posted_at"])
            if posted + timedelta(seconds=r["watch_seconds"]) >= now:
                out.append(WatchedPost(r["query_id"], r["platform_id"], r["idx"], posted))
        return out

    def add_watched(self, query_id: str, platform: str, post: PublishedPost, now: datetime) -> None:
        """A post published by hand (Substack long query) that is only polled."""
        self.record_post(query_id, platform, post, now)
        self.set_outbox_status(query_id, platform, POSTED, now)

    def set_post_counters(self, platform: str, counters: dict[str, int]) -> None:
        """`counters` maps 'likes:<platform_id>' / 'reposts:<platform_id>' to totals."""
        with self.tx() as c:
            for key, value in counters.items():
                kind, _, pid = key.partition(":")
                if kind in ("likes", "reposts"):
                    c.execute(
                        f"UPDATE posts SET {kind}=? WHERE platform=? AND platform_id=?",
                        (value, platform, pid),
                    )

    def expire_overdue(self, cutoff: datetime, now: datetime) -> list[OutboxRow]:
        """Downtime policy: sendable rows due before `cutoff` become `expired` (never posted late in a burst).
        Returns them, so the caller reports each one."""
        with self.tx() as c:
            rows = c.execute(
                f"""SELECT * FROM outbox WHERE status IN ('{QUEUED}','{READY}') AND due_at < ?
                    ORDER BY due_at, query_id, platform""",
                (iso(cutoff),),
            ).fetchall()
            for r in rows:
                c.execute(
                    f"""UPDATE outbox SET status='{EXPIRED}', last_error=?, updated_at=?
                        WHERE query_id=? AND platform=? AND status IN ('{QUEUED}','{READY}')""",
                    (
                        f"due {r['due_at']}, missed by more than the catch-up window while sqbot was down; "
                        "not posted (give it a new `at:` in the queue to post it)",
                        iso(now),
                        r["query_id"],
                        r["platform"],
                    ),
                )
        return [self._outbox_row(r) for r in rows]
