"""The database file itself: refuse one that is not sqbot's (empty, foreign, lost), create a new one whole, keep
it readable by its owner only."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from bot.errors import StoreError, storage_fault
from bot.store.migrations import migration_set


def owner_only(db: Path) -> None:
    """The database and its -wal/-shm are readable by the owner only, whatever the umask (SQLite creates the
    -wal and -shm with the database file's mode)."""
    for f in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        try:
            if f.exists() and (f.stat().st_mode & 0o777) != 0o600:
                f.chmod(0o600)
        except OSError:
            pass  # not ours (a read-only mount): reading still works, writing reports itself


# ---------------------------------------------------------------------------------------------- lost databases
TRACE_SUFFIXES = ("-wal", "-shm", ".publish.lock")  # files sqbot leaves beside its database


def foreign_database_message(p: Path, what: str) -> str:
    return (
        f"refusing to use {p}: it is {what}; sqbot never initialises over an existing file. Restore the "
        f"database from a `sqbot backup` copy, or move {p.name} aside to start fresh (posts already made are "
        "then found on the platforms and adopted, not posted again)"
    )


def check_database_file(p: Path) -> bool:
    """Refuse a database file that is not sqbot's: empty (0 bytes), foreign, unreadable or not a file, and a
    missing one whose journal or lock files are still there (it was deleted or moved). True if it exists (then
    SQLite itself tells a foreign file once it is open), False when this is a first run."""
    try:
        st = p.stat()
    except FileNotFoundError:
        traces = [p.name + s for s in TRACE_SUFFIXES if (p.parent / (p.name + s)).exists()]
        if traces:
            raise StoreError(
                f"refusing to create {p}: it is missing but {', '.join(traces)} beside it show a sqbot database "
                f"was there (deleted or moved). Restore it from a `sqbot backup` copy, or delete "
                f"{', '.join(traces)} to start fresh (posts already made are then found on the platforms and "
                "adopted, not posted again)"
            ) from None
        return False
    except OSError as e:
        raise StoreError(foreign_database_message(p, f"unreadable ({e.strerror})")) from None
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(foreign_database_message(p, "not a regular file (unreadable as a database)"))
    if st.st_size == 0:
        raise StoreError(foreign_database_message(p, "empty (0 bytes; truncated or lost)"))
    if not os.access(p, os.R_OK, effective_ids=os.access in os.supports_effective_ids):
        raise StoreError(foreign_database_message(p, "unreadable (Permission denied)"))
    # Never open() the file here: closing any descriptor of a database file drops every POSIX lock this process
    # holds on it (another thread's SQLite connection, e.g. the stream's), which SQLite cannot survive. A file
    # that is not SQLite is told by SQLite itself when it is opened ("file is not a database").
    return True


def create_database_file(p: Path) -> None:
    """A first run: build the schema in a temporary file beside `p`, then rename it into place, so a file named
    like the database is always a whole sqbot database (never an empty one left by a crash)."""
    tmp = p.parent / f".{p.name}.new-{os.getpid()}"
    for leftover in [tmp] + [Path(str(tmp) + s) for s in ("-wal", "-shm", "-journal")]:
        leftover.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            import sqlite_utils

            migration_set().apply(sqlite_utils.Database(conn))
        finally:
            conn.close()
        os.replace(tmp, p)
    except sqlite3.DatabaseError as e:
        tmp.unlink(missing_ok=True)
        fault = storage_fault(e, p.parent) if isinstance(e, sqlite3.OperationalError) else None
        raise fault or StoreError(f"cannot create the database {p}: {e}; check the data folder") from None
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise storage_fault(e, p.parent) or StoreError(
            f"cannot create the database {p}: {e.strerror}; check the data folder"
        ) from None
