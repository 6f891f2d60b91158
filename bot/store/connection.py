"""One connection to the lead database: transactions, raw reads for tools and tests, whole-database facts.

Every area of the store (`outbox`, `ingest`, `identities`, ...) is a mixin over this class; `bot.store.db.Store`
joins them and opens the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from bot.errors import StoreError, storage_fault
from bot.store.migrations import migration_names

if TYPE_CHECKING:
    import sqlite_utils


class Connection:
    """One connection to the lead database. Not shared across threads."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """The same connection as a `sqlite_utils.Database` (migrations, tools)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def is_sqbot_database(self) -> bool:
        """True when the file carries sqbot's migration history (every sqbot database has it from its start)."""
        try:
            row = self.conn.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE migration_set='sqbot' LIMIT 1"
            ).fetchone()
        except sqlite3.OperationalError as e:
            if "no such table" in str(e):  # no migrations table: not created by sqbot
                return False
            raise  # a storage fault (full disk, read-only, locked): said as such by the caller
        return row is not None

    def pending_migrations(self) -> list[str]:
        known = migration_names()
        try:
            rows = self.conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set='sqbot'")
        except sqlite3.OperationalError:  # a new database: no migrations table yet
            return known
        applied = {r[0] for r in rows}
        return [n for n in known if n not in applied]

    def wait_when_busy(self, ms: int) -> None:
        """How long a statement waits for another process's write lock before it fails (`busy_timeout`)."""
        self.conn.execute(f"PRAGMA busy_timeout={int(ms)}")

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken at once (BEGIN IMMEDIATE), so claims are atomic across processes."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            fault = storage_fault(e, self.path)
            raise fault or StoreError(
                f"the database is busy or read-only ({e}); is another sqbot writing?"
            ) from None
        try:
            yield self.conn
        except BaseException as e:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            fault = storage_fault(e, self.path) if isinstance(e, sqlite3.OperationalError) else None
            if fault is not None:
                raise fault from None
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as e:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise storage_fault(e, self.path) or StoreError(f"cannot write the database: {e}") from None

    def q(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Raw SQL, for the store's own modules, tests and tools; code outside `bot/store/` calls named
        methods instead (tests/store/test_store_layout.py checks it)."""
        return list(self.conn.execute(sql, params).fetchall())

    def counts(self) -> dict[str, int]:
        tables = ("queries", "posts", "people", "identities", "interactions", "referrals", "digests")
        return {t: int(self.q(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"]) for t in tables}
