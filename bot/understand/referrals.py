"""Stage 2: the people a reply recommends contacting: handles, names, and the organisations of `orgs` (pure)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.models import Mention
from bot.understand.cues import union
from bot.understand.model import MAX_HANDLES, Referral
from bot.understand.names import (
    COMMON_NOT_NAME,
    NOT_CONTACT_AFTER,
    NOT_CONTACT_BEFORE,
    TITLED,
    cjk_people,
    named_people,
    shaped_people,
)
from bot.understand.normalise import LATIN_LO, LATIN_UP, fold, normalise_handle
from bot.understand.orgs import org_referrals
from bot.understand.polish import PL_CASE_BEFORE, polish_nominative
from bot.understand.spam import is_bot_handle

_NAME_TOKEN = rf"[{LATIN_UP}][{LATIN_LO}]+(?:[-'’][{LATIN_UP}][{LATIN_LO}]+)?"
_NAME_RUN = re.compile(rf"(?<![\w@./-])(?:{_NAME_TOKEN})(?: {_NAME_TOKEN}){{0,2}}(?![\w@-])")
_NOT_NAME = COMMON_NOT_NAME
# a contact verb or relationship just before a name: the verbs case-insensitive, the honorific after them not
_CONTACT_BEFORE = re.compile(
    f"(?i:{'|'.join(union(lambda c: c.contact_before_handle))})" r"(?:,)? (?:(?:Dr|Prof|Professor)\.? )?$"
)
_ENDORSE_AFTER_NAME = re.compile(
    r"^(?:,)?\s+(?:is (?:great|the best|brilliant|amazing|excellent|fantastic|perfect|your (?:person|best)|"
    r"the (?:person|one|expert|right)|an expert|really good|working on|doing|hiring)|has (?:the|real|great|"
    r"some|done|been)|have the|knows|works on|did|ran|runs|leads|built|wrote|'s great|is who)\b",
    re.IGNORECASE,
)
_PREDICATE_START = re.compile(  # one shared prefix: each `^[\s...]*` alternative would rescan a blank flood
    r"^[\s,:;—–-]*+(?:(?:is|are|was|has|have|did|does|'s|"
    r"hat|ist|est|fait|es|tiene|è|ha)\b(?! (?:this|that|it|there|anyone|anybody)\b)"
    r"|(?:would (?:be|know)|might know|can help|could help|should (?:know|be))\b"
    r"|(?:knows|works|runs|leads|built|wrote|ran|maintains|curates|teaches|studies|arbeitet|forscht|"
    r"travaille|trabaja|lavora)\b|(?:さん|先生|氏|くん|ちゃん))",
    re.IGNORECASE,
)
_PRONOUN_CONTACT = re.compile(
    r"\b(?:talk to|ask|ping|contact|follow|check out|reach out to|message|dm|email|e-mail|write to) "
    r"(?:them|both|these|those|him|her)\b",
    re.IGNORECASE,
)
_NEGATIVE_BEFORE = re.compile(
    r"(?:\bskip|\bavoid|\bignore|\bdon'?t (?:follow|listen to|bother with|trust)|\bnot|\bunlike|\bexcept|"
    r"\bblock|\bmute|\bsteer clear of|\bévite[rz]?|\bevita|\bvermeide|\bignoriere)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_ATTRIBUTION_BEFORE = re.compile(r"\b(?:as|like|per|what|agree with)\s+$", re.IGNORECASE)
_ATTRIBUTION_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:said|says|mentioned|noted|wrote|pointed out|suggested)\b", re.IGNORECASE
)
_ENDORSE_PRONOUN = re.compile(
    r"\b(?:he|she|they)(?:'s| is| are|'re) (?:the (?:person|one|expert)|your (?:person|best bet))|"
    r"\b(?:ask|dm|ping|email|message|contact) (?:him|her|them)\b",
    re.IGNORECASE,
)
_JOKE_AFTER = re.compile(r"^[\s,:]*(?:lol|lmao|haha\w*|same|ikr|exactly|😂|🤣|💀)", re.IGNORECASE)
_HANDLE_TEXT = re.compile(
    r"(?<![\w.@/])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)"
    r"|(?:https?://)?(?:www\.)?(?:bsky\.app/profile/|(?:x|twitter)\.com/)([A-Za-z0-9_.-]+)"
    r"|(?<![\w.@/-])([a-z0-9][a-z0-9-]{0,62}\.bsky\.social)(?![\w-]|\.\w)",  # a Bluesky handle written bare
)
_X_HANDLE = re.compile(r"^[a-z0-9_]{1,15}$")
_BSKY_HANDLE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")
_X_PATHS = frozenset({"home", "search", "i", "intent", "share", "hashtag", "explore", "settings", "messages"})
_HANDLE_AFTER_NAME = re.compile(
    r"\s{0,3}[(,–—-]?\s{0,3}(?:(?:https?://)?(?:www\.)?(?:bsky\.app/profile/|(?:x|twitter)\.com/))?@?"
    r"((?:[\w-]{1,63}\.){1,6}[a-z]{2,24}|(?<=@|/)\w{1,15})\b"
)


def _handle_platform(handle: str, reply_platform: str, after: str) -> str:
    if "." in handle:
        return "bluesky"
    near = after[:30].lower()
    if re.search(r"\bon (?:bluesky|bsky)\b", near):
        return "bluesky"
    if re.search(r"\bon substack\b", near):
        return "substack"
    return "x"


def _valid_handle(h: str) -> bool:
    return bool(_BSKY_HANDLE.match(h)) if "." in h else bool(_X_HANDLE.match(h))


@dataclass
class _Found:
    handle: str
    start: int
    end: int
    platform: str
    is_url: bool = False


def _find_handles(text: str, platform: str, mentions: Sequence[Mention]) -> list[_Found]:
    """Handles written in the text, plus the platform's structured mentions, in text order."""
    found = _handles_in_text(text, platform)
    _locate_mentions(text, platform, mentions, found)
    found.sort(key=lambda f: f.start)
    return found


