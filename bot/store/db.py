"""The lead database: one SQLite file; every SQL statement sqbot runs lives in `bot/store/`.

`Store` is the one facade: one connection, with each area's methods from its own module (mixins over
`connection.Connection`):

| module | area |
|---|---|
| `migrations` | schema history (`sqlite_utils.Migrations`; append, never edit an applied one) |
| `files` | the database file: refuse a foreign or lost one, create a new one whole, owner-only modes |
| `connection` | the connection, transactions (`tx`), whole-database counts |
| `outbox` | queries, the outbox state machine, our posts, watched posts, expiry after downtime |
| `ingest` | interactions, identities ↔ people, referrals, filed with their cursor in one transaction |
| `identities` | profiles, merges by links, small person look-ups |
| `platform_state` | deferrals, metered API spend, cursors |
| `daemon_state` | the daemon's heartbeat and job runs |
| `followups` | `sqbot leads reply`: a person's context, follow-ups sent through the outbox |
| `forgotten` | one-way keys of forgotten accounts, and of what they wrote since (counted, not stored) |
| `backup` | `sqbot backup`: a verified snapshot copy |

WAL mode, so a second reader (Datasette, the CLI) can read while the daemon writes. Every write is idempotent by
key: re-polling, re-posting after a crash and re-running a migration change nothing that is already there.
Cursors move in the same transaction as the rows they cover.

This module keeps the names other modules import (`Store`, `iso`, `parse_iso`, the outbox states, ...).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bot.errors import StoreError, storage_fault
from bot.models import OutboxRow, iso, parse_iso
from bot.store.daemon_state import DaemonStateMixin
from bot.store.files import (
    TRACE_SUFFIXES,
    check_database_file,
    create_database_file,
    foreign_database_message,
    owner_only,
)
from bot.store.forgotten import forget_salt, forgotten_keys, salted
from bot.store.identities import IdentitiesMixin
from bot.store.ingest import IngestMixin, IngestReport
from bot.store.migrations import migration, migration_set
from bot.store.outbox import (
    CLAIMED,
    EXPIRED,
    FAILED,
    NEEDS_REVIEW,
    POSTED,
    QUEUED,
    READY,
    SENDABLE,
    SENDING,
    OutboxMixin,
)
from bot.store.platform_state import PlatformStateMixin

__all__ = [
    "CLAIMED",
    "EXPIRED",
    "FAILED",
    "NEEDS_REVIEW",
    "POSTED",
    "QUEUED",
    "READY",
    "SENDABLE",
    "SENDING",
    "TRACE_SUFFIXES",
    "IngestReport",
    "OutboxRow",
    "Store",
    "check_database_file",
    "create_database_file",
    "foreign_database_message",
    "forget_salt",
    "forgotten_keys",
    "iso",
    "migration",
    "migration_set",
    "parse_iso",
    "salted",
]


def __getattr__(name: str) -> Any:
    if name == "migrations":  # `from bot.store.db import migrations` for tools and tests
        return migration_set()
    raise AttributeError(name)


class Store(OutboxMixin, IngestMixin, IdentitiesMixin, PlatformStateMixin, DaemonStateMixin):
    """One connection to the lead database, with every area's methods. Not shared across threads."""

    @classmethod
    def open(cls, path: str | Path, *, create_parent: bool = True) -> Store:
        p = Path(path)
        if not p.parent.exists():
            if not create_parent:
                raise StoreError(f"the database folder {p.parent} does not exist; create it or set SQBOT_DB")
            try:
                p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as e:
                raise StoreError(
                    f"cannot create the data folder {p.parent}: {e.strerror}; set SQBOT_DATA_DIR"
                ) from None
        if not check_database_file(p):
            create_database_file(p)
        try:
            conn = sqlite3.connect(str(p), timeout=30, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            store = cls(conn, str(p))
            conn.execute("PRAGMA busy_timeout=30000")
            if not store.is_sqbot_database():  # checked before anything below can write to the file
                conn.close()
                raise StoreError(
                    foreign_database_message(p, "a SQLite database, but not sqbot's (no sqbot schema)")
                )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            owner_only(p)
            if store.pending_migrations():
                migration_set().apply(store.db)
        except sqlite3.DatabaseError as e:
            if "file is not a database" in str(e):
                raise StoreError(foreign_database_message(p, "not a SQLite database")) from None
            fault = storage_fault(e, p) if isinstance(e, sqlite3.OperationalError) else None
            raise fault or StoreError(f"cannot open the database {p}: {e}; is it a sqbot database?") from None
        return store
