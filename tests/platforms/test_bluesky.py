"""Bluesky end to end on a REAL local network (PLC + PDS + AppView): `sqbot post` and `sqbot poll` as a user
runs them, other accounts replying through the atproto SDK."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from atproto import client_utils, models
from bsky_net.harness import Account, NetworkInfo, create_account, login_client, process_all, wait_until

pytestmark = pytest.mark.bsky

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
    b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


class _Page(BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 (one test server per module)

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        port = self.server.server_address[1]
        if self.path == "/thumb.png":
            body, ctype = PNG, "image/png"
        elif self.path == "/moved":  # a public page that redirects to this machine
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{port}/internal")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        elif self.path == "/internal":
            body, ctype = b"<html><head><title>Internal admin console</title></head></html>", "text/html"
        elif self.path == "/inward-image":  # a public page whose og:image is on this machine
            body = (
                b"<html><head><meta property='og:title' content='Outside page'>"
                + f"<meta property='og:image' content='http://127.0.0.1:{port}/thumb.png'>".encode()
                + b"</head></html>"
            )
            ctype = "text/html"
        else:
            body = (
                b"<html><head><meta property='og:title' content='The essay &amp; its question'>"
                b"<meta property='og:description' content='Long form.'>"
                b"<meta property='og:image' content='/thumb.png'></head><body>hi</body></html>"
            )
            ctype = "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def page_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/essay"
    server.shutdown()


@dataclass
class World:
    net: NetworkInfo
    owner: Account
    b: Account
    c: Account
    home: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
        env.update(
            SQBOT_DATA_DIR=str(self.home / "data"),
            SQBOT_QUEUE=str(self.home / "queries"),
            SQBOT_SANDBOX="0",
            SQBOT_BLUESKY_HANDLE=self.owner.handle,
            SQBOT_BLUESKY_APP_PASSWORD=self.owner.password,
            SQBOT_BLUESKY_PDS_URL=self.net.pds,
        )
        env.update(extra)
        return env

    def sqbot(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=self.home,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def own_posts(self) -> list[dict[str, Any]]:
        r = httpx.get(
            f"{self.net.pds}/xrpc/com.atproto.repo.listRecords",
            params={"repo": self.owner.did, "collection": "app.bsky.feed.post", "limit": 100},
            timeout=10,
        )
        r.raise_for_status()
        return list(r.json()["records"])

    def db(self) -> Any:
        import sqlite3

        con = sqlite3.connect(self.home / "data" / "sqbot.db")
        con.row_factory = sqlite3.Row
        return con


@pytest.fixture
def world(bsky_net: NetworkInfo, tmp_path: Path) -> World:
    (tmp_path / "queries").mkdir()
    return World(
        bsky_net,
        create_account(bsky_net, "owner"),
        create_account(bsky_net, "bea"),
        create_account(bsky_net, "cal"),
        tmp_path,
    )


# `validate` refuses links to this machine, so the queued thread links a public-looking page (the card falls back
# to the title: there is no DNS here); the card fetch itself is tested in process with a loopback stand-in below
LINK = "https://essay.invalid/long-form"


def write_query(w: World, page_url: str, qid: str = "tools-question") -> None:
    (w.home / "queries" / "images").mkdir(exist_ok=True)
    (w.home / "queries" / "images" / "dot.png").write_bytes(PNG)
    (w.home / "queries" / f"{qid}.yaml").write_text(
        f"""id: {qid}
title: Which tools for open-ended research?
platforms: [bluesky]
langs: [en]
thread:
  - "Which tools do you use for open-ended research? 🧵 cc @{w.b.handle} #openendedness https://example.org/x"
  - text: "Our diagram:"
    images: [{{path: images/dot.png, alt: "A single dot standing in for a diagram"}}]
  - text: "The long form:"
    link: {LINK}
