"""Build the configured platforms from settings. Adapters (and their SDKs) are imported here, lazily, only
when a command needs the network: `sqbot --help`, `validate` and `plan` never come through this module."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping

from bot.config import Settings
from bot.platforms.base import MeterStart, Platform
from bot.platforms.specs import PLATFORMS, spec_for


def owner_handles(settings: Settings) -> list[str]:
    return [h for h in (settings.bluesky_handle,) if h] + ["you"]


def build_platforms(
    settings: Settings,
    wanted: Iterable[str] = PLATFORMS,
    *,
    meters: Mapping[str, MeterStart] | None = None,
) -> dict[str, Platform]:
    """The platforms that can run with these settings; in sandbox mode every platform is simulated. An unknown
    platform name is a `ConfigError`, in sandbox mode too. A metered platform (X) starts its meter at
    `meters[name]` (`bot.ops.service.metered_platforms`). Each real adapter is made by its package's
    `build(settings, meter)` (`PlatformSpec.factory`), imported only here and only when wanted."""
    specs = [spec_for(name) for name in wanted]
    if settings.use_sandbox:
        from bot.platforms.sandbox.adapter import SandboxPlatform

        path = settings.data_dir / "sandbox.json"
        return {spec.name: SandboxPlatform(spec.name, path) for spec in specs}
    out: dict[str, Platform] = {}
    for spec in specs:
        factory = importlib.import_module(spec.factory)
        p = factory.build(settings, (meters or {}).get(spec.name))
        if p is not None:
            out[spec.name] = p
    return out
