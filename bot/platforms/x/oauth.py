"""X's OAuth 2.0 user context: the token pair `sqbot login x` stores, refreshed before it expires (X's refresh
tokens are single-use: the rotated pair is on disk, 0600 and atomic, before it is used)."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from bot.errors import AuthError, RateLimited, TransientError
from bot.platforms.x.spec import NAME
from bot.platforms.x.wire import SPACE, TWEEPY_HOST, aware, utcnow
from bot.safety.secretfile import write_private

OAUTH2_FILE = "x-oauth2.json"  # in SQBOT_DATA_DIR, written by `sqbot login x`
OAUTH2_AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
OAUTH2_TOKEN_ROUTE = "/2/oauth2/token"  # noqa: S105 (a URL path, not a secret)
OAUTH2_SCOPES = ("tweet.read", "tweet.write", "users.read", "offline.access", "media.write")
OAUTH2_REFRESH_MARGIN = timedelta(minutes=5)  # refresh this long before the access token expires
LOGIN_EXPIRED = "X login expired: run `sqbot login x`"


class OAuth2Tokens:
    """The OAuth 2.0 user token pair kept in `path` (0600 JSON: access_token, refresh_token, expires_at).

    X's refresh tokens are single-use: a refresh answer is written to disk (atomically) *before* the new access
    token is used, so a crash after it cannot lose the only valid refresh token. Refreshes are serialised across
    processes with a lock file, and whoever takes the lock re-reads the file first (another process may already
    have rotated the pair). A refresh X refuses (reused, revoked, expired) marks the file dead: later runs raise
    the same :class:`AuthError` at once instead of sending the dead token again."""

    def __init__(
        self,
        path: Path,
        *,
        client_id: str,
        client_secret: str | None = None,
        api_base: str = TWEEPY_HOST,
        timeout: float = 10.0,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.path = path
        self.client_id = client_id
        self.client_secret = client_secret or None
        self.token_url = api_base.rstrip("/") + OAUTH2_TOKEN_ROUTE
        self.timeout = timeout
        self.now = now
        self.token_requests = 0  # requests to X's token endpoint (login and refreshes)
        self._data: dict[str, Any] | None = None

    # -------------------------------------------------------------------------------------- public
    def login(self, code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
        """Exchange an authorization code (PKCE) for a token pair and store it; returns what was stored."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": self.client_id,
        }
        status, body = self._token_request(form)
        if status != 200:
            raise AuthError(
                NAME,
                f"X refused the login code ({_oauth_error(status, body)}): run `sqbot login x` again and "
                "approve within a few minutes; check SQBOT_X_CLIENT_ID / SQBOT_X_REDIRECT_URI match the app",
            )
        return self._store(body)

    def access_token(self) -> str:
        """A valid access token, refreshed (and persisted) first when it is about to expire."""
        data = self._data if self._data is not None else self._load()
        if self._fresh(data):
            self._data = data
            return str(data["access_token"])
        with self._locked():
            data = self._load()  # another process may have rotated the pair (or found it dead) meanwhile
            if not self._fresh(data):
                data = self._refresh(data)
            self._data = data
            return str(data["access_token"])

    # -------------------------------------------------------------------------------------- internals
    def _fresh(self, data: dict[str, Any]) -> bool:
        expires = aware(str(data.get("expires_at") or ""))
        return expires is not None and expires - OAUTH2_REFRESH_MARGIN > self.now().astimezone(UTC)

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            raise AuthError(NAME, f"no X login yet ({self.path} is missing): run `sqbot login x`") from None
        except ValueError:
            raise AuthError(NAME, f"{self.path} is not valid JSON: run `sqbot login x`") from None
        if not isinstance(data, dict):
            raise AuthError(NAME, f"{self.path} is not an X login: run `sqbot login x`")
        if data.get("dead"):
            raise AuthError(NAME, f"{LOGIN_EXPIRED} (X refused the refresh token at {data.get('dead_at')})")
        if not data.get("access_token") or not data.get("refresh_token"):
            raise AuthError(NAME, f"{self.path} holds no token pair: run `sqbot login x`")
        return cast(dict[str, Any], data)

    def _refresh(self, data: dict[str, Any]) -> dict[str, Any]:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": str(data["refresh_token"]),
            "client_id": self.client_id,
        }
        status, body = self._token_request(form)
        if status in (400, 401):
            # the refresh token is spent, revoked or expired: remember it, so no run sends it again
            write_private(
                self.path,
                {
                    "dead": True,
                    "dead_at": self.now().astimezone(UTC).isoformat(),
                    "client_id": self.client_id,
                },
            )
            self._data = None
            raise AuthError(
                NAME, f"{LOGIN_EXPIRED} (X refused the refresh token: {_oauth_error(status, body)})"
            )
        if status == 429:
            retry_at = self.now().astimezone(UTC) + timedelta(minutes=15)
            raise RateLimited(NAME, "X rate-limited the token refresh; try again after 15 minutes", retry_at)
        if status != 200:
            raise TransientError(NAME, f"X token refresh failed ({status}); try again later")
        return self._store(body)

    def _store(self, body: dict[str, Any]) -> dict[str, Any]:
        """Persist a token answer (before anything uses it) and return the stored pair."""
        access, refresh, expires_in = (
            body.get("access_token"),
            body.get("refresh_token"),
            body.get("expires_in"),
        )
        if not isinstance(access, str) or not isinstance(refresh, str) or not isinstance(expires_in, int):
            raise AuthError(
                NAME,
                "X's token answer has no refresh token (was `offline.access` granted?): run `sqbot login x` "
                "and approve every scope",
            )
        data = {
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": (self.now().astimezone(UTC) + timedelta(seconds=expires_in)).isoformat(),
            "scope": str(body.get("scope") or ""),
            "client_id": self.client_id,
        }
        write_private(self.path, data)  # single-use refresh token: on disk before it is used
        self._data = data
        return data

    def _token_request(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        import httpx

        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.client_secret:
            pair = f"{self.client_id}:{self.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        self.token_requests += 1
        from bot.platforms.http import network_errors

        with network_errors(NAME, f"the X token request to {self.token_url}", self.timeout):
            response = httpx.post(self.token_url, data=form, headers=headers, timeout=self.timeout)
        try:
            body = response.json()
        except ValueError:
            body = {}
        return response.status_code, body if isinstance(body, dict) else {}

    @contextmanager
    def _locked(self) -> Iterator[None]:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock


def _oauth_error(status: int, body: dict[str, Any]) -> str:
    """X's OAuth error (`error` + `error_description`), shortened; never echoes tokens (X does not send them)."""
    code = str(body.get("error") or status)
    text = SPACE.sub(" ", str(body.get("error_description") or "")).strip()[:160]
    return f"{code}: {text}" if text else code
