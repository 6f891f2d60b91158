"""Follow-ups: what to write to a person, and where. PURE: data in, a draft out; no store, no network, no clock.

`draft(person)` picks where to answer and writes a short, polite message:

* someone who offered to talk (or to send something): take up the offer, in a reply to that offer;
* someone referred who has not spoken: a mention ("Hi @ivan, Maya Okafor suggested you're the person to ask
  about …") in a reply to the referring post when the referral was made on the same platform, otherwise a
  stand-alone post on the platform of their handle;
* anyone else who answered: thank them and ask whether they would say more, in a reply to their best reply.

Names and titles are attacker-controlled or long: a name goes into a draft only when it looks like a name
(letters, spaces, dots, hyphens, apostrophes), a handle only when it matches its platform's handle syntax, and
the query title is shortened until the text fits the platform's length rules (its `bot.platforms.specs` spec).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from bot.errors import BotError, ConfigError
from bot.models import HIDDEN
from bot.platforms.base import PlatformSpec
from bot.platforms.specs import PLATFORMS, REPLYABLE, order, spec_for
from bot.safety.text import BIDI_CONTROLS

SPAMMY = ("spam", "abuse")


class FollowUpError(BotError):
    """No follow-up can be written or sent (do-not-contact, nowhere to answer, too long)."""


@dataclass(frozen=True)
class Said:
    """One thing the person said (an interaction), as stored."""

    platform: str
    platform_id: str
    query_id: str | None
    text: str
    created_at: datetime
    intent: str | None = None
    lead_priority: str | None = None
    offers_contact: bool = False
    url: str | None = None
    in_our_thread: bool = True  # under one of our posts (a mention in someone else's conversation is not)


@dataclass(frozen=True)
class Referred:
    """Someone pointed to this person."""

    from_name: str | None
    platform: str  # where the referral was said
    interaction_id: str  # the referring post
    query_id: str | None
    handle: str | None  # the handle it named (on target_platform)
    target_platform: str | None
    created_at: datetime
    in_our_thread: bool = True  # the referring post is under one of our posts


@dataclass(frozen=True)
class Person:
    person_id: int
    name: str | None
    status: str
    said: tuple[Said, ...] = ()
    referred: tuple[Referred, ...] = ()
    titles: tuple[tuple[str, str], ...] = ()  # (query id, title) of the queries involved


@dataclass(frozen=True)
class Draft:
    person_id: int
    platform: str
    query_id: str | None
    text: str
    reply_to: str | None  # the post we answer (platform id); None = a stand-alone post
    mention: str | None  # the handle the text mentions (a referred person who has not spoken)
    why: str  # "offer", "referred", "answer"
    warning: str | None = None  # shown with the draft; a mention is sent only when the owner confirms it


_PRIORITY = {"high": 0, "medium": 1, "low": 2}
_NAME_OK = re.compile(r"[^\W\d_][\w .'’-]{0,60}", re.UNICODE)


def is_offer(s: Said) -> bool:
    return bool(s.offers_contact) or s.intent in ("offer", "offers_contact", "offer_to_talk")


def best(said: tuple[Said, ...] | list[Said]) -> Said | None:
    """Their most useful reply: offers first, then referrals, then by priority, newest, Bluesky before X."""
    useful = [s for s in said if s.intent not in SPAMMY]
    if not useful:
        return None

    def key(s: Said) -> tuple[int, int, int, float, int, str]:
        return (
            0 if is_offer(s) else 1,
            0 if s.intent == "referral" else 1,
            _PRIORITY.get(s.lead_priority or "", 3),
            -s.created_at.timestamp(),
            order(s.platform),
            s.platform_id,
        )

    return min(useful, key=key)


def plain(text: str | None, limit: int = 60) -> str:
    """Attacker text fit to repeat in our own post: one line, no control/bidi characters, capped."""
    out = "".join(
        " " if ch in "\n\r\t" else ch
        for ch in (text or "")
        if ch not in BIDI_CONTROLS and unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    out = re.sub(r"\s+", " ", out).strip()
    return out if len(out) <= limit else out[: limit - 1].rstrip() + "…"


def safe_name(name: str | None) -> str | None:
    """A display name only when it reads as a name (no markup, links, mentions or digits first)."""
    n = plain(name, 60)
    if not n or not _NAME_OK.fullmatch(n) or re.search(r"\.\w", n):  # "evil.com" would be auto-linked
        return None
    return n


def _spec(platform: str) -> PlatformSpec:
    try:
        return spec_for(platform)
    except ConfigError as e:
        raise FollowUpError(f"no follow-up on {platform!r}: {e}") from None


def safe_handle(platform: str, handle: str | None) -> str | None:
    """The handle without '@' when it has `platform`'s handle shape (None for an unknown platform)."""
    return spec_for(platform).handle_of(handle) if platform in PLATFORMS else None


def fits(text: str, platform: str) -> bool:
    """Does `text` fit one post on `platform` (its spec: X weighted length, Bluesky graphemes and bytes)?"""
    return _spec(platform).fits(text)


