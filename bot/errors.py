"""sqbot's one error tree.

Every error the bot raises on purpose derives from :class:`BotError`. Library and SDK errors are
translated into this tree at the boundary where they happen (the store, the platform adapters, the
mailer); the CLI turns any ``BotError`` into a one-line message and exit code 1. Messages say what
to do next, never contain secrets, and never contain a traceback for a user mistake::

    BotError
    ├── ConfigError            bad or missing settings (.env / environment)
    ├── QueueError             the YAML queue does not validate (carries every Problem)
    ├── StoreError             the SQLite database cannot be opened, migrated or written
    │   └── StorageError       disk full, read-only data dir, locked past the busy timeout (`storage_fault`)
    ├── PublishError           a post could not be made
    │   └── NeedsReview        the outcome of a send is unknown and could not be proved: never retried
    ├── PlatformError          a platform answered with an error
    │   ├── AuthError          login expired, revoked or missing: the user must act
    │   ├── RateLimited        429 / usage cap: carries `retry_at`, the platform is deferred until then
    │   └── TransientError     timeout, 5xx, connection reset: safe to try again later (after reconciling)
    ├── MailError              the digest could not be delivered
    └── UnsafeURLError         a URL sqbot was asked to fetch is not public http(s) (bot/safety/fetch.py)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.models import Problem


class BotError(Exception):
    """Base of every error sqbot raises on purpose. `str(err)` is a one-line, actionable message.

    Every message passes the one redactor (bot/safety/redact.py) here, where errors are made: a server that echoes the
    login request cannot put a secret into what `post`, `poll`, `last_error` or `status` show."""

    def __init__(self, *args: object) -> None:
        from bot.safety.redact import redact

        super().__init__(*(redact(a) if isinstance(a, str) else a for a in args))


class ConfigError(BotError):
    """Settings are missing or invalid."""


class QueueError(BotError):
    """The queue (YAML files) has problems; `problems` lists every one with file:line:col."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        first = str(self.problems[0]) if self.problems else "no details"
        more = f" (+{n - 1} more)" if n > 1 else ""
        super().__init__(f"{first}{more}")


class StoreError(BotError):
    """The database cannot be opened or written."""


class PublishError(BotError):
    """A post could not be published."""


class NeedsReview(PublishError):
    """A send's outcome is unknown and reconciliation could not prove it either way."""


class PlatformError(BotError):
    """A platform answered with an error."""

    def __init__(self, platform: str, message: str) -> None:
        self.platform = platform
        super().__init__(f"{platform}: {message}")


class AuthError(PlatformError):
    """The login is missing, expired or revoked: the user has to act (new app password, `sqbot login`)."""


class RateLimited(PlatformError):
    """The platform said 'slow down'. Nothing is retried before `retry_at` (UTC)."""

    def __init__(self, platform: str, message: str, retry_at: datetime | None) -> None:
        self.retry_at = retry_at
        super().__init__(platform, message)


class TransientError(PlatformError):
    """Timeout, connection error or 5xx: the outcome of a write is unknown until reconciled."""


class MailError(BotError):
    """The digest email could not be delivered."""


class UnsafeURLError(BotError):
    """A URL (a queue file's link, a page's image, a redirect) points at this machine, a private network, a
    cloud metadata service or a scheme other than http(s): it is never fetched. `url` and `reason` say which."""

    def __init__(self, url: str, reason: str) -> None:
        self.url, self.reason = url, reason
        super().__init__(f"refusing to fetch {url[:200]}: {reason}")


class StorageError(StoreError):
    """The disk is full, the data dir is read-only or not ours, or the database stayed locked past the busy
    timeout. Nothing half-written is left; the daemon logs it and tries again on its next tick."""


_FULL = ("database or disk is full", "no space left")
_READONLY = ("readonly database", "read-only file system", "read-only")
_DENIED = ("permission denied", "unable to open database file", "access permission denied")
_LOCKED = ("database is locked", "database table is locked")


def _file_system_state(where: object) -> str:
    """ " no space left" / " read-only" when the file system holding `where` is full or mounted read-only."""
    import os
    from pathlib import Path

    if where is None:
        return ""
    p = Path(str(where))
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        st = os.statvfs(p)
    except OSError:
        return ""
    if st.f_flag & os.ST_RDONLY:
        return " read-only"
    if st.f_bavail * st.f_frsize < 64 * 1024:
        return " no space left"
    return ""


def storage_fault(exc: BaseException, where: object = None) -> StorageError | None:
    """The one-line `StorageError` for a storage fault (sqlite3.OperationalError, OSError ENOSPC/EROFS/EACCES),
    or None when `exc` is something else. `where` names the file or folder involved."""
    import errno
    import sqlite3

    at = f" ({where})" if where else ""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, OSError):
        code = exc.errno
        at = f" ({exc.filename or where})" if (exc.filename or where) else ""
        if code in (errno.ENOSPC, errno.EDQUOT):
            return StorageError(
                f"the disk is full{at}: free some space or move SQBOT_DATA_DIR, then run again"
            )
        if code == errno.EROFS:
            return StorageError(
                f"the file system is read-only{at}: mount it read-write or point SQBOT_DATA_DIR at a writable "
                "folder, then run again"
            )
        if code in (errno.EACCES, errno.EPERM):
            return StorageError(
                f"permission denied{at}: make the data dir writable by this user (chown/chmod) or set "
                "SQBOT_DATA_DIR, then run again"
            )
        return None
    if isinstance(exc, sqlite3.OperationalError):
        msg = str(exc).lower()
        if "disk i/o error" in msg or any(s in msg for s in _DENIED):
            # SQLite says "disk I/O error" / "unable to open" for a full or read-only disk: ask the file system
            msg += _file_system_state(where)
        if any(s in msg for s in _FULL):
            return StorageError(
                f"the disk holding the database is full{at}: free some space or move SQBOT_DATA_DIR, then run "
                "again (nothing was half-written)"
            )
        if any(s in msg for s in _READONLY):
            return StorageError(
                f"the database or its folder is read-only{at}: make the data dir (and sqbot.db, -wal, -shm) "
                "writable by this user, or mount it read-write, then run again"
            )
        if any(s in msg for s in _LOCKED):
            return StorageError(
                f"the database stayed locked longer than the busy timeout{at}: another process holds it (a "
                "second `sqbot run`, a stuck writer); stop it or try again later"
            )
        if any(s in msg for s in _DENIED) or "disk i/o error" in msg:
            return StorageError(
                f"cannot write the database{at} ({exc}): check that the data dir exists, is writable by this "
                "user and has free space, then run again"
            )
    return None
