"""What will be posted when: pure functions of the queue, what the store already knows, and `now`."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.models import Query
from bot.schedule import Slots, next_free_slot, parse_slots
from bot.store import OutboxRow, iso
from bot.textrules import bluesky_length, substack_length, text_with_link, x_length

LENGTH = {"x": x_length, "bluesky": bluesky_length, "substack": substack_length}


def compute_due(
    queries: Sequence[Query],
    existing: Mapping[tuple[str, str], datetime],
    *,
    slots: Slots,
    tz: ZoneInfo,
    now: datetime,
    taken: Collection[datetime],
) -> dict[str, dict[str, datetime]]:
    """Due time per query and platform. An explicit `at:` always wins; otherwise a time already given to a
    (query, platform) stays; `slot: next` takes the earliest free slot (one per query); else `now`."""
    used = set(taken)
    out: dict[str, dict[str, datetime]] = {}
    for q in queries:
        due: dict[str, datetime] = {}
        slot_time: datetime | None = None
        for platform in q.platforms:
            known = existing.get((q.id, platform))
            if q.at is not None:
                due[platform] = q.at.astimezone(UTC)
            elif known is not None:
                due[platform] = known
            elif q.slot == "next":
                if slot_time is None:
                    slot_time = next_free_slot(slots, tz, now, used)
                    used.add(slot_time)
                due[platform] = slot_time
            else:
                due[platform] = now
        out[q.id] = due
    return out


def plan_rows(
    queries: Sequence[Query],
    existing: Mapping[tuple[str, str], OutboxRow],
    *,
    slots_spec: str,
    tz: ZoneInfo,
    now: datetime,
) -> list[dict[str, Any]]:
    """`sqbot plan --json`: `{query_id, platform, due_at, status, posts:[{index, text, length}]}` by due time."""
    known = {k: r.due_at for k, r in existing.items()}
    due = compute_due(
        queries, known, slots=parse_slots(slots_spec), tz=tz, now=now, taken=set(known.values())
    )
    rows: list[dict[str, Any]] = []
    for q in queries:
        for platform in q.platforms:
            row = existing.get((q.id, platform))
            measure = LENGTH.get(platform, len)
            posts = q.posts_for(platform)
            rows.append(
                {
                    "query_id": q.id,
                    "platform": platform,
                    "due_at": iso(due[q.id][platform]),
                    "status": row.status if row else "new",
                    "posts": [
                        {
                            "index": i,
                            "text": p.text,
                            # X shows a post's link in its text (23 weighted); elsewhere it is a card
                            "length": measure(text_with_link(p.text, p.link) if platform == "x" else p.text),
                        }
                        for i, p in enumerate(posts)
                    ],
                }
            )
    rows.sort(key=lambda r: (r["due_at"], r["query_id"], r["platform"]))
    return rows
