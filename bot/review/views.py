"""What the review pages show, read from the store through the functions the digest and `leads show` use.
Reads only: a GET never writes. Every string from the database is `clean`ed here (no control or bidi
characters) and escaped by the templates (Jinja2 autoescape)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any

from bot.digest.build import PLATFORM_NAMES, contact_list
from bot.digest.collect import collect_contacts, window
from bot.digest.model import Author, Caps, ContactList
from bot.digest.safe import clean, permalink, profile_link, safe_url
from bot.leads import followup, people, send
from bot.leads.merges import suggest_merges
from bot.models import HIDDEN
from bot.platforms.specs import REPLYABLE
from bot.store import review as db
from bot.store.db import Store, parse_iso

PEOPLE_SHOWN = 25  # per page (the digest shows 15): a page is read and drafted in full, so it stays fast
MAX_PAGE = 10_000


def people_to_contact(store: Store, now: datetime, tz: tzinfo, page: int = 0) -> ContactList:
    """Page `page` (from 0) of the digest's "People to contact" for the window it would mail now: same order,
    same content, read for the leads shown only (`collect_contacts`); `leads_more`: how many after this page."""
    since, until = window(store, now)
    offset = PEOPLE_SHOWN * max(0, min(page, MAX_PAGE))
    data, counts = collect_contacts(store, since, until, people_limit=PEOPLE_SHOWN, offset=offset)
    d = contact_list(data, counts, now=now, tz=tz, caps=Caps(people=PEOPLE_SHOWN))
    # the leads before this page count as unread in `contact_list`'s "more": they are not after it
    return replace(d, leads_more=max(0, d.leads_more - offset))


@dataclass(frozen=True)
class Label:
    text: str
    kind: str  # "intent" | "priority" | "offer" | "refers"


@dataclass(frozen=True)
class ReplyItem:
    when: str
    where: str  # "Bluesky reply"
    query: str
    text: str
    href: str | None
    labels: tuple[Label, ...]
    deleted: bool
    platform: str = ""  # the reply's key, for its correction form
    platform_id: str = ""
    intent: str = ""
    targets: tuple[tuple[str, str], ...] = ()  # whom it refers to: (value the form sends back, label)
    corrected: bool = False


@dataclass(frozen=True)
class IdentityItem:
    who: str
    name: str
    bio: str
    href: str | None
    seen: bool  # known only from a referral ("not yet seen") when False


@dataclass(frozen=True)
class PairItem:
    person_id: int | None
    name: str
    detail: str


@dataclass(frozen=True)
class SentItem:
    where: str
    when: str
    text: str
    href: str | None


@dataclass(frozen=True)
class MergeItem:
    id: int
    text: str
    undoable: bool


@dataclass(frozen=True)
class SuggestionItem:
    other: int
    name: str
    reason: str


@dataclass(frozen=True)
class DraftItem:
    text: str
    platform: str
    where: str
    sendable: bool
    problem: str = ""
    warning: str = ""  # it tags someone who never wrote to us, on someone else's word: sent only when ticked


@dataclass(frozen=True)
class PersonPage:
    person_id: int
    name: str
    status: str
    priority: str
    why: str
    follow_up: str
    follow_up_value: str  # for the date field: YYYY-MM-DD in the owner's zone
    notes: tuple[str, ...]
    identities: tuple[IdentityItem, ...]
    replies: tuple[ReplyItem, ...]
    referred_by: tuple[PairItem, ...]
    referred: tuple[PairItem, ...]
    sent: tuple[SentItem, ...]
    pending: str  # a follow-up written and not yet posted ("" when none)
    draft: DraftItem | None
    merges: tuple[MergeItem, ...]
    suggestions: tuple[SuggestionItem, ...]


def _platform(name: str | None) -> str:
    return PLATFORM_NAMES.get(name or "", clean(name, limit=20))


def _when(iso_text: str | None, tz: tzinfo) -> str:
    if not iso_text:
        return ""
    try:
        return parse_iso(iso_text).astimezone(tz).strftime("%a %d %b %Y %H:%M")
    except ValueError:
        return clean(iso_text, limit=40)


def _target(handle: str | None, name: str | None, platform: str | None) -> str:
    if handle:
        return f"@{clean(handle, limit=80)}" + (f" on {_platform(platform)}" if platform else "")
    return clean(name, limit=80) or "someone"


def _labels(it: dict[str, Any], refs: list[Any]) -> tuple[Label, ...]:
    out = []
    if it["intent"]:
        out.append(Label(clean(it["intent"], limit=30), "intent"))
    if it["lead_priority"]:
        out.append(Label(f"priority {clean(it['lead_priority'], limit=20)}", "priority"))
    if it["offers_contact"]:
        out.append(Label("offers to talk", "offer"))
    for r in refs:
        out.append(Label("refers " + _target(r["handle"], r["name"], r["target_platform"]), "refers"))
    return tuple(out)


def _reply(it: dict[str, Any], refs: list[Any], titles: dict[str, str], tz: tzinfo) -> ReplyItem:
    """One reply with its labels and what its correction form needs (the labels are the owner's when it was
    corrected)."""
    return ReplyItem(
        when=_when(it["created_at"], tz),
        where=f"{_platform(it['platform'])} {clean(it['kind'], limit=20)}",
        query=clean(titles.get(it["query_id"], it["query_id"] or ""), limit=120),
        text=clean(it["text"], limit=5000, one_line=False),
        href=permalink(it["platform"], it["platform_id"], it["url"]),
        labels=_labels(it, refs) + ((Label("corrected", "corrected"),) if it["corrected"] else ()),
        deleted=bool(it["deleted"]),
        platform=str(it["platform"]),
        platform_id=str(it["platform_id"]),
        intent=str(it["intent"] or ""),
        targets=tuple(
            (
                f"{r['target_platform']}:{r['handle']}" if r["handle"] else str(r["name"] or ""),
                _target(r["handle"], r["name"], r["target_platform"]),
            )
            for r in refs
        ),
        corrected=bool(it["corrected"]),
    )


def person_page(store: Store, pid: int, now: datetime, tz: tzinfo) -> PersonPage:
    """Everything about one person: `bot.leads.people.show`, their replies with labels, referral pairs both
    ways, follow-ups sent, the draft, merges and merge suggestions."""
    d = people.show(store, pid)
    refs = db.referrals_by_reply(store, pid)
    titles = db.titles(store)
    replies = tuple(
        _reply(it, refs.get((it["platform"], it["platform_id"]), []), titles, tz)
        for it in d["interactions_list"]
    )
    identities = tuple(
        IdentityItem(
            who=(f"@{clean(i['handle'], limit=80)} on " if i["handle"] else "on ") + _platform(i["platform"]),
            name=clean(i["name"], limit=120),
            bio=clean(i["bio"], limit=600),
            href=profile_link(
                Author(pid, i["platform"], i["user_id"], i["handle"], i["name"], i["bio"], i["url"])
            ),
            seen=not str(i["user_id"]).startswith("handle:"),
        )
        for i in d["identities"]
    )
    referred_by = _referred_by(store, pid, titles)
    referred = _referred(store, d, titles)
    sent = tuple(
        SentItem(
            _platform(f.platform),
            _when(f.posted_at.isoformat(), tz),
            clean(f.text, limit=2000, one_line=False),
            safe_url(f.url),
        )
        for f in send.sent(store, pid)
    )
    unsent = db.unsent_confirmed(store, pid)
    pending = ""
    if unsent:
        pending = clean(unsent[-1]["text"], limit=2000, one_line=False)
    draft = _draft(store, pid, d["status"])
    merges = _merges(store, d, pid, tz)
    sug = suggest_merges(store, person=pid)
    sug_names = db.names(store, [s.b if s.a == pid else s.a for s in sug])
    suggestions = tuple(
        SuggestionItem(
            other := (s.b if s.a == pid else s.a),
            clean(sug_names.get(other), limit=80) or f"#{other}",
            clean(s.reason, limit=300),
        )
        for s in sug
    )
    due = d["next_follow_up"]
    return PersonPage(
        person_id=pid,
        name=clean(d["name"], limit=120) or "(no name)",
        status=clean(d["status"], limit=20),
        priority=clean(d["priority"], limit=20),
        why=clean(d["why"], limit=40),
        follow_up=_when(due, tz),
        follow_up_value=parse_iso(due).astimezone(tz).date().isoformat() if due else "",
        notes=tuple(clean(line, limit=2000) for line in str(d["notes"] or "").splitlines() if line.strip()),
        identities=identities,
        replies=replies,
        referred_by=referred_by,
        referred=referred,
        sent=sent,
        pending=pending,
        draft=draft,
        merges=merges,
        suggestions=suggestions,
    )


def _referred_by(store: Store, pid: int, titles: dict[str, str]) -> tuple[PairItem, ...]:
    """Who referred this person: one pair per referrer, where and under which queries, how many times."""
    by: dict[int, list[Any]] = {}
    for r in db.referrals_to(store, pid):
        by.setdefault(int(r["from_person_id"]), []).append(r)
    referred_by = tuple(
        PairItem(
            src,
            clean(rows[0]["from_name"], limit=80) or f"#{src}",
            ", ".join(
                dict.fromkeys(
                    f"on {_platform(r['platform'])}"
                    + (
                        f" under {clean(titles.get(r['query_id'], r['query_id']), limit=60)}"
                        if r["query_id"]
                        else ""
                    )
                    for r in rows
                )
            )
            + (f" ({len(rows)}×)" if len(rows) > 1 else ""),
        )
        for src, rows in by.items()
    )
    return referred_by


def _referred(store: Store, d: dict[str, Any], titles: dict[str, str]) -> tuple[PairItem, ...]:
    """Whom this person pointed to."""
    to_names = db.names(store, sorted({int(r["to_person_id"]) for r in d["referred"] if r["to_person_id"]}))
    referred = tuple(
        PairItem(
            int(r["to_person_id"]) if r["to_person_id"] else None,
            clean(to_names.get(int(r["to_person_id"])), limit=80) if r["to_person_id"] else "",
            _target(r["handle"], r["name"], r["target_platform"])
            + (
                f" under {clean(titles.get(r['query_id'], r['query_id']), limit=60)}" if r["query_id"] else ""
            ),
        )
        for r in d["referred"]
    )
    return referred


def _merges(store: Store, d: dict[str, Any], pid: int, tz: tzinfo) -> tuple[MergeItem, ...]:
    """The merge log of this person (undoable ones first-class)."""
    merge_names = db.names(
        store, sorted({int(m["kept"]) for m in d["merges"]} | {int(m["dropped"]) for m in d["merges"]})
    )
    merges = tuple(
        MergeItem(
            int(m["id"]),
            f"#{m['dropped']} {clean(merge_names.get(int(m['dropped'])), limit=60)} into #{m['kept']}"
            f" ({clean(m['evidence'], limit=120)}, {_when(m['at'], tz)}"
            + (f", undone {_when(m['undone_at'], tz)})" if m["undone_at"] else ")"),
            not m["undone_at"] and int(m["kept"]) == pid,
        )
        for m in d["merges"]
    )
    return merges


def _draft(store: Store, pid: int, status: str) -> DraftItem | None:
    if status == HIDDEN:
        return None
    try:
        d = followup.draft(send.person(store, pid))
    except followup.FollowUpError as e:
        return DraftItem("", "", "", False, clean(str(e), limit=300))
    where = "a reply to their post" if d.reply_to and not d.mention else "a reply in the referrer's thread"
    if d.reply_to is None:
        where = "a new post mentioning them"
    sendable = d.platform in REPLYABLE
    problem = "" if sendable else f"{_platform(d.platform)} has no API to reply to a comment: reply by hand"
    warning = clean(d.warning or "this tags someone who never wrote to us", limit=400) if d.mention else ""
    return DraftItem(
        clean(d.text, limit=2000, one_line=False), _platform(d.platform), where, sendable, problem, warning
    )
