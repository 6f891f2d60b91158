"""Bluesky's adapter from settings (imported by `bot.platforms.registry` only when a command needs it)."""

from __future__ import annotations

from bot.config import Settings
from bot.platforms.base import MeterStart, Platform


def build(settings: Settings, meter: MeterStart | None = None) -> Platform | None:
    """The Bluesky adapter, or None when no Bluesky account is configured."""
    if not settings.has_bluesky:
        return None
    from bot.platforms.bluesky.adapter import BlueskyPlatform

    return BlueskyPlatform.from_settings(settings)
