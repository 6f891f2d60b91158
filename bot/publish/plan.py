"""What will be posted when: pure functions of the queue, what the store already knows, and `now`."""

from __future__ import annotations

from collections.abc import Collection, Mapping, MutableMapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import ConfigError
from bot.models import OutboxRow, Query, iso
from bot.platforms.specs import spec_for
from bot.publish.schedule import Slots, next_free_slot, parse_slots


def compute_due(
    queries: Sequence[Query],
    existing: Mapping[tuple[str, str], datetime],
    *,
    slots: Slots,
    tz: ZoneInfo,
    now: datetime,
    taken: Collection[datetime],
    failures: MutableMapping[str, str] | None = None,
) -> dict[str, dict[str, datetime]]:
    """Due time per query and platform. An explicit `at:` always wins; otherwise a time already given to a
    (query, platform) stays; `slot: next` takes the earliest free slot (one per query); else `now`.

    A query whose time cannot be computed (an `at:` that does not convert to UTC, no slots for `slot:
    next`) never stops the others: it is left out, and why goes into `failures` (query id -> message)."""
    used = set(taken)
    out: dict[str, dict[str, datetime]] = {}
    for q in queries:
        try:
            due, slot_time = _due_for(q, existing, slots=slots, tz=tz, now=now, used=used)
        except (OverflowError, ValueError, ConfigError) as err:
            if failures is not None:
                failures[q.id] = f"query {q.id!r} cannot be scheduled: {_reason(q, err)}"
            continue
        if slot_time is not None:
            used.add(slot_time)
        out[q.id] = due
    return out


def _due_for(
    q: Query,
    existing: Mapping[tuple[str, str], datetime],
    *,
    slots: Slots,
    tz: ZoneInfo,
    now: datetime,
    used: Collection[datetime],
) -> tuple[dict[str, datetime], datetime | None]:
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
            due[platform] = slot_time
        else:
            due[platform] = now
    return due, slot_time


def _reason(q: Query, err: Exception) -> str:
    where = f" ({q.source}:{q.line})" if q.source else ""
    if isinstance(err, ConfigError):
        return f"{err}{where}"
    if q.at is not None:
        return f"at {q.at.isoformat()} is out of range ({err}){where}; use a date between 2000 and 2199"
    return f"{type(err).__name__}: {err}{where}"


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
    failures: dict[str, str] = {}
    due = compute_due(
        queries,
        known,
        slots=parse_slots(slots_spec),
        tz=tz,
        now=now,
        taken=set(known.values()),
        failures=failures,
    )
    rows: list[dict[str, Any]] = []
    for q in queries:
        for platform in q.platforms:
            if q.id in failures:  # listed last, with why; the others are planned as usual
                rows.append(
                    {"query_id": q.id, "platform": platform, "due_at": None, "status": "error",
                     "error": failures[q.id], "posts": []}
                )  # fmt: skip
                continue
            row = existing.get((q.id, platform))
            spec = spec_for(platform)
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
                            "length": spec.post_length(p.text, p.link),
                        }
                        for i, p in enumerate(posts)
                    ],
                }
            )
    rows.sort(key=lambda r: (r["due_at"] is None, r["due_at"] or "", r["query_id"], r["platform"]))
    return rows
