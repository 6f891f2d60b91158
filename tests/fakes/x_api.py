"""A stateful fake of X API v2 on loopback, kept honest by X's own OpenAPI spec.

Every response the fake serves is first validated against ``tests/data/x-api-v2-openapi-2.166.json`` with
openapi-core, and its objects are checked for keys the spec does not define (the spec's schemas allow extra
properties, X's wire does not add any). A response that fails is recorded in ``XFake.violations`` and served
as a 500 instead; tests call ``assert_valid()`` (the fixtures do it on teardown), so a fake that drifts from
the spec fails the test. Requests are validated too (parameter names and values, bodies): a client that
sends what X's spec does not define gets a 400 and a recorded violation.

State: users, posts (with conversations, replies, quotes, mentions, attached media), uploaded media (with
alt text; forgotten 24 h after upload, as X does), a fake clock (never the wall clock), a
request log, X's pay-per-use meter and per-endpoint rate-limit windows. Misbehaviour is injected with
:meth:`XFake.fail` (429 with/without reset, usage cap, 401, 500/503 before or after a post was created, slow
answers past the client's timeout) or happens naturally (403 duplicate content, 403 reply not allowed).

OAuth 2.0 user context: :meth:`XFake.oauth2_client` registers an app, :meth:`XFake.authorize` plays the user
approving it on x.com (PKCE), and ``POST /2/oauth2/token`` serves the authorization_code and refresh_token grants
with X's single-use refresh tokens (a spent one answers 400 ``invalid_request``). The API spec has no operation
for the token endpoint, so what the spec does say is enforced (its ``OAuth2UserToken`` token URL and scope list;
each operation's ``security``: a user token is only accepted where the spec lists ``OAuth2UserToken``, with those
scopes) and the token answers are checked against the shape X documents (docs.x.com, "OAuth 2.0 Authorization
Code Flow with PKCE"): ``{"token_type": "bearer", "expires_in": 7200, "access_token", "scope", "refresh_token"}``
(the refresh token only with ``offline.access``), errors ``{"error", "error_description"}``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import html
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

SPEC_PATH = Path(__file__).resolve().parent.parent / "data" / "x-api-v2-openapi-2.166.json"
SPEC_HOST = "https://api.x.com"
PROBLEM = "application/problem+json"

PRICES = {
    "post_read": 0.005,
    "user_read": 0.010,
    "owned_read": 0.001,
    "post_create": 0.015,
    "post_create_url": 0.20,
}
RATE_LIMITS = {  # per 15 minutes, user context
    "POST /2/tweets": 100,
    "GET /2/users/:id/mentions": 300,
    "GET /2/tweets/search/recent": 300,
    "GET /2/users": 900,
}
WINDOW = timedelta(minutes=15)
DUPLICATE_WINDOW = timedelta(hours=24)
MEDIA_LIFETIME = timedelta(hours=24)  # X forgets media not attached to a post within a day
MEDIA_MAX_BYTES = 5_000_000
FIRST_MEDIA_ID = 1_800_000_000_000_000_000
SEARCH_WINDOW = timedelta(days=7)
FIRST_TWEET_ID = 1_900_000_000_000_000_000
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

TOKEN_ENDPOINT = "POST /2/oauth2/token"
AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
ACCESS_LIFETIME = timedelta(hours=2)  # X: OAuth 2.0 user access tokens last two hours
CODE_LIFETIME = timedelta(seconds=30)  # X: an authorization code is valid for 30 seconds
ACCESS_PREFIX = (
    "fakeat_"  # bearer tokens the fake issued (checked); any other bearer is app-only (not checked)
)
REFRESH_PREFIX = "fakert_"
TOKEN_ANSWER = {"token_type": str, "expires_in": int, "access_token": str, "scope": str, "refresh_token": str}
TOKEN_ERRORS = (  # RFC 6749 section 5.2, which X follows
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
    "server_error",
)

_URL = re.compile(r"https?://[^\s<>\"]+")
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,15})")
_CONVERSATION = re.compile(r"conversation_id:(\d{1,19})")

FAILURES = (
    "rate_limit",  # 429 with x-rate-limit-reset
    "rate_limit_no_reset",  # 429 without the reset header
    "usage_cap",  # 429 UsageCapExceeded (remaining > 0)
    "unauthorized",  # 401
    "error_after",  # the post is created, then 500
    "unavailable_after",  # the post is created, then 503
    "unavailable_before",  # 503, nothing happened
    "slow_after",  # the post is created, the answer comes after `delay` seconds
    "slow_before",  # the answer comes after `delay` seconds, nothing happened
)


# ---------------------------------------------------------------------------------------------- the spec
@functools.cache
def _spec_dict() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return data


@functools.cache
def _openapi() -> Any:
    from openapi_core import Config, OpenAPI

    # The spec is known valid (openapi-spec-validator passes it); re-validating 800 kB costs seconds per run.
    config = Config(extra_media_type_deserializers={PROBLEM: json.loads}, spec_validator_cls=None)
    return OpenAPI.from_dict(_spec_dict(), config=config)


def _template(method: str, path: str) -> str | None:
    for template, item in _spec_dict()["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return str(template)
    return None


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = _spec_dict()
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _collect(schema: dict[str, Any], instance: Any, seen: set[int]) -> tuple[bool, dict[str, dict[str, Any]]]:
    schema = _resolve(schema)
    if id(schema) in seen:
        return False, {}
    seen.add(id(schema))
    open_ = bool(schema.get("additionalProperties"))
    # a key the schema requires is defined by it, even without a `properties` entry (MediaUploadResponse
    # requires `meta` and describes nothing about it)
    props: dict[str, dict[str, Any]] = {k: {} for k in schema.get("required", []) if isinstance(k, str)}
    props.update(schema.get("properties", {}))
    parts = [*schema.get("allOf", []), *schema.get("oneOf", []), *schema.get("anyOf", [])]
    disc = schema.get("discriminator")
    if disc and isinstance(instance, dict):
        target = disc.get("mapping", {}).get(instance.get(disc["propertyName"]))
        if target:
            parts.append({"$ref": target})
    for part in parts:
        sub_open, sub_props = _collect(part, instance, seen)
        open_ = open_ or sub_open
        props.update(sub_props)
    return open_, props


def _allowed(schema: dict[str, Any], instance: Any) -> tuple[set[str] | None, dict[str, dict[str, Any]]]:
    """The keys `schema` defines for a dict instance (None = any) and the sub-schema of each."""
    open_, props = _collect(schema, instance, set())
    return (None if open_ or not props else set(props)), props


def unknown_keys(schema: dict[str, Any], instance: Any, where: str = "$") -> list[str]:
    """Keys in `instance` that `schema` does not define, recursively (X's schemas allow extras; X doesn't)."""
    schema = _resolve(schema)
    found: list[str] = []
    if isinstance(instance, dict):
        keys, props = _allowed(schema, instance)
        for key, value in instance.items():
            if keys is not None and key not in keys:
                found.append(f"{where}.{key}")
            elif key in props:
                found.extend(unknown_keys(props[key], value, f"{where}.{key}"))
    elif isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            found.extend(unknown_keys(schema["items"], item, f"{where}[{i}]"))
    return found


def request_errors(method: str, path: str, query: dict[str, str], auth: str, body: bytes) -> list[str]:
    """Why this request (as tweepy sent it) does not match X's OpenAPI spec: wrong parameter names or
    values, bad bodies. Empty: it does."""
    import warnings

    from openapi_core.testing import MockRequest

    template = _template(method, path)
    if template is None:
        return [f"{method} {path} is not an operation of the spec"]
    names = re.findall(r"\{([^}]+)\}", template)
    pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template)) + "$"
    match = re.match(pattern, path)
    view_args = dict(zip(names, match.groups(), strict=True)) if match else {}
    request = MockRequest(
        SPEC_HOST,
        method.lower(),
        path,
        args=query,
        view_args=view_args,
        headers={"Authorization": auth},
        data=body or None,
    )
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # openapi-core cannot check OAuth 1.0a signatures ("Unsupported scheme")
        errors = list(_openapi().iter_request_errors(request))
    return [f"request {method} {path}: {err}: {err.__cause__ or ''}" for err in errors]


def spec_errors(
    method: str, path: str, query: dict[str, str], status: int, body: bytes, content_type: str
) -> list[str]:
    """Why this response does not match X's OpenAPI spec (empty: it does)."""
    from openapi_core.testing import MockRequest, MockResponse

    template = _template(method, path)
    if template is None:
        return [f"{method} {path} is not an operation of the spec"]
    request = MockRequest(SPEC_HOST, method.lower(), path, args=query)
    response = MockResponse(body, status_code=status, content_type=content_type)
    errors: list[str] = []
    try:
        _openapi().validate_response(request, response)
    except Exception as err:  # openapi-core raises a family of errors; every one is a violation
        cause = err.__cause__ or err
        errors.append(f"{method} {path} {status}: {type(err).__name__}: {cause}")
        return errors
    responses = _spec_dict()["paths"][template][method.lower()]["responses"]
    answer = _resolve(responses.get(str(status)) or responses["default"])
    schema = answer.get("content", {}).get(content_type, {}).get("schema")
    if schema is not None:
        extra = unknown_keys(schema, json.loads(body))
        if extra:
            errors.append(f"{method} {path} {status}: keys the spec does not define: {', '.join(extra)}")
    return errors


