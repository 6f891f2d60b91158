"""Posting slots and when a query is due. Pure: `now` is always passed in, results are aware UTC.

`SQBOT_SLOTS` looks like ``mon-fri 09:00,13:00; sat 10:00``: groups separated by ``;``, each a day spec
(``daily``, a day ``mon``, a range ``mon-fri`` (may wrap: ``fri-mon``), or a list ``mon,wed,fri-sun``)
followed by local times ``HH:MM`` separated by commas. Times are wall-clock times in the owner's zone:

* a slot that does not exist (spring forward, e.g. 02:30 in Zurich on 2026-03-29) moves to the first
  instant after the gap (03:00), it is never dropped;
* a slot that exists twice (fall back, e.g. 02:30 on 2026-10-25) is used once, at its first occurrence.

Slots are compared as instants: two wall-clock slots that land on the same instant (02:30 moved to 03:00
where a 03:00 slot already is) are one slot, so two queries never go out at the same moment.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import ConfigError
from bot.models import Query

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_EXAMPLE = "e.g. SQBOT_SLOTS='mon-fri 09:00,13:00; sat 10:00'"


@dataclass(frozen=True)
class Slots:
    """Local posting times per weekday: `by_day[0]` is Monday, each sorted and without repeats."""

    by_day: tuple[tuple[time, ...], ...]

    def __bool__(self) -> bool:
        return any(self.by_day)


def _day(name: str, spec: str) -> int:
    key = name.strip().lower()
    if key in _DAYS:
        return _DAYS.index(key)
    if key in _FULL_DAYS:
        return _FULL_DAYS.index(key)
    raise ConfigError(
        f"slots {spec!r}: {name.strip()!r} is not a day (use mon, tue, ... sun or daily); {_EXAMPLE}"
    )


def _days(part: str, spec: str) -> set[int]:
    if part.strip().lower() == "daily":
        return set(range(7))
    days: set[int] = set()
    for item in part.split(","):
        if "-" in item:
            first, _, last = item.partition("-")
            a, b = _day(first, spec), _day(last, spec)
            days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
        else:
            days.add(_day(item, spec))
    return days


def parse_slots(spec: str) -> Slots:
    """Parse a slot spec; raises ConfigError saying what is wrong and how to write it."""
    by_day: list[set[time]] = [set() for _ in range(7)]
    groups = [g.strip() for g in spec.split(";")]
    if not any(groups):
        raise ConfigError(f"slots are empty; {_EXAMPLE}")
    for group in groups:
        if not group:
            continue
        words = group.split(None, 1)
        if len(words) != 2:
            raise ConfigError(f"slots {spec!r}: {group!r} needs days and times; {_EXAMPLE}")
        days = _days(words[0], spec)
        times: set[time] = set()
        for raw in words[1].replace(" ", "").split(","):
            m = _TIME.fullmatch(raw)
            if not m:
                raise ConfigError(f"slots {spec!r}: {raw!r} is not a time HH:MM (00:00-23:59); {_EXAMPLE}")
            times.add(time(int(m.group(1)), int(m.group(2))))
        for d in days:
            by_day[d] |= times
    return Slots(tuple(tuple(sorted(ts)) for ts in by_day))


def _exists(naive: datetime, tz: ZoneInfo) -> bool:
    back = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back == naive


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `tz`: the first occurrence when it happens twice
    (fold=0), the first instant after the gap when it does not happen at all."""
    naive = datetime.combine(day, at)
    probe = naive
    for _ in range(48 * 60):  # gaps are minute-aligned and shorter than a day in every real zone
        if _exists(probe, tz):
            return probe.replace(tzinfo=tz, fold=0).astimezone(UTC)
        probe += timedelta(minutes=1)
    raise ConfigError(f"no valid local time after {naive.isoformat()} in {tz.key}")  # pragma: no cover


def next_free_slot(slots: Slots, tz: ZoneInfo, after: datetime, taken: Collection[datetime]) -> datetime:
    """The first slot at or after `after` whose instant is not in `taken` (compared as instants)."""
    if after.tzinfo is None:
        raise ValueError("next_free_slot needs an aware datetime")
    if not slots:
        raise ConfigError(f"no posting slots are configured; {_EXAMPLE}")
    busy = {t.astimezone(UTC) for t in taken}
    start = after.astimezone(tz).date() - timedelta(days=1)
    per_week = sum(len(ts) for ts in slots.by_day)
    horizon = 7 * (len(busy) // per_week + 2) + 1
    for offset in range(horizon):
        day = start + timedelta(days=offset)
        for at in slots.by_day[day.weekday()]:
            instant = local_instant(day, at, tz)
            if instant >= after and instant not in busy:
                return instant
    raise ConfigError("no free slot found; this is a bug")  # pragma: no cover: horizon covers every busy slot


def due_at(
    query: Query, *, slots: Slots | None, tz: ZoneInfo, now: datetime, taken: Collection[datetime] = ()
) -> datetime:
    """When `query` should be posted: its `at:`; for `slot: next` the next free slot at or after `now`;
    otherwise `now`. A `slot: next` answer moves with `now`, so the caller stores it the first time and
    passes the stored instants of other queries as `taken`."""
    if now.tzinfo is None:
        raise ValueError("due_at needs an aware `now`")
    if query.at is not None:
        return query.at.astimezone(UTC)
    if query.slot == "next":
        if slots is None or not slots:
            raise ConfigError(
                f"query {query.id!r} uses 'slot: next' but no slots are set; set SQBOT_SLOTS ({_EXAMPLE})"
                " or give the query an 'at:' time"
            )
        return next_free_slot(slots, tz, now, taken)
    return now.astimezone(UTC)
