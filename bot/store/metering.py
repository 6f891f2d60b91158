"""Reading the `api_calls` table (metered requests): the spend in a budget window, and the calls behind
`sqbot stats`. The window itself is X metering's (`bot.platforms.x.metering.window`); rows are written by
`Store.record_api_call`."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

from bot.platforms.x.metering import Budget, poll_limit, window
from bot.store.db import iso

if TYPE_CHECKING:
    from bot.platforms.x.metering import BudgetWindow
    from bot.store.db import Store


def spent_in(store: Store, platform: str, within: BudgetWindow) -> float:
    """Metered spend of `platform` in `[within.start, within.end)`: what its monthly budget is checked against."""
    row = store.q(
        "SELECT COALESCE(SUM(usd), 0) AS s FROM api_calls WHERE platform = ? AND at >= ? AND at < ?",
        (platform, iso(within.start), iso(within.end)),
    )
    return float(row[0]["s"])


def x_budget(store: Store, limit: float, now: datetime, reserve: float | None = None) -> Budget:
    """X's budget in the month of `now` (UTC): what was spent in it, of `limit` (SQBOT_X_BUDGET_USD), with
    the reserve polls never spend (SQBOT_X_POLL_RESERVE_USD; None: the default share)."""
    within = window(now)
    kept = limit - (poll_limit(limit, reserve) or 0.0)
    return Budget(spent_in(store, "x", within), limit, within, kept)


def calls(store: Store, platform: str, within: BudgetWindow | None = None) -> list[sqlite3.Row]:
    """Every metered call of `platform` (in `within`, when given): month (`YYYY-MM`, UTC), query_id, endpoint,
    resources, usd."""
    where, args = "platform = ?", [platform]
    if within is not None:
        where += " AND at >= ? AND at < ?"
        args += [iso(within.start), iso(within.end)]
    return store.q(
        f"SELECT substr(at, 1, 7) AS month, query_id, endpoint, resources, usd FROM api_calls WHERE {where}",
        args,
    )