def spec_oauth2() -> tuple[str, set[str]]:
    """The spec's OAuth 2.0 user-token scheme: its token URL path and the scopes it defines."""
    flow = _spec_dict()["components"]["securitySchemes"]["OAuth2UserToken"]["flows"]["authorizationCode"]
    return urlsplit(flow["tokenUrl"]).path, set(flow["scopes"])


def spec_user_scopes(method: str, path: str) -> set[str] | None:
    """The scopes the spec requires of an OAuth 2.0 user token for this operation (None: not accepted)."""
    template = _template(method, path)
    if template is None:
        return None
    for requirement in _spec_dict()["paths"][template][method.lower()].get("security", []):
        if "OAuth2UserToken" in requirement:
            return set(requirement["OAuth2UserToken"])
    return None


def token_answer_errors(status: int, body: dict[str, Any]) -> list[str]:
    """Why a token-endpoint answer does not have the shape X documents (empty: it does)."""
    where = f"{TOKEN_ENDPOINT} {status}"
    if status == 200:
        extra = sorted(set(body) - set(TOKEN_ANSWER))
        missing = sorted(k for k in TOKEN_ANSWER if k not in body and k != "refresh_token")
        wrong = sorted(k for k, t in TOKEN_ANSWER.items() if k in body and not isinstance(body[k], t))
        errors = [f"{where}: unknown keys {extra}"] if extra else []
        errors += [f"{where}: missing keys {missing}"] if missing else []
        errors += [f"{where}: wrong types for {wrong}"] if wrong else []
        if body.get("token_type") != "bearer":
            errors.append(f"{where}: token_type is {body.get('token_type')!r}, X says 'bearer'")
        if "refresh_token" in body and "offline.access" not in str(body.get("scope", "")).split():
            errors.append(f"{where}: a refresh token without the offline.access scope")
        return errors
    if set(body) - {"error", "error_description"} or body.get("error") not in TOKEN_ERRORS:
        return [f"{where}: not an OAuth 2.0 error answer: {sorted(body)} error={body.get('error')!r}"]
    return []


# ---------------------------------------------------------------------------------------------- the fake
@dataclass
class OAuthClient:
    client_id: str
    redirect_uri: str
    secret: str | None = None  # confidential clients authenticate with HTTP Basic


@dataclass
class Grant:
    """An authorization code, access token or refresh token the fake issued."""

    client_id: str
    scopes: set[str]
    expires: datetime | None = None
    used: bool = False  # codes and refresh tokens are single-use
    challenge: str = ""  # codes: the PKCE S256 challenge
    redirect_uri: str = ""


