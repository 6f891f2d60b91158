"""Polling files every interaction once, keeps people, moves cursors with the rows they cover."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import RateLimited
from bot.leads.people import list_leads
from bot.models import FetchResult, PostSpec, Query, WatchedPost
from bot.platforms.sandbox.adapter import SandboxPlatform
from bot.poll.fetch import make_analyser, poll_all, poll_platform
from bot.publish.outbox import publish_due, sync_queue
from bot.publish.schedule import parse_slots
from bot.store.db import Store

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def posted(tmp_path: Path) -> tuple[Store, dict[str, SandboxPlatform]]:
    store = Store.open(tmp_path / "sqbot.db")
    query = Query(id="q1", platforms=("bluesky", "x"), posts=(PostSpec("Who works on open-ended AI?"),))
    sync_queue(store, [query], slots=parse_slots("daily 09:00"), tz=UTC, now=NOW)
    plats = {n: SandboxPlatform(n, tmp_path / "net.json") for n in ("bluesky", "x")}
    publish_due(store, plats, {"q1": query}, NOW)
    yield store, plats
    store.close()


def test_replies_arrive_over_time_and_each_is_filed_once(
    posted: tuple[Store, dict[str, SandboxPlatform]],
) -> None:
    store, plats = posted
    analyse = make_analyser(["you"])
    # the sandbox's script is shared by the two posts published together: Maya, Ivan, Sam's mention, Maya's
    # thanks under it and Hiro on Bluesky; the spam, the hostile reply, Lena and Sam's quote on X
    early = poll_all(store, plats, NOW + timedelta(minutes=13), analyse=analyse)
    assert [r.new_interactions for r in early] == [2, 0]
    later = poll_all(store, plats, NOW + timedelta(hours=3), analyse=analyse)
    assert [r.new_interactions for r in later] == [4, 4]
    again = poll_all(store, plats, NOW + timedelta(hours=3), analyse=analyse)
    assert [r.new_interactions for r in again] == [0, 0]
    assert store.counts()["interactions"] == 10


def test_a_reply_to_a_reply_belongs_to_the_query_and_the_referral_points_to_the_person(
    posted: tuple[Store, dict[str, SandboxPlatform]],
) -> None:
    store, plats = posted
    poll_platform(
        store, "bluesky", plats["bluesky"], NOW + timedelta(hours=3), analyse=make_analyser(["you"])
    )
    ivan = store.q(
        "SELECT i.* FROM interactions i JOIN identities d ON d.user_id = i.author_user_id "
        "WHERE d.handle = 'ivan.sandbox.test'"
    )
    assert len(ivan) == 1 and ivan[0]["query_id"] == "q1" and ivan[0]["parent_id"].endswith("-r1")
    leads = {p["name"]: p for p in list_leads(store)}
    assert [r["name"] for r in leads["Ivan Petrov"]["referred_by"]] == ["Maya Okafor"]
    assert leads["Maya Okafor"]["queries"] == ["q1"]


def test_spam_and_hostile_replies_are_filed_with_their_intent(
    posted: tuple[Store, dict[str, SandboxPlatform]],
) -> None:
    store, plats = posted
    poll_platform(store, "x", plats["x"], NOW + timedelta(hours=3), analyse=make_analyser(["you"]))
    spam = store.q("SELECT intent, lead_priority FROM interactions WHERE text LIKE '%10k followers%'")
    assert spam[0]["intent"] == "spam" and spam[0]["lead_priority"] == "none"
    hostile = store.q("SELECT text FROM interactions WHERE text LIKE '%<script>%'")
    assert hostile[0]["text"].startswith("<script>")  # stored verbatim; escaped where shown


def test_profiles_are_fetched_once_per_new_identity(posted: tuple[Store, dict[str, SandboxPlatform]]) -> None:
    store, plats = posted
    r1 = poll_platform(store, "bluesky", plats["bluesky"], NOW + timedelta(hours=3), analyse=None)
    bios = store.q("SELECT bio, followers FROM identities WHERE handle='maya.sandbox.test'")
    assert bios[0]["bio"].startswith("Cultural evolution") and bios[0]["followers"] == 4210
    r2 = poll_platform(store, "bluesky", plats["bluesky"], NOW + timedelta(hours=4), analyse=None)
    assert r1.requests == 2 and r2.requests == 1  # an idle poll is one request


class Limited(SandboxPlatform):
    def fetch(self, cursor: str | None, watched: object, now: datetime) -> FetchResult:  # type: ignore[override]
        raise RateLimited(self.name, "slow down", NOW + timedelta(minutes=15))


def test_a_rate_limited_poll_defers_the_platform_and_keeps_the_cursor(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "sqbot.db")
    try:
        rep = poll_platform(store, "x", Limited("x", tmp_path / "n.json"), NOW, analyse=None)
        assert rep.error and "slow down" in rep.error
        assert store.deferred_until("x") == NOW + timedelta(minutes=15)
        assert store.get_cursor("x") is None
        skipped = poll_platform(store, "x", SandboxPlatform("x", tmp_path / "n.json"), NOW, analyse=None)
        assert skipped.error and "deferred" in skipped.error
    finally:
        store.close()


def test_watched_posts_stop_after_the_watch_window(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "sqbot.db")
    try:
        query = Query(id="q", platforms=("x",), posts=(PostSpec("hi"),), watch=timedelta(days=2))
        sync_queue(store, [query], slots=parse_slots("daily 09:00"), tz=UTC, now=NOW)
        publish_due(store, {"x": SandboxPlatform("x", tmp_path / "n.json")}, {"q": query}, NOW)
        inside = store.watched_posts("x", NOW + timedelta(days=1))
        assert [type(w) for w in inside] == [WatchedPost]
        assert store.watched_posts("x", NOW + timedelta(days=3)) == []
    finally:
        store.close()
