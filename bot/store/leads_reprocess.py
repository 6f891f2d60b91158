"""SQL for re-running reply understanding over stored interactions (`bot/leads/reprocess.py` decides what
changed; this reads the interactions back as `InteractionData` and writes the new understanding)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.models import IdentityData, InteractionData, Mention
from bot.store.db import Store, parse_iso


def interactions_with_authors(store: Store) -> list[sqlite3.Row]:
    """Every interaction, oldest first, with its author's handle, name and bio (`a_handle`, `a_name`, `a_bio`)."""
    return store.q(
        """SELECT i.*, d.handle AS a_handle, d.name AS a_name, d.bio AS a_bio FROM interactions i
           LEFT JOIN identities d ON d.platform=i.platform AND d.user_id=i.author_user_id
           ORDER BY i.created_at, i.platform, i.platform_id"""
    )


def interaction_from_row(r: sqlite3.Row) -> InteractionData:
    """An `interactions_with_authors` row as the `InteractionData` the poller stored."""
    mentions: Sequence[Any] = json.loads(r["mentions"] or "[]")
    return InteractionData(
        platform=r["platform"],
        platform_id=r["platform_id"],
        kind=r["kind"],
        author=IdentityData(
            platform=r["platform"],
            user_id=r["author_user_id"],
            handle=r["a_handle"],
            name=r["a_name"],
            bio=r["a_bio"],
        ),
        text=r["text"],
        created_at=parse_iso(r["created_at"]),
        root_id=r["root_id"],
        parent_id=r["parent_id"],
        url=r["url"],
        mentions=tuple(Mention(m[0], m[1], m[2] or "") for m in mentions),
        deleted=bool(r["deleted"]),
    )


def set_understanding(
    c: sqlite3.Connection,
    platform: str,
    platform_id: str,
    understanding: tuple[str | None, str | None, int | None, str | None],
) -> None:
    """Store (intent, lead_priority, offers_contact, language) of one interaction."""
    c.execute(
        """UPDATE interactions SET intent=?, lead_priority=?, offers_contact=?, language=?
           WHERE platform=? AND platform_id=?""",
        (*understanding, platform, platform_id),
    )


def referrals_of(c: sqlite3.Connection, platform: str, interaction_id: str) -> dict[str, int | None]:
    """The referrals filed from one interaction: target → the person it points to (None: a name only)."""
    return {
        x["target"]: x["to_person_id"]
        for x in c.execute(
            "SELECT target, to_person_id FROM referrals WHERE platform=? AND interaction_id=?",
            (platform, interaction_id),
        )
    }


def file_referral(
    store: Store, c: sqlite3.Connection, it: InteractionData, from_person: int, ref: Any, now: datetime
) -> None:
    """File one referral the way the poller does (idempotent; a referred handle becomes a lead)."""
    store._insert_referral(c, it, from_person, ref, now)


def delete_referral(c: sqlite3.Connection, platform: str, interaction_id: str, target: str) -> None:
    c.execute(
        "DELETE FROM referrals WHERE platform=? AND interaction_id=? AND target=?",
        (platform, interaction_id, target),
    )