@dataclass
class Failure:
    kind: str
    endpoint: str  # "POST /2/tweets", "GET /2/users/:id/mentions", ... or "*"
    times: int = 1
    skip: int = 0  # let this many matching calls through first
    delay: float = 2.0


@dataclass
class Call:
    method: str
    endpoint: str
    path: str
    query: dict[str, str]
    status: int
    usd: float = 0.0


@dataclass
class FakeUser:
    id: str
    username: str
    name: str
    description: str = ""
    followers: int = 0
    created_at: datetime = START - timedelta(days=900)


@dataclass
class FakeTweet:
    id: str
    author_id: str
    text: str
    created_at: datetime
    conversation_id: str
    replied_to: str | None = None
    quoted: str | None = None
    in_reply_to_user_id: str | None = None
    mentions: list[tuple[int, int, str, str | None]] = field(default_factory=list)  # start, end, name, id
    urls: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, t.co url
    expanded: list[str] = field(default_factory=list)  # where each of `urls` goes (X's `expanded_url`)
    display: str = ""  # the text as X serves it (URLs as t.co)
    media_ids: list[str] = field(default_factory=list)


@dataclass
class FakeMedia:
    id: str
    media_type: str
    category: str
    uploaded_at: datetime
    data: bytes = b""
    total_bytes: int | None = None  # chunked uploads: announced by initialize
    finalized: bool = False
    alt_text: str | None = None
    polls_left: int = 0  # GIFs: STATUS answers "in_progress" this many times before "succeeded"

    @property
    def media_key(self) -> str:
        return f"3_{self.id}"


