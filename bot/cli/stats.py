"""`sqbot stats`: what the metered platforms (X) cost, per month and per query, from the `api_calls` table.

Each row of `api_calls` is one metered request, or one query's share of a poll page. Rows without a query are
shared: publishing calls recorded before queries were attributed, and poll pages (or parts of them) whose posts
belong to no watched query ("polling (shared)")."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import click

from bot.platforms.x.metering import month_window
from bot.safety.text import json_text, term

if TYPE_CHECKING:
    from bot.cli.app import Ctx
    from bot.store.db import Store

SHARED_POLLING = "polling (shared)"
SHARED_PUBLISHING = "publishing (unattributed)"
_PUBLISHING = ("POST /2/tweets", "POST /2/media", "GET /2/media", "GET /2/users/:id/tweets")


@dataclass(frozen=True)
class Line:
    key: str  # a month (YYYY-MM) or a query id / shared label
    calls: int
    resources: int
    usd: float


def label(query_id: str | None, endpoint: str) -> str:
    """Who a metered call is charged to: its query, else the shared publishing or polling bucket."""
    if query_id:
        return query_id
    return SHARED_PUBLISHING if endpoint.startswith(_PUBLISHING) else SHARED_POLLING


def spend(store: Store, platform: str, month: str | None = None) -> tuple[list[Line], list[Line]]:
    """(per month, newest first; per query within `month` (YYYY-MM, UTC) or overall, costliest first)."""
    from bot.store.metering import calls

    rows = calls(store, platform, month_window(month) if month else None)
    months: dict[str, list[float]] = {}
    queries: dict[str, list[float]] = {}
    for r in rows:
        for key, table in ((r["month"], months), (label(r["query_id"], r["endpoint"]), queries)):
            acc = table.setdefault(key, [0, 0, 0.0])
            acc[0] += 1
            acc[1] += r["resources"]
            acc[2] += r["usd"]

    def lines(table: dict[str, list[float]]) -> list[Line]:
        return [Line(k, int(v[0]), int(v[1]), round(v[2], 6)) for k, v in table.items()]

    by_month = sorted(lines(months), key=lambda line: line.key, reverse=True)
    by_query = sorted(lines(queries), key=lambda line: (-line.usd, line.key))
    return by_month, by_query


def _table(title: str, rows: list[Line]) -> list[str]:
    out = [f"{title:<32}{'calls':>8}{'resources':>11}{'usd':>11}"]
    for r in rows:
        out.append(f"{term(r.key)[:31]:<32}{r.calls:>8}{r.resources:>11}{'$' + format(r.usd, '.3f'):>11}")
    return out


@click.command("stats")
@click.option("--month", metavar="YYYY-MM", help="Only this month (UTC), e.g. 2026-11.")
@click.option("--json", "as_json", is_flag=True, help="Months and queries as JSON.")
@click.pass_obj
def stats(c: Ctx, month: str | None, as_json: bool) -> None:
    """Metered X spend (X's pay-per-use prices) per month and per query, and this month's budget."""
    if month is not None:
        try:
            month_window(month)
        except ValueError:
            raise click.BadParameter(f"{month!r} is not a month like 2026-11", param_hint="--month") from None
    s = c.settings
    if not s.db_path.exists():
        click.echo(f"no database yet at {s.db_path}: nothing has been spent")
        return
    from bot.store.metering import x_budget

    store = c.store()
    try:
        by_month, by_query = spend(store, "x", month)
        now = x_budget(store, s.x_budget_usd, c.now)
    finally:
        store.close()
    this_month, spent = now.window.month, round(now.spent, 6)
    budget = {"month": this_month, "spent_usd": spent, "budget_usd": s.x_budget_usd}
    if as_json:
        body = {
            "platform": "x",
            "months": [asdict(m) for m in by_month],
            "queries": [asdict(q) for q in by_query],
            "total_usd": round(sum(m.usd for m in by_month), 6),
            "budget": budget,
        }
        click.echo(json_text(body, indent=2))
        return
    if not by_month:
        click.echo("no metered X calls recorded" + (f" in {month}" if month else ""))
    else:
        lines = [*_table("month", by_month), ""]
        lines += _table("query" + (f" ({month})" if month else ""), by_query)
        lines.append(f"{'total':<51}{'$' + format(sum(m.usd for m in by_month), '.3f'):>11}")
        for line in lines:
            click.echo(line)
    click.echo(f"budget: X ${spent:.3f} of ${s.x_budget_usd:.2f} spent in {this_month} (SQBOT_X_BUDGET_USD)")


def register(cli: click.Group) -> None:
    cli.add_command(stats)
