"""The shape every language module fills: one `Cues` of regex alternatives per language (pure data).

Each alternative is a regex searched in lower-cased text (`bot.understand.cues.CueMatcher`); one starting with
`\\b` is tried only where a word starts, one starting with `^` only at the start of the text. A language with no
rule of some kind leaves that field empty. The stages build their matchers from the union of all languages
(`bot.understand.cues.union`), so a new cue goes in one place: its language's module.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cues:
    code: str  # ISO 639-1, or "multi" for cues that cross languages
    stop_words: frozenset[str]  # frequent words that tell the language apart (language detection)
    question_words: tuple[str, ...]  # words that open a question (matched at the start of a clause)
    injection: tuple[str, ...]  # a reply trying to instruct the bot: spam whose handles are never filed
    spam: tuple[str, ...]  # spam on its own (one is enough)
    abuse: tuple[str, ...]  # insults and contempt
    offer: tuple[str, ...]  # the replier offers contact, help, material or an introduction
    critique: tuple[str, ...]  # pushback on the question or its premise
    resource_nouns: tuple[str, ...]  # things one reads, watches or uses (a named one near them is a resource)
    senior_bio: tuple[str, ...]  # a bio that marks an expert (their answers are high-priority leads)
    experience: tuple[str, ...]  # first-hand experience in an answer
    them_contact: tuple[str, ...]  # "write to them" after naming an organisation
    contact_before_handle: tuple[
        str, ...
    ]  # a contact verb or relationship just before a mentioned person's name (referrals)
    contact_before_name: tuple[
        str, ...
    ]  # a contact verb, relationship or "the person to ask is" just before a name (names)
    contact_single: tuple[
        str, ...
    ]  # a contact verb before one given name alone ("ask Ivan", if a personal pronoun follows)
    recommends: tuple[
        str, ...
    ]  # a reply about reaching someone (an honorific-only name needs it); searched in lower-cased text
    contact_org: tuple[
        str, ...
    ]  # a contact verb before an organisation (orgs; its order matters: see orgs.CONTACT_ORDER)
    # cues added for issue 19; a language without them keeps the empty default
    social: tuple[str, ...] = ()  # thanks, agreement, "following", laughter: social when nothing else fires
    question_any: tuple[str, ...] = ()  # a question word or particle anywhere in a sentence ending in "?"
    referral_shapes: tuple[
        str, ...
    ] = ()  # a recommended name by its shape, in the text as written (group `name`)
    not_name: frozenset[str] = frozenset()  # words a shape may catch at a name's edges (pronouns, particles)
    org_words: frozenset[str] = frozenset()  # a word that makes a shaped name an organisation
    # issue 19, third round: negation travels too ("don't ask @x", "no le preguntes a X", "X'e sormayın")
    not_contact: tuple[str, ...] = ()  # a negated contact verb ending just before a name or mention
    not_contact_after: tuple[
        str, ...
    ] = ()  # a negation right after a name (verb-final languages: "X से मत पूछो", "X'e sormayın")
    # issue 20: a contact verb with a one-person pronoun ("email her", "escríbele", "schreib ihm"): the full name
    # written just before it is the one recommended, even with other sentences between
    contact_pronoun: tuple[str, ...] = ()
    staff_of: tuple[
        str, ...
    ] = ()  # "the people at" ending just before an organisation's name ("o pessoal da")
