"""Typed settings, read once at the entry point (the CLI or the daemon), never at import.

Every variable is `SQBOT_*`; one `.env` file is read too (the environment wins): `--env-file PATH`, else `.env` in
the data dir, never the working folder's (usually the queue repository, which takes pull requests; see
`bot.ops.datadir.env_file`).
Secrets are `SecretStr`: they never print, log or reach the database.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError
from bot.platforms.x.metering import DEFAULT_BUDGET_USD


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SQBOT_", env_file=None, env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path("data")
    db: Path | None = None  # default: data_dir / "sqbot.db"
    queue: Path = Path("queries")
    timezone: str = "UTC"
    slots: str = "mon-fri 09:00"
    sandbox: bool | None = None  # None = on only when no platform credentials are configured
    catchup: str = "6h"
    # the daemon (`sqbot run`, bot/ops/daemon.py)
    digest_cron: str = (
        "0 8 * * *"  # crontab in `timezone` (minute hour day month weekday; 6 fields: +seconds)
    )
    poll_bands: str = "1h:2m,1d:10m,3d:30m,*:2h"  # post age:poll every (none after the query's `watch`)
    tick_seconds: float = Field(default=20.0, gt=0)  # how often what is due is posted
    heartbeat_seconds: float = Field(default=30.0, gt=0)

    bluesky_handle: str | None = None
    bluesky_app_password: SecretStr | None = None
    bluesky_pds_url: str = "https://bsky.social"
    bluesky_stream: str = "off"  # firehose | jetstream | off: follow the network live (bot/poll/stream.py)
    bluesky_stream_url: str | None = (
        None  # default: the relay firehose / a public Jetstream (bot/poll/stream.py)
    )

    x_api_key: SecretStr | None = None
    x_api_secret: SecretStr | None = None
    x_access_token: SecretStr | None = None
    x_access_secret: SecretStr | None = None
    x_api_base: str = "https://api.twitter.com"
    x_budget_usd: float = Field(default=DEFAULT_BUDGET_USD, ge=0)
    # kept for posts and follow-ups: polls never spend it (None: a fifth of x_budget_usd; x/metering.poll_limit)
    x_poll_reserve_usd: float | None = Field(default=None, ge=0)
    x_client_id: str | None = None  # OAuth 2.0 user context (`sqbot login x`), instead of the OAuth 1.0a keys
    x_client_secret: SecretStr | None = None  # confidential clients only
    x_redirect_uri: str = "http://127.0.0.1:8723/callback"  # must be a callback URL of the X app

    keep_forgotten_replies: bool = (
        False  # a forgotten account that writes again: stored (do-not-contact), not only counted
    )

    substack_cookie: SecretStr | None = None
    substack_api_base: str = "https://substack.com"

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_to: str | None = None
    smtp_tls: str = "starttls"  # starttls | tls | none (loopback test servers only)
    review_token: SecretStr | None = None  # `sqbot review`: a stable login token (else a fresh one per start)
    review_url: str | None = (
        None  # where the owner reaches `sqbot review`: the digest links each person there
    )

    def model_post_init(self, __context: object) -> None:
        from bot.safety.redact import register_settings

        register_settings(self)  # every secret set here is redacted from output, logs, the DB and digests

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown IANA time zone {v!r} (e.g. Europe/Zurich)") from e
        return v

    @property
    def db_path(self) -> Path:
        return self.db if self.db is not None else self.data_dir / "sqbot.db"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def has_bluesky(self) -> bool:
        return bool(self.bluesky_handle and self.bluesky_app_password)

    @property
    def has_x(self) -> bool:
        return all((self.x_api_key, self.x_api_secret, self.x_access_token, self.x_access_secret))

    @property
    def use_sandbox(self) -> bool:
        """Sandbox by default only when no platform credentials at all are configured."""
        if self.sandbox is not None:
            return self.sandbox
        return not (self.has_bluesky or self.has_x or self.x_client_id or self.substack_cookie)


def load_settings(env_file: Path | None = None, **overrides: object) -> Settings:
    """Build settings from the environment and the one trusted `.env` (`env_file`, else the data dir's); turn
    validation errors into one clear ConfigError."""
    import os

    from bot.ops.datadir import data_dir_of

    if env_file is None:  # the data dir's own .env: it cannot move the data dir it lives in
        given = overrides.get("data_dir")
        data_dir = data_dir_of(None if given is None else Path(str(given)), os.environ)
        overrides = {**overrides, "data_dir": data_dir}
        env_file = data_dir / ".env"
    elif not env_file.is_file():
        raise ConfigError(f"--env-file {env_file}: no such file")
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[arg-type,call-arg]
    except ValidationError as e:
        parts = []
        for err in e.errors():
            name = "SQBOT_" + "_".join(str(p) for p in err["loc"]).upper()
            parts.append(f"{name}: {err['msg']}")
        raise ConfigError("invalid settings: " + "; ".join(parts)) from None
