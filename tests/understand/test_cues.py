"""The cue matchers' trie (bot/understand/cues.py `_factor`): factored and plain alternations answer alike, on
the sentences written for the rules, on hostile floods and on text made from the cues' own words."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.understand.cues import CueMatcher, _distribute, _factor, union
from bot.understand.lang.base import Cues

DATA = Path(__file__).parents[1] / "data" / "understand"
# every Cues field a CueMatcher is built from (referral_shapes carry a named group: they are compiled whole)
FIELDS = [
    f.name
    for f in dataclasses.fields(Cues)
    if "tuple" in str(f.type) and f.name not in ("referral_shapes", "question_words")
]


def _sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(DATA.glob("*.jsonl")):
        out += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    return out


FLOODS = [
    "you " * 1000,
    "you are a " * 400,
    "i can " * 600,
    "ask " * 900,
    "a" * 4000,
    "चाहें तो " * 400,
    "(" * 4000,
    "?" * 4000,
]
WORDS = sorted(
    {w for f in FIELDS for alt in union(lambda c, f=f: getattr(c, f)) for w in re.findall(r"\w+", alt)}
)


def _pair(field: str) -> tuple[CueMatcher, CueMatcher]:
    alts = union(lambda c: getattr(c, field))
    return CueMatcher(*alts), CueMatcher(*alts, factor=False)


@pytest.mark.parametrize("field", FIELDS)
def test_the_factored_matcher_agrees_with_the_plain_one_on_written_sentences_and_floods(field: str) -> None:
    factored, plain = _pair(field)
    texts = _sentences() + FLOODS
    assert len(texts) > 500
    for text in texts:
        assert factored.search(text) == plain.search(text), (field, text[:80])
        assert factored.match(text) == plain.match(text), (field, text[:80])


MATCHERS = {f: _pair(f) for f in FIELDS}


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
    sep=st.sampled_from([" ", ", ", "'", "-"]),
)
def test_the_factored_matcher_agrees_on_text_made_from_the_cues_own_words(words: list[str], sep: str) -> None:
    text = sep.join(words)
    for field, (factored, plain) in MATCHERS.items():
        assert factored.search(text) == plain.search(text), (field, text)


def test_factoring_merges_shared_leading_literals_and_distributes_a_leading_group() -> None:
    assert _factor(["ask x", "also y"], 1) == ["a(?:sk x|lso y)"]
    assert _distribute("(?:you are|ur) a clown") == ["you are a clown", "ur a clown"]
    assert _distribute("(?:you|ur)? a clown") == ["(?:you|ur)? a clown"]  # a quantified group stays
    assert _factor(["a?b", "ab"], 2) == ["ab", "a?b"]  # a quantified literal is never split off
