"""Review app bench: server time of *People to contact* and of a person page on a big lead database; prints
p50/p95 (the goal is p95 < 100 ms each), never asserts.

    .venv/bin/python bench/review.py                       # out/bench/leads-1M.db (bench/scale.py builds it, ~18 min)
    .venv/bin/python bench/review.py --big 100000 --big-people 10000   # a smaller database, built in a temp dir

The pages are requested through the real app in process (Starlette's TestClient: routing, the access checks,
the store reads, Jinja2 rendering), so the figures are server time without the network. The digest window holds
the newest --window replies (a digest marked sent just before them; rows count as fetched when written), as in
bench/scale.py's digest section: People to contact is that window's list, as in the digest (its first page, as
the review shows it: `bot.review.views.PEOPLE_SHOWN`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import NOW, build_big  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.store.db import Store, iso, parse_iso  # noqa: E402


def timed(fn: object, runs: int) -> tuple[float, float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        r = fn()  # type: ignore[operator]
        out.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.text[:300]
    out.sort()
    return statistics.median(out), out[max(0, round(0.95 * len(out)) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", type=int, default=1_000_000)
    ap.add_argument("--big-people", type=int, default=100_000)
    ap.add_argument("--big-db", type=Path)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument(
        "--window", type=int, default=10_000, help="replies in the digest window (as bench/scale.py's digest)"
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sqbot-review-bench-"))
    cached = ROOT / "out" / "bench" / "leads-1M.db"
    src = args.big_db or (cached if (args.big, args.big_people) == (1_000_000, 100_000) else tmp / "big.db")
    if not src.exists():
        src.parent.mkdir(parents=True, exist_ok=True)
        build_big(src, args.big, args.big_people)
    db = tmp / "sqbot.db"  # a copy: the bench marks a digest sent, never in the shared database
    db.write_bytes(src.read_bytes())
    store = Store.open(db)
    try:
        with store.tx() as c:  # fetched when written (bench/scale.py stamps every row NOW)
            c.execute("UPDATE interactions SET fetched_at = created_at")
        day = parse_iso(
            store.q(
                "SELECT fetched_at FROM interactions ORDER BY fetched_at DESC LIMIT 1 OFFSET ?",
                (args.window,),
            )[0][0]
        )
        with store.tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO digests (window_end, window_start, message_id, status, replies, people,"
                " referrals) VALUES (?,?,?,?,0,0,0)",
                (iso(day), iso(day - timedelta(days=1)), "<bench@sqbot>", "sent"),
            )
        n = store.q("SELECT COUNT(*) AS n FROM interactions")[0]["n"]
        in_window = store.q("SELECT COUNT(*) AS n FROM interactions WHERE fetched_at >= ?", (iso(day),))[0][
            "n"
        ]
        pid = store.q("SELECT person_id FROM person_stats ORDER BY grp, pr DESC, last_at DESC LIMIT 1")[0][0]
        talkative = store.q(
            "SELECT person_id, COUNT(*) AS k FROM interactions GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        )[0]
    finally:
        store.close()
    from starlette.testclient import TestClient

    from bot.review.app import Config, create_app
    from bot.review.guard import Guard, served_hosts

    settings = load_settings(data_dir=tmp, db=db, sandbox=True)
    app = create_app(Config(settings, Guard("bench", served_hosts("127.0.0.1", 8765)), lambda: NOW))
    c = TestClient(app, base_url="http://127.0.0.1:8765")
    c.get("/?token=bench")
    print(f"review on {n:,} interactions ({in_window:,} in the digest window), {args.runs} runs each")
    for label, path in (
        ("People to contact", "/"),
        (f"person #{pid} (first to contact)", f"/person/{pid}"),
        (f"person #{talkative['person_id']} ({talkative['k']} replies)", f"/person/{talkative['person_id']}"),
    ):
        c.get(path)  # warm
        p50, p95 = timed(lambda path=path: c.get(path), args.runs)
        print(f"  {label:<40} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
