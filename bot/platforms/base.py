"""The one small seam between sqbot and a social network.

An adapter never touches the store: it prepares an intent (pure, deterministic from the query and `now`),
sends it, proves what happened, and fetches interactions. `bot.publish` and `bot.poll` store the results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.models import FetchResult, IdentityData, Intent, PostSpec, PublishedPost, Reconciled, WatchedPost


@runtime_checkable
class Platform(Protocol):
    name: str

    def prepare(self, query_id: str, posts: Sequence[PostSpec], now: datetime) -> Intent:
        """Build the intent for a thread: everything that must be stored before any network write
        (client-chosen record keys, exact record bytes, content hashes). May read from the network
        (resolving handles, fetching link cards) and upload media (blobs are not posts: safe to redo), but
        never publishes anything."""
        ...

    def send(self, intent: Intent, on_posted: Callable[[PublishedPost], None]) -> tuple[PublishedPost, ...]:
        """Publish what `intent` describes (skipping `intent.done`). Calls `on_posted` as each post is
        known to exist, so a thread that fails half-way resumes after the last proved post. Raises
        `TransientError` when the outcome is unknown, `PlatformError` subclasses otherwise."""
        ...

    def reconcile(self, intent: Intent) -> Reconciled:
        """After an error, timeout or crash: did `intent` land? Reads only."""
        ...

    def fetch(self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime) -> FetchResult:
        """New interactions with our posts and account since `cursor`."""
        ...

    def profiles(self, user_ids: Sequence[str]) -> list[IdentityData]:
        """Profiles (bio, followers) for these accounts, batched."""
        ...


OnPosted = Callable[[PublishedPost], None]
