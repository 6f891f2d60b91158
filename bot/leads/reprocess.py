"""Re-running reply understanding over every stored interaction (`sqbot understand --reprocess`): intent,
priority, offers, language and the referrals they file. The SQL is in `bot/store/leads_reprocess.py`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.models import InteractionData
from bot.store import leads_reprocess as db
from bot.store.db import Store
from bot.store.leads_forget import drop_orphan_leads


@dataclass(frozen=True)
class ReprocessReport:
    interactions: int
    changed: int
    referrals_added: int
    referrals_removed: int


def reprocess(store: Store, analyse: Callable[[InteractionData], Any], now: datetime) -> ReprocessReport:
    """Re-run reply understanding over every stored interaction; update intent/priority/offers/language and
    the referrals (adding new ones and their leads, removing ones no longer found). Running it twice changes
    nothing the second time."""
    rows = db.interactions_with_authors(store)
    changed = added = removed = 0
    with store.tx() as c:
        for r in rows:
            ch, ad, rm = relabel(store, c, r, analyse, now)
            changed, added, removed = changed + ch, added + ad, removed + rm
    return ReprocessReport(len(rows), changed, added, removed)


def relabel(
    store: Store,
    c: sqlite3.Connection,
    r: sqlite3.Row,
    analyse: Callable[[InteractionData], Any],
    now: datetime,
) -> tuple[int, int, int]:
    """Re-run understanding over one stored interaction (an `interactions_with_authors` row) inside the open
    transaction `c`; returns (relabelled 0/1, referrals added, referrals removed)."""
    it = db.interaction_from_row(r)
    a = analyse(it)
    new = (
        getattr(a, "intent", None),
        getattr(a, "lead_priority", None),
        None if a is None else int(bool(getattr(a, "offers_contact", False))),
        getattr(a, "language", None),
    )
    changed = new != (r["intent"], r["lead_priority"], r["offers_contact"], r["language"])
    if changed:
        db.set_understanding(c, r["platform"], r["platform_id"], new)
    before = db.referrals_of(c, r["platform"], r["platform_id"])
    for ref in getattr(a, "referrals", ()) or ():
        db.file_referral(store, c, it, int(r["person_id"]), ref, now)
    after = set(db.referrals_of(c, r["platform"], r["platform_id"]))
    wanted = {_target(it, ref) for ref in getattr(a, "referrals", ()) or ()}
    stale = [t for t in after if t not in wanted]
    for t in stale:
        db.delete_referral(c, r["platform"], r["platform_id"], t)
    drop_orphan_leads(c, [int(to) for t in stale if (to := before.get(t)) is not None])
    return int(changed), len(after - set(before)), len(stale)


def _target(it: InteractionData, ref: Any) -> str:
    raw = getattr(ref, "handle", None)
    handle = raw.strip().lstrip("@").lower() if raw else None
    name = getattr(ref, "name", None)
    platform = getattr(ref, "platform", None) or (it.platform if handle else None)
    return f"{platform}:{handle}" if handle else f"name:{(name or '').lower()}"
