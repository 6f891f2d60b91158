"""Forgotten accounts (`sqbot leads forget`): one-way keys in the `forgotten` table, salted per database, so a
replay or re-run never files a forgotten account again and no handle or id is kept in clear."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.models import iso


def forgotten_keys(platform: str, user_id: str | None, handle: str | None) -> list[str]:
    """One-way keys of an account for the `forgotten` table (no handle or id is kept in clear)."""
    keys = []
    if user_id and not user_id.startswith("handle:"):
        keys.append(hashlib.sha256(f"{platform}:id:{user_id}".encode()).hexdigest())
    if handle:
        keys.append(hashlib.sha256(f"{platform}:handle:{handle.lower().lstrip('@')}".encode()).hexdigest())
    return keys


def forget_salt(c: sqlite3.Connection, *, created_at: datetime | None = None) -> str | None:
    """This database's random salt for `forgotten` keys (kept as a `salt:` row of that table), so a stored key
    cannot be matched against a precomputed list of handle hashes. With `created_at`, one is made if missing."""
    row = c.execute("SELECT key FROM forgotten WHERE key LIKE 'salt:%' LIMIT 1").fetchone()
    if row is not None:
        return str(row[0])[5:]
    if created_at is None:
        return None
    import secrets

    salt = secrets.token_hex(16)
    c.execute("INSERT INTO forgotten (key, at) VALUES (?, ?)", (f"salt:{salt}", iso(created_at)))
    return salt


def salted(salt: str, key: str) -> str:
    return hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()


def is_forgotten(c: sqlite3.Connection, keys: Sequence[str]) -> bool:
    if not keys:
        return False
    salt = forget_salt(c)
    keys = [*keys, *(salted(salt, k) for k in keys)] if salt else list(keys)  # (unsalted: older databases)
    marks = ",".join("?" * len(keys))
    return c.execute(f"SELECT 1 FROM forgotten WHERE key IN ({marks})", list(keys)).fetchone() is not None


def count_forgotten_write(c: sqlite3.Connection, platform: str, platform_id: str, now: datetime) -> int:
    """Note that a forgotten account wrote `platform_id` (`forgotten_writes`, migration m015): 1 the first time,
    0 when it was read before. Only a salted one-way key of the reply is kept."""
    key = hashlib.sha256(f"{platform}:post:{platform_id}".encode()).hexdigest()
    salt = forget_salt(c)
    cur = c.execute(
        "INSERT OR IGNORE INTO forgotten_writes (key, platform, at) VALUES (?, ?, ?)",
        (salted(salt, key) if salt else key, platform, iso(now)),
    )
    return cur.rowcount
