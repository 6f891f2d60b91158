"""`sqbot stats`: metered X spend per month and per query, after real runs against the spec-checked X fake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.x_api import XFake

from bot.store.db import Store

PNG = (  # a real 1x1 PNG: images are checked by content (bot.queue.files) before they are sent
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
    b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f
        f.assert_valid()


def sqbot(tmp: Path, fake: XFake | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(
        SQBOT_DATA_DIR=str(tmp / "data"),
        SQBOT_QUEUE=str(tmp / "queries"),
        SQBOT_SANDBOX="0",
        SQBOT_X_BUDGET_USD="2.5",
    )
    if fake is not None:
        env.update(
            SQBOT_X_API_KEY="ck",
            SQBOT_X_API_SECRET="cs",
            SQBOT_X_ACCESS_TOKEN="at",
            SQBOT_X_ACCESS_SECRET="as",
            SQBOT_X_API_BASE=fake.base_url,
        )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp, env=env, capture_output=True, text=True, timeout=120
    )


def test_stats_shows_what_posting_with_an_image_and_polling_x_cost(tmp_path: Path, fake: XFake) -> None:
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "hive.png").write_bytes(PNG)
    (queries / "q.yaml").write_text(
        "id: tools\nplatforms: [x]\ntext: Which hive tools do you use?\n"
        "images: [{path: hive.png, alt: A hive tool on a frame}]\n",
        encoding="utf-8",
    )
    posted = sqbot(tmp_path, fake, "post")
    assert posted.returncode == 0, posted.stdout + posted.stderr
    [ours] = fake.by_author(fake.me)
    assert [m.alt_text for m in fake.media_of(ours.id)] == ["A hive tool on a frame"]
    ana = fake.add_user("ana", "Ana")
    fake.add_tweet(ana, "@sqbot_lab a smoker", reply_to=ours.id)
    fake.add_tweet(ana, "@sqbot_lab unrelated: hello")
    polled = sqbot(tmp_path, fake, "poll")
    assert polled.returncode == 0, polled.stdout + polled.stderr

    out = sqbot(tmp_path, None, "stats", "--json")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["total_usd"] == pytest.approx(fake.cost)  # what we metered is what X billed
    assert got["total_usd"] > 0.015  # the post, plus the poll's reads
    [month] = got["months"]
    assert month["usd"] == pytest.approx(fake.cost)
    assert sum(q["usd"] for q in got["queries"]) == pytest.approx(fake.cost)
    assert got["budget"]["budget_usd"] == 2.5
    assert got["budget"]["month"] == datetime.now(UTC).strftime("%Y-%m") == month["key"]

    text = sqbot(tmp_path, None, "stats")
    assert text.returncode == 0
    assert month["key"] in text.stdout and f"${fake.cost:.3f}" in text.stdout
    assert "budget: X $" in text.stdout and "of $2.50" in text.stdout


def test_stats_splits_spend_per_query_with_polling_shared_and_filters_a_month(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data" / "sqbot.db")
    nov, dec = datetime(2026, 11, 3, 9, tzinfo=UTC), datetime(2026, 12, 1, 9, tzinfo=UTC)
    rows = [
        ("POST /2/tweets", 1, 0.015, nov, "bees"),
        ("POST /2/tweets", 1, 0.2, nov, "wasps"),
        ("GET /2/users/:id/mentions", 3, 0.012, nov, "bees"),
        ("GET /2/users/:id/mentions", 1, 0.001, nov, None),
        ("GET /2/users/:id/mentions", 0, 0.0, dec, None),
        ("POST /2/tweets", 1, 0.015, dec, "ants"),
    ]
    with store.tx() as c:
        c.executemany(
            "INSERT INTO api_calls (platform, endpoint, resources, usd, at, query_id) VALUES ('x',?,?,?,?,?)",
            [(e, n, usd, at.isoformat(), q) for e, n, usd, at, q in rows],
        )
    store.close()
    out = sqbot(tmp_path, None, "stats", "--json")
    got = json.loads(out.stdout)
    assert [(m["key"], m["calls"], m["usd"]) for m in got["months"]] == [
        ("2026-12", 2, 0.015),
        ("2026-11", 4, pytest.approx(0.228)),
    ]
    nov_only = json.loads(sqbot(tmp_path, None, "stats", "--month", "2026-11", "--json").stdout)
    assert [(q["key"], q["resources"], q["usd"]) for q in nov_only["queries"]] == [
        ("wasps", 1, 0.2),
        ("bees", 4, pytest.approx(0.027)),
        ("polling (shared)", 1, 0.001),
    ]
    text = sqbot(tmp_path, None, "stats", "--month", "2026-11").stdout
    assert "wasps" in text and "ants" not in text and "polling (shared)" in text


def test_stats_refuses_a_malformed_month_and_says_how_to_write_it(tmp_path: Path) -> None:
    out = sqbot(tmp_path, None, "stats", "--month", "11/2026")
    assert out.returncode == 2
    assert "not a month like 2026-11" in out.stderr
