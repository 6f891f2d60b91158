"""Build the configured platforms from settings. Adapters (and their SDKs) are imported here, lazily, only
when a command needs the network: `sqbot --help`, `validate` and `plan` never come through this module."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import SecretStr

from bot.config import Settings
from bot.errors import ConfigError
from bot.platforms.base import Platform
from bot.platforms.specs import PLATFORMS, spec_for

if TYPE_CHECKING:
    from bot.platforms.x.metering import BudgetWindow


def owner_handles(settings: Settings) -> list[str]:
    return [h for h in (settings.bluesky_handle,) if h] + ["you"]


def build_platforms(
    settings: Settings,
    wanted: Iterable[str] = PLATFORMS,
    *,
    x_spent_usd: float = 0.0,
    x_window: BudgetWindow | None = None,
    clock: Callable[[], datetime] | None = None,
) -> dict[str, Platform]:
    """The platforms that can run with these settings; in sandbox mode every platform is simulated. An unknown
    platform name is a `ConfigError`, in sandbox mode too. X starts its meter at `x_spent_usd`, the spend of the
    budget month `x_window` (`bot.ops.service.x_budget`), and dates its spend by `clock` (the injected `now`;
    None: the wall clock)."""
    wanted = [spec_for(name).name for name in wanted]
    if settings.use_sandbox:
        from bot.platforms.sandbox.adapter import SandboxPlatform

        path = settings.data_dir / "sandbox.json"
        return {name: SandboxPlatform(name, path) for name in wanted}
    out: dict[str, Platform] = {}
    for name in wanted:
        p = _real(settings, name, x_spent_usd, x_window, clock)
        if p is not None:
            out[name] = p
    return out


def _real(
    settings: Settings,
    name: str,
    x_spent_usd: float,
    x_window: BudgetWindow | None,
    clock: Callable[[], datetime] | None = None,
) -> Platform | None:
    if name == "bluesky" and settings.has_bluesky:
        from bot.platforms.bluesky.adapter import BlueskyPlatform

        return BlueskyPlatform.from_settings(settings)
    oauth2_path = (
        settings.data_dir / "x-oauth2.json"
    )  # bot.platforms.x.oauth.OAUTH2_FILE, written by `sqbot login x`
    if name == "x" and settings.x_client_id and not (settings.has_x or oauth2_path.exists()):
        raise ConfigError(
            "X: SQBOT_X_CLIENT_ID is set but no X account is logged in yet: run `sqbot login x`"
        )
    if name == "x" and (settings.has_x or oauth2_path.exists()):
        from bot.platforms.x.adapter import XPlatform
        from bot.platforms.x.oauth import OAuth2Tokens

        def secret(v: SecretStr | None) -> str:
            return v.get_secret_value() if v is not None else ""

        from bot.platforms.x.wire import utcnow

        now = clock or utcnow  # spend (and X's billing day) is dated by the injected clock

        if oauth2_path.exists():  # `sqbot login x` ran: OAuth 2.0 user context wins over the OAuth 1.0a keys
            if not settings.x_client_id:
                raise ConfigError(
                    f"{oauth2_path} holds an X OAuth 2.0 login but SQBOT_X_CLIENT_ID is not set: set it to the "
                    "app's client id (or delete the file to use the OAuth 1.0a keys)"
                )
            tokens = OAuth2Tokens(
                oauth2_path,
                client_id=settings.x_client_id,
                client_secret=secret(settings.x_client_secret) or None,
                api_base=settings.x_api_base,
            )
            return XPlatform.from_oauth2(
                tokens,
                api_base=settings.x_api_base,
                budget_usd=settings.x_budget_usd,
                spent_usd=x_spent_usd,
                budget_window=x_window,
                poll_reserve_usd=settings.x_poll_reserve_usd,
                now=now,
            )
        return XPlatform.from_settings(
            api_key=secret(settings.x_api_key),
            api_secret=secret(settings.x_api_secret),
            access_token=secret(settings.x_access_token),
            access_secret=secret(settings.x_access_secret),
            api_base=settings.x_api_base,
            budget_usd=settings.x_budget_usd,
            spent_usd=x_spent_usd,
            budget_window=x_window,
            poll_reserve_usd=settings.x_poll_reserve_usd,
            now=now,
            user_cache=settings.data_dir / "x-user.json",  # bot.platforms.x.adapter.USER_FILE
        )
    if name == "substack":
        import httpx

        from bot.platforms.substack.adapter import SubstackPlatform

        cookie = settings.substack_cookie.get_secret_value() if settings.substack_cookie else None
        return SubstackPlatform(httpx.Client(), api_base=settings.substack_api_base, cookie=cookie)
    return None
