"""The one place where httpx's network failures enter sqbot's error tree: a timeout or a connection that never
got an answer is a `TransientError` (outcome unknown for a write; try again later, after reconciling)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from bot.errors import TransientError


@contextmanager
def network_errors(platform: str, what: str, timeout: float) -> Iterator[None]:
    """Translate httpx timeouts and transport errors raised inside the block; `what` names the call."""
    try:
        yield
    except httpx.TimeoutException:
        raise TransientError(
            platform, f"{what} timed out after {timeout:g} s; will try again later"
        ) from None
    except httpx.TransportError as e:
        raise TransientError(
            platform, f"{what}: network error ({type(e).__name__}); will try again later"
        ) from None
