"""`sqbot leads ...` and `sqbot understand` as a user runs them: real subprocesses on a temporary data dir."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.models import IdentityData, InteractionData
from bot.store.db import Store

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def run(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update({"SQBOT_DATA_DIR": str(tmp / "data"), "SQBOT_SANDBOX": "1", "COLUMNS": "200"})
    return subprocess.run(
        [sys.executable, "-m", "bot", "--now", NOW.isoformat(), *args],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def it(pid: str, user: str, name: str, text: str) -> InteractionData:
    return InteractionData(
        platform="bluesky",
        platform_id=pid,
        kind="reply",
        author=IdentityData(platform="bluesky", user_id=user, handle=f"{user}.test", name=name),
        text=text,
        created_at=NOW,
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    from bot.poll.fetch import make_analyser

    s = Store.open(tmp_path / "data" / "sqbot.db")
    s.ingest(
        "bluesky",
        [
            it("r1", "maya", "Maya Okafor", "You should talk to @ivan.test, he built exactly this."),
            it("r2", "evil", "[bold red]Boss[/] \x1b[2J\u202eevil", "nice"),
            it("r3", "eve", "=cmd|' /C calc'!A0", "following"),
        ],
        None,
        NOW,
        analyse=make_analyser(["you"]),
    )
    s.close()
    return tmp_path


def test_list_orders_referrers_first_and_prints_hostile_names_inertly(data: Path) -> None:
    r = run(["leads", "list"], data)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "Maya Okafor" in lines[1] and "ivan.test" in lines[2]  # the referrer, then the lead she referred
    assert "[bold red]Boss[/]" in r.stdout  # rich markup from data is shown, not interpreted
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout and "\\u001b[2J" in r.stdout


def test_set_status_note_remind_and_show_round_trip(data: Path) -> None:
    assert (
        run(["leads", "set-status", "ivan.test", "contacted"], data).stdout.strip()
        == "#2: referred → contacted"
    )
    assert run(["leads", "note", "2", "emailed", "him"], data).returncode == 0
    assert "Tue 2026-12-08" in run(["leads", "remind", "2", "+1w"], data).stdout
    shown = json.loads(run(["leads", "show", "2", "--json"], data).stdout)
    assert shown["status"] == "contacted" and shown["notes"] == "[2026-12-01] emailed him"
    assert shown["next_follow_up"] == "2026-12-08T09:00:00+00:00"
    assert shown["referred_by"][0]["name"] == "Maya Okafor"
    text = run(["leads", "show", "1"], data).stdout
    assert "pointed to bluesky:ivan.test" in text and "→ lead #2" in text
    bad = run(["leads", "set-status", "nobody.test", "done"], data)
    assert bad.returncode == 1 and "sqbot leads list" in bad.stderr and "Traceback" not in bad.stderr


def test_merge_then_unmerge_restores_two_people(data: Path) -> None:
    out = run(["leads", "merge", "1", "3"], data).stdout
    assert "merge #1" in out and "sqbot leads unmerge 1" in out
    assert len(json.loads(run(["leads", "list", "--json"], data).stdout)) == 3
    assert "restored" in run(["leads", "unmerge", "1"], data).stdout
    assert len(json.loads(run(["leads", "list", "--json"], data).stdout)) == 4


def test_forget_reports_what_it_deleted(data: Path) -> None:
    r = run(["leads", "forget", "1", "--yes"], data)
    assert r.returncode == 0 and "1 interactions" in r.stdout and "1 referrals" in r.stdout
    assert "backups or copies of the data dir made before today still hold them" in r.stdout
    names = {p["name"] for p in json.loads(run(["leads", "list", "--json"], data).stdout)}
    assert "Maya Okafor" not in names


def test_export_csv_cells_cannot_run_as_formulas(data: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run(["leads", "export", "--csv"], data).stdout)))
    eve = next(r for r in rows if "calc" in r["name"])
    assert eve["name"].startswith("'=")
    assert run(["leads", "export"], data).returncode != 0


def test_understand_prints_one_json_line_per_record(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    recs = [
        {
            "id": "a",
            "platform": "x",
            "author_handle": "kw",
            "author_name": "K",
            "author_bio": "",
            "text": "@noa cc @maria_lab she works on this",
        },
        {
            "id": "b",
            "platform": "bluesky",
            "author_handle": "z.bsky.social",
            "author_name": "Z",
            "author_bio": "",
            "text": "+1",
        },
    ]
    f.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    r = run(["understand", str(f), "--owner", "noa"], tmp_path)
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert set(out[0]) == {"id", "intent", "referrals", "offers_contact", "lead_priority"}
    assert out[0]["intent"] == "referral" and out[0]["referrals"][0]["handle"] == "maria_lab"
    assert out[1]["intent"] == "social"


def test_understand_reprocess_is_idempotent(data: Path) -> None:
    first = run(["understand", "--reprocess"], data)
    assert first.returncode == 0 and first.stdout.startswith("reprocessed 3 interaction(s)")
    assert "0 relabelled, 0 referral(s) added, 0 removed" in run(["understand", "--reprocess"], data).stdout


def test_a_1_mb_reply_is_stored_capped_with_a_marker_and_shown_fast(tmp_path: Path) -> None:
    import time

    from bot.safety.text import MAX_STORED_TEXT

    huge = "word " * 210_000  # 1,050,000 characters
    s = Store.open(tmp_path / "data" / "sqbot.db")
    try:
        s.ingest("bluesky", [it("big", "flood", "Flo Od", huge)], None, NOW)
        stored = s.q("SELECT text FROM interactions WHERE platform_id='big'")[0]["text"]
    finally:
        s.close()
    assert len(stored) < MAX_STORED_TEXT + 100 and stored.startswith(huge[:MAX_STORED_TEXT])
    assert stored.endswith(f"[… {len(huge) - MAX_STORED_TEXT} more characters not stored]")
    start = time.monotonic()
    r = run(["leads", "show", "1"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert time.monotonic() - start < 5 and len(r.stdout) < 30_000


def test_forget_names_the_backups_that_still_hold_the_person(data: Path) -> None:
    copy = data / "copy.db"
    assert run(["backup", str(copy)], data).returncode == 0
    r = run(["leads", "forget", "1", "--yes"], data)
    assert r.returncode == 0, r.stderr
    assert f"these backups made before still hold them (delete or re-make them): {copy}" in r.stdout
