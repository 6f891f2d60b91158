"""`sqbot post` / `sqbot poll` against the local X API v2 fake through SQBOT_X_API_BASE (spec-validated)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.x_api import XFake
from fakes.x_api import run_sqbot as sqbot


@pytest.fixture
def fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f
        f.assert_valid()


def test_a_thread_posts_once_to_x_and_replies_become_leads(tmp_path: Path, fake: XFake) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "q.yaml").write_text(
        "id: tools\nplatforms: [x]\nthread: ['Which tools do you use? 🧵', 'Say why, too.']\n",
        encoding="utf-8",
    )
    first = sqbot(tmp_path, fake, "post")
    assert first.returncode == 0, first.stdout + first.stderr
    assert sqbot(tmp_path, fake, "post").stdout.strip() == "nothing due"
    ours = sorted(fake.by_author(fake.me), key=lambda t: t.id)
    assert [t.text for t in ours] == ["Which tools do you use? 🧵", "Say why, too."]
    assert ours[1].replied_to == ours[0].id

    ana = fake.add_user("ana_lab", "Ana Lima", description="Studies tool use in labs", followers=120)
    fake.add_tweet(ana, "@sqbot_lab Talk to @ben_k, he built one", reply_to=ours[0].id)
    polled = sqbot(tmp_path, fake, "poll")
    assert polled.returncode == 0 and "1 new interaction(s)" in polled.stdout, polled.stdout + polled.stderr
    again = sqbot(tmp_path, fake, "poll")
    assert "0 new interaction(s)" in again.stdout
    leads = json.loads(sqbot(tmp_path, fake, "leads", "list", "--json").stdout)
    ana_lead = next(p for p in leads if p["name"] == "Ana Lima")
    assert ana_lead["queries"] == ["tools"]
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:
        bio = con.execute("SELECT bio, followers FROM identities WHERE handle='ana_lab'").fetchone()
        spent = con.execute("SELECT COUNT(*), SUM(usd) FROM api_calls WHERE platform='x'").fetchone()
    assert bio == ("Studies tool use in labs", 120)
    assert spent[0] > 0 and spent[1] > 0  # metered for the monthly budget


def test_a_forgotten_account_that_writes_again_is_counted_in_poll_and_status_not_stored(
    tmp_path: Path, fake: XFake
) -> None:
    """Issue 18: the count was kept in `IngestReport.forgotten` and shown nowhere."""
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "q.yaml").write_text(
        "id: tools\nplatforms: [x]\ntext: 'Which tools do you use?'\n", encoding="utf-8"
    )
    assert sqbot(tmp_path, fake, "post").returncode == 0
    ours = fake.by_author(fake.me)[0]
    ana = fake.add_user("ana_lab", "Ana Lima")
    fake.add_tweet(ana, "@sqbot_lab I use a notebook", reply_to=ours.id)
    assert "1 new interaction(s)" in sqbot(tmp_path, fake, "poll").stdout
    pid = json.loads(sqbot(tmp_path, fake, "leads", "list", "--json").stdout)[0]["person_id"]
    forgot = sqbot(tmp_path, fake, "leads", "forget", str(pid), "--yes")
    assert forgot.returncode == 0, forgot.stdout + forgot.stderr
    assert "forgotten accounts" not in sqbot(tmp_path, fake, "status").stdout  # nothing written since

    fake.tick(60)
    fake.add_tweet(ana, "@sqbot_lab Ana Lima again, with my secret plans", reply_to=ours.id)
    polled = sqbot(tmp_path, fake, "poll")
    assert polled.returncode == 0, polled.stdout + polled.stderr
    assert "0 new interaction(s)" in polled.stdout
    assert "forgotten accounts wrote 1 time(s) (not stored)" in polled.stdout
    status = sqbot(tmp_path, fake, "status")
    assert "forgotten accounts wrote 1 time(s) on x (not stored; last " in status.stdout, status.stdout
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:
        dump = "\n".join(con.iterdump())
    assert "secret plans" not in dump and "ana_lab" not in dump and "Ana Lima" not in dump

    # SQBOT_KEEP_FORGOTTEN_REPLIES files them instead, as do-not-contact
    fake.tick(60)
    fake.add_tweet(ana, "@sqbot_lab and once more", reply_to=ours.id)
    kept = sqbot(tmp_path, fake, "poll", SQBOT_KEEP_FORGOTTEN_REPLIES="1")
    assert "1 new interaction(s)" in kept.stdout and "forgotten accounts wrote" not in kept.stdout
    lead = json.loads(sqbot(tmp_path, fake, "leads", "list", "--json").stdout)
    assert [(x["name"], x["status"]) for x in lead] == [("Ana Lima", "do-not-contact")]
