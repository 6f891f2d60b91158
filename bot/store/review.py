"""The few statements `sqbot review` needs beyond the leads and digest functions it reuses: follow-ups confirmed
by a click (their key is `followup:<person>:r-<nonce>`, see `bot.leads.confirmed`), and rejected merge
suggestions (the `merge_rejections` table, `m009_merge_rejections`)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.store.db import EXPIRED, FAILED, NEEDS_REVIEW, Store, iso

# a follow-up confirmed in the review app: `followup:<pid>:r-<nonce>` (no `leads reply` key has "r-")
CONFIRMED_MARK = ":r-"


def followup(store: Store, fid: str) -> dict[str, str | None] | None:
    """The follow-up row `fid`, or None."""
    rows = store.q("SELECT * FROM followups WHERE id=?", (fid,))
    return {k: rows[0][k] for k in rows[0].keys()} if rows else None


def unsent_confirmed(store: Store, pid: int | None = None) -> list[dict[str, str | None]]:
    """Follow-ups confirmed in the review app and not yet recorded as posted (oldest first), leaving out those
    whose outbox row gave up (failed, expired, needs review: the owner decides, never a retry by itself)."""
    where = "" if pid is None else " AND f.person_id=?"
    rows = store.q(
        f"""SELECT f.* FROM followups f
            LEFT JOIN outbox o ON o.query_id = f.id AND o.platform = f.platform
            WHERE f.posted_at IS NULL AND instr(f.id, '{CONFIRMED_MARK}') > 0
              AND COALESCE(o.status, '') NOT IN ('{FAILED}', '{EXPIRED}', '{NEEDS_REVIEW}'){where}
            ORDER BY f.created_at, f.id""",
        () if pid is None else (pid,),
    )
    return [{k: r[k] for k in r.keys()} for r in rows]


def has_outbox(store: Store, fid: str, platform: str) -> bool:
    return bool(store.q("SELECT 1 FROM outbox WHERE query_id=? AND platform=?", (fid, platform)))


def posted_since(store: Store, pid: int, since: str) -> bool:
    """A follow-up to `pid` was posted at or after `since` (an ISO time)."""
    return bool(
        store.q(
            "SELECT 1 FROM followups WHERE person_id=? AND posted_at IS NOT NULL AND created_at >= ? LIMIT 1",
            (pid, since),
        )
    )


def drop_unsent(store: Store, fid: str) -> None:
    """Forget a confirmed follow-up that never reached the outbox (another follow-up went out instead)."""
    with store.tx() as c:
        c.execute(
            """DELETE FROM followups WHERE id=? AND posted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM outbox WHERE query_id=followups.id)""",
            (fid,),
        )


def person_exists(store: Store, pid: int) -> bool:
    return bool(store.q("SELECT 1 FROM people WHERE id=?", (pid,)))


def names(store: Store, pids: list[int]) -> dict[int, str | None]:
    if not pids:
        return {}
    marks = ",".join("?" * len(pids))
    return {
        int(r["id"]): r["name"] for r in store.q(f"SELECT id, name FROM people WHERE id IN ({marks})", pids)
    }


def merged_into(store: Store, pid: int) -> int | None:
    """The person `pid` was merged into (a link to a merged-away person lands on who they are now)."""
    rows = store.q("SELECT kept FROM person_merges WHERE dropped=? AND undone_at IS NULL", (pid,))
    return int(rows[0]["kept"]) if rows else None


def reject_merge(store: Store, a: int, b: int, now: datetime) -> None:
    """Never suggest merging `a` and `b` again."""
    lo, hi = min(a, b), max(a, b)
    with store.tx() as c:
        c.execute("INSERT OR IGNORE INTO merge_rejections (a, b, at) VALUES (?,?,?)", (lo, hi, iso(now)))


def referrals_to(store: Store, pid: int) -> list[sqlite3.Row]:
    """Every referral pointing at `pid`: who said it, in which reply (for the person page's pairs)."""
    return store.q(
        """SELECT f.from_person_id, p.name AS from_name, f.platform, f.interaction_id, f.kind, f.created_at,
                  i.query_id, i.url
           FROM referrals f JOIN people p ON p.id = f.from_person_id
           LEFT JOIN interactions i ON i.platform = f.platform AND i.platform_id = f.interaction_id
           WHERE f.to_person_id=? ORDER BY f.created_at, f.platform, f.interaction_id""",
        (pid,),
    )


def referrals_by_reply(store: Store, pid: int) -> dict[tuple[str, str], list[sqlite3.Row]]:
    """Whom each of `pid`'s replies points to (the reply's referral labels), keyed by (platform, id)."""
    out: dict[tuple[str, str], list[sqlite3.Row]] = {}
    for r in store.q(
        """SELECT f.platform, f.interaction_id, f.handle, f.name, f.target_platform, f.kind, f.to_person_id
           FROM referrals f WHERE f.from_person_id=? ORDER BY f.created_at, f.target""",
        (pid,),
    ):
        out.setdefault((r["platform"], r["interaction_id"]), []).append(r)
    return out


def titles(store: Store) -> dict[str, str]:
    """Every query's title (its id when it has none)."""
    return {r["id"]: r["title"] or r["id"] for r in store.q("SELECT id, title FROM queries")}
