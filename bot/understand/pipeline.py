"""Reply understanding: what a reply is for, who it points to, and how much it matters (pure, offline).

`understand()` labels one reply following the corpus guidelines (`../shared/corpus/README.md`):
one intent by precedence spam/abuse > referral > offer > resource > answer > critique > question > social,
the people/organisations the replier recommends contacting, whether the replier offers contact, a lead
priority and the language. Everything here is cheap rules over the text (plus name/bio as evidence), and
where the rules fall to "answer", a small learned model (`learned`); for names the rules missed, a learned
tagger (`spans`), asked only when that model reads a referral. No network, under 5 ms per reply. Reply text is
attacker-controlled: it is cleaned (ANSI, bidi controls, zero-width characters) and capped before any rule
looks at it, and a reply that tries to instruct the bot is spam whose handles are never filed.

The rules describe how things are said, never which corpus rows say them: people without a handle are found
by the shape of names (honorifics, particles, accents, CJK honorific suffixes, lists; `names`),
organisations by suffixes, kind words, acronyms after contact verbs, "the X team", help desks and labs;
intents by cue phrases in 17 languages (`lang/`, one module per language, the same `Cues` shape in each).
`bench/understand.py` scores them on the labelled sets and says which figures are in-sample and which are
held out.

Stages, one module each: `normalise` (cleaning, handles, language) -> `spam` (spam, injection, abuse: stop
here) -> `referrals` (handles, plus `names` for people and `orgs` for organisations; then the tagger `spans`)
-> `intent` (offer, resource, critique, question, answer, social) -> `priority`. This module wires them
together.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from bot.models import Mention
from bot.understand import learned, spans
from bot.understand.correct import Correction, recognise
from bot.understand.intent import OFFER, is_resource, residual_intent
from bot.understand.learned import IntentModel, second_opinion, shipped
from bot.understand.model import VIEW_HEAD, VIEW_TAIL, Intent, Priority, Referral, Understanding
from bot.understand.normalise import clean_text, count_words, detect_language, normalise_handle
from bot.understand.priority import lead_priority
from bot.understand.referrals import find_referrals
from bot.understand.spam import ABUSE, BOT_PROFILE, is_bot_handle, is_spam
from bot.understand.spans import SpanModel, extra_referrals, is_referral

__all__ = [
    "Intent",
    "Priority",
    "Referral",
    "Understanding",
    "detect_language",
    "normalise_handle",
    "understand",
]


def understand(
    text: str,
    *,
    platform: str,
    author_handle: str | None = None,
    author_name: str | None = None,
    author_bio: str | None = None,
    owner_handles: Collection[str] = (),
    mentions: Sequence[Mention] = (),
    known: Sequence[Referral] = (),
    correction: Correction | None = None,
    intent_model: IntentModel | bool = True,
    span_model: SpanModel | bool = True,
) -> Understanding:
    """Label one reply (see the module docstring). Never raises on odd input; never trusts the text.

    `known`: referral targets the owner confirmed (`bot.understand.correct.recognisable`), found by name too.
    `correction`: the labels the owner set for this reply; kept as they are (offers and priority follow).
    `intent_model`: True asks the shipped learned model where the rules fall to "answer" (if `learned.ENABLED`;
    it may relabel the reply, never as spam or abuse),
    False never does, a model asks that one (the bench's leave-one-owner-out).
    `span_model`: the same for the learned referral-name tagger (`spans`; if `spans.ENABLED`), which may add
    name-only referrals the rules missed; it is asked only when the intent model (`intent_model`) finds the
    reply more likely a referral than not (`spans.is_referral`), so with `intent_model=False` it never is."""
    raw = text or ""
    clean = clean_text(raw)
    bio = clean_text(author_bio or "")
    name = clean_text(author_name or "")
    language = detect_language(clean[: VIEW_HEAD + VIEW_TAIL])
    profile = f"{name} {bio}"
    author_is_bot = bool(BOT_PROFILE.search(profile)) or (
        author_handle is not None and is_bot_handle(normalise_handle(author_handle))
    )
    excluded = {normalise_handle(h) for h in _iter_str(owner_handles)}
    if author_handle:
        excluded.add(normalise_handle(author_handle))

    verdict: Intent | None = (
        "spam" if is_spam(raw, clean, profile) else "abuse" if ABUSE.search(clean) else None
    )
    if correction is not None:
        verdict = correction.intent if correction.intent in ("spam", "abuse") else None
    if verdict is not None:  # spam or abuse
        return Understanding(verdict, (), False, "none", language)
    view = clean
    if len(clean) > VIEW_HEAD + VIEW_TAIL:
        view = f"{clean[:VIEW_HEAD]}\n{clean[-VIEW_TAIL:]}"
    # people can be recommended anywhere in a long reply: referrals read all of the capped text, unless it is
    # a repetitive flood (few distinct words), where the head and tail say everything and cost less
    prose = len(set(clean.split())) >= 60
    read = clean if prose else view
    refs, bot_invoked = find_referrals(read, platform, excluded, mentions, (name,))
    refs = [*refs, *_tagged(read, refs, _tagger(span_model), _model(intent_model), name)]
    if known:
        refs = [*refs, *recognise(read, known, refs, name)]
    if correction is not None:
        refs = list(correction.referrals)
    clean = view

    offers = bool(OFFER.search(clean))
    body = re.sub(r"(?<![\w.@/])@[\w.-]+", " ", clean)
    n_words = count_words(body)
    intent: Intent
    if correction is not None:
        intent = correction.intent
        offers = offers or intent == "offer"
    elif refs:
        intent = "referral"
    elif offers:
        intent = "offer"
    elif is_resource(body):
        intent = "resource"
    elif bot_invoked:
        intent = "social"
    else:
        intent = residual_intent(body, n_words)
        model = _model(intent_model) if intent == "answer" else None
        opinion = second_opinion(model, clean) if model is not None else None
        if opinion is not None:
            intent = opinion
            offers = offers or intent == "offer"

    priority = lead_priority(intent, body, n_words, bio, offers, author_is_bot)
    return Understanding(intent, tuple(refs), offers, priority, language)


def _tagged(
    read: str, refs: Sequence[Referral], tagger: SpanModel | None, judge: IntentModel | None, name: str
) -> list[Referral]:
    """The learned tagger's name-only referrals, when both models are there and the intent model reads a
    referral (`spans.is_referral`)."""
    if tagger is None or judge is None or not is_referral(judge, read):
        return []
    return extra_referrals(read, refs, tagger, (name,))


def _model(choice: IntentModel | bool) -> IntentModel | None:
    if isinstance(choice, IntentModel):
        return choice
    return shipped() if choice and learned.ENABLED else None


def _tagger(choice: SpanModel | bool) -> SpanModel | None:
    if isinstance(choice, SpanModel):
        return choice
    return spans.shipped() if choice and spans.ENABLED else None


def _iter_str(values: Iterable[str]) -> Iterable[str]:
    return [values] if isinstance(values, str) else values
