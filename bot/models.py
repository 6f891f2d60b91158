"""Plain, frozen data passed between sqbot's modules. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

InteractionKind = Literal["reply", "mention", "quote", "comment"]
DEFAULT_WATCH = timedelta(days=14)


# ---------------------------------------------------------------------------------------------- time as text
def iso(dt: datetime) -> str:
    """UTC ISO-8601 with a Z-less +00:00 offset, sortable as text (the database's and the JSON output's form)."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime given to the store; sqbot only uses aware UTC datetimes")
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(s: str) -> datetime:
    dt = datetime.fromisoformat(s)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


# A lead's status: the owner's workflow, one vocabulary for the store, the leads CLI, the digest and the review.
STATUSES = ("new", "referred", "contacted", "talking", "done", "do-not-contact")
HIDDEN = "do-not-contact"  # never written to, never shown in a digest
CLOSED = ("done", HIDDEN)  # listed after every open lead


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the queue, where it is (1-based line and column)."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


# ---------------------------------------------------------------------------------------------- the queue
@dataclass(frozen=True)
class Image:
    path: str  # as written in YAML (relative to the YAML file's folder)
    alt: str
    resolved: str = ""  # absolute path, filled by the queue parser
    root: str = field(
        default="", compare=False
    )  # the queue folder it must stay in (bot.queue.files); "" = its own


@dataclass(frozen=True)
class PostSpec:
    """One post of a query's thread on one platform."""

    text: str
    images: tuple[Image, ...] = ()
    link: str | None = None
    langs: tuple[str, ...] = ()  # filled from the query when posting (Bluesky `langs`)
    title: str | None = None  # the query's title, filled when posting (fallback link-card title)
    # someone else's post this one answers (a follow-up, `sqbot leads reply`): Bluesky at:// URI, X tweet id,
    # sandbox id; only on the first post
    reply_to: str | None = None


@dataclass(frozen=True)
class Query:
    """A question sent into the network: one YAML entry, posted as a thread on each of its platforms."""

    id: str
    platforms: tuple[str, ...]
    posts: tuple[PostSpec, ...]
    title: str | None = None
    at: datetime | None = None  # aware; None = as soon as possible (or a slot)
    slot: str | None = None  # "next" or None
    overrides: dict[str, tuple[PostSpec, ...]] = field(default_factory=dict)
    watch: timedelta = DEFAULT_WATCH
    tags: tuple[str, ...] = ()
    substack_post_url: str | None = None
    langs: tuple[str, ...] = ()
    source: str = ""  # file the query came from
    line: int = 0  # line of its `id:`
    # where parts of it are in `source`, for problems found later: "id", "posts.0", "posts.0.images.1",
    # "overrides.x.0", ... -> (line, col), 1-based. Filled by bot.queue.parse; not part of equality.
    spans: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def posts_for(self, platform: str) -> tuple[PostSpec, ...]:
        return self.overrides.get(platform, self.posts)

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        first = self.posts[0].text if self.posts else self.id
        return first if len(first) <= 80 else first[:77] + "..."


# ---------------------------------------------------------------------------------------------- platforms
@dataclass(frozen=True)
class PublishedPost:
    """One of our posts as the platform knows it."""

    index: int  # position in the thread, 0 = root
    platform_id: str  # Bluesky at:// URI, X tweet id, sandbox id
    url: str | None = None
    cid: str | None = None


@dataclass(frozen=True)
class Intent:
    """Everything needed to send (and later prove) one query's thread on one platform.

    `payload` is platform specific, JSON-serialisable, and stored *before* the send (Bluesky: rkeys,
    record bytes and CIDs; sandbox: client-chosen ids). `done` lists posts already proved published
    (threads that resume part-way)."""

    query_id: str
    platform: str
    payload: dict[str, Any]
    done: tuple[PublishedPost, ...] = ()


@dataclass(frozen=True)
class OutboxRow:
    """One (query, platform) row of the outbox as the store reads it (see DESIGN.md, a post's life)."""

    query_id: str
    platform: str
    status: str
    due_at: datetime
    intent: Intent | None
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class Reconciled:
    """What reconciliation proved about an intent that may or may not have been sent."""

    state: Literal["posted", "absent", "unknown"]
    posts: tuple[PublishedPost, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class IdentityData:
    """A platform account as fetched."""

    platform: str
    user_id: str  # DID, X user id, Substack user id
    handle: str | None = None
    name: str | None = None
    bio: str | None = None
    followers: int | None = None
    url: str | None = None
    links: tuple[tuple[str, str], ...] = ()  # (platform, handle) the account says it also is


@dataclass(frozen=True)
class Mention:
    handle: str | None
    user_id: str | None = None  # DID on Bluesky, user id on X
    platform: str = ""


@dataclass(frozen=True)
class InteractionData:
    """One reply / mention / quote / comment as fetched from a platform."""

    platform: str
    platform_id: str  # unique on its platform
    kind: InteractionKind
    author: IdentityData
    text: str
    created_at: datetime
    root_id: str | None = None  # our post (platform id) the conversation hangs from, if known
    parent_id: str | None = None  # what it directly answers
    url: str | None = None
    mentions: tuple[Mention, ...] = ()
    deleted: bool = False


@dataclass(frozen=True)
class WatchedPost:
    """One of our published posts whose replies are still being polled."""

    query_id: str
    platform_id: str
    index: int
    posted_at: datetime


@dataclass(frozen=True)
class FetchResult:
    interactions: tuple[InteractionData, ...]
    cursor: str | None  # the new cursor; stored in the same transaction as the interactions
    requests: int = 0  # HTTP requests this fetch made (for the figures)
    # root post id -> every reply id now present under it (a complete crawl): stored replies under that root
    # that are missing were deleted, and are marked so (never removed)
    present: dict[str, tuple[str, ...]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)  # likes/reposts per post id etc.
