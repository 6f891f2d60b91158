"""The outbox state machine: exactly once through errors, timeouts and crashes."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import AuthError, PublishError, RateLimited, StoreError, TransientError
from bot.models import Intent, PostSpec, PublishedPost, Query, Reconciled
from bot.platforms.base import OnPosted, OwnPost
from bot.platforms.sandbox.adapter import SandboxPlatform
from bot.publish.outbox import comparable, match_thread, publish_due, publisher_lock, sync_queue
from bot.publish.schedule import parse_slots
from bot.store.db import Store

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TZ_SLOTS = parse_slots("mon-fri 09:00,13:00")


def q(qid: str = "q1", *texts: str, platforms: tuple[str, ...] = ("bluesky",), **kw: object) -> Query:
    posts = tuple(PostSpec(t) for t in (texts or ("Who works on this?",)))
    return Query(id=qid, platforms=platforms, posts=posts, **kw)  # type: ignore[arg-type]


class Flaky(SandboxPlatform):
    """The real sandbox network, with failures injected around it."""

    def __init__(
        self,
        path: Path,
        *,
        fail_after_write: int = 0,
        refuse: Exception | None = None,
        reconcile_as: str | None = None,
    ) -> None:
        super().__init__("bluesky", path)
        self.fail_after_write = fail_after_write
        self.refuse = refuse
        self.reconcile_as = reconcile_as
        self.sends = 0

    def send(self, intent: Intent, on_posted: OnPosted) -> tuple[PublishedPost, ...]:
        self.sends += 1
        if self.refuse is not None:
            raise self.refuse
        if self.fail_after_write:
            self.fail_after_write -= 1
            super().send(intent, lambda p: None)  # the write lands, the answer is lost
            raise TransientError("bluesky", "timed out after 10 s")
        return super().send(intent, on_posted)

    def reconcile(self, intent: Intent) -> Reconciled:
        if self.reconcile_as == "unknown":
            return Reconciled("unknown", (), "one post differs")
        return super().reconcile(intent)

    def count(self) -> int:
        return len(self._load()["posts"])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "sqbot.db")
    yield s
    s.close()


def sync(store: Store, *queries: Query, now: datetime = NOW) -> None:
    sync_queue(store, list(queries), slots=TZ_SLOTS, tz=UTC, now=now)


def test_a_thread_is_posted_once_and_a_second_run_posts_nothing(store: Store, tmp_path: Path) -> None:
    p = Flaky(tmp_path / "net.json")
    query = q("q1", "one", "two", "three")
    sync(store, query)
    first = publish_due(store, {"bluesky": p}, {"q1": query}, NOW)
    assert [o.status for o in first] == ["posted"]
    assert [x.index for x in first[0].posts] == [0, 1, 2]
    sync(store, query)
    second = publish_due(store, {"bluesky": p}, {"q1": query}, NOW + timedelta(hours=1))
    assert second == []
    assert p.count() == 3 and p.sends == 1
    assert [r["status"] for r in store.posts_of("q1")] == ["posted"] * 3


def test_a_timeout_after_the_write_is_reconciled_as_posted_without_a_resend(
    store: Store, tmp_path: Path
) -> None:
    p = Flaky(tmp_path / "net.json", fail_after_write=1)
    query = q("q1", "one", "two")
    sync(store, query)
    out = publish_due(store, {"bluesky": p}, {"q1": query}, NOW)
    assert out[0].status == "posted" and "reconciled" in out[0].detail
    assert p.sends == 1 and p.count() == 2
    assert store.outbox_row("q1", "bluesky").status == "posted"  # type: ignore[union-attr]


def test_an_unprovable_outcome_becomes_needs_review_and_is_never_retried(
    store: Store, tmp_path: Path
) -> None:
    p = Flaky(tmp_path / "net.json", fail_after_write=1, reconcile_as="unknown")
    query = q()
    sync(store, query)
    out = publish_due(store, {"bluesky": p}, {"q1": query}, NOW)
    assert out[0].status == "needs_review"
    again = publish_due(store, {"bluesky": p}, {"q1": query}, NOW + timedelta(days=1))
    assert again == [] and p.sends == 1


def test_a_rate_limit_defers_the_platform_until_its_reset(store: Store, tmp_path: Path) -> None:
    reset = NOW + timedelta(minutes=30)
    p = Flaky(tmp_path / "net.json", refuse=RateLimited("bluesky", "slow down", reset))
    query = q()
    sync(store, query)
    out = publish_due(store, {"bluesky": p}, {"q1": query}, NOW)
    assert out[0].status == "deferred"
    assert store.deferred_until("bluesky") == reset
    p.refuse = None
    early = publish_due(store, {"bluesky": p}, {"q1": query}, NOW + timedelta(minutes=10))
    assert early[0].status == "deferred" and p.sends == 1
    later = publish_due(store, {"bluesky": p}, {"q1": query}, reset + timedelta(seconds=1))
    assert later[0].status == "posted" and p.count() == 1


def test_a_rejected_login_is_kept_for_attention_and_the_post_waits(store: Store, tmp_path: Path) -> None:
    p = Flaky(tmp_path / "net.json", refuse=AuthError("bluesky", "app password rejected"))
    query = q()
    sync(store, query)
    out = publish_due(store, {"bluesky": p}, {"q1": query}, NOW)
    assert out[0].status == "deferred"
    st = store.platform_state("bluesky")
    assert st is not None and "app password rejected" in st["attention"]
    assert store.outbox_row("q1", "bluesky").status == "ready"  # type: ignore[union-attr]


def test_a_permanent_refusal_fails_the_row_with_its_reason(store: Store, tmp_path: Path) -> None:
    p = Flaky(tmp_path / "net.json", refuse=PublishError("@nobody.test is not a Bluesky account"))
    query = q()
    sync(store, query)
    out = publish_due(store, {"bluesky": p}, {"q1": query}, NOW)
    assert out[0].status == "failed" and "nobody.test" in out[0].detail
    row = store.outbox_row("q1", "bluesky")
    assert row is not None and row.status == "failed" and "nobody.test" in (row.last_error or "")


def test_nothing_is_posted_before_its_time(store: Store, tmp_path: Path) -> None:
    p = Flaky(tmp_path / "net.json")
    query = q(at=NOW + timedelta(hours=2))
    sync(store, query)
    assert publish_due(store, {"bluesky": p}, {"q1": query}, NOW) == []
    out = publish_due(store, {"bluesky": p}, {"q1": query}, NOW + timedelta(hours=2))
    assert out[0].status == "posted"


def test_slot_next_takes_distinct_free_slots_and_keeps_them(store: Store) -> None:
    a, b = q("a", slot="next"), q("b", slot="next")
    sync(store, a, b)
    due = {r.query_id: r.due_at for r in store.outbox()}
    assert due["a"] == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert due["b"] == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    sync(store, a, b, now=NOW + timedelta(hours=1))  # a later sync must not move them
    assert {r.query_id: r.due_at for r in store.outbox()} == due


def test_a_second_publisher_on_the_same_database_is_refused(store: Store) -> None:
    with publisher_lock(store), pytest.raises(StoreError, match="another sqbot process"):
        with publisher_lock(store):
            pass


def test_a_stored_intent_is_resent_byte_for_byte_after_being_proved_absent(
    store: Store, tmp_path: Path
) -> None:
    p = Flaky(tmp_path / "net.json", refuse=TransientError("bluesky", "connection reset"))
    query = q()
    sync(store, query)
    out = publish_due(store, {"bluesky": p}, {"q1": query}, NOW)
    assert out[0].status == "ready"  # nothing landed: proved absent
    intent_before = store.outbox_row("q1", "bluesky").intent  # type: ignore[union-attr]
    p.refuse = None
    out = publish_due(store, {"bluesky": p}, {"q1": query}, NOW + timedelta(minutes=5))
    assert out[0].status == "posted"
    assert out[0].posts[0].platform_id == intent_before.payload["posts"][0]["id"]  # type: ignore[union-attr]


CRASH_SCRIPT = """
import sys
from datetime import datetime, UTC
from pathlib import Path
from bot.models import PostSpec, Query
from bot.platforms.sandbox.adapter import SandboxPlatform
from bot.publish.outbox import publish_due, sync_queue
from bot.publish.schedule import parse_slots
from bot.store.db import Store
d = Path(sys.argv[1])
now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
store = Store.open(d / "sqbot.db")
query = Query(id="q1", platforms=("bluesky",), posts=(PostSpec("one"), PostSpec("two"), PostSpec("three")))
sync_queue(store, [query], slots=parse_slots("daily 09:00"), tz=UTC, now=now)
p = SandboxPlatform("bluesky", d / "net.json")
print([o.status for o in publish_due(store, {"bluesky": p}, {"q1": query}, now)])
"""


@pytest.mark.parametrize("point", ["intent-stored", "platform-answered", "between-posts"])
def test_a_crash_at_any_point_never_posts_twice(tmp_path: Path, point: str) -> None:
    env = {**os.environ, "SQBOT_CRASH_AT": point}
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert crashed.returncode == 137, crashed.stderr
    env.pop("SQBOT_CRASH_AT")
    again = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stderr
    net = SandboxPlatform("bluesky", tmp_path / "net.json")._load()["posts"]
    assert sorted(p["text"] for p in net.values()) == ["one", "three", "two"]
    s = Store.open(tmp_path / "sqbot.db")
    try:
        assert [r["status"] for r in s.posts_of("q1")] == ["posted"] * 3
        assert s.outbox_row("q1", "bluesky").status == "posted"  # type: ignore[union-attr]
    finally:
        s.close()


def test_queries_removed_from_the_queue_are_skipped_not_posted(store: Store, tmp_path: Path) -> None:
    p = Flaky(tmp_path / "net.json")
    sync(store, q("gone"))
    out = publish_due(store, {"bluesky": p}, {}, NOW)
    assert out[0].status == "skipped" and "no longer" in out[0].detail and p.sends == 0


class SlowPrepare(SandboxPlatform):
    def prepare(self, query_id: str, posts: object, now: datetime) -> Intent:  # type: ignore[override]
        raise TransientError(self.name, "resolveHandle timed out after 15 s")


def test_a_timeout_while_preparing_leaves_the_row_for_a_later_try_not_failed(
    store: Store, tmp_path: Path
) -> None:
    query = q()
    sync(store, query)
    out = publish_due(store, {"bluesky": SlowPrepare("bluesky", tmp_path / "n.json")}, {"q1": query}, NOW)
    assert out[0].status == "deferred" and "timed out" in out[0].detail
    assert store.outbox_row("q1", "bluesky").status == "ready"  # type: ignore[union-attr]
    later = publish_due(
        store, {"bluesky": Flaky(tmp_path / "n.json")}, {"q1": query}, NOW + timedelta(minutes=5)
    )
    assert later[0].status == "posted"


# ------------------------------------------------------------------------------------------ a lost database
class Counting(Flaky):
    """The sandbox network, counting reads of our recent posts (and failing them on request)."""

    def __init__(self, path: Path, *, check_fails: Exception | None = None, resumes: bool = True) -> None:
        super().__init__(path)
        self.check_fails = check_fails
        self.resumes_threads = resumes
        self.checks = 0

    def recent_own_posts(self, newer_than: str | None = None) -> list[OwnPost]:
        self.checks += 1
        if self.check_fails is not None:
            raise self.check_fails
        return super().recent_own_posts(newer_than)

    def network(self) -> dict[str, dict[str, object]]:
        posts: dict[str, dict[str, object]] = self._load()["posts"]
        return posts


def fresh(tmp_path: Path, name: str) -> Store:
    """A new, empty database: what a deleted data dir or a container without its volume starts with."""
    return Store.open(tmp_path / name / "sqbot.db")


def test_a_lost_database_adopts_what_is_on_the_platform_and_posts_nothing_twice(tmp_path: Path) -> None:
    net = tmp_path / "net.json"
    thread, single = q("t", "one", "two", "three"), q("s", "Who builds open-ended systems?")
    queries = {"t": thread, "s": single}
    first = fresh(tmp_path, "a")
    sync(first, thread, single)
    posted = publish_due(first, {"bluesky": Counting(net)}, queries, NOW)
    assert sorted(o.status for o in posted) == ["posted", "posted"]
    ids = {(r["query_id"], r["idx"]): r["platform_id"] for r in first.posts_of()}
    first.close()

    again = fresh(tmp_path, "b")  # the database is gone; the network still has the posts
    p = Counting(net)
    sync(again, thread, single, now=NOW + timedelta(days=2))
    out = publish_due(again, {"bluesky": p}, queries, NOW + timedelta(days=2))
    assert [o.status for o in out] == ["posted", "posted"] and all("adopted" in o.detail for o in out)
    assert p.sends == 0 and p.checks == 1 and len(p.network()) == 4
    assert {(r["query_id"], r["idx"]): r["platform_id"] for r in again.posts_of()} == ids
    assert [r["text"] for r in again.posts_of("t")] == ["one", "two", "three"]
    assert all(r.status == "posted" and r.attempts == 0 for r in again.outbox())
    assert publish_due(again, {"bluesky": p}, queries, NOW + timedelta(days=3)) == []
    again.close()


def test_a_partly_posted_thread_continues_after_its_last_post_without_reposting(tmp_path: Path) -> None:
    net = tmp_path / "net.json"
    first = fresh(tmp_path, "a")
    sync(first, q("t", "one", "two"))
    publish_due(first, {"bluesky": Counting(net)}, {"t": q("t", "one", "two")}, NOW)
    first.close()

    whole = q("t", "one", "two", "three")  # the crash came between posts 2 and 3, then the database was lost
    again = fresh(tmp_path, "b")
    p = Counting(net)
    sync(again, whole)
    out = publish_due(again, {"bluesky": p}, {"t": whole}, NOW + timedelta(hours=1))
    assert out[0].status == "posted" and "posts 1-2 were already on bluesky (adopted)" in out[0].detail
    posts = again.posts_of("t")
    assert [r["status"] for r in posts] == ["posted"] * 3 and len(p.network()) == 3
    third = p.network()[posts[2]["platform_id"]]
    assert third["parent"] == posts[1]["platform_id"] and third["root"] == posts[0]["platform_id"]
    again.close()


def test_a_partial_thread_where_the_platform_cannot_continue_it_is_left_for_review(tmp_path: Path) -> None:
    net = tmp_path / "net.json"
    first = fresh(tmp_path, "a")
    sync(first, q("t", "one"))
    publish_due(first, {"bluesky": Counting(net)}, {"t": q("t", "one")}, NOW)
    first.close()
    again = fresh(tmp_path, "b")
    p = Counting(net, resumes=False)
    sync(again, q("t", "one", "two"))
    out = publish_due(again, {"bluesky": p}, {"t": q("t", "one", "two")}, NOW)
    assert out[0].status == "needs_review" and "post the rest by hand" in out[0].detail
    assert p.sends == 0 and [r["status"] for r in again.posts_of("t")] == ["posted"]
    assert publish_due(again, {"bluesky": p}, {"t": q("t", "one", "two")}, NOW + timedelta(days=1)) == []
    again.close()


def test_a_post_another_query_already_has_is_never_adopted_again(store: Store, tmp_path: Path) -> None:
    p = Counting(tmp_path / "net.json")
    a, b = q("a", "Same words"), q("b", "Same words")
    sync(store, a)
    publish_due(store, {"bluesky": p}, {"a": a}, NOW)
    sync(store, a, b, now=NOW + timedelta(hours=1))
    out = publish_due(store, {"bluesky": p}, {"a": a, "b": b}, NOW + timedelta(hours=1))
    assert [o.status for o in out] == ["posted"] and "adopted" not in out[0].detail
    assert len(p.network()) == 2 and p.sends == 2 and p.checks == 2  # b was compared, and a's post is a's


def test_two_lost_queries_with_the_same_text_each_adopt_their_own_post(tmp_path: Path) -> None:
    net = tmp_path / "net.json"
    a, b = q("a", "Same words"), q("b", "Same words")
    first = fresh(tmp_path, "a")
    sync(first, a, b)
    publish_due(first, {"bluesky": Counting(net)}, {"a": a, "b": b}, NOW)
    first.close()
    again = fresh(tmp_path, "b")
    p = Counting(net)
    sync(again, a, b)
    out = publish_due(again, {"bluesky": p}, {"a": a, "b": b}, NOW + timedelta(hours=1))
    assert [o.status for o in out] == ["posted", "posted"] and p.sends == 0
    assert len({r["platform_id"] for r in again.posts_of()}) == 2 and len(p.network()) == 2


def test_when_the_check_fails_nothing_is_sent_and_it_is_checked_again_next_run(
    store: Store, tmp_path: Path
) -> None:
    query = q()
    sync(store, query)
    p = Counting(tmp_path / "net.json", check_fails=TransientError("bluesky", "listRecords timed out"))
    out = publish_due(store, {"bluesky": p}, {"q1": query}, NOW)
    assert out[0].status == "deferred" and "could not look for an earlier copy" in out[0].detail
    row = store.outbox_row("q1", "bluesky")
    assert row is not None and row.status == "queued" and row.attempts == 0 and p.sends == 0
    p.check_fails = None
    later = publish_due(store, {"bluesky": p}, {"q1": query}, NOW + timedelta(minutes=5))
    assert later[0].status == "posted" and p.checks == 2 and p.sends == 1


def test_a_retry_after_a_failure_does_not_read_the_platform_again(store: Store, tmp_path: Path) -> None:
    p = Counting(tmp_path / "net.json")
    p.refuse = AuthError("bluesky", "app password rejected")
    query = q()
    sync(store, query)
    publish_due(store, {"bluesky": p}, {"q1": query}, NOW)
    p.refuse = None
    later = publish_due(store, {"bluesky": p}, {"q1": query}, NOW + timedelta(hours=1))
    assert later[0].status == "posted" and p.checks == 1  # the row was claimed once: not a first send


@pytest.mark.parametrize(
    ("ours", "shown"),
    [
        ("Tools & tips <3\r\nfor you", "Tools &amp; tips &lt;3\nfor you"),  # X escapes and folds CRLF
        ("Read https://example.org/a-very-long-path", "Read https://t.co/abc123"),  # X shortens links
        ("With a picture", "With a picture https://t.co/img"),  # X's link to the post's image
        ("Cafe\u0301  spaced", "Caf\u00e9 spaced"),  # NFC, whitespace
    ],
)
def test_a_post_reads_the_same_as_the_platform_shows_it(ours: str, shown: str) -> None:
    chain, roots = match_thread([PostSpec(ours)], [OwnPost("p1", shown)], set())
    assert [o.platform_id for o in chain] == ["p1"] and roots == 1
    assert comparable(ours) == comparable(shown) or shown.endswith("t.co/img")


def test_a_reply_or_a_different_text_is_not_taken_for_the_first_post() -> None:
    mine = [OwnPost("r", "Who knows?", reply_to="someone"), OwnPost("o", "Who knows? Anyone?")]
    assert match_thread([PostSpec("Who knows?")], mine, set()) == ((), 0)


def test_a_lost_query_given_a_later_slot_is_adopted_before_anything_newer_is_posted(tmp_path: Path) -> None:
    net = tmp_path / "net.json"
    a, b = q("a", "First question?"), q("b", "Second question?")
    first = fresh(tmp_path, "a")
    sync(first, a, b)
    publish_due(first, {"bluesky": Counting(net)}, {"a": a, "b": b}, NOW)
    first.close()

    # the new database schedules `b` tomorrow; a new query `c` goes out today, before `b` is due
    again = fresh(tmp_path, "b")
    c = q("c", "A brand new question?")
    later = {"a": a, "b": replace(b, at=NOW + timedelta(days=1)), "c": c}
    p = Counting(net)
    sync(again, *later.values(), now=NOW + timedelta(hours=1))
    out = publish_due(again, {"bluesky": p}, later, NOW + timedelta(hours=1))
    assert sorted((o.query_id, o.status, "adopted" in o.detail) for o in out) == [
        ("a", "posted", True),
        ("b", "posted", True),
        ("c", "posted", False),
    ]
    assert publish_due(again, {"bluesky": p}, later, NOW + timedelta(days=2)) == []
    assert p.checks == 1 and len(p.network()) == 3
    again.close()


def test_a_lost_query_the_daemon_expired_is_still_found_and_adopted_so_its_replies_are_polled(
    tmp_path: Path,
) -> None:
    net = tmp_path / "net.json"
    old = q("old", "Asked two days ago?", at=NOW - timedelta(days=2))
    first = fresh(tmp_path, "a")
    sync(first, old, now=NOW - timedelta(days=2))
    publish_due(first, {"bluesky": Counting(net)}, {"old": old}, NOW - timedelta(days=2))
    first.close()

    again = fresh(tmp_path, "b")  # a daemon on a new database: the explicit time is long past
    sync(again, old)
    [expired] = again.expire_overdue(NOW - timedelta(hours=6), NOW)
    assert expired.query_id == "old"
    p = Counting(net)
    out = publish_due(again, {"bluesky": p}, {"old": old}, NOW)
    assert [(o.status, "adopted" in o.detail) for o in out] == [("posted", True)] and p.sends == 0
    assert [w.query_id for w in again.watched_posts("bluesky", NOW)] == ["old"]
    assert (
        publish_due(again, {"bluesky": p}, {"old": old}, NOW + timedelta(minutes=1)) == [] and p.checks == 1
    )
    again.close()


class Buggy(SandboxPlatform):
    """The real sandbox network, with a bug that hits one query's send (and echoes a secret)."""

    def send(self, intent: Intent, on_posted: OnPosted) -> tuple[PublishedPost, ...]:
        if intent.query_id == "bad":
            raise KeyError("data: answer echoed Authorization: Bearer abcdef0123456789abcdef0123456789")
        return super().send(intent, on_posted)


