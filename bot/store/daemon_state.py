"""The daemon's heartbeat row and the last run of each of its jobs."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.models import iso
from bot.safety.redact import redact_opt
from bot.store.connection import Connection


class DaemonStateMixin(Connection):
    """The `daemon_state` (one row) and `job_runs` tables."""

    def set_daemon_state(self, **fields: str | int | float | None) -> None:
        """Upsert the daemon's one row; keys are columns of `daemon_state`."""
        cols = {"pid", "host", "started_at", "heartbeat_at", "heartbeat_seconds", "busy_job", "busy_since"}
        cols |= {"stopped_at", "checked_at"}
        if not fields or not set(fields) <= cols:
            raise ValueError(f"unknown daemon_state columns: {sorted(set(fields) - cols)}")
        names = sorted(fields)
        with self.tx() as c:
            c.execute(
                f"""INSERT INTO daemon_state (id, {", ".join(names)}) VALUES (1, {", ".join("?" * len(names))})
                    ON CONFLICT(id) DO UPDATE SET {", ".join(f"{n}=excluded.{n}" for n in names)}""",
                [fields[n] for n in names],
            )

    def daemon_state(self) -> sqlite3.Row | None:
        rows = self.q("SELECT * FROM daemon_state WHERE id=1")
        return rows[0] if rows else None

    def record_job_run(self, job: str, start: datetime, end: datetime, error: str | None) -> None:
        with self.tx() as c:
            c.execute(
                """INSERT INTO job_runs (job, last_start, last_end, last_ok, last_error, runs, failures, streak)
                   VALUES (?,?,?,?,?,1,?,?) ON CONFLICT(job) DO UPDATE SET last_start=excluded.last_start,
                   last_end=excluded.last_end, last_ok=COALESCE(excluded.last_ok, job_runs.last_ok),
                   last_error=excluded.last_error, runs=job_runs.runs+1,
                   failures=job_runs.failures+excluded.failures,
                   streak=CASE WHEN excluded.failures > 0 THEN job_runs.streak+1 ELSE 0 END""",
                (
                    job,
                    iso(start),
                    iso(end),
                    None if error else iso(end),
                    redact_opt(error),
                    1 if error else 0,
                    1 if error else 0,
                ),
            )

    def job_runs(self) -> dict[str, sqlite3.Row]:
        return {r["job"]: r for r in self.q("SELECT * FROM job_runs ORDER BY job")}
