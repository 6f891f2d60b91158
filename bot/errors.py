"""sqbot's one error tree.

Every error the bot raises on purpose derives from :class:`BotError`. Library and SDK errors are
translated into this tree at the boundary where they happen (the store, the platform adapters, the
mailer); the CLI turns any ``BotError`` into a one-line message and exit code 1. Messages say what
to do next, never contain secrets, and never contain a traceback for a user mistake::

    BotError
    ├── ConfigError            bad or missing settings (.env / environment)
    ├── QueueError             the YAML queue does not validate (carries every Problem)
    ├── StoreError             the SQLite database cannot be opened, migrated or written
    ├── PublishError           a post could not be made
    │   └── NeedsReview        the outcome of a send is unknown and could not be proved: never retried
    ├── PlatformError          a platform answered with an error
    │   ├── AuthError          login expired, revoked or missing: the user must act
    │   ├── RateLimited        429 / usage cap: carries `retry_at`, the platform is deferred until then
    │   └── TransientError     timeout, 5xx, connection reset: safe to try again later (after reconciling)
    └── MailError              the digest could not be delivered
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.models import Problem


class BotError(Exception):
    """Base of every error sqbot raises on purpose. `str(err)` is a one-line, actionable message."""


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
