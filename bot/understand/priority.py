"""Stage 4: how much a reply matters as a lead, from its intent, length and the replier's bio (pure)."""

from __future__ import annotations

from bot.understand.cues import CueMatcher
from bot.understand.intent import OFFER_HEDGE
from bot.understand.model import Intent, Priority

_SENIOR_BIO = CueMatcher(
    r"\bhistorian\b|\bhistoriadora?\b|\bhistorikerin\b|\bhistoriker\b|\bhistorienne?\b|\bstorica?\b|\bhistoricus\b",
    r"\barchivist\b|\bcurator\b|\blibrarian\b",
    r"\bprof(?:essor)?\b",
    r"\bfaculty\b",
    r"\blecturer\b",
    r"\bpostdoc\b",
    r"\bresearch scientist\b",
    r"\bindependent researcher\b",
    r"\bgroup leader\b",
    r"\bpi\b",
    r"\beconomist\b",
    r"\bchercheu",
    r"\bforscher",
    r"\binvestigador",
    r"\bricercat",
    r"教授",
    r"\bprofesseur",
    r"\bdozent",
)
_EXPERIENCE = CueMatcher(
    r"\bfrom (?:my )?experience\b",
    r"\bin our (?:\(\w+\) )?(?:\w+ )?(?:tests|experiments|runs|data|lab|"
    r"group|work)\b",
    r"\bwe (?:ran|found|tried|built|did|saw)\b",
    r"\bi did\b",
    r"\bi'?ve seen\b",
    r"\bmy (?:lab|group)\b",
    r"\bi'?ve (?:run|built|supervised|hired|reviewed)\b",
    r"\bin (?:my|our) experience\b",
    r"\bat (?:my|our) (?:last|previous|old|current) (?:job|company|lab|startup|team)\b",
    r"\bwe'?ve (?:run|been running|built|done|used|shipped|tried)\b",
    r"\b(?:lo|la) hicimos\b|\bhemos (?:hecho|usado|probado)\b|\bwir haben\b|\bwe hebben\b|\bnós fizemos\b|"
    r"\bfizemos\b|\babbiamo (?:fatto|usato|provato)\b|\bnous avons\b|\bon a (?:fait|testé|utilisé)\b|うちは|私たちは",
)
_PHD_BIO = CueMatcher(
    r"\bph\.?d\b(?! student| candidate| researcher| fellow)"
)  # a doctorate, unless still in it
_JUNIOR_BIO = CueMatcher(
    r"\bstudent\b", r"\bundergrad", r"\b\d(?:st|nd|rd|th)[- ]year\b", r"\bhobbyist\b", r"\bstudying\b"
)


# below this many words a critique, question or resource is a low-priority lead
_SHORT: dict[str, int] = {"critique": 12, "question": 12, "resource": 6}


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
    if not bio.strip():
        return "medium"
    junior = _JUNIOR_BIO.search(bio)
    expert = _SENIOR_BIO.search(bio) or _EXPERIENCE.search(body) or (_PHD_BIO.search(bio) and not junior)
    substantial = n_words >= 45 and not junior  # a long, specific answer from a profile
    return "high" if (expert and n_words >= 20) or substantial else "medium"
