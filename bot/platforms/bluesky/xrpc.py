"""Authenticated XRPC calls to one PDS over one `httpx.Client` (timeouts on every call, `ratelimit-*` headers
read), with a session created once with the app password, persisted (mode 0600, atomic rename) under the data
dir and refreshed before expiry; rotated tokens are written before they are used. A rejected password is
remembered (by a hash, never the password), so the bot reports it and stops asking until the setting changes."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bot.errors import AuthError, PlatformError, RateLimited, TransientError
from bot.platforms.bluesky.spec import NAME
from bot.platforms.http import network_errors
from bot.safety.secretfile import _write_private


class XrpcFailure(PlatformError):
    """An XRPC error answer that is not auth, rate limit or transient (e.g. 400 RecordNotFound)."""

    def __init__(self, status: int, error: str, message: str) -> None:
        self.status = status
        self.error = error
        super().__init__(NAME, f"{error or status}: {message}"[:300])


def _jwt_exp(token: str) -> datetime | None:
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.fromtimestamp(int(data["exp"]), UTC)
    except (IndexError, ValueError, KeyError, TypeError):
        return None


class Xrpc:
    """Authenticated XRPC calls to one PDS, with a persisted, refreshed session."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        pds_url: str,
        handle: str,
        password: str,
        session_path: Path,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        timeout: float = 15.0,
    ) -> None:
        self.http = http
        self.base = pds_url.rstrip("/")
        self.handle = handle
        self._password = password
        self.session_path = session_path
        self.clock = clock
        self.timeout = timeout
        self.requests = 0
        self.sessions_created = 0
        self._session: dict[str, Any] | None = None

    # -------------------------------------------------------------------------------------- session
    def _fingerprint(self) -> str:
        return hashlib.sha256(f"{self.base}|{self.handle}|{self._password}".encode()).hexdigest()

    def _load_session(self) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(self.session_path.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        if data.get("failed_for") == self._fingerprint():
            raise AuthError(
                NAME,
                f"the app password for @{self.handle} was rejected earlier and has not changed; create a new "
                "app password (Bluesky: Settings → Privacy and security → App passwords) and set "
                "SQBOT_BLUESKY_APP_PASSWORD",
            )
        if data.get("pds") != self.base or data.get("handle") != self.handle or "refreshJwt" not in data:
            return None
        return data

    def _save(self, data: dict[str, Any]) -> None:
        _write_private(self.session_path, data)
        self._session = data

    def _create_session(self) -> dict[str, Any]:
        self.sessions_created += 1
        resp = self._raw(
            "POST",
            "com.atproto.server.createSession",
            json_body={"identifier": self.handle, "password": self._password},
            token=None,
        )
        if resp.status_code in (400, 401):
            body = self._json(resp)
            if body.get("error") in ("AuthenticationRequired", "InvalidRequest", "AccountTakedown", None):
                _write_private(
                    self.session_path, {"failed_for": self._fingerprint(), "at": self.clock().isoformat()}
                )
                raise AuthError(
                    NAME,
                    f"login as @{self.handle} was refused ({body.get('error') or resp.status_code}); check "
                    "SQBOT_BLUESKY_HANDLE and create a new app password (Settings → Privacy and security → "
                    "App passwords) for SQBOT_BLUESKY_APP_PASSWORD",
                )
        data = self._check(resp)
        session = {
            "pds": self.base,
            "handle": self.handle,
            "did": data["did"],
            "accessJwt": data["accessJwt"],
            "refreshJwt": data["refreshJwt"],
        }
        self._save(session)
        return session

    def _refresh(self, session: dict[str, Any]) -> dict[str, Any]:
        resp = self._raw("POST", "com.atproto.server.refreshSession", token=session["refreshJwt"])
        if resp.status_code in (400, 401):
            return self._create_session()  # refresh token expired or revoked: one new login
        data = self._check(resp)
        new = {
            **session,
            "accessJwt": data["accessJwt"],
            "refreshJwt": data["refreshJwt"],
            "did": data["did"],
        }
        self._save(new)  # the old refresh token is now spent: persist the rotated pair before using it
        return new

    def session(self) -> dict[str, Any]:
        s = self._session if self._session is not None else self._load_session()
        now = self.clock()
        if s is None:
            return self._create_session()
        refresh_exp = _jwt_exp(s["refreshJwt"])
        if refresh_exp is not None and refresh_exp <= now:
            return self._create_session()
        access_exp = _jwt_exp(s["accessJwt"])
        if access_exp is None or access_exp - timedelta(minutes=5) <= now:
            s = self._refresh(s)
        self._session = s
        return s

    @property
    def did(self) -> str:
        return str(self.session()["did"])

    # -------------------------------------------------------------------------------------- calls
    def _raw(
        self,
        method: str,
        nsid: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        content_type: str | None = None,
        token: str | None,
    ) -> httpx.Response:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if content_type:
            headers["Content-Type"] = content_type
        self.requests += 1
        with network_errors(NAME, f"{nsid} at {self.base}", self.timeout):
            return self.http.request(
                method,
                f"{self.base}/xrpc/{nsid}",
                params=params,
                json=json_body,
                content=content,
                headers=headers,
                timeout=self.timeout,
            )

    @staticmethod
    def _json(resp: httpx.Response) -> dict[str, Any]:
        try:
            data = resp.json()
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def _check(self, resp: httpx.Response) -> dict[str, Any]:
        if resp.status_code < 400:
            return self._json(resp)
        body = self._json(resp)
        error, message = str(body.get("error") or ""), str(body.get("message") or "")
        if resp.status_code == 429:
            reset = resp.headers.get("ratelimit-reset")
            retry_at = (
                datetime.fromtimestamp(int(reset), UTC)
                if reset and reset.isdigit()
                else self.clock() + timedelta(minutes=5)
            )
            raise RateLimited(
                NAME, f"rate limited ({message or error}); next try after {retry_at:%H:%M} UTC", retry_at
            )
        if resp.status_code >= 500:
            raise TransientError(NAME, f"server error {resp.status_code} {error}: outcome unknown")
        if resp.status_code == 401 or error in ("AuthenticationRequired", "AccountTakedown"):
            raise AuthError(NAME, f"not authorised ({error or resp.status_code}): check the app password")
        raise XrpcFailure(resp.status_code, error, message)

    def call(
        self,
        method: str,
        nsid: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> dict[str, Any]:
        def attempt(session: dict[str, Any]) -> httpx.Response:
            return self._raw(
                method,
                nsid,
                params=params,
                json_body=json_body,
                content=content,
                content_type=content_type,
                token=session["accessJwt"],
            )

        s = self.session()
        resp = attempt(s)
        if resp.status_code in (400, 401) and self._json(resp).get("error") in (
            "ExpiredToken",
            "InvalidToken",
        ):
            # the server said the token is stale: nothing was done; refresh and retry once
            resp = attempt(self._refresh(s))
        return self._check(resp)

    def get(self, nsid: str, **params: Any) -> dict[str, Any]:
        return self.call("GET", nsid, params={k: v for k, v in params.items() if v is not None})

    def post(self, nsid: str, body: Any) -> dict[str, Any]:
        return self.call("POST", nsid, json_body=body)
