"""A lost database never reposts on Bluesky: `sqbot post` on the REAL local network (PLC + PDS + AppView), the
whole data dir deleted in between (database, session, lock files), then `sqbot post` again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_bluesky import World, world  # noqa: F401  (the fixture: an owner account and a home dir)

from bot.platforms.bluesky.adapter import BlueskyPlatform
from bot.platforms.bluesky.xrpc import Xrpc

pytestmark = pytest.mark.bsky

THREAD = [
    "Who studies how open-ended systems keep surprising us? 🧵",
    "Papers & code both welcome.",
    "Thanks!",
]
SINGLE = "Which simulators do you trust for evolution experiments?"


def queue(w: World) -> None:
    items = [
        {"id": "surprise", "platforms": ["bluesky"], "thread": THREAD},
        {"id": "simulators", "platforms": ["bluesky"], "text": SINGLE},
    ]
    # JSON is YAML
    (w.home / "queries" / "q.yaml").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")


def by_text(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        out.setdefault(r["value"]["text"], []).append(r)
    return out


def assert_once_and_chained(w: World) -> list[dict[str, Any]]:
    records = w.own_posts()
    texts = by_text(records)
    assert sorted(texts) == sorted([*THREAD, SINGLE]) and all(len(v) == 1 for v in texts.values()), (
        texts.keys()
    )
    root = texts[THREAD[0]][0]
    assert "reply" not in root["value"]
    parent = root
    for text in THREAD[1:]:
        rec = texts[text][0]
        reply = rec["value"]["reply"]
        assert reply["root"] == {"uri": root["uri"], "cid": root["cid"]}
        assert reply["parent"] == {"uri": parent["uri"], "cid": parent["cid"]}
        parent = rec
    return records


def test_after_the_data_dir_is_deleted_post_adopts_the_thread_and_the_single_post(world: World) -> None:  # noqa: F811
    queue(world)
    first = world.sqbot("post")
    assert first.returncode == 0, first.stdout + first.stderr
    records = assert_once_and_chained(world)
    shutil.rmtree(world.home / "data")

    again = world.sqbot("post")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count("adopted") == 2, again.stdout
    assert assert_once_and_chained(world) == records  # 0 duplicates, nothing rewritten
    with world.db() as con:
        stored = {
            (r["platform_id"], r["cid"]) for r in con.execute("SELECT * FROM posts WHERE status='posted'")
        }
        statuses = {r[0] for r in con.execute("SELECT status FROM outbox")}
    assert stored == {(r["uri"], r["cid"]) for r in records} and statuses == {"posted"}
    assert world.sqbot("post").stdout.strip() == "nothing due"
    assert len(world.own_posts()) == 4


def test_looking_up_our_recent_posts_is_one_list_records_call(world: World, tmp_path: Path) -> None:  # noqa: F811
    queue(world)
    assert world.sqbot("post").returncode == 0
    xrpc = Xrpc(
        httpx.Client(),
        pds_url=world.net.pds,
        handle=world.owner.handle,
        password=world.owner.password,
        session_path=tmp_path / "session",
    )
    bsky = BlueskyPlatform(xrpc)
    xrpc.session()  # log in first: the look-up itself is then one request
    before = xrpc.requests
    mine = bsky.recent_own_posts()
    assert xrpc.requests - before == 1
    texts = [o.text for o in mine]
    assert sorted(texts) == sorted([*THREAD, SINGLE])
    replies = {o.text: o.reply_to for o in mine}
    uris = {o.text: o.platform_id for o in mine}
    assert (
        replies[THREAD[0]] is None
        and replies[THREAD[1]] == uris[THREAD[0]]
        and replies[THREAD[2]] == uris[THREAD[1]]
    )


def test_a_thread_found_in_part_is_continued_after_its_last_post_with_intact_reply_refs(world: World) -> None:  # noqa: F811
    start = THREAD[:2]
    (world.home / "queries" / "q.yaml").write_text(
        json.dumps({"id": "grows", "platforms": ["bluesky"], "thread": start}, ensure_ascii=False),
        encoding="utf-8",
    )
    assert world.sqbot("post").returncode == 0
    shutil.rmtree(world.home / "data")  # lost; meanwhile the thread in the queue got a third post
    (world.home / "queries" / "q.yaml").write_text(
        json.dumps({"id": "grows", "platforms": ["bluesky"], "thread": THREAD}, ensure_ascii=False),
        encoding="utf-8",
    )
    again = world.sqbot("post")
    assert (
        again.returncode == 0 and "posts 1-2 were already on bluesky (adopted); sent the rest" in again.stdout
    ), again.stdout + again.stderr
    texts = by_text(world.own_posts())
    assert sorted(texts) == sorted(THREAD) and all(len(v) == 1 for v in texts.values())  # 0 duplicates
    first, second, third = (texts[t][0] for t in THREAD)
    assert third["value"]["reply"] == {
        "root": {"uri": first["uri"], "cid": first["cid"]},
        "parent": {"uri": second["uri"], "cid": second["cid"]},
    }
    with world.db() as con:
        rows = con.execute(
            "SELECT idx, platform_id, cid FROM posts WHERE status='posted' ORDER BY idx"
        ).fetchall()
    assert [tuple(r) for r in rows] == [(i, r["uri"], r["cid"]) for i, r in enumerate((first, second, third))]
    assert world.sqbot("post").stdout.strip() == "nothing due"


def test_a_continued_thread_cut_by_a_crash_after_the_write_is_proved_by_its_stored_bytes(
    world: World,  # noqa: F811
) -> None:
    (world.home / "queries" / "q.yaml").write_text(
        json.dumps({"id": "grows", "platforms": ["bluesky"], "thread": THREAD[:1]}, ensure_ascii=False),
        encoding="utf-8",
    )
    assert world.sqbot("post").returncode == 0
    shutil.rmtree(world.home / "data")
    (world.home / "queries" / "q.yaml").write_text(
        json.dumps({"id": "grows", "platforms": ["bluesky"], "thread": THREAD}, ensure_ascii=False),
        encoding="utf-8",
    )
    crashed = world.sqbot("post", SQBOT_CRASH_AT="platform-answered")
    assert crashed.returncode == 137, crashed.stdout + crashed.stderr
    again = world.sqbot("post")
    assert again.returncode == 0 and "found on the platform" in again.stdout, again.stdout + again.stderr
    texts = by_text(world.own_posts())
    assert sorted(texts) == sorted(THREAD) and all(len(v) == 1 for v in texts.values())
    with world.db() as con:
        rows = con.execute("SELECT idx, platform_id FROM posts WHERE status='posted' ORDER BY idx").fetchall()
    assert [r[1] for r in rows] == [texts[t][0]["uri"] for t in THREAD]


# ------------------------------------------------------------------------- adoption adopts only our own lost posts
WEEK = "Reading group this week, sign up: https://forms.example/week-{n}"


def hand_post(w: World, text: str) -> None:
    """The owner posts on the same account with another tool (here: sqbot with another data dir)."""
    other = w.home / "by-hand"
    (other / "queries").mkdir(parents=True)
    (other / "queries" / "h.yaml").write_text(json.dumps({"id": "h", "platforms": ["bluesky"], "text": text}))
    r = w.sqbot("post", SQBOT_DATA_DIR=str(other / "data"), SQBOT_QUEUE=str(other / "queries"))
    assert r.returncode == 0, r.stdout + r.stderr


def texts(w: World) -> list[str]:
    return sorted(r["value"]["text"] for r in w.own_posts())


def test_a_hand_post_with_another_link_is_not_taken_for_the_queued_post(world: World) -> None:  # noqa: F811
    hand_post(world, WEEK.format(n=1))  # before this database exists: only its content can tell
    (world.home / "queries" / "w.yaml").write_text(
        json.dumps({"id": "week-2", "platforms": ["bluesky"], "text": WEEK.format(n=2)})
    )
    r = world.sqbot("post")
    assert r.returncode == 0 and "adopted" not in r.stdout, r.stdout + r.stderr
    assert texts(world) == [WEEK.format(n=1), WEEK.format(n=2)]
    links = [f["features"][0]["uri"] for rec in world.own_posts() for f in rec["value"].get("facets", [])]
    assert sorted(links) == ["https://forms.example/week-1", "https://forms.example/week-2"]


def test_an_own_post_newer_than_the_database_is_never_adopted(world: World) -> None:  # noqa: F811
    queue(world)
    assert world.sqbot("post").returncode == 0  # the database is made
    hand_post(world, "Who keeps a lab notebook on paper?")  # later, by hand: the database never sent it
    (world.home / "queries" / "n.yaml").write_text(
        json.dumps({"id": "notebook", "platforms": ["bluesky"], "text": "Who keeps a lab notebook on paper?"})
    )
    r = world.sqbot("post")
    assert r.returncode == 0 and "adopted" not in r.stdout, r.stdout + r.stderr
    assert texts(world).count("Who keeps a lab notebook on paper?") == 2
    with world.db() as con:
        (uri,) = con.execute("SELECT platform_id FROM posts WHERE query_id='notebook'").fetchone()
    assert uri in {rec["uri"] for rec in world.own_posts()}
