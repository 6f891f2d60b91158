"""The one lead order, used by `sqbot leads list`, `sqbot leads export` and the digest's people to contact.

Best first:
1. the group: 0 people who pointed us to someone (a referral reply, or a referral filed from them) or offered
   to talk; 1 people someone referred; 2 the rest. Closed leads (`done`, `do-not-contact`) add 3, so they come
   after every open lead;
2. the best lead priority: of their own replies and of the replies that referred them (high 3, medium 2,
   low 1, none 0; a referral of unknown priority 2; nothing -1). What others said about someone counts at most
   medium while only one person referred them (`referred_priority`): "talk to @famous_person" in a
   high-priority reply does not make a stranger a high-priority lead on one person's word; two different people
   referring them may;
3. the latest activity: their last reply, else when they were last referred (newest first, none last);
4. the person number.

The store keeps each person's figures, the group included, in `person_stats` (triggers of migration
`m006_person_stats`, whose body stays as it is for old databases, with the referred part capped by
`m014_referred_priority_cap`). `ORDER_BY` (SQL) and `key` (Python) are both generated from `_STEPS` below;
`group` and `priority` are the group and priority rules in Python, and tests/leads/test_ranking.py checks on a real
SQLite file that the stored group and priority are theirs and that the SQL order is the `key` order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.models import CLOSED

PRIORITY = {"high": 3, "medium": 2, "low": 1, "none": 0}  # `person_stats.pr`; -1: nothing said
UNKNOWN_REFERRAL = PRIORITY["medium"]  # a referral whose reply is gone (or unlabelled)
REFERRED_CAP = PRIORITY["medium"]  # the most one referrer's word makes of someone


@dataclass(frozen=True)
class Standing:
    """What the order looks at for one person (its `person_stats` row)."""

    person_id: int
    group: int
    pr: int
    last_at: str | None  # ISO text as stored (`bot.store.db.iso`: sortable as text)


def group(*, refers: bool, offers: bool, referred: bool, closed: bool) -> int:
    """The listing group (the `grp` the m006 triggers keep)."""
    return (0 if refers or offers else 1 if referred else 2) + (3 if closed else 0)


def referred_priority(best: int, referrers: int) -> int:
    """The priority someone gets from being referred: `best` of the referring replies, capped at medium unless
    `referrers` (different people) is two or more."""
    return best if referrers >= 2 else min(best, REFERRED_CAP)


def priority(own: Iterable[int], referrals: Iterable[int | None], referrers: int) -> int:
    """`person_stats.pr`: the best of the person's own replies' priorities and of `referred_priority` over the
    replies that referred them (`None`: that reply is gone, `UNKNOWN_REFERRAL`); -1 for nothing."""
    said = [UNKNOWN_REFERRAL if r is None else r for r in referrals]
    return max([*own, referred_priority(max(said), referrers) if said else -1, -1])


# The order, best first: (SQL over `person_stats AS s`, the `Standing` field, descending).
_STEPS: tuple[tuple[str, str, bool], ...] = (
    ("s.grp", "group", False),
    ("s.pr", "pr", True),
    ("COALESCE(s.last_at, s.referred_at)", "last_at", True),
    ("s.person_id", "person_id", False),
)
ORDER_BY = ", ".join(sql + (" DESC" if desc else "") for sql, _field, desc in _STEPS)


class _Sql:
    """One value compared as SQLite's ORDER BY compares it: NULL before anything, reversed when descending."""

    __slots__ = ("desc", "value")

    def __init__(self, value: Any, desc: bool) -> None:
        self.value = value
        self.desc = desc

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Sql) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __lt__(self, other: _Sql) -> bool:
        a, b = (other.value, self.value) if self.desc else (self.value, other.value)
        if a is None or b is None:
            return a is None and b is not None
        return bool(a < b)


def key(s: Standing) -> tuple[_Sql, ...]:
    """`sorted(..., key=key)` is the `ORDER_BY` order."""
    return tuple(_Sql(getattr(s, field), desc) for _sql, field, desc in _STEPS)


def lead_standing(lead: Mapping[str, Any]) -> Standing:
    """The standing of a lead as `bot.leads.people.list_leads` returns it (`why` says the group)."""
    why = lead["why"]
    return Standing(
        person_id=int(lead["person_id"]),
        group=group(
            refers=why == "referral",
            offers=why == "offer",
            referred=why == "referred",
            closed=lead["status"] in CLOSED,
        ),
        pr=PRIORITY.get(lead["priority"] or "", -1),
        last_at=lead["last_at"],
    )


def lead_key(lead: Mapping[str, Any]) -> tuple[_Sql, ...]:
    return key(lead_standing(lead))
