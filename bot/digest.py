"""The digest email, built and rendered. PURE: data in, text out; no store, no network, no clock.

`build(data, now=..., tz=..., caps=...)` turns what `bot.digestdb.collect` read into a `Digest` (what to say,
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
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from bot.safe import BIDI_CONTROLS

PLATFORM_NAMES = {"bluesky": "Bluesky", "x": "X", "substack": "Substack", "sandbox": "Sandbox"}
KNOWN_HOSTS = ("bsky.app", "x.com", "twitter.com", "substack.com")  # and their subdomains
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
class PersonRow:
    person_id: int
    name: str | None
    status: str
    identities: tuple[Author, ...] = ()
    next_follow_up: datetime | None = None
    referred_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferralRow:
    platform: str
    from_name: str | None
    target: str  # "@handle" or a name
    target_platform: str | None = None
    known: bool = False  # the target is already a person in the database


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


@dataclass(frozen=True)
class QueryView:
    title: str
    query_id: str
    platforms: str
    posts: tuple[Link, ...]
    replies: tuple[ReplyView, ...]
    more: int


@dataclass(frozen=True)
class PersonView:
    name: str
    who: str
    bio: str
    profile_href: str | None
    detail: str


@dataclass(frozen=True)
class YieldView:
    title: str
    replies: int
    people: int
    referrals: int


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


_BSKY_POST = re.compile(r"at://(did:[a-z0-9]+:[A-Za-z0-9._:%-]+)/app\.bsky\.feed\.post/([A-Za-z0-9._~:-]+)")
_BSKY_HANDLE = re.compile(r"[A-Za-z0-9.-]{1,253}")
_DID = re.compile(r"did:[a-z0-9]+:[A-Za-z0-9._:%-]{1,200}")
_X_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_SUBSTACK_HANDLE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DIGITS = re.compile(r"[0-9]{1,25}")


def permalink(platform: str, platform_id: str | None, stored: str | None = None) -> str | None:
    """A link to a post, built from its platform id (or the stored URL when it is safe)."""
    if platform_id:
        if platform == "bluesky" and (m := _BSKY_POST.fullmatch(platform_id)):
            return f"https://bsky.app/profile/{quote(m.group(1), safe=':')}/post/{quote(m.group(2))}"
        if platform == "x" and _DIGITS.fullmatch(platform_id):
            return f"https://x.com/i/web/status/{platform_id}"
    return safe_url(stored) if platform in ("bluesky", "x", "substack") else None


def profile_link(a: Author) -> str | None:
    """A link to an account, built from its handle or id (or the stored URL when it is safe)."""
    if a.platform == "bluesky":
        for key in (a.handle, a.user_id):
            if key and (_DID.fullmatch(key) or (_BSKY_HANDLE.fullmatch(key) and "." in key)):
                return f"https://bsky.app/profile/{quote(key, safe=':')}"
    if a.platform == "x":
        if a.handle and _X_HANDLE.fullmatch(a.handle):
            return f"https://x.com/{a.handle}"
        if _DIGITS.fullmatch(a.user_id):
            return f"https://x.com/i/user/{a.user_id}"
    if a.platform == "substack":
        if safe_url(a.url):
            return a.url
        if a.handle and _SUBSTACK_HANDLE.fullmatch(a.handle):
            return f"https://substack.com/@{a.handle}"
    return None


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


def build(data: DigestInput, *, now: datetime, tz: tzinfo, caps: Caps | None = None) -> Digest:
    """What the digest says, in order: per query its new replies (referrals and offers first, then newest
    first), new people, follow-ups due, referrals, accounts needing attention, and each query's yield."""
    caps = caps or Caps()
    counts = Counts(len(data.replies), len(data.new_people), len(data.referrals))
    since = _since_label(data.since, data.until, tz)
    headline = " · ".join(
        (
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

    titles = {q.id: q for q in data.queries}
    groups: dict[str | None, list[ReplyRow]] = {}
    for r in data.replies:
        groups.setdefault(r.query_id if r.query_id in titles else None, []).append(r)
    views = []
    order = [q.id for q in data.queries if q.id in groups] + ([None] if None in groups else [])
    for qid in order:
        rows = sorted(
            groups[qid], key=lambda r: (not _is_flagged(r), -r.created_at.timestamp(), r.platform_id)
        )
        shown = rows[: caps.replies_per_query]
        q = titles.get(qid) if qid else None
        posts = tuple(
            Link(f"{PLATFORM_NAMES.get(p.platform, p.platform)} post {p.index + 1}", href)
            for p in (q.posts if q else ())
            if (href := permalink(p.platform, p.platform_id, p.url))
        )
        views.append(
            QueryView(
                title=clean(q.title or q.id, limit=120) if q else "Mentions and replies outside a query",
                query_id=clean(qid, limit=80) if qid else "",
                platforms=", ".join(PLATFORM_NAMES.get(p, p) for p in q.platforms) if q else "",
                posts=posts,
                replies=tuple(_reply_view(r, tz, caps) for r in shown),
                more=len(rows) - len(shown),
            )
        )

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
        + (
            f" on {PLATFORM_NAMES.get(r.target_platform, clean(r.target_platform, limit=20))}"
            if r.target_platform
            else ""
        )
        + (" (already a lead)" if r.known else "")
        for r in data.referrals[: caps.referrals]
    )
    attention = tuple(
        f"{PLATFORM_NAMES.get(a.platform, clean(a.platform, limit=20))}: {clean(a.what, limit=40)}"
        + (f" — {clean(a.detail, limit=200)}" if a.detail else "")
        for a in data.attention[: caps.attention]
    )
    yields = tuple(
        YieldView(clean(q.title or q.id, limit=80), q.replies_total, q.people_total, q.referrals_total)
        for q in data.queries
    )
    return Digest(
        subject=subject,
        headline=headline,
        counts=counts,
        since=data.since,
        until=data.until,
        queries=tuple(views),
        new_people=new_people,
        people_more=len(data.new_people) - len(new_people),
        follow_ups=follow_ups,
        follow_ups_more=len(data.follow_ups) - len(follow_ups),
        referrals=referrals,
        referrals_more=len(data.referrals) - len(referrals),
        attention=attention,
        attention_more=len(data.attention) - len(attention),
        yields=yields,
        empty=not (data.replies or data.new_people or data.referrals or data.follow_ups or data.attention),
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
