"""Every platform sqbot posts to: one line each, in the order answers prefer them (Bluesky before X before
Substack). Adding a platform: its package (`bot/platforms/<name>/` with `spec.py`, an adapter and `build.py`, the
adapter made from settings), one line here, its fake and its tests (and its settings in `bot/config.py`).

Importing this module imports no SDK and no network library (CLI start-up reads it)."""

from __future__ import annotations

from bot.errors import ConfigError
from bot.platforms.base import PlatformSpec
from bot.platforms.bluesky.spec import SPEC as BLUESKY
from bot.platforms.sandbox import spec as sandbox_spec
from bot.platforms.substack.spec import SPEC as SUBSTACK
from bot.platforms.x.spec import SPEC as X

SPECS: dict[str, PlatformSpec] = {
    BLUESKY.name: BLUESKY,
    X.name: X,
    SUBSTACK.name: SUBSTACK,
}
PLATFORMS: tuple[str, ...] = tuple(SPECS)
REPLYABLE: tuple[str, ...] = tuple(name for name, s in SPECS.items() if s.replies)
LABELS: dict[str, str] = {name: s.label for name, s in SPECS.items()} | {"sandbox": sandbox_spec.LABEL}
HOSTS: tuple[str, ...] = tuple(h for s in SPECS.values() for h in s.hosts) + sandbox_spec.HOSTS


def spec_for(name: str) -> PlatformSpec:
    """The spec of platform `name`; an unknown name is a `ConfigError` (never a silent default)."""
    try:
        return SPECS[name]
    except (KeyError, TypeError):
        raise ConfigError(f"unknown platform {name!r}; use one of {', '.join(PLATFORMS)}") from None


def order(name: str) -> int:
    """Where `name` comes when platforms are listed (unknown ones last)."""
    return PLATFORMS.index(name) if name in SPECS else len(PLATFORMS)
