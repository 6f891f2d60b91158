"""One person across accounts: merges the owner makes (`merge`, undoable with `unmerge`), merges on strong
evidence (`merge_strong`), and weaker evidence shown to the owner, never applied (`suggest_merges`). The SQL is in
`bot/store/leads_merges.py`; what a merge moved is logged there by triggers, so every merge can be undone."""

from __future__ import annotations

import difflib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any
from urllib.parse import urlsplit

from bot.errors import BotError
from bot.leads.match import SKIP_DOMAIN_HANDLE, handle_key, local, name_key, name_words, profile_sites
from bot.leads.people import person_row
from bot.store import leads_merges as db
from bot.store import lookalikes as looks
from bot.store.db import Store
from bot.store.identities import links_back

MANUAL = "manual: sqbot leads merge"


# ------------------------------------------------------------------------------------------- merging and undoing
def merge(store: Store, keep: int, drop: int, now: datetime, evidence: str = MANUAL) -> int:
    """Make `drop` part of `keep` (identities, interactions, referrals, notes); returns the merge id for
    `unmerge`. The stricter status wins (do-not-contact stays do-not-contact)."""
    if keep == drop:
        raise BotError("cannot merge a person with themselves")
    person_row(store, keep)
    person_row(store, drop)
    return db.merge_people(store, keep, drop, evidence, now)


def merges(store: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in db.all_merges(store)]


def unmerge(store: Store, merge_id: int, now: datetime) -> dict[str, int]:
    """Undo a merge: the dropped person comes back with their own name, status, notes, identities,
    interactions and referrals (including ones filed after the merge from their identities)."""
    with store.tx() as c:
        m = db.merge_record(c, merge_id)
        if m is None:
            raise BotError(f"no merge #{merge_id}; see `sqbot leads show PERSON` for a person's merges")
        if m["undone_at"]:
            raise BotError(f"merge #{merge_id} was already undone at {m['undone_at']}")
        keep, drop = int(m["kept"]), int(m["dropped"])
        if not db.person_present(c, keep):
            later = db.live_merge_dropping(c, keep)
            hint = f"; it was merged into #{later['kept']}: undo merge #{later['id']} first" if later else ""
            raise BotError(f"person #{keep} no longer exists{hint}")
        snap = db.removed_snapshot(c, drop)
        if snap is None or db.person_present(c, drop):
            raise BotError(f"merge #{merge_id} cannot be undone: person #{drop} is gone (forgotten?)")
        top = db.last_move(c)
        db.restore_person(c, drop, snap, now)
        moved = db.replay_moves(c, drop, keep, top)
        moved["interactions"] += db.reclaim_later_rows(c, drop, keep)
        kept = db.notes_and_status(c, keep)
        notes = _notes_without(kept["notes"], snap["notes"])
        status = kept["status"]
        if m["kept_status"] and status == snap["status"]:
            status = m["kept_status"]  # the merge raised it; the owner has not changed it since
        db.set_notes_and_status(c, keep, notes, status, now)
        db.close_undo(c, merge_id, drop, keep, top, now)
    return {"person_id": drop, **moved}


def _notes_without(notes: str | None, theirs: str | None) -> str | None:
    """The kept person's notes without the dropped person's, which the merge appended."""
    if theirs and notes:
        if notes == theirs:
            return None
        if notes.endswith("\n" + theirs):
            return notes[: -len(theirs) - 1]
    return notes


# ------------------------------------------------------------------------------------------- suggestions
@dataclass(frozen=True)
class Suggestion:
    a: int
    b: int
    reason: str


def _undone_pairs(store: Store) -> set[frozenset[int]]:
    """Pairs never to merge or suggest again: merges the owner undid, suggestions they rejected (`sqbot review`)."""
    return {frozenset(pair) for pair in db.undone_pairs(store)} | db.rejected_pairs(store)


def suggest_merges(store: Store, *, person: int | None = None) -> list[Suggestion]:
    """Weaker evidence that two people are one, for the owner to judge (never applied): a profile link only one
    side asserts, the same display name with similar handles on different platforms, or the same website in
    two profiles. With `person`, only the pairs that include them, found by index (`_suggest_for`: the
    review's person page)."""
    undone = _undone_pairs(store)
    if person is not None:
        try:
            return _suggest_for(store, person, undone)
        except sqlite3.OperationalError:  # a database opened read-only before m013: no keys to look up
            return [s for s in suggest_merges(store) if person in (s.a, s.b)]
    idents = db.identities_for_suggestions(store)
    found: dict[frozenset[int], list[str]] = {}
    for a, b, reason in chain(_one_sided_links(idents), _same_site(idents), _same_name_or_handle(idents)):
        if a != b:
            found.setdefault(frozenset((a, b)), []).append(reason)
    return _suggestions(found, undone)


def _suggestions(found: dict[frozenset[int], list[str]], undone: set[frozenset[int]]) -> list[Suggestion]:
    out = [
        Suggestion(min(k), max(k), "; ".join(dict.fromkeys(v))) for k, v in found.items() if k not in undone
    ]
    return sorted(out, key=lambda s: (s.a, s.b))


