"""The learned referral-name tagger: which words of a reply name a person or organisation to contact (pure, lazy).

The rules (`referrals`, `names`, `orgs`) find people by handles and by the shapes of names they were written
for; this model finds the rest by what surrounds a name, in any script: a maximum-entropy tagger (softmax over
word, affix, shape and script features, the neighbouring words, the rules' contact cues of every language near
the word and anywhere in the reply, and the tags before it) labels each word O, B-person, I-person, B-org or
I-org, read left to right; a word joins a name when that tag is at least `KEEP` likely.

`understand` asks it only through `is_referral` (the learned intent model must read the reply as a referral,
and no contact cue may be negated), and `extra_referrals` files only spans the rules did not find in any form.

Trained by `python -m bot.understand.train` from the labelled rows' referral names (`gold_tags`) and shipped as
`referral_weights.json.gz`, read on first use (never at import). It reads at most `MAX_TOKENS` words of
already cleaned text, so a hostile reply costs what a long ordinary one does.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bot.understand.cues import CueMatcher, union
from bot.understand.lang.base import Cues
from bot.understand.learned import IntentModel
from bot.understand.model import Referral
from bot.understand.normalise import LATIN_UP
from bot.understand.referrals import nominative

WEIGHTS = Path(__file__).with_name("referral_weights.json.gz")
TAGS = ("O", "B-person", "I-person", "B-org", "I-org")
MAX_TOKENS = 100  # words of the reply the tagger reads (head of the cleaned text; the 5 ms budget)
KEEP = 0.3  # a word is tagged part of a name when that tag is at least this likely
ENABLED = True  # whether `understand` asks the shipped tagger
GATE = 0.5  # the intent model's P(referral) above which the tagger is asked (`is_referral`)
CUED_GATE = 0.2  # ... or above this when the reply has a contact cue
VIEW = 1000  # characters of the reply read for contact cues

_STOP = r"\s.,;:!?()\[\]{}\"“”«»„/|…、。，！？：；（）'’<>*#"
_ELIDED = r"(?<![^\s(\[\"“«„])(?:[LlDdJjNnMmTtSsCc]|[Qq]u|[Dd]ell|[Aa]ll|[Nn]ell|[Ss]ull|[Dd]all)['’](?=\w)"
# an apostrophe joins a word only before a capital (O'Brien, D'Angelo): "Aktaş'a", "Odası'na" (Turkish case
# endings), "don't" split, so a name's own words stay whole
_TOKEN = re.compile(
    rf"{_ELIDED}|['’]s(?![^{_STOP}])|[^{_STOP}]+(?:['’](?=[{LATIN_UP}])[^{_STOP}]{{1,40}}){{0,3}}|\S"
)
# Korean particles and honorific suffixes written onto a noun: split off, so "김민수님께" gives the name "김민수"
_HANGUL_TAIL = re.compile(
    "(?<=[가-힣]{2})(?:님께서|님한테|님에게|에게서|한테서|님께|님이|님은|님을|님의|님과|님도|님|씨|께서|께|에게|한테|"
    "에서|으로|이랑|랑|에|의|은|는|이|가|을|를|와|과|도|로)$"
)
_SENT_END = frozenset(".!?。！？\n")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokens(clean: str) -> list[Token]:
    """Words and single punctuation marks, with their offsets; "'s" stays apart ("Kowalski's lab"), and so
    do elided articles ("l'Institut", "dell'Università") and Korean particles ("센터에")."""
    out: list[Token] = []
    for m in itertools.islice(_TOKEN.finditer(clean), MAX_TOKENS):
        word, start, end = m.group(), m.start(), m.end()
        tail = _HANGUL_TAIL.search(word) if "가" <= word[0] <= "힣" else None
        if tail is not None:
            cut = start + tail.start()
            out += [Token(word[: tail.start()], start, cut), Token(tail.group(), cut, end)]
        else:
            out.append(Token(word, start, end))
    return out[:MAX_TOKENS]


def shape(word: str) -> str:
    out: list[str] = []
    for ch in word[:12]:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        elif ch.isalpha() or unicodedata.category(ch).startswith("M"):
            c = "L"  # a letter of an uncased script (Hangul, Devanagari, Arabic, CJK)
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def asks(tok: Token, prev_tag: str) -> bool:
    """Whether the model is asked about this word: a punctuation mark outside a name is O (no name starts
    with one), in training and tagging alike."""
    ch = tok.text[0]
    return prev_tag != "O" or ch.isalnum() or unicodedata.category(ch).startswith("M")


def _script(word: str) -> str:
    ch = word[0]
    if ch.isascii():
        return "ascii"
    name = unicodedata.name(ch, "?").split(" ")[0]
    return name if name in {"HANGUL", "DEVANAGARI", "ARABIC", "CJK", "HIRAGANA", "KATAKANA"} else "latin+"


# the rules' cue lists of all languages, as context: a word within CUE_REACH words after a contact verb, or
# before "write to her", is marked the same in every language, so a language with few training names still
# gets the signal
_CUE_FIELDS: dict[str, Callable[[Cues], tuple[str, ...]]] = {
    "contact": lambda c: c.contact_before_name,
    "contact_h": lambda c: c.contact_before_handle,
    "org": lambda c: c.contact_org,
    "pronoun": lambda c: c.contact_pronoun,
    "them": lambda c: c.them_contact,
    "staff": lambda c: c.staff_of,
    "neg": lambda c: c.not_contact,
    "neg_after": lambda c: c.not_contact_after,
    "recommends": lambda c: c.recommends,
}
CUE_REACH = 3


@functools.cache
def _matchers() -> dict[str, CueMatcher]:
    return {key: CueMatcher(*union(field)) for key, field in _CUE_FIELDS.items()}


@functools.cache
def _word_lists() -> tuple[frozenset[str], frozenset[str]]:
    org = frozenset(w.lower() for w in union(lambda c: tuple(c.org_words)))
    not_name = frozenset(w.lower() for w in union(lambda c: tuple(c.not_name)))
    return org, not_name


def _cue_marks(toks: Sequence[Token], low_text: str) -> list[list[str]]:
    marks: list[list[str]] = [[] for _ in toks]
    if not toks:
        return marks
    starts = [t.start for t in toks]
    ends = [t.end for t in toks]
    for key, matcher in _matchers().items():
        places = matcher.places(low_text)
        if places:  # the reply says it somewhere: a name anywhere in it may be the one meant
            for m in marks:
                m.append(f"doc:{key}")
        for a, b in places:
            first = bisect.bisect_left(starts, b)  # the first word starting after the cue
            for j in range(first, min(len(toks), first + CUE_REACH)):
                marks[j].append(f"after:{key}")
            last = bisect.bisect_right(ends, a) - 1  # the last word ending before it
            for j in range(max(0, last - CUE_REACH + 1), last + 1):
                marks[j].append(f"before:{key}")
    return marks


def static_features(toks: Sequence[Token], text: str = "") -> list[list[str]]:
    """Each word's features that do not depend on the tags before it (`text`: the text the words are of,
    for the cue marks)."""
    low = [t.text.lower() for t in toks]
    marks = _cue_marks(toks, text[: toks[-1].end].lower()) if text and toks else [[] for _ in toks]
    org_words, not_name = _word_lists()
    shapes = [shape(t.text) for t in toks]
    out: list[list[str]] = []
    for i, t in enumerate(toks):
        w, sh = low[i], shapes[i]
        prev = low[i - 1] if i else "<s>"
        nxt = low[i + 1] if i + 1 < len(toks) else "</s>"
        start = i == 0 or toks[i - 1].text in _SENT_END
        f = [
            "b",
            f"w={w}",
            f"p3={w[:3]}",
            f"s3={w[-3:]}",
            f"s2={w[-2:]}",
            f"sh={sh}",
            f"sc={_script(t.text)}",
            f"-1={prev}",
            f"+1={nxt}",
            f"-2={low[i - 2] if i > 1 else '<s>'}",
            f"+2={low[i + 2] if i + 2 < len(toks) else '</s>'}",
            f"-1sh={shapes[i - 1] if i else '<s>'}",
            f"+1sh={shapes[i + 1] if i + 1 < len(toks) else '</s>'}",
            f"-1w,sh={prev},{sh}",
            f"sh,+1={sh},{nxt}",
        ]
        if start:
            f.append(f"start,sh={sh}")
        if w in org_words:
            f.append("orgword")
        if w in not_name:
            f.append("notname")
        f += [f"{m},sh={sh}" for m in dict.fromkeys(marks[i])]
        for j in range(max(0, i - 5), i - 1):
            f.append(f"L={low[j]}")
        for j in range(i + 2, min(len(toks), i + 6)):
            f.append(f"R={low[j]}")
        out.append(f)
    return out


def tag_features(base: Sequence[str], before: Sequence[str], shape: str) -> list[str]:
    """`base` plus what the tags so far say: the previous word's tag, and whether a name ended just before
    (an organisation right after a person is usually their affiliation, not a second referral)."""
    prev = before[-1] if before else "O"
    out = [*base, f"pt={prev}", f"pt,sh={prev},{shape}"]
    if prev == "O" and any(t != "O" for t in before[-4:]):
        out.append(f"near,sh={shape}")
    return out


@dataclass(frozen=True)
class SpanModel:
    bias: tuple[float, ...]
    weights: Mapping[str, Sequence[tuple[int, float]]]  # feature -> (tag index, weight) pairs

    @functools.cached_property
    def _dense(self) -> dict[str, tuple[float, ...]]:
        out: dict[str, tuple[float, ...]] = {}
        for f, pairs in self.weights.items():
            row = [0.0] * len(TAGS)
            for k, w in pairs:
                row[k] = w
            out[f] = tuple(row)
        return out

    def scores(self, feats: Sequence[str]) -> list[float]:
        """The summed weights of `feats` per tag (no bias)."""
        z0 = z1 = z2 = z3 = z4 = 0.0  # len(TAGS) == 5, unrolled: this loop is the tagger's cost
        get = self._dense.get
        for f in feats:
            w = get(f)
            if w is not None:
                z0 += w[0]
                z1 += w[1]
                z2 += w[2]
                z3 += w[3]
                z4 += w[4]
        return [z0, z1, z2, z3, z4]

    def probabilities(self, feats: Sequence[str], partial: Sequence[float] = ()) -> list[float]:
        """P(tag | features); `partial`: scores already summed for other features of the same word."""
        z = [b + s for b, s in zip(self.bias, self.scores(feats), strict=True)]
        if partial:
            z = [a + b for a, b in zip(z, partial, strict=True)]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return [v / total for v in e]

    def tag(
        self, text: str, toks: Sequence[Token], keep: float = KEEP, known: Collection[int] = ()
    ) -> list[tuple[str, float]]:
        """Each word's tag and its probability, greedily left to right: the likeliest name tag allowed here
        (an I- tag only after its B- or I-) when it is at least `keep` likely, else O. Words in `known` (names
        the rules found) are tagged as a person's name, so what follows them reads as it would in training.
        A punctuation mark outside a name is O without asking (no name starts with one)."""
        out: list[tuple[str, float]] = []
        tags: list[str] = []
        for i, (t, base) in enumerate(zip(toks, static_features(toks, text), strict=True)):
            prev = tags[-1] if tags else "O"
            if i in known:
                tags.append("I-person" if prev in ("B-person", "I-person") and i - 1 in known else "B-person")
                out.append(("O", 1.0))  # not the model's to report
                continue
            if not asks(t, prev):
                tags.append("O")
                out.append(("O", 1.0))
                continue
            p = self.probabilities(tag_features((), tags, shape(t.text)), self.scores(base))
            allowed = [k for k, n in enumerate(TAGS) if n[0] == "B" or (n[0] == "I" and prev[2:] == n[2:])]
            k = max(allowed, key=p.__getitem__)
            tags.append(TAGS[k] if p[k] >= keep else "O")
            out.append((tags[-1], p[k]))
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "tags": list(TAGS),
            "bias": [round(b, 4) for b in self.bias],
            "weights": {f: [[k, round(w, 3)] for k, w in pairs] for f, pairs in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SpanModel:
        weights = {f: tuple((int(k), float(w)) for k, w in pairs) for f, pairs in data["weights"].items()}
        return cls(tuple(float(b) for b in data["bias"]), weights)


def spans(clean: str, model: SpanModel, keep: float = KEEP, known: Sequence[str] = ()) -> list[Referral]:
    """The name spans the model tags, each as a name-only referral (`kind` from its tag). `known`: names
    already found, whose words are not the model's to tag, nor the words right beside them."""
    toks = tokens(clean)
    at = _words_of(clean, toks, known)
    out: list[Referral] = []
    start: int | None = None
    kind = ""
    for i, (tag, _p) in enumerate([*model.tag(clean, toks, keep, at), ("O", 1.0)]):
        if start is not None and not tag.startswith("I-"):
            name = clean[toks[start].start : toks[i - 1].end]
            touches = start - 1 in at or i in at  # a title or tail of a name the rules found ("Bu" Ratna)
            if any(ch.isalpha() for ch in name) and not touches:
                if kind == "person":  # filed as the rules file it: a Polish name in the nominative
                    out.append(Referral(None, nominative(clean, name, toks[start].start), None, "person"))
                else:
                    out.append(Referral(None, name, None, "org"))
            start = None
        if tag.startswith("B-"):
            start, kind = i, tag[2:]
    return out


