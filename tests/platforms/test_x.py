"""The X adapter through real tweepy + HTTP against the local X API v2 fake (kept honest by X's OpenAPI)."""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import tweepy

from bot.errors import AuthError, PlatformError, PublishError, RateLimited, TransientError
from bot.models import Image, Intent, PostSpec, PublishedPost, WatchedPost
from bot.platforms.base import Platform
from bot.platforms.x.adapter import XPlatform
from bot.platforms.x.metering import PRICE_OWNED_READ, PRICE_POST_READ, PRICE_USER_READ
from bot.platforms.x.tweets import conversation_queries, normalise_text
from tests.fakes.x_api import XFake

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f
        f.assert_valid()


def adapter(fake: XFake, *, timeout: float = 2.0, user_id: str | None = "me", **kw: Any) -> XPlatform:
    client = tweepy.Client(
        consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="as"
    )
    return XPlatform(
        client,
        api_base=fake.base_url,
        timeout=timeout,
        user_id=fake.me if user_id == "me" else user_id,
        now=lambda: fake.clock,
        **kw,
    )


def thread(n: int) -> list[PostSpec]:
    return [PostSpec(f"Question part {i + 1}: who builds sensors for bees?") for i in range(n)]


def chain_of(fake: XFake) -> list[tuple[str, str | None, str]]:
    return [(t.id, t.replied_to, t.text) for t in sorted(fake.by_author(fake.me), key=lambda t: int(t.id))]


def assert_one_chain(fake: XFake, texts: list[str]) -> None:
    """Our posts on the fake are exactly `texts`, once each, each replying to the one before."""
    chain = chain_of(fake)
    assert [text for _, _, text in chain] == texts
    assert chain[0][1] is None
    for (prev_id, _, _), (_, parent, _) in itertools.pairwise(chain):
        assert parent == prev_id


# ------------------------------------------------------------------------------------------------ basics
def test_adapter_satisfies_the_platform_protocol(fake: XFake) -> None:
    assert isinstance(adapter(fake), Platform)


def test_importing_the_adapter_does_not_import_tweepy() -> None:
    code = "import sys, bot.platforms.x.adapter; print('tweepy' in sys.modules, 'requests' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_prepare_rejects_a_post_longer_than_280_weighted_characters(fake: XFake) -> None:
    x = adapter(fake)
    with pytest.raises(PublishError, match=r"post 2 is 282 characters"):
        x.prepare("q", [PostSpec("fine"), PostSpec("蜂" * 141)], fake.clock)
    assert fake.calls == []


def test_prepare_counts_a_long_url_as_23_and_appends_the_link(fake: XFake) -> None:
    x = adapter(fake)
    long_url = "https://example.com/" + "a" * 300
    intent = x.prepare("q", [PostSpec("a" * 250, link=long_url)], fake.clock)
    assert intent.payload["texts"] == ["a" * 250 + "\n" + long_url]
    assert intent.payload["has_url"] == [True]
    assert len(intent.payload["hashes"][0]) == 64


def test_normalised_text_matches_what_x_serves_back() -> None:
    sent = "Fish & chips <3\r\nsee https://example.com/a?b=c"
    served = "Fish &amp; chips &lt;3\nsee https://t.co/0000000001"
    assert normalise_text(sent) == normalise_text(served)


# ------------------------------------------------------------------------------------------------ posting
def test_thread_is_posted_as_a_reply_chain_and_each_post_reported(fake: XFake) -> None:
    x = adapter(fake)
    intent = x.prepare("bees", thread(3), fake.clock)
    seen: list[PublishedPost] = []
    posts = x.send(intent, seen.append)
    assert [p.index for p in seen] == [0, 1, 2]
    assert posts == tuple(seen)
    assert_one_chain(fake, intent.payload["texts"])
    assert [p.platform_id for p in posts] == [t[0] for t in chain_of(fake)]
    assert posts[0].url == f"https://x.com/i/web/status/{posts[0].platform_id}"
    assert fake.requests_to("POST /2/tweets") == 3


def test_thread_that_failed_for_a_known_reason_at_post_3_resumes_at_post_3(fake: XFake) -> None:
    x = adapter(fake)
    intent = x.prepare("bees", thread(5), fake.clock)
    fake.fail("rate_limit", skip=2)
    seen: list[PublishedPost] = []
    with pytest.raises(RateLimited):
        x.send(intent, seen.append)
    assert len(seen) == 2
    resumed = Intent(intent.query_id, "x", intent.payload, done=tuple(seen))
    posts = x.send(resumed, seen.append)
    assert [p.index for p in posts] == [0, 1, 2, 3, 4]
    assert_one_chain(fake, intent.payload["texts"])


