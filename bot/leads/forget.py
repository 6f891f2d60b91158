"""Deletion on request: `forget` removes a person everywhere in the database (only salted one-way hashes of
their accounts stay, so a replay never files them again); `person_traces` and `scrub_digest_files` find and
delete the stored digests that show them. The SQL is in `bot/store/leads_forget.py`."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bot.errors import BotError
from bot.leads.people import person_row
from bot.store import corrections as corrections_db
from bot.store import leads_forget as db
from bot.store.db import Store


class ForgetRefused(BotError):
    """`forget` of a person with several accounts, without `all_accounts`."""

    def __init__(self, pid: int, accounts: Sequence[str], merges: Sequence[int]) -> None:
        self.pid, self.accounts, self.merges = pid, list(accounts), list(merges)
        undo = (
            "; to forget one account only, undo its merge first ("
            + ", ".join(f"sqbot leads unmerge {m}" for m in merges)
            + ")"
            if merges
            else ""
        )
        super().__init__(
            f"#{pid} is one person across {len(accounts)} accounts ({', '.join(accounts)}): nothing was deleted. "
            f"Pass --all-accounts to forget every one of them{undo}"
        )


def forget(store: Store, pid: int, now: datetime, *, all_accounts: bool = False) -> dict[str, int]:
    """Delete everything about a person (deletion on request): identities, their interactions, referrals from
    and to them, merges and what merges kept of them, and leads that exist only because they referred them.
    Only one-way hashes of their accounts stay, so a replay or `understand --reprocess` never re-files them.

    A person with more than one account (merged, by hand or on links) is forgotten only with `all_accounts`:
    the request may come from one account merged into someone else's (an impostor), and forgetting would
    delete and blacklist the real person too. Without it, a `ForgetRefused` names the accounts and merges."""
    person_row(store, pid)
    accounts = db.accounts_of(store, pid)
    if len(accounts) > 1 and not all_accounts:
        raise ForgetRefused(pid, accounts, [int(m) for m in db.live_merges_into(store, pid)])
    db.secure_delete(store)  # freed pages are zeroed, not left holding their words
    with store.tx() as c:
        ids = {pid}
        frontier = [pid]
        while frontier:  # people merged into them (kept as snapshots for undo) are them too
            frontier = [x for x in db.dropped_into(c, frontier) if x not in ids]
            ids.update(frontier)
        pids = sorted(ids)
        idents = db.identities_of(c, pids)
        db.remember_forgotten(c, idents, now)
        _forget_traces(c, idents, pids)
        masked = _mask_in_others_texts(c, idents, db.names_in(c, pids), pids)
        targets = [t for t in db.referral_targets(c, pids) if t not in ids]
        deleted = db.delete_people(c, pids)
        counts = {
            "referrals": deleted["referrals"],
            "interactions": deleted["interactions"],
            "identities": len(idents),
            "merges": deleted["merges"],
            "people": deleted["people"],
            "orphan_leads": db.drop_orphan_leads(c, targets),
            "masked": masked,
        }
    db.checkpoint(store)  # and the old page versions leave the WAL
    return counts


def _forget_traces(c: sqlite3.Connection, idents: Sequence[sqlite3.Row], pids: Sequence[int]) -> None:
    """What other rows keep of them: their account ids and interaction ids in `person_moves` (the undo log of
        merges), their accounts in other people's `interactions.mentions`, and the owner's corrections of their
    replies or naming them."""
    accounts = {(str(i["platform"]), str(i["user_id"])) for i in idents}
    handles = {(str(i["platform"]), str(i["handle"]).lower()) for i in idents if i["handle"]}
    ids = {a[1] for a in accounts} | {h[1] for h in handles}
    ids |= db.interaction_ids(c, pids)
    corrections_db.forget(c, pids, handles)
    db.delete_moves_naming(c, ids)
    for r in db.others_mentions(c, pids):
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
            db.set_mentions(c, r["platform"], r["platform_id"], kept)


MASK = "[forgotten]"


def _mask_in_others_texts(
    c: sqlite3.Connection, idents: Sequence[sqlite3.Row], names: Sequence[str | None], pids: Sequence[int]
) -> int:
    """Replace their handles (with or without '@') and names (3 characters or more) in what other people
    wrote with MASK, and drop name-only referrals naming them; returns how many texts changed."""
    words = {str(i["handle"]).lower().lstrip("@") for i in idents if i["handle"]}
    words |= {
        " ".join(str(n).split()) for n in (*names, *(i["name"] for i in idents)) if n and len(n.strip()) >= 3
    }
    words.discard("")
    if not words:
        return 0
    ordered = sorted(words, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w.@])@?(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + r")(?![\w@])",
        re.IGNORECASE,
    )
    changed = 0
    for r in db.others_texts_naming(c, pids, ordered):
        text = str(r["text"] or "")
        masked = pattern.sub(MASK, text)
        if masked != text:
            db.set_text(c, r["platform"], r["platform_id"], masked)
            changed += 1
    db.delete_name_referrals(c, [w.lower() for w in ordered])
    return changed


def person_traces(store: Store, pid: int) -> list[str]:
    """What identifies a person in a rendered digest: their name, handles, account ids and the start of each
    thing they wrote (merged-in people included). Read before `forget`."""
    ids = [pid, *db.merged_in(store, pid)]
    out: set[str] = set()
    for name in db.names(store, ids):
        if name and len(name.strip()) >= 3:
            out.add(name.strip())
    for r in db.identity_names(store, ids):
        if r["handle"]:
            out.add(str(r["handle"]).lstrip("@"))
        if r["name"] and len(r["name"].strip()) >= 3:
            out.add(r["name"].strip())
        if r["user_id"] and not str(r["user_id"]).startswith("handle:"):
            out.add(str(r["user_id"]))
    for text in db.texts(store, ids):
        words = " ".join(str(text or "").split())
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
