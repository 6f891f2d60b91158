"""Issue 18: the X budget is a hard limit, and a reply flood loses nothing. Against the X fake (its own meter
says what X billed) and a real SQLite store, through the poll pipeline (`bot.poll.fetch.poll_platform`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import tweepy
from fakes.x_api import XFake, run_sqbot

from bot.models import PostSpec
from bot.ops import attention
from bot.ops.service import record_usage
from bot.platforms.x.adapter import XPlatform
from bot.poll.fetch import PollReport, poll_platform
from bot.store import status
from bot.store.db import Store
from bot.store.metering import x_budget

LIMIT = 5.0


@pytest.fixture
def fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f
        f.assert_valid()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "sqbot.db")
    yield s
    s.close()


def x_for(store: Store, fake: XFake, now: datetime, *, limit: float = LIMIT) -> XPlatform:
    """The adapter as one `sqbot` command builds it: its meter starts at the month's stored spend."""
    budget = x_budget(store, limit, now)
    client = tweepy.Client(
        consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="as"
    )
    return XPlatform(
        client,
        api_base=fake.base_url,
        timeout=5.0,
        user_id=fake.me,
        now=lambda: now,
        budget_usd=limit,
        spent_usd=budget.spent,
        budget_window=budget.window,
    )


def poll(store: Store, fake: XFake, now: datetime, *, limit: float = LIMIT) -> PollReport:
    x = x_for(store, fake, now, limit=limit)
    try:
        return poll_platform(store, "x", x, now, analyse=None)
    finally:
        record_usage(store, {"x": x})


def flood(fake: XFake, n: int, tag: str) -> list[str]:
    """`n` mentions of us from `n` new accounts (each author billed too: the most a page can cost)."""
    return [
        fake.add_tweet(fake.add_user(f"{tag}{i}", f"Bot {i}"), f"@sqbot_lab {tag} spam {i}") for i in range(n)
    ]


def filed(store: Store) -> set[str]:
    return {r["platform_id"] for r in store.q("SELECT platform_id FROM interactions WHERE platform='x'")}


def backlog_time(store: Store) -> datetime:
    """When the oldest mention filed was posted: the unread ones are older."""
    row = store.q("SELECT MIN(created_at) AS t FROM interactions WHERE platform='x'")[0]
    return datetime.fromisoformat(row["t"])


def test_two_rounds_of_800_replies_never_pass_the_limit_by_the_fake_s_meter(
    store: Store, fake: XFake
) -> None:
    flood(fake, 800, "a")
    poll(store, fake, fake.clock)
    flood(fake, 800, "b")
    poll(store, fake, fake.tick(600))
    assert fake.cost <= LIMIT  # was $6.03: the check priced one resource, a page returns 100 (and 100 users)
    assert x_budget(store, LIMIT, fake.clock).spent == pytest.approx(fake.cost)
    assert fake.cost <= LIMIT - 1.0 + 1e-9  # polls left the reserve (a fifth of the limit) untouched
    assert all(int(c.query["max_results"]) <= 100 for c in fake.calls if "max_results" in c.query)


def test_a_poll_the_budget_stops_files_every_page_it_paid_for(store: Store, fake: XFake) -> None:
    ids = flood(fake, 300, "a")
    rep = poll(store, fake, fake.clock, limit=3.0)  # polls may spend $2.40: two full pages and a shrunk one
    served = [c for c in fake.calls if c.endpoint == "GET /2/users/:id/mentions"]
    assert [int(c.query["max_results"]) for c in served] == [100, 100, 18]
    assert fake.cost == pytest.approx(218 * 0.011)
    assert len(filed(store)) == 218 and filed(store) <= set(ids)  # was: paid $2.20 for two pages, filed none
    assert rep.error == "stopped by the budget: the rest is read later"
    from bot.platforms.x.backlog import Backlog

    backlog = Backlog.parse(store.get_cursor("x"))
    assert backlog.head == max(ids, key=int)  # new mentions are read past the newest filed
    assert [(g.lo, g.hi) for g in backlog.gaps] == [(0, int(min(filed(store), key=int)))]  # only the unread


