"""Where the database is, without building `Settings`: for commands that need nothing else (`leads list`,
`leads show`, `health`), so they do not pay for importing pydantic-settings (most of their start-up).

Reads `SQBOT_DB` and `SQBOT_DATA_DIR` the way `bot.config.Settings` does: names case-insensitive, the
environment before `.env` in the working directory, an explicit `--data-dir` before both. Anything it is not
sure about (an empty value) returns None and the caller builds the full `Settings` instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

_NAMES = ("sqbot_db", "sqbot_data_dir")


def _values(environ: Mapping[str, str], env_file: Path) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    if env_file.is_file():
        from dotenv import dotenv_values  # pydantic-settings' own .env reader

        for k, v in dotenv_values(env_file, encoding="utf-8").items():
            if k.lower() in _NAMES:
                found[k.lower()] = v
    for k, v in environ.items():
        if k.lower() in _NAMES:
            found[k.lower()] = v
    return found


def db_path(
    data_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
    env_file: Path = Path(".env"),
) -> Path | None:
    """The database path `Settings(data_dir=...).db_path` would give, or None when unsure."""
    found = _values(os.environ if environ is None else environ, env_file)
    if any(v is None or not v.strip() for v in found.values()):
        return None  # `SQBOT_DB=` and the like: let Settings decide (and explain)
    if "sqbot_db" in found:
        return Path(str(found["sqbot_db"]))
    if data_dir is None:
        data_dir = Path(str(found.get("sqbot_data_dir") or "data"))
    return data_dir / "sqbot.db"
