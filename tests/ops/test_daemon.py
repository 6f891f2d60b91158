"""The daemon: jobs on the service functions, age-banded polling, the downtime policy, one instance per database,
health and status, structured redacted logs, and a real `sqbot run` that stops cleanly on SIGTERM."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.errors import ConfigError, StoreError
from bot.models import WatchedPost
from bot.ops.daemon import (
    Band,
    Daemon,
    acquire_instance_lock,
    cron_trigger,
    health,
    last_fire,
    next_poll,
    parse_bands,
    poll_every,
    status_lines,
)
from bot.ops.logs import REDACTED, Redactor, event, setup_logging
from bot.platforms.sandbox.adapter import SandboxPlatform
from bot.store.db import Store, iso

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


def settings_for(tmp: Path, **kw: object) -> Settings:
    base: dict[str, object] = {
        "data_dir": tmp / "data",
        "queue": tmp / "queries",
        "sandbox": True,
        "catchup": "6h",
        "slots": "daily 09:00",
    }
    base.update(kw)
    return Settings(_env_file=None, **base)  # type: ignore[call-arg]


def write_query(tmp: Path, qid: str, at: datetime | None = None) -> None:
    d = tmp / "queries"
    d.mkdir(exist_ok=True)
    when = f"at: {at.isoformat()}\n" if at else ""
    (d / f"{qid}.yaml").write_text(
        f"id: {qid}\nplatforms: [bluesky, x]\n{when}text: What do you use to schedule posts? ({qid})\n",
        encoding="utf-8",
    )


def daemon_at(tmp: Path, now: datetime, **kw: object) -> Daemon:
    s = settings_for(tmp, **kw)
    plats = {n: SandboxPlatform(n, s.data_dir / "sandbox.json") for n in ("bluesky", "x")}
    return Daemon(s, clock=lambda: now, wall=lambda: now, platforms=plats)


def sandbox_posts(tmp: Path) -> list[str]:
    data = json.loads((tmp / "data" / "sandbox.json").read_text())
    return sorted(p["query_id"] for p in data["posts"].values())


# ---------------------------------------------------------------------------------------------- pure helpers
def test_fresh_posts_are_polled_often_older_ones_rarely_and_none_past_the_last_band() -> None:
    bands = parse_bands("1h:2m,1d:10m,3d:30m")
    assert poll_every(timedelta(minutes=5), bands) == timedelta(minutes=2)
    assert poll_every(timedelta(hours=5), bands) == timedelta(minutes=10)
    assert poll_every(timedelta(days=2), bands) == timedelta(minutes=30)
    assert poll_every(timedelta(days=4), bands) is None
    assert poll_every(timedelta(days=40), parse_bands("1h:2m,*:2h")) == timedelta(hours=2)


def test_the_freshest_watched_post_sets_a_platforms_poll_pace() -> None:
    bands = (Band(timedelta(hours=1), timedelta(minutes=2)), Band(None, timedelta(hours=2)))
    old = WatchedPost("a", "p1", 0, NOW - timedelta(days=3))
    fresh = WatchedPost("b", "p2", 0, NOW - timedelta(minutes=10))
    assert next_poll([old], NOW - timedelta(minutes=30), NOW, bands) == NOW + timedelta(minutes=90)
    assert next_poll([old, fresh], NOW - timedelta(minutes=30), NOW, bands) == NOW - timedelta(minutes=28)
    assert next_poll([old], None, NOW, bands) == NOW  # never polled: now
    assert next_poll([], NOW, NOW, bands) is None  # nothing watched: no poll at all


@pytest.mark.parametrize("spec", ["", "1h", "1d:10m,1h:2m", "*:1h,1d:2m", "1x:2m"])
def test_bad_poll_bands_are_refused_with_an_example(spec: str) -> None:
    with pytest.raises(ConfigError, match="SQBOT_POLL_BANDS"):
        parse_bands(spec)


def test_the_digest_cron_runs_in_the_owners_time_zone() -> None:
    zurich = cron_trigger("0 8 * * *", ZoneInfo("Europe/Zurich"))
    nxt = zurich.get_next_fire_time(None, NOW)  # 09:00 UTC = 10:00 in Zurich: next is tomorrow 08:00 CET
    assert nxt is not None and nxt.astimezone(UTC) == datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
    seconds = cron_trigger("*/5 * * * * *", ZoneInfo("UTC")).get_next_fire_time(
        None, NOW + timedelta(seconds=1)
    )
    assert seconds is not None and seconds.astimezone(UTC) == NOW + timedelta(seconds=5)
    with pytest.raises(ConfigError, match="SQBOT_DIGEST_CRON"):
        cron_trigger("8am daily", ZoneInfo("UTC"))


def test_a_digest_missed_within_the_catchup_window_is_found_and_an_older_one_is_not() -> None:
    daily = cron_trigger("0 8 * * *", ZoneInfo("UTC"))
    assert last_fire(daily, NOW - timedelta(hours=6), NOW) == NOW - timedelta(hours=1)
    assert last_fire(daily, NOW - timedelta(minutes=30), NOW) is None


# ---------------------------------------------------------------------------------------------- jobs
def test_after_downtime_recent_items_post_once_in_order_and_old_ones_expire(tmp_path: Path) -> None:
    write_query(tmp_path, "recent-b", NOW - timedelta(hours=1))
    write_query(tmp_path, "recent-a", NOW - timedelta(hours=5))
    write_query(tmp_path, "too-old", NOW - timedelta(hours=7))
    d = daemon_at(tmp_path, NOW)
    assert d.guarded("post", d.post)
    d.guarded("post", d.post)  # a second tick posts nothing more
    assert sandbox_posts(tmp_path) == ["recent-a", "recent-a", "recent-b", "recent-b"]
    store = Store.open(d.settings.db_path)
    try:
        rows = {(r.query_id, r.platform): r for r in store.outbox()}
        assert {k[0]: r.status for k, r in rows.items()} == {
            "recent-a": "posted",
            "recent-b": "posted",
            "too-old": "expired",
        }
        assert "catch-up window" in (rows["too-old", "x"].last_error or "")
        order = store.q("SELECT query_id FROM outbox WHERE status='posted' ORDER BY rowid")
        posted_at = store.q("SELECT query_id FROM outbox WHERE status='posted' ORDER BY due_at")
        assert {r["query_id"] for r in order} == {r["query_id"] for r in posted_at}
    finally:
        store.close()
    assert any("expired: too-old" in line for line in status_lines(d.settings, NOW))


def test_polls_follow_the_age_bands_and_survive_a_restart(tmp_path: Path) -> None:
    write_query(tmp_path, "q1")
    d = daemon_at(tmp_path, NOW, poll_bands="1h:2m,*:1h")
    d.guarded("post", d.post)
    assert d.due_polls(NOW) == ["bluesky", "x"]
    d.guarded("poll", d.poll)
    later = daemon_at(tmp_path, NOW + timedelta(minutes=1), poll_bands="1h:2m,*:1h")  # a restart
    assert later.due_polls(NOW + timedelta(minutes=1)) == []
    assert later.due_polls(NOW + timedelta(minutes=3)) == ["bluesky", "x"]
    much_later = NOW + timedelta(hours=2)
    d2 = daemon_at(tmp_path, much_later, poll_bands="1h:2m,*:1h")
    d2.guarded("poll", d2.poll)  # replies arrived meanwhile (the sandbox's script)
    store = Store.open(d.settings.db_path)
    try:
        assert store.counts()["interactions"] > 0
        runs = store.job_runs()
        assert runs["poll:x"]["runs"] == 2 and runs["poll:x"]["last_error"] is None
    finally:
        store.close()


def test_a_failing_job_is_recorded_and_retried_never_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "bad.yaml").write_text("id: [not, valid\n", encoding="utf-8")
    d = daemon_at(tmp_path, NOW)
    with caplog.at_level(logging.ERROR, logger="sqbot.daemon"):
        assert d.guarded("post", d.post) is False
    assert "post failed" in caplog.text
    write_query(tmp_path, "good")
    (tmp_path / "queries" / "bad.yaml").unlink()
    assert d.guarded("post", d.post) is True  # the next run works
    store = Store.open(d.settings.db_path)
    try:
        run = store.job_runs()["post"]
        assert (run["runs"], run["failures"], run["last_error"]) == (2, 1, None)
    finally:
        store.close()


def test_a_start_after_a_missed_digest_asks_for_one_catch_up_run(tmp_path: Path) -> None:
    d = daemon_at(tmp_path, NOW, digest_cron="0 8 * * *")
    assert d.started() is True  # 08:00 passed an hour ago, no digest ran since
    store = Store.open(d.settings.db_path)
    try:
        store.record_job_run("digest", NOW - timedelta(minutes=59), NOW - timedelta(minutes=58), None)
    finally:
        store.close()
    assert d.started() is False


# ---------------------------------------------------------------------------------------------- one instance, health
def test_a_second_daemon_on_the_same_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "data" / "sqbot.db"
    fd = acquire_instance_lock(db)
    try:
        with pytest.raises(
            StoreError, match=rf"already running on {db}.*pid {os.getpid()}|pid {os.getpid()}"
        ):
            acquire_instance_lock(db)
    finally:
        os.close(fd)
    os.close(acquire_instance_lock(db))  # free again once the first one is gone


def test_health_needs_a_fresh_heartbeat_and_says_why_not(tmp_path: Path) -> None:
    s = settings_for(tmp_path, heartbeat_seconds=30)
    ok, why = health(s, NOW)
    assert not ok and "no database" in why
    store = Store.open(s.db_path)
    store.close()
    assert health(s, NOW) == (False, "no heartbeat yet: start the daemon with `sqbot run`")
    store = Store.open(s.db_path)
    store.set_daemon_state(pid=42, heartbeat_at=iso(NOW), heartbeat_seconds=30)
    store.close()
    ok, why = health(s, NOW + timedelta(seconds=20))
    assert ok and "pid 42" in why
    ok, why = health(s, NOW + timedelta(seconds=101))
    assert not ok and "101 s old" in why
    store = Store.open(s.db_path)
    store.set_daemon_state(busy_job="post", busy_since=iso(NOW - timedelta(minutes=20)))
    store.close()
    ok, why = health(s, NOW + timedelta(seconds=5))
    assert not ok and "job post" in why
    store = Store.open(s.db_path)
    store.set_daemon_state(busy_job=None, busy_since=None, stopped_at=iso(NOW + timedelta(seconds=1)))
    store.close()
    ok, why = health(s, NOW + timedelta(seconds=5))
    assert not ok and "stopped" in why


def test_status_shows_next_post_polls_budget_and_attention(tmp_path: Path) -> None:
    write_query(tmp_path, "later", NOW + timedelta(hours=2))
    write_query(tmp_path, "now")
    d = daemon_at(tmp_path, NOW)
    d.guarded("post", d.post)
    d.guarded("poll", d.poll)
    store = Store.open(d.settings.db_path)
    store.set_platform_state("x", NOW, deferred_until=NOW + timedelta(minutes=15))
    store.record_api_call("x", "POST /2/tweets", 1, 0.015, NOW)
    store.close()
    text = "\n".join(status_lines(d.settings, NOW))
    assert "next post: later on bluesky at Tue 2026-12-01 11:00 UTC" in text
    assert "poll x: last Tue 2026-12-01 09:00 UTC" in text
    assert "budget: X $0.01 of $5.00" in text or "budget: X $0.02 of $5.00" in text
    assert "x: rate limited until 2026-12-01T09:15:00+00:00" in text


# ---------------------------------------------------------------------------------------------- logs
def test_logs_are_json_lines_with_fields_and_secrets_are_redacted() -> None:
    buf = io.StringIO()
    handler = setup_logging(secrets=["hunter2-very-secret"], stream=buf, as_json=True)
    try:
        log = logging.getLogger("sqbot.test")
        event(log, logging.WARNING, "login with hunter2-very-secret failed", platform="bluesky", n=3)
        event(
            log,
            logging.INFO,
            "header",
            detail="Authorization: Bearer abcdefghijklmnop",
            pw="abcd-efgh-ijkl-mnop",
        )
    finally:
        for name in ("sqbot", "apscheduler"):
            logging.getLogger(name).removeHandler(handler)
    first, second = (json.loads(line) for line in buf.getvalue().splitlines())
    assert first["level"] == "warning" and first["platform"] == "bluesky" and first["n"] == 3
    assert first["msg"] == f"login with {REDACTED} failed"
    assert "abcdefghijklmnop" not in second["detail"] and second["pw"] == REDACTED


def test_the_redactor_hides_tokens_cookies_and_key_values() -> None:
    r = Redactor(["s3cr3t-value"])
    text = r(
        'password="pa55word" token=xyz cookie: substack.sid=abc123 eyJhbGciOi.eyJzdWIiOi.sig s3cr3t-value'
    )
    for secret in ("pa55word", "xyz", "abc123", "eyJhbGciOi", "s3cr3t-value"):
        assert secret not in text
    assert r("nothing secret here") == "nothing secret here"


# ---------------------------------------------------------------------------------------------- the real thing
def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(
        SQBOT_DATA_DIR=str(tmp / "data"),
        SQBOT_QUEUE=str(tmp / "queries"),
        SQBOT_SANDBOX="1",
        SQBOT_TICK_SECONDS="0.5",
        SQBOT_HEARTBEAT_SECONDS="0.5",
        **extra,
    )
    return env


def _sqbot(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp,
        env=_env(tmp),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sqbot_run_posts_is_healthy_refuses_a_twin_and_stops_on_sigterm_with_exit_0(tmp_path: Path) -> None:
    write_query(tmp_path, "q1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while _sqbot(["health"], tmp_path).returncode != 0:
            assert time.monotonic() < deadline, "sqbot run never became healthy"
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.2)
        while "posted" not in _sqbot(["status"], tmp_path).stdout:
            assert time.monotonic() < deadline, "sqbot run never posted"
            time.sleep(0.2)
        twin = _sqbot(["run"], tmp_path)
        assert twin.returncode == 1 and "already running" in twin.stderr
        began = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=10)
        took = time.monotonic() - began
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 0 and took < 10
    lines = [json.loads(line) for line in (proc.stderr.read() if proc.stderr else "").splitlines()]
    msgs = [x["msg"] for x in lines]
    assert "sqbot daemon started" in msgs and "sqbot daemon stopped (clean exit)" in msgs
    assert any(m.startswith("posted: q1 on") for m in msgs)
    after = _sqbot(["health"], tmp_path)
    assert after.returncode == 1 and "stopped" in after.stderr
    assert sandbox_posts(tmp_path) == ["q1", "q1"]


def test_a_job_failing_several_ticks_running_makes_health_fail_and_shows_in_status(tmp_path: Path) -> None:
    s = settings_for(tmp_path, heartbeat_seconds=30)
    d = Daemon(s, clock=lambda: NOW, wall=lambda: NOW)
    store = Store.open(s.db_path)
    store.set_daemon_state(pid=42, heartbeat_at=iso(NOW), heartbeat_seconds=30)
    store.close()

    def wedged(now: datetime) -> None:
        raise RuntimeError("UNIQUE constraint failed: posts.platform, posts.platform_id")

    for tick in range(3):
        assert d.guarded("post", wedged) is False
        ok, why = health(s, NOW + timedelta(seconds=5))
        assert ok is (tick < 2), why  # one or two failures: retried at the next tick, still healthy
    assert "job post failed its last 3 runs" in why and "UNIQUE constraint" in why
    assert any("job post failed its last 3 runs (" in line for line in status_lines(s, NOW))
    assert d.guarded("post", lambda now: None) is True  # a good run ends the streak
    assert health(s, NOW + timedelta(seconds=5))[0] is True
