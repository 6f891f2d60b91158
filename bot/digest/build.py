"""The digest, built: what it says, in order, capped. PURE: data in, views out; no store, no network, no clock.

`build(data, now=..., tz=..., caps=...)` turns what `bot.digest.collect.collect` read into a `Digest`, in named
steps: the people to contact (`_people_to_contact`, in the one lead order the store read them in, see
`bot.leads.ranking`), the headline and subject, the follow-ups, referrals and attention lines, each query's
yield, the replies by query (`_grouped_replies`) and the spam line. `bot.digest.render` renders it.

Attacker text (reply text, names, bios, handles) is cleaned with `bot.digest.safe.clean`; the only links are the
ones `bot.digest.safe` builds.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from bot.digest.model import (
    Author,
    Caps,
    ContactList,
    Counts,
    Digest,
    DigestInput,
    LeadView,
    Link,
    PersonRow,
    PersonView,
    QueryRow,
    QueryView,
    ReferralRow,
    ReplyRow,
    ReplyView,
    YieldView,
)
from bot.digest.safe import clean, header_value, permalink, profile_link, review_link, safe_url
from bot.leads.followup import SPAMMY, Said, best, is_offer
from bot.models import CLOSED
from bot.platforms.specs import LABELS, REPLYABLE, order

PLATFORM_NAMES = LABELS  # the platform specs' labels
_FLAG_INTENTS = ("referral", "offer", "offers_contact", "offer_to_talk")


# ---------------------------------------------------------------------------------------------- small parts
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


# ---------------------------------------------------------------------------------------------- people to contact
def _people_to_contact(
    data: DigestInput,
    by_person: dict[int, list[ReplyRow]],
    refers_of: dict[int, list[ReferralRow]],
    titles: dict[str, str],
    tz: tzinfo,
    now: datetime,
    caps: Caps,
) -> tuple[tuple[LeadView, ...], int, int]:
    """(the first `caps.people` leads as views, how many more, how many in all). `data.leads` arrive in the one
    lead order (`bot.leads.ranking`, the store's ORDER BY), which this keeps."""
    candidates = [
        p
        for p in data.leads
        if by_person.get(p.person_id)
        or p.referred_by_counts
        or p.referred_by
        or (p.next_follow_up is not None and p.next_follow_up <= now)
    ]
    shown = candidates[: caps.people]
    views = tuple(
        _lead_view(p, by_person.get(p.person_id, []), refers_of.get(p.person_id, []), titles, tz, now, caps)
        for p in shown
    )
    unread = max(0, data.leads_total - len(data.leads))  # beyond what the store read in full
    return views, len(candidates) - len(shown) + unread, len(candidates) + unread


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
    saids = [_said(r) for r in rows]
    counts = p.referred_by_counts or tuple((n, 1) for n in p.referred_by)
    quote, meta = _best_quote(saids, titles, tz, caps)
    links, more = _reply_links(rows, caps.links_per_person)
    status, contacted_href = _lead_status(p, tz)
    draft = "" if p.contacted or p.status in CLOSED else clean(p.draft, limit=600)
    return LeadView(
        person_id=p.person_id,
        name=_person_name(p.name, a, caps),
        why=_lead_why(p, saids, counts, refers, tz, now, caps),
        flag=_not_in_touch(p, counts, caps),
        bio=clean(a.bio if a else None, limit=caps.bio_chars),
        quote=quote,
        quote_meta=meta,
        replies=links,
        replies_more=more,
        handles=tuple(Link(_who(i), href) for i in p.identities if (href := profile_link(i)) and i.handle),
        handles_text=", ".join(_who(i) for i in p.identities),
        status=status,
        contacted_href=contacted_href,
        draft=draft,
        draft_platform=_platform(p.draft_platform) if draft and p.draft_platform else "",
        command=_send_command(p, draft),
    )


def _names_and_more(items: list[str], total: int) -> str:
    return ", ".join(items) + (f" and {total - len(items)} more" if total > len(items) else "")


def _lead_why(
    p: PersonRow,
    saids: list[Said],
    counts: tuple[tuple[str, int], ...],
    refers: list[ReferralRow],
    tz: tzinfo,
    now: datetime,
    caps: Caps,
) -> str:
    """ "offers to talk · referred by Maya Okafor (2×) · points to @ivan · expert answer · follow-up due …"."""
    why: list[str] = []
    if any(is_offer(s) for s in saids):
        why.append("offers to talk")
    if counts:
        named = [f"{_person_name(n, None, caps)}{_times(c)}" for n, c in counts[:3]]
        why.append("referred by " + _names_and_more(named, len(counts)))
    if refers:
        named = [f"{clean(r.target, limit=60)}{_times(r.count)}" for r in refers[:3]]
        why.append("points to " + _names_and_more(named, len(refers)))
    if any(s.intent == "answer" and s.lead_priority in ("high", "medium") for s in saids):
        why.append("expert answer")
    if not why and saids:
        why.append("replied")
    if p.next_follow_up and p.next_follow_up <= now:
        why.append(f"follow-up due {_day(p.next_follow_up, tz)}")
    return " · ".join(why)


def _not_in_touch(p: PersonRow, counts: tuple[tuple[str, int], ...], caps: Caps) -> str:
    """Someone referred who has not answered and has not been contacted."""
    if p.answered or p.contacted or not counts:
        return ""
    return "not in touch yet, referred by " + ", ".join(_person_name(n, None, caps) for n, _c in counts[:3])


def _best_quote(saids: list[Said], titles: dict[str, str], tz: tzinfo, caps: Caps) -> tuple[str, str]:
    """Their best reply, and "on Bluesky · Tue 01 Dec 09:05 · <query title>"."""
    top = best(saids)
    if top is None:
        return "", ""
    meta = f"on {_platform(top.platform)} · {_when(top.created_at, tz)}"
    if top.query_id and top.query_id in titles:
        meta += f" · {titles[top.query_id]}"
    return clean(top.text, limit=caps.quote_chars, one_line=False), meta


def _lead_status(p: PersonRow, tz: tzinfo) -> tuple[str, str | None]:
    """ "new · follow-up Thu 03 Dec · contacted on Bluesky Tue 02 Dec", and the link to our follow-up."""
    status = [clean(p.status, limit=20)]
    if p.next_follow_up:
        status.append(f"follow-up {_day(p.next_follow_up, tz)}")
    if not p.contacted:
        return " · ".join(status), None
    last = max(p.contacted, key=lambda c: c.at)
    status.append(f"contacted on {_platform(last.platform)} {_day(last.at, tz)}")
    return " · ".join(status), safe_url(last.url)


def _send_command(p: PersonRow, draft: str) -> str:
    if not draft:
        return ""
    return f"sqbot leads reply {p.person_id} --draft" if p.draft_platform in REPLYABLE else "reply by hand"


# ---------------------------------------------------------------------------------------------- replies by query
def _grouped_replies(
    data: DigestInput, good: list[ReplyRow], titles: dict[str, QueryRow], tz: tzinfo, caps: Caps
) -> tuple[QueryView, ...]:
    """Replies by query, each distinct reply once: the same person's same words on several platforms (or under
    several queries) are one entry with a link to each copy, under the first query it answered."""
    order = [q.id for q in data.queries]
    groups = _distinct_replies(good, order, titles)
    return tuple(
        _query_view(qid, groups[qid], titles, tz, caps)
        for qid in [q for q in order if q in groups] + ([None] if None in groups else [])
    )


def _distinct_replies(
    good: list[ReplyRow], order: list[str], titles: dict[str, QueryRow]
) -> dict[str | None, list[list[ReplyRow]]]:
    """Per query (None: outside any), the distinct replies, each as its copies (first copy first)."""
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
    return groups


def _query_view(
    qid: str | None, group: list[list[ReplyRow]], titles: dict[str, QueryRow], tz: tzinfo, caps: Caps
) -> QueryView:
    """One query's replies: flagged ones first, then newest first, capped."""
    entries = sorted(
        group, key=lambda cs: (not _is_flagged(cs[0]), -cs[0].created_at.timestamp(), cs[0].platform_id)
    )
    shown = entries[: caps.replies_per_query]
    q = titles.get(qid) if qid else None
    posts = tuple(
        Link(f"{PLATFORM_NAMES.get(p.platform, p.platform)} post {p.index + 1}", href)
        for p in (q.posts if q else ())
        if (href := permalink(p.platform, p.platform_id, p.url))
    )
    return QueryView(
        title=clean(q.title or q.id, limit=120) if q else "Mentions and replies outside a query",
        query_id=clean(qid, limit=80) if qid else "",
        platforms=", ".join(PLATFORM_NAMES.get(p, p) for p in q.platforms) if q else "",
        posts=posts,
        replies=tuple(_entry_view(copies, q, titles, tz, caps) for copies in shown),
        more=len(entries) - len(shown),
        count=sum(len(cs) for cs in group),
    )


def _entry_view(
    copies: list[ReplyRow], q: QueryRow | None, titles: dict[str, QueryRow], tz: tzinfo, caps: Caps
) -> ReplyView:
    """One distinct reply: a link to each copy, and the other queries it also answered."""
    links, _more = _reply_links(copies, caps.links_per_person)
    others = sorted(
        {clean(titles[c.query_id].title or c.query_id, limit=60) for c in copies if c.query_id in titles}
        - {clean(q.title or q.id, limit=60) if q else ""}
    )
    platforms = sorted({c.platform for c in copies}, key=_order)
    who = _who(copies[0].author) if len(platforms) == 1 else "on " + ", ".join(map(_platform, platforms))
    also = ("also under: " + "; ".join(others)) if others else ""
    return replace(_reply_view(copies[0], tz, caps), who=who, links=links, also=also)


# ---------------------------------------------------------------------------------------------- the digest
def build(
    data: DigestInput, *, now: datetime, tz: tzinfo, caps: Caps | None = None, review_url: str | None = None
) -> Digest:
    """What the digest says, in order: accounts needing attention; the people to contact, each once across
    platforms and queries (why, their best reply, a link to each reply, their handles, follow-up status, a
    draft follow-up, their page in `sqbot review` when `review_url` is given); name-only referrals; each
    query's yield; the replies by query (each distinct reply once); one line counting the spam and abuse left
    out."""
    caps = caps or Caps()
    good = [r for r in data.replies if not _is_spam(r)]
    pairs = [r for r in data.referrals if r.count > 0]
    counts = Counts(len(data.replies), len(data.new_people), len(pairs))
    titles = {q.id: q for q in data.queries}
    contacts = contact_list(data, counts, now=now, tz=tz, caps=caps, review_url=review_url)
    leads, leads_more, headline = contacts.leads, contacts.leads_more, contacts.headline
    new_people = _new_people(data, caps)
    follow_ups = _follow_ups_due(data, tz, caps)
    attention = _attention_lines(data, caps)
    return Digest(
        subject=_subject(data, headline),
        headline=headline,
        counts=counts,
        since=data.since,
        until=data.until,
        queries=_grouped_replies(data, good, titles, tz, caps),
        new_people=new_people,
        people_more=len(data.new_people) - len(new_people),
        follow_ups=follow_ups,
        follow_ups_more=len(data.follow_ups) - len(follow_ups),
        referrals=_referral_lines(pairs[: caps.referrals], caps),
        referrals_more=len(pairs) - min(len(pairs), caps.referrals),
        attention=attention,
        attention_more=len(data.attention) - len(attention),
        yields=_yields(data),
        empty=not (data.replies or data.new_people or data.referrals or data.follow_ups or data.attention),
        leads=leads,
        leads_more=leads_more,
        named=_named_only(pairs, caps),
        spam=_spam_line([r for r in data.replies if _is_spam(r)]),
    )


def contact_list(
    data: DigestInput,
    counts: Counts,
    *,
    now: datetime,
    tz: tzinfo,
    caps: Caps | None = None,
    review_url: str | None = None,
) -> ContactList:
    """The digest's headline and "People to contact" (`build` uses it; so does the review's first page, from
    `bot.digest.collect.collect_contacts`, which reads only the leads' replies and counts the rest)."""
    caps = caps or Caps()
    pairs = [r for r in data.referrals if r.count > 0]
    leads, leads_more, to_contact = _people_to_contact(
        data,
        _replies_by_person([r for r in data.replies if not _is_spam(r)]),
        _referrals_by_referrer(pairs),
        {q.id: clean(q.title or q.id, limit=80) for q in data.queries},
        tz,
        now,
        caps,
    )
    leads = tuple(replace(x, review_href=review_link(review_url, x.person_id)) for x in leads)
    return ContactList(_headline(data, counts, to_contact, tz), leads, leads_more)


def _replies_by_person(good: list[ReplyRow]) -> dict[int, list[ReplyRow]]:
    by_person: dict[int, list[ReplyRow]] = {}
    for r in good:
        by_person.setdefault(r.author.person_id, []).append(r)
    return by_person


def _referrals_by_referrer(pairs: list[ReferralRow]) -> dict[int, list[ReferralRow]]:
    refers_of: dict[int, list[ReferralRow]] = {}
    for f in pairs:
        if f.from_person_id is not None:
            refers_of.setdefault(f.from_person_id, []).append(f)
    return refers_of


def _headline(data: DigestInput, counts: Counts, to_contact: int, tz: tzinfo) -> str:
    """ "3 people to contact · 5 new replies · 2 new people · 1 referral · since Mon 08:00"."""
    return " · ".join(
        (
            _plural(to_contact, "person", "people") + " to contact",
            _plural(counts.replies, "new reply", "new replies"),
            _plural(counts.people, "new person", "new people"),
            _plural(counts.referrals, "referral", "referrals"),
            f"since {_since_label(data.since, data.until, tz)}",
        )
    )


def _subject(data: DigestInput, headline: str) -> str:
    extra = []
    if data.follow_ups:
        extra.append(_plural(len(data.follow_ups), "follow-up due", "follow-ups due"))
    if data.attention:
        extra.append(_plural(len(data.attention), "thing needs you", "things need you"))
    return header_value("sqbot: " + " · ".join((headline, *extra)))


def _new_people(data: DigestInput, caps: Caps) -> tuple[PersonView, ...]:
    return tuple(
        _person_view(
            p,
            "referred by " + ", ".join(clean(x, limit=60) for x in p.referred_by) if p.referred_by else "",
            caps,
        )
        for p in data.new_people[: caps.people]
    )


def _follow_ups_due(data: DigestInput, tz: tzinfo, caps: Caps) -> tuple[PersonView, ...]:
    due = sorted(data.follow_ups, key=lambda p: (p.next_follow_up or data.until, p.person_id))
    return tuple(
        _person_view(p, f"follow-up due {_day(p.next_follow_up, tz)}" if p.next_follow_up else "", caps)
        for p in due[: caps.follow_ups]
    )


def _referral_lines(pairs: list[ReferralRow], caps: Caps) -> tuple[str, ...]:
    """ "Maya Okafor → @ivan on Bluesky (2×)", "… (already a lead)"."""
    return tuple(
        f"{_person_name(r.from_name, None, caps)} → {clean(r.target, limit=80)}"
        + (f" on {_platform(r.target_platform)}" if r.target_platform and not r.known else "")
        + _times(r.count)
        + (" (already a lead)" if r.known else "")
        for r in pairs
    )


def _named_only(pairs: list[ReferralRow], caps: Caps) -> tuple[str, ...]:
    """Referrals to a name only (no handle, so no person to contact yet)."""
    return tuple(
        f"{clean(r.target, limit=80)} — named by {_person_name(r.from_name, None, caps)}{_times(r.count)}"
        for r in pairs
        if r.to_person_id is None
    )[: caps.referrals]


def _attention_lines(data: DigestInput, caps: Caps) -> tuple[str, ...]:
    return tuple(
        f"{_platform(a.platform)}: {clean(a.what, limit=40)}"
        + (f" — {clean(a.detail, limit=200)}" if a.detail else "")
        for a in data.attention[: caps.attention]
    )


def _yields(data: DigestInput) -> tuple[YieldView, ...]:
    return tuple(
        YieldView(
            clean(q.title or q.id, limit=80),
            q.replies_total,
            q.people_total,
            q.referrals_total,
            q.offers_total,
        )
        for q in data.queries
    )


def _spam_line(spam: list[ReplyRow]) -> str:
    if not spam:
        return ""
    accounts = len({(r.platform, r.author.user_id) for r in spam})
    return (
        f"{_plural(len(spam), 'spam or abuse reply', 'spam or abuse replies')} from "
        f"{_plural(accounts, 'account', 'accounts')} left out (never shown)."
    )
