"""Bluesky error paths the real server cannot be made to produce on demand (httpx.MockTransport)."""

from __future__ import annotations

import base64
import json
import logging
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.errors import AuthError, RateLimited, TransientError
from bot.models import PostSpec
from bot.platforms.bluesky.adapter import BlueskyPlatform, crawl_due
from bot.platforms.bluesky.cards import parse_opengraph
from bot.platforms.bluesky.xrpc import Xrpc

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DID = "did:plc:testowner"


def jwt(exp: datetime) -> str:
    def b(d: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")

    return f"{b({'alg': 'none'})}.{b({'exp': int(exp.timestamp()), 'sub': DID})}.sig"


class FakePds:
    """Just enough XRPC to drive the adapter's error handling."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.sessions = 0
        self.password_ok = True
        self.on: dict[str, Callable[[httpx.Request], httpx.Response]] = {}
        self.access_exp = NOW + timedelta(hours=2)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        nsid = request.url.path.rsplit("/", 1)[-1]
        self.calls.append(nsid)
        if nsid in self.on:
            return self.on[nsid](request)
        if nsid == "com.atproto.server.createSession":
            self.sessions += 1
            if not self.password_ok:
                return httpx.Response(
                    401, json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
                )
            return httpx.Response(
                200,
                json={
                    "did": DID,
                    "handle": "me.test",
                    "accessJwt": jwt(self.access_exp),
                    "refreshJwt": jwt(NOW + timedelta(days=90)),
                },
            )
        if nsid == "com.atproto.server.refreshSession":
            return httpx.Response(
                200,
                json={
                    "did": DID,
                    "handle": "me.test",
                    "accessJwt": jwt(NOW + timedelta(hours=4)),
                    "refreshJwt": jwt(NOW + timedelta(days=91)),
                },
            )
        if nsid == "com.atproto.identity.resolveHandle":
            return httpx.Response(
                400, json={"error": "InvalidRequest", "message": "Unable to resolve handle"}
            )
        return httpx.Response(404, json={"error": "MethodNotImplemented"})


def make(
    tmp_path: Path, pds: FakePds, *, web: httpx.BaseTransport | None = None, now: datetime = NOW
) -> BlueskyPlatform:
    http = httpx.Client(transport=httpx.MockTransport(pds))
    xrpc = Xrpc(
        http,
        pds_url="https://pds.test",
        handle="me.test",
        password="app-pass-1234",
        session_path=tmp_path / "bluesky.session",
        clock=lambda: now,
    )
    return BlueskyPlatform(xrpc, fetch_cards=web is not None, card_transport=web)


def test_the_session_is_persisted_owner_only_and_reused_without_a_new_login(tmp_path: Path) -> None:
    pds = FakePds()
    make(tmp_path, pds).xrpc.session()
    mode = stat.S_IMODE((tmp_path / "bluesky.session").stat().st_mode)
    assert mode == 0o600
    assert "app-pass-1234" not in (tmp_path / "bluesky.session").read_text()
    make(tmp_path, pds).xrpc.session()
    assert pds.sessions == 1


def test_an_access_token_near_expiry_is_refreshed_and_the_rotated_pair_persisted(tmp_path: Path) -> None:
    pds = FakePds()
    make(tmp_path, pds).xrpc.session()
    make(tmp_path, pds, now=NOW + timedelta(hours=1, minutes=57)).xrpc.session()
    saved = json.loads((tmp_path / "bluesky.session").read_text())
    assert "com.atproto.server.refreshSession" in pds.calls and pds.sessions == 1
    assert saved["accessJwt"] == jwt(NOW + timedelta(hours=4))


def test_a_rejected_password_is_reported_once_and_not_retried_until_it_changes(tmp_path: Path) -> None:
    pds = FakePds()
    pds.password_ok = False
    with pytest.raises(AuthError, match="App passwords"):
        make(tmp_path, pds).xrpc.session()
    with pytest.raises(AuthError, match="rejected earlier"):
        make(tmp_path, pds).xrpc.session()
    assert pds.sessions == 1  # never looped


def test_429_defers_until_the_ratelimit_reset_header(tmp_path: Path) -> None:
    pds = FakePds()
    reset = int((NOW + timedelta(minutes=7)).timestamp())
    pds.on["com.atproto.repo.applyWrites"] = lambda r: httpx.Response(
        429,
        headers={"ratelimit-reset": str(reset), "ratelimit-remaining": "0"},
        json={"error": "RateLimitExceeded"},
    )
    p = make(tmp_path, pds)
    intent = p.prepare("q1", [PostSpec("hello")], NOW)
    with pytest.raises(RateLimited) as e:
        p.send(intent, lambda post: None)
    assert e.value.retry_at == NOW + timedelta(minutes=7)


def test_a_500_on_write_is_an_unknown_outcome_not_a_failure(tmp_path: Path) -> None:
    pds = FakePds()
    pds.on["com.atproto.repo.applyWrites"] = lambda r: httpx.Response(
        500, json={"error": "InternalServerError"}
    )
    p = make(tmp_path, pds)
    with pytest.raises(TransientError, match="outcome unknown"):
        p.send(p.prepare("q1", [PostSpec("hello")], NOW), lambda post: None)


def test_a_timeout_is_an_unknown_outcome(tmp_path: Path) -> None:
    pds = FakePds()

    def hang(r: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=r)

    pds.on["com.atproto.repo.applyWrites"] = hang
    p = make(tmp_path, pds)
    with pytest.raises(TransientError, match="timed out"):
        p.send(p.prepare("q1", [PostSpec("hello")], NOW), lambda post: None)


def test_reconcile_tells_posted_absent_and_different(tmp_path: Path) -> None:
    pds = FakePds()
    p = make(tmp_path, pds)
    intent = p.prepare("q1", [PostSpec("one"), PostSpec("two")], NOW)
    writes = intent.payload["writes"]
    store: dict[str, str] = {}

    def get_record(r: httpx.Request) -> httpx.Response:
        rkey = r.url.params["rkey"]
        if rkey not in store:
            return httpx.Response(400, json={"error": "RecordNotFound", "message": "Could not locate record"})
        return httpx.Response(
            200, json={"uri": f"at://{DID}/app.bsky.feed.post/{rkey}", "cid": store[rkey], "value": {}}
        )

    pds.on["com.atproto.repo.getRecord"] = get_record
    assert p.reconcile(intent).state == "absent"
    store.update({w["rkey"]: w["cid"] for w in writes})
    done = p.reconcile(intent)
    assert done.state == "posted" and [x.cid for x in done.posts] == [w["cid"] for w in writes]
    store[writes[1]["rkey"]] = "bafyreisomethingelse"
    assert p.reconcile(intent).state == "unknown"


def test_a_thread_is_prepared_with_reply_refs_pointing_at_computed_cids(tmp_path: Path) -> None:
    p = make(tmp_path, FakePds())
    intent = p.prepare("q1", [PostSpec("one"), PostSpec("two"), PostSpec("three")], NOW)
    w = intent.payload["writes"]
    assert w[1]["record"]["reply"]["root"]["cid"] == w[0]["cid"]
    assert w[2]["record"]["reply"]["parent"]["cid"] == w[1]["cid"]
    assert w[2]["record"]["reply"]["root"]["uri"].endswith(w[0]["rkey"])
    assert len({x["rkey"] for x in w}) == 3
    assert all(x["record"]["createdAt"].startswith("2026-12-01T09:00:00.") for x in w)


def test_an_unresolvable_mention_is_posted_as_plain_text_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    p = make(tmp_path, FakePds())
    with caplog.at_level(logging.WARNING, logger="sqbot.bluesky"):
        intent = p.prepare("q1", [PostSpec("ask @nobody.test about #it")], NOW)
    record = intent.payload["writes"][0]["record"]
    assert record["text"] == "ask @nobody.test about #it"
    assert [f["features"][0]["$type"] for f in record["facets"]] == ["app.bsky.richtext.facet#tag"]
    assert "@nobody.test in Bluesky post 1 does not resolve" in caplog.text


def test_a_link_card_falls_back_to_the_url_and_query_title_when_the_page_is_down(tmp_path: Path) -> None:
    def down(r: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=r)

    web = httpx.MockTransport(down)
    p = make(tmp_path, FakePds(), web=web)
    intent = p.prepare(
        "q1", [PostSpec("read this", link="https://example.org/essay", title="The essay")], NOW
    )
    card = intent.payload["writes"][0]["record"]["embed"]["external"]
    assert card == {"uri": "https://example.org/essay", "title": "The essay", "description": ""}


def test_opengraph_tags_are_read_and_unescaped() -> None:
    page = (
        '<html><head><meta property="og:title" content="A &amp; B">'
        "<meta name='description' content='desc'><meta property=\"og:image\" content=\"/i.png\"></head>"
    )
    assert parse_opengraph(page) == {
        "og:title": "A & B",
        "description": "desc",
        "og:image": "/i.png",
        "og:description": "desc",
    }


def test_thread_crawls_slow_down_as_a_query_ages() -> None:
    posted = NOW
    assert crawl_due(posted, None, NOW)
    assert not crawl_due(posted, NOW, NOW + timedelta(minutes=10))
    assert crawl_due(posted, NOW, NOW + timedelta(minutes=15))
    old = NOW - timedelta(days=5)
    assert not crawl_due(old, NOW, NOW + timedelta(hours=5))
    assert crawl_due(old, NOW, NOW + timedelta(hours=6))


def test_opengraph_reads_unquoted_attributes_a_quoted_angle_bracket_and_the_first_title() -> None:
    page = (
        "<html><head><title>Plain &lt;title&gt;</title><meta property=og:image content=/i.png>"
        '<meta content="a > b &quot;quoted&quot;" property="og:description"></head>'
        "<body><svg><title>icon</title></svg></body></html>"
    )
    assert parse_opengraph(page) == {
        "og:image": "/i.png",
        "og:description": 'a > b "quoted"',
        "og:title": "Plain <title>",
    }


def test_a_post_url_is_built_only_from_a_record_key_the_spec_allows(tmp_path: Path) -> None:
    p = make(tmp_path, FakePds())
    ok = p._url("a.test", "at://did:plc:abc/app.bsky.feed.post/3kabc2xyz2222")
    assert ok == "https://bsky.app/profile/a.test/post/3kabc2xyz2222"
    bad = p._url("a.test", "at://did:plc:abc/app.bsky.feed.post/..")
    assert bad == "https://bsky.app/profile/a.test"
