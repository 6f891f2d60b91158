"""The one small seam between sqbot and a social network.

An adapter never touches the store: it prepares an intent (pure, deterministic from the query and `now`),
sends it, proves what happened, and fetches interactions. `bot.publish.outbox` and `bot.poll.fetch` store the results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.models import FetchResult, IdentityData, Intent, PostSpec, PublishedPost, Reconciled, WatchedPost


@dataclass(frozen=True)
class OwnPost:
    """One of the account's own recent posts as the platform shows it. `bot.publish.outbox` compares these with a
    query it has no record of before its first send, and adopts a match instead of posting it again (a lost or
    restored database, a container run without its volume)."""

    platform_id: str  # Bluesky at:// URI, X tweet id, Substack note id (as `PublishedPost.platform_id`)
    text: str  # plain text as written (X: HTML entities undone)
    reply_to: str | None = None  # platform id of the post it answers (the previous post of a thread)
    url: str | None = None
    cid: str | None = None
    created_at: datetime | None = None


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

    def recent_own_posts(self, newer_than: str | None = None) -> Sequence[OwnPost]:
        """The account's own most recent posts (threads' later posts included), newest first, in one read
        where the platform allows (Bluesky: one `listRecords`; X: one page of our timeline, metered; Substack:
        our Notes feed). `newer_than`: the newest post this database knows (nothing older can have been
        forgotten); a platform that bills per post read (X) reads only what is newer, others may ignore it.
        Reads only."""
        ...

    def fetch(self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime) -> FetchResult:
        """New interactions with our posts and account since `cursor`."""
        ...

    def profiles(self, user_ids: Sequence[str]) -> list[IdentityData]:
        """Profiles (bio, followers) for these accounts, batched."""
        ...


OnPosted = Callable[[PublishedPost], None]
