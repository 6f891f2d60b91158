"""Per-platform state: deferrals and attention notes, metered API spend, and polling cursors (a cursor that
covers rows moves with them, in `IngestMixin.ingest`)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.models import iso, parse_iso
from bot.safety.redact import redact_opt
from bot.store.connection import Connection


class PlatformStateMixin(Connection):
    """The `platform_state`, `api_calls` and `cursors` tables."""

    def platform_state(self, platform: str) -> sqlite3.Row | None:
        rows = self.q("SELECT * FROM platform_state WHERE platform=?", (platform,))
        return rows[0] if rows else None

    def set_platform_state(
        self,
        platform: str,
        now: datetime,
        *,
        deferred_until: datetime | None = None,
        attention: str | None = None,
    ) -> None:
        with self.tx() as c:
            c.execute(
                """INSERT INTO platform_state (platform, deferred_until, attention, updated_at) VALUES (?,?,?,?)
                   ON CONFLICT(platform) DO UPDATE SET deferred_until=excluded.deferred_until,
                   attention=excluded.attention, updated_at=excluded.updated_at""",
                (platform, iso(deferred_until) if deferred_until else None, redact_opt(attention), iso(now)),
            )

    def deferred_until(self, platform: str) -> datetime | None:
        st = self.platform_state(platform)
        return parse_iso(st["deferred_until"]) if st and st["deferred_until"] else None

    def record_api_call(
        self,
        platform: str,
        endpoint: str,
        resources: int,
        usd: float,
        now: datetime,
        query_id: str | None = None,
    ) -> None:
        with self.tx() as c:
            c.execute(
                "INSERT INTO api_calls (platform, endpoint, resources, usd, at, query_id) VALUES (?,?,?,?,?,?)",
                (platform, endpoint, resources, usd, iso(now), query_id),
            )

    def get_cursor(self, platform: str, name: str = "main") -> str | None:
        rows = self.q("SELECT value FROM cursors WHERE platform=? AND name=?", (platform, name))
        return rows[0]["value"] if rows else None

    def set_cursor(self, platform: str, name: str, value: str, now: datetime) -> None:
        """A cursor that covers no rows of its own (e.g. the newest own post a look-up saw)."""
        with self.tx() as c:
            c.execute(
                """INSERT INTO cursors (platform, name, value, updated_at) VALUES (?,?,?,?)
                   ON CONFLICT(platform, name) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at""",
                (platform, name, value, iso(now)),
            )

    def cursor_updated_at(self, platform: str, name: str = "main") -> datetime | None:
        rows = self.q("SELECT updated_at FROM cursors WHERE platform=? AND name=?", (platform, name))
        return parse_iso(rows[0]["updated_at"]) if rows else None
