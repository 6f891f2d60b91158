"""Polling: fetch → normalise → store, per platform. The cursor moves in the same transaction as the rows it
covers, so a crash means re-reading (idempotent), never losing.

One reply's way from a platform to the digest, each step one call:
1. `poll_platform` (here) asks the adapter, `bot/platforms/<name>/adapter.py` `fetch`, which returns plain
   `InteractionData` (no store);
2. `make_analyser` (here) runs `bot.understand.pipeline.understand` on each: intent, referrals, priority;
3. `Store.ingest` (`bot/store/ingest.py`) files the interaction, its author (identity → person), its referrals,
   and moves the cursor, in one transaction; `bot.leads.merges.merge_strong` then merges people on hard links;
4. the person's figures and listing group follow by triggers (`person_stats`, `bot/store/migrations.py` m006),
   ordered by `bot/leads/ranking.py`;
5. `sqbot digest`: `bot/digest/collect.py` reads the window (`bot/store/digests.py`), `build.py` decides what it
   says, `render.py` writes text and HTML, `run.py` sends it once (`mail.py`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.errors import AuthError, PlatformError, RateLimited
from bot.models import FetchResult, InteractionData, WatchedPost
from bot.platforms.base import FetchesConversations, Platform, StopsForBudget
from bot.store.db import IngestReport, Store

if TYPE_CHECKING:
    from bot.understand.correct import Correction
    from bot.understand.model import Referral

Analyse = Callable[[InteractionData], Any]


@dataclass(frozen=True)
class PollReport:
    platform: str
    new_interactions: int = 0
    new_people: int = 0
    fetched: int = 0
    requests: int = 0
    error: str | None = None
    forgotten: int = 0  # new replies by forgotten accounts: counted, not stored (`IngestReport.forgotten`)


def make_analyser(
    owner_handles: Collection[str],
    *,
    known: Sequence[Referral] = (),
    corrections: Mapping[tuple[str, str], Correction] | None = None,
) -> Analyse:
    """Reply understanding for each new interaction (intent, referrals, priority), with what the owner taught
    it as data (`bot.leads.corrections.analyser` reads it from the store): the referral targets they confirmed
    (`known`, recognised by name) and their corrections by (platform, reply id), kept as they are."""
    from bot.understand.pipeline import understand

    fixed = corrections or {}

    def analyse(it: InteractionData) -> Any:
        return understand(
            it.text,
            platform=it.platform,
            author_handle=it.author.handle,
            author_name=it.author.name,
            author_bio=it.author.bio,
            owner_handles=owner_handles,
            mentions=it.mentions,
            known=known,
            correction=fixed.get((it.platform, it.platform_id)),
        )

    return analyse


def poll_platform(
    store: Store, name: str, p: Platform, now: datetime, *, analyse: Analyse | None
) -> PollReport:
    deferred = store.deferred_until(name)
    if deferred and deferred > now:
        return PollReport(name, error=f"deferred until {deferred.isoformat()} (rate limit)")
    watched = store.watched_posts(name, now)
    cursor = store.get_cursor(name)
    try:
        res = p.fetch(cursor, watched, now)
    except RateLimited as e:
        store.set_platform_state(
            name, now, deferred_until=e.retry_at, attention=None if e.retry_at else str(e)
        )
        return PollReport(name, error=str(e))
    except AuthError as e:
        store.set_platform_state(name, now, attention=str(e))
        return PollReport(name, error=str(e))
    except PlatformError as e:
        return PollReport(name, error=str(e))
    rep = store.ingest(name, res.interactions, res.cursor, now, analyse=analyse)
    extra = _conversations(store, name, p, watched, now, analyse)
    if extra is not None:
        rep = IngestReport(
            rep.new_interactions + extra[0].new_interactions,
            rep.new_people + extra[0].new_people,
            rep.new_identities + extra[0].new_identities,
            rep.deleted + extra[0].deleted,
            rep.forgotten + extra[0].forgotten,
        )
        res = FetchResult(
            res.interactions + extra[1].interactions,
            res.cursor,
            res.requests + extra[1].requests,
            present=res.present,
            counters=res.counters,
        )
    if res.counters:
        store.set_post_counters(name, res.counters)
    if res.present:
        store.mark_missing_deleted(name, res.present)
    requests = res.requests
    missing = store.identities_missing_profile(name)
    if missing:
        try:
            profiles = p.profiles(missing)
        except PlatformError as e:
            return PollReport(
                name,
                rep.new_interactions,
                rep.new_people,
                len(res.interactions),
                requests,
                str(e),
                rep.forgotten,
            )
        requests += 1
        store.update_profiles(profiles, now)
        store.mark_profiles_fetched(name, missing, now)
        store.merge_by_links(now)
        from bot.leads.merges import merge_strong

        merge_strong(store, now)
    st = store.platform_state(name)
    if st is not None and (st["attention"] or st["deferred_until"]):
        store.set_platform_state(name, now)  # a good poll clears old trouble
    # X: the budget stopped this poll (what it read is filed; the rest is read later, oldest first)
    budget_stop = isinstance(p, StopsForBudget) and p.poll_stopped
    stopped = "stopped by the budget: the rest is read later" if budget_stop else None
    return PollReport(
        name, rep.new_interactions, rep.new_people, len(res.interactions), requests, stopped, rep.forgotten
    )


CONVERSATION_EVERY = timedelta(hours=1)


def _conversations(
    store: Store,
    name: str,
    p: Platform,
    watched: Sequence[WatchedPost],
    now: datetime,
    analyse: Analyse | None,
) -> tuple[IngestReport, FetchResult] | None:
    """Replies deep in our threads that the cheap fetch cannot see (X: they do not mention us). Costlier reads,
    so on a slow cadence (hourly) and only while a thread is watched; its own cursor."""
    if not isinstance(p, FetchesConversations) or not any(w.index == 0 for w in watched):
        return None
    last = store.cursor_updated_at(name, "conversations")
    if last is not None and now - last < CONVERSATION_EVERY:
        return None
    try:
        res: FetchResult = p.fetch_conversations(store.get_cursor(name, "conversations"), watched, now)
    except PlatformError:
        return None  # the main fetch already reported this platform's trouble; try again next cadence
    rep = store.ingest(
        name, res.interactions, res.cursor or "", now, cursor_name="conversations", analyse=analyse
    )
    return rep, res


def poll_all(
    store: Store, platforms: Mapping[str, Platform], now: datetime, *, analyse: Analyse | None = None
) -> list[PollReport]:
    return [poll_platform(store, name, p, now, analyse=analyse) for name, p in platforms.items()]
