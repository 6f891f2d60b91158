"""Per-platform text rules: how long a post is where it goes, and Bluesky rich-text facets.

Pure: no I/O. Lengths are measured the way each platform measures them:

* X: twitter-text's weighted length (URLs count 23, CJK and emoji 2, limit 280), after CRLF -> LF.
* Bluesky: extended grapheme clusters (limit 300); the record also caps UTF-8 bytes at 3000.
* Substack Notes: characters (code points, limit 10,000).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import regex
import twitter_text
from twitter_text.config import config as _tt_config

LIMITS: dict[str, int] = {"x": 280, "bluesky": 300, "substack": 10_000}
BLUESKY_MAX_BYTES = 3000

# X today counts a whole emoji sequence as 2 (twitter-text "version3", the package default). The older
# "version2" weighting (each code point counted) is kept only so the conformance tests can check both tables.
_X_CONFIG: dict[str, Any] = dict(_tt_config["defaults"])
_X_CONFIG_V2: dict[str, Any] = {**_tt_config["version2"], "emoji_parsing_enabled": False}

_GRAPHEME = regex.compile(r"\X")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF (YAML already does this for block scalars; quoted strings may not)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def x_length(text: str, *, emoji_discount: bool = True) -> int:
    """X's weighted length of `text` (what X compares with 280)."""
    options = _X_CONFIG if emoji_discount else _X_CONFIG_V2
    result = twitter_text.parse_tweet(normalise_newlines(text), options)
    return int(result.weightedLength)


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
# Detection is Bluesky's own, as ported by the atproto SDK (`atproto_client.utils.facet_detection`, a port of
# @atproto/api's detection.ts): links (bare domains with a known TLD too), #tags, $cashtags, @mentions. The SDK
# is imported only when facets are computed (it takes about a second to import), never on CLI start-up.
FacetKind = Literal["link", "mention", "tag"]


@dataclass(frozen=True)
class Facet:
    """A Bluesky rich-text facet. Offsets are UTF-8 byte offsets into the post text, end exclusive."""

    kind: FacetKind
    byte_start: int
    byte_end: int
    value: str  # the URL; the handle without '@'; the tag without '#' (a cashtag keeps its '$': "$AAPL")


# Anything a writer may mean as a Bluesky handle: '@' not after a word character (so not an email address),
# then dotted labels. Bluesky links only some of these (see `unlinked_mentions`).
_MENTION_LIKE = regex.compile(r"(?<![\w@])@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


def facets(text: str) -> list[Facet]:
    """Links, @mentions, #tags and $cashtags in `text` as Bluesky's apps detect them, by UTF-8 byte offset,
    sorted by start. A mention's handle is not resolved here (see the Bluesky adapter)."""
    from atproto_client.utils.facet_detection import detect_facets, detect_mentions

    found: list[Facet] = []
    for f in detect_facets(text):
        feature = f.features[0]
        if getattr(feature, "uri", None) is not None:
            found.append(Facet("link", f.index.byte_start, f.index.byte_end, feature.uri))
        else:
            found.append(Facet("tag", f.index.byte_start, f.index.byte_end, feature.tag))
    found += [Facet("mention", m.byte_start, m.byte_end, m.handle) for m in detect_mentions(text)]
    found.sort(key=lambda f: (f.byte_start, f.byte_end))
    return found


def unlinked_mentions(text: str) -> list[str]:
    """Handles written as `@name.domain` that Bluesky will show as plain text, not as a mention: an unknown
    TLD (`@foo.notarealtld`), not a valid handle, or not after a space, '(' or the start (`[@bob.example.com]`).
    Offline; whether a linked handle exists is known only when posting. The SDK is imported only when the
    text has an '@' that looks like a handle."""
    wanted = [(m.start(), m.group(1).rstrip(".-")) for m in _MENTION_LIKE.finditer(text)]
    if not wanted:
        return []
    from atproto_client.utils.facet_detection import detect_mentions

    linked = {m.byte_start for m in detect_mentions(text)}
    return [handle for start, handle in wanted if _byte_offset(text, start) not in linked]


def _byte_offset(text: str, char_index: int) -> int:
    return len(text[:char_index].encode("utf-8"))
