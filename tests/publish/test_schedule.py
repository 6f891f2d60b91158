from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.digest.collect import collect
from bot.errors import ConfigError
from bot.models import PostSpec, Query
from bot.ops.daemon import Daemon, status_lines
from bot.ops.service import post_due
from bot.platforms.sandbox.adapter import SandboxPlatform
from bot.publish.plan import compute_due, plan_rows
from bot.publish.schedule import Slots, due_at, local_instant, next_free_slot, parse_slots
from bot.store.db import Store

ZURICH = ZoneInfo("Europe/Zurich")
NEW_YORK = ZoneInfo("America/New_York")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def _days_with(slots: Slots, at: time) -> set[int]:
    return {d for d, times in enumerate(slots.by_day) if at in times}


# ---------------------------------------------------------------------------------------------- parse_slots
@pytest.mark.parametrize(
    ("spec", "at", "days"),
    [
        ("mon-fri 09:00,13:00; sat 10:00", time(9), {MON, TUE, WED, THU, FRI}),
        ("mon-fri 09:00,13:00; sat 10:00", time(13), {MON, TUE, WED, THU, FRI}),
        ("mon-fri 09:00,13:00; sat 10:00", time(10), {SAT}),
        ("daily 08:30", time(8, 30), set(range(7))),
        ("mon,wed 7:05", time(7, 5), {MON, WED}),
        ("fri-mon 18:00", time(18), {FRI, SAT, SUN, MON}),  # a range may wrap over the week's end
        ("Mon-Wed,Sun 12:00", time(12), {MON, TUE, WED, SUN}),
        ("monday 23:59;", time(23, 59), {MON}),
        ("  tue   09:00 , 10:00 ", time(10), {TUE}),
    ],
)
def test_parse_slots_reads_days_and_times(spec: str, at: time, days: set[int]) -> None:
    assert _days_with(parse_slots(spec), at) == days


