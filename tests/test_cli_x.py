"""`sqbot post` / `sqbot poll` against the local X API v2 fake through SQBOT_X_API_BASE (spec-validated)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.x_api import XFake


@pytest.fixture
def fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f
        f.assert_valid()


def sqbot(tmp: Path, fake: XFake, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(
        SQBOT_DATA_DIR=str(tmp / "data"),
        SQBOT_QUEUE=str(tmp / "queries"),
        SQBOT_SANDBOX="0",
        SQBOT_X_API_KEY="ck",
        SQBOT_X_API_SECRET="cs",
        SQBOT_X_ACCESS_TOKEN="at",
        SQBOT_X_ACCESS_SECRET="as",
        SQBOT_X_API_BASE=fake.base_url,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp, env=env, capture_output=True, text=True, timeout=120
    )


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
