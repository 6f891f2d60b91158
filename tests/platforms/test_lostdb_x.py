"""A lost database never reposts on X: `sqbot post` against the spec-validated X fake, the data dir deleted in
between (what a container started without its volume sees), the own timeline read once, metered and budgeted."""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import tweepy
from fakes.x_api import XFake
from fakes.x_api import run_sqbot as sqbot

from bot.errors import RateLimited
from bot.platforms.x.adapter import XPlatform
from bot.platforms.x.metering import PRICE_OWNED_READ

TIMELINE = "GET /2/users/:id/tweets"
THREAD = [
    "Who maps pollinator routes in cities? 🧵",
    "Sensors & field notes both welcome.",
    "Say where you work.",
]
SINGLE = "Which tools do you use for bee counts?"


@pytest.fixture
def fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f
        f.assert_valid()


def queue(tmp: Path) -> None:
    (tmp / "queries").mkdir(exist_ok=True)
    thread = "".join(
        f"    - {json.dumps(t, ensure_ascii=False)}\n" for t in THREAD
    )  # a JSON string is a YAML string
    (tmp / "queries" / "q.yaml").write_text(
        f"- id: routes\n  platforms: [x]\n  thread:\n{thread}"
        f"- id: counts\n  platforms: [x]\n  text: {json.dumps(SINGLE, ensure_ascii=False)}\n",
        encoding="utf-8",
    )


def ours(fake: XFake) -> list[tuple[str, str | None, str]]:
    return [(t.id, t.replied_to, t.text) for t in sorted(fake.by_author(fake.me), key=lambda t: int(t.id))]


def assert_once_and_chained(fake: XFake) -> None:
    posts = ours(fake)
    texts = [text for _, _, text in posts]
    assert sorted(texts) == sorted([*THREAD, SINGLE]), texts  # every post exactly once: 0 duplicates
    chain = [p for p in posts if p[2] in THREAD]
    assert [p[2] for p in chain] == THREAD and chain[0][1] is None
    for (prev, _, _), (_, parent, _) in itertools.pairwise(chain):
        assert parent == prev  # the reply chain is intact