def test_parse_slots_sorts_and_merges_times_per_day() -> None:
    slots = parse_slots("mon 13:00,09:00; mon-tue 09:00")
    assert slots.by_day[MON] == (time(9), time(13))
    assert slots.by_day[TUE] == (time(9),)
    assert slots.by_day[WED] == ()


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("", "empty"),
        (" ; ", "empty"),
        ("mon", "needs days and times"),
        ("funday 09:00", "'funday' is not a day"),
        ("mon-fry 09:00", "'fry' is not a day"),
        ("mon 9am", "'9am' is not a time"),
        ("mon 24:00", "'24:00' is not a time"),
        ("mon 09:60", "'09:60' is not a time"),
        ("mon 09:00,", "'' is not a time"),
    ],
)
def test_parse_slots_rejects_bad_specs_with_an_example(spec: str, says: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_slots(spec)
    assert says in str(err.value)
    assert "SQBOT_SLOTS=" in str(err.value)


# ------------------------------------------------------------------------------------------ next_free_slot
def test_next_free_slot_is_the_first_slot_after_now() -> None:
    slots = parse_slots("mon-fri 09:00,13:00")
    after = datetime(2026, 11, 30, 8, 0, tzinfo=ZURICH)  # a Monday
    got = next_free_slot(slots, ZURICH, after, ())
    assert got == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 CET
    assert got.tzinfo is UTC


def test_next_free_slot_includes_a_slot_exactly_at_now() -> None:
    slots = parse_slots("daily 09:00")
    now = datetime(2026, 11, 30, 9, 0, tzinfo=ZURICH)
    assert next_free_slot(slots, ZURICH, now, ()) == now


def test_next_free_slot_skips_taken_slots_compared_as_instants() -> None:
    slots = parse_slots("mon-fri 09:00,13:00")
    after = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    taken = [datetime(2026, 11, 30, 9, 0, tzinfo=ZURICH), datetime(2026, 11, 30, 12, 0, tzinfo=UTC)]
    assert next_free_slot(slots, ZURICH, after, taken) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_next_free_slot_crosses_the_weekend() -> None:
    slots = parse_slots("mon-fri 09:00; sat 10:00")
    after = datetime(2026, 11, 28, 15, 0, tzinfo=ZURICH)  # Saturday afternoon
    assert next_free_slot(slots, ZURICH, after, ()) == datetime(2026, 11, 30, 9, 0, tzinfo=ZURICH)


def test_next_free_slot_finds_a_slot_beyond_many_taken_ones() -> None:
    slots = parse_slots("wed 09:00")
    after = datetime(2026, 1, 1, tzinfo=UTC)
    taken: list[datetime] = []
    for _ in range(60):
        taken.append(next_free_slot(slots, ZURICH, after, taken))
    assert len(set(taken)) == 60
    assert taken == sorted(taken)
    assert all(t.astimezone(ZURICH).weekday() == WED for t in taken)


def test_next_free_slot_needs_an_aware_time_and_slots() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_free_slot(parse_slots("daily 09:00"), ZURICH, datetime(2026, 1, 1), ())
    with pytest.raises(ConfigError, match="no posting slots"):
        next_free_slot(Slots(((),) * 7), ZURICH, datetime(2026, 1, 1, tzinfo=UTC), ())


# ---------------------------------------------------------------------------------------------- DST
@pytest.mark.parametrize(
    ("tz", "day", "slot", "expected_utc"),
    [
        # spring forward: the wall-clock time does not exist and moves to the end of the gap
        (ZURICH, datetime(2026, 3, 29), time(2, 30), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # 03:00 CEST
        (ZURICH, datetime(2026, 3, 29), time(2, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        (NEW_YORK, datetime(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),  # 03:00 EDT
        # fall back: the wall-clock time happens twice and the first one (fold=0, summer time) is used
        (ZURICH, datetime(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # CEST
        (NEW_YORK, datetime(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),  # EDT
        # ordinary times either side of the transitions keep their offset
        (ZURICH, datetime(2026, 3, 29), time(3, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        (NEW_YORK, datetime(2026, 11, 1), time(3, 0), datetime(2026, 11, 1, 8, 0, tzinfo=UTC)),  # EST
    ],
)
def test_local_instant_around_2026_transitions(
    tz: ZoneInfo, day: datetime, slot: time, expected_utc: datetime
) -> None:
    assert local_instant(day.date(), slot, tz) == expected_utc


@pytest.mark.parametrize(
    ("tz", "day", "slot", "expected_utc"),
    [
        (ZURICH, datetime(2026, 3, 29), "02:30", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        (NEW_YORK, datetime(2026, 3, 8), "02:30", datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
    ],
)
def test_spring_forward_slot_is_moved_never_dropped(
    tz: ZoneInfo, day: datetime, slot: str, expected_utc: datetime
) -> None:
    slots = parse_slots(f"sun {slot}")
    after = (day - timedelta(days=1)).replace(tzinfo=tz)
    got = next_free_slot(slots, tz, after, ())
    assert got == expected_utc
    assert got.astimezone(tz).strftime("%H:%M") == "03:00"


@pytest.mark.parametrize(
    ("tz", "day", "slot", "first_utc"),
    [
        (ZURICH, datetime(2026, 10, 25), "02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (NEW_YORK, datetime(2026, 11, 1), "01:30", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    ],
)
def test_fall_back_slot_is_taken_once_not_twice(
    tz: ZoneInfo, day: datetime, slot: str, first_utc: datetime
) -> None:
    slots = parse_slots(f"sun {slot}")
    after = (day - timedelta(days=1)).replace(tzinfo=tz)
    first = next_free_slot(slots, tz, after, ())
    assert first == first_utc
    second = next_free_slot(slots, tz, after, [first])
    assert (
        second.astimezone(tz).date() == (day + timedelta(days=7)).date()
    )  # next Sunday, not the repeat hour


@pytest.mark.parametrize(
    ("tz", "day", "on_the_day"),
    [
        # spring forward: 02:00 and 02:30 move to 03:00, where the 03:00 slot already is: one instant
        (ZURICH, datetime(2026, 3, 29), 46),
        (NEW_YORK, datetime(2026, 3, 8), 46),
        # fall back: the repeated hour is used once, so still 48 slots, not 50
        (ZURICH, datetime(2026, 10, 25), 48),
        (NEW_YORK, datetime(2026, 11, 1), 48),
    ],
)
def test_half_hourly_slots_across_a_transition_are_each_used_once(
    tz: ZoneInfo, day: datetime, on_the_day: int
) -> None:
    times = ",".join(f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30))
    slots = parse_slots(f"daily {times}")
    start = (day - timedelta(days=1)).replace(tzinfo=tz)
    end = (day + timedelta(days=2)).replace(tzinfo=tz)
    taken: list[datetime] = []
    while (nxt := next_free_slot(slots, tz, start, taken)) < end:
        taken.append(nxt)
    assert taken == sorted(set(taken))  # strictly increasing: no instant twice
    per_day = {
        d: sum(1 for t in taken if t.astimezone(tz).date() == d)
        for d in {t.astimezone(tz).date() for t in taken}
    }
    assert per_day == {
        (day - timedelta(days=1)).date(): 48,
        day.date(): on_the_day,
        (day + timedelta(days=1)).date(): 48,
    }
    local_times = {t.astimezone(tz).strftime("%H:%M") for t in taken if t.astimezone(tz).date() == day.date()}
    assert "03:00" in local_times  # the moved spring-forward slots land on the first valid instant


# ---------------------------------------------------------------------------------------------- due_at
def _query(**kw: object) -> Query:
    return Query(id="q", platforms=("bluesky",), posts=(PostSpec("hi"),), **kw)  # type: ignore[arg-type]


NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)  # a Saturday


def test_due_at_uses_the_explicit_time_in_utc() -> None:
    at = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Zurich"))
    got = due_at(_query(at=at), slots=None, tz=ZURICH, now=NOW)
    assert got == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert got.tzinfo is UTC


def test_due_at_without_time_or_slot_is_now() -> None:
    assert due_at(_query(), slots=None, tz=ZURICH, now=NOW) == NOW


def test_due_at_slot_next_is_the_next_free_slot_after_now() -> None:
    slots = parse_slots("mon-fri 09:00")
    taken = [datetime(2026, 11, 30, 9, 0, tzinfo=ZURICH)]
    got = due_at(_query(slot="next"), slots=slots, tz=ZURICH, now=NOW, taken=taken)
    assert got == datetime(2026, 12, 1, 9, 0, tzinfo=ZURICH)


def test_due_at_slot_next_without_slots_says_to_set_them() -> None:
    with pytest.raises(ConfigError, match="SQBOT_SLOTS"):
        due_at(_query(slot="next"), slots=None, tz=ZURICH, now=NOW)


def test_due_at_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        due_at(_query(), slots=None, tz=ZURICH, now=datetime(2026, 11, 28))


# ------------------------------------------------------------------------------------------ one bad query
# An `at:` that passed validate on older versions and cannot be converted to UTC; built here directly, as a
# queue loaded before the horizon check (or a future bug) would hand it over.
FAR = datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _q(qid: str, **kw: object) -> Query:
    args: dict[str, object] = {"platforms": ("bluesky", "x"), "posts": (PostSpec(f"Question {qid}?"),)}
    args.update(kw)
    return Query(id=qid, source=f"queue/{qid}.yaml", line=1, **args)  # type: ignore[arg-type]


def test_a_query_that_cannot_be_scheduled_never_stops_the_others_and_says_why() -> None:
    failures: dict[str, str] = {}
    due = compute_due(
        [_q("far", at=FAR), _q("soon", slot="next"), _q("now")],
        {},
        slots=parse_slots("daily 13:00"),
        tz=UTC,
        now=NOON,
        taken=(),
        failures=failures,
    )
    assert due == {
        "soon": {"bluesky": NOON + timedelta(hours=1), "x": NOON + timedelta(hours=1)},
        "now": {"bluesky": NOON, "x": NOON},
    }
    assert list(failures) == ["far"]
    assert failures["far"].startswith(
        "query 'far' cannot be scheduled: at 9999-12-31T23:30:00-05:00 is out of range"
    )
    assert failures["far"].endswith("(queue/far.yaml:1); use a date between 2000 and 2199")


def test_plan_lists_the_unschedulable_query_last_with_why_and_plans_the_rest() -> None:
    rows = plan_rows([_q("far", at=FAR), _q("now")], {}, slots_spec="daily 13:00", tz=UTC, now=NOON)
    assert [(r["query_id"], r["platform"], r["status"], r["due_at"]) for r in rows] == [
        ("now", "bluesky", "new", "2026-12-01T12:00:00+00:00"),
        ("now", "x", "new", "2026-12-01T12:00:00+00:00"),
        ("far", "bluesky", "error", None),
        ("far", "x", "error", None),
    ]
    assert "cannot be scheduled" in rows[-1]["error"]


def _settings(tmp: Path, **kw: object) -> Settings:
    base: dict[str, object] = {
        "data_dir": tmp / "data",
        "queue": tmp / "queries",
        "sandbox": True,
        "catchup": "6h",
        "slots": "daily 09:00",
    }
    base.update(kw)
    return Settings(_env_file=None, **base)  # type: ignore[call-arg]


def _sandbox(s: Settings) -> dict[str, SandboxPlatform]:
    return {n: SandboxPlatform(n, s.data_dir / "sandbox.json") for n in ("bluesky", "x")}


def _posted(s: Settings) -> list[tuple[str, str]]:
    store = Store.open(s.db_path)
    try:
        return sorted((r.query_id, r.platform) for r in store.outbox(statuses=["posted"]))
    finally:
        store.close()


def test_post_posts_the_others_and_reports_the_unschedulable_query_as_failed(tmp_path: Path) -> None:
    s = _settings(tmp_path)
    outcomes = post_due(s, NOON, platforms=_sandbox(s), queries=[_q("far", at=FAR), _q("now")])
    assert sorted((o.query_id, o.platform, o.status) for o in outcomes) == [
        ("far", "bluesky", "failed"),
        ("far", "x", "failed"),
        ("now", "bluesky", "posted"),
        ("now", "x", "posted"),
    ]
    assert _posted(s) == [("now", "bluesky"), ("now", "x")]


def _write(tmp: Path, name: str, body: str) -> Path:
    (tmp / "queries").mkdir(exist_ok=True)
    path = tmp / "queries" / name
    path.write_text(body, encoding="utf-8")
    return path


def test_the_daemon_posts_the_other_queries_and_the_failing_job_shows_in_status_and_digest(
    tmp_path: Path,
) -> None:
    good = "id: good\nplatforms: [bluesky, x]\ntext: Who schedules posts well?\n"
    far = "id: far\nplatforms: [bluesky, x]\nat: 9999-12-31T23:30:00-05:00\ntext: Far away?\n"
    _write(tmp_path, "good.yaml", good)
    bad = _write(tmp_path, "far.yaml", far)
    s = _settings(tmp_path)
    d = Daemon(s, clock=lambda: NOON, wall=lambda: NOON, platforms=_sandbox(s))
    for _ in range(2):  # every tick: the good query is not held back, the job says what is wrong
        assert d.guarded("post", d.post) is False
    assert _posted(s) == [("good", "bluesky"), ("good", "x")]
    store = Store.open(s.db_path)
    try:
        run = store.job_runs()["post"]
        assert (run["runs"], run["failures"]) == (2, 2)
        assert f"{bad}:3:5: query 'far': at '9999-12-31T23:30:00-05:00' is outside" in run["last_error"]
        digest_attention = collect(store, NOON - timedelta(days=1), NOON + timedelta(hours=1)).attention
    finally:
        store.close()
    [line] = [x for x in status_lines(s, NOON) if x.startswith("attention:")]
    assert line.startswith(
        "attention: job post failed its last 2 runs (2026-12-01T12:00:00+00:00; last ok never): "
    )
    assert f"{bad}:3:5" in line
    assert [(a.platform, a.what) for a in digest_attention] == [("post", "job failing")]
    assert f"{bad}:3:5" in digest_attention[0].detail
    bad.unlink()  # fixed: the next run is fine and the attention goes away
    assert d.guarded("post", d.post) is True
    assert "attention: none" in status_lines(s, NOON)


def test_sqbot_plan_and_post_on_a_far_future_at_give_one_file_line_col_line_not_a_traceback(
    tmp_path: Path,
) -> None:
    far = _write(
        tmp_path, "far.yaml", "id: far\nplatforms: [bluesky]\nat: 9999-12-31T23:30:00-05:00\ntext: hi\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(
        {"SQBOT_DATA_DIR": str(tmp_path / "data"), "SQBOT_SANDBOX": "1", "SQBOT_QUEUE": str(far.parent)}
    )
    for args in (["validate"], ["plan"], ["post"]):
        r = subprocess.run(
            [sys.executable, "-m", "bot", "--now", "2026-12-01T09:00:00+00:00", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 1, args
        assert "Traceback" not in r.stderr and "OverflowError" not in r.stdout + r.stderr
        assert f"{far}:3:5: query 'far': at '9999-12-31T23:30:00-05:00' is outside" in r.stdout + r.stderr
