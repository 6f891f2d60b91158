"""Stage 4: how much a reply matters as a lead, from its intent, length and the replier's bio (pure)."""

from __future__ import annotations

import re

from bot.understand.cues import CueMatcher, union
from bot.understand.intent import EXPERIENCE, FIGURE, OFFER_HEDGE
from bot.understand.model import Intent, Priority

_SENIOR_BIO = CueMatcher(*union(lambda c: c.senior_bio))
_PHD_BIO = CueMatcher(
    r"\bph\.?d\b(?! student| candidate| researcher| fellow)"
)  # a doctorate, unless still in it
_JUNIOR_BIO = CueMatcher(  # still studying, or a hobby: the bio marks no expert, whatever field it names
    r"\bstudent\b",
    r"\bundergrad",
    r"\b\d(?:st|nd|rd|th)[- ]year\b",
    r"\bhobbyist\b",
    r"\bstudying\b",
    r"\bhobby",  # "hobby brewer", "Hobby-Imker", "på hobbynivå"
    r"\b(?:doktorand|doctorand|doutorand|dottorand|promovend|doktorant)",  # PhD student (de/es/pt/it/nl/pl)
    r"\b(?:estudiante|estudante|étudiant|studente|studentka|mahasiswa|öğrenci|sinh viên|nghiên cứu sinh)",
    r"طالبة?|طالب دكتوراه|छात्र|शोधार्थी|学生|研究生|博士生|院生|대학원생|학생",
)
# the replier names their own trade just before the answer: "as a dairy farmer,", "Als Landwirt:", "jako biegła:",
# "como agricultora,", "en tant que statisticienne", "Farmer here.", "bir çiftçi olarak"
_CREDENTIAL = CueMatcher(
    r"(?:^|[.!?]\s+)(?:speaking )?as an? (?:[\w-]+ )?(?!(?:answer|reminder|matter|number|starter|rule|result)\b)"
    r"[\w-]+(?:er|or|ist|ian)\b(?! of\b)",
    r"^\s*(?:[\w-]+ ){0,2}(?!(?:answer|number|order|other|another|user|lurker|newcomer|beginner|reader|follower|"
    r"member|outsider|layman)\b)[\w-]+(?:er|or|ist|ian) here\b",
    r"^\s*als (?!(?:ich|wir|du|ihr|er|sie|es|man|die|der|das|ik|we|wij|je|jij|u|hij|ze|het|de|dat|er|dann|ob)\b)"
    r"[\w-]+\s*[:,]",  # de, nl
    r"^\s*jako (?!(?:że|to)\b)[\w-]+\s*[:,]",  # pl
    r"^\s*como (?!(?:se|si|que|el|la|los|las|o|a|os|as|un|una|um|uma|dije|disse|digo)\b)[\w-]+\s*[:,]",  # es, pt
    r"^\s*(?:da|come) (?!(?:noi|me|te|sempre|quando|solito|dire)\b)[\w-]+ (?:[\w-]+ )?in\b.{0,40}:",  # it
    r"^\s*en tant qu['e] ?[\w-]+",  # fr
    r"^\s*[\w-]+(?:eur|euse|rice|iste|ien|ienne) ici\b",  # fr: "Agricultrice ici"
    r"^\s*sebagai (?!(?:contoh|gambaran|catatan|informasi|tambahan|perbandingan)\b)[\w-]+\s*[:,]",  # id
    r"\bbir [\w-]+ olarak\b",  # tr
)

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")  # a date ("after the 2021 floods") is not a measured figure


# a number that is not a year nor the head of a compound adjective ("a 15-minute call" plans, it measures nothing)
_MEASURE = re.compile(r"\d(?![\d.,]*-[^\W\d])")


def _measured(body: str) -> bool:
    """A measured figure: a count, share, dose or duration ("~0.5 median", "2-3x", "10+ years"), not a date."""
    return _MEASURE.search(_YEAR.sub(" ", body)) is not None


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
    """An answer is high from an expert (bio, first-hand experience, or a trade the replier names) or when long
    and specific."""
    if EXPERIENCE.search(body) and FIGURE.search(body) and n_words >= 10:
        return "high"  # a first-hand report with a figure ("we cut false alarms by 90%") is expert knowledge
    if _CREDENTIAL.search(body) and n_words >= 20:
        return "high"  # "as a dairy farmer: ..." - the replier answers from their own trade
    if not bio.strip():  # no profile: first-hand experience in a specific answer still marks an expert
        return "high" if EXPERIENCE.search(body) and n_words >= 25 else "medium"
    junior = _JUNIOR_BIO.search(bio)
    senior = _SENIOR_BIO.search(bio) and not junior
    expert = senior or EXPERIENCE.search(body) or (_PHD_BIO.search(bio) and not junior)
    # a long answer from a profile, or one with a measured figure ("~0.5 median", "2-3x") is specific
    substantial = not junior and (n_words >= 45 or (n_words >= 30 and _measured(body)))
    return "high" if (expert and n_words >= 20) or substantial else "medium"
