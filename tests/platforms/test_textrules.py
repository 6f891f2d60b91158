from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.platforms.bluesky.text import Facet, bluesky_bytes, bluesky_length, facets, unlinked_mentions
from bot.platforms.specs import SPECS
from bot.platforms.substack.spec import substack_length
from bot.platforms.textrules import text_with_link
from bot.platforms.x.text import x_length

CONFORMANCE = Path(__file__).parents[1] / "data" / "twitter-text-conformance-validate.yml"


def _cases(section: str) -> list[Any]:
    tests = yaml.safe_load(CONFORMANCE.read_text(encoding="utf-8"))["tests"]
    return [
        pytest.param(c["text"], c["expected"]["weightedLength"], id=c["description"]) for c in tests[section]
    ]


def test_conformance_file_has_the_44_weighted_length_cases() -> None:
    tests = yaml.safe_load(CONFORMANCE.read_text(encoding="utf-8"))["tests"]
    sections = ("WeightedTweetsCounterTest", "WeightedTweetsWithDiscountedEmojiCounterTest",
                "UnicodeDirectionalMarkerCounterTest")  # fmt: skip
    assert sum(len(tests[s]) for s in sections) == 44


# X counts emoji sequences as 2 today ("discounted emoji", twitter-text v3): x_length's default.
@pytest.mark.parametrize(("text", "expected"), _cases("WeightedTweetsWithDiscountedEmojiCounterTest"))
def test_x_length_matches_twitter_text_discounted_emoji_conformance(text: str, expected: int) -> None:
    assert x_length(text) == expected


@pytest.mark.parametrize(("text", "expected"), _cases("UnicodeDirectionalMarkerCounterTest"))
def test_x_length_matches_twitter_text_directional_marker_conformance(text: str, expected: int) -> None:
    assert x_length(text) == expected


# The older table counts every code point of an emoji sequence; two of its cases differ from X today.
@pytest.mark.parametrize(("text", "expected"), _cases("WeightedTweetsCounterTest"))
def test_x_length_without_emoji_discount_matches_the_older_conformance_table(
    text: str, expected: int
) -> None:
    assert x_length(text, emoji_discount=False) == expected


def test_x_length_counts_crlf_as_one_newline() -> None:
    assert x_length("a\r\nb") == x_length("a\nb") == 3
    assert x_length("a\rb") == 3


def test_x_length_counts_any_url_as_23() -> None:
    assert x_length("https://example.org/" + "a" * 200) == 23


def test_x_length_counts_copyright_and_registered_signs_as_2() -> None:
    assert x_length("©") == 2
    assert x_length("®") == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        ("👨‍👩‍👧‍👦", 1),  # one family emoji = one grapheme, 7 code points
        ("🇨🇭", 1),  # a flag is two regional indicators
        ("é", 1),  # e + combining accent
        ("日本語", 3),
        ("", 0),
    ],
)
def test_bluesky_length_counts_graphemes(text: str, expected: int) -> None:
    assert bluesky_length(text) == expected


def test_bluesky_bytes_counts_utf8() -> None:
    assert bluesky_bytes("日") == 3
    assert bluesky_bytes("a") == 1


def test_substack_length_counts_code_points() -> None:
    assert substack_length("👨‍👩‍👧‍👦") == 7
    assert substack_length("abc") == 3


def test_limits_per_platform() -> None:
    assert {name: s.limit for name, s in SPECS.items()} == {"x": 280, "bluesky": 300, "substack": 10_000}
    assert SPECS["bluesky"].max_bytes == 3000


@pytest.mark.parametrize(
    ("text", "link", "expected"),
    [
        ("Read this", "https://e.org/a", "Read this\nhttps://e.org/a"),
        ("Read https://e.org/a now", "https://e.org/a", "Read https://e.org/a now"),
        ("Read this", None, "Read this"),
        ("", "https://e.org/a", "https://e.org/a"),
    ],
)
def test_text_with_link_appends_the_link_once(text: str, link: str | None, expected: str) -> None:
    assert text_with_link(text, link) == expected


# ---------------------------------------------------------------------------------------------- facets
FACET_CASES = json.loads(
    (Path(__file__).parents[1] / "data" / "bluesky-facets" / "cases.json").read_text("utf-8")
)


def test_facet_fixture_has_bluesky_s_137_cases() -> None:
    assert len(FACET_CASES) == 137


@pytest.mark.parametrize(
    "case", FACET_CASES, ids=[f"{i}-{c['group']}-{c['text'][:30]!r}" for i, c in enumerate(FACET_CASES)]
)
def test_facets_match_bluesky_detection_cases(case: dict[str, Any]) -> None:
    got = [[f.kind, f.byte_start, f.byte_end, f.value] for f in facets(case["text"])]
    assert sorted(got, key=lambda f: (f[1], f[2])) == sorted(case["expected"], key=lambda f: (f[1], f[2]))


def _span(text: str, part: str) -> tuple[int, int]:
    """Independent byte offsets: where `part` is in the UTF-8 encoding of `text`."""
    data, needle = text.encode("utf-8"), part.encode("utf-8")
    start = data.index(needle)
    return start, start + len(needle)


