"""The owner's follow-up workflow on a lead: status (new/referred → contacted → talking → done, or
do-not-contact), dated notes, and when to follow up (`parse_due` reads what the owner typed)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import BotError
from bot.leads.people import person_row
from bot.models import HIDDEN, STATUSES
from bot.store import leads as db
from bot.store.db import Store


def set_status(store: Store, pid: int, status: str, now: datetime, *, force: bool = False) -> str:
    """Move a lead along new/referred → contacted → talking → done, or to do-not-contact. Returns the old
    status. Leaving do-not-contact needs `force` (they asked not to be contacted)."""
    if status not in STATUSES:
        raise BotError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    old = str(person_row(store, pid)["status"])
    if old == HIDDEN and status != HIDDEN and not force:
        raise BotError(f"#{pid} is do-not-contact; pass --force if that was a mistake")
    db.set_status(store, pid, status, now)
    return old


def add_note(store: Store, pid: int, text: str, now: datetime) -> str:
    """Append a dated note; returns all notes."""
    person_row(store, pid)
    db.append_note(store, pid, f"[{now.date().isoformat()}] {text.strip()}", now)
    return str(person_row(store, pid)["notes"])


_REL = re.compile(r"^\+(\d+)([hdw])$")


def parse_due(value: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """`+3d`, `+2w`, `+6h`, an ISO date (midnight in `tz`), an ISO time with offset; `none`/`clear` → None."""
    v = value.strip().lower()
    if v in ("none", "clear", "-"):
        return None
    m = _REL.match(v)
    if m:
        n = int(m.group(1))
        return now + {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[m.group(2)]
    try:
        if len(v) == 10:
            d = datetime.fromisoformat(v).date()
            return datetime.combine(d, time(0), tzinfo=tz).astimezone(now.tzinfo)
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BotError(
            f"{value!r} is not a date: use 2026-12-05, +3d, +2w or an ISO time with offset"
        ) from None
    if dt.tzinfo is None:
        raise BotError(f"{value!r} has no UTC offset; add one (e.g. {value}+00:00) or give a date")
    return dt.astimezone(now.tzinfo)


def remind(store: Store, pid: int, when: datetime | None, now: datetime) -> None:
    """Set (or clear) when to follow up; the digest lists people whose follow-up is due."""
    person_row(store, pid)
    db.set_follow_up(store, pid, when, now)
