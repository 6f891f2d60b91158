"""Where the database is, and the few plain settings `sqbot status` reads, without building `Settings`: for
commands that need nothing else (`leads list`, `leads show`, `health`, `status`), so they do not pay for
importing pydantic-settings (most of their start-up).

Reads `SQBOT_*` the way `bot.config.Settings` does: names case-insensitive, the environment before the one trusted
`.env` (`env_file`: `--env-file PATH`, else `.env` in the data dir, never the working folder's), an explicit
`--data-dir` before both. Anything it is not sure about (an empty value, a
number or zone it would have to interpret) returns None and the caller builds the full `Settings` instead,
which then explains the problem the usual way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.platforms.x.metering import DEFAULT_BUDGET_USD

_NAMES = ("sqbot_db", "sqbot_data_dir")
_STATUS = (
    "sqbot_timezone",
    "sqbot_catchup",
    "sqbot_poll_bands",
    "sqbot_digest_cron",
    "sqbot_x_budget_usd",
    "sqbot_x_poll_reserve_usd",
)


def data_dir_of(data_dir: Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The data dir before any `.env` is read: `--data-dir`, else SQBOT_DATA_DIR, else `./data`."""
    if data_dir is not None:
        return data_dir
    env = os.environ if environ is None else environ
    found = [v for k, v in env.items() if k.lower() == "sqbot_data_dir" and v.strip()]
    return Path(found[-1]) if found else Path("data")


def env_file(
    data_dir: Path | None = None, explicit: Path | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The one `.env` sqbot reads: `--env-file PATH`, else `.env` in the data dir. Never the working folder's:
    that is usually the queue repository, which takes pull requests, and a `.env` there could point
    SQBOT_BLUESKY_PDS_URL or SQBOT_X_API_BASE (and the credentials sent there) anywhere."""
    return explicit if explicit is not None else data_dir_of(data_dir, environ) / ".env"


def _values(
    environ: Mapping[str, str], env_file: Path, names: tuple[str, ...] = _NAMES
) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    if env_file.is_file():
        from dotenv import dotenv_values  # pydantic-settings' own .env reader

        for k, v in dotenv_values(env_file, encoding="utf-8").items():
            if k.lower() in names:
                found[k.lower()] = v
    for k, v in environ.items():
        if k.lower() in names:
            found[k.lower()] = v
    return found


def db_path(
    data_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = None,
) -> Path | None:
    """The database path `load_settings(env_file, data_dir=...).db_path` would give, or None when unsure."""
    env = os.environ if environ is None else environ
    if env_file is None:  # the data dir's own .env: it cannot move the data dir it lives in
        data_dir = data_dir_of(data_dir, env)
        env_file = data_dir / ".env"
    found = _values(env, env_file)
    if any(v is None or not v.strip() for v in found.values()):
        return None  # `SQBOT_DB=` and the like: let Settings decide (and explain)
    if "sqbot_db" in found:
        return Path(str(found["sqbot_db"]))
    if data_dir is None:
        data_dir = Path(str(found.get("sqbot_data_dir") or "data"))
    return data_dir / "sqbot.db"


@dataclass(frozen=True)
class StatusSettings:
    """The settings `sqbot status` reads (`bot.ops.daemon.status_lines`), with `Settings`' defaults."""

    db_path: Path
    timezone: str = "UTC"
    catchup: str = "6h"
    poll_bands: str = "1h:2m,1d:10m,3d:30m,*:2h"
    digest_cron: str = "0 8 * * *"
    x_budget_usd: float = DEFAULT_BUDGET_USD
    x_poll_reserve_usd: float | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def status_settings(
    data_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = None,
) -> StatusSettings | None:
    """What `Settings` would hold for `status`, or None when it takes `Settings` to say (or to explain)."""
    env = os.environ if environ is None else environ
    db = db_path(data_dir, env, env_file)
    if env_file is None:
        env_file = data_dir_of(data_dir, env) / ".env"
    found = _values(env, env_file, _STATUS)
    if db is None or any(v is None for v in found.values()):
        return None
    raw = {k.removeprefix("sqbot_"): str(v) for k, v in found.items()}
    budget = raw.pop("x_budget_usd", None)
    reserve = raw.pop("x_poll_reserve_usd", None)
    if any(v is not None and not re.fullmatch(r"[0-9]{1,9}(\.[0-9]{1,9})?", v) for v in (budget, reserve)):
        return None  # pydantic's float parsing and its `ge=0` message
    zone = raw.get("timezone", "UTC")
    if zone != "UTC":
        from zoneinfo import ZoneInfoNotFoundError

        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            return None  # Settings says which zone is unknown, with an example
    return StatusSettings(
        db_path=db,
        x_budget_usd=DEFAULT_BUDGET_USD if budget is None else float(budget),
        x_poll_reserve_usd=None if reserve is None else float(reserve),
        **raw,
    )
