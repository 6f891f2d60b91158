"""SQL for the owner's corrections of reply labels (`bot/leads/corrections.py` decides; the table is
`corrections`, migration `m010_corrections`): find the reply, keep the correction, read them back for the
understanding and for `sqbot understand --export-corrections`, and forget them with the person."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.store.db import Store, iso

_WITH_AUTHOR = """SELECT i.*, d.handle AS a_handle, d.name AS a_name, d.bio AS a_bio FROM interactions i
    LEFT JOIN identities d ON d.platform=i.platform AND d.user_id=i.author_user_id"""


def reply_by_url(store: Store, url: str) -> list[sqlite3.Row]:
    """The stored replies with this address (as `leads show` prints it), with their author (`a_handle`,
    `a_name`, `a_bio`). A scan of `interactions`: a rare command, not worth an index on every reply."""
    return store.q(f"{_WITH_AUTHOR} WHERE i.url=? ORDER BY i.platform, i.platform_id", (url,))


def reply(store: Store, platform: str, platform_id: str) -> sqlite3.Row | None:
    """One stored reply with its author, as `reply_by_url` gives it."""
    rows = store.q(f"{_WITH_AUTHOR} WHERE i.platform=? AND i.platform_id=?", (platform, platform_id))
    return rows[0] if rows else None


def referrals_of(store: Store, platform: str, platform_id: str) -> list[sqlite3.Row]:
    """Whom a reply refers to now (`handle`, `name`, `target_platform`, `kind`), in filing order."""
    return store.q(
        """SELECT handle, name, target_platform, kind FROM referrals WHERE platform=? AND interaction_id=?
           ORDER BY created_at, rowid""",
        (platform, platform_id),
    )


def handle_name(store: Store, platform: str, handle: str) -> str | None:
    """The name of whoever holds `handle` on `platform` (a lead's name when they never answered)."""
    rows = store.q(
        """SELECT COALESCE(d.name, p.name) AS name FROM identities d JOIN people p ON p.id=d.person_id
           WHERE d.platform=? AND lower(d.handle)=lower(?) ORDER BY d.user_id LIKE 'handle:%' LIMIT 1""",
        (platform, handle),
    )
    return rows[0]["name"] if rows else None


def save(
    c: sqlite3.Connection,
    platform: str,
    platform_id: str,
    intent: str,
    refs: list[list[str | None]],
    now: datetime,
) -> None:
    """Keep (or replace) the correction of one reply."""
    c.execute(
        """INSERT INTO corrections (platform, interaction_id, intent, referrals, at) VALUES (?,?,?,?,?)
           ON CONFLICT(platform, interaction_id) DO UPDATE SET intent=excluded.intent,
           referrals=excluded.referrals, at=excluded.at""",
        (platform, platform_id, intent, json.dumps(refs), iso(now)),
    )


def all_corrections(store: Store) -> list[sqlite3.Row]:
    """Every correction (`platform`, `interaction_id`, `intent`, `referrals` JSON, `at`), oldest first."""
    try:
        return store.q("SELECT * FROM corrections ORDER BY at, platform, interaction_id")
    except sqlite3.OperationalError:  # a database opened read-only before m010: nothing corrected yet
        return []


def corrected_ids(store: Store, platform_ids: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these replies (platform, id) carry a correction."""
    out: set[tuple[str, str]] = set()
    for platform in {p for p, _ in platform_ids}:
        ids = [i for p, i in platform_ids if p == platform]
        for n in range(0, len(ids), 500):
            part = ids[n : n + 500]
            out |= {
                (platform, r["interaction_id"])
                for r in store.q(
                    f"SELECT interaction_id FROM corrections WHERE platform=? AND interaction_id IN "
                    f"({','.join('?' * len(part))})",
                    (platform, *part),
                )
            }
    return out


def for_export(store: Store) -> list[sqlite3.Row]:
    """Every correction with its reply, author and the query's text on that platform (`query_text`), or the
    query's title (`query_title`), oldest first."""
    return store.q(
        """SELECT c.intent AS c_intent, c.referrals AS c_referrals, c.at AS c_at, i.platform, i.platform_id,
                  i.text, i.offers_contact, i.lead_priority, i.language, d.handle AS a_handle, d.name AS a_name,
                  d.bio AS a_bio, q.title AS query_title,
                  (SELECT text FROM posts s WHERE s.query_id=i.query_id AND s.platform=i.platform
                   ORDER BY idx LIMIT 1) AS query_text
           FROM corrections c
           JOIN interactions i ON i.platform=c.platform AND i.platform_id=c.interaction_id
           LEFT JOIN identities d ON d.platform=i.platform AND d.user_id=i.author_user_id
           LEFT JOIN queries q ON q.id=i.query_id
           ORDER BY c.at, c.platform, c.interaction_id"""
    )


def forget(c: sqlite3.Connection, pids: Sequence[int], handles: Iterable[tuple[str, str]]) -> None:
    """Forget corrections with a person: those of their replies, and their accounts in others' referrals."""
    marks = ",".join("?" * len(pids))
    c.execute(
        f"""DELETE FROM corrections WHERE (platform, interaction_id) IN
            (SELECT platform, platform_id FROM interactions WHERE person_id IN ({marks}))""",
        tuple(pids),
    )
    gone = {(p, h.lower()) for p, h in handles}
    if not gone:
        return
    for r in c.execute("SELECT platform, interaction_id, intent, referrals FROM corrections").fetchall():
        refs = json.loads(r["referrals"])
        kept = [x for x in refs if not (x[0] and (x[2], str(x[0]).lower()) in gone)]
        if not kept and r["intent"] == "referral":  # it pointed only to them: the rules label it again
            c.execute(
                "DELETE FROM corrections WHERE platform=? AND interaction_id=?",
                (r["platform"], r["interaction_id"]),
            )
        elif len(kept) != len(refs):
            c.execute(
                "UPDATE corrections SET referrals=? WHERE platform=? AND interaction_id=?",
                (json.dumps(kept), r["platform"], r["interaction_id"]),
            )
