"""X's facts for code outside its adapter (see `bot.platforms.base.PlatformSpec`). No SDK, no network."""

from __future__ import annotations

import re

from bot.platforms.base import PlatformSpec
from bot.platforms.x.text import LIMIT, x_length, x_length_bound

NAME = "x"
HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_DIGITS = re.compile(r"[0-9]{1,25}")
IMAGE_BYTES = 5_000_000


def post_url(tweet_id: str) -> str:
    """The handle-free link of a post (X redirects it to the author's)."""
    return f"https://x.com/i/web/status/{tweet_id}"


def permalink(platform_id: str) -> str | None:
    return post_url(platform_id) if _DIGITS.fullmatch(platform_id) else None


def profile_link(handle: str | None, user_id: str, stored: str | None) -> str | None:
    if handle and HANDLE.fullmatch(handle):
        return f"https://x.com/{handle}"
    if _DIGITS.fullmatch(user_id):
        return f"https://x.com/i/user/{user_id}"
    return None


SPEC = PlatformSpec(
    name=NAME,
    label="X",
    limit=LIMIT,
    length=x_length,
    weighted=True,
    length_bound=x_length_bound,
    link_in_text=True,
    hosts=("x.com", "twitter.com"),
    handle=HANDLE,
    permalink=permalink,
    profile_link=profile_link,
    image_bytes=IMAGE_BYTES,
    max_images=4,
    replies=True,
    factory="bot.platforms.x.build",
)
