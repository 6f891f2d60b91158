"""Shared pytest fixtures.

This file holds the external-service policy and the Bluesky network fixture. Other shared fixtures
may be appended below (keep each one small and documented).

Service policy: a test that needs an external service starts it itself. If the service cannot be
started the test is SKIPPED with a loud reason (repeated at the end of the run), except when
``CI=true`` or ``SQBOT_REQUIRE_SERVICES=1``: then it FAILS, so CI never goes green by skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import NoReturn

import pytest
from bsky_net.harness import HarnessError, NetworkInfo, release, start, stop

_service_notes: list[str] = []


def services_required() -> bool:
    """True on CI or when SQBOT_REQUIRE_SERVICES=1: an unavailable service is a failure, not a skip."""
    return (
        os.environ.get("CI", "").lower() in ("true", "1") or os.environ.get("SQBOT_REQUIRE_SERVICES") == "1"
    )


def service_unavailable(service: str, reason: str) -> NoReturn:
    """Skip (or, on CI / SQBOT_REQUIRE_SERVICES=1, fail) the requesting test because `service` is down."""
    message = f"{service} is unavailable: {reason}"
    _service_notes.append(f"SERVICE UNAVAILABLE: {message}")
    if services_required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message + "\n(set CI=true or SQBOT_REQUIRE_SERVICES=1 to make this a failure)")


@pytest.fixture(scope="session")
def bsky_net() -> Iterator[NetworkInfo]:
    """A real Bluesky network (PLC + PDS + AppView) on 127.0.0.1, started once per session.

    SQBOT_BSKY_KEEP=1 reuses a running network and leaves it running afterwards (fast dev loops).
    Concurrent sessions share one network; the last one to finish stops it.
    Mark tests that use it with ``@pytest.mark.bsky``.
    """
    keep = os.environ.get("SQBOT_BSKY_KEEP") == "1"
    timeout = float(os.environ.get("SQBOT_BSKY_START_TIMEOUT", "540"))
    try:
        info = start(timeout, reuse=keep)
    except (HarnessError, OSError) as exc:
        service_unavailable("the local Bluesky network (tests/bsky_net/start.sh)", str(exc))
    how = "reused" if info.reused else "started"
    _service_notes.append(f"bsky_net: {how} in {info.start_seconds} s at {info.pds} (state {info.state_dir})")
    yield info
    if keep:
        release()
    elif not stop():
        _service_notes.append("bsky_net: left running for another live test session")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _service_notes:
        terminalreporter.section("external services")
        for note in dict.fromkeys(_service_notes):  # a cached skip repeats the same note per test
            terminalreporter.write_line(note, red=note.startswith("SERVICE"), bold=True)
