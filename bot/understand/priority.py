"""Stage 4: how much a reply matters as a lead, from its intent, length and the replier's bio (pure)."""

from __future__ import annotations

from bot.understand.cues import CueMatcher, union
from bot.understand.intent import EXPERIENCE, FIGURE, OFFER_HEDGE
from bot.understand.model import Intent, Priority

_SENIOR_BIO = CueMatcher(*union(lambda c: c.senior_bio))
_PHD_BIO = CueMatcher(
    r"\bph\.?d\b(?! student| candidate| researcher| fellow)"
)  # a doctorate, unless still in it
_JUNIOR_BIO = CueMatcher(
    r"\bstudent\b", r"\bundergrad", r"\b\d(?:st|nd|rd|th)[- ]year\b", r"\bhobbyist\b", r"\bstudying\b"
)


# below this many words a critique, question or resource is a low-priority lead
_SHORT: dict[str, int] = {"critique": 12, "question": 10, "resource": 6}


def lead_priority(intent: Intent, body: str, n_words: int, bio: str, offers: bool, bot: bool) -> Priority:
    """How much a reply matters as a lead: referrals most, then firm offers, then expert answers."""
    if intent in ("spam", "abuse") or bot:
        return "none"
    if intent == "referral":
        return "high"
    if intent == "offer":
        return "medium" if OFFER_HEDGE.search(body) else "high"
    if intent == "answer":
        return _answer_priority(body, n_words, bio)
    if intent in _SHORT:
        return "low" if n_words < _SHORT[intent] else "medium"
    return "low"


def _answer_priority(body: str, n_words: int, bio: str) -> Priority:
    """An answer is high from an expert (bio or first-hand experience) or when long and specific."""
    if EXPERIENCE.search(body) and FIGURE.search(body) and n_words >= 10:
        return "high"  # a first-hand report with a figure ("we cut false alarms by 90%") is expert knowledge
    if not bio.strip():  # no profile: first-hand experience in a specific answer still marks an expert
        return "high" if EXPERIENCE.search(body) and n_words >= 25 else "medium"
    junior = _JUNIOR_BIO.search(bio)
    expert = _SENIOR_BIO.search(bio) or EXPERIENCE.search(body) or (_PHD_BIO.search(bio) and not junior)
    substantial = n_words >= 45 and not junior  # a long, specific answer from a profile
    return "high" if (expert and n_words >= 20) or substantial else "medium"