def _suggest_for(store: Store, person: int, undone: set[frozenset[int]]) -> list[Suggestion]:
    """`suggest_merges` for the pairs with `person`, by index look-ups (`bot.store.lookalikes`): the people
    linking each of their sites, the identities sharing a name or handle key with theirs, and the identities
    whose keys are not current, judged by the same rules in the same pair order as the whole list."""
    mine = looks.of_person(store, person)
    stale = looks.unindexed(store)
    found: dict[frozenset[int], list[str]] = {}
    for a, b, why in _one_sided_links(db.identities_linking(store, person)):
        if a != b and person in (a, b):
            found.setdefault(frozenset((a, b)), []).append(why)
    for site in dict.fromkeys(x for i in mine for x in sorted(profile_sites(i["bio"], i["url"]))):
        linking = looks.people_linking(store, site, 4) | {
            int(i["person_id"]) for i in stale if site in profile_sites(i["bio"], i["url"])
        }
        if len(linking) > 3:
            continue  # as `_same_site`: a host many profiles link says nothing
        for other in sorted(linking - {person}):
            found.setdefault(frozenset((person, other)), []).append(f"both profiles link {site}")
    others = {int(i["pos"]): i for i in stale}
    for i in mine:
        hk = handle_key(i["handle"])
        others.update(
            (int(o["pos"]), o)
            for o in looks.with_keys(store, name_key(i["name"]), hk if hk and len(hk) >= 5 else None)
        )
    # each pair as the whole list meets it: the identity earlier in the table first
    pairs = sorted(
        (
            ((x, y) if x["pos"] < y["pos"] else (y, x))
            for x in mine
            for y in others.values()
            if y["person_id"] != person
        ),
        key=lambda p: (p[0]["pos"], p[1]["pos"]),
    )
    for x, y in pairs:
        reason = _name_or_handle_match(x, y) if x["platform"] != y["platform"] else None
        if reason:
            other = int(y["person_id"] if x["person_id"] == person else x["person_id"])
            found.setdefault(frozenset((person, other)), []).append(reason)
    return _suggestions(found, undone)


def _one_sided_links(idents: Sequence[sqlite3.Row]) -> Iterator[tuple[int, int, str]]:
    """Pairs where one profile links another account that does not link back (Substack `userLinks`, a bio):
    anyone can name a real lead's handle in their own profile, so this is never merged by itself."""
    by_handle = {(str(i["platform"]), str(i["handle"] or "").lower()): i for i in idents if i["handle"]}
    for i in idents:
        for platform, handle in json.loads(i["links"] or "[]"):
            other = by_handle.get((str(platform), str(handle).lower().lstrip("@")))
            if other is None or other["person_id"] == i["person_id"]:
                continue
            if not links_back(other, i["platform"], i["handle"]):
                yield (
                    i["person_id"],
                    other["person_id"],
                    f"{i['platform']} profile @{i['handle']} links {platform}:{handle}, which does not link back"
                    " (one-sided: not merged)",
                )


def _same_site(idents: Sequence[sqlite3.Row]) -> Iterator[tuple[int, int, str]]:
    """Pairs of people whose profiles (bio or website) link the same site, unless many profiles do."""
    by_site: dict[str, list[sqlite3.Row]] = {}
    for i in idents:
        for site in profile_sites(i["bio"], i["url"]):
            by_site.setdefault(site, []).append(i)
    for site, rows in by_site.items():
        if len({r["person_id"] for r in rows}) > 3:
            continue  # a host many profiles link (the platform itself, a big employer) says nothing
        for x in rows:
            for y in rows:
                if x["person_id"] < y["person_id"]:
                    yield x["person_id"], y["person_id"], f"both profiles link {site}"


def _same_name_or_handle(idents: Sequence[sqlite3.Row]) -> Iterator[tuple[int, int, str]]:
    """Pairs of people with identities on different platforms that have the same name or handle."""
    for n, x in enumerate(idents):
        for y in idents[n + 1 :]:
            if x["person_id"] == y["person_id"] or x["platform"] == y["platform"]:
                continue
            reason = _name_or_handle_match(x, y)
            if reason:
                yield x["person_id"], y["person_id"], reason


def _name_or_handle_match(x: sqlite3.Row, y: sqlite3.Row) -> str | None:
    """Why two identities on different platforms look like one person: the same name (with similar handles,
    or a name of two words or more), or the same handle of five characters or more; None if neither."""
    nx, ny = name_words(x["name"]), name_words(y["name"])
    lx, ly = local(x["handle"]), local(y["handle"])
    if nx and nx == ny:
        similar = bool(lx and ly) and difflib.SequenceMatcher(None, lx, ly).ratio() >= 0.8
        if similar or len(nx) >= 2:
            how = "similar handles" if similar else "no handle match"
            return f"same name {' '.join(nx)!r} on {x['platform']} and {y['platform']} ({how})"
    elif lx and lx == ly and len(lx) >= 5:  # equal handles are similar ones: no ratio to compute
        return f"same handle {lx!r} on {x['platform']} and {y['platform']}"
    return None


# ------------------------------------------------------------------------------------------- strong evidence
def merge_strong(store: Store, now: datetime) -> list[int]:
    """Merge on strong evidence beyond explicit links: a Bluesky handle that is a custom domain (verified by
    Bluesky) which another platform's profile website field points to. A merge the owner undid is not redone."""
    undone = _undone_pairs(store)
    done: list[int] = []
    by_host: dict[str, list[sqlite3.Row]] = {}  # other platforms' profile websites, read once
    for o in db.websites_off_bluesky(store):
        host = (urlsplit(o["url"] if "//" in o["url"] else f"https://{o['url']}").hostname or "").lower()
        by_host.setdefault(host.removeprefix("www."), []).append(o)
    if not by_host:
        return done
    for b in db.bluesky_domain_handles(store):
        domain = str(b["handle"]).lower()
        if domain.endswith(SKIP_DOMAIN_HANDLE):
            continue
        for o in by_host.get(domain, ()):
            a_id = db.current_person(store, int(b["person_id"]))
            o_id = db.current_person(store, int(o["person_id"]))
            if a_id == o_id or frozenset((a_id, o_id)) in undone:
                continue
            ev = f"bluesky handle {domain} is the website of {o['platform']}:{o['user_id']}"
            done.append(merge(store, min(a_id, o_id), max(a_id, o_id), now, ev))
    return done