def test_timeout_at_post_3_is_reconciled_as_posted_and_the_thread_continues_without_a_double(
    fake: XFake,
) -> None:
    x = adapter(fake, timeout=0.5)
    intent = x.prepare("bees", thread(4), fake.clock)
    fake.fail("slow_after", skip=2, delay=1.5)
    seen: list[PublishedPost] = []
    with pytest.raises(TransientError, match="outcome is unknown"):
        x.send(intent, seen.append)
    assert len(seen) == 2  # post 3 exists on X but nobody was told

    r = x.reconcile(Intent(intent.query_id, "x", intent.payload, done=tuple(seen)))
    assert r.state == "absent"  # post 4 is not there ...
    assert [p.index for p in r.posts] == [0, 1, 2]  # ... but post 3 is proved
    assert r.posts[2].platform_id == chain_of(fake)[2][0]

    posts = x.send(Intent(intent.query_id, "x", intent.payload, done=r.posts), seen.append)
    assert [p.index for p in posts] == [0, 1, 2, 3]
    assert_one_chain(fake, intent.payload["texts"])


def test_reconcile_after_a_crash_before_any_answer_proves_the_whole_thread(fake: XFake) -> None:
    x = adapter(fake)
    intent = x.prepare("bees", thread(3), fake.clock)
    posts = x.send(intent, lambda p: None)  # the store never heard of them (crash)
    r = adapter(fake).reconcile(intent)  # a fresh process
    assert r.state == "posted"
    assert r.posts == posts


def test_server_error_after_the_post_was_created_is_transient_and_reconcile_finds_it(fake: XFake) -> None:
    x = adapter(fake)
    intent = x.prepare("q", [PostSpec("Does anyone map urban bee hives?")], fake.clock)
    fake.fail("error_after")
    with pytest.raises(TransientError, match="server error 500"):
        x.send(intent, lambda p: None)
    r = x.reconcile(intent)
    assert r.state == "posted"
    assert [p.platform_id for p in r.posts] == [chain_of(fake)[0][0]]


def test_unavailable_before_anything_happened_reconciles_as_absent(fake: XFake) -> None:
    x = adapter(fake)
    intent = x.prepare("q", thread(2), fake.clock)
    fake.fail("unavailable_before")
    with pytest.raises(TransientError):
        x.send(intent, lambda p: None)
    r = x.reconcile(intent)
    assert (r.state, r.posts) == ("absent", ())
    assert fake.by_author(fake.me) == []


def test_an_ambiguous_later_post_makes_reconcile_unknown_and_keeps_what_was_proved(fake: XFake) -> None:
    x = adapter(fake)
    intent = x.prepare("q", thread(3), fake.clock)
    fake.fail("unavailable_before", skip=1)
    root: list[PublishedPost] = []
    with pytest.raises(TransientError):
        x.send(intent, root.append)
    # two copies of post 2 under the root (say, another client retried): which one to continue from?
    for _ in range(2):
        fake.add_tweet(fake.me, intent.payload["texts"][1], reply_to=root[0].platform_id)
    r = x.reconcile(intent)
    assert r.state == "unknown"
    assert r.posts == tuple(root)
    assert "appears 2 times" in r.detail


def test_a_post_with_a_url_matches_although_x_serves_it_shortened_and_escaped(fake: XFake) -> None:
    x = adapter(fake)
    intent = x.prepare("q", [PostSpec("Q&A <live>", link="https://example.com/bees?x=1")], fake.clock)
    fake.fail("error_after")
    with pytest.raises(TransientError):
        x.send(intent, lambda p: None)
    assert x.reconcile(intent).state == "posted"


def test_403_duplicate_content_is_an_unknown_outcome_and_reconcile_finds_the_original(fake: XFake) -> None:
    x = adapter(fake)
    intent = x.prepare("q", [PostSpec("Who restores old beehives?")], fake.clock)
    first = x.send(intent, lambda p: None)
    with pytest.raises(TransientError, match=r"duplicate content.*reconcile"):
        x.send(intent, lambda p: None)  # e.g. a retry that did not reconcile first
    r = x.reconcile(intent)
    assert (r.state, r.posts) == ("posted", first)
    assert len(fake.by_author(fake.me)) == 1


