"""`x_length_bound`: the cheap upper bound that lets `validate` skip importing twitter-text for posts that fit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.platforms.x.text import x_length, x_length_bound
from bot.queue.parse import validate

CONFORMANCE = Path(__file__).parents[1] / "data" / "twitter-text-conformance-validate.yml"
TEXTS = [
    case["text"]
    for cases in yaml.safe_load(CONFORMANCE.read_text(encoding="utf-8"))["tests"].values()
    for case in cases
    if isinstance(case.get("text"), str)
] + [
    "a.co b.co c.co d.co",  # URLs shorter than the 23 they count
    "t.co/x http://x.com https://例え.jp/パス www.example.com/a?b=c#d",
    "café cafe\u0301 \u0958 \u212b",  # NFC composes and (for composition exclusions) decomposes
    "👩🏽‍🚀👨‍👩‍👧‍👦🏳️‍🌈 1️⃣ #️⃣ © ® ‼",
    "中文字符和日本語のテキスト、한국어 텍스트",
    "line\r\nbreaks\rand\nmore",
    "\u202a\u202e\ufeff invalid and directional \u200e\u200f",
    "",
    "".join(map(chr, range(128))) * 2,
    "Who? " * 30 + "https://example.org/essay",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_bound_is_never_below_twitter_texts_weighted_length(text: str) -> None:
    assert x_length_bound(text) >= x_length(text)
    assert x_length_bound(text) >= x_length(text, emoji_discount=False)


def test_no_ascii_character_alone_weighs_more_than_1() -> None:
    """What the bound assumes of ASCII (an emoji keycap needs U+FE0F/U+20E3, which weigh 2 in the bound)."""
    for c in map(chr, range(128)):
        assert x_length(f"a{c}b") <= 3, hex(ord(c))


def test_validate_measures_exactly_only_posts_the_bound_cannot_settle(tmp_path: Path) -> None:
    (tmp_path / "short.yaml").write_text("id: short\nplatforms: [x]\ntext: 'Who? https://a.example/x'\n")
    code = (
        "import sys; from bot.queue.parse import validate\n"
        "qs, problems = validate([sys.argv[1]])\n"
        "print(len(qs), len(problems), 'twitter_text' in sys.modules)"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert r.stdout.split() == ["1", "0", "False"], r.stderr

    long_text = "word " * 56 + "end"  # 283 characters: the bound cannot settle it, twitter-text says 283
    (tmp_path / "long.yaml").write_text(f"id: long\nplatforms: [x]\ntext: '{long_text}'\n")
    _, problems = validate([str(tmp_path)])
    assert [p.message for p in problems] == ["x: post 1 is 283 long, limit 280"]