def test_an_unexpected_error_ends_only_its_row_redacted_and_the_others_post(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bad, good = q("bad", "First words?"), q("good", "Other words?")
    sync(store, bad, good)
    p = Buggy("bluesky", tmp_path / "net.json")
    out = publish_due(store, {"bluesky": p}, {"bad": bad, "good": good}, NOW)
    assert {o.query_id: o.status for o in out} == {"bad": "failed", "good": "posted"}
    row = store.outbox_row("bad", "bluesky")
    assert row is not None and row.status == "failed" and row.last_error is not None
    assert "KeyError" in row.last_error and "abcdef0123456789abcdef" not in row.last_error
    assert "abcdef0123456789abcdef" not in next(o.detail for o in out if o.query_id == "bad")
    assert any(r.exc_info for r in caplog.records if r.name == "sqbot.publish")  # the trace goes to the log
    assert publish_due(store, {"bluesky": p}, {"bad": bad, "good": good}, NOW + timedelta(hours=1)) == []


WEEK = "Reading group this week, sign up: https://forms.example/week-{n}"


def test_sandbox_adoption_compares_links_so_another_week_s_post_is_not_taken_for_this_one(
    tmp_path: Path,
) -> None:
    """Issue 18: own posts on the sandbox reported no links, so adoption compared words only (every URL one
    token) and the week-2 post was "already on bluesky" after the week-1 one."""
    net = tmp_path / "net.json"
    week1, week2 = q("week-1", WEEK.format(n=1)), q("week-2", WEEK.format(n=2))
    first = fresh(tmp_path, "a")
    sync(first, week1)
    publish_due(first, {"bluesky": Counting(net)}, {"week-1": week1}, NOW)
    first.close()

    again = fresh(tmp_path, "b")  # lost; the queue now holds week 2 only
    p = Counting(net)
    sync(again, week2, now=NOW + timedelta(days=7))
    out = publish_due(again, {"bluesky": p}, {"week-2": week2}, NOW + timedelta(days=7))
    assert [o.status for o in out] == ["posted"] and "adopted" not in out[0].detail, out
    assert p.sends == 1 and sorted(str(x["text"]) for x in p.network().values()) == [
        WEEK.format(n=1),
        WEEK.format(n=2),
    ]
    mine = p.recent_own_posts()
    assert {o.links for o in mine} == {("https://forms.example/week-1",), ("https://forms.example/week-2",)}
    assert {o.media for o in mine} == {0}
    again.close()

    lost = fresh(tmp_path, "c")  # and week 2 itself, lost in turn, is still found
    sync(lost, week2, now=NOW + timedelta(days=8))
    out = publish_due(lost, {"bluesky": Counting(net)}, {"week-2": week2}, NOW + timedelta(days=8))
    assert [o.status for o in out] == ["posted"] and "adopted" in out[0].detail, out
    lost.close()