def test_403_reply_not_allowed_is_a_permanent_platform_error(fake: XFake) -> None:
    bob = fake.add_user("bob", "Bob")
    theirs = fake.add_tweet(bob, "my own thoughts on bees")
    x = adapter(fake)
    intent = x.prepare("q", thread(2), fake.clock)
    with pytest.raises(PlatformError, match="not allowed") as err:
        x.send(Intent("q", "x", intent.payload, done=(PublishedPost(0, theirs),)), lambda p: None)
    assert not isinstance(err.value, TransientError)


# ------------------------------------------------------------------------------------------------ limits
def test_429_is_rate_limited_until_x_rate_limit_reset(fake: XFake) -> None:
    x = adapter(fake)
    fake.fail("rate_limit", endpoint="GET /2/users/:id/mentions")
    with pytest.raises(RateLimited) as err:
        x.fetch(None, [], fake.clock)
    assert err.value.retry_at == fake.clock + timedelta(minutes=15)
    assert err.value.retry_at is not None and err.value.retry_at.tzinfo is not None


def test_429_without_a_reset_header_defers_a_full_window(fake: XFake) -> None:
    x = adapter(fake)
    fake.fail("rate_limit_no_reset", endpoint="GET /2/users/:id/mentions")
    with pytest.raises(RateLimited) as err:
        x.fetch(None, [], fake.clock)
    assert err.value.retry_at == fake.clock + timedelta(minutes=15)


def test_usage_cap_stops_x_without_a_retry_time_and_says_so(fake: XFake) -> None:
    x = adapter(fake)
    intent = x.prepare("q", thread(1), fake.clock)
    fake.fail("usage_cap")
    with pytest.raises(RateLimited, match="usage cap exceeded") as err:
        x.send(intent, lambda p: None)
    assert err.value.retry_at is None


def test_401_is_an_auth_error_naming_the_settings_not_the_secrets(fake: XFake) -> None:
    x = adapter(fake)
    fake.revoked = True
    with pytest.raises(AuthError, match="SQBOT_X_ACCESS_TOKEN") as err:
        x.fetch(None, [], fake.clock)
    assert "ck" not in str(err.value).split() and "as" not in str(err.value).split()


def test_budget_refuses_a_post_that_would_exceed_it_before_calling_x(fake: XFake) -> None:
    x = adapter(fake, budget_usd=0.02, spent_usd=0.01)
    intent = x.prepare("q", thread(1), fake.clock)
    with pytest.raises(RateLimited, match="budget") as err:
        x.send(intent, lambda p: None)
    assert err.value.retry_at == datetime(2026, 12, 1, tzinfo=UTC)
    assert fake.calls == []


def test_every_call_has_a_timeout(fake: XFake) -> None:
    x = adapter(fake, timeout=0.3)
    fake.fail("slow_before", endpoint="GET /2/users/:id/mentions", delay=1.0)
    with pytest.raises(TransientError, match=r"timed out after 0\.3s"):
        x.fetch(None, [], fake.clock)


# ------------------------------------------------------------------------------------------------ polling
def watched_thread(fake: XFake, x: XPlatform, n: int = 2) -> list[WatchedPost]:
    posts = x.send(x.prepare("bees", thread(n), fake.clock), lambda p: None)
    return [WatchedPost("bees", p.platform_id, p.index, fake.clock) for p in posts]


