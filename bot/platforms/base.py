"""The one contract between sqbot and a social network: what a platform IS (`PlatformSpec`, pure facts) and
what its adapter DOES (`Platform`, plus optional capabilities, each a protocol checked with `isinstance`).

* `PlatformSpec`: name, label, how a post's length is counted and its limit, image limits, the handle shape,
  how to link a post and a profile, its web hosts. One per platform, in `bot/platforms/<name>/spec.py`,
  registered in `bot.platforms.specs` (one line each). Specs import no SDK and no network library: the
  queue, the planner, follow-ups and the digest ask them.
* `Platform`: the adapter. It never touches the store: it prepares an intent (pure, deterministic from the
  query and `now`), sends it, proves what happened, and fetches interactions. `bot.publish.outbox` and
  `bot.poll.fetch` store the results.
* Capabilities some adapters have (`FetchesConversations`, `WatchesUrls`, `ContinuesThreads`,
  `ResumesThreads`, `Metered`, `StopsForBudget`): callers test `isinstance(p, Capability)`; an adapter without the member is
  never treated as having it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from bot.platforms.textrules import text_with_link

if TYPE_CHECKING:  # annotations only: specs are read on CLI start-up, before any model is needed
    from bot.models import (
        FetchResult,
        IdentityData,
        Intent,
        PostSpec,
        PublishedPost,
        Reconciled,
        WatchedPost,
    )


@dataclass(frozen=True)
class MeterStart:
    """Where a metered platform's meter starts: what was spent in the budget window (`window`, the platform's
    own budget-window object, e.g. `bot.platforms.x.metering.BudgetWindow`), and the clock that dates what it
    spends (one command's `now`, so `--now` dates the spend; the daemon's clock; None: the wall clock)."""

    spent_usd: float = 0.0
    window: object | None = None
    clock: Callable[[], datetime] | None = None


@dataclass(frozen=True)
class PlatformSpec:
    """The facts about one platform that code outside its adapter needs. Pure data and pure functions."""

    name: str  # as in queue files, the store and the CLI: "bluesky"
    label: str  # as shown to people: "Bluesky"
    limit: int  # a post's length limit, as `length` counts
    length: Callable[[str], int]  # a post's length as the platform counts it
    hosts: tuple[
        str, ...
    ]  # web hosts (and their subdomains) of its posts and profiles: stored URLs on them are links
    handle: re.Pattern[str]  # an account handle, without '@', safe to write in a post or a link
    permalink: Callable[[str], str | None]  # a post's web link built from its platform id, if it can be built
    profile_link: Callable[[str | None, str, str | None], str | None]
    """An account's web link from (handle, user id, its stored URL already checked to be on a known host)."""
    max_bytes: int | None = None  # a cap on a post's UTF-8 bytes as well (Bluesky's record)
    link_in_text: bool = False  # a post's link is appended to its text, and counted (X); else it is a card
    weighted: bool = (
        False  # `length` weighs characters (X: URLs 23, CJK and emoji 2): not what a reader counts
    )
    length_bound: Callable[[str], int] | None = None  # a cheap upper bound of `length` (X: no twitter-text)
    image_bytes: int | None = None  # the largest image it takes; None: images are not sent there
    max_images: int | None = None  # images per post
    replies: bool = (
        False  # sqbot can answer a reply there (a follow-up); Substack comments cannot be answered
    )
    factory: str = ""
    """The module whose `build(settings, meter)` makes the adapter from settings (imported only when a command
    needs the network; see `bot.platforms.registry`): `bot.platforms.<name>.build`."""

    def posted_text(self, text: str, link: str | None) -> str:
        """The text as the platform receives it (X: the link on its own line; elsewhere a card)."""
        return text_with_link(text, link) if self.link_in_text else text

    def post_length(self, text: str, link: str | None = None) -> int:
        """The length of what is posted, as the platform counts it."""
        return self.length(self.posted_text(text, link))

    def over_limit(
        self, text: str, link: str | None = None
    ) -> tuple[Literal["bytes", "long"], int, int] | None:
        """Why `text` (and `link`) is not one post here: ("bytes", size, cap) or ("long", length, limit); None
        when it fits. Uses the cheap bound first where there is one (exact only when it matters)."""
        if self.max_bytes is not None and (size := len(text.encode("utf-8"))) > self.max_bytes:
            return ("bytes", size, self.max_bytes)
        posted = self.posted_text(text, link)
        if self.length_bound is not None and self.length_bound(posted) <= self.limit:
            return None
        length = self.length(posted)
        return ("long", length, self.limit) if length > self.limit else None

    def fits(self, text: str) -> bool:
        return self.over_limit(text) is None

    def handle_of(self, raw: str | None) -> str | None:
        """`raw` without '@' and spaces when it has this platform's handle shape, else None."""
        h = (raw or "").strip().lstrip("@")
        return h if h and self.handle.fullmatch(h) else None


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
    # what else it carries, where the platform says (None: not known, not compared): every link's real
    # target (X: `entities.urls[].expanded_url`, not the t.co; Bluesky: link facets and the card's uri), and how
    # many images or videos are attached
    links: tuple[str, ...] | None = None
    media: int | None = None


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


OnPosted = Callable[["PublishedPost"], None]


# ---------------------------------------------------------------------------------------------- capabilities
@runtime_checkable
class FetchesConversations(Protocol):
    """Replies deep in our threads that `fetch` cannot see (X: they do not mention us); costlier reads."""

    def fetch_conversations(
        self, cursor: str | None, watched: Sequence[WatchedPost], now: datetime
    ) -> FetchResult: ...


@runtime_checkable
class WatchesUrls(Protocol):
    """A post published by hand, given by its URL, is watched for replies instead of being posted."""

    def watch_url(self, query_id: str, post_url: str, now: datetime) -> PublishedPost: ...


@runtime_checkable
class ContinuesThreads(Protocol):
    """An intent rewritten to continue after the posts of a thread found already posted (adopted)."""

    def continue_after(self, intent: Intent, done: Sequence[PublishedPost]) -> Intent: ...


@runtime_checkable
class ResumesThreads(Protocol):
    """`send` can continue a thread after posts it did not write in this run (adopted ones). Declared as a
    class attribute; `resumes(p)` reads it."""

    resumes_threads: bool


def resumes(p: object) -> bool:
    """Does this adapter continue a thread after adopted posts?"""
    return isinstance(p, ResumesThreads) and p.resumes_threads is True


class Reading(Protocol):
    """One metered request: what it read or wrote, what it cost, for which query."""

    @property
    def endpoint(self) -> str: ...
    @property
    def resources(self) -> int: ...
    @property
    def usd(self) -> float: ...
    @property
    def at(self) -> datetime: ...
    @property
    def query_id(self) -> str | None: ...


@runtime_checkable
class Metered(Protocol):
    """A platform billed per request (X) keeps a meter; the caller stores and clears it after a run."""

    @property
    def usage(self) -> list[Reading]: ...


@runtime_checkable
class StopsForBudget(Protocol):
    """A metered platform whose poll can stop at its budget: `poll_stopped` says the last poll did (what it read
    is returned and filed; the rest is read later)."""

    @property
    def poll_stopped(self) -> bool: ...