def is_referral(judge: IntentModel, clean: str) -> bool:
    """Whether the learned intent model finds the reply a referral more likely than not. The tagger alone finds
    names, not recommendations: asked about every reply, it would file the people thanked, cited, met or
    argued with; the gate keeps it to replies that read as pointing someone somewhere. Chosen on the blind
    sets h-k, tagger and intent model trained without the set scored: referral F1 0.588 (rules), 0.639
    ungated, 0.627 at 0.5 alone, 0.637 with the contact-cue path (0.2); the ungated tagger filed a name in 21
    of the 87 sentences written to test that names which are not recommendations are not referrals, the gated
    one in 3 (tests/understand/test_spans.py). A negated contact cue ("don't ask") closes the gate."""
    p = judge.probabilities(clean).get("referral", 0.0)
    if p < CUED_GATE:
        return False  # most replies: no cue search needed
    low = clean[:VIEW].lower()
    if any(_matchers()[key].places(low) for key in ("neg", "neg_after")):
        return False  # "don't ask X": the rules read negation; a name there is no recommendation
    return p >= GATE or says_contact(low)


_CONTACT_KEYS = ("contact", "contact_h", "org", "pronoun", "them", "staff", "recommends")


def says_contact(low: str) -> bool:
    """Whether the lower-cased reply has a contact cue of any language ("write to her", "ona yazın")."""
    return any(
        b == len(low) or not low[b].isalnum()  # a whole word: "meet" is a cue, "meeting" is not
        for key in _CONTACT_KEYS
        for _a, b in _matchers()[key].places(low)
    )