def test_fetch_files_replies_quotes_and_mentions_with_the_author_profile(fake: XFake) -> None:
    x = adapter(fake)
    watched = watched_thread(fake, x)
    root, second = watched[0].platform_id, watched[1].platform_id
    alice = fake.add_user("alice", "Alice", description="Hive sensors <3 & more", followers=4200)
    bob = fake.add_user("bob", "Bob B", description="beekeeper", followers=12)
    reply = fake.add_tweet(alice, "@sqbot_lab ask @bob, he knows &amp; builds them", reply_to=second)
    deeper = fake.add_tweet(bob, "@alice @sqbot_lab yes, I do", reply_to=reply)
    quote = fake.add_tweet(bob, "Good one @sqbot_lab", quote=root)
    mention = fake.add_tweet(bob, "@sqbot_lab unrelated hello")

    result = x.fetch(None, watched, fake.clock)
    got = {i.platform_id: i for i in result.interactions}
    assert set(got) == {reply, deeper, quote, mention}
    assert (got[reply].kind, got[reply].root_id, got[reply].parent_id) == ("reply", root, second)
    assert (got[deeper].kind, got[deeper].root_id, got[deeper].parent_id) == ("reply", root, reply)
    assert (got[quote].kind, got[quote].root_id, got[quote].parent_id) == ("quote", root, root)
    assert (got[mention].kind, got[mention].root_id) == ("mention", None)
    assert got[reply].author.bio == "Hive sensors <3 & more"
    assert got[reply].author.followers == 4200
    assert got[reply].author.handle == "alice"
    assert got[reply].text == "@sqbot_lab ask @bob, he knows &amp; builds them"  # X's escaping undone once
    assert [m.handle for m in got[reply].mentions] == ["sqbot_lab", "bob"]
    assert got[reply].mentions[1].user_id == bob
    assert got[reply].created_at.tzinfo is not None
    assert result.cursor == max(got, key=int)
    assert result.requests == 1


def test_an_idle_poll_is_one_request_and_files_nothing_new(fake: XFake) -> None:
    x = adapter(fake)
    watched = watched_thread(fake, x)
    alice = fake.add_user("alice", "Alice")
    fake.add_tweet(alice, "@sqbot_lab me!", reply_to=watched[0].platform_id)
    first = x.fetch(None, watched, fake.clock)
    before = len(fake.calls)
    second = x.fetch(first.cursor, watched, fake.clock)
    assert len(first.interactions) == 1
    assert second.interactions == ()
    assert second.cursor == first.cursor
    assert second.requests == 1
    assert len(fake.calls) - before == 1
    assert fake.calls[-1].query["since_id"] == first.cursor


def test_fetch_pages_through_a_burst_of_mentions(fake: XFake) -> None:
    x = adapter(fake)
    people = [fake.add_user(f"p{i}", f"P {i}") for i in range(30)]
    ids = {fake.add_tweet(people[i % 30], f"@sqbot_lab hello number {i}") for i in range(150)}
    result = x.fetch(None, [], fake.clock)
    assert {i.platform_id for i in result.interactions} == ids
    assert result.requests == 2
    assert result.cursor == max(ids, key=int)


def test_profiles_are_read_in_batches_of_100_and_not_read_twice(fake: XFake) -> None:
    x = adapter(fake)
    users = [fake.add_user(f"u{i}", f"U {i}", description=f"bio {i}", followers=i) for i in range(150)]
    got = x.profiles(users)
    assert [p.user_id for p in got] == users
    assert got[7].bio == "bio 7" and got[7].followers == 7
    assert fake.requests_to("GET /2/users") == 2
    x.profiles(users[:10])
    assert fake.requests_to("GET /2/users") == 2


def test_the_user_id_is_looked_up_once_when_not_configured(fake: XFake) -> None:
    x = adapter(fake, user_id=None)
    x.fetch(None, [], fake.clock)
    x.fetch(None, [], fake.clock)
    assert x.user_id == fake.me
    assert fake.requests_to("GET /2/users/me") == 1


def test_metering_agrees_with_what_the_fake_bills(fake: XFake) -> None:
    x = adapter(fake)
    watched = watched_thread(fake, x)
    alice = fake.add_user("alice", "Alice")
    fake.add_tweet(alice, "@sqbot_lab hi", reply_to=watched[0].platform_id)
    x.fetch(None, watched, fake.clock)
    x.profiles([alice])
    assert x.spent_usd == pytest.approx(fake.cost)
    assert [u.endpoint for u in x.usage] == ["POST /2/tweets", "POST /2/tweets", "GET /2/users/:id/mentions"]
    assert x.usage[0].usd == pytest.approx(0.015)
    assert x.usage[2].resources == 2  # alice's post + alice, expanded in the same call (no users lookup)


# ------------------------------------------------------------------------------------------------ search
def test_conversation_queries_or_several_roots_within_512_characters() -> None:
    roots = [str(1_900_000_000_000_000_000 + i) for i in range(30)]
    queries = conversation_queries(roots)
    assert all(len(q) <= 512 for q in queries)
    assert len(queries) == 3
    assert [r for q in queries for r in q.replace("conversation_id:", "").split(" OR ")] == roots


