"""SQL for merging people and undoing merges (`bot/leads/merges.py` decides; this reads and writes).

A merge is `Store._merge` (the same one the poller's link merges use); triggers log what it moved in
`person_moves` and keep the dropped person in `people_removed` (see store.m003_people), which is what an undo
replays. The undo steps take the connection of the caller's transaction, so one undo is one transaction."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.store.db import Store, iso


def merge_people(store: Store, keep: int, drop: int, evidence: str, now: datetime) -> int:
    """Merge `drop` into `keep` in one transaction; returns the merge's id."""
    with store.tx() as c:
        Store._merge(c, keep, drop, evidence, now)
        row = c.execute(
            "SELECT id FROM person_merges WHERE kept=? AND dropped=? AND undone_at IS NULL", (keep, drop)
        ).fetchone()
    return int(row["id"])


def all_merges(store: Store) -> list[sqlite3.Row]:
    return store.q("SELECT * FROM person_merges ORDER BY id")


def undone_pairs(store: Store) -> list[tuple[int, int]]:
    """(kept, dropped) of every merge the owner undid."""
    return [
        (int(r["kept"]), int(r["dropped"]))
        for r in store.q("SELECT kept, dropped FROM person_merges WHERE undone_at IS NOT NULL")
    ]


def rejected_pairs(store: Store) -> set[frozenset[int]]:
    """Merge suggestions the owner rejected in `sqbot review` (`merge_rejections`, m009)."""
    try:
        return {frozenset((int(r["a"]), int(r["b"]))) for r in store.q("SELECT a, b FROM merge_rejections")}
    except sqlite3.OperationalError:  # a database opened read-only before m009: nothing rejected yet
        return set()


def current_person(store: Store, pid: int) -> int:
    """Who `pid` is now: itself while it has identities, else whoever a live merge moved them into."""
    row = store.q("SELECT person_id FROM identities WHERE person_id=? LIMIT 1", (pid,))
    if row:
        return pid
    nxt = store.q("SELECT kept FROM person_merges WHERE dropped=? AND undone_at IS NULL", (pid,))
    return current_person(store, int(nxt[0]["kept"])) if nxt else pid


# ------------------------------------------------------------------------------------------- evidence
def identities_for_suggestions(store: Store) -> list[sqlite3.Row]:
    """Every identity, in table order (the order `bot.store.lookalikes` reads a person's look-alikes in)."""
    return store.q(
        "SELECT platform, user_id, handle, name, bio, url, links, person_id FROM identities ORDER BY rowid"
    )


def identities_linking(store: Store, person: int) -> list[sqlite3.Row]:
    """`person`'s identities, the identities their profiles link, and the identities whose links name one of
    their handles: everything a one-sided profile link with `person` can involve."""
    cols = "platform, user_id, handle, name, bio, url, links, person_id"
    mine = store.q(f"SELECT {cols} FROM identities WHERE person_id=? ORDER BY rowid", (person,))
    handles = sorted({str(i["handle"]).lower() for i in mine if i["handle"]})
    named = sorted(
        {(str(p), str(h).lower().lstrip("@")) for i in mine for p, h in json.loads(i["links"] or "[]")}
    )
    out = {(i["platform"], i["user_id"]): i for i in mine}
    for p, h in named:
        for i in store.q(f"SELECT {cols} FROM identities WHERE platform=? AND lower(handle)=?", (p, h)):
            out[(i["platform"], i["user_id"])] = i
    for h in handles:
        like = "%" + h.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for i in store.q(
            f"SELECT {cols} FROM identities WHERE links LIKE ? ESCAPE '\\' AND person_id != ?", (like, person)
        ):
            out[(i["platform"], i["user_id"])] = i
    return list(out.values())


def websites_off_bluesky(store: Store) -> list[sqlite3.Row]:
    """Identities on other platforms whose profile has a website (`url`)."""
    return store.q(
        "SELECT platform, user_id, url, person_id FROM identities WHERE platform != 'bluesky' AND url IS NOT NULL"
    )


def bluesky_domain_handles(store: Store) -> list[sqlite3.Row]:
    """Real (not placeholder) Bluesky identities whose handle has a dot: candidates for a custom domain."""
    return store.q(
        "SELECT handle, person_id FROM identities WHERE platform='bluesky' AND handle LIKE '%.%'"
        " AND user_id NOT LIKE 'handle:%'"
    )


