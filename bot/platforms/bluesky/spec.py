"""Bluesky's facts for code outside its adapter (see `bot.platforms.base.PlatformSpec`). No SDK, no network."""

from __future__ import annotations

import re
from urllib.parse import quote

from bot.platforms.base import PlatformSpec

NAME = "bluesky"
# a handle as a follow-up may write it: dotted DNS labels (atproto's handle syntax, ASCII)
HANDLE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+")
_POST = re.compile(r"at://(did:[a-z0-9]+:[A-Za-z0-9._:%-]+)/app\.bsky\.feed\.post/([A-Za-z0-9._~:-]+)")
_LINKABLE = re.compile(r"[A-Za-z0-9.-]{1,253}")  # a handle safe in a profile URL (with a '.')
_DID = re.compile(r"did:[a-z0-9]+:[A-Za-z0-9._:%-]{1,200}")


def _length(text: str) -> int:
    from bot.platforms.bluesky.text import bluesky_length  # `regex`, loaded when a text is measured

    return bluesky_length(text)


def permalink(platform_id: str) -> str | None:
    """https://bsky.app/profile/DID/post/RKEY for a post's at:// URI."""
    if m := _POST.fullmatch(platform_id):
        return f"https://bsky.app/profile/{quote(m.group(1), safe=':')}/post/{quote(m.group(2))}"
    return None


def profile_link(handle: str | None, user_id: str, stored: str | None) -> str | None:
    for key in (handle, user_id):
        if key and (_DID.fullmatch(key) or (_LINKABLE.fullmatch(key) and "." in key)):
            return f"https://bsky.app/profile/{quote(key, safe=':')}"
    return None


SPEC = PlatformSpec(
    name=NAME,
    label="Bluesky",
    limit=300,  # bot.platforms.bluesky.text.LIMIT
    length=_length,
    max_bytes=3000,  # bot.platforms.bluesky.text.MAX_BYTES
    hosts=("bsky.app",),
    handle=HANDLE,
    permalink=permalink,
    profile_link=profile_link,
    image_bytes=1_000_000,
    max_images=4,
    replies=True,
    factory="bot.platforms.bluesky.build",
)