def test_conversation_search_finds_replies_that_do_not_mention_us_inside_7_days(fake: XFake) -> None:
    x = adapter(fake)
    old = watched_thread(fake, x, 1)
    fake.tick(8 * 24 * 3600)
    recent = [
        WatchedPost("q2", p.platform_id, p.index, fake.clock)
        for p in x.send(x.prepare("q2", [PostSpec("Another question")], fake.clock), lambda p: None)
    ]
    gus = fake.add_user("gus", "Gus", description="apiarist", followers=9)
    hal = fake.add_user("hal", "Hal")
    first = fake.add_tweet(gus, "@sqbot_lab my answer", reply_to=recent[0].platform_id)
    silent = fake.add_tweet(hal, "@gus agreed with you", reply_to=first)  # does not mention us
    fake.add_tweet(hal, "@gus late", reply_to=old[0].platform_id)  # outside the window: not searched

    mentions = x.fetch(None, old + recent, fake.clock)
    assert {i.platform_id for i in mentions.interactions} == {first}
    result = x.fetch_conversations(None, old + recent, fake.clock)
    got = {i.platform_id: i for i in result.interactions}
    assert set(got) == {first, silent}
    assert (got[silent].kind, got[silent].root_id, got[silent].parent_id) == (
        "reply",
        recent[0].platform_id,
        first,
    )
    assert got[silent].author.handle == "hal"
    assert result.requests == 1
    again = x.fetch_conversations(result.cursor, old + recent, fake.clock)
    assert again.interactions == () and again.requests == 1


# ------------------------------------------------------------------------------------------------ figures
def scenario(fake: XFake) -> tuple[list[WatchedPost], list[str]]:
    """3 queries, 50 people, 100 replies (each mentions us, as X's replies do)."""
    x = adapter(fake)
    watched = [
        WatchedPost(f"q{n}", p.platform_id, p.index, fake.clock)
        for n in range(3)
        for p in x.send(x.prepare(f"q{n}", [PostSpec(f"Question {n}?")], fake.clock), lambda p: None)
    ]
    people = [fake.add_user(f"person{i}", f"Person {i}", description="bio", followers=i) for i in range(50)]
    for i in range(100):
        fake.add_tweet(people[i % 50], f"@sqbot_lab answer {i}", reply_to=watched[i % 3].platform_id)
    return watched, people


def test_cost_of_ingesting_100_replies_from_50_people_against_naive_polling() -> None:
    with XFake() as ours_fake, XFake() as naive_fake:
        watched, _ = scenario(ours_fake)
        x = adapter(ours_fake)
        spent, calls = ours_fake.cost, len(ours_fake.calls)
        result = x.fetch(None, watched, ours_fake.clock)
        ours_usd, ours_requests = ours_fake.cost - spent, len(ours_fake.calls) - calls
        assert len(result.interactions) == 100
        assert {i.author.followers for i in result.interactions} == set(range(50))

        watched, _ = scenario(naive_fake)
        client = adapter(naive_fake).client
        spent, calls = naive_fake.cost, len(naive_fake.calls)
        replies = []
        for w in watched:  # naive: search every query, then look up every author
            replies += client.search_recent_tweets(
                f"conversation_id:{w.platform_id}",
                max_results=100,
                tweet_fields=["author_id"],
                user_auth=True,
            )["data"]
        replies = [r for r in replies if r["author_id"] != naive_fake.me]  # the roots match too
        for reply in replies:
            client.get_users(
                ids=[reply["author_id"]], user_fields=["description", "public_metrics"], user_auth=True
            )
        naive_usd, naive_requests = naive_fake.cost - spent, len(naive_fake.calls) - calls
        assert len(replies) == 100
        ours_fake.assert_valid()
        naive_fake.assert_valid()

    assert ours_requests == 1 and naive_requests == 3 + 100
    assert ours_usd == pytest.approx(100 * PRICE_OWNED_READ + 50 * PRICE_USER_READ)
    assert naive_usd == pytest.approx((100 + 3) * PRICE_POST_READ + 50 * PRICE_USER_READ)
    print(
        f"\nX ingest of 100 replies / 50 people / 3 queries: mentions timeline {ours_requests} request(s) "
        f"${ours_usd:.3f}; naive search + user lookups {naive_requests} requests ${naive_usd:.3f}"
    )


