"""The X login flow behind `sqbot login x`: the OAuth 2.0 authorization code flow with PKCE, for X's user-context tokens.

It prints X's authorize URL, waits for the browser's redirect on a one-shot loopback HTTP server (the port of
SQBOT_X_REDIRECT_URI), checks `state`, exchanges the code at `{SQBOT_X_API_BASE}/2/oauth2/token` and stores the
token pair in `$SQBOT_DATA_DIR/x-oauth2.json` (0600, atomic). Where the browser cannot reach this machine, the
URL X redirected to (or its code) is pasted with `--code`: the PKCE verifier and state of the last printed URL
wait in `x-oauth2-pending.json` (0600) for that.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import click

from bot.errors import AuthError, ConfigError

if TYPE_CHECKING:
    from bot.config import Settings

PENDING_FILE = "x-oauth2-pending.json"
PENDING_LIFETIME = timedelta(minutes=15)
LOOPBACK = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "::1": "::1"}
PAGE_OK = b"sqbot: X login received. You can close this tab."
PAGE_BAD = b"sqbot: this is not the answer to the login sqbot started. Nothing was stored."


class _LoopbackServer(HTTPServer):
    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)


@dataclass(frozen=True)
class Pending:
    """One started login: what the authorize URL committed to."""

    state: str
    verifier: str
    redirect_uri: str
    client_id: str
    created_at: datetime

    @property
    def url(self) -> str:
        return authorize_url(self.client_id, self.redirect_uri, self.state, challenge(self.verifier))


def challenge(verifier: str) -> str:
    """The PKCE S256 code challenge of a verifier (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(client_id: str, redirect_uri: str, state: str, code_challenge: str) -> str:
    from bot.platforms.x.oauth import OAUTH2_AUTHORIZE_URL, OAUTH2_SCOPES

    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(OAUTH2_SCOPES),
        "state": state,
        "code_challenge": code_challenge,
        "code_challenge_method": "S256",
    }
    return f"{OAUTH2_AUTHORIZE_URL}?{urlencode(params, quote_via=quote)}"


def new_pending(client_id: str, redirect_uri: str, now: datetime) -> Pending:
    return Pending(secrets.token_urlsafe(24), secrets.token_urlsafe(64), redirect_uri, client_id, now)


def parse_answer(text: str) -> dict[str, str]:
    """The redirect URL (or its query, or a bare code) as pasted: {"code"?, "state"?, "error"?}."""
    text = text.strip()
    query = urlsplit(text).query if "?" in text or "://" in text else ""
    if not query and "=" in text:
        query = text
    if not query:
        return {"code": text} if text else {}
    return {k: v[-1] for k, v in parse_qs(query).items() if k in ("code", "state", "error")}


def check_answer(answer: dict[str, str], pending: Pending) -> str:
    """The code from an answer to `pending`'s URL; AuthError when it is a refusal or not ours."""
    if answer.get("error"):
        raise AuthError("x", "the X login was not approved in the browser: run `sqbot login x` again")
    state = answer.get("state")
    if state is not None and not hmac.compare_digest(state, pending.state):
        raise AuthError(
            "x",
            "that answer belongs to another login (state mismatch): run `sqbot login x` again, use its URL",
        )
    code = answer.get("code") or ""
    if not code:
        raise AuthError("x", "no authorization code in what was given: paste the whole URL X redirected to")
    return code


def wait_for_code(server: HTTPServer, path: str, pending: Pending, timeout: float) -> str:
    """Serve the loopback callback until the browser brings an answer with our `state` (others get 400)."""
    found: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            split = urlsplit(self.path)
            answer = {k: v[-1] for k, v in parse_qs(split.query).items() if k in ("code", "state", "error")}
            ours = (
                split.path == path
                and "state" in answer
                and hmac.compare_digest(answer["state"], pending.state)
            )
            self.send_response(200 if ours else 400)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(PAGE_OK if ours else PAGE_BAD)
            if ours:
                found.update(answer)

        def log_message(self, format: str, *args: Any) -> None:
            return  # the query carries the code: never log it

    server.RequestHandlerClass = Handler
    server.timeout = 1.0
    deadline = time.monotonic() + timeout
    while not found:
        if time.monotonic() >= deadline:
            raise AuthError(
                "x",
                f"no answer from X within {timeout:g}s: run `sqbot login x` again, or paste the URL X "
                "redirected to with `sqbot login x --code URL`",
            )
        server.handle_request()
    return check_answer(found, pending)


