"""People and leads: finding a person from what the owner typed, listing leads by priority, one person in full,
and export. The follow-up workflow is in `workflow`, merges in `merges`, forgetting in `forget`, re-running reply
understanding in `reprocess`; their SQL is in `bot/store/leads*.py`. Every write is one transaction.

Priority order ("referrals and offers first"): people who pointed to someone or offered to talk, then people
someone referred, then the rest; within a group by best lead priority, then most recent activity. Closed leads
(`done`, `do-not-contact`) come last.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from typing import Any

from bot.errors import BotError
from bot.leads import ranking
from bot.models import STATUSES
from bot.safety.text import csv_cell, json_text
from bot.store import leads as db
from bot.store.db import Store

PRIORITIES = ("high", "medium", "low", "none")
_RANK = {"high": 3, "medium": 2, "low": 1, "none": 0}


# ------------------------------------------------------------------------------------------- finding people
def resolve(store: Store, ref: str) -> int:
    """A person from what the owner typed: `12`, `#12`, a handle (`@ana.bsky.social`) or `platform:handle`."""
    s = ref.strip()
    if s.lstrip("#").isdigit():
        pid = int(s.lstrip("#"))
        if db.person_exists(store, pid):
            return pid
        raise BotError(f"no person #{pid}; see `sqbot leads list`")
    platform, _, handle = s.partition(":") if ":" in s and not s.startswith("http") else ("", "", s)
    handle = handle.strip().lstrip("@").lower()
    ids = db.people_with_handle(store, handle, platform)
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise BotError(f"no person with handle {handle!r}; use the number from `sqbot leads list`")
    raise BotError(
        f"{handle!r} matches people {', '.join(f'#{i}' for i in ids)}; give platform:handle or a number"
    )


def person_row(store: Store, pid: int) -> sqlite3.Row:
    """The `people` row of `pid`; a BotError naming `sqbot leads list` when there is none."""
    row = db.person(store, pid)
    if row is None:
        raise BotError(f"no person #{pid}; see `sqbot leads list`")
    return row


def names(store: Store) -> dict[int, str | None]:
    """Every person's name, by id."""
    return db.person_names(store)


# ------------------------------------------------------------------------------------------- listing
def list_leads(
    store: Store,
    *,
    query: str | None = None,
    platform: str | None = None,
    status: str | None = None,
    priority: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """One dict per person in priority order (the shape of `sqbot leads list --json`); `limit`/`offset` page
    through that order."""
    if status is not None and status not in STATUSES:
        raise BotError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    if priority is not None and priority not in PRIORITIES:
        raise BotError(f"unknown priority {priority!r}; one of {', '.join(PRIORITIES)}")
    rows = db.lead_rows(
        store,
        query=query,
        platform=platform,
        status=status,
        rank=_RANK[priority] if priority else None,
        limit=limit,
        offset=offset,
    )
    return [_lead(store, r) for r in rows]


# The rows come in `store.leads._LEADS_SQL` order: the one lead order, `bot.leads.ranking` (tests check they agree).
_PR_NAMES = {v: k for k, v in _RANK.items()}


def _lead(store: Store, r: sqlite3.Row) -> dict[str, Any]:
    why = "referral" if r["refers"] else "offer" if r["offers"] else "referred" if r["referred"] else ""
    return _lead_dict(store, r, _PR_NAMES.get(int(r["pr"])), why)


def _order_key(lead: dict[str, Any]) -> tuple[object, ...]:
    return ranking.lead_key(lead)


def _lead_dict(store: Store, p: sqlite3.Row, priority: str | None, why: str) -> dict[str, Any]:
    pid = int(p["id"])
    return {
        "person_id": pid,
        "name": p["name"],
        "status": p["status"],
        "priority": priority,
        "why": why,
        "next_follow_up": p["next_follow_up"],
        "notes": p["notes"],
        "identities": [
            {
                "platform": i["platform"],
                "user_id": None if i["user_id"].startswith("handle:") else i["user_id"],
                "handle": i["handle"],
            }
            for i in db.lead_identities(store, pid)
        ],
        "queries": db.lead_queries(store, pid),
        "interactions": int(p["n"]),
        "referred_by": [
            {"person_id": r["from_person_id"], "name": r["name"], "query_id": r["query_id"]}
            for r in db.referred_by(store, pid)
        ],
        "last_at": p["last_at"],
    }


def show(store: Store, pid: int) -> dict[str, Any]:
    """Everything about one person: identities, interactions across platforms, who referred them, whom they
    pointed to, merges."""
    p = person_row(store, pid)
    lead = _lead(store, db.lead_row(store, pid))
    return {
        **lead,
        "first_seen": p["first_seen"],
        "identities": [dict(r) for r in db.identities(store, pid)],
        "interactions_list": [dict(r) for r in db.interactions(store, pid)],
        "referred": [dict(r) for r in db.referred(store, pid)],
        "merges": [dict(r) for r in db.merges_of(store, pid)],
    }


# ------------------------------------------------------------------------------------------- export
EXPORT_FIELDS = (
    "person_id",
    "name",
    "status",
    "priority",
    "why",
    "next_follow_up",
    "handles",
    "queries",
    "referred_by",
    "interactions",
    "notes",
)


def export(store: Store, fmt: str, **filters: Any) -> str:
    """All leads (in priority order) as CSV (cells safe to open in a spreadsheet) or JSON."""
    rows = list_leads(store, **filters)
    if fmt == "json":
        return json_text(rows, indent=2)
    if fmt != "csv":
        raise BotError(f"unknown export format {fmt!r}; use csv or json")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(EXPORT_FIELDS)
    for r in rows:
        flat = {
            **r,
            "handles": " ".join(f"{i['platform']}:{i['handle'] or i['user_id']}" for i in r["identities"]),
            "queries": " ".join(r["queries"]),
            "referred_by": "; ".join(f"{x['name']} (#{x['person_id']})" for x in r["referred_by"]),
        }
        w.writerow([csv_cell(None if flat[f] is None else str(flat[f])) for f in EXPORT_FIELDS])
    return buf.getvalue()
