"""Stage 4: how much a reply matters as a lead, from its intent, length and the replier's bio (pure)."""

from __future__ import annotations

import re

from bot.understand.cues import CueMatcher, union
from bot.understand.intent import EXPERIENCE, FIGURE, OFFER_HEDGE
from bot.understand.model import Intent, Priority

_SENIOR_BIO = CueMatcher(*union(lambda c: c.senior_bio))
# "write to them", "उनसे बात कीजिए", "연락해 보세요" after naming someone: the answer points at a contact, a lead even when
# no name was filed; not "call them 'fixers'" (naming) nor "ask them to ..." (a step in the replier's method)
_THEM = CueMatcher(*union(lambda c: c.them_contact), r"उनसे (?:\S+ ){1,2}(?:बात|संपर्क)")
_NOT_THEM = re.compile(r"\bcall them [\"'‘“]|\bask them to\b", re.IGNORECASE)
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

# years in a trade, or the replier's own trade stated in the first person: "ASL interpreter, 15 yrs", "for 10 years
# I've", "soy enfermera", "je suis agricultrice", "tolk i 12 år", "수어통역 8년차", "片手プレイ歴5年", "दस साल से"
_PRACTICE = CueMatcher(
    r"\b\d+\+? ?(?:yrs|years?) (?:in|as|of|doing|now)\b|, \d+\+? ?yrs\b|\bfor (?:\d+|two|three|five|ten|twenty) years\b",
    r"\b(?:i'?m|i am) an? (?:[\w-]+ )?(?:nurse|midwife|farmer|fisher(?:man)?|interpreter|doctor|pharmacist|teacher)\b",
    r"\bsoy (?:un[ao]? )?[\w]+(?:ero|era|ista|ora|ico|ica)\b|\bllevo \d+ años\b",
    r"\bsou (?:um[a]? )?[\w]+(?:eiro|eira|ista|ora|ico|ica)\b",
    r"\bsono (?:un[a']? ?)?[\w]+(?:iere|iera|ista|ore|rice|ico|ica)\b|\bda \d+ anni\b",
    r"\bje suis (?:une? )?[\w-]+(?:eur|euse|rice|ier|ière|iste|ien|ienne)\b|\bdepuis \d+ ans\b",
    r"\bich bin (?:[\w-]+)(?:er|erin|ist|istin)\b|\bseit \d+ jahren\b",
    r"\bik ben (?:een )?[\w-]+(?:er|ist|ige|aar)\b|\b(?:al|sinds) \d+ jaar\b",
    r"\bjag är [\w-]+(?:are|ist|ska|örska)\b|\bi \d+ år\b",
    r"\bjestem [\w-]+(?:arką|arzem|istą|istką|ikiem|iczką)\b|\bod \d+ lat\b",
    r"\b\d+ yıl(?:dır|lık)?\b",
    r"\b(?:sudah|udah) \d+ tahun\b|\b\d+ tahun (?:jadi|sebagai)\b",
    r"\b\d+ năm (?:rồi|nay|trong nghề)\b",
    r"\d+년차|歴\d+年|\d+年(?:目|になります)|(?:干|做|从事)了?\S{0,8}?\d+年|\d+ (?:साल|वर्षों?) से|(?:दो|तीन|पाँच|दस|बीस) साल से",
    r"منذ \d+ (?:سنوات|سنة|عام)",
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
    if _THEM.search(body) and not _NOT_THEM.search(body) and n_words >= 15:
        return "high"  # "... runs the archive there, write to them": a missed referral is still a lead
    if (_CREDENTIAL.search(body) or _PRACTICE.search(body)) and n_words >= 20:
        return "high"  # "as a dairy farmer: ...", "nurse for 12 years" - the replier answers from their own trade
    if not bio.strip():  # no profile: first-hand experience in a specific answer still marks an expert
        return "high" if EXPERIENCE.search(body) and n_words >= 22 else "medium"
    junior = _JUNIOR_BIO.search(bio)
    senior = (_SENIOR_BIO.search(bio) or _PRACTICE.search(bio)) and not junior  # "10년차", "RN, 12 yrs"
    expert = senior or EXPERIENCE.search(body) or (_PHD_BIO.search(bio) and not junior)
    # a long answer from a profile, or one with a measured figure ("~0.5 median", "2-3x") is specific
    substantial = not junior and (n_words >= 45 or (n_words >= 30 and _measured(body)))
    return "high" if (expert and n_words >= 20) or substantial else "medium"
