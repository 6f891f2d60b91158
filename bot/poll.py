"""Polling: fetch → normalise → store, per platform. The cursor moves in the same transaction as the rows it
covers, so a crash means re-reading (idempotent), never losing."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.errors import AuthError, PlatformError, RateLimited
from bot.models import InteractionData
from bot.platforms.base import Platform
from bot.store import Store

Analyse = Callable[[InteractionData], Any]


@dataclass(frozen=True)
class PollReport:
    platform: str
    new_interactions: int = 0
    new_people: int = 0
    fetched: int = 0
    requests: int = 0
    error: str | None = None


def make_analyser(owner_handles: Collection[str]) -> Analyse:
    """Reply understanding for each new interaction (intent, referrals, priority)."""
    from bot.understand import understand

    def analyse(it: InteractionData) -> Any:
        return understand(
            it.text,
            platform=it.platform,
            author_handle=it.author.handle,
            author_name=it.author.name,
            author_bio=it.author.bio,
            owner_handles=owner_handles,
            mentions=it.mentions,
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
                name, rep.new_interactions, rep.new_people, len(res.interactions), requests, str(e)
            )
        requests += 1
        store.update_profiles(profiles, now)
        store.mark_profiles_fetched(name, missing, now)
        store.merge_by_links(now)
    st = store.platform_state(name)
    if st is not None and (st["attention"] or st["deferred_until"]):
        store.set_platform_state(name, now)  # a good poll clears old trouble
    return PollReport(name, rep.new_interactions, rep.new_people, len(res.interactions), requests)


def poll_all(
    store: Store, platforms: Mapping[str, Platform], now: datetime, *, analyse: Analyse | None = None
) -> list[PollReport]:
    return [poll_platform(store, name, p, now, analyse=analyse) for name, p in platforms.items()]
