"""A lost database never reposts a Substack Note: the Note is found in our own Notes feed (the loopback fake,
real httpx) and adopted by `bot.publish.outbox` instead of being posted again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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


# ------------------------------------------------------------------------- adoption compares links and media
DATA = Path(__file__).resolve().parents[1] / "data" / "substack-samples"
WEEK = "Reading group this week, sign up: https://forms.example/week-{n}"


def _linked(text: str, url: str) -> dict[str, object]:
    """A Note's document as Substack's editor writes it: the URL as text with a `note-link` mark
    (the shape of tests/data/substack-samples/feed-profile-types-note.json)."""
    attrs = {"href": url, "rel": "nofollow ugc noopener", "class": "note-link", "target": "_blank"}
    return {
        "type": "doc",
        "attrs": {"schemaVersion": "v1"},
        "content": [
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": text.replace(url, "")},
                    {"type": "text", "text": url, "marks": [{"type": "link", "attrs": attrs}]},
                ],
            }
        ],
    }


def test_a_note_s_links_and_images_are_read_from_substack_s_real_feed_shapes() -> None:
    import json

    from bot.platforms.substack.notes import note_links, note_media

    feed = json.loads((DATA / "feed-profile-types-note.json").read_text("utf-8"))
    notes = {int(i["comment"]["id"]): i["comment"] for i in feed["items"] if i.get("comment")}
    links = {cid: note_links(c) for cid, c in notes.items()}
    media = {cid: note_media(c) for cid, c in notes.items()}
    every = {u for ls in links.values() for u in ls}
    assert "https://github.com/mendableai/fireplexity" in every  # a link mark
    assert "https://angelsant.substack.com/p/openai-is-coming-to-steal-your-clients" in every  # a post card
    assert sum(media.values()) == 4  # the four image attachments
    assert all(m in (0, 1) for m in media.values())


@pytest.mark.parametrize(
    ("hand_posted", "why"),
    [
        (
            {
                "body": WEEK.format(n=1),
                "body_json": _linked(WEEK.format(n=1), "https://forms.example/week-1"),
            },
            "another link",
        ),
        (
            {
                "body": WEEK.format(n=2),
                "attachments": [{"id": "a1", "type": "image", "imageUrl": "https://cdn.example/x.jpeg"}],
            },
            "an image",
        ),
    ],
)
def test_a_hand_posted_note_with_the_same_words_but_not_the_same_content_is_not_adopted(
    tmp_path: Path, fake: FakeSubstack, hand_posted: dict[str, Any], why: str
) -> None:
    """Issue 18: own Notes reported no links or images, so adoption compared words only (every URL one
    token): a hand-posted week-1 Note made the queued week-2 one "already on substack"."""
    fake.add_note(**hand_posted)  # by hand, before this database existed
    week2 = Query(id="week-2", platforms=("substack",), posts=(PostSpec(WEEK.format(n=2)),))
    store = Store.open(tmp_path / "sqbot.db")
    later = NOW + timedelta(days=2)
    with httpx.Client() as http:
        sync_queue(store, [week2], slots=parse_slots("daily 09:00"), tz=UTC, now=later)
        out = publish_due(store, {"substack": make(fake, http)}, {week2.id: week2}, later)
    assert [o.status for o in out] == ["posted"] and "adopted" not in out[0].detail, (why, out)
    assert len(fake.state.notes) == 2
    store.close()
