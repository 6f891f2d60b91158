"""Property: the outbox state machine (bot/publish/outbox.py) never sends the same (query, platform, index) twice, for
generated sequences of crashes, timeouts (before and after the platform wrote), restarts and a lost database
(the data dir deleted between two runs: what was posted is adopted from our own posts), and once the faults
stop, everything is posted. The platform is an in-process fake whose `reconcile` tells the truth; the store is a
real SQLite file, reopened after every crash like a restarted process."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import TransientError
from bot.models import (
    FetchResult,
    IdentityData,
    Intent,
    PostSpec,
    PublishedPost,
    Query,
    Reconciled,
    WatchedPost,
)
from bot.platforms.base import OwnPost
from bot.publish.outbox import publish_due
from bot.store.db import POSTED, Store

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NAME = "bluesky"

# what happens at one step of a send (one post of a thread), or at one reconcile
SEND_FAULTS = (
    "ok",
    "timeout-before",
    "timeout-after",
    "crash-before-record",
    "crash-after-record",
    "crash-before",
)
RECONCILE_FAULTS = ("ok", "timeout", "crash")


class Crash(BaseException):
    """The process dies here (not an Exception: nothing in sqbot catches it)."""


class FakePlatform:
    """Posts land in `remote`; `sends` counts every write the platform accepted, per (query, index)."""

    name = NAME
    resumes_threads = True  # `send` continues after the posts in `intent.done`

    def __init__(self, faults: list[str], reconcile_faults: list[str]) -> None:
        self.remote: dict[tuple[str, int], str] = {}
        self.texts: dict[str, str] = {}  # platform id -> text, what our own profile shows
        self.sends: Counter[tuple[str, int]] = Counter()
        self.faults = faults
        self.reconcile_faults = reconcile_faults

    def _next(self, queue: list[str]) -> str:
        return queue.pop(0) if queue else "ok"

    def prepare(self, query_id: str, posts: Sequence[PostSpec], now: datetime) -> Intent:
        return Intent(query_id, NAME, {"texts": [p.text for p in posts]})

    def send(self, intent: Intent, on_posted: Callable[[PublishedPost], None]) -> tuple[PublishedPost, ...]:
        done = {p.index for p in intent.done}
        out = list(intent.done)
        for i, _text in enumerate(intent.payload["texts"]):
            if i in done:
                continue
            fault = self._next(self.faults)
            if fault == "crash-before":
                raise Crash
            if fault == "timeout-before":
                raise TransientError(NAME, "timed out before the write")
            key = (intent.query_id, i)
            self.sends[key] += 1
            self.remote[key] = f"id-{intent.query_id}-{i}"
            self.texts[self.remote[key]] = intent.payload["texts"][i]
            post = PublishedPost(i, self.remote[key])
            if fault == "timeout-after":
                raise TransientError(NAME, "timed out after the write: outcome unknown")
            if fault == "crash-before-record":
                raise Crash
            on_posted(post)
            out.append(post)
            if fault == "crash-after-record":
                raise Crash
        return tuple(out)

    def reconcile(self, intent: Intent) -> Reconciled:
        fault = self._next(self.reconcile_faults)
        if fault == "crash":
            raise Crash
        if fault == "timeout":
            raise TransientError(NAME, "reconcile timed out")
        n = len(intent.payload["texts"])
        found = tuple(
            PublishedPost(i, self.remote[(intent.query_id, i)])
            for i in range(n)
            if (intent.query_id, i) in self.remote
        )
        return Reconciled("posted" if len(found) == n else "absent", found)

    def recent_own_posts(self, newer_than: str | None = None) -> list[OwnPost]:
        """Our posts as the platform shows them, newest first, each thread post replying to the one before."""
        return [
            OwnPost(pid, self.texts[pid], reply_to=self.remote.get((q, i - 1)) if i else None)
            for (q, i), pid in reversed(self.remote.items())
        ]

    def fetch(self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime) -> FetchResult:
        raise AssertionError("not polled here")

    def profiles(self, user_ids: Sequence[str]) -> list[IdentityData]:
        return []


def _queries(sizes: Sequence[int]) -> dict[str, Query]:
    return {
        f"q{n}": Query(
            id=f"q{n}", platforms=(NAME,), posts=tuple(PostSpec(f"q{n} post {i}") for i in range(size))
        )
        for n, size in enumerate(sizes)
    }


def _run(db: Path, plat: FakePlatform, queries: dict[str, Query], now: datetime) -> None:
    """One process lifetime: open, publish what is due, close; a crash ends it (the file stays)."""
    store = Store.open(db)
    try:
        publish_due(store, {NAME: plat}, queries, now)
    except Crash:
        pass
    finally:
        store.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=3),
    faults=st.lists(st.sampled_from(SEND_FAULTS), max_size=12),
    reconcile_faults=st.lists(st.sampled_from(RECONCILE_FAULTS), max_size=6),
    lose_db_after=st.one_of(st.none(), st.integers(min_value=0, max_value=8)),
)
def test_no_post_is_ever_sent_twice_whatever_crashes_timeouts_and_lost_databases_happen(
    sizes: list[int], faults: list[str], reconcile_faults: list[str], lose_db_after: int | None
) -> None:
    queries = _queries(sizes)
    plat = FakePlatform(list(faults), list(reconcile_faults))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sqbot.db"
        store = Store.open(db)
        store.sync_queries([(q, {NAME: T0}) for q in queries.values()], T0)
        store.close()
        runs = 0
        now = T0 + timedelta(minutes=1)
        # restarts until the faults are used up, then a few clean runs: everything must end up posted
        while runs < len(faults) + len(reconcile_faults) + 4:
            if runs == lose_db_after:  # the data dir is gone (a container run without its volume)
                for f in Path(tmp).iterdir():
                    f.unlink()
                store = Store.open(db)
                store.sync_queries([(q, {NAME: now}) for q in queries.values()], now)
                store.close()
            _run(db, plat, queries, now)
            runs += 1
            now += timedelta(minutes=1)
            assert all(n == 1 for n in plat.sends.values()), f"sent twice: {plat.sends}"
        store = Store.open(db)
        try:
            statuses = {r.query_id: r.status for r in store.outbox()}
            stored = {
                (r["query_id"], r["idx"]): r["platform_id"]
                for r in store.posts_of()
                if r["status"] == "posted"
            }
        finally:
            store.close()
    expected = {(q, i) for q, query in queries.items() for i in range(len(query.posts))}
    assert set(plat.sends) == expected and all(n == 1 for n in plat.sends.values())
    assert statuses == {q: POSTED for q in queries}
    assert stored == {k: plat.remote[k] for k in expected}  # the store knows every post, with its real id
