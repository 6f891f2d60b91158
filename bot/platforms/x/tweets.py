"""Reading X's answers: how a post's text is compared with what X serves, which query a polled post belongs
to, what it replies to, who wrote it, and the recent-search queries that cover our conversations. Pure."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from bot.models import IdentityData
from bot.platforms.x.spec import NAME
from bot.platforms.x.wire import SPACE

SEARCH_QUERY_MAX = 512
URL = re.compile(r"https?://\S+", re.IGNORECASE)
_MEDIA_LINK = re.compile(r"\s*https://t\.co/\S+\s*$")


def newer(current: str | None, candidate: str | None) -> str | None:
    """The larger of two X ids (ids grow with time); either may be missing."""
    if candidate and (current is None or int(candidate) > int(current)):
        return str(candidate)
    return current


def normalise_text(text: str) -> str:
    """The form in which a post's text is compared with what X returns: X HTML-escapes `&<>`, rewrites every
    URL to a t.co link and may fold CRLF, so those are neutralised; whitespace is collapsed."""
    text = html.unescape(text).replace("\r\n", "\n")
    text = unicodedata.normalize("NFC", text)
    text = URL.sub("<url>", text)
    return SPACE.sub(" ", text).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def conversation_queries(root_ids: Sequence[str], limit: int = SEARCH_QUERY_MAX) -> list[str]:
    """Recent-search queries covering these conversations, as few as fit X's query length limit."""
    queries: list[str] = []
    current = ""
    for root in root_ids:
        term = f"conversation_id:{root}"
        candidate = f"{current} OR {term}" if current else term
        if len(candidate) > limit and current:
            queries.append(current)
            candidate = term
        current = candidate
    if current:
        queries.append(current)
    return queries


def query_of(tweet: dict[str, Any], queries: dict[str, str]) -> str | None:
    """The query a polled post belongs to: its conversation's root, else what it replies to or quotes."""
    conversation = str(tweet.get("conversation_id") or "")
    if conversation in queries:
        return queries[conversation]
    for ref in tweet.get("referenced_tweets") or []:
        if str(ref.get("id")) in queries:
            return queries[str(ref["id"])]
    return None


def served_hashes(text: str, with_media: bool) -> tuple[str, ...]:
    """Hashes a served post may match: X appends a t.co link to the media of a post with images."""
    if not with_media:
        return (text_hash(text),)
    return (text_hash(text), text_hash(_MEDIA_LINK.sub("", text)))


def link_targets(tweet: dict[str, Any]) -> tuple[str, ...] | None:
    """Where a served post's links really go (`entities.urls[].expanded_url`, not the t.co), in order, without
    the link X appends to a post's own images (it carries a `media_key`). None when X does not say."""
    urls = [u for u in (tweet.get("entities") or {}).get("urls") or [] if isinstance(u, dict)]
    links = [u.get("expanded_url") for u in urls if not u.get("media_key")]
    if not all(isinstance(x, str) and x for x in links):
        return None
    return tuple(str(x) for x in links)


def replied_to(tweet: dict[str, Any]) -> str | None:
    for ref in tweet.get("referenced_tweets") or []:
        if ref.get("type") == "replied_to":
            return str(ref["id"])
    return None


def identity(user: dict[str, Any]) -> IdentityData:
    metrics = user.get("public_metrics") or {}
    handle = str(user["username"]) if user.get("username") else None
    followers = metrics.get("followers_count")
    return IdentityData(
        platform=NAME,
        user_id=str(user["id"]),
        handle=handle,
        name=str(user["name"]) if user.get("name") is not None else None,
        bio=str(user["description"]) if user.get("description") is not None else None,
        followers=int(followers) if isinstance(followers, int) else None,
        url=f"https://x.com/{handle}" if handle else None,
    )
