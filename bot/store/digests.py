"""The digest's reads (what `bot.digest.collect` turns into a `DigestInput`) and its window bookkeeping (the
`digests` table). Times are ISO text as stored (`bot.store.db.iso`); `s`/`u` are a window's `[since, until)`.
People marked `do-not-contact` are left out of every read.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from bot.leads.ranking import ORDER_BY
from bot.models import HIDDEN
from bot.store.db import Store


# ------------------------------------------------------------------------------------------- digest windows
def last_window_end(store: Store, status: str) -> str | None:
    """The end of the latest digest window with this status."""
    w: str | None = store.q("SELECT MAX(window_end) AS w FROM digests WHERE status=?", (status,))[0]["w"]
    return w


def first_fetched_at(store: Store) -> str | None:
    """When sqbot learned of its first interaction."""
    w: str | None = store.q("SELECT MIN(fetched_at) AS w FROM interactions")[0]["w"]
    return w


def newest_window(store: Store, status: str) -> sqlite3.Row | None:
    """The `digests` row with this status and the latest window end."""
    rows = store.q("SELECT * FROM digests WHERE status=? ORDER BY window_end DESC LIMIT 1", (status,))
    return rows[0] if rows else None


def save_window(
    store: Store,
    *,
    window_end: str,
    window_start: str,
    message_id: str,
    status: str,
    counts: tuple[int, int, int],
    path: str | None,
    sent_at: str | None,
) -> None:
    """Insert or update the digest row of this window (keyed by its end); `counts`: replies, people, referrals."""
    with store.tx() as c:
        c.execute(
            """INSERT INTO digests (window_end, window_start, message_id, status, replies, people, referrals,
                   path, sent_at) VALUES (?,?,?,?,?,?,?,?,?)
               ON CONFLICT(window_end) DO UPDATE SET window_start=excluded.window_start,
                   message_id=excluded.message_id, status=excluded.status, replies=excluded.replies,
                   people=excluded.people, referrals=excluded.referrals, path=excluded.path,
                   sent_at=COALESCE(excluded.sent_at, digests.sent_at)""",
            (window_end, window_start, message_id, status, *counts, path, sent_at),
        )


def window_counts(store: Store, window_end: str) -> tuple[int, int, int]:
    """(replies, people, referrals) recorded for the window ending at `window_end`."""
    r = store.q("SELECT replies, people, referrals FROM digests WHERE window_end=?", (window_end,))[0]
    return int(r["replies"]), int(r["people"]), int(r["referrals"])


# ------------------------------------------------------------------------------------------- the window's rows
def referral_targets(store: Store, s: str, u: str) -> list[sqlite3.Row]:
    """Whom each reply fetched in the window points to (platform, interaction_id, handle, name), in one read."""
    return store.q(
        f"""SELECT f.platform, f.interaction_id, f.handle, f.name FROM referrals f JOIN interactions i
               ON i.platform = f.platform AND i.platform_id = f.interaction_id
            LEFT JOIN people t ON t.id = f.to_person_id
            WHERE i.fetched_at >= ? AND i.fetched_at < ? AND COALESCE(t.status, '') != '{HIDDEN}'
            ORDER BY f.platform, f.interaction_id, f.target""",
        (s, u),
    )


_IN_WINDOW = f"i.fetched_at >= ? AND i.fetched_at < ? AND i.deleted = 0 AND p.status != '{HIDDEN}'"


def replies(store: Store, s: str, u: str, people: Sequence[int] | None = None) -> list[sqlite3.Row]:
    """The interactions fetched in the window (only `people`'s when given), newest first, with their author's
    identity (`handle`, `ident_name`, `bio`, `ident_url`), person name and, for answers to our follow-ups,
    `followup_of`."""
    only = "" if people is None else " AND i.person_id IN (SELECT value FROM json_each(?))"
    return store.q(
        f"""SELECT i.*, p.name AS person_name, d.handle, d.name AS ident_name, d.bio, d.url AS ident_url,
                   fu.query_id AS followup_of
            FROM interactions i JOIN people p ON p.id = i.person_id
            LEFT JOIN identities d ON d.platform = i.platform AND d.user_id = i.author_user_id
            LEFT JOIN followups fu ON fu.id = i.query_id  -- an answer to our follow-up: the query it was about
            WHERE {_IN_WINDOW}{only}
            ORDER BY i.created_at DESC, i.platform, i.platform_id""",
        (s, u) if people is None else (s, u, json.dumps(list(people))),
    )


def window_sizes(store: Store, s: str, u: str) -> tuple[int, int]:
    """(how many rows `replies` reads, how many `new_people` reads) for the window, counted."""
    # every interaction has its person (merges move them, forget deletes them first): the hidden people's ids,
    # a handful, are left out instead of looking up each row's person (one index range, no per-row read)
    n = store.q(
        f"""SELECT COUNT(*) AS n FROM interactions i WHERE i.fetched_at >= ? AND i.fetched_at < ? AND i.deleted = 0
              AND i.person_id NOT IN (SELECT id FROM people WHERE status = '{HIDDEN}')""",
        (s, u),
    )[0]["n"]
    return int(n), len(new_people(store, s, u))


def new_people(store: Store, s: str, u: str) -> list[sqlite3.Row]:
    """People who answered for the first time in the window (a referred lead who has not answered yet is not
    one), newest first."""
    # first fetched in the window = fetched in it and never before: read from the window's rows (an index
    # range) and one `interactions_person_fetched` probe per person, not by aggregating every interaction
    return store.q(
        f"""SELECT p.* FROM people p
            WHERE p.id IN (SELECT person_id FROM interactions WHERE fetched_at >= ? AND fetched_at < ?)
              AND NOT EXISTS (SELECT 1 FROM interactions j WHERE j.person_id = p.id AND j.fetched_at < ?)
              AND p.status != '{HIDDEN}'
            ORDER BY p.first_seen DESC, p.id""",
        (s, u, s),
    )


def follow_ups_due(store: Store, u: str) -> list[sqlite3.Row]:
    """Open people whose follow-up date is at or before `u`, soonest first."""
    return store.q(
        f"""SELECT * FROM people WHERE next_follow_up IS NOT NULL AND next_follow_up != ''
            AND next_follow_up <= ? AND status NOT IN ('done', '{HIDDEN}')
            ORDER BY next_follow_up, id""",
        (u,),
    )


def referral_pairs(store: Store, s: str, u: str) -> list[sqlite3.Row]:
    """One row per (referrer, referred) pair filed in the window: the same recommendation on three platforms is
    one pair, `n` = 3. Most said first."""
    return store.q(
        f"""SELECT f.from_person_id, f.to_person_id, MIN(f.platform) AS platform, p.name AS from_name,
                   t.name AS to_name, MIN(f.handle) AS handle, MIN(f.name) AS name,
                   MIN(f.target_platform) AS target_platform, COUNT(*) AS n, MAX(f.created_at) AS last_at
            FROM referrals f JOIN people p ON p.id = f.from_person_id
            LEFT JOIN people t ON t.id = f.to_person_id
            WHERE f.created_at >= ? AND f.created_at < ? AND p.status != '{HIDDEN}'
              AND COALESCE(t.status, '') != '{HIDDEN}'
            GROUP BY f.from_person_id, COALESCE(CAST(f.to_person_id AS TEXT), f.target)
            ORDER BY n DESC, last_at DESC, p.name""",
        (s, u),
    )


# ------------------------------------------------------------------------------------------- people to contact
_LEADS_WHERE = f"""p.status NOT IN ('{HIDDEN}', 'done') AND (
        p.id IN (SELECT person_id FROM interactions WHERE fetched_at >= :s AND fetched_at < :u AND deleted = 0
                 AND COALESCE(intent, '') NOT IN ('spam', 'abuse'))
        OR p.id IN (SELECT to_person_id FROM referrals WHERE created_at >= :s AND created_at < :u)
        OR (p.next_follow_up IS NOT NULL AND p.next_follow_up != '' AND p.next_follow_up <= :u))"""


def leads(store: Store, s: str, u: str, limit: int, offset: int = 0) -> tuple[list[sqlite3.Row], int]:
    """The people to contact: open people who answered (not spam) or were referred in the window, or have a
    follow-up due; `limit` of them from `offset` in the one lead order (`bot.leads.ranking`), and how many in
    all."""
    params = {"s": s, "u": u, "n": limit, "o": offset}
    # one pass over the candidates: their ids are counted and ranked, and only the first `limit` are read in full
    rows = store.q(
        f"""WITH c AS MATERIALIZED (SELECT p.id FROM people p WHERE {_LEADS_WHERE}),
                 top AS (SELECT c.id FROM c JOIN person_stats s ON s.person_id = c.id ORDER BY {ORDER_BY} LIMIT :n OFFSET :o)
            SELECT p.*, (SELECT COUNT(*) FROM c) AS leads_total FROM top JOIN people p ON p.id = top.id
            JOIN person_stats s ON s.person_id = p.id ORDER BY {ORDER_BY}""",
        params,
    )
    if rows:
        return rows, int(rows[0]["leads_total"])
    return rows, int(store.q(f"SELECT COUNT(*) AS n FROM people p WHERE {_LEADS_WHERE}", params)[0]["n"])


def _ids(pids: Sequence[int]) -> str:
    return json.dumps([int(p) for p in pids])


_IDS = "(SELECT value FROM json_each(?))"  # a list of person ids as one parameter (`_ids`)


def identities(store: Store, pids: Sequence[int]) -> list[sqlite3.Row]:
    """The identities of the people `pids`, first seen first (group by `person_id`)."""
    return store.q(
        f"""SELECT person_id, platform, user_id, handle, name, bio, url FROM identities
            WHERE person_id IN {_IDS} ORDER BY first_seen, platform, user_id""",
        (_ids(pids),),
    )


def referrer_names(store: Store, pids: Sequence[int]) -> list[sqlite3.Row]:
    """(`person_id`, `name`): the names of the people who referred each of `pids` (each once, by name)."""
    return store.q(
        f"""SELECT DISTINCT f.to_person_id AS person_id, p.name FROM referrals f
            JOIN people p ON p.id = f.from_person_id
            WHERE f.to_person_id IN {_IDS} ORDER BY p.name""",
        (_ids(pids),),
    )


def referred_by_counts(store: Store, pids: Sequence[int], u: str) -> list[sqlite3.Row]:
    """(`person_id`, `name`, `n`): who referred each of `pids` how many times before `u` (the referrer's name),
    most first."""
    return store.q(
        f"""SELECT f.to_person_id AS person_id, p.name, COUNT(*) AS n FROM referrals f
            JOIN people p ON p.id = f.from_person_id
            WHERE f.to_person_id IN {_IDS} AND p.status != '{HIDDEN}' AND f.created_at < ?
            GROUP BY f.to_person_id, f.from_person_id ORDER BY n DESC, p.name""",
        (_ids(pids), u),
    )


def answered(store: Store, pids: Sequence[int]) -> set[int]:
    """Those of `pids` who said something, ever."""
    return {
        int(r[0])
        for r in store.q(
            """SELECT value FROM json_each(?) AS j
                WHERE EXISTS (SELECT 1 FROM interactions WHERE person_id = j.value)""",
            (_ids(pids),),
        )
    }


# ------------------------------------------------------------------------------------------- query yields
def answered_queries(store: Store, *, not_prefixed: str) -> list[sqlite3.Row]:
    """Queries with something posted or answered, newest first, but those whose id starts with `not_prefixed`
    (our follow-ups, `bot.leads.send.PREFIX`)."""
    return store.q(
        """SELECT * FROM queries q WHERE id NOT LIKE ? || '%' AND (
                EXISTS (SELECT 1 FROM posts WHERE query_id = q.id AND status='posted')
                OR EXISTS (SELECT 1 FROM interactions WHERE query_id = q.id))  -- one index probe per query
           ORDER BY first_seen DESC, id""",
        (not_prefixed,),
    )


def posted(store: Store, query_id: str) -> list[sqlite3.Row]:
    """A query's posted posts, by platform and position."""
    return store.q(
        "SELECT * FROM posts WHERE query_id=? AND status='posted' ORDER BY platform, idx", (query_id,)
    )


def query_yield(store: Store, query_id: str, u: str) -> tuple[int, int, int, int]:
    """(replies, people, referral pairs, people who offered to talk) of a query, fetched before `u`."""
    y = store.q(
        f"""SELECT COUNT(*) AS replies, COUNT(DISTINCT i.person_id) AS people FROM interactions i
            JOIN people p ON p.id = i.person_id
            WHERE i.query_id=? AND i.fetched_at < ? AND i.deleted=0 AND p.status != '{HIDDEN}'""",
        (query_id, u),
    )[0]
    refs = store.q(
        """SELECT COUNT(DISTINCT f.from_person_id || '>' || COALESCE(f.to_person_id, f.target)) AS n
           FROM referrals f JOIN interactions i
               ON i.platform = f.platform AND i.platform_id = f.interaction_id
           WHERE i.query_id=? AND f.created_at < ?""",
        (query_id, u),
    )[0]["n"]
    offers = store.q(
        f"""SELECT COUNT(DISTINCT i.person_id) AS n FROM interactions i JOIN people p ON p.id = i.person_id
            WHERE i.query_id=? AND i.fetched_at < ? AND i.deleted=0 AND p.status != '{HIDDEN}'
              AND (i.offers_contact = 1 OR i.intent = 'offer')""",
        (query_id, u),
    )[0]["n"]
    return int(y["replies"]), int(y["people"]), int(refs), int(offers)
