"""What one of our Substack Notes carries besides its words, read from the shapes Substack answers with (a
profile's Note feed: `body_json` and `attachments`, as in tests/data/substack-samples/feed-profile-types-note.json),
for adoption (`bot.publish.outbox`) to compare a lost Note with a queued one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


# JSON as Substack sends it: anything may be missing or of another type (the adapter uses these too)
def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_MEDIA = ("image", "video")  # attachment types that are pictures or clips (fixtures: `"type": "image"`)


def _doc_links(node: Any) -> list[str]:
    """Every link mark's `href` in a Note's `body_json` (`{"type": "link", "attrs": {"href": ...}}`)."""
    out: list[str] = []
    if isinstance(node, dict):
        for mark in _list(node.get("marks")):
            mark = _dict(mark)
            href = _dict(mark.get("attrs")).get("href")
            if mark.get("type") == "link" and isinstance(href, str):
                out.append(href)
        for child in _list(node.get("content")):
            out += _doc_links(child)
    return out


def note_links(c: Mapping[str, Any]) -> tuple[str, ...]:
    """Where a Note's links go, in the shapes Substack answers with (a profile's Note feed, `body_json` and
    `attachments`): the URLs written in its text, its link marks' targets, and a post card's post URL."""
    links = set(_URL.findall(str(c.get("body") or ""))) | set(_doc_links(c.get("body_json")))
    for a in _list(c.get("attachments")):
        a = _dict(a)
        url = _dict(a.get("post")).get("canonical_url") if a.get("type") == "post" else None
        if isinstance(url, str) and url:
            links.add(url)
    return tuple(sorted(links))


def note_media(c: Mapping[str, Any]) -> int:
    """How many pictures or clips a Note carries (`attachments` of type image or video)."""
    return sum(1 for a in _list(c.get("attachments")) if _dict(a).get("type") in _MEDIA)