def _handles_in_text(text: str, platform: str) -> list[_Found]:
    """ "@name", "bsky.app/profile/h", "x.com/h" and bare "h.bsky.social", with the platform each is on."""
    found: list[_Found] = []
    for m in _HANDLE_TEXT.finditer(text):
        if len(found) >= MAX_HANDLES:
            break
        h = normalise_handle(m.group(1) or m.group(2) or m.group(3) or "")
        if (m.group(2) and h in _X_PATHS) or not _valid_handle(h):
            continue
        is_x_url = m.group(2) is not None and "bsky.app" not in m.group(0)
        plat = "x" if is_x_url else _handle_platform(h, platform, text[m.end() :])
        if platform == "x" and "." not in h:
            plat = "x"
        found.append(_Found(h, m.start(), m.end(), plat, m.group(2) is not None))
    return found


def _locate_mentions(text: str, platform: str, mentions: Sequence[Mention], found: list[_Found]) -> None:
    """Platform structure: trust its handle and platform; locate it in the text."""
    seen = {f.handle for f in found}
    for mention in mentions:
        if not mention.handle:
            continue
        h = normalise_handle(mention.handle)
        plat = mention.platform or platform
        hits = [f for f in found if f.handle == h]
        for f in hits:
            f.platform = plat
        if not hits and h not in seen and _valid_handle(h):
            pos = text.lower().find("@" + h)
            if pos >= 0:
                found.append(_Found(h, pos, pos + len(h) + 1, plat))
                seen.add(h)


def _name_runs(text: str) -> list[tuple[str, int, int]]:
    runs: list[tuple[str, int, int]] = []
    for m in _NAME_RUN.finditer(text):
        if len(runs) >= MAX_HANDLES * 2:
            break
        tokens = m.group(0).split(" ")
        start = m.start()
        while tokens and tokens[0].lower() in _NOT_NAME:  # "Also Lucas" -> "Lucas"
            start += len(tokens[0]) + 1
            tokens = tokens[1:]
        while tokens and tokens[-1].lower() in _NOT_NAME:
            tokens = tokens[:-1]
        if tokens and not any(t.lower() in _NOT_NAME for t in tokens):
            name = " ".join(tokens)
            runs.append((name, start, start + len(name)))
    return runs


def _name_for_handle(handle: str, runs: Sequence[tuple[str, int, int]]) -> str | None:
    """The longest name whose parts all appear in the handle (Maria ~ mariak_lab, Arne Levin ~ levin_arn)."""
    key = fold(handle.split(".", 1)[0] if "." in handle else handle)
    best: str | None = None
    for name, _s, _e in runs:
        parts = [fold(p) for p in re.split(r"[ '’-]", name) if p]
        if not parts or any(len(p) < 3 for p in parts):
            continue
        if any(p in key for p in parts) and all(p in key or p[:3] in key for p in parts):
            if best is None or len(name) > len(best):
                best = name
    return best