def extra_referrals(
    clean: str,
    found: Sequence[Referral],
    model: SpanModel,
    skip: Sequence[str] = (),
    keep: float | None = None,
) -> list[Referral]:
    """The model's spans the rules missed: not a name already found nor another form of one (a word of it in a
    found name or handle: "Zeynep Hanım" after "Dr. Zeynep Aydın", "Mert Bey" beside @mertkaya), not the
    replier's own name, not a handle's text, not part of a longer span it found too."""
    known = [r.name.lower() for r in found if r.name] + [r.handle.lower() for r in found if r.handle]
    known += [s.lower() for s in skip if s]
    handles = [r.handle.lower() for r in found if r.handle]
    tagged = spans(clean, model, KEEP if keep is None else keep, [r.name for r in found if r.name])
    words_of = [_words(r.name or "") for r in tagged]
    seen = _Seen(known, {w for k in known for w in _words(k)}, handles)
    out: list[Referral] = []
    for i, r in enumerate(tagged):
        if seen.again(r, words_of[i]) or any(words_of[i] < w for j, w in enumerate(words_of) if j != i):
            continue  # found already, or part of a longer span ("Tuấn" beside "Nguyễn Minh Tuấn")
        if all((r.name or "").lower() != (o.name or "").lower() for o in out):
            out.append(r)
    return out


