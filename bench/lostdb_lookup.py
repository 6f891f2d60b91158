"""What the lost-database defence costs on X: the own-timeline look-up before first sends, against the X fake.

Run: .venv/bin/python bench/lostdb_lookup.py [QUERIES]   (default 10 queries, each a 3-post thread)
Prints, per scenario, the timeline requests, the posts read and the metered USD (X bills owned reads at
$0.001 a post, once a UTC day): a healthy database posting new queries one run at a time; the same after the
database is lost (every query adopted, none reposted); and the POST /2/tweets that a repost would have cost.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import tweepy  # noqa: E402
from fakes.x_api import XFake  # noqa: E402

from bot.models import PostSpec, Query  # noqa: E402
from bot.platforms.x.adapter import XPlatform  # noqa: E402
from bot.platforms.x.metering import PRICE_POST_CREATE  # noqa: E402
from bot.publish.outbox import publish_due, sync_queue  # noqa: E402
from bot.publish.schedule import parse_slots  # noqa: E402
from bot.store.db import Store  # noqa: E402

TIMELINE = "GET /2/users/:id/tweets"


def adapter(fake: XFake, day: datetime) -> XPlatform:
    client = tweepy.Client(
        consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="as"
    )
    return XPlatform(client, api_base=fake.base_url, user_id=fake.me, now=lambda: day)


def run(store: Store, fake: XFake, queries: list[Query], now: datetime) -> tuple[int, float, list[str]]:
    x = adapter(fake, now)  # a new process each run (cron): nothing billed yet today in its meter
    sync_queue(store, queries, slots=parse_slots("daily 09:00"), tz=UTC, now=now)
    out = publish_due(store, {"x": x}, {q.id: q for q in queries}, now)
    reads = [u for u in x.usage if u.endpoint == TIMELINE]
    return sum(u.resources for u in reads), sum(u.usd for u in reads), [o.detail for o in out]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    queries = [
        Query(
            id=f"q{i}",
            platforms=("x",),
            posts=tuple(PostSpec(f"Question {i}, part {k + 1}?") for k in range(3)),
        )
        for i in range(n)
    ]
    tmp = Path(tempfile.mkdtemp())
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    try:
        with XFake() as fake:
            store = Store.open(tmp / "a" / "sqbot.db")
            read_total, usd_total = 0, 0.0
            for i in range(n):  # one new query a day, each posted by its own `sqbot post` run
                before = fake.requests_to(TIMELINE)
                posts, usd, _ = run(store, fake, queries[: i + 1], start + timedelta(days=i))
                assert fake.requests_to(TIMELINE) == before + 1
                read_total, usd_total = read_total + posts, usd_total + usd
            store.close()
            print(f"healthy database, {n} first sends in {n} runs: {n} timeline requests (1 per run),")
            print(f"  {read_total} posts read in all, ${usd_total:.3f} (${usd_total / n:.4f} per first send)")
            shutil.rmtree(tmp / "a")
            lost = Store.open(tmp / "b" / "sqbot.db")
            before_posts = fake.requests_to("POST /2/tweets")
            posts, usd, details = run(lost, fake, queries, start + timedelta(days=n))
            adopted = sum("adopted" in d for d in details)
            reposted = fake.requests_to("POST /2/tweets") - before_posts
            print(
                f"lost database, {n} queries due again: 1 timeline request, {posts} posts read, ${usd:.3f};"
            )
            print(
                f"  {adopted} adopted, {reposted} posts sent again (a repost would have been "
                f"{3 * n} posts, ${3 * n * PRICE_POST_CREATE:.3f}, and {3 * n} duplicates)"
            )
            lost.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