def _save_pending(path: Path, p: Pending) -> None:
    from bot.safety.secretfile import write_private

    write_private(
        path,
        {
            "state": p.state,
            "verifier": p.verifier,
            "redirect_uri": p.redirect_uri,
            "client_id": p.client_id,
            "created_at": p.created_at.isoformat(),
        },
    )


def _load_pending(path: Path, client_id: str, now: datetime) -> Pending:
    import json

    try:
        d = json.loads(path.read_text("utf-8"))
        p = Pending(
            str(d["state"]),
            str(d["verifier"]),
            str(d["redirect_uri"]),
            str(d["client_id"]),
            datetime.fromisoformat(str(d["created_at"])),
        )
    except (OSError, ValueError, KeyError, TypeError):
        raise AuthError(
            "x",
            "no X login was started here: run `sqbot login x` first, open its URL, then paste with --code",
        ) from None
    if p.client_id != client_id or now - p.created_at > PENDING_LIFETIME:
        raise AuthError(
            "x", "the started X login is stale: run `sqbot login x` again, then paste with --code"
        )
    return p


def login_x(settings: Settings, *, code: str | None, timeout: float, now: datetime) -> Path:
    """Run the flow; returns the path of the stored token pair."""
    from bot.platforms.x.oauth import OAUTH2_FILE, OAuth2Tokens

    if not settings.x_client_id:
        raise ConfigError(
            "set SQBOT_X_CLIENT_ID to your X app's OAuth 2.0 client id (developer portal → your app → Keys "
            "and tokens), and add SQBOT_X_REDIRECT_URI to the app's callback URLs"
        )
    pending_path = settings.data_dir / PENDING_FILE
    secret = settings.x_client_secret.get_secret_value() if settings.x_client_secret else None
    tokens = OAuth2Tokens(
        settings.data_dir / OAUTH2_FILE,
        client_id=settings.x_client_id,
        client_secret=secret,
        api_base=settings.x_api_base,
    )
    if code is not None:
        pending = _load_pending(pending_path, settings.x_client_id, now)
        got = check_answer(parse_answer(code), pending)
    else:
        pending = new_pending(settings.x_client_id, settings.x_redirect_uri, now)
        redirect = urlsplit(pending.redirect_uri)
        host = LOOPBACK.get((redirect.hostname or "").lower())
        _save_pending(pending_path, pending)
        if host is None or redirect.scheme != "http":
            click.echo(
                f"Open this URL, approve sqbot, then paste the URL X sends you to:\n\n  {pending.url}\n"
            )
            click.echo("  sqbot login x --code 'URL'")
            raise click.exceptions.Exit(0)
        port = redirect.port or 80
        try:
            server = _LoopbackServer((host, port), BaseHTTPRequestHandler)
        except OSError as err:
            raise AuthError(
                "x",
                f"cannot listen on {host}:{port} for X's redirect ({err.strerror}): free the port, or open "
                f"the URL below and paste where X sends you with `sqbot login x --code URL`\n{pending.url}",
            ) from None
        try:
            click.echo(f"Open this URL in a browser and approve sqbot:\n\n  {pending.url}\n")
            click.echo(f"Waiting for X to redirect to {pending.redirect_uri} ...")
            got = wait_for_code(server, redirect.path or "/", pending, timeout)
        finally:
            server.server_close()
    data = tokens.login(got, pending.verifier, pending.redirect_uri)
    pending_path.unlink(missing_ok=True)
    granted = set(str(data.get("scope") or "").split())
    from bot.platforms.x.oauth import OAUTH2_SCOPES

    missing = [s for s in OAUTH2_SCOPES if s not in granted]
    if granted and missing:
        click.echo(f"warning: X did not grant {', '.join(missing)}; posting may fail", err=True)
    return tokens.path
