"""One attention list (bot/ops/attention.py) for `sqbot status`, `sqbot health` and the digest, and one X budget
window (bot/platforms/x/metering.py): the UTC month, the check, and what a spent budget says everywhere."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fakes.x_api import XFake, run_sqbot

from bot.config import Settings
from bot.errors import RateLimited
from bot.ops import attention
from bot.ops.attention import Attention
from bot.ops.daemon import health, status_lines
from bot.ops.datadir import status_settings
from bot.platforms.x import metering
from bot.platforms.x.metering import Budget, BudgetWindow, check, month_window, window
from bot.store.db import Store, iso
from bot.store.metering import spent_in, x_budget
from bot.store.status import AttentionData, JobRow, PlatformRow, PostRow

MID_DEC = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)
DEC = BudgetWindow(datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
SPENT_LINE = "X budget reached: $5.00 of $5.00; X polls and posts wait until 1 Jan"


# ---------------------------------------------------------------------------------------------- the window
def test_the_budget_window_is_the_utc_calendar_month_and_december_runs_into_january() -> None:
    w = window(MID_DEC)
    assert w == DEC
    assert (w.month, w.name, w.until_text) == ("2026-12", "December", "1 Jan")
    assert DEC.start in w and DEC.end - timedelta(microseconds=1) in w and DEC.end not in w
    assert window(DEC.end) == BudgetWindow(datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC))
    assert window(DEC.start - timedelta(seconds=1)).month == "2026-11"
    feb = window(datetime(2028, 2, 29, 23, 59, tzinfo=UTC))  # a leap year
    assert (feb.start.day, feb.end.month, feb.until_text) == (1, 3, "1 Mar")
    assert month_window("2026-12") == DEC
    with pytest.raises(ValueError):
        month_window("December")


def test_the_budget_month_is_utc_whatever_the_owner_s_time_zone() -> None:
    new_york = datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("America/New_York"))  # 04:30 UTC, 1 Jan
    tokyo = datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Tokyo"))  # 15:30 UTC, 31 Dec
    assert window(new_york).month == "2027-01"
    assert window(tokyo) == DEC
    assert window(tokyo).start.tzinfo is UTC
    with pytest.raises(ValueError, match="naive"):
        window(datetime(2026, 12, 15, 12, 0))


def test_the_check_refuses_a_call_past_the_limit_and_defers_x_to_the_window_s_end() -> None:
    check("GET /2/users/me", 0.01, spent=4.99, limit=5.0, within=DEC)  # exactly the limit fits
    check("POST /2/tweets", 100.0, spent=4.99, limit=None, within=DEC)  # no budget
    with pytest.raises(RateLimited, match="monthly X budget reached") as err:
        check("POST /2/tweets", metering.PRICE_POST_CREATE, spent=4.99, limit=5.0, within=DEC)
    assert err.value.retry_at == DEC.end
    assert "X calls stop until 2027-01-01" in str(err.value)


def test_a_budget_is_exhausted_when_not_even_the_cheapest_call_fits() -> None:
    assert Budget(5.0, 5.0, DEC).exhausted
    assert Budget(4.9995, 5.0, DEC).exhausted  # an owned read ($0.001) would pass $5
    assert not Budget(4.99, 5.0, DEC).exhausted
    assert not Budget(0.0, 0.0, DEC).exhausted  # a $0 budget with nothing spent is X switched off
    assert Budget(5.0, 5.0, DEC).reached_text == SPENT_LINE
    assert Budget(1.0, 5.0, DEC).deferred_by(DEC.end) and not Budget(1.0, 5.0, DEC).deferred_by(MID_DEC)


def test_the_default_limit_is_defined_once(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    quick = status_settings(tmp_path, environ={}, env_file=tmp_path / "none.env")
    assert quick is not None
    assert settings.x_budget_usd == quick.x_budget_usd == metering.DEFAULT_BUDGET_USD == 5.0


# ---------------------------------------------------------------------------------------------- the builder
def _data(**kw: object) -> AttentionData:
    return AttentionData(**kw)  # type: ignore[arg-type]


def test_every_kind_carries_its_source_and_reads_the_same_in_status() -> None:
    data = _data(
        platforms=(
            PlatformRow("bluesky", None, MID_DEC + timedelta(minutes=15)),
            PlatformRow("substack", "cookie expired: set SQBOT_SUBSTACK_COOKIE", None),
            PlatformRow("x", "login expired: run `sqbot login x`", DEC.end),
        ),
        posts=(
            PostRow("tools", "bluesky", "needs_review", "timeout while posting"),
            PostRow("tools", "x", "failed", None),
        ),
        jobs=(JobRow("post", "2026-12-15T11:00:00+00:00", None, "queries/far.yaml:3:5: outside"),),
    )
    items = attention.build(data, Budget(1.0, 5.0, DEC), MID_DEC)
    assert [(a.source, a.kind) for a in items] == [
        ("bluesky", attention.RATE_LIMIT),
        ("substack", attention.LOGIN),
        ("x", attention.LOGIN),
        ("x", attention.BUDGET),  # deferred to the month's end: the budget check's deferral, not a 429
        ("bluesky", attention.NEEDS_REVIEW),
        ("x", attention.FAILED),
        ("post", attention.FAILED_JOB),
    ]
    assert attention.lines(items) == [
        "attention: bluesky: rate limited until 2026-12-15T12:15:00+00:00",
        "attention: substack: cookie expired: set SQBOT_SUBSTACK_COOKIE",
        "attention: x: login expired: run `sqbot login x`",
        "attention: x: X budget reached: $1.00 of $5.00; X polls and posts wait until 1 Jan",
        "attention: bluesky: post needs review: query tools: timeout while posting",
        "attention: x: post failed: query tools",
        "attention: job post failed at its last run (2026-12-15T11:00:00+00:00; last ok never): "
        "queries/far.yaml:3:5: outside",
    ]
    assert items[0].until == MID_DEC + timedelta(minutes=15)
    assert (items[3].since, items[3].until) == (DEC.start, DEC.end)
    assert [a.heading for a in items][3:5] == ["budget", "post needs review"]


def test_a_deferral_that_ended_is_nothing_and_one_that_is_not_the_budget_s_is_a_rate_limit() -> None:
    past = _data(platforms=(PlatformRow("x", None, MID_DEC - timedelta(seconds=1)),))
    assert attention.build(past, Budget(1.0, 5.0, DEC), MID_DEC) == []
    assert attention.lines([]) == ["attention: none"] and attention.summary([]) == ""
    soon = _data(platforms=(PlatformRow("x", None, MID_DEC + timedelta(minutes=15)),))
    [item] = attention.build(soon, Budget(1.0, 5.0, DEC), MID_DEC)
    assert (item.kind, item.line) == (attention.RATE_LIMIT, "x: rate limited until 2026-12-15T12:15:00+00:00")
    [unknown] = attention.build(_data(platforms=(PlatformRow("x", None, DEC.end),)), None, MID_DEC)
    assert unknown.kind == attention.RATE_LIMIT  # no limit known (`sqbot health` with just a path)


def test_a_spent_budget_shows_before_x_is_deferred_among_the_platforms_in_order() -> None:
    data = _data(
        platforms=(PlatformRow("bluesky", "app password rejected", None), PlatformRow("zzz", "x", None)),
        jobs=(JobRow("digest", "2026-12-15T08:00:00+00:00", "2026-12-14T08:00:00+00:00", "SMTP refused"),),
    )
    items = attention.build(data, Budget(5.0, 5.0, DEC), MID_DEC)
    assert [(a.source, a.kind) for a in items] == [
        ("bluesky", attention.LOGIN),
        ("x", attention.BUDGET),
        ("zzz", attention.LOGIN),
        ("digest", attention.FAILED_JOB),
    ]
    assert items[1] == Attention("x", attention.BUDGET, SPENT_LINE, DEC.start, DEC.end)
    assert attention.summary(items) == "; 4 things need attention (`sqbot status`)"
    assert attention.build(_data(), Budget(4.0, 5.0, DEC), MID_DEC) == []


# ---------------------------------------------------------------------------------------------- store, status, digest
def _settings(tmp: Path, **kw: object) -> Settings:
    base: dict[str, object] = {"data_dir": tmp / "data", "queue": tmp / "queries", "sandbox": True}
    base.update(kw)
    return Settings(_env_file=None, **base)  # type: ignore[call-arg]


def _spend_the_budget(s: Settings, now: datetime) -> None:
    """$5 spent in December (25 posts with a link, at $0.20), plus spend outside it, X deferred by the budget
    check to 1 Jan (as `sqbot post` leaves it), and a fresh heartbeat."""
    store = Store.open(s.db_path)
    try:
        for i in range(25):
            store.record_api_call(
                "x", "POST /2/tweets", 1, metering.PRICE_POST_CREATE_URL, DEC.start + timedelta(hours=i)
            )
        store.record_api_call("x", "POST /2/tweets", 1, 3.0, DEC.start - timedelta(seconds=1))  # November
        store.record_api_call("x", "POST /2/tweets", 1, 3.0, DEC.end)  # January
        store.record_api_call("bluesky", "whatever", 1, 3.0, now)  # not X
        with pytest.raises(RateLimited) as err:
            check(
                "POST /2/tweets",
                metering.PRICE_POST_CREATE,
                spent=spent_in(store, "x", window(now)),
                limit=5.0,
                within=window(now),
            )
        store.set_platform_state("x", now, deferred_until=err.value.retry_at)
        store.set_daemon_state(pid=4242, heartbeat_at=iso(now), heartbeat_seconds=30)
    finally:
        store.close()


def test_a_spent_budget_reads_the_same_in_status_health_and_the_digest(tmp_path: Path) -> None:
    from bot.digest.run import run_digest

    s = _settings(tmp_path)
    _spend_the_budget(s, MID_DEC)
    store = Store.open(s.db_path)
    try:
        assert x_budget(store, 5.0, MID_DEC).spent == pytest.approx(5.0)
        assert x_budget(store, 5.0, DEC.end).spent == 3.0  # January's own spend
        res = run_digest(store, s, MID_DEC, preview=tmp_path / "digest.html")
    finally:
        store.close()
    lines = status_lines(s, MID_DEC)
    assert "budget: X $5.00 of $5.00 this month (December)" in lines
    assert f"attention: x: {SPENT_LINE}" in lines
    assert not any("rate limited" in line for line in lines)
    ok, why = health(s, MID_DEC + timedelta(seconds=3), note=True)
    assert ok and why == "ok: heartbeat 3 s ago (pid 4242); 1 thing needs attention (`sqbot status`)"
    assert health(s, MID_DEC + timedelta(seconds=3)) == (True, "ok: heartbeat 3 s ago (pid 4242)")
    text = (tmp_path / "digest.txt").read_text(encoding="utf-8")
    html = (tmp_path / "digest.html").read_text(encoding="utf-8")
    assert f"- X: budget — {SPENT_LINE}" in text.splitlines()
    assert SPENT_LINE in html
    assert res.status == "previewed"


@pytest.fixture
def fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f
        f.assert_valid()


def test_sqbot_post_against_x_spends_the_budget_and_status_and_the_digest_say_so(
    tmp_path: Path, fake: XFake
) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "q.yaml").write_text(
        "id: tools\nplatforms: [x]\ntext: 'Which tools do you use?'\n", encoding="utf-8"
    )
    budget = {"SQBOT_X_BUDGET_USD": "0.02"}  # our user ($0.010) fits, the post ($0.015) then does not
    posted = run_sqbot(tmp_path, fake, "post", **budget)
    assert posted.returncode == 0 and "monthly X budget reached" in posted.stdout, (
        posted.stdout + posted.stderr
    )
    assert fake.by_author(fake.me) == []
    polled = run_sqbot(tmp_path, fake, "poll", **budget)
    assert "deferred until" in polled.stdout, polled.stdout
    now = datetime.now(UTC)
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:
        spent = con.execute("SELECT SUM(usd) FROM api_calls WHERE platform='x'").fetchone()[0]
        (deferred,) = con.execute("SELECT deferred_until FROM platform_state WHERE platform='x'").fetchone()
    assert deferred == iso(window(now).end)
    line = f"X budget reached: ${spent:.2f} of $0.02; X polls and posts wait until {window(now).until_text}"
    assert spent == pytest.approx(0.01)
    status = run_sqbot(tmp_path, fake, "status", **budget)
    assert f"attention: x: {line}" in status.stdout.splitlines(), status.stdout + status.stderr
    stats = json.loads(run_sqbot(tmp_path, fake, "stats", "--json", **budget).stdout)
    assert stats["budget"] == {"month": window(now).month, "spent_usd": spent, "budget_usd": 0.02}
    preview = tmp_path / "d.html"
    assert run_sqbot(tmp_path, fake, "digest", "--preview", str(preview), **budget).returncode == 0
    assert f"- X: budget — {line}" in preview.with_suffix(".txt").read_text(encoding="utf-8").splitlines()
    assert line in preview.read_text(encoding="utf-8")


def test_now_dates_the_budget_month_of_status_and_stats(tmp_path: Path, fake: XFake) -> None:
    s = _settings(tmp_path)
    _spend_the_budget(s, MID_DEC)
    jan = run_sqbot(tmp_path, fake, "--now", "2027-01-02T00:00:00+00:00", "status")
    assert "budget: X $3.00 of $5.00 this month (January)" in jan.stdout, jan.stdout + jan.stderr
    assert "attention: none" in jan.stdout  # X's deferral ended with December
    dec = json.loads(run_sqbot(tmp_path, fake, "--now", MID_DEC.isoformat(), "stats", "--json").stdout)
    assert dec["budget"] == {"month": "2026-12", "spent_usd": 5.0, "budget_usd": 5.0}
    assert [m["key"] for m in dec["months"]] == ["2027-01", "2026-12", "2026-11"]
    nov = json.loads(run_sqbot(tmp_path, fake, "stats", "--month", "2026-11", "--json").stdout)
    assert [(m["key"], m["usd"]) for m in nov["months"]] == [("2026-11", 3.0)]
