"""Korean cue phrases: regex alternatives, each searched in lower-cased text (pure data)."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="ko",
    stop_words=frozenset(),
    question_words=(),
    injection=(),
    spam=(),
    abuse=(),
    offer=(),
    critique=(),
    resource_nouns=(),
    senior_bio=(),
    experience=(),
    them_contact=(),
    contact_before_handle=(),
    contact_before_name=(),
    contact_single=(),
    recommends=(r"연락|문의",),
    contact_org=(),
)
