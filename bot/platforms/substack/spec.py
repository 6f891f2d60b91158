"""Substack's facts for code outside its adapter (see `bot.platforms.base.PlatformSpec`). No SDK, no network.

Notes are measured in characters (code points, limit 10,000). Comments under a post cannot be answered through
an API, and a comment's link is the one Substack gave (stored), never built."""

from __future__ import annotations

import re

from bot.platforms.base import PlatformSpec

LIMIT = 10_000
HANDLE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def substack_length(text: str) -> int:
    return len(text)


def permalink(platform_id: str) -> str | None:
    return None  # the stored URL (on a known host) is the link


def profile_link(handle: str | None, user_id: str, stored: str | None) -> str | None:
    if stored:  # a publication's own domain is its profile
        return stored
    if handle and HANDLE.fullmatch(handle):
        return f"https://substack.com/@{handle}"
    return None


SPEC = PlatformSpec(
    name="substack",
    label="Substack",
    limit=LIMIT,
    length=substack_length,
    hosts=("substack.com",),
    handle=HANDLE,
    permalink=permalink,
    profile_link=profile_link,
    factory="bot.platforms.substack.build",
)