def db_rows(tmp: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(tmp / "data" / "sqbot.db") as con:
        return list(con.execute(sql).fetchall())


def test_after_the_data_dir_is_deleted_post_adopts_the_thread_and_single_post_on_x(
    tmp_path: Path, fake: XFake
) -> None:
    queue(tmp_path)
    first = sqbot(tmp_path, fake, "post")
    assert first.returncode == 0, first.stdout + first.stderr
    before = ours(fake)
    shutil.rmtree(tmp_path / "data")  # everything lost: database, sessions, lock files

    again = sqbot(tmp_path, fake, "post")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count("adopted") == 2, again.stdout
    assert ours(fake) == before
    assert_once_and_chained(fake)
    stored = db_rows(tmp_path, "SELECT query_id, idx, platform_id, status FROM posts ORDER BY query_id, idx")
    ids = {t for t, _, _ in before}
    assert {r[2] for r in stored} == ids and all(r[3] == "posted" for r in stored) and len(stored) == 4
    assert db_rows(tmp_path, "SELECT DISTINCT status FROM outbox") == [("posted",)]
    # the look-up was one page of our own timeline, metered into api_calls for the budget
    spent = db_rows(tmp_path, f"SELECT resources, usd FROM api_calls WHERE endpoint='{TIMELINE}'")
    assert spent == [(4, round(4 * PRICE_OWNED_READ, 6))]
    assert sqbot(tmp_path, fake, "post").stdout.strip() == "nothing due"
    assert_once_and_chained(fake)


def test_a_thread_cut_by_a_crash_and_a_lost_database_is_finished_not_reposted(
    tmp_path: Path, fake: XFake
) -> None:
    queue(tmp_path)
    crashed = sqbot(tmp_path, fake, "post", "routes", SQBOT_CRASH_AT="between-posts")
    assert (
        crashed.returncode == 137 and [p[2] for p in ours(fake)] == THREAD[:2]
    )  # the crash came after post 2
    shutil.rmtree(tmp_path / "data")

    resumed = sqbot(tmp_path, fake, "post")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert_once_and_chained(fake)
    assert "posts 1-2 were already on x (adopted); sent the rest" in resumed.stdout, resumed.stdout


def test_a_first_send_reads_the_timeline_once_per_run_not_once_per_query(tmp_path: Path, fake: XFake) -> None:
    queue(tmp_path)
    r = sqbot(tmp_path, fake, "post")
    assert r.returncode == 0, r.stdout + r.stderr
    assert fake.requests_to(TIMELINE) == 1 and len(ours(fake)) == 4


def test_the_timeline_read_is_refused_by_the_budget_like_any_call(fake: XFake) -> None:
    client = tweepy.Client(
        consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="as"
    )
    x = XPlatform(
        client, api_base=fake.base_url, user_id=fake.me, now=lambda: fake.clock, budget_usd=1.0, spent_usd=1.0
    )
    with pytest.raises(RateLimited, match="monthly X budget reached"):
        x.recent_own_posts()
    assert fake.requests_to(TIMELINE) == 0


def test_the_timeline_lists_replies_with_what_they_answer_and_undoes_xs_escaping(fake: XFake) -> None:
    root = fake.add_tweet(fake.me, "Tools & tips <here>")
    fake.add_tweet(fake.me, "part two", reply_to=root)
    client = tweepy.Client(
        consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="as"
    )
    x = XPlatform(client, api_base=fake.base_url, user_id=fake.me, now=lambda: fake.clock)
    mine = x.recent_own_posts()
    assert [(o.text, o.reply_to) for o in mine] == [("part two", root), ("Tools & tips <here>", None)]
    assert [u.endpoint for u in x.usage] == [TIMELINE] and x.usage[0].query_id is None


def test_our_user_id_is_remembered_per_access_token_so_each_run_does_not_pay_for_users_me(
    tmp_path: Path, fake: XFake
) -> None:
    cache = tmp_path / "x-user.json"

    def adapter(token: str) -> XPlatform:
        return XPlatform.from_settings(
            api_key="ck", api_secret="cs", access_token=token, access_secret="as", api_base=fake.base_url,
            now=lambda: fake.clock, user_cache=cache,
        )  # fmt: skip

    first = adapter("at")
    first.recent_own_posts()
    assert fake.requests_to("GET /2/users/me") == 1 and first.usage[0].endpoint == "GET /2/users/me"
    assert "at" not in cache.read_text() and oct(cache.stat().st_mode & 0o777) == "0o600"
    again = adapter("at")
    again.recent_own_posts()
    assert fake.requests_to("GET /2/users/me") == 1 and again.user_id == fake.me
    assert sum(u.usd for u in again.usage) == 0.0  # nothing new read today
    adapter("another-token").me()  # another login: looked up again
    assert fake.requests_to("GET /2/users/me") == 2


def test_each_look_up_reads_only_posts_newer_than_the_newest_the_last_one_saw(
    tmp_path: Path, fake: XFake
) -> None:
    queue(tmp_path)
    assert sqbot(tmp_path, fake, "post").returncode == 0  # an empty timeline: nothing to remember
    fake.add_tweet(fake.me, "A post made by hand in between")
    (tmp_path / "queries" / "b.yaml").write_text("id: later\nplatforms: [x]\ntext: One more question?\n")
    assert sqbot(tmp_path, fake, "post").returncode == 0
    (tmp_path / "queries" / "c.yaml").write_text("id: last\nplatforms: [x]\ntext: And a last one?\n")
    third = sqbot(tmp_path, fake, "post")
    assert third.returncode == 0 and "adopted" not in third.stdout, third.stdout + third.stderr
    reads = [c for c in fake.calls if c.endpoint == TIMELINE]
    assert [c.query.get("since_id") for c in reads] == [None, None, max(t for t, _, _ in ours(fake)[:5])]
    # what each read cost: nothing on an empty timeline, then 5 posts, then only the 1 post made since
    assert [round(c.usd, 6) for c in reads] == [0.0, round(5 * PRICE_OWNED_READ, 6), PRICE_OWNED_READ]
    assert len(ours(fake)) == 7


def test_a_restored_backup_adopts_what_was_posted_after_it_instead_of_posting_it_again(
    tmp_path: Path, fake: XFake
) -> None:
    q = tmp_path / "queries"
    q.mkdir()
    (q / "a.yaml").write_text("id: a\nplatforms: [x]\ntext: First question?\n")
    assert sqbot(tmp_path, fake, "post").returncode == 0
    (q / "c.yaml").write_text("id: c\nplatforms: [x]\ntext: Second question?\n")
    assert sqbot(tmp_path, fake, "post").returncode == 0
    backup = tmp_path / "backup.db"
    saved = sqbot(tmp_path, fake, "backup", str(backup))
    assert saved.returncode == 0, saved.stdout + saved.stderr
    (q / "b.yaml").write_text("id: b\nplatforms: [x]\nthread: [Third question?, More on it.]\n")
    assert sqbot(tmp_path, fake, "post").returncode == 0
    posted = ours(fake)

    for f in (tmp_path / "data").glob("sqbot.db*"):
        f.unlink()
    shutil.copyfile(backup, tmp_path / "data" / "sqbot.db")  # the old backup restored
    again = sqbot(tmp_path, fake, "post")
    assert again.returncode == 0 and "adopted 2 post(s)" in again.stdout, again.stdout + again.stderr
    assert ours(fake) == posted and len(posted) == 4  # 0 duplicates
    last_read = [c for c in fake.calls if c.endpoint == TIMELINE][-1]
    assert last_read.query["since_id"] == posted[0][0]  # the backup's mark: everything posted since is read
    stored = db_rows(tmp_path, "SELECT query_id, idx, platform_id FROM posts WHERE query_id='b' ORDER BY idx")
    assert [r[2] for r in stored] == [
        t for t, _, text in posted if text in ("Third question?", "More on it.")
    ]
