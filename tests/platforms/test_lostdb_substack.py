"""A lost database never reposts a Substack Note: the Note is found in our own Notes feed (the loopback fake,
real httpx) and adopted by `bot.publish.outbox` instead of being posted again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.errors import AuthError
from bot.models import PostSpec, Query
from bot.platforms.substack.adapter import SubstackPlatform
from bot.publish.outbox import publish_due, sync_queue
from bot.publish.schedule import parse_slots
from bot.store.db import Store
from tests.fakes.substack_api import FakeSubstack

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COOKIE = "s%3Afake-session"
NOTE = Query(
    id="note-q",
    platforms=("substack",),
    posts=(
        PostSpec(
            "Who runs a reading group on open-endedness?\n\nTell me & I'll join.",
            link="https://example.org/rg",
        ),
    ),
)


@pytest.fixture
def fake() -> Iterator[FakeSubstack]:
    with FakeSubstack(cookie=COOKIE) as f:
        f.state.clock = NOW
        yield f


def make(fake: FakeSubstack, http: httpx.Client, *, cookie: str | None = COOKIE) -> SubstackPlatform:
    return SubstackPlatform(http, api_base=fake.base, cookie=cookie, sleep=lambda s: None, utcnow=lambda: NOW)


def post_with_a_new_database(
    tmp: Path, name: str, sub: SubstackPlatform, now: datetime
) -> tuple[Store, list[str]]:
    store = Store.open(tmp / name / "sqbot.db")
    sync_queue(store, [NOTE], slots=parse_slots("daily 09:00"), tz=UTC, now=now)
    out = publish_due(store, {"substack": sub}, {NOTE.id: NOTE}, now)
    return store, [f"{o.status}: {o.detail}" for o in out]


def test_a_note_posted_before_the_database_was_lost_is_adopted_not_posted_again(
    tmp_path: Path, fake: FakeSubstack
) -> None:
    with httpx.Client() as http:
        first, out = post_with_a_new_database(tmp_path, "a", make(fake, http), NOW)
        assert out == ["posted: "] and len(fake.state.notes) == 1
        (note_id,) = fake.state.notes
        first.close()
        later = NOW + timedelta(hours=2)
        again, out = post_with_a_new_database(tmp_path, "b", make(fake, http), later)
        assert len(out) == 1 and out[0].startswith("posted: already on substack: adopted 1 post(s)"), out
        assert list(fake.state.notes) == [note_id]  # 0 duplicates
        assert [r["platform_id"] for r in again.posts_of(NOTE.id)] == [f"note:{note_id}"]
        again.close()


def test_looking_up_our_notes_needs_the_cookie_and_sends_nothing_without_it(
    tmp_path: Path, fake: FakeSubstack
) -> None:
    with httpx.Client() as http:
        with pytest.raises(AuthError, match="SQBOT_SUBSTACK_COOKIE"):
            make(fake, http, cookie=None).recent_own_posts()
        store, out = post_with_a_new_database(tmp_path, "a", make(fake, http, cookie=None), NOW)
        assert out[0].startswith("deferred:") and fake.state.notes == {} and fake.requests == []
        assert store.outbox_row(NOTE.id, "substack").attempts == 0  # type: ignore[union-attr]
        store.close()


def test_the_look_up_reads_our_own_notes_feed_once(fake: FakeSubstack) -> None:
    fake.add_note("an older note of ours")
    with httpx.Client() as http:
        sub = make(fake, http)
        sub.recent_own_posts()  # learns who we are
        before = len(fake.requests)
        mine = sub.recent_own_posts()
        assert len(fake.requests) - before == 1 and fake.requests[-1].path.startswith(
            "/api/v1/reader/feed/profile/"
        )
        assert [o.text for o in mine] == ["an older note of ours"] and mine[0].reply_to is None