""",
        encoding="utf-8",
    )


def root_ref(w: World, qid: str = "tools-question") -> models.ComAtprotoRepoStrongRef.Main:
    with w.db() as con:
        row = con.execute("SELECT platform_id, cid FROM posts WHERE query_id=? AND idx=0", (qid,)).fetchone()
    return models.ComAtprotoRepoStrongRef.Main(uri=row["platform_id"], cid=row["cid"])


def test_a_thread_is_posted_once_with_facets_image_and_link_card(world: World, page_url: str) -> None:
    write_query(world, page_url)
    first = world.sqbot("post")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "posted" in first.stdout
    second = world.sqbot("post")
    assert second.stdout.strip() == "nothing due", second.stdout + second.stderr
    records = sorted(world.own_posts(), key=lambda r: r["value"]["createdAt"])
    assert len(records) == 3
    root, mid, last = (r["value"] for r in records)
    text = root["text"]
    features = {f["features"][0]["$type"].rsplit("#", 1)[1]: f for f in root["facets"]}
    mention = features["mention"]
    b = text.encode()[mention["index"]["byteStart"] : mention["index"]["byteEnd"]].decode()
    assert b == f"@{world.b.handle}" and mention["features"][0]["did"] == world.b.did
    assert features["tag"]["features"][0]["tag"] == "openendedness"
    assert features["link"]["features"][0]["uri"] == "https://example.org/x"
    assert root["langs"] == ["en"]
    assert (
        mid["reply"]["root"]["uri"] == records[0]["uri"]
        and mid["reply"]["parent"]["cid"] == records[0]["cid"]
    )
    assert last["reply"]["parent"]["uri"] == records[1]["uri"]
    assert mid["embed"]["images"][0]["alt"] == "A single dot standing in for a diagram"
    card = last["embed"]["external"]
    assert card["uri"] == LINK and card["title"] == "Which tools for open-ended research?"
    assert "thumb" not in card
    session = world.home / "data" / "bluesky.session"
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert world.owner.password not in session.read_text()


def test_the_link_card_reads_a_public_page_but_never_a_redirect_or_image_on_this_machine(
    bsky_net: NetworkInfo, tmp_path: Path, page_url: str
) -> None:
    """In process against the real PDS (the thumbnail is uploaded there): `public.test` is the loopback page
    standing in for a public site (the test-only policy allows that first hop only); a redirect from it to
    127.0.0.1 and an og:image on 127.0.0.1 are refused, and the card falls back to the query's title."""
    from datetime import UTC, datetime

    from bot.models import PostSpec
    from bot.platforms.bluesky.adapter import BlueskyPlatform
    from bot.platforms.bluesky.xrpc import Xrpc
    from bot.safety.fetch import FetchPolicy

    port = int(page_url.split(":")[2].split("/")[0])
    owner = create_account(bsky_net, "cards")

    def resolve(host: str, _port: int) -> list[str]:
        if host != "public.test":
            raise OSError(f"no such host {host}")
        return ["127.0.0.1"]

    with httpx.Client(follow_redirects=False) as http:
        xrpc = Xrpc(
            http,
            pds_url=bsky_net.pds,
            handle=owner.handle,
            password=owner.password,
            session_path=tmp_path / "bluesky.session",
        )
        p = BlueskyPlatform(
            xrpc,
            fetch_cards=True,
            card_policy=FetchPolicy(allow_hosts=frozenset({"public.test"})),
            card_resolve=resolve,
        )
        now = datetime.now(UTC)

        def card(path: str) -> dict[str, Any]:
            link = f"http://public.test:{port}{path}"
            intent = p.prepare("q1", [PostSpec("read this", link=link, title="Our title")], now)
            external: dict[str, Any] = intent.payload["writes"][0]["record"]["embed"]["external"]
            return external

        good = card("/essay")
        assert good["title"] == "The essay & its question" and good["description"] == "Long form."
        assert good["thumb"]["mimeType"] == "image/png"  # uploaded to the real PDS

        _Page.hits.clear()
        moved = card("/moved")
        assert moved == {"uri": f"http://public.test:{port}/moved", "title": "Our title", "description": ""}
        assert _Page.hits == ["/moved"], "the redirect to 127.0.0.1 was never followed"

        _Page.hits.clear()
        inward = card("/inward-image")
        assert inward["title"] == "Outside page" and "thumb" not in inward
        assert _Page.hits == ["/inward-image"], "the image on 127.0.0.1 was never fetched"


