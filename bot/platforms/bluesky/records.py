"""Reading Bluesky post records. Shared by the poller (post views) and the stream (raw records), so both file
the same interaction the same way. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


def uri_of(ref: Any) -> str | None:
    uri = ref.get("uri") if isinstance(ref, dict) else None
    return uri if isinstance(uri, str) else None


def quoted_uri(record: Mapping[str, Any]) -> str | None:
    """The post a record quotes (a plain record embed, or the record half of a record-with-media embed)."""
    embed = record.get("embed")
    inner = embed.get("record") if isinstance(embed, dict) else None
    if not isinstance(inner, dict):
        return None
    return uri_of(inner) or uri_of(inner.get("record"))


def mentioned_dids(record: Mapping[str, Any]) -> list[str]:
    """DIDs of the accounts a post's mention facets point to."""
    out = []
    for facet in record.get("facets") or []:
        for feat in (facet.get("features") or []) if isinstance(facet, dict) else []:
            if isinstance(feat, dict) and str(feat.get("$type", "")).endswith("#mention"):
                did = feat.get("did")
                if isinstance(did, str):
                    out.append(did)
    return out


def record_links(record: Mapping[str, Any]) -> tuple[str, ...]:
    """Where a post record's links go: its link facets' uris, in order, then its link card's (external) uri."""
    out = []
    for facet in record.get("facets") or []:
        for feat in (facet.get("features") or []) if isinstance(facet, dict) else []:
            if isinstance(feat, dict) and str(feat.get("$type", "")).endswith("#link"):
                uri = feat.get("uri")
                if isinstance(uri, str):
                    out.append(uri)
    embed = record.get("embed")
    external = embed.get("external") if isinstance(embed, dict) else None
    if isinstance(external, dict) and isinstance(external.get("uri"), str):
        out.append(external["uri"])
    return tuple(out)


def record_media(record: Mapping[str, Any]) -> int:
    """How many images a post record carries (an images embed, or the media half of a record-with-media)."""
    embed = record.get("embed")
    if not isinstance(embed, dict):
        return 0
    inner = embed.get("media")
    media: dict[str, Any] = inner if isinstance(inner, dict) else embed
    images = media.get("images")
    if isinstance(images, list):
        return len(images)
    return 1 if isinstance(media.get("video"), dict) else 0


def parse_time(value: Any) -> datetime | None:
    """An atproto datetime (createdAt, indexedAt) as aware UTC; None when missing or malformed."""
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(UTC)