def length_problem(text: str, platform: str) -> str | None:
    """Why `text` cannot be one post on `platform`, or None."""
    if not text.strip():
        return "the follow-up text is empty"
    spec = _spec(platform)
    over = spec.over_limit(text)
    if over is None:
        return None
    unit, size, limit = over
    if unit == "bytes":
        return f"the follow-up is {size} bytes ({spec.label} takes {limit}): shorten it"
    if spec.weighted:
        return f"the follow-up is {size} characters as {spec.label} counts them (limit {limit}): shorten it"
    return f"the follow-up is {size} characters ({spec.label} takes {limit}): shorten it"


def _topic(title: str, limit: int) -> str:
    t = plain(title, 400).rstrip("?.! ")
    if len(t) > limit:
        t = t[: max(1, limit - 1)].rstrip() + "…"
    return f"“{t}”"


class _Maker:
    def __init__(self, pattern: str, **values: str) -> None:
        self.pattern, self.values = pattern, values

    def __call__(self, topic: str) -> str:
        return self.pattern.format(topic=topic, **self.values)


def _fit(make: _Maker, title: str, platform: str) -> str:
    """The message with the title shortened until it fits (without the title as a last resort)."""
    for limit in (200, 140, 100, 70, 45, 25):
        text = make(_topic(title, limit))
        if fits(text, platform):
            return text
    return make("your reply")


def _title(p: Person, query_id: str | None) -> str:
    titles = dict(p.titles)
    return titles.get(query_id or "", "") or (query_id or "") or "your work"


def draft(p: Person, *, platform: str | None = None) -> Draft:
    """The follow-up for `p` (optionally on one platform). Raises FollowUpError when none can be made."""
    if p.status == HIDDEN:
        raise FollowUpError(f"#{p.person_id} is do-not-contact: sqbot never writes to them")
    said = [s for s in p.said if platform is None or s.platform == platform]
    # follow-ups go only under our own posts: never into a conversation someone else started
    pick = best([s for s in said if s.platform in REPLYABLE and s.in_our_thread]) or best(
        [s for s in said if s.platform not in REPLYABLE]
    )
    if pick is not None:
        return _answer(p, pick)
    to_referred = _to_referred(p, platform)
    if to_referred is not None:
        return to_referred
    if said and all(s.intent in SPAMMY for s in said):
        raise FollowUpError(f"#{p.person_id} only sent spam or abuse: no follow-up")
    outside = next((s for s in said if not s.in_our_thread and s.intent not in SPAMMY), None)
    if outside is not None:
        where = f" ({outside.url})" if outside.url else ""
        raise FollowUpError(
            f"#{p.person_id} wrote to us only inside someone else's conversation{where}: sqbot follows up only "
            "under its own posts; answer there by hand if you mean to, then "
            f"`sqbot leads set-status {p.person_id} contacted`"
        )
    where = f" on {platform}" if platform else ""
    raise FollowUpError(
        f"#{p.person_id} has no reply or handle sqbot can answer{where} (Substack comments and name-only "
        "referrals cannot be answered from here): contact them by hand, then `sqbot leads set-status "
        f"{p.person_id} contacted`"
    )


def _answer(p: Person, pick: Said) -> Draft:
    """A reply to what they said: take up an offer (naming who referred them, if anyone), else thank them and
    ask for more."""
    first = (safe_name(p.name) or "").split(" ")[0]
    referrer = next(
        (n for r in sorted(p.referred, key=lambda r: r.created_at) if (n := safe_name(r.from_name))), None
    )
    title = _title(p, pick.query_id)
    hello = f"Thank you, {first}!" if first else "Thank you!"
    via = f" {referrer} said you're the person to ask, so" if referrer else ""
    if is_offer(pick):
        make = _Maker(
            "{hello}{via} I'd love to take you up on that. Could we find 20 minutes to talk about {topic}? "
            "What suits you?",
            hello=hello,
            via=via,
        )
        why = "offer"
    else:
        make = _Maker(
            "{hello} This is really helpful. Could I ask you a few more questions about {topic}?",
            hello=hello,
        )
        why = "answer"
    return Draft(
        p.person_id,
        pick.platform,
        pick.query_id,
        _fit(make, title, pick.platform),
        pick.platform_id,
        None,
        why,
    )


def _to_referred(p: Person, platform: str | None) -> Draft | None:
    """A mention of someone referred who has not spoken, from the first referral to a handle sqbot can answer
    (on `platform` if given): in a reply to the referring post when on the same platform; None if none."""
    for r in sorted(p.referred, key=lambda r: (r.created_at, r.platform, r.interaction_id)):
        target = r.target_platform or r.platform
        if platform is not None and target != platform:
            continue
        handle = safe_handle(target, r.handle)
        if handle is None or target not in REPLYABLE:
            continue
        who = safe_name(r.from_name) or "Someone"
        make = _Maker(
            "Hi @{handle}, {who} suggested you're the person to ask about {topic}. Would you be up for a short chat?",
            handle=handle,
            who=who,
        )
        text = _fit(make, _title(p, r.query_id), target)
        # in the referrer's thread only when that thread is ours; else a post of our own
        reply_to = r.interaction_id if r.platform == target and r.in_our_thread else None
        asked = plain(r.from_name, 60) or "someone"
        warning = (
            f"@{handle} has never written to us: only {asked} (on {r.platform}) suggested them. This tags a "
            "stranger on someone else's word; send it only if you mean to, with --confirm-mention"
        )
        return Draft(p.person_id, target, r.query_id, text, reply_to, handle, "referred", warning)
    return None
