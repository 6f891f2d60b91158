"""`sqbot leads reply` on a REAL local Bluesky network: someone answers our query, we poll, and the follow-up
is posted into that person's thread (root = our query's post, parent = their reply, with the CIDs the
network has), exactly once even when the process is killed at each labelled crash point. A referred person
who never spoke is mentioned (a mention facet with their DID) in a reply to the referring post. Our own
follow-ups are never polled back as replies; the person becomes `contacted`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from atproto import models
from bsky_net.harness import Account, NetworkInfo, create_account, login_client, process_all, wait_until

pytestmark = pytest.mark.bsky


@dataclass
class World:
    net: NetworkInfo
    owner: Account
    bea: Account
    dan: Account
    home: Path

    def sqbot(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
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
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=self.home,
            env=env,
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

    def db(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.home / "data" / "sqbot.db")
        con.row_factory = sqlite3.Row
        return con


@pytest.fixture
def world(bsky_net: NetworkInfo, tmp_path: Path) -> World:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "q.yaml").write_text(
        "id: tools-question\ntitle: Which tools for open-ended research?\nplatforms: [bluesky]\n"
        'text: "Which tools do you use for open-ended research?"\n',
        encoding="utf-8",
    )
    w = World(
        bsky_net,
        create_account(bsky_net, "owner"),
        create_account(bsky_net, "bea"),
        create_account(bsky_net, "dan"),
        tmp_path,
    )
    assert w.sqbot("post").returncode == 0
    return w


def _answered(w: World) -> tuple[models.ComAtprotoRepoStrongRef.Main, Any, Any]:
    """Our query is posted; Bea offers to talk and, in a second reply, points to Dan. Polled."""
    with w.db() as con:
        row = con.execute("SELECT platform_id, cid FROM posts WHERE query_id='tools-question'").fetchone()
    root = models.ComAtprotoRepoStrongRef.Main(uri=row["platform_id"], cid=row["cid"])
    wait_until(
        lambda: (
            httpx.get(f"{w.net.appview}/xrpc/app.bsky.feed.getPosts", params={"uris": [root.uri]}, timeout=5)
            .json()
            .get("posts")
        ),
        what="the AppView indexing our root",
    )
    bea = login_client(w.net, w.bea)
    ref = models.AppBskyFeedPost.ReplyRef(root=root, parent=root)
    offer = bea.send_post("Happy to chat about this, DM me any time!", reply_to=ref)
    referral = bea.send_post(f"You should really talk to @{w.dan.handle}, she built one.", reply_to=ref)
    process_all(w.net)
    polled = w.sqbot("poll")
    assert polled.returncode == 0 and "2 new interaction(s)" in polled.stdout, polled.stdout + polled.stderr
    return root, offer, referral


def _replies_by_us(w: World) -> list[dict[str, Any]]:
    return [
        r
        for r in w.own_posts()
        if (r["value"].get("reply") or {}).get("parent", {}).get("uri", "").find(w.bea.did) > 0
    ]


@pytest.mark.parametrize("label", ["none", "intent-stored", "platform-answered"])
def test_leads_reply_posts_once_into_the_repliers_thread_even_after_a_crash(world: World, label: str) -> None:
    root, offer, _referral = _answered(world)
    who = f"@{world.bea.handle}"
    if label != "none":
        crashed = world.sqbot("leads", "reply", who, "--draft", SQBOT_CRASH_AT=label)
        assert crashed.returncode == 137, crashed.stdout + crashed.stderr
        assert len(_replies_by_us(world)) == (1 if label == "platform-answered" else 0)
    sent = world.sqbot("leads", "reply", who, "--draft")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "follow-up posted on bluesky" in sent.stdout

    ours = _replies_by_us(world)
    assert len(ours) == 1  # exactly once
    record = ours[0]["value"]
    assert record["reply"]["root"] == {"uri": root.uri, "cid": root.cid}
    assert record["reply"]["parent"] == {"uri": offer.uri, "cid": offer.cid}
    assert record["text"].startswith("Thank you! I'd love to take you up on that.") or record[
        "text"
    ].startswith("Thank you, ")
    with world.db() as con:
        pid = con.execute("SELECT person_id FROM identities WHERE user_id=?", (world.bea.did,)).fetchone()[0]
        f = con.execute("SELECT * FROM followups WHERE person_id=?", (pid,)).fetchone()
        status = con.execute("SELECT status FROM people WHERE id=?", (pid,)).fetchone()[0]
        before = con.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
    assert f["post_id"] == ours[0]["uri"] and f["reply_to"] == offer.uri and f["posted_at"]
    assert status == "contacted"

    process_all(world.net)
    again = world.sqbot("poll")
    assert again.returncode == 0, again.stderr
    with world.db() as con:  # our follow-up is outbound: never filed as a reply
        assert con.execute("SELECT COUNT(*) FROM interactions").fetchone()[0] == before
        assert (
            con.execute(
                "SELECT COUNT(*) FROM interactions WHERE author_user_id=?", (world.owner.did,)
            ).fetchone()[0]
            == 0
        )


def test_a_referred_person_is_mentioned_in_the_referrers_thread(world: World) -> None:
    root, _offer, referral = _answered(world)
    draft = world.sqbot("leads", "draft", f"bluesky:{world.dan.handle}")
    assert draft.returncode == 0, draft.stdout + draft.stderr
    assert (
        f"Hi @{world.dan.handle}, " in draft.stdout
        and "suggested you're the person to ask about" in draft.stdout
    )
    # Dan never wrote to us: tagging him on someone else's word needs the owner's explicit confirmation
    refused = world.sqbot("leads", "reply", f"bluesky:{world.dan.handle}", "--draft")
    assert refused.returncode == 1 and "--confirm-mention" in refused.stderr, refused.stderr
    assert [r for r in _replies_by_us(world) if r["value"]["reply"]["parent"]["uri"] == referral.uri] == []
    sent = world.sqbot("leads", "reply", f"bluesky:{world.dan.handle}", "--draft", "--confirm-mention")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    (post,) = [r for r in _replies_by_us(world) if r["value"]["reply"]["parent"]["uri"] == referral.uri]
    record = post["value"]
    assert record["reply"]["root"] == {"uri": root.uri, "cid": root.cid}
    assert record["reply"]["parent"] == {"uri": referral.uri, "cid": referral.cid}
    mentions = [f["features"][0] for f in record.get("facets", [])]
    assert {"$type": "app.bsky.richtext.facet#mention", "did": world.dan.did} in mentions
    with world.db() as con:
        status = con.execute(
            "SELECT p.status FROM people p JOIN identities i ON i.person_id=p.id WHERE i.handle=?",
            (world.dan.handle,),
        ).fetchone()[0]
    assert status == "contacted"
