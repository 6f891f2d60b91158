"""Scale bench: prints every figure in one run (no hard-coded results).

    .venv/bin/python bench/scale.py                      # full run (100k ingest, 1M-interaction leads DB)
    .venv/bin/python bench/scale.py --big 200000         # smaller leads DB, for a quick look
    .venv/bin/python bench/scale.py --big-db /tmp/big.db # build once, reuse on later runs (default for 1M:
                                                         # out/bench/leads-1M.db, shared with cli_startup.py)
    .venv/bin/python bench/scale.py --only leads --big-db /tmp/big.db   # just one section (or --skip ...)

1. ingest: N interactions from P people (synthetic, realistic sizes) through `Store.ingest` (batches of 1,000, what
   one poll or stream burst files) vs a naive loop that inserts each row and commits it (default SQLite pragmas,
   on a sample of rows: its rate is per row); rows/s and the ratio (goal >= 10x). Also with reply understanding.
2. `sqbot leads list` (first page) and `sqbot leads show` on a database of --big interactions: p50 (goal < 200 ms),
   in process and as a CLI subprocess.
3. building + rendering a digest window of 10,000 replies (goal < 1 s).
4. RSS of a daemon-like process (bot.ops.daemon + bot.poll.stream imported, store open) at start and after ingesting N.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.models import IdentityData, InteractionData, Mention  # noqa: E402
from bot.store.db import Store, iso  # noqa: E402

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
QUERIES = 20
WORDS = (
    "research open endedness agents curiosity novelty search evolution ask talk paper lab group team "
    "interesting thread try reading book course model benchmark quality diversity thanks great question"
).split()


def _text(rng: random.Random, lo: int, hi: int) -> str:
    n = rng.randint(lo, hi)
    out: list[str] = []
    while sum(len(w) + 1 for w in out) < n:
        out.append(rng.choice(WORDS))
    return " ".join(out)[:hi]


def people(n: int, rng: random.Random) -> list[IdentityData]:
    return [
        IdentityData(
            platform="bluesky",
            user_id=f"did:plc:{i:024x}",
            handle=f"user{i}.bsky.social",
            name=f"Person {i}",
            bio=_text(rng, 40, 200),
            followers=rng.randint(0, 5000),
            url=f"https://bsky.app/profile/user{i}.bsky.social",
        )
        for i in range(n)
    ]


def root_uri(q: int) -> str:
    return f"at://did:plc:owner/app.bsky.feed.post/root{q:04d}"


def interactions(
    n: int, authors: list[IdentityData], rng: random.Random, start: int = 0
) -> list[InteractionData]:
    out = []
    for k in range(start, start + n):
        a = authors[k % len(authors)] if k < len(authors) else rng.choice(authors)
        q = rng.randrange(QUERIES)
        r = rng.random()
        kind = "reply" if r < 0.85 else "quote" if r < 0.95 else "mention"
        text = _text(rng, 20, 300)
        if rng.random() < 0.05:
            text += f" ask @user{rng.randrange(len(authors))}.bsky.social"
        out.append(
            InteractionData(
                platform="bluesky",
                platform_id=f"at://{a.user_id}/app.bsky.feed.post/{k:013d}",
                kind=kind,  # type: ignore[arg-type]
                author=a,
                text=text,
                created_at=NOW - timedelta(seconds=n - (k - start)),
                root_id=root_uri(q),
                parent_id=root_uri(q),
                url=f"https://bsky.app/profile/{a.handle}/post/{k:013d}",
                mentions=(Mention(handle=None, user_id="did:plc:owner", platform="bluesky"),)
                if kind == "mention"
                else (),
            )
        )
    return out


def seed_queries(store: Store) -> None:
    with store.tx() as c:
        for q in range(QUERIES):
            c.execute(
                "INSERT OR IGNORE INTO queries (id, title, platforms, watch_seconds, first_seen, updated_at)"
                " VALUES (?,?,?,?,?,?)",
                (f"q{q}", f"Query {q}", '["bluesky"]', 14 * 86400, iso(NOW), iso(NOW)),
            )
            c.execute(
                "INSERT OR IGNORE INTO posts (query_id, platform, idx, platform_id, status, posted_at)"
                " VALUES (?,?,?,?,?,?)",
                (f"q{q}", "bluesky", 0, root_uri(q), "posted", iso(NOW - timedelta(days=1))),
            )


def batches(items: list[InteractionData], size: int) -> Iterator[list[InteractionData]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def ingest_real(path: Path, items: list[InteractionData], analyse: Any = None, batch: int = 1000) -> float:
    store = Store.open(path)
    seed_queries(store)
    began = time.perf_counter()
    for i, b in enumerate(batches(items, batch)):
        store.ingest("bluesky", b, f"c{i}", NOW, analyse=analyse)
    took = time.perf_counter() - began
    store.close()
    return took


def ingest_naive(path: Path, items: list[InteractionData]) -> float:
    """What a first version would do: look the author up, insert, commit, for every row (SQLite defaults)."""
    Store.open(path).close()  # the same schema
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")  # SQLite's default journal, default synchronous=FULL
    began = time.perf_counter()
    for it in items:
        a = it.author
        row = con.execute(
            "SELECT person_id FROM identities WHERE platform=? AND user_id=?", (a.platform, a.user_id)
        ).fetchone()
        if row is None:
            cur = con.execute(
                "INSERT INTO people (name, status, first_seen, updated_at) VALUES (?, 'new', ?, ?)",
                (a.name, iso(NOW), iso(NOW)),
            )
            pid = cur.lastrowid
            con.execute(
                "INSERT INTO identities (platform, user_id, handle, name, bio, followers, url, person_id,"
                " first_seen, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (a.platform, a.user_id, a.handle, a.name, a.bio, a.followers, a.url, pid, iso(NOW), iso(NOW)),
            )
        else:
            pid = row[0]
        con.execute(
            "INSERT OR IGNORE INTO interactions (platform, platform_id, kind, root_id, parent_id, author_user_id,"
            " person_id, text, url, created_at, fetched_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                it.platform,
                it.platform_id,
                it.kind,
                it.root_id,
                it.parent_id,
                a.user_id,
                pid,
                it.text,
                it.url,
                iso(it.created_at),
                iso(NOW),
            ),
        )
        con.commit()
    took = time.perf_counter() - began
    con.close()
    return took


def p50(fn: Callable[[], object], runs: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), max(times)


def cli(db: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(SQBOT_DB=str(db), SQBOT_SANDBOX="1", SQBOT_DATA_DIR=str(db.parent))
    r = subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, cwd=ROOT
    )
    if r.returncode != 0:
        raise SystemExit(f"sqbot {' '.join(args)} failed: {r.stderr[-500:]}")


def build_big(path: Path, n: int, n_people: int) -> None:
    rng = random.Random(7)
    authors = people(n_people, rng)
    store = Store.open(path)
    seed_queries(store)
    began = time.perf_counter()
    step = 50_000
    for start in range(0, n, step):
        chunk = interactions(min(step, n - start), authors, rng, start)
        for b in batches(chunk, 1000):
            store.ingest("bluesky", b, None, NOW)
    store.close()
    print(f"  built {n:,} interactions / {n_people:,} people in {time.perf_counter() - began:.0f} s: {path}")


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def rss_child(n: int, n_people: int) -> None:
    """Run in a fresh process: RSS of a daemon-like process at start, then after ingesting n."""
    import bot.ops.daemon
    import bot.poll.stream  # noqa: F401

    with tempfile.TemporaryDirectory() as d:
        store = Store.open(Path(d) / "rss.db")
        seed_queries(store)
        start = rss_kb()
        rng = random.Random(3)
        authors = people(n_people, rng)
        for s in range(0, n, 10_000):  # generated as it arrives (a poller never holds 100k at once)
            for b in batches(interactions(min(10_000, n - s), authors, rng, s), 1000):
                store.ingest("bluesky", b, None, NOW)
        after = rss_kb()
        store.close()
    print(f"RSS_START_KB={start} RSS_AFTER_KB={after}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--naive-sample", type=int, default=10_000)
    ap.add_argument("--big", type=int, default=1_000_000)
    ap.add_argument("--big-people", type=int, default=100_000)
    ap.add_argument("--big-db", type=Path)
    ap.add_argument("--digest", type=int, default=10_000)
    ap.add_argument("--skip", default="", help="comma list of sections to skip: ingest,leads,digest,rss")
    ap.add_argument("--only", default="", help="comma list of the only sections to run (e.g. leads)")
    ap.add_argument("--rss-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.rss_child:
        rss_child(args.n, args.people)
        return
    skip = set(filter(None, args.skip.split(",")))
    if args.only:
        skip |= {"ingest", "leads", "digest", "rss"} - set(args.only.split(","))
    tmp = Path(tempfile.mkdtemp(prefix="sqbot-bench-"))
    rng = random.Random(1)
    authors = people(args.people, rng)
    items = interactions(args.n, authors, rng)
    avg_text = statistics.mean(len(i.text) for i in items)
    print(f"sqbot scale bench ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, python {sys.version.split()[0]})")

    if "ingest" not in skip:
        print(
            f"\n[1] ingest {args.n:,} interactions from {args.people:,} people (avg text {avg_text:.0f} chars)"
        )
        t_real = ingest_real(tmp / "real.db", items)
        real = args.n / t_real
        print(f"  Store.ingest, batches of 1,000:          {real:>10,.0f} rows/s  ({t_real:.1f} s)")
        sample = items[: args.naive_sample]
        t_naive = ingest_naive(tmp / "naive.db", sample)
        naive = len(sample) / t_naive
        print(f"  naive insert+commit per row ({len(sample):,}):   {naive:>10,.0f} rows/s  ({t_naive:.1f} s)")
        print(f"  ratio: {real / naive:.1f}x (goal >= 10x)")
        from bot.poll.fetch import make_analyser

        some = items[: min(20_000, args.n)]
        t_an = ingest_real(tmp / "analysed.db", some, analyse=make_analyser(["owner.bsky.social"]))
        print(f"  Store.ingest + reply understanding ({len(some):,}): {len(some) / t_an:>8,.0f} rows/s")

    if "leads" not in skip:
        cached = ROOT / "out" / "bench" / "leads-1M.db"  # bench/cli_startup.py builds and reads the same one
        big = args.big_db or (
            cached if (args.big, args.big_people) == (1_000_000, 100_000) else tmp / "big.db"
        )
        big.parent.mkdir(parents=True, exist_ok=True)
        print(f"\n[2] leads on {args.big:,} interactions from {args.big_people:,} people")
        if not big.exists():
            build_big(big, args.big, args.big_people)
        from bot.leads.people import list_leads, show

        store = Store.open(big)
        n_rows = store.q("SELECT COUNT(*) AS n FROM interactions")[0]["n"]
        pid = int(
            store.q("SELECT person_id FROM interactions ORDER BY created_at DESC LIMIT 1")[0]["person_id"]
        )
        lst, lst_max = p50(lambda: list_leads(store, limit=50), runs=3)
        shw, shw_max = p50(lambda: show(store, pid), runs=3)
        store.close()
        print(f"  ({n_rows:,} rows in {big})")
        print(f"  list_leads(limit=50) in process:  p50 {lst * 1000:>8.0f} ms (max {lst_max * 1000:.0f})")
        print(f"  show(person) in process:          p50 {shw * 1000:>8.0f} ms (max {shw_max * 1000:.0f})")
        c_lst, _ = p50(lambda: cli(big, "leads", "list"), runs=3)
        c_shw, _ = p50(lambda: cli(big, "leads", "show", str(pid)), runs=3)
        c_help, _ = p50(lambda: cli(big, "--help"), runs=3)
        print(f"  `sqbot leads list` subprocess:     p50 {c_lst * 1000:>8.0f} ms (goal < 200)")
        print(f"  `sqbot leads show {pid}` subprocess: p50 {c_shw * 1000:>8.0f} ms (goal < 200)")
        print(f"  (`sqbot --help` subprocess, the CLI's own start-up: p50 {c_help * 1000:.0f} ms)")

    if "digest" not in skip:
        print(f"\n[3] digest window of {args.digest:,} replies")
        from bot.digest import collect as digestdb
        from bot.digest.build import build
        from bot.digest.render import render

        d = tmp / "digest.db"
        drng = random.Random(5)
        dauthors = people(max(args.digest // 3, 1), drng)
        store = Store.open(d)
        seed_queries(store)
        for b in batches(interactions(args.digest, dauthors, drng), 1000):
            store.ingest("bluesky", b, None, NOW - timedelta(hours=1))
        since, until = NOW - timedelta(days=1), NOW
        began = time.perf_counter()
        data = digestdb.collect(store, since, until)
        t_collect = time.perf_counter() - began
        digest = build(data, now=NOW, tz=UTC)
        t_build = time.perf_counter() - began - t_collect
        rendered = render(digest)
        total = time.perf_counter() - began
        store.close()
        print(
            f"  collect {t_collect * 1000:.0f} ms + build {t_build * 1000:.0f} ms + render "
            f"{(total - t_collect - t_build) * 1000:.0f} ms = {total * 1000:.0f} ms (goal < 1000);"
            f" {len(data.replies):,} replies in, html {len(rendered.html) / 1024:.0f} KiB,"
            f" '+N more' shown: {'more' in rendered.text}"
        )

    if "rss" not in skip:
        print(
            f"\n[4] daemon-like process RSS (bot.ops.daemon + bot.poll.stream imported, store open), ingest {args.n:,}"
        )
        r = subprocess.run(
            [sys.executable, __file__, "--rss-child", "--n", str(args.n), "--people", str(args.people)],
            capture_output=True,
            text=True,
            check=True,
        )
        vals = dict(x.split("=") for x in r.stdout.split())
        print(
            f"  RSS at start {int(vals['RSS_START_KB']) / 1024:.0f} MiB, after {args.n:,}: "
            f"{int(vals['RSS_AFTER_KB']) / 1024:.0f} MiB"
        )


if __name__ == "__main__":
    main()
