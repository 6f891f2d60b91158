"""Test data for the digest: real rows in a real temporary store, written through `Store` itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.models import IdentityData, InteractionData, PostSpec, PublishedPost, Query
from bot.store.db import Store

# Monday 23 Nov 2026, 08:00 in Zurich (07:00 UTC).
T0 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
ROOT_BSKY = "at://did:plc:owner/app.bsky.feed.post/3kroot"
ROOT_X = "1001"


@dataclass(frozen=True)
class Ref:
    handle: str | None = None
    name: str | None = None
    platform: str | None = None
    kind: str = "person"


@dataclass(frozen=True)
class Analysis:
    intent: str | None = None
    lead_priority: str | None = None
    offers_contact: bool = False
    language: str | None = "en"
    referrals: tuple[Ref, ...] = field(default=())


def add_query(store: Store, qid: str = "tools", title: str = "Which tools do you use for fieldwork?") -> None:
    q = Query(id=qid, platforms=("bluesky", "x"), posts=(PostSpec("Which tools?"),), title=title)
    store.sync_queries([(q, {"bluesky": T0, "x": T0})], T0)
    store.record_post(
        qid, "bluesky", PublishedPost(0, ROOT_BSKY if qid == "tools" else f"{ROOT_BSKY}{qid}"), T0
    )
    store.record_post(qid, "x", PublishedPost(0, ROOT_X if qid == "tools" else f"{ROOT_X}{len(qid)}"), T0)
    store.set_outbox_status(qid, "bluesky", "posted", T0)
    store.set_outbox_status(qid, "x", "posted", T0)


def reply(
    n: int,
    *,
    platform: str = "bluesky",
    text: str | None = None,
    name: str | None = None,
    handle: str | None = None,
    bio: str | None = "Field researcher",
    created: datetime | None = None,
    parent: str | None = None,
    url: str | None = None,
    user: str | None = None,
) -> InteractionData:
    if platform == "bluesky":
        uid = user or f"did:plc:user{n}"
        pid = f"at://{uid}/app.bsky.feed.post/3kreply{n}"
        handle = handle or f"user{n}.bsky.social"
        parent = parent or ROOT_BSKY
    else:
        uid = user or f"20{n}"
        pid = f"50{n}"
        handle = handle or f"user{n}"
        parent = parent or ROOT_X
    return InteractionData(
        platform=platform,
        platform_id=pid,
        kind="reply",
        author=IdentityData(platform=platform, user_id=uid, handle=handle, name=name or f"User {n}", bio=bio),
        text=text or f"Reply number {n}",
        created_at=created or T0 + timedelta(minutes=n),
        root_id=parent,
        parent_id=parent,
        url=url,
    )


def ingest(
    store: Store, items: list[InteractionData], at: datetime, analyses: dict[str, Analysis] | None = None
) -> None:
    """Ingest per platform at time `at`; `analyses` maps platform_id -> what reply understanding said."""
    table = analyses or {}

    def analyse(it: InteractionData) -> Any:
        return table.get(it.platform_id)

    for platform in sorted({i.platform for i in items}):
        store.ingest(platform, [i for i in items if i.platform == platform], None, at, analyse=analyse)