@pytest.mark.parametrize(
    ("text", "part", "kind", "value"),
    [
        (
            "日本語 🧵 see https://example.org/essay",
            "https://example.org/essay",
            "link",
            "https://example.org/essay",
        ),
        ("👨‍👩‍👧‍👦 ask @alice.bsky.social please", "@alice.bsky.social", "mention", "alice.bsky.social"),
        ("漢字 #openendedness rocks", "#openendedness", "tag", "openendedness"),
        ("ça va #évolution", "#évolution", "tag", "évolution"),
        ("日本 see middle.com now", "middle.com", "link", "https://middle.com"),  # bare domain, https added
        ("🦋 #butter🦋fly", "#butter🦋fly", "tag", "butter🦋fly"),
        ("株 $aapl up", "$aapl", "tag", "$AAPL"),  # cashtags are tags, upper-cased, '$' kept
    ],
)
def test_facets_use_utf8_byte_offsets(text: str, part: str, kind: str, value: str) -> None:
    start, end = _span(text, part)
    assert Facet(kind, start, end, value) in facets(text)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Read https://example.org/essay.", "https://example.org/essay"),
        ("Read https://example.org/essay, then", "https://example.org/essay"),
        ("(https://example.org/essay)", "https://example.org/essay"),
        ("Really? https://example.org/q?x=1!", "https://example.org/q?x=1"),
    ],
)
def test_link_facets_exclude_trailing_punctuation(text: str, url: str) -> None:
    links = [f for f in facets(text) if f.kind == "link"]
    assert [f.value for f in links] == [url]
    assert (links[0].byte_start, links[0].byte_end) == _span(text, url)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("#2026 is a year", []),  # pure digits are not a tag
        ("#1st place", ["1st"]),
        ("#ai, #alife.", ["ai", "alife"]),  # trailing punctuation is not part of the tag
        ("#open_ended_!", ["open_ended"]),  # nor are trailing underscores
        ("#with,punctuation", ["with,punctuation"]),  # a tag runs to the next space
        ("a#b is not a tag", []),
        ("https://e.org/#frag", []),  # a fragment inside a link is not a tag
        ("＃全角 works", ["全角"]),
        ("#️⃣tag", []),  # a keycap emoji is not a tag
    ],
)
def test_tag_facets(text: str, tags: list[str]) -> None:
    assert [f.value for f in facets(text) if f.kind == "tag"] == tags


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("hi @alice.bsky.social.", ["alice.bsky.social"]),  # trailing dot excluded
        ("hi @alice", []),  # no domain: not a Bluesky handle
        ("mail bob@example.com", []),  # an email address is not a mention
        ("(@carol.example.org)", ["carol.example.org"]),
        ("@dan.example.123 numeric tld", []),
        ("@foo.notarealtld", []),  # unknown TLD
        ("[@bob.example.com]", []),  # Bluesky links a mention only at the start, after a space or '('
        ("@a.bsky.social and @b.bsky.social", ["a.bsky.social", "b.bsky.social"]),
    ],
)
def test_mention_facets(text: str, handles: list[str]) -> None:
    assert [f.value for f in facets(text) if f.kind == "mention"] == handles


def test_facets_are_sorted_by_byte_offset() -> None:
    text = "🧵 #one @a.bsky.social https://e.org/x #two $btc"
    found = facets(text)
    assert [f.kind for f in found] == ["tag", "mention", "link", "tag", "tag"]
    assert all(a.byte_end <= b.byte_start for a, b in itertools.pairwise(found))
    data = text.encode("utf-8")
    assert [data[f.byte_start : f.byte_end].decode() for f in found] == [
        "#one",
        "@a.bsky.social",
        "https://e.org/x",
        "#two",
        "$btc",
    ]


def test_facets_of_plain_text_are_empty() -> None:
    assert facets("just words, no links") == []


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("ask @foo.notarealtld", ["foo.notarealtld"]),
        ("ask [@bob.example.com] now", ["bob.example.com"]),
        ("ask @alice.bsky.social and x@y.com", []),  # linked, and an email address is no mention
        ("@a.bsky.social, then [@a.bsky.social]", ["a.bsky.social"]),  # the second one only
        ("hi @alice", []),  # not written as a handle at all
        ("no at sign here", []),
    ],
)
def test_unlinked_mentions_are_the_handles_bluesky_shows_as_plain_text(text: str, plain: list[str]) -> None:
    assert unlinked_mentions(text) == plain


def test_textrules_imports_the_atproto_sdk_only_when_facets_are_needed() -> None:
    code = (
        "import sys\nfrom bot.platforms.bluesky.text import bluesky_length, unlinked_mentions\n"
        "bluesky_length('x'); unlinked_mentions('no handle here'); unlinked_mentions('ask @foo.notarealtld')\n"
        "print(sorted(m for m in sys.modules if m.startswith('atproto')))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert r.stdout.strip() == "[]"


def test_linked_mentions_are_found_where_the_sdks_detect_mentions_finds_them() -> None:
    """The light check `validate` uses (the SDK's regex module and TLD list, not the SDK) agrees with the SDK's
    `detect_mentions` on every reference text and on handle-shaped edge cases."""
    from atproto_client.utils.facet_detection import detect_mentions

    from bot.platforms.bluesky.text import linked_mention_starts

    texts = [c["text"] for c in FACET_CASES] + [
        "ask @foo.notarealtld, [@bob.example.com], (@carol.bsky.social) and @dave.test",
        "@-bad-.com @a..b.com @x.y.z.com. @1.com @" + "a" * 64 + ".com @e.co\u3000@f.io",
        "mail me at x@y.com or @ünïcode.com, @emoji🦋.com",
    ]
    for text in texts:
        want = [m.byte_start for m in detect_mentions(text)]
        got = [len(text[:i].encode("utf-8")) for i in linked_mention_starts(text)]
        assert got == want, text
