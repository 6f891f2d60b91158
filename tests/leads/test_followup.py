"""`bot.leads.followup`: the drafted follow-up (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.leads.followup import Draft, FollowUpError, Person, Referred, Said, draft
from bot.platforms.bluesky.text import bluesky_length
from bot.platforms.x.text import x_length

T = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TITLES = (("q1", "Who works on open-ended AI + cultural evolution?"),)


def said(pid: str, platform: str = "bluesky", **kw: object) -> Said:
    base: dict[str, object] = {"query_id": "q1", "text": "hello", "created_at": T, "intent": "answer"}
    base.update(kw)
    return Said(platform=platform, platform_id=pid, **base)  # type: ignore[arg-type]


def ref(**kw: object) -> Referred:
    base: dict[str, object] = {
        "from_name": "Maya Okafor",
        "platform": "bluesky",
        "interaction_id": "at://did:plc:maya/app.bsky.feed.post/1",
        "query_id": "q1",
        "handle": "ivan.bsky.social",
        "target_platform": "bluesky",
        "created_at": T,
    }
    base.update(kw)
    return Referred(**base)  # type: ignore[arg-type]


def test_a_referred_person_who_never_spoke_is_mentioned_in_the_referrers_thread_naming_the_referrer() -> None:
    d = draft(Person(2, "Ivan Petrov", "referred", referred=(ref(),), titles=TITLES))
    assert d == Draft(
        2,
        "bluesky",
        "q1",
        "Hi @ivan.bsky.social, Maya Okafor suggested you're the person to ask about “Who works on open-ended AI "
        "+ cultural evolution”. Would you be up for a short chat?",
        "at://did:plc:maya/app.bsky.feed.post/1",
        "ivan.bsky.social",
        "referred",
        "@ivan.bsky.social has never written to us: only Maya Okafor (on bluesky) suggested them. This tags a "
        "stranger on someone else's word; send it only if you mean to, with --confirm-mention",
    )


def test_a_referral_to_a_handle_on_another_platform_is_a_new_post_there() -> None:
    d = draft(
        Person(2, "Ivan", "referred", referred=(ref(handle="ivan_x", target_platform="x"),), titles=TITLES)
    )
    assert (d.platform, d.reply_to, d.mention) == ("x", None, "ivan_x")
    assert d.text.startswith("Hi @ivan_x, Maya Okafor suggested")


def test_an_offer_is_taken_up_in_a_reply_to_the_offer_on_the_best_platform() -> None:
    p = Person(
        5,
        "Lena Vogel",
        "new",
        said=(
            said("sub-1", "substack", offers_contact=True, intent="offer"),
            said("x-1", "x", intent="answer", created_at=T + timedelta(hours=1)),
            said("bsky-1", "bluesky", offers_contact=True, intent="offer"),
        ),
        titles=TITLES,
    )
    d = draft(p)
    assert (d.platform, d.reply_to, d.why) == ("bluesky", "bsky-1", "offer")
    assert d.text.startswith("Thank you, Lena! I'd love to take you up on that.")


def test_a_referred_person_who_offered_hears_who_sent_them() -> None:
    p = Person(
        2,
        "Ivan Petrov",
        "referred",
        said=(said("b1", offers_contact=True),),
        referred=(ref(),),
        titles=TITLES,
    )
    assert draft(p).text.startswith("Thank you, Ivan! Maya Okafor said you're the person to ask, so I'd love")


def test_the_title_is_shortened_until_the_draft_fits_x_and_bluesky() -> None:
    long = (("q1", "Which " + "really " * 80 + "long question?"),)
    for platform, length, limit in (("x", x_length, 280), ("bluesky", bluesky_length, 300)):
        d = draft(Person(1, "Ann", "new", said=(said("p1", platform),), titles=long))
        assert length(d.text) <= limit and "…" in d.text, d.text


def test_hostile_names_and_handles_never_reach_the_draft() -> None:
    p = Person(
        4,
        "<b>Mallory</b> http://evil.example",
        "referred",
        referred=(ref(from_name="@everyone click evil.example", handle="ivan bsky<script>"),),
        titles=TITLES,
    )
    with pytest.raises(FollowUpError, match="no reply or handle"):
        draft(p)  # the only handle is not a handle
    d = draft(Person(4, "<b>Mallory</b>", "new", said=(said("p1"),), titles=TITLES))
    assert d.text.startswith("Thank you! This is really helpful.") and "<b>" not in d.text


def test_do_not_contact_and_spam_only_people_get_no_draft() -> None:
    with pytest.raises(FollowUpError, match="do-not-contact"):
        draft(Person(1, "Ann", "do-not-contact", said=(said("p1"),)))
    with pytest.raises(FollowUpError, match="only sent spam or abuse"):
        draft(Person(1, "Spammer", "new", said=(said("p1", intent="spam"),)))


def test_substack_comments_are_not_answered_when_another_platform_has_the_person() -> None:
    p = Person(
        1, "Ann", "new", said=(said("s1", "substack", lead_priority="high"), said("x1", "x")), titles=TITLES
    )
    assert draft(p).platform == "x"


def test_a_domain_like_name_is_left_out_so_no_platform_links_it() -> None:
    d = draft(Person(1, "evil.com", "new", said=(said("p1", "x"),), titles=TITLES))
    assert "evil.com" not in d.text and d.text.startswith("Thank you!")


def test_a_referral_made_in_someone_elses_conversation_is_a_post_of_our_own_not_a_reply_there() -> None:
    d = draft(Person(2, "Ivan Petrov", "referred", referred=(ref(in_our_thread=False),), titles=TITLES))
    assert d.reply_to is None and d.mention == "ivan.bsky.social"
    assert d.warning is not None and "Maya Okafor" in d.warning


def test_a_mention_of_us_in_someone_elses_conversation_is_never_answered_there() -> None:
    """Ann only mentioned us inside a stranger's thread: no draft answers there; a clear refusal instead."""
    p = Person(
        1, "Ann Lee", "new", said=(said("at://did:plc:ann/app.bsky.feed.post/9", in_our_thread=False),)
    )
    with pytest.raises(FollowUpError, match="only inside someone else's conversation"):
        draft(p)
    ours = said("at://did:plc:ann/app.bsky.feed.post/10")
    assert draft(replace(p, said=(*p.said, ours))).reply_to == ours.platform_id