# ------------------------------------------------------------------------------------------- undo, step by step
def merge_record(c: sqlite3.Connection, merge_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = c.execute("SELECT * FROM person_merges WHERE id=?", (merge_id,)).fetchone()
    return row


def person_present(c: sqlite3.Connection, pid: int) -> bool:
    return c.execute("SELECT 1 FROM people WHERE id=?", (pid,)).fetchone() is not None


def live_merge_dropping(c: sqlite3.Connection, pid: int) -> sqlite3.Row | None:
    """The merge (not undone) that moved `pid` into someone else: `id`, `kept`."""
    row: sqlite3.Row | None = c.execute(
        "SELECT id, kept FROM person_merges WHERE dropped=? AND undone_at IS NULL", (pid,)
    ).fetchone()
    return row


def removed_snapshot(c: sqlite3.Connection, pid: int) -> sqlite3.Row | None:
    """The person row a merge removed, as it was."""
    row: sqlite3.Row | None = c.execute("SELECT * FROM people_removed WHERE id=?", (pid,)).fetchone()
    return row


def last_move(c: sqlite3.Connection) -> int:
    return int(c.execute("SELECT COALESCE(MAX(id), 0) AS m FROM person_moves").fetchone()["m"])


def restore_person(c: sqlite3.Connection, pid: int, snap: sqlite3.Row, now: datetime) -> None:
    """Put a removed person back under their own id, from their `removed_snapshot`."""
    c.execute(
        """INSERT INTO people (id, name, status, notes, next_follow_up, first_seen, updated_at)
           VALUES (?,?,?,?,?,?,?)""",
        (
            pid,
            snap["name"],
            snap["status"],
            snap["notes"],
            snap["next_follow_up"],
            snap["first_seen"],
            iso(now),
        ),
    )


def replay_moves(c: sqlite3.Connection, drop: int, keep: int, top: int) -> dict[str, int]:
    """Move back, newest first, the rows the merge moved from `drop` to `keep` (moves up to id `top`) that
    `keep` still has; returns how many of each."""
    moved = {"identities": 0, "interactions": 0, "referrals": 0}
    for mv in c.execute(
        "SELECT * FROM person_moves WHERE from_person=? AND to_person=? AND id<=? ORDER BY id DESC",
        (drop, keep, top),
    ).fetchall():
        key = json.loads(mv["key"])
        col = mv["col"]
        if mv["tbl"] == "identities":
            cur = c.execute(
                "UPDATE identities SET person_id=? WHERE platform=? AND user_id=? AND person_id=?",
                (drop, *key, keep),
            )
        elif mv["tbl"] == "interactions":
            cur = c.execute(
                "UPDATE interactions SET person_id=? WHERE platform=? AND platform_id=? AND person_id=?",
                (drop, *key, keep),
            )
        else:
            col = "from_person_id" if col == "from_person_id" else "to_person_id"
            cur = c.execute(
                f"UPDATE referrals SET {col}=? WHERE platform=? AND interaction_id=? AND target=? AND {col}=?",
                (drop, *key, keep),
            )
        moved[mv["tbl"]] += cur.rowcount
    return moved


def reclaim_later_rows(c: sqlite3.Connection, drop: int, keep: int) -> int:
    """What `drop`'s identities said, or were named in, after the merge is theirs too; returns how many
    interactions moved back."""
    mine = "(platform, {a}) IN (SELECT platform, user_id FROM identities WHERE person_id=?)"
    cur = c.execute(
        f"UPDATE interactions SET person_id=? WHERE person_id=? AND {mine.format(a='author_user_id')}",
        (drop, keep, drop),
    )
    n = cur.rowcount
    c.execute(
        """UPDATE referrals SET from_person_id=? WHERE from_person_id=? AND (platform, interaction_id) IN
               (SELECT platform, platform_id FROM interactions WHERE person_id=?)""",
        (drop, keep, drop),
    )
    c.execute(
        """UPDATE referrals SET to_person_id=? WHERE to_person_id=? AND (target_platform, handle) IN
               (SELECT platform, lower(handle) FROM identities WHERE person_id=?)""",
        (drop, keep, drop),
    )
    return n


def notes_and_status(c: sqlite3.Connection, pid: int) -> sqlite3.Row:
    row: sqlite3.Row = c.execute("SELECT notes, status FROM people WHERE id=?", (pid,)).fetchone()
    return row


def set_notes_and_status(
    c: sqlite3.Connection, pid: int, notes: str | None, status: str, now: datetime
) -> None:
    c.execute("UPDATE people SET notes=?, status=?, updated_at=? WHERE id=?", (notes, status, iso(now), pid))


def close_undo(c: sqlite3.Connection, merge_id: int, drop: int, keep: int, top: int, now: datetime) -> None:
    """Forget the undone merge's moves (and any logged since `top`) and snapshot; mark the merge undone."""
    c.execute("DELETE FROM person_moves WHERE (from_person=? AND to_person=?) OR id>?", (drop, keep, top))
    c.execute("DELETE FROM people_removed WHERE id=?", (drop,))
    c.execute("UPDATE person_merges SET undone_at=? WHERE id=?", (iso(now), merge_id))