def _prefix_end(text: str, found: Sequence[_Found]) -> int:
    """End of the run of mentions the reply starts with (X auto-prefix, or addressing someone)."""
    end = 0
    for f in found:
        if f.is_url or text[end : f.start].strip():
            break
        end = f.end
    return end


@dataclass(frozen=True)
class _Prefix:
    """The run of mentions a reply starts with, and what the rest of the reply says about them."""

    end: int
    body: str  # the text after the run
    pronoun_contact: bool  # "... just DM her"
    predicate_start: bool  # "@a is the person to ask"
    any_named: bool  # one of the mentioned people is named in the body


def _read_prefix(text: str, found: Sequence[_Found], runs: Sequence[tuple[str, int, int]]) -> _Prefix:
    end = _prefix_end(text, found)
    body = text[end:]
    any_named = any(
        f.end <= end and (n := _name_for_handle(f.handle, runs)) is not None and n in body for f in found
    )
    return _Prefix(
        end, body, bool(_PRONOUN_CONTACT.search(body)), bool(_PREDICATE_START.match(body)), any_named
    )


def _prefix_endorsed(prefix: _Prefix, name: str | None) -> bool:
    """Whether the text after the leading mentions endorses this one (otherwise it only addresses it)."""
    # "@a @b +1, B's handbook is great, just DM her": the pronoun points at the one named, not at all
    named_in_body = name is not None and name in prefix.body
    if prefix.predicate_start or (prefix.pronoun_contact and (named_in_body or not prefix.any_named)):
        return True
    if not name:
        return False
    pos = prefix.body.find(name)
    return pos >= 0 and (
        bool(_ENDORSE_AFTER_NAME.match(prefix.body[pos + len(name) :]))
        or bool(_CONTACT_BEFORE.search(prefix.body[max(0, pos - 40) : pos]))
    )


def _mention_dropped(text: str, f: _Found) -> bool:
    """A mention in the body that is not a recommendation: negative, a joke, or an attribution."""
    before = text[max(0, f.start - 40) : f.start]
    after = text[f.end : f.end + 40]
    if (
        _NEGATIVE_BEFORE.search(before)
        or _CREDITED_BEFORE.search(before)
        or NOT_CONTACT_BEFORE.search(before)
        or NOT_CONTACT_AFTER.match(after)
        or _JOKE_AFTER.match(after)
    ):
        return True
    attributed = _ATTRIBUTION_BEFORE.search(before) or _ATTRIBUTION_AFTER.match(after)
    # "What @x said. Also, he's the person to DM" endorses after all
    return bool(attributed) and not _ENDORSE_PRONOUN.search(text, f.end, f.end + 80)


@dataclass
class _Refs:
    """The referrals kept so far, the handles already decided, and the names already used for someone."""

    refs: list[Referral] = field(default_factory=list)
    handled: set[str] = field(default_factory=set)
    used_names: set[str] = field(default_factory=set)

    def add(self, f: _Found, name: str | None) -> None:
        if f.handle in self.handled:
            return
        self.handled.add(f.handle)
        if name:
            self.used_names.add(name)
        kind: Literal["person", "org"] = (
            "org" if re.search(r"\.org$|institute|foundation|society", f.handle) else "person"
        )
        self.refs.append(Referral(f.handle, name, f.platform, kind))


def _endorse_by_later_name(
    text: str, prefix_end: int, runs: Sequence[tuple[str, int, int]], only: _Found, acc: _Refs
) -> None:
    """ "@noa @roisin We did it together: Roisin has the real results" -> the one leading mention is endorsed"""
    for name, s, e in runs:
        if " " not in name and s >= prefix_end and _ENDORSE_AFTER_NAME.match(text[e:]):
            acc.add(only, name)
            break