def test_poll_files_replies_mentions_quotes_once_and_an_idle_poll_is_one_request(
    world: World, page_url: str
) -> None:
    write_query(world, page_url)
    assert world.sqbot("post").returncode == 0
    net = world.net
    root = root_ref(world)
    wait_until(
        lambda: (
            httpx.get(f"{net.appview}/xrpc/app.bsky.feed.getPosts", params={"uris": [root.uri]}, timeout=5)
            .json()
            .get("posts")
        ),
        what="the AppView indexing our root",
    )
    b, c = login_client(net, world.b), login_client(net, world.c)
    ref = models.AppBskyFeedPost.ReplyRef(root=root, parent=root)
    b_reply = b.send_post("Try the Cooperative AI Foundation, and ask Ana Lima", reply_to=ref)
    process_all(net)
    b_ref = models.create_strong_ref(b_reply)
    c.send_post(
        "Seconding this, Ana is great", reply_to=models.AppBskyFeedPost.ReplyRef(root=root, parent=b_ref)
    )
    c.send_post("<script>alert(1)</script> nice thread", reply_to=ref)
    mention = (
        client_utils.TextBuilder()
        .text("Asking ")
        .mention(f"@{world.owner.handle}", world.owner.did)
        .text(" about tools")
    )
    c.send_post(mention)
    b.send_post("Worth answering", embed=models.AppBskyEmbedRecord.Main(record=root))
    process_all(net)

    first = world.sqbot("poll")
    assert first.returncode == 0, first.stderr
    with world.db() as con:
        rows = con.execute(
            "SELECT kind, text, query_id, author_user_id FROM interactions ORDER BY created_at"
        ).fetchall()
        people = {r["user_id"] for r in con.execute("SELECT user_id FROM identities")}
        bios = {
            r["handle"]
            for r in con.execute("SELECT handle FROM identities WHERE profile_fetched_at IS NOT NULL")
        }
    kinds = sorted((r["kind"], r["author_user_id"]) for r in rows)
    assert kinds == sorted(
        [
            ("reply", world.b.did),
            ("reply", world.c.did),
            ("reply", world.c.did),
            ("mention", world.c.did),
            ("quote", world.b.did),
        ]
    )
    assert people == {world.b.did, world.c.did}
    assert bios == {world.b.handle, world.c.handle}
    assert {r["query_id"] for r in rows if r["kind"] != "mention"} == {"tools-question"}
    assert any(r["text"] == "<script>alert(1)</script> nice thread" for r in rows)

    idle = world.sqbot("poll")
    assert "0 new interaction(s)" in idle.stdout, idle.stdout
    assert "1 request(s)" in idle.stdout, idle.stdout
    with world.db() as con:
        assert con.execute("SELECT COUNT(*) FROM interactions").fetchone()[0] == 5


def test_a_crash_right_after_apply_writes_is_reconciled_and_the_thread_exists_once(
    world: World, page_url: str
) -> None:
    write_query(world, page_url)
    crashed = world.sqbot("post", SQBOT_CRASH_AT="platform-answered")
    assert crashed.returncode == 137, crashed.stdout + crashed.stderr
    assert len(world.own_posts()) == 3  # the PDS has it; our store does not know yet
    with world.db() as con:
        assert con.execute("SELECT status FROM outbox").fetchone()["status"] == "sending"
    after = world.sqbot("post")
    assert after.returncode == 0, after.stdout + after.stderr
    assert "found on the platform" in after.stdout
    assert len(world.own_posts()) == 3
    with world.db() as con:
        assert [r["status"] for r in con.execute("SELECT status FROM posts ORDER BY idx")] == ["posted"] * 3


def test_a_crash_before_the_call_resends_the_same_bytes_once(world: World, page_url: str) -> None:
    write_query(world, page_url)
    crashed = world.sqbot("post", SQBOT_CRASH_AT="intent-stored")
    assert crashed.returncode == 137
    assert world.own_posts() == []
    with world.db() as con:
        intent = json.loads(con.execute("SELECT intent FROM outbox").fetchone()["intent"])
    assert world.sqbot("post").returncode == 0
    records = world.own_posts()
    assert len(records) == 3
    assert {r["cid"] for r in records} == {w["cid"] for w in intent["writes"]}


