"""Per-platform text rules: how long a post is where it goes, and Bluesky rich-text facets.

Pure: no I/O. Lengths are measured the way each platform measures them:

* X: twitter-text's weighted length (URLs count 23, CJK and emoji 2, limit 280), after CRLF -> LF.
* Bluesky: extended grapheme clusters (limit 300); the record also caps UTF-8 bytes at 3000.
* Substack Notes: characters (code points, limit 10,000).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import regex

LIMITS: dict[str, int] = {"x": 280, "bluesky": 300, "substack": 10_000}
BLUESKY_MAX_BYTES = 3000


_GRAPHEME = regex.compile(r"\X")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF (YAML already does this for block scalars; quoted strings may not)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def x_length(text: str, *, emoji_discount: bool = True) -> int:
    """X's weighted length of `text` (what X compares with 280)."""
    parse_tweet, v3, v2 = _twitter_text()
    result = parse_tweet(normalise_newlines(text), v3 if emoji_discount else v2)
    return int(result.weightedLength)


def x_length_bound(text: str) -> int:
    """An upper bound of `x_length(text)` that needs no twitter-text. twitter-text counts, after NFC, 1 for an
    ASCII character (no ASCII character alone is an emoji), at most 2 for any other code point or a whole emoji
    sequence, and 23 for each URL, and every URL it counts has a '.' in its domain. A post within its limit by
    this bound is within it for sure (checking a queue then skips importing twitter-text)."""
    import unicodedata

    nfc = unicodedata.normalize("NFC", normalise_newlines(text))
    return sum(1 if ch < "\x80" else 2 for ch in nfc) + 23 * nfc.count(".")


@cache
def _twitter_text() -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """twitter-text-parser, imported when an X text is first measured (building its emoji table is the
    costly part; only commands that measure X texts pay it). Its one use of `pkg_resources` (reading its
    bundled emoji-test.txt) is served from importlib.resources, so setuptools is not needed at run time.

    X today counts a whole emoji sequence as 2 (twitter-text "version3", the package default). The older
    "version2" weighting (each code point counted) is kept only so the conformance tests check both tables."""
    import sys
    import types
    from importlib.resources import files

    shim = types.ModuleType("pkg_resources")
    shim.resource_string = lambda module, name: (  # type: ignore[attr-defined]
        files(sys.modules[module].__package__ or module).joinpath(name).read_bytes()
    )
    had = "pkg_resources" in sys.modules
    before = sys.modules.get("pkg_resources")  # None: not loaded, or blocked (no setuptools)
    sys.modules["pkg_resources"] = before or shim  # the real one when already loaded, else the shim
    try:
        from twitter_text import parse_tweet
        from twitter_text.config import config
    finally:
        if had:
            sys.modules["pkg_resources"] = before  # type: ignore[assignment]
        else:
            del sys.modules["pkg_resources"]
    return parse_tweet, dict(config["defaults"]), {**config["version2"], "emoji_parsing_enabled": False}


def bluesky_length(text: str) -> int:
    """Bluesky's length: user-perceived characters (extended grapheme clusters)."""
    return len(_GRAPHEME.findall(text))


def bluesky_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def substack_length(text: str) -> int:
    return len(text)


def text_with_link(text: str, link: str | None) -> str:
    """The text as posted where a platform has no separate link card (X): the link appended on its own line,
    unless the text already contains it. Adapters that append a link should use this, so the length check
    measures what is sent."""
    if not link or link in text:
        return text
    return f"{text}\n{link}" if text else link


# ------------------------------------------------------------------------------------------------ facets
FacetKind = Literal["link", "mention", "tag"]


@dataclass(frozen=True)
class Facet:
    """A Bluesky rich-text facet. Offsets are UTF-8 byte offsets into the post text, end exclusive."""

    kind: FacetKind
    byte_start: int
    byte_end: int
    value: str  # the URL; the handle without '@'; the tag without '#'


_LINK = regex.compile(r"(?<=^|[\s(\[{<\"'])https?://[^\s<>\"]+", regex.IGNORECASE)
_LINK_TRAILING = ".,;:!?'\"”’»…"
_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_MENTION = regex.compile(rf"(?<=^|[\s(\[{{<\"'])@({_LABEL}(?:\.{_LABEL})+)(?![\w-]|\.\w)")
_TAG = regex.compile(r"(?<=^|\s)[#＃]([\w]+)")
_MAX_TAG = 64


def _trim_link(url: str) -> str:
    while url:
        if url[-1] in _LINK_TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            break
    return url


def _host_ok(url: str) -> bool:
    host = url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return "." in host.strip(".") or host.lower().startswith("localhost")


def facets(text: str) -> list[Facet]:
    """Links (http/https), @mentions of domain handles and #hashtags in `text`, by UTF-8 byte offset,
    sorted and never overlapping."""
    found: list[tuple[int, int, FacetKind, str]] = []  # character offsets first
    for m in _LINK.finditer(text):
        url = _trim_link(m.group(0))
        if len(url) > len(m.group(0).split("://", 1)[0]) + 3 and _host_ok(url):
            found.append((m.start(), m.start() + len(url), "link", url))
    for m in _MENTION.finditer(text):
        handle = m.group(1)
        if handle.rsplit(".", 1)[1][0].isalpha():  # a TLD never starts with a digit
            found.append((m.start(), m.end(), "mention", handle))
    for m in _TAG.finditer(text):
        tag = m.group(1)
        if not tag.isdigit() and len(tag) <= _MAX_TAG:
            found.append((m.start(), m.end(), "tag", tag))
    found.sort(key=lambda f: (f[0], -f[1]))
    result: list[Facet] = []
    last_end = -1
    for start, end, kind, value in found:
        if start < last_end:
            continue  # overlaps an earlier facet (e.g. '#' inside a link)
        result.append(Facet(kind, _byte_offset(text, start), _byte_offset(text, end), value))
        last_end = end
    return result


def _byte_offset(text: str, char_index: int) -> int:
    return len(text[:char_index].encode("utf-8"))