def _add_named_people(
    text: str,
    prefix_end: int,
    excluded: set[str],
    skip_names: Collection[str],
    orgs: tuple[list[Referral], list[tuple[int, int]]],
    acc: _Refs,
) -> None:
    """People named without a handle: honorifics, contact verbs, roles, affiliations, lists, CJK honorifics."""
    folded_excluded = {fold(x) for x in excluded}
    org_names = {o.name for o in orgs[0]}
    for name, s, e in [*named_people(text, skip_names, orgs[1]), *cjk_people(text, skip_names)]:
        if name in acc.used_names or name in org_names or fold(name) in folded_excluded:
            continue
        if s < prefix_end or any(_name_for_handle(h, [(name, s, e)]) for h in acc.handled):
            continue
        acc.used_names.add(name)
        own = _HANDLE_AFTER_NAME.match(text, e)
        h = normalise_handle(own.group(1)) if own else ""
        if own and any(r.handle == h for r in acc.refs):  # "Jane Okafor (@jokafor_lab)": one person, named
            acc.refs[:] = [
                Referral(r.handle, r.name or name, r.platform, r.kind) if r.handle == h else r
                for r in acc.refs
            ]
            continue
        acc.refs.append(Referral(None, nominative(text, name, s), None, "person"))


def nominative(text: str, name: str, start: int) -> str:
    """The name as a referral is filed: a Polish name in the case its contact verb governs, in the nominative."""
    if TITLED.match(name):
        return name  # "prof. Nowickiej": a title and a surname are filed as written
    case = PL_CASE_BEFORE.search(text, max(0, start - 40), start)
    return polish_nominative(name, case.lastgroup or "") if case else name


def _add_shaped(
    text: str, prefix_end: int, excluded: set[str], skip_names: Collection[str], acc: _Refs
) -> None:
    """Names found by a language's word order and particles (`names.shaped_people`), unless already found."""
    folded = {fold(x) for x in (*excluded, *skip_names) if x}
    for raw, s, _e, is_org in shaped_people(text):
        name = raw if is_org else nominative(text, raw, s)
        if is_org:  # "hỏi Viện Khoa học X": the organisation's name replaces the person read from its start
            acc.refs[:] = [r for r in acc.refs if r.handle or not r.name or not name.startswith(r.name + " ")]
        if (
            s < prefix_end
            or fold(name) in folded
            or any(name in (r.name or "") or (r.name or "") in name for r in acc.refs if r.name)
        ):
            continue
        acc.used_names.add(name)
        acc.refs.append(
            Referral(None, name if is_org else nominative(text, name, s), None, "org" if is_org else "person")
        )


def _org_has_handle(text: str, name: str, acc: _Refs) -> bool:
    """ "Yayasan X (@x_id)": the organisation is the handle already kept, not a second referral."""
    at = text.find(name)
    own = _HANDLE_AFTER_NAME.match(text, at + len(name)) if at >= 0 else None
    return own is not None and normalise_handle(own.group(1)) in acc.handled


def find_referrals(
    text: str,
    platform: str,
    excluded: set[str],
    mentions: Sequence[Mention],
    skip_names: Collection[str] = (),
) -> tuple[list[Referral], bool]:
    """People and orgs recommended for contact, and whether the text invokes a bot."""
    found = _find_handles(text, platform, mentions)
    runs = _name_runs(text)
    prefix = _read_prefix(text, found, runs)
    acc = _Refs()
    prefix_unendorsed: list[_Found] = []
    for f in found:
        if f.handle in excluded or is_bot_handle(f.handle):
            acc.handled.add(f.handle)
            continue
        name = _name_for_handle(f.handle, runs)
        if f.end > prefix.end:
            if not _mention_dropped(text, f):
                acc.add(f, name)
        elif _prefix_endorsed(prefix, name):  # a leading mention is a referral only if the text endorses it
            acc.add(f, name)
        else:
            prefix_unendorsed.append(f)
    if len(prefix_unendorsed) == 1:
        _endorse_by_later_name(text, prefix.end, runs, prefix_unendorsed[0], acc)
    orgs = org_referrals(text)
    _add_named_people(text, prefix.end, excluded, skip_names, orgs, acc)
    for org in orgs[0]:
        if (
            org.name
            and all(r.name != org.name for r in acc.refs)
            and not _org_has_handle(text, org.name, acc)
        ):
            acc.refs.append(org)
    _add_shaped(text, prefix.end, excluded, skip_names, acc)
    # as filed: a name restated in full or an acronym's expansion under it; the names that are not
    # recommendations after all dropped (the same person as a handle, the replier's own story, thanks)
    refs = [_expanded(text, _full_name(text, r)) for r in acc.refs]
    return [r for r in refs if r.handle or not _not_referred(text, r, refs)], any(
        is_bot_handle(f.handle) for f in found
    )


