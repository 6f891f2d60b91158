"""Text rules every platform shares. Each platform's own rules (how long a post is, facets) live in its package:
`bot.platforms.x.text`, `bot.platforms.bluesky.text`, and `bot.platforms.<name>.spec` says which applies.

Pure: no I/O.
"""

from __future__ import annotations


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF (YAML already does this for block scalars; quoted strings may not)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_with_link(text: str, link: str | None) -> str:
    """The text as posted where a platform has no separate link card (X): the link appended on its own line,
    unless the text already contains it. Adapters that append a link should use this, so the length check
    measures what is sent."""
    if not link or link in text:
        return text
    return f"{text}\n{link}" if text else link