def _words(name: str) -> set[str]:
    return {w for w in _NAME_WORD.findall(name.lower()) if len(w) >= 3}


@dataclass(frozen=True)
class _Seen:
    """What the rules found, to tell a span that is one of them again."""

    names: Sequence[str]  # names and handles, lower-case
    words: set[str]  # their words of three letters or more
    handles: Sequence[str]

    def again(self, ref: Referral, words: set[str]) -> bool:
        name = (ref.name or "").lower()
        if name.startswith("@") or any(name in k or k in name for k in self.names if k):
            return True
        return bool(words & self.words) or any(w in h for w in words for h in self.handles)


_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f\u0900-\u0903\u093a-\u094f\u0962\u0963])*")


Kind = Literal["person", "org"]


def _words_of(clean: str, toks: Sequence[Token], names: Sequence[str]) -> set[int]:
    """The indices of the words that make up each occurrence of `names` in the text."""
    out: set[int] = set()
    for name in names:
        for m in re.finditer(re.escape(name), clean):
            out.update(i for i, t in enumerate(toks) if t.start >= m.start() and t.end <= m.end())
    return out


def gold_tags(clean: str, names: Sequence[tuple[str, Kind, bool]]) -> list[str] | None:
    """The training tags of a labelled reply: B-/I- on the words of each referral name found at word
    boundaries, O elsewhere; None when a required name (a name-only referral's) is not in the text as whole
    words (an inflected or translated name: the row would teach the wrong words). A handle's name is tagged
    where the text gives it."""
    toks = tokens(clean)
    tags = ["O"] * len(toks)
    starts = {t.start: i for i, t in enumerate(toks)}
    ends = {t.end: i for i, t in enumerate(toks)}
    for name, kind, required in names:
        at = [m.start() for m in re.finditer(re.escape(name), clean)]
        hits = [(starts[a], ends[a + len(name)]) for a in at if a in starts and a + len(name) in ends]
        hits = hits or _inflected(toks, name)
        if not hits and required:
            return None
        for first, last in hits:
            tags[first] = f"B-{kind}"
            for j in range(first + 1, last + 1):
                tags[j] = f"I-{kind}"
    return tags


def _inflected(toks: Sequence[Token], name: str) -> list[tuple[int, int]]:
    """Where the name's words stand in the text with other endings (a name filed in the nominative, written
    in the case its verb governs: "Tomasza Wieczorka" for Tomasz Wieczorek): each word starts with the
    name's word less its last three letters (at least three kept)."""
    words = [t.text.lower() for t in tokens(name)]
    if not words or any(len(w) < 3 for w in words):
        return []
    stems = [w[: max(3, len(w) - 3)] for w in words]
    low = [t.text.lower() for t in toks]
    n = len(words)
    return [
        (i, i + n - 1)
        for i in range(len(low) - n + 1)
        if all(low[i + j].startswith(stems[j]) and len(low[i + j]) <= len(words[j]) + 4 for j in range(n))
    ]


def load(path: Path = WEIGHTS) -> SpanModel:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return SpanModel.from_json(json.load(f))


@functools.cache
def shipped() -> SpanModel | None:
    """The shipped tagger, read once on first use; None when the weights file is absent."""
    try:
        return load()
    except FileNotFoundError:
        return None
