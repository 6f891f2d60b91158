"""SQL for follow-ups (`sqbot leads draft` / `leads reply`, decided in `bot/leads/send.py`): what a person
said and who referred them, and the `followups` rows. Sending itself goes through the outbox like every post."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.store.db import Store, iso

_IDS = "(SELECT value FROM json_each(?))"  # a list of person ids as one parameter (`_ids`)


def _ids(pids: Sequence[int]) -> str:
    return json.dumps([int(p) for p in pids])


# ------------------------------------------------------------------------------------------- a person's context
def people(store: Store, pids: Sequence[int]) -> list[sqlite3.Row]:
    """`id`, `name`, `status` of the people `pids` (those that exist), by id."""
    return store.q(f"SELECT id, name, status FROM people WHERE id IN {_IDS} ORDER BY id", (_ids(pids),))


def said_by(store: Store, pids: Sequence[int]) -> list[sqlite3.Row]:
    """What the people `pids` wrote (not deleted), oldest first (group by `person_id` for each one's)."""
    return store.q(
        f"""SELECT * FROM interactions WHERE person_id IN {_IDS} AND deleted=0
            ORDER BY created_at, platform, platform_id""",
        (_ids(pids),),
    )


def referred_to_any(store: Store, pids: Sequence[int]) -> list[sqlite3.Row]:
    """`referred_to` for the people `pids` at once (group by `to_person_id`)."""
    return store.q(
        f"""SELECT f.*, p.name AS from_name, i.query_id, i.post_id FROM referrals f
            JOIN people p ON p.id = f.from_person_id
            LEFT JOIN interactions i ON i.platform = f.platform AND i.platform_id = f.interaction_id
            WHERE f.to_person_id IN {_IDS} AND p.status != 'do-not-contact'
            ORDER BY f.created_at, f.platform, f.interaction_id""",
        (_ids(pids),),
    )


def query_titles(store: Store) -> list[sqlite3.Row]:
    """`id`, `title` of every query, by id."""
    return store.q("SELECT id, title FROM queries ORDER BY id")


# ------------------------------------------------------------------------------------------- followups rows
def posted_to(store: Store, pids: Sequence[int]) -> list[sqlite3.Row]:
    """The follow-ups posted to the people `pids`, oldest first (group by `person_id`)."""
    return store.q(
        f"SELECT * FROM followups WHERE person_id IN {_IDS} AND posted_at IS NOT NULL ORDER BY posted_at, id",
        (_ids(pids),),
    )


def unposted(store: Store, pid: int) -> list[sqlite3.Row]:
    """The follow-ups to a person not posted yet, newest first."""
    return store.q(
        "SELECT * FROM followups WHERE person_id=? AND posted_at IS NULL ORDER BY created_at DESC, id DESC",
        (pid,),
    )


def count(store: Store, pid: int) -> int:
    """How many follow-ups a person was ever given (posted or not)."""
    return int(store.q("SELECT COUNT(*) AS n FROM followups WHERE person_id=?", (pid,))[0]["n"])


def add(
    store: Store,
    fid: str,
    pid: int,
    query_id: str | None,
    platform: str,
    reply_to: str | None,
    mention: str | None,
    text: str,
    now: datetime,
) -> sqlite3.Row:
    """File a new follow-up; returns its row."""
    with store.tx() as c:
        c.execute(
            """INSERT INTO followups (id, person_id, query_id, platform, reply_to, mention, text, created_at)
               VALUES (?,?,?,?,?,?,?,?)""",
            (fid, pid, query_id, platform, reply_to, mention, text, iso(now)),
        )
    return store.q("SELECT * FROM followups WHERE id=?", (fid,))[0]


def drop_unposted(store: Store, fid: str) -> None:
    with store.tx() as c:
        c.execute("DELETE FROM followups WHERE id=? AND posted_at IS NULL", (fid,))


def first_post(store: Store, fid: str, platform: str) -> sqlite3.Row:
    """The (first) post a follow-up made."""
    return store.q("SELECT * FROM posts WHERE query_id=? AND platform=? AND idx=0", (fid, platform))[0]


def mark_posted(store: Store, fid: str, pid: int, post: sqlite3.Row, now: datetime) -> None:
    """Record the post on the follow-up and move the person to `contacted` (unless the owner moved them on)."""
    with store.tx() as c:
        c.execute(
            "UPDATE followups SET post_id=?, url=?, posted_at=COALESCE(posted_at, ?) WHERE id=?",
            (post["platform_id"], post["url"], iso(now), fid),
        )
        c.execute(
            """UPDATE people SET status='contacted', updated_at=? WHERE id=?
                AND status IN ('new', 'referred')""",
            (iso(now), pid),
        )
