"""What the digest is made of: the rows `bot.digest.collect` reads (input), the views `bot.digest.build` makes of
them (output) and the rendered message (`bot.digest.render`). Frozen dataclasses, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


# ---------------------------------------------------------------------------------------------- input
@dataclass(frozen=True)
class Author:
    """One platform identity as stored (every text field attacker-controlled)."""

    person_id: int
    platform: str
    user_id: str
    handle: str | None = None
    name: str | None = None
    bio: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class PostRow:
    platform: str
    index: int
    platform_id: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class QueryRow:
    """A query and its yield so far (up to the window's end)."""

    id: str
    title: str | None
    platforms: tuple[str, ...]
    posts: tuple[PostRow, ...] = ()
    replies_total: int = 0
    people_total: int = 0
    referrals_total: int = 0
    offers_total: int = 0


@dataclass(frozen=True)
class ReplyRow:
    platform: str
    platform_id: str
    kind: str
    query_id: str | None
    text: str
    created_at: datetime
    author: Author
    url: str | None = None
    intent: str | None = None
    lead_priority: str | None = None
    offers_contact: bool | None = None
    refers: tuple[str, ...] = ()  # who this reply points to ("@bob", "Jane Doe")


@dataclass(frozen=True)
class Contacted:
    """A follow-up we posted to a person (`sqbot leads reply`)."""

    platform: str
    at: datetime
    url: str | None = None


@dataclass(frozen=True)
class PersonRow:
    person_id: int
    name: str | None
    status: str
    identities: tuple[Author, ...] = ()
    next_follow_up: datetime | None = None
    referred_by: tuple[str, ...] = ()
    # (referrer's name, how many times they referred this person): one entry per referrer
    referred_by_counts: tuple[tuple[str, int], ...] = ()
    answered: bool = True  # said something, ever (a referred person who has not is "not in touch yet")
    contacted: tuple[Contacted, ...] = ()
    draft: str | None = None  # `bot.leads.followup.draft`, when one can be made
    draft_platform: str | None = None


@dataclass(frozen=True)
class ReferralRow:
    """One (referrer, referred) pair, with how many times it was said."""

    platform: str
    from_name: str | None
    target: str  # the referred person's name, "@handle" or a name
    target_platform: str | None = None
    known: bool = False  # the target is already a person in the database
    count: int = 1
    from_person_id: int | None = None
    to_person_id: int | None = None


@dataclass(frozen=True)
class AttentionRow:
    platform: str
    what: str  # "login", "budget", "needs_review", "failed", ...
    detail: str = ""


@dataclass(frozen=True)
class DigestInput:
    since: datetime
    until: datetime
    queries: tuple[QueryRow, ...] = ()
    replies: tuple[ReplyRow, ...] = ()
    new_people: tuple[PersonRow, ...] = ()
    follow_ups: tuple[PersonRow, ...] = ()
    referrals: tuple[ReferralRow, ...] = ()
    attention: tuple[AttentionRow, ...] = ()
    # people to contact: who answered or was referred in the window, or has a follow-up due, in the one lead
    # order (`bot.leads.ranking`); `leads_total` of them in all, the first ones read in full
    leads: tuple[PersonRow, ...] = ()
    leads_total: int = 0


@dataclass(frozen=True)
class Caps:
    replies_per_query: int = 8
    people: int = 15
    follow_ups: int = 15
    referrals: int = 15
    attention: int = 20
    text_chars: int = 700
    bio_chars: int = 160
    name_chars: int = 80
    quote_chars: int = 400
    links_per_person: int = 12


# ---------------------------------------------------------------------------------------------- output
@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class ReplyView:
    person: str
    who: str  # "@bob on Bluesky"
    bio: str
    text: str
    when: str
    reply_href: str | None
    profile_href: str | None
    flags: tuple[str, ...] = ()  # "refers @x", "offers to talk"
    links: tuple[Link, ...] = ()  # every copy of this reply (the same words on several platforms)
    also: str = ""  # "also under: <other query titles>"


@dataclass(frozen=True)
class QueryView:
    title: str
    query_id: str
    platforms: str
    posts: tuple[Link, ...]
    replies: tuple[ReplyView, ...]
    more: int
    count: int = 0  # replies in this window (spam and abuse left out)


@dataclass(frozen=True)
class PersonView:
    name: str
    who: str
    bio: str
    profile_href: str | None
    detail: str


@dataclass(frozen=True)
class LeadView:
    """One person to contact, once, across platforms and queries."""

    person_id: int
    name: str
    why: str  # "offers to talk · referred by Maya Okafor (2×)"
    flag: str  # "not in touch yet, referred by Maya Okafor" or ""
    bio: str
    quote: str  # their best reply
    quote_meta: str  # "on Bluesky · Tue 01 Dec 09:05 · Who works on …"
    replies: tuple[Link, ...]  # each of their replies on its platform
    replies_more: int
    handles: tuple[Link, ...]  # profile links, labelled "@maya on Bluesky"
    handles_text: str  # the same, as text (handles without a safe profile link included)
    status: str  # "new · follow-up due Thu 03 Dec · contacted on Bluesky Tue 02 Dec"
    contacted_href: str | None
    draft: str
    draft_platform: str
    command: str  # "sqbot leads reply 2 --draft"
    review_href: str | None = None  # their page in `sqbot review` (SQBOT_REVIEW_URL), never with a token


@dataclass(frozen=True)
class YieldView:
    title: str
    replies: int
    people: int
    referrals: int
    offers: int = 0


@dataclass(frozen=True)
class Counts:
    replies: int
    people: int
    referrals: int


@dataclass(frozen=True)
class ContactList:
    """The digest's headline and its "People to contact" (`bot.digest.build.contact_list`)."""

    headline: str
    leads: tuple[LeadView, ...]
    leads_more: int


@dataclass(frozen=True)
class Digest:
    subject: str
    headline: str
    counts: Counts
    since: datetime
    until: datetime
    queries: tuple[QueryView, ...] = ()
    new_people: tuple[PersonView, ...] = ()
    people_more: int = 0
    follow_ups: tuple[PersonView, ...] = ()
    follow_ups_more: int = 0
    referrals: tuple[str, ...] = ()
    referrals_more: int = 0
    attention: tuple[str, ...] = ()
    attention_more: int = 0
    yields: tuple[YieldView, ...] = ()
    empty: bool = field(default=True)
    leads: tuple[LeadView, ...] = ()
    leads_more: int = 0
    named: tuple[str, ...] = ()  # referrals to a name only (no handle, so no person to contact yet)
    spam: str = ""  # one line: how many spam/abuse replies were left out


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
