"""X's adapter from settings (imported by `bot.platforms.registry` only when a command needs it): the OAuth 2.0
login of `sqbot login x` when there is one, else the OAuth 1.0a keys; metered from `meter`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import SecretStr

from bot.config import Settings
from bot.errors import ConfigError
from bot.platforms.base import MeterStart, Platform

if TYPE_CHECKING:
    from bot.platforms.x.metering import BudgetWindow


def _secret(v: SecretStr | None) -> str:
    return v.get_secret_value() if v is not None else ""


def build(settings: Settings, meter: MeterStart | None = None) -> Platform | None:
    """The X adapter, or None when no X account is configured. Its meter starts at `meter.spent_usd`, the spend
    of the budget month `meter.window` (`bot.ops.service.metered_platforms`)."""
    oauth2_path = settings.data_dir / "x-oauth2.json"  # bot.platforms.x.oauth.OAUTH2_FILE, by `sqbot login x`
    if settings.x_client_id and not (settings.has_x or oauth2_path.exists()):
        raise ConfigError(
            "X: SQBOT_X_CLIENT_ID is set but no X account is logged in yet: run `sqbot login x`"
        )
    if not (settings.has_x or oauth2_path.exists()):
        return None
    from bot.platforms.x.adapter import XPlatform
    from bot.platforms.x.wire import utcnow

    meter = meter or MeterStart()
    window: BudgetWindow | None = meter.window  # type: ignore[assignment]
    now = meter.clock or utcnow  # spend (and X's billing day) is dated by the injected clock
    if oauth2_path.exists():  # `sqbot login x` ran: OAuth 2.0 user context wins over the OAuth 1.0a keys
        from bot.platforms.x.oauth import OAuth2Tokens

        if not settings.x_client_id:
            raise ConfigError(
                f"{oauth2_path} holds an X OAuth 2.0 login but SQBOT_X_CLIENT_ID is not set: set it to the "
                "app's client id (or delete the file to use the OAuth 1.0a keys)"
            )
        tokens = OAuth2Tokens(
            oauth2_path,
            client_id=settings.x_client_id,
            client_secret=_secret(settings.x_client_secret) or None,
            api_base=settings.x_api_base,
        )
        return XPlatform.from_oauth2(
            tokens,
            api_base=settings.x_api_base,
            budget_usd=settings.x_budget_usd,
            spent_usd=meter.spent_usd,
            budget_window=window,
            poll_reserve_usd=settings.x_poll_reserve_usd,
            now=now,
        )
    return XPlatform.from_settings(
        api_key=_secret(settings.x_api_key),
        api_secret=_secret(settings.x_api_secret),
        access_token=_secret(settings.x_access_token),
        access_secret=_secret(settings.x_access_secret),
        api_base=settings.x_api_base,
        budget_usd=settings.x_budget_usd,
        spent_usd=meter.spent_usd,
        budget_window=window,
        poll_reserve_usd=settings.x_poll_reserve_usd,
        now=now,
        user_cache=settings.data_dir / "x-user.json",  # bot.platforms.x.adapter.USER_FILE
    )
