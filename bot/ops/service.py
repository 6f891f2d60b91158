"""The library functions the CLI commands and the daemon's jobs call: each opens the store, does one job, closes.

Platforms can be handed in (tests build them on loopback servers); otherwise they come from settings."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import Settings, load_settings
from bot.errors import BotError, QueueError
from bot.models import Problem, Query
from bot.platforms.base import Metered, Platform
from bot.poll.fetch import PollReport, poll_all
from bot.publish.outbox import Outcome, publish_due, sync_queue
from bot.publish.schedule import parse_slots
from bot.store.db import Store


def load_queries(settings: Settings, paths: list[str] | None = None) -> list[Query]:
    from bot.queue.parse import validate

    queries, problems = validate(paths or [str(settings.queue)])
    if problems:
        raise QueueError(problems)
    return queries


def load_usable_queries(settings: Settings) -> tuple[list[Query], list[Problem]]:
    """For the daemon: the queries of every file without problems, and the problems. One bad file (or
    query) never stops the others from being posted; the problems are reported (the job fails)."""
    from bot.queue.parse import validate

    queries, problems = validate([str(settings.queue)])
    bad_files = {p.file for p in problems}
    return [q for q in queries if q.source not in bad_files], problems


def _platforms(settings: Settings, store: Store, extra: set[str], now: datetime) -> dict[str, Platform]:
    wanted = {r.platform for r in store.outbox()} | extra
    return metered_platforms(settings, store, sorted(wanted), now)


def metered_platforms(
    settings: Settings,
    store: Store,
    names: list[str],
    now: datetime,
    clock: Callable[[], datetime] | None = None,
) -> dict[str, Platform]:
    """The configured platforms among `names`; X's meter starts at what was spent in the budget month of `now`
    (so the budget check defers X to that month's end) and dates what it spends by `clock` (the daemon's; one
    command's is `now`, so `--now` dates the spend)."""
    from bot.platforms.base import MeterStart
    from bot.platforms.registry import build_platforms
    from bot.store.metering import x_budget

    budget = x_budget(store, settings.x_budget_usd, now)
    return build_platforms(
        settings, names, meters={"x": MeterStart(budget.spent, budget.window, clock or (lambda: now))}
    )


def record_usage(store: Store, platforms: Mapping[str, Platform]) -> None:
    """Platforms that bill per resource (X) keep a meter; store what this run spent (for the monthly budget)."""
    for name, p in platforms.items():
        if not isinstance(p, Metered) or not p.usage:
            continue
        for u in p.usage:
            store.record_api_call(name, u.endpoint, u.resources, u.usd, u.at, u.query_id)
        p.usage.clear()


def post_due(
    settings: Settings,
    now: datetime,
    *,
    only: str | None = None,
    dry_run: bool = False,
    platforms: Mapping[str, Platform] | None = None,
    queries: list[Query] | None = None,
) -> list[Outcome]:
    """`sqbot post`: sync the queue into the outbox, reconcile, post what is due. A dry run writes nothing."""
    queries = queries if queries is not None else load_queries(settings)
    if only and only not in {q.id for q in queries}:
        raise BotError(f"no query {only!r} in the queue ({settings.queue}); `sqbot plan` lists them")
    if dry_run:
        return _dry_run(settings, queries, now, only)
    store = Store.open(settings.db_path)
    try:
        failures: dict[str, str] = {}
        sync_queue(
            store, queries, slots=parse_slots(settings.slots), tz=settings.tz, now=now, failures=failures
        )
        plats = (
            platforms
            if platforms is not None
            else _platforms(settings, store, {p for q in queries for p in q.platforms}, now)
        )
        try:
            # a query that cannot be scheduled is reported, never posted, and never stops the others
            unscheduled = [
                Outcome(q.id, p, "failed", detail=failures[q.id])
                for q in queries
                if q.id in failures and (not only or q.id == only)
                for p in q.platforms
            ]
            schedulable = {q.id: q for q in queries if q.id not in failures}
            outcomes = publish_due(store, plats, schedulable, now, only=only)
            if not only:  # follow-ups confirmed in `sqbot review` whose send was cut short
                from bot.leads.confirmed import finish

                outcomes += [
                    Outcome(r.followup_id, r.platform, r.status, detail=r.url or r.detail)
                    for r in finish(store, plats, now)
                ]
            return unscheduled + [o for o in outcomes if o.query_id not in failures]
        finally:
            record_usage(store, plats)
    finally:
        store.close()


def _dry_run(settings: Settings, queries: list[Query], now: datetime, only: str | None) -> list[Outcome]:
    from bot.publish.plan import plan_rows

    existing = {}
    if settings.db_path.exists():
        store = Store.open(settings.db_path)
        try:
            existing = {(r.query_id, r.platform): r for r in store.outbox()}
        finally:
            store.close()
    rows = plan_rows(queries, existing, slots_spec=settings.slots, tz=settings.tz, now=now)
    out = []
    for r in rows:
        if only and r["query_id"] != only:
            continue
        if r["status"] == "error":
            out.append(Outcome(r["query_id"], r["platform"], "failed", detail=r["error"]))
        elif r["status"] in ("new", "queued", "ready") and datetime.fromisoformat(r["due_at"]) <= now:
            out.append(
                Outcome(r["query_id"], r["platform"], "would-post", detail=f"{len(r['posts'])} post(s)")
            )
    return out


def poll_once(
    settings: Settings, now: datetime, *, platforms: Mapping[str, Platform] | None = None
) -> list[PollReport]:
    """`sqbot poll`: fetch and file new interactions on every platform we have posts on."""
    from bot.leads.corrections import analyser
    from bot.platforms.registry import owner_handles

    store = Store.open(settings.db_path)
    store.keep_forgotten = settings.keep_forgotten_replies
    try:
        plats = platforms if platforms is not None else _platforms(settings, store, set(), now)
        try:
            return poll_all(store, plats, now, analyse=analyser(store, owner_handles(settings)))
        finally:
            record_usage(store, plats)
    finally:
        store.close()


def digest(settings: Settings, now: datetime, *, preview: Path | None, send: bool) -> str:
    """`sqbot digest`: preview to a file, or send (or write .eml/.html when SMTP is not configured)."""
    from bot.digest.run import run_digest

    store = Store.open(settings.db_path)
    try:
        return str(run_digest(store, settings, now, preview=preview, send=send))
    finally:
        store.close()


DEMO_DIGEST_AFTER = timedelta(hours=30, seconds=1)  # the demo's digest (and review) time, after its polls


def run_demo(out: Path, queue_dir: str, now: datetime) -> list[str]:
    """The whole loop on the sandbox, in a fresh data folder under `out/`; returns what to print."""
    data = out / "demo-data"
    if data.exists():
        shutil.rmtree(data)
    settings = load_settings(data_dir=data, db=None, sandbox=True, queue=Path(queue_dir))
    lines: list[str] = []
    queries = load_queries(settings)
    lines.append(f"validate: {len(queries)} queries in {queue_dir} are valid")
    # Schedule everything for now, so the demo shows the whole loop at once.
    queries = [replace(q, at=None, slot=None) for q in queries]
    posted = post_due(settings, now, queries=queries)
    for o in posted:
        lines.append(f"post: {o.status:<8} {o.platform:<8} {o.query_id} ({len(o.posts)} post(s))")
    replies = 0
    for later in (timedelta(hours=3), timedelta(hours=30)):
        for r in poll_once(settings, now + later):
            replies += r.new_interactions
        lines.append(f"poll at +{int(later.total_seconds() // 3600)}h: {replies} interactions so far")
    html = out / "digest.html"
    # one second after the last poll: the digest window ends before `now` (exclusive)
    lines.append("digest: " + digest(settings, now + DEMO_DIGEST_AFTER, preview=html, send=False))
    store = Store.open(settings.db_path)
    try:
        n = store.counts()
        referrals = n["referrals"]
        posted_q = len({o.query_id for o in posted if o.status == "posted"})
    finally:
        store.close()
    lines += [
        "",
        f"{'queries posted':<16}{'replies':>9}{'new people':>12}{'referrals':>11}",
        f"{posted_q:<16}{n['interactions']:>9}{n['people']:>12}{referrals:>11}",
        "",
        f"digest: {html} (+ {html.with_suffix('.eml')}); database: {settings.db_path}",
    ]
    return lines
