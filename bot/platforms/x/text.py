"""X's text rules: twitter-text's weighted length (URLs count 23, CJK and emoji 2, limit 280), after CRLF -> LF.

Pure: no I/O. twitter-text is imported when an X text is first measured, never on CLI start-up.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.platforms.textrules import normalise_newlines

LIMIT = 280


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