# "Mehmet Bey'le konuşun. Mehmet Kaya, ...", "Herr Behrendt (Lukas Behrendt, TH Köln)", "my supervisor Hamid ...
# Hamid Chowdhury": a person first called by one name (with a title or not) and then by their full name
_TITLE_WORD = re.compile(
    r"^(?:(?:Dr|Prof|Herr|Frau|Mr|Mrs|Ms|Mme|Pak|Bu|Mas|Mbak|Anh|Chị|Bác)\.? )"
    r"|(?: (?:Bey|Hanım|Hoca|ji|sir|san))$",
    re.IGNORECASE,
)
_FULL_NAME = rf"[{LATIN_UP}][{LATIN_LO}]+(?:[-'’][{LATIN_UP}][{LATIN_LO}]+)?"


def _full_name(text: str, ref: Referral) -> Referral:
    """A one-word person referral restated in full within the next 150 characters, in a sentence or bracket of
    its own (", Mehmet Kaya,", "(Lukas Behrendt", ". Hamid Chowdhury."): filed under the full name."""
    if ref.handle or ref.kind != "person" or not ref.name:
        return ref
    word = _TITLE_WORD.sub("", ref.name)
    if " " in word or len(word) < 3:
        return ref
    at = text.find(ref.name)
    if at < 0:
        return ref
    w = re.escape(word)
    restated = re.compile(
        rf"(?:^|[,(.:;!?]|\b(?:yani|i\.e\.|d\.h\.|namely))\s*(?P<full>{w} {_FULL_NAME}|{_FULL_NAME} {w})"
        rf"(?=\s*[,.;:)!?]|\s*$)",
        re.IGNORECASE,
    )
    m = restated.search(text, at + len(ref.name), at + len(ref.name) + 150)
    if not m or not m.group("full")[0].isupper():
        return ref
    return Referral(None, m.group("full"), None, "person")