class _QuietServer(ThreadingHTTPServer):
    """A client killed mid-request (the crash tests do that on purpose) is not an error worth a traceback."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class XFake:
    """The fake X API. Use as a context manager; `base_url` is what `SQBOT_X_API_BASE` should point at."""

    def __init__(self, *, me: str = "sqbot_lab", name: str = "Social Query Lab") -> None:
        self.clock = START
        self.users: dict[str, FakeUser] = {}
        self.tweets: dict[str, FakeTweet] = {}
        self.media: dict[str, FakeMedia] = {}
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.failures: list[Failure] = []
        self.tamper: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None
        self.revoked = False
        # a server that echoes the request's OAuth 1.0a credentials (its `oauth_token` and consumer key) in the
        # 403 duplicate-content answer, as a URL and as a form body (issue 18: tweepy's raw message)
        self.echo_credentials = False
        self._auth = ""  # the Authorization header of the request being served
        self.oauth_clients: dict[str, OAuthClient] = {}
        self.codes: dict[str, Grant] = {}
        self.access_tokens: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, Grant] = {}
        self._billed: set[tuple[str, str, str]] = set()
        self._windows: dict[str, tuple[datetime, int]] = {}
        self._next_tweet = FIRST_TWEET_ID
        self._next_media = FIRST_MEDIA_ID
        self._media_fields = ""  # media.fields of the request being served
        self._next_user = 1_000_001
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.me = self.add_user(me, name, description="We ask questions in public.", followers=1200)

    # -------------------------------------------------------------------------------------- lifecycle
    def __enter__(self) -> XFake:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                fake._handle(self)

            def do_POST(self) -> None:
                fake._handle(self)

            def do_DELETE(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return

        _openapi()  # load the spec before the first request, not inside a client's timeout
        assert TOKEN_ENDPOINT == f"POST {spec_oauth2()[0]}", "the spec moved X's OAuth 2.0 token URL"
        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def assert_valid(self) -> None:
        """Fail (AssertionError) if any response the fake served broke X's spec."""
        assert not self.violations, "the X fake served responses that break X's OpenAPI spec:\n" + "\n".join(
            self.violations
        )

    # -------------------------------------------------------------------------------------- state
    def tick(self, seconds: float = 1.0) -> datetime:
        with self._lock:
            self.clock += timedelta(seconds=seconds)
            return self.clock

    def add_user(self, username: str, name: str, *, description: str = "", followers: int = 0) -> str:
        with self._lock:
            uid = str(self._next_user)
            self._next_user += 1
            self.users[uid] = FakeUser(uid, username, name, description, followers)
            return uid

    def add_tweet(
        self,
        author_id: str,
        text: str,
        *,
        reply_to: str | None = None,
        quote: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """A post by anyone (replies and quotes by other people, for polling tests)."""
        with self._lock:
            return self._create(author_id, text, reply_to, quote, at or self.tick()).id

    def by_author(self, author_id: str) -> list[FakeTweet]:
        with self._lock:
            return [t for t in self.tweets.values() if t.author_id == author_id]

    def media_of(self, tweet_id: str) -> list[FakeMedia]:
        """The media attached to a post, in order (with their alt text)."""
        with self._lock:
            return [self.media[m] for m in self.tweets[tweet_id].media_ids]

    def oauth2_client(self, client_id: str, redirect_uri: str, *, secret: str | None = None) -> None:
        """Register an OAuth 2.0 app (public, or confidential with `secret`) and its one callback URL."""
        with self._lock:
            self.oauth_clients[client_id] = OAuthClient(client_id, redirect_uri, secret)

    def authorize(self, url: str, *, approve: bool = True) -> str:
        """Play the user on x.com: open the authorize URL the bot printed, approve (or deny) the app, and
        return the URL X redirects the browser to (the bot's callback, with `code` and `state`). Raises
        AssertionError where X would show an error page instead of redirecting."""
        split = urlsplit(url)
        assert f"{split.scheme}://{split.netloc}{split.path}" == AUTHORIZE_URL, (
            f"not X's authorize URL: {url}"
        )
        q = {k: v[-1] for k, v in parse_qs(split.query).items()}
        with self._lock:
            app = self.oauth_clients.get(q.get("client_id", ""))
            assert app is not None, f"unknown client_id {q.get('client_id')!r}"
            assert q.get("redirect_uri") == app.redirect_uri, (
                f"redirect_uri {q.get('redirect_uri')!r} not registered"
            )
            assert q.get("response_type") == "code", "response_type must be code"
            assert q.get("state"), "state is required"
            assert q.get("code_challenge_method") == "S256", "the bot must use S256"
            challenge = q.get("code_challenge", "")
            assert re.fullmatch(r"[A-Za-z0-9_-]{43}", challenge), "code_challenge is not an S256 challenge"
            scopes = set(q.get("scope", "").split())
            unknown = scopes - spec_oauth2()[1]
            assert scopes and not unknown, f"scopes the spec does not define: {sorted(unknown)}"
            if not approve:
                return f"{app.redirect_uri}?{urlencode({'error': 'access_denied', 'state': q['state']})}"
            code = secrets.token_urlsafe(32)
            self.codes[code] = Grant(
                app.client_id,
                scopes,
                self.clock + CODE_LIFETIME,
                challenge=challenge,
                redirect_uri=app.redirect_uri,
            )
            return f"{app.redirect_uri}?{urlencode({'state': q['state'], 'code': code})}"

    def revoke_oauth2(self) -> None:
        """The user revoked the app in X's settings: every token it holds stops working."""
        with self._lock:
            for grant in [*self.access_tokens.values(), *self.refresh_tokens.values()]:
                grant.used, grant.expires = True, self.clock

    def fail(
        self,
        kind: str,
        endpoint: str = "POST /2/tweets",
        *,
        times: int = 1,
        skip: int = 0,
        delay: float = 2.0,
    ) -> None:
        assert kind in FAILURES, f"unknown failure {kind!r}; one of {FAILURES}"
        with self._lock:
            self.failures.append(Failure(kind, endpoint, times, skip, delay))

    def requests_to(self, endpoint: str) -> int:
        return sum(1 for c in self.calls if c.endpoint == endpoint)

    @property
    def cost(self) -> float:
        return round(sum(c.usd for c in self.calls), 6)

    def _create(
        self,
        author_id: str,
        text: str,
        reply_to: str | None,
        quote: str | None,
        at: datetime,
        media_ids: list[str] | None = None,
    ) -> FakeTweet:
        tid = str(self._next_tweet)
        self._next_tweet += 1_000_000
        parent = self.tweets.get(reply_to) if reply_to else None
        mentions: list[tuple[int, int, str, str | None]] = []
        for m in _MENTION.finditer(text):
            user = next((u for u in self.users.values() if u.username.lower() == m.group(1).lower()), None)
            mentions.append((m.start(), m.end(), m.group(1), user.id if user else None))
        display, urls, offset, expanded = text, [], 0, []
        for n, m in enumerate(_URL.finditer(text)):
            short = f"https://t.co/{int(tid) % 10**9 + n:010d}"
            start = m.start() + offset
            display = display[:start] + short + display[start + len(m.group(0)) :]
            urls.append((start, start + len(short), short))
            expanded.append(m.group(0))
            offset += len(short) - len(m.group(0))
        if media_ids:  # X appends a t.co link to the media (pic.x.com) to the text it serves
            short = f"https://t.co/{int(tid) % 10**9 + 500:010d}"
            display = f"{display} {short}" if display else short
            urls.append((len(display) - len(short), len(display), short))
            expanded.append(f"https://x.com/{self.users[author_id].username}/status/{tid}/photo/1")
        tweet = FakeTweet(
            id=tid,
            author_id=author_id,
            text=text,
            created_at=at,
            conversation_id=parent.conversation_id if parent else tid,
            replied_to=reply_to,
            quoted=quote,
            in_reply_to_user_id=parent.author_id if parent else None,
            mentions=mentions,
            urls=urls,
            expanded=expanded,
            display=display,
            media_ids=list(media_ids or []),
        )
        self.tweets[tid] = tweet
        return tweet

    # -------------------------------------------------------------------------------------- rendering
    def _tweet_json(self, t: FakeTweet, fields: set[str]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": t.id,
            "text": html.escape(t.display, quote=False),
            "edit_history_tweet_ids": [t.id],
        }
        if "author_id" in fields:
            out["author_id"] = t.author_id
        if "created_at" in fields:
            out["created_at"] = t.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        if "conversation_id" in fields:
            out["conversation_id"] = t.conversation_id
        if "in_reply_to_user_id" in fields and t.in_reply_to_user_id:
            out["in_reply_to_user_id"] = t.in_reply_to_user_id
        if "referenced_tweets" in fields:
            refs = [{"type": "replied_to", "id": t.replied_to}] if t.replied_to else []
            refs += [{"type": "quoted", "id": t.quoted}] if t.quoted else []
            if refs:
                out["referenced_tweets"] = refs
        if "entities" in fields and (t.mentions or t.urls):
            entities: dict[str, Any] = {}
            if t.mentions:
                entities["mentions"] = [
                    {"start": s, "end": e, "username": n, **({"id": i} if i else {})}
                    for s, e, n, i in t.mentions
                ]
            if t.urls:
                entities["urls"] = [
                    {"start": s, "end": e, "url": u, **({"expanded_url": x} if x else {})}
                    for (s, e, u), x in zip(t.urls, t.expanded or [""] * len(t.urls), strict=True)
                ]
                if t.media_ids:
                    entities["urls"][-1]["media_key"] = self.media[t.media_ids[0]].media_key
            out["entities"] = entities
        if "attachments" in fields and t.media_ids:
            out["attachments"] = {"media_keys": [self.media[m].media_key for m in t.media_ids]}
        return out

    def _media_json(self, m: FakeMedia, fields: set[str]) -> dict[str, Any]:
        kind = "animated_gif" if m.category == "tweet_gif" else "photo"
        out: dict[str, Any] = {"media_key": m.media_key, "type": kind}
        if "alt_text" in fields and m.alt_text is not None:
            out["alt_text"] = m.alt_text
        return out

    def _user_json(self, u: FakeUser, fields: set[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": u.id, "name": u.name, "username": u.username}
        if "description" in fields:
            out["description"] = u.description
        if "created_at" in fields:
            out["created_at"] = u.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        if "public_metrics" in fields:
            tweets = sum(1 for t in self.tweets.values() if t.author_id == u.id)
            out["public_metrics"] = {
                "followers_count": u.followers,
                "following_count": 10,
                "tweet_count": tweets,
                "listed_count": 0,
            }
        return out

    # -------------------------------------------------------------------------------------- serving
    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        split = urlsplit(req.path)
        path = split.path
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        length = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(length) if length else b""
        method = req.command
        endpoint = _endpoint(method, path)
        delay = 0.0
        with self._lock:
            try:
                if endpoint == TOKEN_ENDPOINT:  # not an operation of the API spec: X's OAuth docs
                    status, body, headers, delay, usd = self._token(raw, req.headers)
                    ctype = "application/json"
                    data = json.dumps(body).encode()
                    problems = token_answer_errors(status, body)
                else:
                    status, body, headers, delay, usd = self._route(
                        method, endpoint, path, query, raw, req.headers
                    )
                    ctype = PROBLEM if status >= 400 else "application/json"
                    if self.tamper is not None and status < 400:
                        body = self.tamper(endpoint, body)
                    data = json.dumps(body).encode()
                    problems = spec_errors(method, path, query, status, data, ctype)
            except Exception as err:  # a bug in the fake must fail the test, not hang the client
                status, body, headers, delay, usd, ctype, data = 500, {}, {}, 0.0, 0.0, PROBLEM, b""
                problems = [f"{method} {path}: the fake crashed: {type(err).__name__}: {err}"]
            if problems:
                self.violations.extend(problems)
                status, ctype, usd = 500, PROBLEM, 0.0
                data = json.dumps(
                    {
                        "type": "about:blank",
                        "title": "Internal Server Error",
                        "status": 500,
                        "detail": problems[0],
                    }
                ).encode()
            self.calls.append(Call(method, endpoint, path, query, status, usd))
            headers = {**self._rate_headers(endpoint), **headers}
            headers = {k: v for k, v in headers.items() if v}  # "" drops a header (429 without reset)
        if delay:
            time.sleep(delay)
        try:
            req.send_response(status)
            req.send_header("Content-Type", ctype)
            req.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                req.send_header(key, value)
            req.end_headers()
            req.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): that is the point
            pass

    def _rate_headers(self, endpoint: str) -> dict[str, str]:
        limit = RATE_LIMITS.get(endpoint, 900)
        start, used = self._windows.get(endpoint, (self.clock, 0))
        if self.clock - start >= WINDOW:
            start, used = self.clock, 0
        used += 1
        self._windows[endpoint] = (start, used)
        reset = int((start + WINDOW).timestamp())
        return {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(max(limit - used, 0)),
            "x-rate-limit-reset": str(reset),
        }

    def _user_token_problem(self, token: str, method: str, path: str) -> tuple[int, dict[str, Any]] | None:
        """Why X would refuse this OAuth 2.0 user token for this operation (None: it is accepted)."""
        grant = self.access_tokens.get(token)
        if grant is None or grant.expires is None or grant.expires <= self.clock:
            return 401, _problem(401, "Unauthorized", "Unauthorized")
        needed = spec_user_scopes(method, path)
        if needed is None:
            detail = "Authenticating with OAuth 2.0 User Context is forbidden for this endpoint."
            return 403, _problem(403, "Unsupported Authentication", detail)
        missing = needed - grant.scopes
        if missing:
            return 403, _problem(403, "Forbidden", f"Missing scopes: {' '.join(sorted(missing))}")
        return None

    def _token(self, raw: bytes, headers: Any) -> tuple[int, dict[str, Any], dict[str, str], float, float]:
        """POST /2/oauth2/token: the authorization_code and refresh_token grants, refresh tokens single-use."""
        failure = self._take_failure(TOKEN_ENDPOINT)
        kind = failure.kind if failure else None
        if kind == "unavailable_before":
            return 503, {"error": "server_error", "error_description": "Service Unavailable"}, {}, 0.0, 0.0
        status, body = self._grant(raw, headers)
        if kind in ("error_after", "unavailable_after"):  # the grant happened, its answer is lost
            return 503, {"error": "server_error", "error_description": "Service Unavailable"}, {}, 0.0, 0.0
        return status, body, {}, 0.0, 0.0

    def _grant(self, raw: bytes, headers: Any) -> tuple[int, dict[str, Any]]:
        def refuse(error: str, detail: str, status: int = 400) -> tuple[int, dict[str, Any]]:
            return status, {"error": error, "error_description": detail}

        if not str(headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            return refuse("invalid_request", "Missing required parameter [grant_type].")
        form = {k: v[-1] for k, v in parse_qs(raw.decode("utf-8")).items()}
        auth = str(headers.get("Authorization") or "")
        client_id = form.get("client_id", "")
        secret: str | None = None
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
        app = self.oauth_clients.get(client_id)
        if app is None:
            return refuse("invalid_request", "Missing required parameter [client_id].")
        if app.secret is not None and (secret is None or not hmac.compare_digest(secret, app.secret)):
            return refuse("unauthorized_client", "Missing valid authorization header", 401)
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            code = self.codes.get(form.get("code", ""))
            verifier = form.get("code_verifier", "")
            digest = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            )
            if (
                code is None
                or code.used
                or code.client_id != client_id
                or (code.expires is not None and code.expires <= self.clock)
                or code.redirect_uri != form.get("redirect_uri")
                or not hmac.compare_digest(digest, code.challenge)
            ):
                return refuse("invalid_request", "Value passed for the authorization code was invalid.")
            code.used = True
            return 200, self._issue(client_id, code.scopes)
        if grant_type == "refresh_token":
            old = self.refresh_tokens.get(form.get("refresh_token", ""))
            if old is None or old.used or old.client_id != client_id:
                return refuse("invalid_request", "Value passed for the token was invalid.")
            old.used = True  # single-use: the answer carries the next one
            return 200, self._issue(client_id, old.scopes)
        return refuse("unsupported_grant_type", "Grant type is not supported.")

    def _issue(self, client_id: str, scopes: set[str]) -> dict[str, Any]:
        access = ACCESS_PREFIX + secrets.token_urlsafe(24)
        self.access_tokens[access] = Grant(client_id, scopes, self.clock + ACCESS_LIFETIME)
        body: dict[str, Any] = {
            "token_type": "bearer",
            "expires_in": int(ACCESS_LIFETIME.total_seconds()),
            "access_token": access,
            "scope": " ".join(sorted(scopes)),
        }
        if "offline.access" in scopes:
            refresh = REFRESH_PREFIX + secrets.token_urlsafe(24)
            self.refresh_tokens[refresh] = Grant(client_id, scopes)
            body["refresh_token"] = refresh
        return body

    def _take_failure(self, endpoint: str) -> Failure | None:
        for failure in self.failures:
            if failure.endpoint in (endpoint, "*"):
                if failure.skip:
                    failure.skip -= 1
                    return None
                failure.times -= 1
                if failure.times <= 0:
                    self.failures.remove(failure)
                return failure
        return None

    def _route(
        self, method: str, endpoint: str, path: str, query: dict[str, str], raw: bytes, headers: Any
    ) -> tuple[int, dict[str, Any], dict[str, str], float, float]:
        auth = str(headers.get("Authorization") or "")
        if self.revoked or not auth.startswith(("OAuth ", "Bearer ")):
            return 401, _problem(401, "Unauthorized", "Unauthorized"), {}, 0.0, 0.0
        if auth.startswith("Bearer " + ACCESS_PREFIX):
            refused = self._user_token_problem(auth.removeprefix("Bearer "), method, path)
            if refused is not None:
                return refused[0], refused[1], {}, 0.0, 0.0
        bad_request = request_errors(method, path, query, auth, raw)
        if bad_request:
            self.violations.extend(bad_request)
            return 400, _problem(400, "Invalid Request", bad_request[0][:300]), {}, 0.0, 0.0
        failure = self._take_failure(endpoint)
        before = failure.kind if failure and not failure.kind.endswith("_after") else None
        if before == "unauthorized":
            return 401, _problem(401, "Unauthorized", "Unauthorized"), {}, 0.0, 0.0
        if before in ("rate_limit", "rate_limit_no_reset"):
            extra = {"x-rate-limit-remaining": "0"}
            body = _problem(429, "Too Many Requests", "Too Many Requests")
            if before == "rate_limit":
                return 429, body, extra, 0.0, 0.0
            return 429, body, {"x-rate-limit-remaining": "0", "x-rate-limit-reset": ""}, 0.0, 0.0
        if before == "usage_cap":
            body = {
                "title": "UsageCapExceeded",
                "detail": "Usage cap exceeded: Monthly product cap",
                "type": "https://api.twitter.com/2/problems/usage-capped",
                "period": "Monthly",
                "scope": "Product",
                "status": 429,
            }
            return 429, body, {}, 0.0, 0.0
        if before == "unavailable_before":
            return 503, _problem(503, "Service Unavailable", "Service Unavailable"), {}, 0.0, 0.0
        delay = failure.delay if failure and failure.kind.startswith("slow") else 0.0
        if before == "slow_before":
            return 503, _problem(503, "Service Unavailable", "Service Unavailable"), {}, delay, 0.0
        self._auth = auth
        status, body, usd = self._serve(method, endpoint, path, query, raw)
        if failure and failure.kind in ("error_after", "unavailable_after"):
            code = 500 if failure.kind == "error_after" else 503
            title = "Internal Server Error" if code == 500 else "Service Unavailable"
            return code, _problem(code, title, title), {}, 0.0, usd
        return status, body, {}, delay, usd

    def _serve(
        self, method: str, endpoint: str, path: str, query: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, Any], float]:
        self._media_fields = query.get("media.fields", "")
        tweet_fields = set(filter(None, query.get("tweet.fields", "").split(",")))
        user_fields = set(filter(None, query.get("user.fields", "").split(",")))
        expansions = set(filter(None, query.get("expansions", "").split(",")))
        parts = path.strip("/").split("/")
        if endpoint == "GET /2/users/me":
            return (
                200,
                {"data": self._user_json(self.users[self.me], user_fields)},
                self._bill("user", [self.me]),
            )
        if endpoint == "POST /2/tweets":
            return self._post(json.loads(raw or b"{}"))
        if endpoint.startswith(("POST /2/media", "GET /2/media")):
            return self._media(endpoint, parts, query, json.loads(raw or b"{}"))
        if endpoint == "DELETE /2/tweets/:id":
            existed = self.tweets.pop(parts[2], None) is not None
            return 200, {"data": {"deleted": existed}}, 0.0
        if endpoint in ("GET /2/users/:id/tweets", "GET /2/users/:id/mentions"):
            uid = parts[2]
            if endpoint.endswith("tweets"):
                pool = [t for t in self.tweets.values() if t.author_id == uid]
            else:
                pool = [t for t in self.tweets.values() if any(m[3] == uid for m in t.mentions)]
            return self._timeline(pool, query, tweet_fields, user_fields, expansions, owned=uid == self.me)
        if endpoint == "GET /2/tweets/search/recent":
            ids = _CONVERSATION.findall(query.get("query", ""))
            if not ids or len(query.get("query", "")) > 512:
                return (
                    400,
                    _problem(400, "Invalid Request", "the fake supports conversation_id: queries only"),
                    0.0,
                )
            since = self.clock - SEARCH_WINDOW
            pool = [t for t in self.tweets.values() if t.conversation_id in ids and t.created_at >= since]
            return self._timeline(
                pool, query, tweet_fields, user_fields, expansions, owned=False, search=True
            )
        if endpoint in ("GET /2/tweets", "GET /2/tweets/:id"):
            ids = query.get("ids", "").split(",") if endpoint == "GET /2/tweets" else [parts[2]]
            found = [self.tweets[i] for i in ids if i in self.tweets]
            data = [self._tweet_json(t, tweet_fields) for t in found]
            body = self._with_includes(
                {"data": data if endpoint == "GET /2/tweets" else data[0]}, found, user_fields, expansions
            )
            if not found:
                return 200, _not_found(ids, "tweet", "id" if endpoint.endswith(":id") else "ids"), 0.0
            return 200, body, self._bill("post", [t.id for t in found])
        if endpoint == "GET /2/users":
            ids = query.get("ids", "").split(",")
            users = [self.users[i] for i in ids if i in self.users]
            if not users:
                return 200, _not_found(ids, "user", "ids"), 0.0
            return (
                200,
                {"data": [self._user_json(u, user_fields) for u in users]},
                self._bill("user", [u.id for u in users]),
            )
        return 404, _problem(404, "Not Found", f"the fake does not serve {method} {path}"), 0.0

    def _media(
        self, endpoint: str, parts: list[str], query: dict[str, str], body: dict[str, Any]
    ) -> tuple[int, dict[str, Any], float]:
        """The v2 media endpoints: one-shot upload, initialize/append/finalize, status, alt text."""
        if endpoint in ("POST /2/media/upload", "POST /2/media/upload/initialize"):
            chunked = endpoint.endswith("initialize")
            try:
                data = b"" if chunked else base64.b64decode(str(body["media"]), validate=True)
            except (binascii.Error, ValueError):
                return 400, _problem(400, "Invalid Request", "media is not valid base64"), 0.0
            size = int(body.get("total_bytes") or 0) if chunked else len(data)
            if size > MEDIA_MAX_BYTES:
                detail = f"File size exceeds {MEDIA_MAX_BYTES} bytes."
                return 400, _problem(400, "Invalid Request", detail), 0.0
            mid = str(self._next_media)
            self._next_media += 7
            media = FakeMedia(
                mid,
                str(body.get("media_type") or "image/jpeg"),
                str(body.get("media_category") or "tweet_image"),
                self.clock,
                data=data,
                total_bytes=size if chunked else None,
                finalized=not chunked,
                polls_left=1 if chunked else 0,
            )
            self.media[mid] = media
            return 200, {"data": self._media_status(media), "meta": {}}, 0.0
        media_id = parts[3] if len(parts) == 5 else str(body.get("id") or query.get("media_id") or "")
        found = self.media.get(media_id)
        if found is None or self.clock - found.uploaded_at >= MEDIA_LIFETIME:
            detail = f"media {media_id} was not found or has expired"
            return 400, _problem(400, "Invalid Request", detail), 0.0
        if endpoint == "POST /2/media/upload/:id/append":
            found.data += base64.b64decode(str(body["media"]))
            expires = int((found.uploaded_at + MEDIA_LIFETIME).timestamp())
            return 200, {"data": {"expires_at": expires}, "meta": {}}, 0.0
        if endpoint == "POST /2/media/upload/:id/finalize":
            if found.total_bytes is not None and len(found.data) != found.total_bytes:
                detail = f"uploaded {len(found.data)} bytes of the {found.total_bytes} announced"
                return 400, _problem(400, "Invalid Request", detail), 0.0
            found.finalized = True
            return 200, {"data": self._media_status(found), "meta": {}}, 0.0
        if endpoint == "GET /2/media/upload":
            data = self._media_status(found)
            found.polls_left = max(found.polls_left - 1, 0)
            return 200, {"data": data, "meta": {}}, 0.0
        if endpoint == "POST /2/media/metadata":
            found.alt_text = str(body["metadata"]["alt_text"]["text"])
            answer = {"id": media_id, "associated_metadata": {"alt_text": {"text": found.alt_text}}}
            return 200, {"data": answer}, 0.0
        return 404, _problem(404, "Not Found", f"the fake does not serve {endpoint}"), 0.0

    def _media_status(self, m: FakeMedia) -> dict[str, Any]:
        left = int((m.uploaded_at + MEDIA_LIFETIME - self.clock).total_seconds())
        out: dict[str, Any] = {
            "id": m.id,
            "media_key": m.media_key,
            "size": len(m.data),
            "expires_after_secs": left,
        }
        if m.category == "tweet_gif" and m.finalized:
            state = "in_progress" if m.polls_left else "succeeded"
            # the spec requires `type` in ProcessingInfo without defining it
            info = {"type": "processing", "state": state}
            out["processing_info"] = {**info, **({"check_after_secs": 1} if m.polls_left else {})}
        return out

    def _post(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        text = str(body.get("text") or "")
        reply_to = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        if reply_to is not None and reply_to not in self.tweets:
            return 400, _problem(400, "Invalid Request", "The replied-to post does not exist."), 0.0
        media_ids = [str(m) for m in (body.get("media") or {}).get("media_ids") or []]
        for mid in media_ids:
            m = self.media.get(mid)
            usable = m is not None and m.finalized and self.clock - m.uploaded_at < MEDIA_LIFETIME
            if not usable or (m is not None and m.polls_left):
                return 400, _problem(400, "Invalid Request", "Your media IDs are invalid."), 0.0
        if not text and not media_ids:
            return 400, _problem(400, "Invalid Request", "A post needs text or media."), 0.0
        recent = self.clock - DUPLICATE_WINDOW
        if any(
            t.author_id == self.me and t.text == text and t.created_at >= recent for t in self.tweets.values()
        ):
            detail = "You are not allowed to create a Tweet with duplicate content."
            if self.echo_credentials:
                said = dict(re.findall(r'(oauth_\w+)="([^"]*)"', self._auth))
                token, key = unquote(said.get("oauth_token", "")), unquote(said.get("oauth_consumer_key", ""))
                detail += (
                    f" Request: https://api.x.com/2/tweets?oauth_consumer_key={key}&oauth_token={token}"
                    f"&oauth_version=1.0 (body access_token={token}&x=1)"
                )
            return 403, _problem(403, "Forbidden", detail), 0.0
        if reply_to is not None and not self._may_reply(self.tweets[reply_to]):
            detail = (
                "Reply to this conversation is not allowed because you have not been mentioned or otherwise "
                "engaged by the author of the post you are replying to."
            )
            return 403, _problem(403, "Forbidden", detail), 0.0
        tweet = self._create(self.me, text, reply_to, body.get("quote_tweet_id"), self.tick(), media_ids)
        usd = PRICES["post_create_url"] if _URL.search(text) else PRICES["post_create"]  # not the media link
        return 201, {"data": {"id": tweet.id, "text": html.escape(tweet.display, quote=False)}}, usd

    def _may_reply(self, parent: FakeTweet) -> bool:
        if parent.author_id == self.me:
            return True
        if any(m[3] == self.me for m in parent.mentions):
            return True
        return parent.quoted is not None and self.tweets.get(parent.quoted, parent).author_id == self.me

    def _timeline(
        self,
        pool: list[FakeTweet],
        query: dict[str, str],
        tweet_fields: set[str],
        user_fields: set[str],
        expansions: set[str],
        *,
        owned: bool,
        search: bool = False,
    ) -> tuple[int, dict[str, Any], float]:
        pool = sorted(pool, key=lambda t: int(t.id), reverse=True)
        if "since_id" in query:
            pool = [t for t in pool if int(t.id) > int(query["since_id"])]
        if "until_id" in query:
            pool = [t for t in pool if int(t.id) < int(query["until_id"])]
        if "start_time" in query:
            start = datetime.fromisoformat(query["start_time"].replace("Z", "+00:00"))
            pool = [t for t in pool if t.created_at >= start]
        if "end_time" in query:
            end = datetime.fromisoformat(query["end_time"].replace("Z", "+00:00"))
            pool = [t for t in pool if t.created_at < end]
        size = int(query.get("max_results") or 10)
        token = query.get("pagination_token") or query.get("next_token")
        offset = int(token, 36) if token else 0
        page = pool[offset : offset + size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if not page:
            return 200, {"meta": meta}, 0.0
        meta.update(newest_id=page[0].id, oldest_id=page[-1].id)
        if offset + size < len(pool):
            meta["next_token"] = _base36(offset + size)
        if offset and not search:
            meta["previous_token"] = _base36(max(offset - size, 0)) if offset - size > 0 else "0"
        body = self._with_includes(
            {"data": [self._tweet_json(t, tweet_fields) for t in page]}, page, user_fields, expansions
        )
        body["meta"] = meta
        usd = self._bill("owned" if owned else "post", [t.id for t in page])
        users = [u["id"] for u in body.get("includes", {}).get("users", [])]
        return 200, body, usd + self._bill("user", users)

    def _with_includes(
        self, body: dict[str, Any], tweets: list[FakeTweet], user_fields: set[str], expansions: set[str]
    ) -> dict[str, Any]:
        if "author_id" in expansions and tweets:
            authors = list(dict.fromkeys(t.author_id for t in tweets))
            body["includes"] = {"users": [self._user_json(self.users[a], user_fields) for a in authors]}
        media = [self.media[m] for t in tweets for m in t.media_ids]
        if "attachments.media_keys" in expansions and media:
            fields = set(filter(None, self._media_fields.split(",")))
            body.setdefault("includes", {})["media"] = [self._media_json(m, fields) for m in media]
        return body

    def _bill(self, kind: str, ids: list[str]) -> float:
        day = self.clock.date().isoformat()
        price = {"owned": PRICES["owned_read"], "post": PRICES["post_read"], "user": PRICES["user_read"]}[
            kind
        ]
        usd = 0.0
        for i in ids:
            key = ("user" if kind == "user" else "post", i, day)  # a post read owned or not is one resource
            if key not in self._billed:
                self._billed.add(key)
                usd += price
        return usd


def _endpoint(method: str, path: str) -> str:
    parts = path.strip("/").split("/")
    if len(parts) == 3 and parts[:2] == ["2", "tweets"] and parts[2].isdigit():
        return f"{method} /2/tweets/:id"
    if len(parts) == 4 and parts[:2] == ["2", "users"] and parts[2].isdigit():
        return f"{method} /2/users/:id/{parts[3]}"
    if len(parts) == 5 and parts[:3] == ["2", "media", "upload"] and parts[3].isdigit():
        return f"{method} /2/media/upload/:id/{parts[4]}"
    return f"{method} {path}"


def _problem(status: int, title: str, detail: str) -> dict[str, Any]:
    return {"type": "about:blank", "title": title, "status": status, "detail": detail}


def _not_found(ids: list[str], kind: str, parameter: str) -> dict[str, Any]:
    return {
        "errors": [
            {
                "type": "https://api.twitter.com/2/problems/resource-not-found",
                "title": "Not Found Error",
                "detail": f"Could not find {kind} with {parameter}: [{i}].",
                "parameter": parameter,
                "value": i,
                "resource_id": i,
                "resource_type": kind,
            }
            for i in ids
        ]
    }


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def iter_spec_operations() -> Iterator[str]:
    """Every `METHOD /path` of the spec (for the fake's self-tests)."""
    for template, item in _spec_dict()["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "delete", "patch"):
                yield f"{method.upper()} {template}"


def run_sqbot(tmp: Path, fake: XFake, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """`sqbot ARGS` as a subprocess in `tmp` (data in tmp/data, queue in tmp/queries) against `fake`, with OAuth
    1.0a keys and no SQBOT_* setting from the developer's environment; `extra` adds or overrides settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(
        SQBOT_DATA_DIR=str(tmp / "data"),
        SQBOT_QUEUE=str(tmp / "queries"),
        SQBOT_SANDBOX="0",
        SQBOT_X_API_KEY="ck",
        SQBOT_X_API_SECRET="cs",
        SQBOT_X_ACCESS_TOKEN="at",
        SQBOT_X_ACCESS_SECRET="as",
        SQBOT_X_API_BASE=fake.base_url,
    )
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp, env=env, capture_output=True, text=True, timeout=120
    )
