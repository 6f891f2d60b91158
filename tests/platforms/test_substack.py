"""The Substack adapter against the loopback fake (tests/fakes/substack_api.py) through real httpx."""

from __future__ import annotations

import json
import threading
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.errors import AuthError, PlatformError, PublishError, RateLimited, TransientError
from bot.models import PostSpec, PublishedPost, WatchedPost
from bot.platforms.base import Platform
from bot.platforms.substack.adapter import (
    SubstackPlatform,
    note_platform_id,
    parse_note_platform_id,
    parse_post_platform_id,
    post_platform_id,
)
from tests.fakes.substack_api import FakeSubstack

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COOKIE = "s%3Afake-session"


class FakeClock:
    """Time that only moves when the adapter sleeps: politeness costs nothing and is measurable."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


@pytest.fixture
def fake() -> Iterator[FakeSubstack]:
    with FakeSubstack(cookie=COOKIE) as f:
        yield f


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def make(fake: FakeSubstack, http: httpx.Client, *, cookie: str | None = COOKIE) -> SubstackPlatform:
    clock = FakeClock()
    return SubstackPlatform(
        http, api_base=fake.base, cookie=cookie, clock=clock, sleep=clock.sleep, utcnow=lambda: NOW
    )


def watched(platform_id: str) -> WatchedPost:
    return WatchedPost(query_id="q1", platform_id=platform_id, index=0, posted_at=NOW - timedelta(days=1))


def long_query(fake: FakeSubstack, sub: SubstackPlatform, *, custom: bool = False) -> tuple[int, str, str]:
    fake.add_post("what-do-you-need", custom_domain=custom)
    post_id, canonical = sub.resolve_post(f"{fake.base}/p/what-do-you-need")
    return post_id, canonical, post_platform_id(post_id, canonical)


# ---------------------------------------------------------------------------------------------- ids
def test_platform_id_helpers_round_trip_post_and_note_ids() -> None:
    pid = post_platform_id(123, "https://example.substack.com/p/q/")
    assert pid == "post:123@https://example.substack.com/p/q"
    assert parse_post_platform_id(pid) == (123, "https://example.substack.com/p/q")
    assert parse_note_platform_id(note_platform_id(77)) == 77
    assert parse_note_platform_id(pid) is None
    assert parse_post_platform_id("note:77") is None


def test_adapter_satisfies_the_platform_protocol(fake: FakeSubstack, http: httpx.Client) -> None:
    assert isinstance(make(fake, http), Platform)


# ---------------------------------------------------------------------------------------------- long query
def test_resolve_post_returns_id_and_canonical_url(fake: FakeSubstack, http: httpx.Client) -> None:
    post = fake.add_post("hello")
    assert make(fake, http).resolve_post(f"{fake.base}/p/hello") == (post["id"], f"{fake.base}/p/hello")


def test_resolve_post_follows_redirect_to_custom_domain(fake: FakeSubstack, http: httpx.Client) -> None:
    sub = make(fake, http)
    post_id, canonical, pid = long_query(fake, sub, custom=True)
    assert canonical == f"{fake.custom_base}/p/what-do-you-need"
    assert [r.host for r in fake.requests] == [fake.base[7:], fake.custom_base[7:]]  # 301 followed
    fake.add_comment(post_id, "Hi from the custom domain", fake.add_user("Ann", "ann"))
    result = sub.fetch(None, [watched(pid)], NOW)
    assert [i.text for i in result.interactions] == ["Hi from the custom domain"]
    assert fake.requests[-1].host == fake.custom_base[7:]  # polled on the custom host directly


def test_resolve_post_rejects_a_url_that_is_not_a_post(fake: FakeSubstack, http: httpx.Client) -> None:
    with pytest.raises(PlatformError, match=r"/p/<slug>"):
        make(fake, http).resolve_post(f"{fake.base}/about")
    assert fake.requests == []


def test_resolve_post_unknown_slug_is_a_platform_error(fake: FakeSubstack, http: httpx.Client) -> None:
    with pytest.raises(PlatformError, match="404"):
        make(fake, http).resolve_post(f"{fake.base}/p/nope")


def test_fetch_flattens_a_three_level_tree_with_parents_and_permalinks(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http)
    post_id, canonical, pid = long_query(fake, sub)
    ann, bob, cat = fake.add_user("Ann", "ann"), fake.add_user("Bob", "bob"), fake.add_user("Cat", "cat")
    top = fake.add_comment(post_id, "I need this", ann)
    mid = fake.add_comment(post_id, "Me too", bob, parent=top)
    deep = fake.add_comment(post_id, "Same here", cat, parent=mid)
    other = fake.add_comment(post_id, "Another thread", bob)

    result = sub.fetch(None, [watched(pid)], NOW)

    by_id = {i.platform_id: i for i in result.interactions}
    assert list(by_id) == [f"c-{top}", f"c-{mid}", f"c-{deep}", f"c-{other}"]
    assert by_id[f"c-{top}"].parent_id == pid
    assert by_id[f"c-{mid}"].parent_id == f"c-{top}"
    assert by_id[f"c-{deep}"].parent_id == f"c-{mid}"
    assert by_id[f"c-{other}"].parent_id == pid
    assert {i.root_id for i in result.interactions} == {pid}
    assert {i.kind for i in result.interactions} == {"comment"}
    assert by_id[f"c-{deep}"].url == f"{canonical}/comment/{deep}"
    assert by_id[f"c-{deep}"].author.user_id == str(cat.id) and by_id[f"c-{deep}"].author.handle == "cat"
    assert by_id[f"c-{top}"].created_at.tzinfo is not None
    assert json.loads(result.cursor or "") == {pid: other}
    assert result.requests == 1


def test_deleted_edited_and_handleless_comments_are_marked_not_crashed(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http)
    post_id, canonical, pid = long_query(fake, sub)
    ann, anon = fake.add_user("Ann", "ann"), fake.add_user("No Handle", None)
    gone = fake.add_comment(post_id, "secret", ann, deleted=True)
    reply = fake.add_comment(post_id, "replying to a deleted comment", anon, parent=gone)
    edited = fake.add_comment(post_id, "first draft", ann)
    fake.edit_comment(edited, "second draft")

    by_id = {i.platform_id: i for i in sub.fetch(None, [watched(pid)], NOW).interactions}

    dead = by_id[f"c-{gone}"]
    assert dead.deleted and dead.text == "" and dead.author.user_id == f"deleted:{gone}"
    assert dead.author.handle is None and dead.author.name is None
    assert by_id[f"c-{reply}"].parent_id == f"c-{gone}"
    assert by_id[f"c-{reply}"].author.handle is None and by_id[f"c-{reply}"].author.name == "No Handle"
    assert by_id[f"c-{reply}"].url == f"{canonical}/comment/{reply}"
    assert by_id[f"c-{edited}"].text == "second draft" and not by_id[f"c-{edited}"].deleted


def test_polling_twice_files_nothing_twice_and_then_only_the_new_comment(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http)
    post_id, _, pid = long_query(fake, sub)
    ann = fake.add_user("Ann", "ann")
    first = fake.add_comment(post_id, "one", ann)
    r1 = sub.fetch(None, [watched(pid)], NOW)
    r2 = sub.fetch(r1.cursor, [watched(pid)], NOW)
    late = fake.add_comment(post_id, "late reply", ann, parent=first)
    r3 = sub.fetch(r2.cursor, [watched(pid)], NOW)

    assert [i.platform_id for i in r1.interactions] == [f"c-{first}"]
    assert r2.interactions == () and r2.cursor == r1.cursor
    assert [(i.platform_id, i.parent_id) for i in r3.interactions] == [(f"c-{late}", f"c-{first}")]


def test_cursor_forgets_posts_no_longer_watched(fake: FakeSubstack, http: httpx.Client) -> None:
    sub = make(fake, http)
    _, _, pid = long_query(fake, sub)
    result = sub.fetch(json.dumps({"note:5": 9, pid: 3}), [watched(pid)], NOW)
    assert json.loads(result.cursor or "") == {pid: 3}


# ---------------------------------------------------------------------------------------------- Notes
def test_note_replies_follow_next_cursor_and_keep_the_reply_tree(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http)
    note = fake.add_note("What tool do you wish existed?")
    users = [fake.add_user(f"U{i}", f"u{i}") for i in range(5)]
    tops = [fake.add_note_reply(note, f"reply {i}", u) for i, u in enumerate(users)]
    nested = fake.add_note_reply(note, "answering u1", users[2], parent=tops[1])
    pid = note_platform_id(note)

    result = sub.fetch(None, [watched(pid)], NOW)

    by_id = {i.platform_id: i for i in result.interactions}
    assert set(by_id) == {f"c-{c}" for c in [*tops, nested]}
    assert {by_id[f"c-{t}"].parent_id for t in tops} == {pid}
    assert by_id[f"c-{nested}"].parent_id == f"c-{tops[1]}"
    assert by_id[f"c-{tops[0]}"].url == f"https://substack.com/@u0/note/c-{tops[0]}"
    assert result.requests == 3  # 5 top-level replies, 2 per page
    cursors = [r.query.get("cursor") for r in fake.requests if r.path.endswith("/replies")]
    assert cursors == [None, ["cur-2"], ["cur-4"]]
    again = sub.fetch(result.cursor, [watched(pid)], NOW)
    assert again.interactions == () and again.requests == 3


def test_idle_poll_costs_one_request_per_post_and_per_reply_page(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http)
    _, _, pid = long_query(fake, sub)
    note = fake.add_note("short query")
    first = sub.fetch(None, [watched(pid), watched(note_platform_id(note))], NOW)
    idle = sub.fetch(first.cursor, [watched(pid), watched(note_platform_id(note))], NOW)
    assert idle.interactions == () and idle.requests == 2


def test_prepare_builds_a_prosemirror_note_with_schema_version_v1(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    spec = PostSpec(text="What slows you down?\n\nReply below.", link="https://example.com/q")
    intent = make(fake, http).prepare("q1", [spec], NOW)
    doc = intent.payload["bodyJson"]
    assert doc["type"] == "doc" and doc["attrs"] == {"schemaVersion": "v1"}
    assert [p["content"][0]["text"] for p in doc["content"]] == [
        "What slows you down?",
        "Reply below.",
        "https://example.com/q",
    ]
    assert doc["content"][2]["content"][0]["marks"] == [
        {"type": "link", "attrs": {"href": "https://example.com/q"}}
    ]
    assert intent.platform == "substack" and intent.query_id == "q1"
    json.dumps(intent.payload)  # storable before the send
    assert fake.requests == []


def test_prepare_refuses_a_thread_and_a_hand_published_long_query(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http)
    with pytest.raises(PublishError, match="cannot be a thread"):
        sub.prepare("q1", [PostSpec(text="one"), PostSpec(text="two")], NOW)
    with pytest.raises(PublishError, match="published by hand"):
        sub.prepare("q2", [], NOW)


def test_send_posts_a_note_with_the_cookie_and_browser_headers_in_one_request(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http)
    intent = sub.prepare("q1", [PostSpec(text="Ask me anything")], NOW)
    seen: list[PublishedPost] = []

    posts = sub.send(intent, seen.append)

    (note_id,) = fake.state.notes
    assert posts == tuple(seen) and len(posts) == 1
    assert posts[0].platform_id == f"note:{note_id}"
    # the answer has no handle: the handle-free permalink, not an extra GET /api/v1/user/profile/self
    assert posts[0].url == f"https://substack.com/note/c-{note_id}"
    assert [(r.method, r.path) for r in fake.requests] == [("POST", "/api/v1/comment/feed")]
    assert fake.state.notes[note_id].body == "Ask me anything"
    post_req = next(r for r in fake.requests if r.method == "POST")
    assert post_req.path == "/api/v1/comment/feed"
    assert post_req.body["bodyJson"]["attrs"]["schemaVersion"] == "v1"
    assert post_req.headers["accept"] == "application/json"
    assert post_req.headers["user-agent"].startswith("Mozilla/5.0")
    assert f"substack.sid={COOKIE}" in post_req.headers["cookie"]


def test_cookie_is_never_sent_to_publication_hosts_or_public_reads(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http)
    _, _, pid = long_query(fake, sub, custom=True)
    sub.fetch(None, [watched(pid), watched(note_platform_id(fake.add_note("n")))], NOW)
    assert fake.requests and all("cookie" not in r.headers for r in fake.requests)


def test_send_without_cookie_says_how_to_get_one_and_sends_nothing(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http, cookie=None)
    intent = sub.prepare("q1", [PostSpec(text="hi")], NOW)
    with pytest.raises(AuthError, match="SQBOT_SUBSTACK_COOKIE") as err:
        sub.send(intent, lambda p: None)
    assert "substack.sid" in str(err.value)
    assert fake.requests == [] and fake.state.notes == {}


def test_expired_cookie_is_an_auth_error_that_never_echoes_the_cookie(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http, cookie="s%3Aexpired-secret")
    intent = sub.prepare("q1", [PostSpec(text="hi")], NOW)
    with pytest.raises(AuthError, match="expired") as err:
        sub.send(intent, lambda p: None)
    assert "expired-secret" not in str(err.value)
    assert fake.state.notes == {}


def test_reconcile_finds_a_note_that_landed(fake: FakeSubstack, http: httpx.Client) -> None:
    sub = make(fake, http)
    fake.state.clock = NOW
    intent = sub.prepare("q1", [PostSpec(text="Did this land?")], NOW)
    posts = sub.send(intent, lambda p: None)
    fresh = make(fake, http)  # a restart: nothing cached
    result = fresh.reconcile(intent)
    assert result.state == "posted" and [p.platform_id for p in result.posts] == [posts[0].platform_id]
    assert result.posts[0].url == f"https://substack.com/@owner/{posts[0].url.split('/', 3)[3]}"
    feed = next(r for r in fake.requests if r.path.startswith("/api/v1/reader/feed/profile/"))
    assert feed.query == {"types": ["note"]}


def test_reconcile_is_absent_only_when_a_later_note_shows_and_unknown_otherwise(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http)
    fake.state.clock = NOW
    intent = sub.prepare("q1", [PostSpec(text="Never sent")], NOW)
    assert sub.reconcile(intent).state == "unknown"  # an empty feed proves nothing
    fake.add_note("a later note")  # dated after the intent was prepared
    assert sub.reconcile(intent).state == "absent"
    no_cookie = make(fake, http, cookie=None).reconcile(intent)
    assert no_cookie.state == "unknown" and "SQBOT_SUBSTACK_COOKIE" in no_cookie.detail


# ---------------------------------------------------------------------------------------------- failures
def test_429_raises_rate_limited_until_retry_after(fake: FakeSubstack, http: httpx.Client) -> None:
    sub = make(fake, http)
    _, _, pid = long_query(fake, sub)
    fake.fail_next("/api/v1/post/", "429", retry_after="120")
    with pytest.raises(RateLimited) as err:
        sub.fetch(None, [watched(pid)], NOW)
    assert err.value.retry_at == NOW + timedelta(seconds=120)
    assert sub.fetch(None, [watched(pid)], NOW).cursor is not None  # the next poll works


def test_429_with_an_http_date_retry_after(fake: FakeSubstack, http: httpx.Client) -> None:
    fake.fail_next("/api/v1/user/", "429", retry_after="Mon, 02 Mar 2026 10:00:00 GMT")
    with pytest.raises(RateLimited) as err:
        make(fake, http).profiles(["5:ann"])
    assert err.value.retry_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_cloudflare_403_page_is_an_auth_error_naming_cloudflare(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http)
    note = fake.add_note("n")
    fake.fail_next("/api/v1/reader/", "cloudflare")
    with pytest.raises(AuthError, match="Cloudflare") as err:
        sub.fetch(None, [watched(note_platform_id(note))], NOW)
    assert "<html" not in str(err.value).lower()


def test_401_json_on_a_read_is_an_auth_error_about_the_cookie(fake: FakeSubstack, http: httpx.Client) -> None:
    fake.fail_next("/api/v1/posts/", "401")
    fake.add_post("x")
    with pytest.raises(AuthError, match="SQBOT_SUBSTACK_COOKIE"):
        make(fake, http).resolve_post(f"{fake.base}/p/x")


def test_server_error_and_dead_host_are_transient(fake: FakeSubstack, http: httpx.Client) -> None:
    sub = make(fake, http)
    fake.add_post("x")
    fake.fail_next("/api/v1/posts/", "500")
    with pytest.raises(TransientError, match="500"):
        sub.resolve_post(f"{fake.base}/p/x")
    dead = SubstackPlatform(http, api_base="http://127.0.0.1:9", cookie=COOKIE, min_interval=0, timeout=2)
    with pytest.raises(TransientError, match="network error"):
        dead.fetch(None, [watched("note:1")], NOW)


def test_at_most_one_request_a_second(fake: FakeSubstack, http: httpx.Client) -> None:
    clock = FakeClock()
    sub = SubstackPlatform(http, api_base=fake.base, cookie=COOKIE, clock=clock, sleep=clock.sleep)
    fake.add_post("x")
    for _ in range(3):
        sub.resolve_post(f"{fake.base}/p/x")
    assert clock.sleeps == [1.0, 1.0]
    clock.t += 5  # a long pause needs no wait
    sub.resolve_post(f"{fake.base}/p/x")
    assert clock.sleeps == [1.0, 1.0]


# ---------------------------------------------------------------------------------------------- profiles
def test_profiles_enrich_bio_publication_subscribers_and_linked_x_account(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    ann = fake.add_user(
        "Ann", "ann", bio="Builds tools", twitter="ann_x", subdomain="annwrites", subscribers=1234
    )
    (identity,) = make(fake, http).profiles([f"{ann.id}:ann"])
    assert identity.user_id == str(ann.id) and identity.handle == "ann" and identity.bio == "Builds tools"
    assert identity.followers == 1234
    assert identity.links == (("x", "ann_x"), ("substack_publication", "https://annwrites.substack.com"))
    assert identity.url == "https://substack.com/@ann"


def test_profiles_accept_bare_ids_seen_in_fetch_and_skip_what_cannot_be_looked_up(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    sub = make(fake, http)
    post_id, _, pid = long_query(fake, sub)
    bob = fake.add_user("Bob", "bob")
    fake.add_comment(post_id, "hi", bob)
    sub.fetch(None, [watched(pid)], NOW)
    before = len(fake.requests)
    found = sub.profiles([str(bob.id), "999", "7:../../admin", "8:ghost"])
    assert [i.handle for i in found] == ["bob"]
    paths = [r.path for r in fake.requests[before:]]
    assert paths == ["/api/v1/user/bob/public_profile", "/api/v1/user/ghost/public_profile"]


def test_unsafe_handles_from_comments_never_reach_urls(fake: FakeSubstack, http: httpx.Client) -> None:
    sub = make(fake, http)
    note = fake.add_note("n")
    evil = fake.add_user("Eve", "../evil?x=1")
    reply = fake.add_note_reply(note, "<script>alert(1)</script>", evil)
    (item,) = sub.fetch(None, [watched(note_platform_id(note))], NOW).interactions
    assert item.platform_id == f"c-{reply}" and item.author.handle is None and item.url is None
    assert item.text == "<script>alert(1)</script>"  # kept as data; escaping is the renderer's job


# ------------------------------------------------------------------------------ real captured answers
SAMPLES = Path(__file__).parent.parent / "data" / "substack-samples"


def sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text("utf-8"))


def test_a_real_public_profile_gives_handle_bio_subscribers_and_publication(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    fake.serve_json("GET", "/api/v1/user/jakubslys/public_profile", sample("user-public_profile.json"))
    (identity,) = make(fake, http).profiles(["254824415:jakubslys"])
    assert (identity.user_id, identity.handle, identity.name) == ("254824415", "jakubslys", "Jakub Slys 🎖️")
    assert identity.bio is not None and identity.bio.startswith("Ever wonder how Uber")
    assert identity.followers == 88  # subscriberCountNumber: the profile has no follower count
    assert identity.links == (("substack_publication", "https://iam.slys.dev"),)  # no X account linked


def test_a_real_profile_read_by_id_gives_its_subscriber_count(fake: FakeSubstack, http: httpx.Client) -> None:
    fake.serve_json("GET", "/api/v1/user/jennyouyang/public_profile", sample("user-id-profile.json"))
    (identity,) = make(fake, http).profiles(["282291554:jennyouyang"])
    assert identity.handle == "jennyouyang" and identity.followers == 1000 and identity.links == ()


@pytest.mark.parametrize(
    ("links", "account", "expected"),
    [
        (
            [{"id": 1, "value": "ann_x", "url": "https://twitter.com/ann_x", "type": None, "label": "X"}],
            None,
            ["ann_x"],
        ),
        ([{"id": 1, "value": "site", "url": "https://ann.example", "type": None, "label": "Site"}], None, []),
        ([], "ann_x", ["ann_x"]),
        ([], {"screen_name": "@ann_x"}, ["ann_x"]),
        ([], {"screen_name": "not a handle!"}, []),
    ],
)
def test_a_linked_x_account_comes_from_user_links_or_twitter_account(
    fake: FakeSubstack, http: httpx.Client, links: list[Any], account: Any, expected: list[str]
) -> None:
    profile = {**sample("user-public_profile.json"), "userLinks": links, "twitterAccount": account}
    fake.serve_json("GET", "/api/v1/user/jakubslys/public_profile", profile)
    (identity,) = make(fake, http).profiles(["254824415:jakubslys"])
    assert [name for kind, name in identity.links if kind == "x"] == expected


def test_the_real_answer_to_posting_a_note_is_read_without_a_profile_lookup(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    fake.serve_json("POST", "/api/v1/comment/feed", sample("note-post-response.json"))
    sub = make(fake, http)
    (post,) = sub.send(sub.prepare("q1", [PostSpec(text="test")], NOW), lambda p: None)
    assert post.platform_id == "note:131719084" and post.url == "https://substack.com/note/c-131719084"
    assert [r.path for r in fake.requests] == ["/api/v1/comment/feed"]


def test_reconcile_finds_a_note_in_a_real_types_note_feed(fake: FakeSubstack, http: httpx.Client) -> None:
    feed = sample("feed-profile-types-note.json")
    note = next(i["comment"] for i in feed["items"] if i["comment"]["id"] == 131092466)
    fake.serve_json("GET", "/api/v1/user/profile/self", {"id": 343074721, "handle": "angelsant"})
    fake.serve_json("GET", "/api/v1/reader/feed/profile/343074721", feed)
    sub = make(fake, http)
    intent = sub.prepare("q1", [PostSpec(text=note["body"])], datetime(2025, 7, 1, 16, 37, tzinfo=UTC))
    result = sub.reconcile(intent)
    assert result.state == "posted"
    assert result.posts[0].platform_id == "note:131092466"
    assert result.posts[0].url == "https://substack.com/@angelsant/note/c-131092466"


def test_a_real_note_comment_is_filed_with_its_author_and_permalink(
    fake: FakeSubstack, http: httpx.Client
) -> None:
    comment = sample("reader-comment.json")["item"]["comment"]
    page = {"commentBranches": [{"comment": comment, "descendantComments": []}], "nextCursor": None}
    fake.serve_json("GET", "/api/v1/reader/comment/77/replies", page)
    (item,) = make(fake, http).fetch(None, [watched(note_platform_id(77))], NOW).interactions
    assert item.platform_id == "c-131648795" and item.parent_id == "note:77"
    assert (item.author.user_id, item.author.handle) == ("254824415", "jakubslys")
    assert item.url == "https://substack.com/@jakubslys/note/c-131648795"
    assert item.text.startswith("🧨 DO YOU KNOW WHAT REAL AUTOMATION LOOKS LIKE?")
    assert item.created_at == datetime(2025, 7, 3, 8, 53, 4, 146000, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------- bounded reads
@pytest.mark.parametrize(
    "post_url",
    [
        "http://169.254.169.254/p/latest",
        "http://10.1.2.3/p/slug",
        "http://localhost:8080/p/slug",
        "http://[::ffff:127.0.0.1]/p/slug",
    ],
)
def test_a_post_url_on_an_internal_host_is_refused_before_any_request(
    fake: FakeSubstack, http: httpx.Client, post_url: str
) -> None:
    with pytest.raises(PlatformError, match="not a public web address"):
        make(fake, http).resolve_post(post_url)
    assert fake.requests == []


def test_the_answer_never_picks_the_host_polled_from_then_on(fake: FakeSubstack, http: httpx.Client) -> None:
    """The post JSON names another host as canonical: the host polled stays the one the post URL named."""
    post = fake.add_post("hello")
    fake.state.posts["hello"]["canonical_url"] = "http://169.254.169.254/p/hello"
    sub = make(fake, http)
    post_id, canonical = sub.resolve_post(f"{fake.base}/p/hello")
    assert (post_id, canonical) == (post["id"], f"{fake.base}/p/hello")
    fake.add_comment(post_id, "still polled at home", fake.add_user("Ann", "ann"))
    result = sub.fetch(None, [watched(post_platform_id(post_id, canonical))], NOW)
    assert [i.text for i in result.interactions] == ["still polled at home"]
    assert {r.host for r in fake.requests} == {fake.base[7:]}


class _Huge(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(400 * 1024 * 1024))
        self.end_headers()
        block = b'{"comments": [' + b" " * (1024 * 1024 - 14)
        try:
            self.wfile.write(block)
            for _ in range(399):
                self.wfile.write(b" " * (1024 * 1024))
        except OSError:
            pass  # the client stopped at its cap

    def log_message(self, *args: Any) -> None:
        pass


def test_a_400_mb_comments_answer_is_cut_at_the_cap_with_memory_bounded(http: httpx.Client) -> None:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Huge)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    try:
        sub = SubstackPlatform(http, api_base=base, min_interval=0, timeout=30)
        tracemalloc.start()
        try:
            with pytest.raises(PlatformError, match="larger than 32 MB"):
                sub.fetch(None, [watched(post_platform_id(1, f"{base}/p/big"))], NOW)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 120 * 1024 * 1024, f"peak {peak / 1024 / 1024:.0f} MB"
    finally:
        srv.shutdown()
        srv.server_close()
