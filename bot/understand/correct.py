"""What the owner taught the understanding (pure): a reply's corrected labels, and the referral targets they
confirmed, recognised by name in later replies.

A `Correction` is a reply's labels as the owner set them (`sqbot leads correct`, the review's person page): its
intent and exactly whom it refers to. `understand(..., correction=...)` keeps both, so re-running the rules
(`sqbot understand --reprocess`) never undoes it; offers and priority follow the corrected intent.

A confirmed target (`Referral` with a name) is looked for in other replies only where that is safe: a name of two
words or more (or an organisation's name of four letters or more), as whole words, not negated ("skip Jane Doe",
"unlike Jane Doe"), not the replier's own name, and never in spam or abuse (those stop before referrals).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.understand.model import Intent, Referral
from bot.understand.names import COMMON_NOT_NAME
from bot.understand.normalise import normalise_handle

INTENTS: tuple[Intent, ...] = (
    "referral",
    "offer",
    "resource",
    "answer",
    "question",
    "social",
    "critique",
    "spam",
    "abuse",
)
PLATFORMS = ("bluesky", "x", "substack")
_NEGATED = re.compile(
    r"(?:\bskip|\bavoid|\bignore|\bnot|\bunlike|\bexcept|\bblock|\bmute|\bsteer clear of|\bdon'?t "
    r"(?:follow|listen to|bother with|trust))\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_ORG_WORDS = re.compile(
    r"\b(?:institute|institut|foundation|society|fund|trust|council|association|academy|initiative|"
    r"collective|cent(?:re|er)|labs?|laboratory|network|alliance|consortium|museum|archives?|library|agency|"
    r"university|college|school|team|group|company|inc|ltd|gmbh)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Correction:
    """A reply's labels as the owner set them: the intent, and exactly whom the reply refers to."""

    intent: Intent
    referrals: tuple[Referral, ...]


def target_key(ref: Referral, reply_platform: str) -> str:
    """A referral's key within its reply, as the `referrals` table stores it (`target`): `platform:handle` for a
    handle, `name:<lower-case name>` otherwise."""
    handle = normalise_handle(ref.handle) if ref.handle else None
    if handle:
        return f"{ref.platform or reply_platform}:{handle}"
    return f"name:{(ref.name or '').lower()}"


def parse_target(text: str, reply_platform: str, *, name: str | None = None) -> Referral:
    """What the owner typed for a referral target: `@handle` (on the reply's platform), `platform:handle`, a
    profile address (`bsky.app/profile/h`, `x.com/h`), or a name (an organisation when it reads like one)."""
    t = " ".join(text.split())
    m = re.fullmatch(r"(?:https?://)?(?:www\.)?(bsky\.app/profile/|x\.com/|twitter\.com/)([\w.-]+)/?", t)
    if m:
        platform = "bluesky" if m.group(1).startswith("bsky") else "x"
        return Referral(normalise_handle(m.group(2)), name, platform, "person")
    m = re.fullmatch(r"(bluesky|x|substack):@?([\w.-]+)", t, re.IGNORECASE)
    if m:
        return Referral(normalise_handle(m.group(2)), name, m.group(1).lower(), "person")
    if t.startswith("@") and re.fullmatch(r"@[\w.-]+", t):
        return Referral(normalise_handle(t), name, reply_platform, "person")
    return Referral(None, t, None, "org" if _ORG_WORDS.search(t) else "person")


def correct_referrals(
    current: Sequence[Referral],
    reply_platform: str,
    *,
    add: Iterable[Referral] = (),
    remove: Iterable[Referral] = (),
) -> tuple[Referral, ...]:
    """`current` without the targets in `remove` (matched by handle, or by name either way), plus `add`."""
    gone = {target_key(r, reply_platform) for r in remove}
    gone_names = {(r.name or "").casefold() for r in remove if r.name}
    kept = [
        r
        for r in current
        if target_key(r, reply_platform) not in gone and (r.name or "").casefold() not in gone_names
    ]
    have = {target_key(r, reply_platform) for r in kept}
    for r in add:
        if target_key(r, reply_platform) not in have:
            kept.append(r)
            have.add(target_key(r, reply_platform))
    return tuple(kept)


def recognisable(known: Iterable[Referral]) -> tuple[Referral, ...]:
    """The confirmed targets safe to look for by name (see the module docstring), one per name."""
    out: dict[str, Referral] = {}
    for r in known:
        name = " ".join((r.name or "").split())
        words = name.split()
        if not words or any(w.lower() in COMMON_NOT_NAME for w in words if len(words) == 1):
            continue
        if len(words) >= 2 or (r.kind == "org" and len(name) >= 4):
            out.setdefault(name.casefold(), Referral(r.handle, name, r.platform, r.kind))
    return tuple(out.values())


def recognise(
    text: str, known: Sequence[Referral], found: Sequence[Referral], author_name: str
) -> list[Referral]:
    """The confirmed targets named in `text` that the rules did not find already."""
    have = {(r.name or "").casefold() for r in found} | {
        normalise_handle(r.handle) for r in found if r.handle
    }
    me = author_name.casefold().strip()
    out = []
    for r in known:
        name = r.name or ""
        if (
            name.casefold() in have
            or (r.handle and normalise_handle(r.handle) in have)
            or name.casefold() == me
        ):
            continue
        m = re.search(rf"(?<![\w@]){re.escape(name)}(?![\w-])", text, re.IGNORECASE)
        if m and not _NEGATED.search(text[: m.start()]):
            out.append(r)
            have.add(name.casefold())
    return out