# thanking or congratulating someone is not recommending them: "congrats to @x on the paper", "credit to my
# colleague X, who tested it", "shout-out to @y"
_CREDITED_BEFORE = re.compile(
    r"(?i:\b(?:congrats|congratulations|kudos|credit|props|hats off|shout-?out|thanks|thank you|big up)"
    r"[,!]? (?:to )?(?:(?:my|our) (?:\w+ ){0,2})?$)"
)
# the replier's own story: a first-person sentence about being funded, meeting or visiting ("we got our cameras
# from an X grant", "wir sind zur X gegangen", "X a financé notre étude", "humein grant X se mili thi", "I met
# Y at X"), unless that sentence or the next one says to contact them
_FIRST_PERSON = re.compile(
    r"(?i:\b(?:we|our|us|i|my|wir|unser\w*|ich|nous|notre|nos|je|j['’]|nosotros|nuestr[oa]s?|\w+amos|nós|"
    r"nosso|nossa|noi|nostr[oa]|hum|humein|hamein|humne|hamne|maine|mujhe|kami|saya|aku|wij|onze|ik|vi|vår\w*|"
    r"jag|my|nasz\w*)\b)"
)
_OWN_PAST = re.compile(
    r"(?i:\b(?:got|received|were funded|was funded|funded (?:us|our|my)|paid (?:for )?(?:us|our|most)|met|"
    r"visit(?:ed|ing)|went|joined|gegangen|finanziert|gefördert|bekommen|erhalten|getroffen|besucht|financ[ée]e?|"
    r"reçu|obtenu|rencontré|financió|financiado|recibimos|conseguimos|probamos|financiou|recebemos|finanziato|"
    r"mili|mila|mile|dapat|dapet|didanai|gefinancierd|gekregen|kregen|fick|finansierade|dostaliśmy)\b)"
)
_CONTACT_CUE = re.compile(  # only asked on a first-person past sentence; "asked her", "trying" are the story
    "(?:"
    + "|".join(
        (
            *union(lambda c: c.contact_org),
            *union(lambda c: c.contact_before_name),
            *union(lambda c: c.them_contact),
        )
    )
    + r")(?!(?:ed|ing)\b)"
)
# an organisation that is the replier's own: "Unsere Initiative ist ...", "Red Cross volunteer here" (not English
# "Our": "Our World in Data" is a name)
_OWN_ORG = re.compile(r"(?i:^(?:unser\w*|notre|nuestr[oa]|noss[oa]|nostr[oa]|onze|vår\w*|nasz\w*) )")
_OWN_ORG_AFTER = re.compile(
    r"(?i:^\s+(?:volunteer|staffer|staff|employee|member|researcher|engineer|nurse|person|folks?)s? here\b)"
)
# a handle given as someone's account: "his handle is @x", "حسابه @x", "sein Account: @x", "su cuenta es @x"
_ACCOUNT_BEFORE = re.compile(
    r"(?:\b(?:his|her|their) (?:handle|account)(?: is)?|حسابه|حسابها|\b(?:sein|ihr) (?:account|konto)|"
    r"\bsu cuenta(?: es)?|\bsua conta(?: é)?|\bson compte(?: est)?)[\s:،,]*@?$"
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_STRIP_TITLE = re.compile(r"(?i:^(?:dr|prof|pak|bu|mas|mbak|herr|frau|mr|mrs|ms|sister|anh|chị|chi)\.? )")


def _key(handle: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(handle.split(".", 1)[0] if "." in handle else handle))


def _not_referred(text: str, ref: Referral, refs: Sequence[Referral]) -> bool:
    """A name-only referral that is not one after all: the person or organisation behind a handle kept
    ("Jukka Lehtonen ... (bsky.app/profile/jlehtonen...)", "SVA" with @sva-vilt), an acronym next to its
    expansion, the replier's own organisation or story (funded by, met at, visited)."""
    name = ref.name or ""
    at = text.find(name)
    if not name or at < 0:
        return False
    keys = [(_key(r.handle), text.lower().find(r.handle)) for r in refs if r.handle]
    if ref.kind == "person":
        return _person_behind_handle(text, name, at, keys)
    return _org_not_referred(text, name, at, keys, refs)


def _person_behind_handle(text: str, name: str, at: int, keys: Sequence[tuple[str, int]]) -> bool:
    if any(
        0 < pos - at < 250 and _ACCOUNT_BEFORE.search(text.lower(), max(0, pos - 30), pos) for _k, pos in keys
    ):
        return True  # "زميلي كريم ... حسابه @karim_x": the name and the account of one person
    parts = [fold(p) for p in re.split(r"[ '’.-]", _STRIP_TITLE.sub("", name)) if len(p) >= 4]
    return any(any(p in k for p in parts) and (pos < 0 or abs(pos - at) < 300) for k, pos in keys)


def _org_not_referred(
    text: str, name: str, at: int, keys: Sequence[tuple[str, int]], refs: Sequence[Referral]
) -> bool:
    compact = re.sub(r"[^a-z0-9]", "", fold(name))
    if len(compact) >= 3 and any(k.startswith(compact) or compact == k for k, _pos in keys):
        return True
    if name.isupper() and any(
        r.name and r.name != name and (f"{name} ({r.name}" in text or f"{r.name} ({name})" in text)
        for r in refs
    ):
        return True  # "IPA (Innovations for Poverty Action)": one organisation, filed by its full name
    if _OWN_ORG.match(name) or _OWN_ORG_AFTER.match(text, at + len(name)):
        return True
    return _own_story(text, at)


def _own_story(text: str, at: int) -> bool:
    """Whether the sentence at `at` is the replier's own past (funded by, met at, visited), with no contact cue
    in it or the next sentence."""
    sentences = [(m.start(), m.end(), m.group(0)) for m in _SENTENCE.finditer(text)]
    for i, (s, e, sentence) in enumerate(sentences):
        if s <= at < e:
            near = sentence + (sentences[i + 1][2] if i + 1 < len(sentences) else "")
            return (
                bool(_FIRST_PERSON.search(sentence))
                and bool(_OWN_PAST.search(sentence))
                and not _CONTACT_CUE.search(near.lower())
            )
    return False


_EXPANSION = re.compile(
    rf"\s*\((?P<full>[{LATIN_UP}][\w-]*(?: (?:[{LATIN_UP}][\w-]*|of|for|and|on|in|de|du|des|für|&)){{1,8}})\)"
)


def _expanded(text: str, ref: Referral) -> Referral:
    """ "IPA (Innovations for Poverty Action)": an acronym whose expansion follows is filed by the expansion."""
    name = ref.name or ""
    if ref.handle or ref.kind != "org" or not name.isupper() or not name.isalpha():
        return ref
    at = text.find(name)
    m = _EXPANSION.match(text, at + len(name)) if at >= 0 else None
    if not m:
        return ref
    initials = "".join(w[0] for w in m.group("full").split(" ") if w[0].isupper())
    return Referral(None, m.group("full"), None, "org") if initials.startswith(name[:2]) else ref
