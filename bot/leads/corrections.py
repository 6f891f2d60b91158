"""The owner's corrections of a reply's labels (`sqbot leads correct`, the review's person page).

A correction sets a reply's intent and exactly whom it refers to; it is stored (`corrections`), applied at once
(the reply is relabelled like `sqbot understand --reprocess` does, so its referral pairs, the person's why and
priority and the digest follow), and given to every later run of the understanding, which keeps it. The targets
the owner confirmed are recognised by name in later replies (`analyser`). `export_rows` writes the corrections
in the corpus format (`/work/shared/corpus/README.md`). The SQL is in `bot/store/corrections.py`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from bot.errors import BotError
from bot.leads.reprocess import relabel
from bot.poll.fetch import Analyse, make_analyser
from bot.store import corrections as db
from bot.store.db import Store
from bot.understand.correct import (
    INTENTS,
    Correction,
    correct_referrals,
    parse_target,
    recognisable,
    target_key,
)
from bot.understand.model import Intent, Referral
from bot.understand.normalise import detect_language

Key = tuple[str, str]  # (platform, platform_id) of a reply


@dataclass(frozen=True)
class Corrected:
    platform: str
    platform_id: str
    person_id: int
    before: str | None  # the intent it had
    correction: Correction


def find_reply(store: Store, url: str) -> sqlite3.Row:
    """The stored reply at `url` (the address `sqbot leads show` prints under it)."""
    u = url.strip()
    rows = db.reply_by_url(store, u) if u else []
    if not rows:
        raise BotError(
            f"no stored reply has the address {u[:200]!r}; copy it from `sqbot leads show PERSON` (the line "
            "under the reply)"
        )
    return rows[0]


def reply(store: Store, platform: str, platform_id: str) -> sqlite3.Row:
    row = db.reply(store, platform, platform_id)
    if row is None:
        raise BotError(f"no stored reply {platform}:{platform_id[:80]}")
    return row


def correct(
    store: Store,
    r: sqlite3.Row,
    *,
    intent: str | None,
    refers: Sequence[str] = (),
    not_refers: Sequence[str] = (),
    owners: Collection[str] = (),
    now: datetime,
) -> Corrected:
    """Correct reply `r` (a `find_reply`/`reply` row): its intent (None: referral when it refers to someone
    after the change, else what it was) and whom it refers to (`refers` added, `not_refers` removed: each a
    handle, `platform:handle`, a profile address or a name). Stored, then applied at once."""
    platform = str(r["platform"])
    current = [
        Referral(x["handle"], x["name"], x["target_platform"], x["kind"])
        for x in db.referrals_of(store, platform, r["platform_id"])
    ]
    add = [_named(store, parse_target(t, platform)) for t in refers if t.strip()]
    remove = [parse_target(t, platform) for t in not_refers if t.strip()]
    for x in remove:
        if correct_referrals(current, platform, remove=[x]) == tuple(current):
            named = ", ".join(_said(y) for y in current) or "no one"
            raise BotError(f"this reply does not refer to {_said(x)} (it refers to {named})")
    refs = correct_referrals(current, platform, add=add, remove=remove)
    label = _intent(intent, refs, r["intent"])
    if label != "referral":
        if add:
            raise BotError(
                f"a reply that refers someone is a referral, not {label}: drop --intent or --refers"
            )
        refs = ()
    elif not refs:
        raise BotError("a referral names whom: add --refers HANDLE_OR_NAME (or give another --intent)")
    c = Correction(label, refs)
    with store.tx() as conn:
        db.save(conn, platform, r["platform_id"], label, [list(_row(x)) for x in refs], now)
        analyse = make_analyser(owners, known=confirmed(store), corrections={(platform, r["platform_id"]): c})
        relabel(store, conn, r, analyse, now)
    return Corrected(platform, r["platform_id"], int(r["person_id"]), r["intent"], c)


def _intent(given: str | None, refs: Sequence[Referral], before: str | None) -> Intent:
    if given is not None:
        if given not in INTENTS:
            raise BotError(f"unknown intent {given!r}; one of {', '.join(INTENTS)}")
        return given
    if refs:
        return "referral"
    if before and before != "referral" and before in INTENTS:
        return before
    raise BotError("it no longer refers to anyone: say what it is instead (--intent)")


def _named(store: Store, ref: Referral) -> Referral:
    """A handle target with the name of whoever holds it (so it can be recognised by name later)."""
    if ref.handle and not ref.name and ref.platform:
        return Referral(ref.handle, db.handle_name(store, ref.platform, ref.handle), ref.platform, ref.kind)
    return ref


def _said(ref: Referral) -> str:
    return f"{ref.platform}:{ref.handle}" if ref.handle else repr(ref.name)


def _row(ref: Referral) -> tuple[str | None, str | None, str | None, str]:
    return (ref.handle, ref.name, ref.platform, ref.kind)


def _ref(x: Sequence[Any]) -> Referral:
    return Referral(x[0], x[1], x[2], "org" if x[3] == "org" else "person")


# ------------------------------------------------------------------------------------------- reading them back
def corrections(store: Store) -> dict[Key, Correction]:
    """Every stored correction, by reply."""
    out: dict[Key, Correction] = {}
    for r in db.all_corrections(store):
        if r["intent"] in INTENTS:
            refs = tuple(_ref(x) for x in json.loads(r["referrals"]))
            out[(r["platform"], r["interaction_id"])] = Correction(cast(Intent, r["intent"]), refs)
    return out


def confirmed(store: Store, every: Mapping[Key, Correction] | None = None) -> tuple[Referral, ...]:
    """The referral targets the owner confirmed in a correction, as far as they are safe to find by name."""
    every = corrections(store) if every is None else every
    return recognisable(x for c in every.values() for x in c.referrals)


def analyser(store: Store, owners: Collection[str]) -> Analyse:
    """The understanding with what the owner taught it: every correction kept, confirmed names recognised."""
    every = corrections(store)
    return make_analyser(owners, known=confirmed(store, every), corrections=every)


def corrected(store: Store, keys: Sequence[Key]) -> set[Key]:
    """Which of these replies the owner corrected."""
    return db.corrected_ids(store, keys)


# ------------------------------------------------------------------------------------------- export
def export_rows(store: Store) -> list[dict[str, Any]]:
    """The corrections as labelled rows in the corpus format (ids c001, c002, ...: one letter, three digits)."""
    out = []
    for n, r in enumerate(db.for_export(store)):
        text = str(r["text"] or "")
        refs = [_export_ref(_ref(x), text, r["platform"]) for x in json.loads(r["c_referrals"])]
        intent = r["c_intent"]
        offers = intent == "offer" or (intent not in ("spam", "abuse") and bool(r["offers_contact"]))
        out.append(
            {
                "id": f"{chr(ord('c') + n // 1000)}{n % 1000 + 1:03d}",
                "platform": r["platform"],
                "query": r["query_text"] or r["query_title"] or "(a query post)",
                "author_handle": r["a_handle"] or "unknown",
                "author_name": r["a_name"] or r["a_handle"] or "unknown",
                "author_bio": r["a_bio"] or "",
                "text": text,
                "labels": {
                    "intent": intent,
                    "referrals": refs,
                    "offers_contact": offers,
                    "lead_priority": "none" if intent in ("spam", "abuse") else r["lead_priority"] or "low",
                    "language": r["language"] or detect_language(text) or "en",
                },
            }
        )
    return out


def _export_ref(ref: Referral, text: str, platform: str) -> dict[str, Any]:
    """A corpus referral: its handle only when the text has it (else the owner knew more than the text says:
    the name stays)."""
    key = target_key(ref, platform)
    visible = bool(ref.handle) and str(ref.handle).lower() in _plain(text)
    if visible:
        return {
            "handle": key.split(":", 1)[1],
            "name": ref.name,
            "platform": ref.platform or platform,
            "kind": ref.kind,
        }
    return {"handle": None, "name": ref.name or ref.handle, "platform": None, "kind": ref.kind}


def _plain(text: str) -> str:
    for z in "\u200b\u200c\u200d\u2060\ufeff":
        text = text.replace(z, "")
    return text.lower()
