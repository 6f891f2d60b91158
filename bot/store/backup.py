"""`sqbot backup PATH`: a verified copy of the live database."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from bot.errors import BotError, StoreError


def backup_database(src: Path, dest: Path, *, force: bool = False) -> tuple[int, str]:
    """Copy the live database to `dest` with SQLite's backup API (a consistent snapshot, safe while the daemon
    writes), readable by the owner only; then run `PRAGMA integrity_check` on the copy. Returns (bytes, result)."""
    if not src.exists():
        raise StoreError(f"no database at {src}; set SQBOT_DB or SQBOT_DATA_DIR")
    if dest.exists() and not force:
        raise BotError(f"{dest} exists; choose a new path or pass --force to replace it")
    if not dest.parent.is_dir():
        raise BotError(f"the folder {dest.parent} does not exist; create it first")
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
            os.close(fd)
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)  # one step: one read snapshot, never blocks the writer (WAL)
                # restored, the copy is a database made again: what was sent after the copy is not in it, so
                # its first sync stamps a new creation time (own posts older than that may be adopted)
                try:
                    with target:
                        target.execute("DELETE FROM meta WHERE key='created_at'")
                except sqlite3.OperationalError:
                    pass  # a database from before the `meta` table: nothing to forget
                target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
                result = "; ".join(r[0] for r in target.execute("PRAGMA integrity_check").fetchall())
            finally:
                target.close()
        finally:
            source.close()
        os.replace(tmp, dest)
    except sqlite3.Error as e:
        tmp.unlink(missing_ok=True)
        raise StoreError(
            f"backup of {src} failed: {e}; check free space and that {src} is a sqbot database"
        ) from None
    return dest.stat().st_size, result


BACKUP_LIST = "backups.list"  # in the data dir: one absolute path per line, each copy `sqbot backup` made


def remember_backup(data_dir: Path, dest: Path) -> None:
    """Note a copy `sqbot backup` made, so `sqbot leads forget` can say which copies still hold a person."""
    path = data_dir / BACKUP_LIST
    line = str(dest.resolve()).replace("\n", " ")
    known = path.read_text("utf-8").splitlines() if path.exists() else []
    if line not in known:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(line + "\n")


def known_backups(data_dir: Path) -> list[Path]:
    """The copies `sqbot backup` made that still exist."""
    path = data_dir / BACKUP_LIST
    if not path.exists():
        return []
    return [Path(x) for x in dict.fromkeys(path.read_text("utf-8").splitlines()) if x and Path(x).exists()]
