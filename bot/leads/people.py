"""People and leads: listing by priority, the follow-up workflow, merges (undoable), suggestions, forgetting,
export and re-running reply understanding. Every function takes a `Store`; every write is one transaction.

Priority order ("referrals and offers first"): people who pointed to someone or offered to talk, then people
someone referred, then the rest; within a group by best lead priority, then most recent activity. Closed leads
(`done`, `do-not-contact`) come last.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.errors import BotError
from bot.models import IdentityData, InteractionData, Mention
from bot.safety.text import csv_cell, json_text
from bot.store.db import Store, forget_salt, forgotten_keys, iso, parse_iso, salted

STATUSES = ("new", "referred", "contacted", "talking", "done", "do-not-contact")
HIDDEN = "do-not-contact"
CLOSED = ("done", HIDDEN)
PRIORITIES = ("high", "medium", "low", "none")
_RANK = {"high": 3, "medium": 2, "low": 1, "none": 0}
MANUAL = "manual: sqbot leads merge"


# ------------------------------------------------------------------------------------------- finding people
def resolve(store: Store, ref: str) -> int:
    """A person from what the owner typed: `12`, `#12`, a handle (`@ana.bsky.social`) or `platform:handle`."""
    s = ref.strip()
    if s.lstrip("#").isdigit():
        pid = int(s.lstrip("#"))
        if store.q("SELECT 1 FROM people WHERE id=?", (pid,)):
            return pid
        raise BotError(f"no person #{pid}; see `sqbot leads list`")
    platform, _, handle = s.partition(":") if ":" in s and not s.startswith("http") else ("", "", s)
    handle = handle.strip().lstrip("@").lower()
    sql = "SELECT DISTINCT person_id FROM identities WHERE lower(handle)=?"
    params: list[Any] = [handle]
    if platform:
        sql += " AND platform=?"
        params.append(platform)
    ids = [int(r["person_id"]) for r in store.q(sql, params)]
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise BotError(f"no person with handle {handle!r}; use the number from `sqbot leads list`")
    raise BotError(
        f"{handle!r} matches people {', '.join(f'#{i}' for i in ids)}; give platform:handle or a number"
    )


def _person(store: Store, pid: int) -> sqlite3.Row:
    rows = store.q("SELECT * FROM people WHERE id=?", (pid,))
    if not rows:
        raise BotError(f"no person #{pid}; see `sqbot leads list`")
    return rows[0]


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
    where: list[str] = ["1=1"]
    params: list[Any] = []
    if status:
        where.append("p.status=?")
        params.append(status)
    if platform:
        where.append("EXISTS (SELECT 1 FROM identities d WHERE d.person_id=p.id AND d.platform=?)")
        params.append(platform)
    if query:
        where.append(
            """p.id IN (SELECT person_id FROM interactions WHERE query_id=?
                       UNION SELECT r.to_person_id FROM referrals r JOIN interactions i ON i.platform=r.platform
                             AND i.platform_id=r.interaction_id WHERE i.query_id=?)"""
        )
        params += [query, query]
    if priority:
        where.append("s.pr=?")
        params.append(_RANK[priority])
    page = " LIMIT ? OFFSET ?" if limit is not None or offset else ""
    if page:
        params += [-1 if limit is None else limit, offset]
    return [_lead(store, r) for r in store.q(_LEADS_SQL.format(where=" AND ".join(where)) + page, params)]


# `person_stats` (kept by triggers, see store.m006_person_stats) holds each person's aggregates and listing group;
# the ORDER BY is `_order_key` (tests check they agree).
_LEADS_SQL = """SELECT p.*, s.n, COALESCE(s.last_at, s.referred_at) AS last_at, s.pr, s.refers, s.offers,
                       s.referred
                FROM person_stats s JOIN people p ON p.id=s.person_id
                WHERE {where}
                ORDER BY s.grp, s.pr DESC, COALESCE(s.last_at, s.referred_at) DESC, s.person_id"""
_PR_NAMES = {v: k for k, v in _RANK.items()}


def _lead(store: Store, r: sqlite3.Row) -> dict[str, Any]:
    why = "referral" if r["refers"] else "offer" if r["offers"] else "referred" if r["referred"] else ""
    return _lead_dict(store, r, _PR_NAMES.get(int(r["pr"])), why)


def _order_key(lead: dict[str, Any]) -> tuple[int, int, float, int]:
    group = {"referral": 0, "offer": 0, "referred": 1}.get(lead["why"], 2)
    if lead["status"] in CLOSED:
        group += 3
    last = parse_iso(lead["last_at"]).timestamp() if lead["last_at"] else 0.0
    return group, -_RANK.get(lead["priority"] or "", -1), -last, lead["person_id"]


def _lead_dict(store: Store, p: sqlite3.Row, priority: str | None, why: str) -> dict[str, Any]:
    pid = int(p["id"])
    idents = store.q(
        "SELECT platform, user_id, handle FROM identities WHERE person_id=? ORDER BY platform, user_id",
        (pid,),
    )
    queries = store.q(
        "SELECT DISTINCT query_id FROM interactions WHERE person_id=? AND query_id IS NOT NULL ORDER BY 1",
        (pid,),
    )
    referred_by = store.q(
        """SELECT r.from_person_id, pp.name, MIN(i.query_id) AS query_id FROM referrals r
           JOIN people pp ON pp.id=r.from_person_id
           LEFT JOIN interactions i ON i.platform=r.platform AND i.platform_id=r.interaction_id
           WHERE r.to_person_id=? AND r.from_person_id != ? GROUP BY r.from_person_id ORDER BY r.from_person_id""",
        (pid, pid),
    )
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
            for i in idents
        ],
        "queries": [r["query_id"] for r in queries],
        "interactions": int(p["n"]),
        "referred_by": [
            {"person_id": r["from_person_id"], "name": r["name"], "query_id": r["query_id"]}
            for r in referred_by
        ],
        "last_at": p["last_at"],
    }


def show(store: Store, pid: int) -> dict[str, Any]:
    """Everything about one person: identities, interactions across platforms, who referred them, whom they
    pointed to, merges."""
    p = _person(store, pid)
    lead = _lead(store, store.q(_LEADS_SQL.format(where="p.id=?"), (pid,))[0])
    return {
        **lead,
        "first_seen": p["first_seen"],
        "identities": [
            dict(r) for r in store.q("SELECT * FROM identities WHERE person_id=? ORDER BY platform", (pid,))
        ],
        "interactions_list": [
            dict(r)
            for r in store.q(
                """SELECT platform, platform_id, kind, query_id, text, url, created_at, intent, lead_priority,
                          offers_contact, deleted FROM interactions WHERE person_id=? ORDER BY created_at DESC""",
                (pid,),
            )
        ],
        "referred": [
            dict(r)
            for r in store.q(
                """SELECT r.handle, r.name, r.target_platform, r.kind, r.to_person_id, i.query_id
                   FROM referrals r LEFT JOIN interactions i ON i.platform=r.platform
                        AND i.platform_id=r.interaction_id
                   WHERE r.from_person_id=? ORDER BY r.created_at, r.target""",
                (pid,),
            )
        ],
        "merges": [
            dict(r)
            for r in store.q(
                "SELECT id, kept, dropped, evidence, at, undone_at FROM person_merges WHERE kept=? OR dropped=?"
                " ORDER BY id",
                (pid, pid),
            )
        ],
    }


# ------------------------------------------------------------------------------------------- workflow
def set_status(store: Store, pid: int, status: str, now: datetime, *, force: bool = False) -> str:
    """Move a lead along new/referred → contacted → talking → done, or to do-not-contact. Returns the old
    status. Leaving do-not-contact needs `force` (they asked not to be contacted)."""
    if status not in STATUSES:
        raise BotError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    old = str(_person(store, pid)["status"])
    if old == HIDDEN and status != HIDDEN and not force:
        raise BotError(f"#{pid} is do-not-contact; pass --force if that was a mistake")
    with store.tx() as c:
        c.execute("UPDATE people SET status=?, updated_at=? WHERE id=?", (status, iso(now), pid))
    return old


def add_note(store: Store, pid: int, text: str, now: datetime) -> str:
    """Append a dated note; returns all notes."""
    _person(store, pid)
    line = f"[{now.date().isoformat()}] {text.strip()}"
    with store.tx() as c:
        c.execute(
            "UPDATE people SET notes = COALESCE(notes || char(10), '') || ?, updated_at=? WHERE id=?",
            (line, iso(now), pid),
        )
    return str(_person(store, pid)["notes"])


_REL = re.compile(r"^\+(\d+)([hdw])$")


def parse_due(value: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """`+3d`, `+2w`, `+6h`, an ISO date (midnight in `tz`), an ISO time with offset; `none`/`clear` → None."""
    v = value.strip().lower()
    if v in ("none", "clear", "-"):
        return None
    m = _REL.match(v)
    if m:
        n = int(m.group(1))
        return now + {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[m.group(2)]
    try:
        if len(v) == 10:
            d = datetime.fromisoformat(v).date()
            return datetime.combine(d, time(0), tzinfo=tz).astimezone(now.tzinfo)
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BotError(
            f"{value!r} is not a date: use 2026-12-05, +3d, +2w or an ISO time with offset"
        ) from None
    if dt.tzinfo is None:
        raise BotError(f"{value!r} has no UTC offset; add one (e.g. {value}+00:00) or give a date")
    return dt.astimezone(now.tzinfo)


def remind(store: Store, pid: int, when: datetime | None, now: datetime) -> None:
    """Set (or clear) when to follow up; the digest lists people whose follow-up is due."""
    _person(store, pid)
    with store.tx() as c:
        c.execute(
            "UPDATE people SET next_follow_up=?, updated_at=? WHERE id=?",
            (iso(when) if when else None, iso(now), pid),
        )


# ------------------------------------------------------------------------------------------- merges
def merge(store: Store, keep: int, drop: int, now: datetime, evidence: str = MANUAL) -> int:
    """Make `drop` part of `keep` (identities, interactions, referrals, notes); returns the merge id for
    `unmerge`. The stricter status wins (do-not-contact stays do-not-contact)."""
    if keep == drop:
        raise BotError("cannot merge a person with themselves")
    _person(store, keep)
    _person(store, drop)
    with store.tx() as c:
        Store._merge(c, keep, drop, evidence, now)
        row = c.execute(
            "SELECT id FROM person_merges WHERE kept=? AND dropped=? AND undone_at IS NULL", (keep, drop)
        ).fetchone()
    return int(row["id"])


def merges(store: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in store.q("SELECT * FROM person_merges ORDER BY id")]


def unmerge(store: Store, merge_id: int, now: datetime) -> dict[str, int]:
    """Undo a merge: the dropped person comes back with their own name, status, notes, identities,
    interactions and referrals (including ones filed after the merge from their identities)."""
    with store.tx() as c:
        m = c.execute("SELECT * FROM person_merges WHERE id=?", (merge_id,)).fetchone()
        if m is None:
            raise BotError(f"no merge #{merge_id}; see `sqbot leads show PERSON` for a person's merges")
        if m["undone_at"]:
            raise BotError(f"merge #{merge_id} was already undone at {m['undone_at']}")
        keep, drop = int(m["kept"]), int(m["dropped"])
        if c.execute("SELECT 1 FROM people WHERE id=?", (keep,)).fetchone() is None:
            later = c.execute(
                "SELECT id, kept FROM person_merges WHERE dropped=? AND undone_at IS NULL", (keep,)
            ).fetchone()
            hint = f"; it was merged into #{later['kept']}: undo merge #{later['id']} first" if later else ""
            raise BotError(f"person #{keep} no longer exists{hint}")
        snap = c.execute("SELECT * FROM people_removed WHERE id=?", (drop,)).fetchone()
        if snap is None or c.execute("SELECT 1 FROM people WHERE id=?", (drop,)).fetchone():
            raise BotError(f"merge #{merge_id} cannot be undone: person #{drop} is gone (forgotten?)")
        top = c.execute("SELECT COALESCE(MAX(id), 0) AS m FROM person_moves").fetchone()["m"]
        c.execute(
            """INSERT INTO people (id, name, status, notes, next_follow_up, first_seen, updated_at)
               VALUES (?,?,?,?,?,?,?)""",
            (
                drop,
                snap["name"],
                snap["status"],
                snap["notes"],
                snap["next_follow_up"],
                snap["first_seen"],
                iso(now),
            ),
        )
        moved = {"identities": 0, "interactions": 0, "referrals": 0}
        for mv in c.execute(
            "SELECT * FROM person_moves WHERE from_person=? AND to_person=? AND id<=? ORDER BY id DESC",
            (drop, keep, top),
        ).fetchall():
            key = json.loads(mv["key"])
            col = mv["col"]
            if mv["tbl"] == "identities":
                cur = c.execute(
                    "UPDATE identities SET person_id=? WHERE platform=? AND user_id=? AND person_id=?",
                    (drop, *key, keep),
                )
            elif mv["tbl"] == "interactions":
                cur = c.execute(
                    "UPDATE interactions SET person_id=? WHERE platform=? AND platform_id=? AND person_id=?",
                    (drop, *key, keep),
                )
            else:
                col = "from_person_id" if col == "from_person_id" else "to_person_id"
                cur = c.execute(
                    f"UPDATE referrals SET {col}=? WHERE platform=? AND interaction_id=? AND target=? AND {col}=?",
                    (drop, *key, keep),
                )
            moved[mv["tbl"]] += cur.rowcount
        # what their identities said or were named in after the merge is theirs too
        mine = "(platform, {a}) IN (SELECT platform, user_id FROM identities WHERE person_id=?)"
        cur = c.execute(
            f"UPDATE interactions SET person_id=? WHERE person_id=? AND {mine.format(a='author_user_id')}",
            (drop, keep, drop),
        )
        moved["interactions"] += cur.rowcount
        c.execute(
            """UPDATE referrals SET from_person_id=? WHERE from_person_id=? AND (platform, interaction_id) IN
                   (SELECT platform, platform_id FROM interactions WHERE person_id=?)""",
            (drop, keep, drop),
        )
        c.execute(
            """UPDATE referrals SET to_person_id=? WHERE to_person_id=? AND (target_platform, handle) IN
                   (SELECT platform, lower(handle) FROM identities WHERE person_id=?)""",
            (drop, keep, drop),
        )
        kept = c.execute("SELECT notes, status FROM people WHERE id=?", (keep,)).fetchone()
        notes = kept["notes"]
        if snap["notes"] and notes:
            if notes == snap["notes"]:
                notes = None
            elif notes.endswith("\n" + snap["notes"]):
                notes = notes[: -len(snap["notes"]) - 1]
        status = kept["status"]
        if m["kept_status"] and status == snap["status"]:
            status = m["kept_status"]  # the merge raised it; the owner has not changed it since
        c.execute(
            "UPDATE people SET notes=?, status=?, updated_at=? WHERE id=?", (notes, status, iso(now), keep)
        )
        c.execute("DELETE FROM person_moves WHERE (from_person=? AND to_person=?) OR id>?", (drop, keep, top))
        c.execute("DELETE FROM people_removed WHERE id=?", (drop,))
        c.execute("UPDATE person_merges SET undone_at=? WHERE id=?", (iso(now), merge_id))
    return {"person_id": drop, **moved}


# ------------------------------------------------------------------------------------------- suggestions
@dataclass(frozen=True)
class Suggestion:
    a: int
    b: int
    reason: str


_SOCIAL = (
    "bsky.app",
    "x.com",
    "twitter.com",
    "substack.com",
    "linkedin.com",
    "github.com",
    "mastodon.social",
)
_URL = re.compile(r"(?i)\b(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(/[^\s)\]>,;]*)?")
_SKIP_DOMAIN_HANDLE = (".bsky.social", ".sandbox.test")


def _site(host: str, path: str | None) -> str | None:
    host = host.lower().removeprefix("www.")
    if host.endswith(_SOCIAL) or host in _SOCIAL:
        first = (path or "/").strip("/").split("/")[0].lower()
        return f"{host}/{first}" if first and host not in ("substack.com",) else None
    if host.endswith(".substack.com"):
        return host
    return host


def _sites(text: str | None) -> set[str]:
    out = set()
    for m in _URL.finditer(text or ""):
        if "@" in text[max(0, m.start() - 1) : m.start()] if text else False:
            continue  # an email address or a handle, not a website
        site = _site(m.group(1), m.group(2))
        if site and "." in site:
            out.add(site)
    return out


def _local(handle: str | None) -> str:
    h = (handle or "").lower().lstrip("@")
    for suffix in _SKIP_DOMAIN_HANDLE:
        h = h.removesuffix(suffix)
    return re.sub(r"[^a-z0-9]", "", h.split(".")[0] if h.count(".") >= 2 else h.replace(".", ""))


def _undone_pairs(store: Store) -> set[frozenset[int]]:
    from bot.store.review import rejected_pairs  # suggestions the owner rejected in `sqbot review`

    return {
        frozenset((int(r["kept"]), int(r["dropped"])))
        for r in store.q("SELECT kept, dropped FROM person_merges WHERE undone_at IS NOT NULL")
    } | rejected_pairs(store)


def suggest_merges(store: Store, *, person: int | None = None) -> list[Suggestion]:
    """Weaker evidence that two people are one, for the owner to judge (never applied): the same display name
    with similar handles on different platforms, or the same website in two profiles. With `person`, only the
    pairs that include them (one pass over the others instead of every pair: the review's person page)."""
    idents = store.q("SELECT platform, user_id, handle, name, bio, url, person_id FROM identities")
    undone = _undone_pairs(store)
    found: dict[frozenset[int], list[str]] = {}

    def add(a: int, b: int, reason: str) -> None:
        if a != b:
            found.setdefault(frozenset((a, b)), []).append(reason)

    by_site: dict[str, list[sqlite3.Row]] = {}
    linking = idents
    if person is not None:  # only profiles that can share a site with theirs: the text names its host
        hosts = {
            site.split("/")[0]
            for i in idents
            if i["person_id"] == person
            for site in _sites(i["bio"]) | _sites(i["url"])
        }
        linking = [i for i in idents if any(h in f"{i['bio']} {i['url']}".lower() for h in hosts)]
    for i in linking:
        for site in _sites(i["bio"]) | _sites(i["url"]):
            by_site.setdefault(site, []).append(i)
    for site, rows in by_site.items():
        if len({r["person_id"] for r in rows}) > 3:
            continue  # a host many profiles link (the platform itself, a big employer) says nothing
        for x in rows:
            for y in rows:
                if x["person_id"] < y["person_id"]:
                    add(x["person_id"], y["person_id"], f"both profiles link {site}")
    pairs = (
        ((x, y) for n, x in enumerate(idents) for y in idents[n + 1 :])
        if person is None
        else (  # the same pairs in the same order, only those with one of `person`'s identities
            (idents[min(n, m)], idents[max(n, m)])
            for n, x in enumerate(idents)
            if x["person_id"] == person
            for m in range(len(idents))
            if m != n
        )
    )
    for x, y in pairs:
        if x["person_id"] == y["person_id"] or x["platform"] == y["platform"]:
            continue
        nx, ny = (x["name"] or "").casefold().split(), (y["name"] or "").casefold().split()
        lx, ly = _local(x["handle"]), _local(y["handle"])
        if nx and nx == ny:
            similar = bool(lx and ly) and difflib.SequenceMatcher(None, lx, ly).ratio() >= 0.8
            if similar or len(nx) >= 2:
                how = "similar handles" if similar else "no handle match"
                add(
                    x["person_id"],
                    y["person_id"],
                    f"same name {' '.join(nx)!r} on {x['platform']} and {y['platform']} ({how})",
                )
        elif lx and lx == ly and len(lx) >= 5:  # equal handles are similar ones: no ratio to compute
            add(
                x["person_id"],
                y["person_id"],
                f"same handle {lx!r} on {x['platform']} and {y['platform']}",
            )
    out = [
        Suggestion(min(k), max(k), "; ".join(dict.fromkeys(v)))
        for k, v in found.items()
        if k not in undone and (person is None or person in k)
    ]
    return sorted(out, key=lambda s: (s.a, s.b))


def merge_strong(store: Store, now: datetime) -> list[int]:
    """Merge on strong evidence beyond explicit links: a Bluesky handle that is a custom domain (verified by
    Bluesky) which another platform's profile website field points to. A merge the owner undid is not redone."""
    undone = _undone_pairs(store)
    done: list[int] = []
    by_host: dict[str, list[sqlite3.Row]] = {}  # other platforms' profile websites, read once
    for o in store.q(
        "SELECT platform, user_id, url, person_id FROM identities WHERE platform != 'bluesky' AND url IS NOT NULL"
    ):
        host = (urlsplit(o["url"] if "//" in o["url"] else f"https://{o['url']}").hostname or "").lower()
        by_host.setdefault(host.removeprefix("www."), []).append(o)
    if not by_host:
        return done
    for b in store.q(
        "SELECT handle, person_id FROM identities WHERE platform='bluesky' AND handle LIKE '%.%'"
        " AND user_id NOT LIKE 'handle:%'"
    ):
        domain = str(b["handle"]).lower()
        if domain.endswith(_SKIP_DOMAIN_HANDLE):
            continue
        for o in by_host.get(domain, ()):
            a_id = _current(store, int(b["person_id"]))
            o_id = _current(store, int(o["person_id"]))
            if a_id == o_id or frozenset((a_id, o_id)) in undone:
                continue
            ev = f"bluesky handle {domain} is the website of {o['platform']}:{o['user_id']}"
            done.append(merge(store, min(a_id, o_id), max(a_id, o_id), now, ev))
    return done


def _current(store: Store, pid: int) -> int:
    row = store.q("SELECT person_id FROM identities WHERE person_id=? LIMIT 1", (pid,))
    if row:
        return pid
    nxt = store.q("SELECT kept FROM person_merges WHERE dropped=? AND undone_at IS NULL", (pid,))
    return _current(store, int(nxt[0]["kept"])) if nxt else pid


# ------------------------------------------------------------------------------------------- forgetting
def forget(store: Store, pid: int, now: datetime) -> dict[str, int]:
    """Delete everything about a person (deletion on request): identities, their interactions, referrals from
    and to them, merges and what merges kept of them, and leads that exist only because they referred them.
    Only one-way hashes of their accounts stay, so a replay or `understand --reprocess` never re-files them."""
    _person(store, pid)
    store.conn.execute("PRAGMA secure_delete=ON")  # freed pages are zeroed, not left holding their words
    with store.tx() as c:
        ids = {pid}
        frontier = [pid]
        while frontier:  # people merged into them (kept as snapshots for undo) are them too
            nxt = [
                int(r["dropped"])
                for r in c.execute(
                    f"SELECT dropped FROM person_merges WHERE kept IN ({','.join('?' * len(frontier))})",
                    frontier,
                )
            ]
            frontier = [x for x in nxt if x not in ids]
            ids.update(frontier)
        marks = ",".join("?" * len(ids))
        pids = sorted(ids)
        idents = c.execute(
            f"SELECT platform, user_id, handle FROM identities WHERE person_id IN ({marks})", pids
        ).fetchall()
        salt = forget_salt(c, created_at=now)
        assert salt is not None
        for i in idents:
            for key in forgotten_keys(i["platform"], i["user_id"], i["handle"]):
                c.execute(
                    "INSERT OR IGNORE INTO forgotten (key, at) VALUES (?, ?)", (salted(salt, key), iso(now))
                )
        _forget_traces(c, idents, pids)
        targets = [
            int(r["to_person_id"])
            for r in c.execute(
                f"SELECT DISTINCT to_person_id FROM referrals WHERE from_person_id IN ({marks})"
                " AND to_person_id IS NOT NULL",
                pids,
            )
            if int(r["to_person_id"]) not in ids
        ]
        counts: dict[str, int] = {}
        counts["referrals"] = c.execute(
            f"""DELETE FROM referrals WHERE from_person_id IN ({marks}) OR to_person_id IN ({marks})
                OR (target_platform, handle) IN (SELECT platform, lower(handle) FROM identities
                                                 WHERE person_id IN ({marks}))""",
            pids * 3,
        ).rowcount
        counts["interactions"] = c.execute(
            f"DELETE FROM interactions WHERE person_id IN ({marks})", pids
        ).rowcount
        counts["identities"] = len(idents)
        c.execute(f"DELETE FROM identities WHERE person_id IN ({marks})", pids)
        counts["merges"] = c.execute(
            f"DELETE FROM person_merges WHERE kept IN ({marks}) OR dropped IN ({marks})", pids * 2
        ).rowcount
        c.execute(
            f"DELETE FROM person_moves WHERE from_person IN ({marks}) OR to_person IN ({marks})", pids * 2
        )
        # what we wrote to them (`sqbot leads reply`): the follow-up, and its outbox, post and query rows
        fids = [(r["id"],) for r in c.execute(f"SELECT id FROM followups WHERE person_id IN ({marks})", pids)]
        c.executemany("DELETE FROM posts WHERE query_id=?", fids)
        c.executemany("DELETE FROM outbox WHERE query_id=?", fids)
        c.executemany("DELETE FROM queries WHERE id=?", fids)
        c.execute(f"DELETE FROM followups WHERE person_id IN ({marks})", pids)
        counts["people"] = c.execute(f"DELETE FROM people WHERE id IN ({marks})", pids).rowcount
        c.execute(f"DELETE FROM people_removed WHERE id IN ({marks})", pids)
        counts["orphan_leads"] = _drop_orphan_leads(c, targets)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # and the old page versions leave the WAL
    return counts


def _forget_traces(c: sqlite3.Connection, idents: Sequence[sqlite3.Row], pids: Sequence[int]) -> None:
    """What other rows keep of them: their account ids and interaction ids in `person_moves` (the undo log of
    merges), and their accounts in other people's `interactions.mentions`."""
    accounts = {(str(i["platform"]), str(i["user_id"])) for i in idents}
    handles = {(str(i["platform"]), str(i["handle"]).lower()) for i in idents if i["handle"]}
    ids = {a[1] for a in accounts} | {h[1] for h in handles}
    marks = ",".join("?" * len(pids))
    ids |= {
        str(r[0])
        for r in c.execute(f"SELECT platform_id FROM interactions WHERE person_id IN ({marks})", pids)
    }
    if ids:
        id_marks = ",".join("?" * len(ids))
        c.execute(
            f"""DELETE FROM person_moves WHERE EXISTS (
                    SELECT 1 FROM json_each(person_moves.key) WHERE lower(value) IN ({id_marks}))""",
            sorted(x.lower() for x in ids),
        )
    rows = c.execute(
        f"SELECT platform, platform_id, mentions FROM interactions WHERE mentions != '[]' "
        f"AND person_id NOT IN ({marks})",
        pids,
    ).fetchall()
    for r in rows:
        mentions = json.loads(r["mentions"] or "[]")
        kept = [
            m
            for m in mentions
            if not (
                isinstance(m, list)
                and len(m) >= 3
                and ((m[2], str(m[1])) in accounts or (m[2], str(m[0] or "").lower().lstrip("@")) in handles)
            )
        ]
        if len(kept) != len(mentions):
            c.execute(
                "UPDATE interactions SET mentions=? WHERE platform=? AND platform_id=?",
                (json.dumps(kept), r["platform"], r["platform_id"]),
            )


def person_traces(store: Store, pid: int) -> list[str]:
    """What identifies a person in a rendered digest: their name, handles, account ids and the start of each
    thing they wrote (merged-in people included). Read before `forget`."""
    ids = [pid] + [
        int(r["dropped"]) for r in store.q("SELECT dropped FROM person_merges WHERE kept=?", (pid,))
    ]
    marks = ",".join("?" * len(ids))
    out: set[str] = set()
    for r in store.q(f"SELECT name FROM people WHERE id IN ({marks})", ids):
        if r["name"] and len(r["name"].strip()) >= 3:
            out.add(r["name"].strip())
    for r in store.q(f"SELECT user_id, handle, name FROM identities WHERE person_id IN ({marks})", ids):
        if r["handle"]:
            out.add(str(r["handle"]).lstrip("@"))
        if r["name"] and len(r["name"].strip()) >= 3:
            out.add(r["name"].strip())
        if r["user_id"] and not str(r["user_id"]).startswith("handle:"):
            out.add(str(r["user_id"]))
    for r in store.q(f"SELECT text FROM interactions WHERE person_id IN ({marks})", ids):
        words = " ".join(str(r["text"] or "").split())
        if len(words) >= 12:
            out.add(words[:24])
    return sorted(out)


def scrub_digest_files(folder: Path, traces: Sequence[str]) -> list[Path]:
    """Delete the stored digests (.eml, .html, .txt of one digest together) that show any of `traces`; returns
    the deleted files. A digest still being sent is rebuilt from the database (which no longer has them)."""
    from email import policy
    from email.parser import BytesParser
    from html import unescape

    if not folder.is_dir() or not traces:
        return []
    needles = [" ".join(t.split()).casefold() for t in traces]
    hit: set[str] = set()
    for f in sorted(folder.iterdir()):
        if not f.is_file():
            continue
        raw = f.read_bytes()
        if f.suffix == ".eml":
            msg = BytesParser(policy=policy.default).parsebytes(raw)
            parts = [str(msg["subject"] or "")]
            for part in msg.walk():
                if part.get_content_maintype() == "text":
                    parts.append(str(part.get_content()))
            text = "\n".join(parts)
        else:
            text = raw.decode("utf-8", "replace")
        text = " ".join(unescape(text).split()).casefold()
        if any(n in text for n in needles):
            hit.add(f.stem)
    deleted = [f for f in sorted(folder.iterdir()) if f.is_file() and f.stem in hit]
    for f in deleted:
        f.unlink()
    return deleted


def _drop_orphan_leads(c: sqlite3.Connection, pids: Iterable[int]) -> int:
    """Delete leads nobody refers to any more and the owner never touched (status `referred`, no interactions,
    no notes, no follow-up, only placeholder identities)."""
    n = 0
    for pid in pids:
        row = c.execute(
            """SELECT 1 FROM people p WHERE p.id=? AND p.status='referred' AND p.notes IS NULL
                 AND p.next_follow_up IS NULL
                 AND NOT EXISTS (SELECT 1 FROM referrals WHERE to_person_id=p.id)
                 AND NOT EXISTS (SELECT 1 FROM interactions WHERE person_id=p.id)
                 AND NOT EXISTS (SELECT 1 FROM identities WHERE person_id=p.id AND user_id NOT LIKE 'handle:%')
                 AND NOT EXISTS (SELECT 1 FROM person_merges WHERE kept=p.id)""",
            (pid,),
        ).fetchone()
        if row is None:
            continue
        c.execute("DELETE FROM identities WHERE person_id=?", (pid,))
        c.execute("DELETE FROM people WHERE id=?", (pid,))
        c.execute("DELETE FROM people_removed WHERE id=?", (pid,))
        n += 1
    return n


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


# ------------------------------------------------------------------------------------------- reprocessing
@dataclass(frozen=True)
class ReprocessReport:
    interactions: int
    changed: int
    referrals_added: int
    referrals_removed: int


def reprocess(store: Store, analyse: Callable[[InteractionData], Any], now: datetime) -> ReprocessReport:
    """Re-run reply understanding over every stored interaction; update intent/priority/offers/language and
    the referrals (adding new ones and their leads, removing ones no longer found). Running it twice changes
    nothing the second time."""
    rows = store.q(
        """SELECT i.*, d.handle AS a_handle, d.name AS a_name, d.bio AS a_bio FROM interactions i
           LEFT JOIN identities d ON d.platform=i.platform AND d.user_id=i.author_user_id
           ORDER BY i.created_at, i.platform, i.platform_id"""
    )
    changed = added = removed = 0
    with store.tx() as c:
        for r in rows:
            it = _interaction(r)
            a = analyse(it)
            new = (
                getattr(a, "intent", None),
                getattr(a, "lead_priority", None),
                None if a is None else int(bool(getattr(a, "offers_contact", False))),
                getattr(a, "language", None),
            )
            if new != (r["intent"], r["lead_priority"], r["offers_contact"], r["language"]):
                c.execute(
                    """UPDATE interactions SET intent=?, lead_priority=?, offers_contact=?, language=?
                       WHERE platform=? AND platform_id=?""",
                    (*new, r["platform"], r["platform_id"]),
                )
                changed += 1
            before = {
                x["target"]: x["to_person_id"]
                for x in c.execute(
                    "SELECT target, to_person_id FROM referrals WHERE platform=? AND interaction_id=?",
                    (r["platform"], r["platform_id"]),
                )
            }
            for ref in getattr(a, "referrals", ()) or ():
                store._insert_referral(c, it, int(r["person_id"]), ref, now)
            after = {
                x["target"]
                for x in c.execute(
                    "SELECT target FROM referrals WHERE platform=? AND interaction_id=?",
                    (r["platform"], r["platform_id"]),
                )
            }
            wanted = {_target(it, ref) for ref in getattr(a, "referrals", ()) or ()}
            stale = [t for t in after if t not in wanted]
            added += len(after - set(before))
            for t in stale:
                c.execute(
                    "DELETE FROM referrals WHERE platform=? AND interaction_id=? AND target=?",
                    (r["platform"], r["platform_id"], t),
                )
                removed += 1
            _drop_orphan_leads(c, [int(before[t]) for t in stale if before.get(t) is not None])
    return ReprocessReport(len(rows), changed, added, removed)


def _target(it: InteractionData, ref: Any) -> str:
    raw = getattr(ref, "handle", None)
    handle = raw.strip().lstrip("@").lower() if raw else None
    name = getattr(ref, "name", None)
    platform = getattr(ref, "platform", None) or (it.platform if handle else None)
    return f"{platform}:{handle}" if handle else f"name:{(name or '').lower()}"


def _interaction(r: sqlite3.Row) -> InteractionData:
    mentions: Sequence[Any] = json.loads(r["mentions"] or "[]")
    return InteractionData(
        platform=r["platform"],
        platform_id=r["platform_id"],
        kind=r["kind"],
        author=IdentityData(
            platform=r["platform"],
            user_id=r["author_user_id"],
            handle=r["a_handle"],
            name=r["a_name"],
            bio=r["a_bio"],
        ),
        text=r["text"],
        created_at=parse_iso(r["created_at"]),
        root_id=r["root_id"],
        parent_id=r["parent_id"],
        url=r["url"],
        mentions=tuple(Mention(m[0], m[1], m[2] or "") for m in mentions),
        deleted=bool(r["deleted"]),
    )