def test_the_reserve_lets_a_post_go_out_after_polls_used_the_rest(store: Store, fake: XFake) -> None:
    flood(fake, 800, "a")
    poll(store, fake, fake.clock)
    assert fake.cost > LIMIT - 1.0 - 0.011  # polling spent all it may
    x = x_for(store, fake, fake.clock)
    intent = x.prepare(
        "q1", [PostSpec("Who builds hive sensors?", link="https://example.org/hives")], fake.clock
    )
    posted = x.send(intent, lambda p: None)  # $0.20 (a post with a link): within the reserve
    record_usage(store, {"x": x})
    assert len(posted) == 1 and fake.by_author(fake.me)
    assert fake.cost <= LIMIT


def test_a_flood_backlog_is_counted_then_read_later_oldest_first(store: Store, fake: XFake) -> None:
    ana = fake.add_user("ana_lab", "Ana", description="I build hive sensors")
    lead = fake.add_tweet(ana, "@sqbot_lab we build these, happy to talk")  # the real lead: the oldest
    spam = flood(fake, 500, "a")
    nov = fake.clock
    poll(store, fake, nov)
    assert lead not in filed(store)  # the budget ran out above it
    data = status.attention_data(store)
    items = attention.build(data, x_budget(store, LIMIT, nov), nov)
    assert [a.line for a in items if a.kind == attention.UNREAD] == [
        "x: replies not read yet for the budget (1 stretch of the mentions timeline older than "
        f"{backlog_time(store):%Y-%m-%d %H:%M} UTC): read later, oldest first",
        "x: X polls paused: $3.99 of $5.00 spent, the last $1.00 is kept for posts and follow-ups; new replies "
        "are read from 1 Dec",
    ]
    assert attention.summary(items) == "; 2 things need attention (`sqbot status`)"

    later = fake.add_tweet(fake.add_user("late", "Late"), "@sqbot_lab newer than the flood")
    dec = fake.tick(31 * 24 * 3600)  # December: a new budget month
    before = len(fake.calls)
    poll(store, fake, dec)
    reads = [c for c in fake.calls[before:] if c.endpoint == "GET /2/users/:id/mentions"]
    assert "until_id" in reads[0].query and "since_id" not in reads[0].query  # the older stretch first
    assert "until_id" not in reads[-1].query  # new mentions last
    assert filed(store) == {lead, later, *spam}  # nothing lost
    assert status.attention_data(store).unread == ()
    assert store.get_cursor("x") == later


def test_now_dates_the_spend_of_a_command(tmp_path: Path, fake: XFake) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "q.yaml").write_text(
        "id: tools\nplatforms: [x]\ntext: 'Which tools do you use?'\n", encoding="utf-8"
    )
    at = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    assert abs(datetime.now(UTC) - at) > timedelta(days=1)
    out = run_sqbot(tmp_path, fake, "--now", at.isoformat(), "post")
    assert out.returncode == 0 and fake.by_author(fake.me), out.stdout + out.stderr
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:
        dates = {r[0][:10] for r in con.execute("SELECT at FROM api_calls WHERE platform='x'")}
    assert dates == {"2027-03-10"}  # was: the wall clock's day


def test_the_backlog_cursor_reads_an_old_plain_cursor_and_round_trips() -> None:
    from bot.platforms.x.backlog import Backlog, Gap

    old = Backlog.parse("1900000000000000005")  # what older versions stored
    assert old == Backlog("1900000000000000005") and old.text() == "1900000000000000005"
    assert old.window() == (1900000000000000005, None)
    at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    head = Backlog("5").after_page([9, 7, 8], True, at)  # a head page with more below it
    assert head == Backlog("9", (Gap(5, 7, at),))
    flooded = Backlog("20", (Gap(3, 10, at),))
    assert Backlog.parse(flooded.text()) == flooded
    assert flooded.window() == (3, 10)  # the older stretch before new mentions
    assert flooded.after_page([8, 9], True, None).gaps == (Gap(3, 8, at),)  # shrinks from the top
    assert flooded.after_page([4, 5], False, None) == Backlog("20")  # read to its end
