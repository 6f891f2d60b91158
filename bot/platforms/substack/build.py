"""Substack's adapter from settings (imported by `bot.platforms.registry` only when a command needs it).
Reading comments needs no credentials, so Substack is always built; the cookie only enables posting Notes."""

from __future__ import annotations

from bot.config import Settings
from bot.platforms.base import MeterStart, Platform


def build(settings: Settings, meter: MeterStart | None = None) -> Platform | None:
    import httpx

    from bot.platforms.substack.adapter import SubstackPlatform

    cookie = settings.substack_cookie.get_secret_value() if settings.substack_cookie else None
    return SubstackPlatform(httpx.Client(), api_base=settings.substack_api_base, cookie=cookie)
