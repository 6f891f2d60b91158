"""X's wire, shared by the adapter and the OAuth 2.0 token store: the host tweepy hard-codes, the requests
transport that gives every call a timeout (and sends it to `api_base`), X's problem bodies, time stamps."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, cast

TWEEPY_HOST = "https://api.twitter.com"
SPACE = re.compile(r"\s+")


def aware(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def problem_body(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return cast(dict[str, Any], body) if isinstance(body, dict) else {}


def problem_text(response: Any) -> str:
    body = problem_body(response)
    text = str(body.get("detail") or body.get("title") or f"HTTP {getattr(response, 'status_code', '?')}")
    text = SPACE.sub(" ", text)
    return text[:200]


def install_transport(session: Any, api_base: str, timeout: float) -> None:
    """Mount a requests adapter on tweepy's session that gives every call `timeout` and sends requests
    meant for tweepy's hard-coded host to `api_base` (OAuth 1.0a signatures stay computed over the original
    URL, which is what X checks behind a transparent proxy)."""
    from requests.adapters import HTTPAdapter

    class _XAdapter(HTTPAdapter):
        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            if api_base != TWEEPY_HOST and request.url.startswith(TWEEPY_HOST):
                request.url = api_base + request.url[len(TWEEPY_HOST) :]
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = timeout
            return super().send(request, *args, **kwargs)

    session.mount(TWEEPY_HOST, _XAdapter())
