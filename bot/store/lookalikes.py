"""Each identity's look-alike keys, so a person's merge suggestions are index look-ups (the review's person page)
instead of a pass over every profile.

`identities.name_key` / `handle_key` and the `identity_sites` rows are computed by `bot.leads.match` when the
store writes an identity (`index_identity`; m013 filled them in for the identities before it). `keys_ok` says
they are current: a trigger clears it (and drops the sites) whenever a name, handle, bio or URL changes behind
the store's back (a hand edit, Datasette), and such identities are read as candidates for every person
(`unindexed`), so a look-up never misses one.
"""

from __future__ import annotations

import sqlite3

from bot.leads.match import handle_key, name_key, profile_sites
from bot.store.connection import Connection

_COLUMNS = "rowid AS pos, platform, user_id, handle, name, bio, url, person_id"


def index_identity(c: sqlite3.Connection, platform: str, user_id: str) -> None:
    """Compute and store the keys of identity (`platform`, `user_id`), in the caller's transaction."""
    row = c.execute(
        "SELECT rowid, handle, name, bio, url FROM identities WHERE platform=? AND user_id=?",
        (platform, user_id),
    ).fetchone()
    if row is None:
        return
    try:
        _index(c, tuple(row))
    except sqlite3.OperationalError as e:
        if "no such" not in str(e):
            raise  # a database before m013 (a test's old schema): m013 fills every identity's keys in


def _index(c: sqlite3.Connection, row: tuple[int, str | None, str | None, str | None, str | None]) -> None:
    pos, handle, name, bio, url = row
    c.execute(
        "UPDATE identities SET name_key=?, handle_key=?, keys_ok=1 WHERE rowid=?",
        (name_key(name), handle_key(handle), pos),
    )
    c.execute("DELETE FROM identity_sites WHERE ident=?", (pos,))
    c.executemany(
        "INSERT OR IGNORE INTO identity_sites (site, ident) VALUES (?, ?)",
        [(site, pos) for site in sorted(profile_sites(bio, url))],
    )


def index_all(c: sqlite3.Connection) -> None:
    """Compute every identity's keys (m013, on the identities filed before it)."""
    for row in c.execute("SELECT rowid, handle, name, bio, url FROM identities").fetchall():
        _index(c, tuple(row))


def of_person(store: Connection, pid: int) -> list[sqlite3.Row]:
    """Person `pid`'s identities (`pos`: the row's place in the table, the order of the global suggestions)."""
    return store.q(f"SELECT {_COLUMNS} FROM identities WHERE person_id=? ORDER BY rowid", (pid,))


def unindexed(store: Connection) -> list[sqlite3.Row]:
    """Identities whose keys are not current (written outside the store): candidates for everyone."""
    return store.q(f"SELECT {_COLUMNS} FROM identities WHERE keys_ok IS NULL ORDER BY rowid")


def with_keys(store: Connection, name: str | None, handle: str | None) -> list[sqlite3.Row]:
    """Identities whose `name_key` is `name` or whose `handle_key` is `handle` (None: no such look-up)."""
    return store.q(
        f"""SELECT {_COLUMNS} FROM identities WHERE name_key=? AND keys_ok=1
            UNION SELECT {_COLUMNS} FROM identities WHERE handle_key=? AND keys_ok=1""",
        (name, handle),
    )


def people_linking(store: Connection, site: str, limit: int) -> set[int]:
    """Up to `limit` people with a (current) profile that links `site`."""
    rows = store.q(
        """SELECT DISTINCT i.person_id FROM identity_sites s JOIN identities i ON i.rowid = s.ident
           WHERE s.site=? LIMIT ?""",
        (site, limit),
    )
    return {int(r["person_id"]) for r in rows}
