"""A lost database never reposts on X: `sqbot post` against the spec-validated X fake, the data dir deleted in
between (what a container started without its volume sees), the own timeline read once, metered and budgeted."""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import subprocess
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
PNG = (  # a real 1x1 PNG: images are checked by content (bot.queue.files) before they are sent
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
    b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


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


# ------------------------------------------------------------------------- adoption adopts only our own lost posts
def at_fake_time(tmp: Path, fake: XFake, *args: str) -> subprocess.CompletedProcess[str]:
    """`sqbot --now <the fake's clock> ARGS`: the database's time is X's."""
    return sqbot(tmp, fake, "--now", fake.clock.isoformat(), *args)


WEEK = "Reading group this week, sign up: https://forms.example/week-{n}"


def test_a_hand_posted_text_with_another_link_is_not_taken_for_the_queued_post(
    tmp_path: Path, fake: XFake
) -> None:
    fake.add_tweet(fake.me, WEEK.format(n=1))  # posted by hand, before this database existed
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "w.yaml").write_text(f"id: week-2\nplatforms: [x]\ntext: '{WEEK.format(n=2)}'\n")
    fake.tick(25 * 3600)  # past X's duplicate window: only the link differs
    r = at_fake_time(tmp_path, fake, "post")
    assert r.returncode == 0 and "adopted" not in r.stdout, r.stdout + r.stderr
    assert sorted(t for _, _, t in ours(fake)) == [WEEK.format(n=1), WEEK.format(n=2)]  # week 2 was sent
    stored = db_rows(tmp_path, "SELECT platform_id FROM posts WHERE query_id='week-2'")
    assert stored == [(ours(fake)[1][0],)]


def test_an_own_tweet_newer_than_the_database_is_never_the_start_of_a_new_thread(
    tmp_path: Path, fake: XFake
) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "a.yaml").write_text("id: a\nplatforms: [x]\ntext: An earlier question?\n")
    assert at_fake_time(tmp_path, fake, "post").returncode == 0  # the database is made (and posts)
    fake.tick(600)
    hand = fake.add_tweet(fake.me, "Who maps pollinator routes in cities?")  # the owner, by hand
    fake.tick(25 * 3600)
    (tmp_path / "queries" / "t.yaml").write_text(
        "id: t\nplatforms: [x]\nthread: ['Who maps pollinator routes in cities?', 'Say where you work.']\n"
    )
    r = at_fake_time(tmp_path, fake, "post")
    assert r.returncode == 0 and "adopted" not in r.stdout, r.stdout + r.stderr
    posts = ours(fake)
    assert all(parent != hand for _, parent, _ in posts)  # nothing of ours answers the hand-posted tweet
    root, second = posts[-2], posts[-1]
    assert root[2] == "Who maps pollinator routes in cities?" and root[1] is None and second[1] == root[0]
    assert db_rows(tmp_path, "SELECT platform_id FROM posts WHERE query_id='t' ORDER BY idx") == [
        (root[0],),
        (second[0],),
    ]


def test_a_lost_post_with_a_link_and_an_image_is_still_adopted_by_its_real_targets(
    tmp_path: Path, fake: XFake
) -> None:
    (tmp_path / "queries").mkdir()
    png = tmp_path / "queries" / "chart.png"
    png.write_bytes(PNG)
    (tmp_path / "queries" / "l.yaml").write_text(
        "id: l\nplatforms: [x]\ntext: Sign up for week 2\nlink: https://forms.example/week-2\n"
        "images: [{path: chart.png, alt: A chart}]\n"
    )
    first = at_fake_time(tmp_path, fake, "post")
    assert first.returncode == 0, first.stdout + first.stderr
    shutil.rmtree(tmp_path / "data")
    fake.tick(60)
    again = at_fake_time(tmp_path, fake, "post")
    assert again.returncode == 0 and "adopted 1 post(s)" in again.stdout, again.stdout + again.stderr
    assert len(ours(fake)) == 1
