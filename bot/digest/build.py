"""The digest email, built and rendered. PURE: data in, text out; no store, no network, no clock.

`build(data, now=..., tz=..., caps=...)` turns what `bot.digest.collect.collect` read into a `Digest` (what to say,
in order, capped); `render(digest)` turns that into subject + plain text + HTML (Jinja2, autoescape ON, CSS
inlined); `to_message(...)` wraps it into a multipart/alternative email.

Safety: reply text, names, bios and handles are attacker-controlled. They are cleaned of control and bidi
characters here, escaped by Jinja2 in the HTML, and "defanged" so mail clients do not turn a domain in a reply
into a link. The only clickable links are the ones `build` makes itself from platform ids (permalinks,
profiles) or stored URLs that pass `safe_url` (http/https on a known host).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from bot.leads.followup import SPAMMY, Said, best, is_offer
from bot.platforms.specs import HOSTS, LABELS, REPLYABLE, SPECS, order
from bot.safety.text import BIDI_CONTROLS

PLATFORM_NAMES = LABELS  # the platform specs' labels
KNOWN_HOSTS = HOSTS  # the platform specs' hosts (and subdomains)
_FLAG_INTENTS = ("referral", "offer", "offers_contact", "offer_to_talk")


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
    # people to contact: who answered or was referred in the window, or has a follow-up due (strongest first,
    # at most `leads_total` of them read in full)
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


# ---------------------------------------------------------------------------------------------- cleaning
def clean(text: str | None, *, limit: int | None = None, one_line: bool = True) -> str:
    """Attacker text made inert for display: no control or bidi characters, optionally one line, capped."""
    if not text:
        return ""
    out = []
    for ch in text:
        if ch in "\n\t\r":
            out.append(" " if one_line or ch != "\n" else "\n")
        elif ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(ch)
    s = "".join(out)
    s = re.sub(r"[ \u00a0]{2,}", " ", s) if one_line else re.sub(r"\n{3,}", "\n\n", s)
    s = s.strip()
    if limit is not None and len(s) > limit:
        s = s[: max(0, limit - 1)].rstrip() + "…"
    return s


def header_value(text: str) -> str:
    """A header value on one line, without control characters."""
    return clean(text, limit=300)


def safe_url(url: str | None) -> str | None:
    """`url` if it is an http(s) link to a known host without credentials or odd characters, else None."""
    if not url or len(url) > 2000 or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in url):
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.username is not None or parts.password is not None:
        return None
    if not any(host == h or host.endswith("." + h) for h in KNOWN_HOSTS):
        return None
    return url


def permalink(platform: str, platform_id: str | None, stored: str | None = None) -> str | None:
    """A link to a post, built from its platform id by its spec (or the stored URL when it is safe)."""
    spec = SPECS.get(platform)
    if spec is None:
        return None
    return (spec.permalink(platform_id) if platform_id else None) or safe_url(stored)


def profile_link(a: Author) -> str | None:
    """A link to an account, built from its handle or id by its spec (or the stored URL when it is safe)."""
    spec = SPECS.get(a.platform)
    return spec.profile_link(a.handle, a.user_id, safe_url(a.url)) if spec is not None else None


# Things a mail client would turn into a link: URLs, e-mail addresses, bare domains ("evil.com").
_LINKY = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*://\S*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:[\w-]+\.)+[A-Za-z]{2,}\b|www\.\S*",
    re.UNICODE,
)


def _defang_html(escaped: str) -> str:
    """Split link-like tokens with empty spans: they read the same but no client auto-links them."""

    def fix(m: re.Match[str]) -> str:
        tok = m.group(0).replace("://", ":<span>//</span>").replace("@", "<span>@</span>")
        return re.sub(r"\.(?=[\w])", "<span>.</span>", tok)

    return _LINKY.sub(fix, escaped)


def _defang_text(text: str) -> str:
    """Plain-text defang: `evil[.]com`, `hxxps[:]//`, so plain-text clients do not auto-link."""

    def fix(m: re.Match[str]) -> str:
        tok = m.group(0).replace("://", "[:]//")
        tok = re.sub(r"^http", "hxxp", tok, flags=re.IGNORECASE)
        return re.sub(r"\.(?=[\w])", "[.]", tok)

    return _LINKY.sub(fix, text)


def nolink(value: object) -> Markup:
    """Jinja2 filter (HTML): escape, then defang link-like tokens."""
    return Markup(_defang_html(str(escape(value))))  # noqa: S704 - escaped just above


# ---------------------------------------------------------------------------------------------- build
def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _since_label(since: datetime, until: datetime, tz: tzinfo) -> str:
    s = since.astimezone(tz)
    if until - since < timedelta(days=6):
        return s.strftime("%a %H:%M")
    return s.strftime("%a %d %b %H:%M")


def _when(dt: datetime, tz: tzinfo) -> str:
    return dt.astimezone(tz).strftime("%a %d %b %H:%M")


def _day(dt: datetime, tz: tzinfo) -> str:
    return dt.astimezone(tz).strftime("%a %d %b")


def _who(a: Author) -> str:
    platform = PLATFORM_NAMES.get(a.platform, clean(a.platform, limit=20))
    handle = clean(a.handle, limit=80)
    return f"@{handle} on {platform}" if handle else f"on {platform}"


def _person_name(name: str | None, a: Author | None, caps: Caps) -> str:
    best = name or (a.name if a else None) or (a.handle if a else None) or "(no name)"
    return clean(best, limit=caps.name_chars) or "(no name)"


def _flags(r: ReplyRow) -> tuple[str, ...]:
    flags = []
    if r.refers:
        flags.append("refers " + ", ".join(clean(x, limit=60) for x in r.refers[:3]))
    elif r.intent in ("referral",):
        flags.append("refers someone")
    if r.offers_contact or r.intent in ("offer", "offers_contact", "offer_to_talk"):
        flags.append("offers to talk")
    if r.lead_priority in ("high",):
        flags.append("high priority")
    return tuple(flags)


def _reply_view(r: ReplyRow, tz: tzinfo, caps: Caps) -> ReplyView:
    return ReplyView(
        person=_person_name(r.author.name, r.author, caps),
        who=_who(r.author),
        bio=clean(r.author.bio, limit=caps.bio_chars),
        text=clean(r.text, limit=caps.text_chars, one_line=False),
        when=_when(r.created_at, tz),
        reply_href=permalink(r.platform, r.platform_id, r.url),
        profile_href=profile_link(r.author),
        flags=_flags(r),
    )


def _person_view(p: PersonRow, detail: str, caps: Caps) -> PersonView:
    a = p.identities[0] if p.identities else None
    others = ", ".join(_who(x) for x in p.identities)
    return PersonView(
        name=_person_name(p.name, a, caps),
        who=others,
        bio=clean(a.bio if a else None, limit=caps.bio_chars),
        profile_href=profile_link(a) if a else None,
        detail=detail,
    )


def _is_flagged(r: ReplyRow) -> bool:
    return bool(r.refers) or bool(r.offers_contact) or r.intent in _FLAG_INTENTS


def _is_spam(r: ReplyRow) -> bool:
    return r.intent in SPAMMY


def _said(r: ReplyRow) -> Said:
    return Said(
        platform=r.platform,
        platform_id=r.platform_id,
        query_id=r.query_id,
        text=r.text,
        created_at=r.created_at,
        intent=r.intent,
        lead_priority=r.lead_priority,
        offers_contact=bool(r.offers_contact),
        url=r.url,
    )


def _times(n: int) -> str:
    return f" ({n}×)" if n > 1 else ""


def _platform(name: str | None) -> str:
    return PLATFORM_NAMES.get(name or "", clean(name, limit=20))


def _reply_links(rows: list[ReplyRow], limit: int) -> tuple[tuple[Link, ...], int]:
    """A link to each reply on its platform, labelled by platform (numbered when there are several)."""
    hrefs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for r in sorted(rows, key=lambda r: (_order(r.platform), r.created_at, r.platform_id)):
        href = permalink(r.platform, r.platform_id, r.url)
        if href and href not in seen:
            seen.add(href)
            hrefs.append((r.platform, href))
    per: dict[str, int] = {}
    total: dict[str, int] = {}
    for platform, _ in hrefs:
        total[platform] = total.get(platform, 0) + 1
    links = []
    for platform, href in hrefs[:limit]:
        per[platform] = per.get(platform, 0) + 1
        label = _platform(platform) + (f" {per[platform]}" if total[platform] > 1 else "")
        links.append(Link(label, href))
    return tuple(links), len(hrefs) - len(links)


def _order(platform: str) -> int:
    return order(platform)


def _lead_rank(p: PersonRow, rows: list[ReplyRow], refers: int) -> tuple[int, float, int]:
    offers = any(is_offer(_said(r)) for r in rows)
    last = max((r.created_at.timestamp() for r in rows), default=0.0)
    if offers:
        rank = 0
    elif p.referred_by_counts or p.referred_by:
        rank = 1
    elif refers:
        rank = 2
    elif any(r.lead_priority in ("high", "medium") for r in rows):
        rank = 3
    else:
        rank = 4
    return rank, -last, p.person_id


def _lead_view(
    p: PersonRow,
    rows: list[ReplyRow],
    refers: list[ReferralRow],
    titles: dict[str, str],
    tz: tzinfo,
    now: datetime,
    caps: Caps,
) -> LeadView:
    a = next((i for i in p.identities if not i.user_id.startswith("handle:")), None) or (
        p.identities[0] if p.identities else None
    )
    name = _person_name(p.name, a, caps)
    saids = [_said(r) for r in rows]
    why: list[str] = []
    if any(is_offer(s) for s in saids):
        why.append("offers to talk")
    counts = p.referred_by_counts or tuple((n, 1) for n in p.referred_by)
    if counts:
        why.append(
            "referred by "
            + ", ".join(f"{_person_name(n, None, caps)}{_times(c)}" for n, c in counts[:3])
            + (f" and {len(counts) - 3} more" if len(counts) > 3 else "")
        )
    if refers:
        why.append(
            "points to "
            + ", ".join(f"{clean(r.target, limit=60)}{_times(r.count)}" for r in refers[:3])
            + (f" and {len(refers) - 3} more" if len(refers) > 3 else "")
        )
    if any(s.intent == "answer" and s.lead_priority in ("high", "medium") for s in saids):
        why.append("expert answer")
    if not why and rows:
        why.append("replied")
    if p.next_follow_up and p.next_follow_up <= now:
        why.append(f"follow-up due {_day(p.next_follow_up, tz)}")
    flag = ""
    if not p.answered and not p.contacted and counts:
        flag = "not in touch yet, referred by " + ", ".join(
            _person_name(n, None, caps) for n, _c in counts[:3]
        )
    top = best(saids)
    quote, meta = "", ""
    if top is not None:
        quote = clean(top.text, limit=caps.quote_chars, one_line=False)
        meta = f"on {_platform(top.platform)} · {_when(top.created_at, tz)}"
        if top.query_id and top.query_id in titles:
            meta += f" · {titles[top.query_id]}"
    links, more = _reply_links(rows, caps.links_per_person)
    handles = tuple(Link(_who(i), href) for i in p.identities if (href := profile_link(i)) and i.handle)
    status = [clean(p.status, limit=20)]
    if p.next_follow_up:
        status.append(f"follow-up {_day(p.next_follow_up, tz)}")
    contacted_href = None
    if p.contacted:
        last = max(p.contacted, key=lambda c: c.at)
        status.append(f"contacted on {_platform(last.platform)} {_day(last.at, tz)}")
        contacted_href = safe_url(last.url)
    draft = "" if p.contacted or p.status in ("do-not-contact", "done") else clean(p.draft, limit=600)
    return LeadView(
        person_id=p.person_id,
        name=name,
        why=" · ".join(why),
        flag=flag,
        bio=clean(a.bio if a else None, limit=caps.bio_chars),
        quote=quote,
        quote_meta=meta,
        replies=links,
        replies_more=more,
        handles=handles,
        handles_text=", ".join(_who(i) for i in p.identities),
        status=" · ".join(status),
        contacted_href=contacted_href,
        draft=draft,
        draft_platform=_platform(p.draft_platform) if draft and p.draft_platform else "",
        command=(
            f"sqbot leads reply {p.person_id} --draft"
            if draft and p.draft_platform in REPLYABLE
            else "reply by hand"
            if draft
            else ""
        ),
    )


def _grouped_replies(
    data: DigestInput, good: list[ReplyRow], titles: dict[str, QueryRow], tz: tzinfo, caps: Caps
) -> tuple[QueryView, ...]:
    """Replies by query, each distinct reply once: the same person's same words on several platforms (or under
    several queries) are one entry with a link to each copy, under the first query it answered."""
    order = [q.id for q in data.queries]
    key_of: dict[tuple[int, str], list[ReplyRow]] = {}
    for r in sorted(
        good,
        key=lambda r: (order.index(r.query_id) if r.query_id in titles else len(order), r.created_at),
    ):
        k = (r.author.person_id, " ".join(r.text.lower().split()))  # the same words, whatever the spacing
        key_of.setdefault(k, []).append(r)
    groups: dict[str | None, list[list[ReplyRow]]] = {}
    for copies in key_of.values():
        first = copies[0]
        groups.setdefault(first.query_id if first.query_id in titles else None, []).append(copies)
    views = []
    for qid in [q for q in order if q in groups] + ([None] if None in groups else []):
        entries = sorted(
            groups[qid],
            key=lambda cs: (not _is_flagged(cs[0]), -cs[0].created_at.timestamp(), cs[0].platform_id),
        )
        shown = entries[: caps.replies_per_query]
        q = titles.get(qid) if qid else None
        posts = tuple(
            Link(f"{PLATFORM_NAMES.get(p.platform, p.platform)} post {p.index + 1}", href)
            for p in (q.posts if q else ())
            if (href := permalink(p.platform, p.platform_id, p.url))
        )
        replies = []
        for copies in shown:
            v = _reply_view(copies[0], tz, caps)
            links, _more = _reply_links(copies, caps.links_per_person)
            others = sorted(
                {
                    clean(titles[c.query_id].title or c.query_id, limit=60)
                    for c in copies
                    if c.query_id in titles
                }
                - {clean(q.title or q.id, limit=60) if q else ""}
            )
            platforms = sorted({c.platform for c in copies}, key=_order)
            who = (
                _who(copies[0].author)
                if len(platforms) == 1
                else "on " + ", ".join(map(_platform, platforms))
            )
            replies.append(
                replace(v, who=who, links=links, also=("also under: " + "; ".join(others)) if others else "")
            )
        views.append(
            QueryView(
                title=clean(q.title or q.id, limit=120) if q else "Mentions and replies outside a query",
                query_id=clean(qid, limit=80) if qid else "",
                platforms=", ".join(PLATFORM_NAMES.get(p, p) for p in q.platforms) if q else "",
                posts=posts,
                replies=tuple(replies),
                more=len(entries) - len(shown),
                count=sum(len(cs) for cs in groups[qid]),
            )
        )
    return tuple(views)


def build(data: DigestInput, *, now: datetime, tz: tzinfo, caps: Caps | None = None) -> Digest:
    """What the digest says, in order: accounts needing attention; the people to contact, each once across
    platforms and queries (why, their best reply, a link to each reply, their handles, follow-up status, a
    draft follow-up); name-only referrals; each query's yield; the replies by query (each distinct reply once);
    one line counting the spam and abuse left out."""
    caps = caps or Caps()
    spam = [r for r in data.replies if _is_spam(r)]
    good = [r for r in data.replies if not _is_spam(r)]
    pairs = [r for r in data.referrals if r.count > 0]
    counts = Counts(len(data.replies), len(data.new_people), len(pairs))
    since = _since_label(data.since, data.until, tz)

    by_person: dict[int, list[ReplyRow]] = {}
    for r in good:
        by_person.setdefault(r.author.person_id, []).append(r)
    refers_of: dict[int, list[ReferralRow]] = {}
    for f in pairs:
        if f.from_person_id is not None:
            refers_of.setdefault(f.from_person_id, []).append(f)
    titles = {q.id: q for q in data.queries}
    title_text = {q.id: clean(q.title or q.id, limit=80) for q in data.queries}
    candidates = [
        p
        for p in data.leads
        if by_person.get(p.person_id)
        or p.referred_by_counts
        or p.referred_by
        or (p.next_follow_up is not None and p.next_follow_up <= now)
    ]
    candidates.sort(
        key=lambda p: _lead_rank(p, by_person.get(p.person_id, []), len(refers_of.get(p.person_id, [])))
    )
    shown_leads = candidates[: caps.people]
    leads = tuple(
        _lead_view(
            p, by_person.get(p.person_id, []), refers_of.get(p.person_id, []), title_text, tz, now, caps
        )
        for p in shown_leads
    )
    leads_more = len(candidates) - len(shown_leads) + max(0, data.leads_total - len(data.leads))

    headline = " · ".join(
        (
            _plural(len(candidates) + max(0, data.leads_total - len(data.leads)), "person", "people")
            + " to contact",
            _plural(counts.replies, "new reply", "new replies"),
            _plural(counts.people, "new person", "new people"),
            _plural(counts.referrals, "referral", "referrals"),
            f"since {since}",
        )
    )
    extra = []
    if data.follow_ups:
        extra.append(_plural(len(data.follow_ups), "follow-up due", "follow-ups due"))
    if data.attention:
        extra.append(_plural(len(data.attention), "thing needs you", "things need you"))
    subject = header_value("sqbot: " + " · ".join((headline, *extra)))

    new_people = tuple(
        _person_view(
            p,
            "referred by " + ", ".join(clean(x, limit=60) for x in p.referred_by) if p.referred_by else "",
            caps,
        )
        for p in data.new_people[: caps.people]
    )
    due = sorted(data.follow_ups, key=lambda p: (p.next_follow_up or data.until, p.person_id))
    follow_ups = tuple(
        _person_view(p, f"follow-up due {_day(p.next_follow_up, tz)}" if p.next_follow_up else "", caps)
        for p in due[: caps.follow_ups]
    )
    referrals = tuple(
        f"{_person_name(r.from_name, None, caps)} → {clean(r.target, limit=80)}"
        + (f" on {_platform(r.target_platform)}" if r.target_platform and not r.known else "")
        + _times(r.count)
        + (" (already a lead)" if r.known else "")
        for r in pairs[: caps.referrals]
    )
    named = tuple(
        f"{clean(r.target, limit=80)} — named by {_person_name(r.from_name, None, caps)}{_times(r.count)}"
        for r in pairs
        if r.to_person_id is None
    )[: caps.referrals]
    attention = tuple(
        f"{_platform(a.platform)}: {clean(a.what, limit=40)}"
        + (f" — {clean(a.detail, limit=200)}" if a.detail else "")
        for a in data.attention[: caps.attention]
    )
    yields = tuple(
        YieldView(
            clean(q.title or q.id, limit=80),
            q.replies_total,
            q.people_total,
            q.referrals_total,
            q.offers_total,
        )
        for q in data.queries
    )
    spam_line = ""
    if spam:
        accounts = len({(r.platform, r.author.user_id) for r in spam})
        spam_line = (
            f"{_plural(len(spam), 'spam or abuse reply', 'spam or abuse replies')} from "
            f"{_plural(accounts, 'account', 'accounts')} left out (never shown)."
        )
    return Digest(
        subject=subject,
        headline=headline,
        counts=counts,
        since=data.since,
        until=data.until,
        queries=_grouped_replies(data, good, titles, tz, caps),
        new_people=new_people,
        people_more=len(data.new_people) - len(new_people),
        follow_ups=follow_ups,
        follow_ups_more=len(data.follow_ups) - len(follow_ups),
        referrals=referrals,
        referrals_more=len(pairs) - len(referrals),
        attention=attention,
        attention_more=len(data.attention) - len(attention),
        yields=yields,
        empty=not (data.replies or data.new_people or data.referrals or data.follow_ups or data.attention),
        leads=leads,
        leads_more=leads_more,
        named=named,
        spam=spam_line,
    )


# ---------------------------------------------------------------------------------------------- render
_TEMPLATES = Path(__file__).parent / "templates"
_HTML_ENV = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=True, undefined=StrictUndefined)
_HTML_ENV.filters["nolink"] = nolink
# Plain text, never HTML: attacker text is cleaned in `build` and defanged by the filter.
_TEXT_ENV = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=False,  # noqa: S701
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEXT_ENV.filters["nolink"] = _defang_text
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_link_tags=False)


def render(digest: Digest) -> Rendered:
    """Subject, plain text and HTML (CSS inlined, no remote stylesheets)."""
    html = _INLINER.inline(_HTML_ENV.get_template("digest.html.j2").render(d=digest))
    text = _TEXT_ENV.get_template("digest.txt.j2").render(d=digest)
    return Rendered(subject=header_value(digest.subject), text=text, html=html)


def to_message(rendered: Rendered, *, sender: str, to: str, message_id: str, date: datetime) -> EmailMessage:
    """multipart/alternative: plain text first, HTML second. Header values are forced onto one line."""
    msg = EmailMessage()
    msg["Subject"] = header_value(rendered.subject)
    msg["From"] = header_value(sender)
    msg["To"] = header_value(to)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = header_value(message_id)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(rendered.text, cte="quoted-printable")
    msg.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
    return msg