def test_a_duplicate_of_an_older_post_outside_the_thread_needs_review_instead_of_looping(fake: XFake) -> None:
    x = adapter(fake)
    fake.add_tweet(fake.me, "Who restores old beehives?")  # posted an hour ago, by hand
    fake.tick(3600)
    intent = x.prepare("q", [PostSpec("Who restores old beehives?")], fake.clock)
    with pytest.raises(TransientError, match="duplicate content"):
        x.send(intent, lambda p: None)
    r = x.reconcile(intent)
    assert (r.state, r.posts) == ("unknown", ())
    assert "reword" in r.detail
    assert len(fake.by_author(fake.me)) == 1


def test_from_settings_builds_an_oauth1_client_that_api_base_points_at_the_fake(fake: XFake) -> None:
    x = XPlatform.from_settings(
        api_key="ck", api_secret="cs", access_token="at", access_secret="as", api_base=fake.base_url + "/"
    )
    assert x.me() == fake.me
    assert x.client.wait_on_rate_limit is False
    assert fake.calls[-1].endpoint == "GET /2/users/me"


# ------------------------------------------------------------------------------------------------ images
PNG = (  # a real 1x1 PNG: images are checked by content (bot.queue.files) before they are sent
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
    b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def with_image(tmp_path: Path, text: str, alt: str, name: str = "hive.png", data: bytes = PNG) -> PostSpec:
    path = tmp_path / name
    path.write_bytes(data)
    return PostSpec(text, images=(Image(name, alt, str(path)),))


def test_a_thread_with_images_uploads_them_with_alt_text_during_prepare(fake: XFake, tmp_path: Path) -> None:
    x = adapter(fake)
    specs = [
        with_image(tmp_path, "Who built this hive?", "A wooden hive with a sensor"),
        PostSpec("More soon"),
    ]
    intent = x.prepare("bees", specs, fake.clock)
    assert fake.requests_to("POST /2/tweets") == 0  # uploads only: nothing is posted yet
    [[item]] = intent.payload["media"][:1]
    assert fake.media[item["id"]].alt_text == "A wooden hive with a sensor"
    assert intent.payload["media"][1] == []
    posts = x.send(intent, lambda p: None)
    assert [m.alt_text for m in fake.media_of(posts[0].platform_id)] == ["A wooden hive with a sensor"]
    assert fake.media_of(posts[1].platform_id) == []
    assert_one_chain(fake, intent.payload["texts"])


def test_a_post_with_an_image_is_reconciled_although_x_appends_a_media_link(
    fake: XFake, tmp_path: Path
) -> None:
    x = adapter(fake)
    intent = x.prepare("q", [with_image(tmp_path, "Spot the queen", "Bees on a frame")], fake.clock)
    fake.fail("error_after")
    with pytest.raises(TransientError):
        x.send(intent, lambda p: None)
    r = x.reconcile(intent)
    assert r.state == "posted"
    assert [p.platform_id for p in r.posts] == [chain_of(fake)[0][0]]


def test_expired_media_is_uploaded_again_on_resend_with_the_same_text_and_chain(
    fake: XFake, tmp_path: Path
) -> None:
    x = adapter(fake)
    specs = [PostSpec("Part one"), with_image(tmp_path, "Part two, with a photo", "A smoker and gloves")]
    intent = x.prepare("bees", specs, fake.clock)
    old_id = intent.payload["media"][1][0]["id"]
    fake.fail("rate_limit", skip=1)
    done: list[PublishedPost] = []
    with pytest.raises(RateLimited):
        x.send(intent, done.append)
    fake.tick(25 * 3600)  # the retry comes the next day: X has forgotten the upload
    resumed = Intent(intent.query_id, "x", intent.payload, done=tuple(done))
    posts = adapter(fake).send(resumed, lambda p: None)  # a fresh process
    [media] = fake.media_of(posts[1].platform_id)
    assert media.id != old_id and media.alt_text == "A smoker and gloves" and media.data == PNG
    assert intent.payload["media"][1][0]["id"] == old_id  # the stored intent is untouched
    assert_one_chain(fake, intent.payload["texts"])
    assert fake.requests_to("POST /2/media/upload") == 2


def test_media_x_refuses_before_its_expiry_is_uploaded_again_once(fake: XFake, tmp_path: Path) -> None:
    x = adapter(fake)
    intent = x.prepare("q", [with_image(tmp_path, "Hello", "A bee")], fake.clock)
    fake.media.clear()  # X purged it early
    posts = x.send(intent, lambda p: None)
    assert [m.alt_text for m in fake.media_of(posts[0].platform_id)] == ["A bee"]
    assert [c.status for c in fake.calls if c.endpoint == "POST /2/tweets"] == [400, 201]


def test_an_unreadable_or_unsupported_image_fails_prepare_before_any_upload(
    fake: XFake, tmp_path: Path
) -> None:
    x = adapter(fake)
    with pytest.raises(PublishError, match=r"cannot read image gone\.png"):
        x.prepare(
            "q", [PostSpec("hi", images=(Image("gone.png", "alt", str(tmp_path / "gone.png")),))], fake.clock
        )
    with pytest.raises(PublishError, match="not PNG, JPEG"):
        x.prepare("q", [with_image(tmp_path, "hi", "alt", "x.png", b"%PDF-1.4")], fake.clock)
    with pytest.raises(PublishError, match=r"alt text .* 1001 characters"):
        x.prepare("q", [with_image(tmp_path, "hi", "a" * 1001)], fake.clock)
    assert fake.calls == []


def test_a_failed_upload_defers_x_for_a_few_minutes_and_posts_nothing(fake: XFake, tmp_path: Path) -> None:
    x = adapter(fake)
    fake.fail("unavailable_before", endpoint="POST /2/media/upload")
    with pytest.raises(RateLimited, match="image upload") as err:
        x.prepare("q", [with_image(tmp_path, "hi", "alt")], fake.clock)
    assert err.value.retry_at == fake.clock + timedelta(minutes=5)
    assert fake.requests_to("POST /2/tweets") == 0


def test_a_gif_goes_up_in_chunks_and_waits_for_x_to_process_it(fake: XFake, tmp_path: Path) -> None:
    slept: list[float] = []
    x = adapter(fake, sleep=slept.append)
    gif = b"GIF89a" + b"\x02" * 2_100_000
    intent = x.prepare("q", [with_image(tmp_path, "", "A dancing bee", "dance.gif", gif)], fake.clock)
    [post] = x.send(intent, lambda p: None)
    [media] = fake.media_of(post.platform_id)
    assert (media.data, media.alt_text, media.category) == (gif, "A dancing bee", "tweet_gif")
    assert fake.requests_to("POST /2/media/upload/:id/append") == 3
    assert slept == [1.0, 1.0]
    assert x.reconcile(intent).state == "posted"  # an image-only post: X serves just the media link


# ------------------------------------------------------------------------------------------------ attribution
def test_publishing_usage_names_its_query_and_a_poll_splits_its_cost_over_queries(fake: XFake) -> None:
    x = adapter(fake)
    first = x.send(x.prepare("q1", [PostSpec("Question one?")], fake.clock), lambda p: None)
    second = x.send(x.prepare("q2", [PostSpec("Question two?")], fake.clock), lambda p: None)
    assert [(u.endpoint, u.query_id) for u in x.usage] == [("POST /2/tweets", "q1"), ("POST /2/tweets", "q2")]
    x.usage.clear()
    watched = [
        WatchedPost("q1", first[0].platform_id, 0, fake.clock),
        WatchedPost("q2", second[0].platform_id, 0, fake.clock),
    ]
    ana, ben = fake.add_user("ana", "Ana"), fake.add_user("ben", "Ben")
    fake.add_tweet(ana, "@sqbot_lab one", reply_to=first[0].platform_id)
    fake.add_tweet(ana, "@sqbot_lab again", reply_to=first[0].platform_id)
    fake.add_tweet(ben, "@sqbot_lab two", reply_to=second[0].platform_id)
    fake.add_tweet(ben, "@sqbot_lab hi, unrelated")
    before = fake.cost
    x.fetch(None, watched, fake.clock)
    shares = {u.query_id: (u.resources, u.usd) for u in x.usage}
    assert shares == {
        "q1": (3, pytest.approx(2 * PRICE_OWNED_READ + PRICE_USER_READ)),
        "q2": (2, pytest.approx(PRICE_OWNED_READ + PRICE_USER_READ)),
        None: (1, pytest.approx(PRICE_OWNED_READ)),  # ben was billed with q2's share
    }
    assert sum(u.usd for u in x.usage) == pytest.approx(fake.cost - before)