def test_two_threads_posted_in_one_run_never_share_a_record_key(world: World) -> None:
    # q15 and q16 hash to the same 10-bit TID clock id; posted in one run they are prepared at one `now`, and
    # once shared their record keys: q16's create then landed on q15's records (CI, 2026-12-07)
    import hashlib

    assert len({int(hashlib.sha256(q.encode()).hexdigest(), 16) % 1024 for q in ("q15", "q16")}) == 1
    for qid in ("q15", "q16"):
        (world.home / "queries" / f"{qid}.yaml").write_text(
            f'id: {qid}\nplatforms: [bluesky]\nthread:\n  - "{qid} first"\n  - "{qid} second"\n',
            encoding="utf-8",
        )
    done = world.sqbot("post")
    assert done.returncode == 0, done.stdout + done.stderr
    texts = sorted(r["value"]["text"] for r in world.own_posts())
    assert texts == ["q15 first", "q15 second", "q16 first", "q16 second"]
    with world.db() as con:
        statuses = [r["status"] for r in con.execute("SELECT status FROM outbox ORDER BY query_id")]
        assert statuses == ["posted", "posted"]
        keys = [r["platform_id"] for r in con.execute("SELECT platform_id FROM posts WHERE status='posted'")]
    assert len(keys) == len(set(keys)) == 4


def test_an_unresolvable_mention_is_posted_as_plain_text_with_a_warning(world: World) -> None:
    (world.home / "queries" / "q.yaml").write_text(
        f"id: bad-mention\nplatforms: [bluesky]\ntext: 'ask @nobody-here.test and @{world.b.handle} #tag'\n",
        encoding="utf-8",
    )
    r = world.sqbot("post")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "@nobody-here.test in Bluesky post 1 does not resolve" in r.stderr
    [record] = [p["value"] for p in world.own_posts()]
    assert record["text"] == f"ask @nobody-here.test and @{world.b.handle} #tag"
    kinds = sorted(f["features"][0]["$type"].rsplit("#", 1)[1] for f in record["facets"])
    assert kinds == ["mention", "tag"]  # the resolvable mention is kept, the other is plain text
    mention = next(f for f in record["facets"] if "did" in f["features"][0])
    assert mention["features"][0]["did"] == world.b.did


def test_a_deleted_reply_is_marked_not_lost(world: World, page_url: str) -> None:
    write_query(world, page_url)
    assert world.sqbot("post").returncode == 0
    root = root_ref(world)
    b = login_client(world.net, world.b)
    reply = b.send_post(
        "I will take this back", reply_to=models.AppBskyFeedPost.ReplyRef(root=root, parent=root)
    )
    process_all(world.net)
    assert world.sqbot("poll").returncode == 0
    b.delete_post(reply.uri)
    process_all(world.net)
    later = world.sqbot("--now", "+16m", "poll")  # the next thread crawl (fresh queries: every 15 min)
    assert later.returncode == 0, later.stderr
    with world.db() as con:
        row = con.execute("SELECT text, deleted FROM interactions").fetchone()
    assert row["text"] == "I will take this back" and row["deleted"] == 1


def test_a_wrong_app_password_is_reported_once_and_not_retried(world: World) -> None:
    (world.home / "queries" / "q.yaml").write_text(
        "id: q\nplatforms: [bluesky]\ntext: 'hello'\n", encoding="utf-8"
    )
    first = world.sqbot("post", SQBOT_BLUESKY_APP_PASSWORD="wrong-password-1")
    assert "login as @" in first.stdout and "refused" in first.stdout
    second = world.sqbot("post", SQBOT_BLUESKY_APP_PASSWORD="wrong-password-1")
    assert "rejected earlier" in second.stdout
    fixed = world.sqbot("post")
    assert fixed.returncode == 0 and "posted" in fixed.stdout
