"""Build the configured platforms from settings. Adapters (and their SDKs) are imported here, lazily, only
when a command needs the network: `sqbot --help`, `validate` and `plan` never come through this module."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import SecretStr

from bot.config import Settings
from bot.errors import ConfigError
from bot.models import PLATFORMS
from bot.platforms.base import Platform


def owner_handles(settings: Settings) -> list[str]:
    return [h for h in (settings.bluesky_handle,) if h] + ["you"]


def build_platforms(
    settings: Settings, wanted: Iterable[str] = PLATFORMS, *, x_spent_usd: float = 0.0
) -> dict[str, Platform]:
    """The platforms that can run with these settings; in sandbox mode every platform is simulated."""
    wanted = list(wanted)
    if settings.use_sandbox:
        from bot.platforms.sandbox import SandboxPlatform

        path = settings.data_dir / "sandbox.json"
        return {name: SandboxPlatform(name, path) for name in wanted}
    out: dict[str, Platform] = {}
    for name in wanted:
        p = _real(settings, name, x_spent_usd)
        if p is not None:
            out[name] = p
    return out


def _real(settings: Settings, name: str, x_spent_usd: float) -> Platform | None:
    if name == "bluesky" and settings.has_bluesky:
        from bot.platforms.bluesky import BlueskyPlatform

        return BlueskyPlatform.from_settings(settings)
    if name == "x" and settings.has_x:
        from bot.platforms.x import XPlatform

        def secret(v: SecretStr | None) -> str:
            return v.get_secret_value() if v is not None else ""

        return XPlatform.from_settings(
            api_key=secret(settings.x_api_key),
            api_secret=secret(settings.x_api_secret),
            access_token=secret(settings.x_access_token),
            access_secret=secret(settings.x_access_secret),
            api_base=settings.x_api_base,
            budget_usd=settings.x_budget_usd,
            spent_usd=x_spent_usd,
        )
    if name == "substack":
        import httpx

        from bot.platforms.substack import SubstackPlatform

        cookie = settings.substack_cookie.get_secret_value() if settings.substack_cookie else None
        return SubstackPlatform(httpx.Client(), api_base=settings.substack_api_base, cookie=cookie)
    if name not in PLATFORMS:
        raise ConfigError(f"unknown platform {name!r}; use one of {', '.join(PLATFORMS)}")
    return None
