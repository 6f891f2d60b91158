"""The one redactor: every configured secret value, in the encodings a server or proxy may echo it back in, is
replaced with `[REDACTED]` before a text is printed, logged, stored or mailed.

Secrets are registered where they enter the process: every `Settings` object registers its `SecretStr` values
(and the SMTP/Basic-auth pairs built from them), `bot.safety.secretfile.write_private` registers the tokens it writes
(Bluesky session JWTs, X OAuth 2.0 tokens), and `watch_secret_file` names token files written by an earlier run,
read the first time a text is redacted (and again when they change). The boundaries call `redact`:

* `BotError.__init__` (every error message, so `post`, `poll`, `last_error` and `status` see a clean text),
* the store, for every error text it writes (`outbox.last_error`, `job_runs.last_error`, platform attention),
* the CLI's error printing and `bot.safety.text.term` (every attacker- or server-provided text on the terminal),
* the daemon's log formatter (bot/ops/logs.py) and the digest's input (bot/digest/run.py).

Besides exact values, secret-shaped substrings (JWTs, Bluesky app passwords, `password=...`) are redacted too.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "[REDACTED]"
MIN_LEN = 6  # shorter values (test keys like "ck") would blank out ordinary words
PREFIX = (
    6  # a message cut short (`[:300]`) may end inside a secret: its first PREFIX+ characters are redacted
)

_PATTERNS = (
    # key=value / "key": "value" for anything that names a credential
    re.compile(
        r"(?i)\b((?:authorization|bearer|password|passwd|secret|token|cookie|jwt|api[_-]?key|app[_-]?password)"
        r"[\"']?\s*[:=]\s*[\"']?(?:bearer\s+|basic\s+)?)[^\s\"',;&}<]+"
    ),
    re.compile(r"(?i)\b((?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"()\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]+"),  # JWTs (atproto access / refresh tokens)
    re.compile(r"()\b[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}\b"),  # Bluesky app passwords
    re.compile(r"(?i)(substack\.sid=)[^\s;\"'<]+"),
)
# keys of JSON token files whose values are secrets
_SECRET_KEYS = re.compile(r"(?i)(jwt|token|password|secret|cookie)")


def encodings(value: str) -> set[str]:
    """`value` as it may come back from a server: raw, URL-encoded, JSON-escaped, HTML-escaped, base64."""
    out = {
        value,
        quote(value, safe=""),
        quote_plus(value, safe=""),
        quote(value),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        html.escape(value),
        html.escape(value, quote=False),
        base64.b64encode(value.encode()).decode(),
    }
    return {e for e in out if len(e) >= MIN_LEN}


def pair_encodings(user: str, password: str) -> set[str]:
    """Basic auth (`user:password`) and SMTP AUTH PLAIN (`\\0user\\0password`) as base64."""
    out = set()
    for raw in (f"{user}:{password}", f"\0{user}\0{password}", f"{user}\0{user}\0{password}"):
        b = base64.b64encode(raw.encode()).decode()
        out |= {b, b.rstrip("=")}
    return out


class Redactor:
    """Replaces known secret values (and their encodings) and secret-shaped substrings."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self._sorted: list[str] = []
        self._files: dict[Path, float] = {}
        self.add(secrets)

    def add(self, secrets: Iterable[str], *, encoded: bool = True) -> None:
        new: set[str] = set()
        for s in secrets:
            if s and len(s) >= MIN_LEN:
                new |= encodings(s) if encoded else {s}
        with self._lock:
            if new - self._values:
                self._values |= new
                # longest first, so a secret that contains another is replaced whole
                self._sorted = sorted(self._values, key=len, reverse=True)

    def add_pair(self, user: str | None, password: str | None) -> None:
        if user and password and len(password) >= MIN_LEN:
            self.add(pair_encodings(user, password), encoded=False)

    def watch(self, path: Path) -> None:
        with self._lock:
            self._files.setdefault(path, -1.0)

    def _refresh_files(self) -> None:
        if not self._files:
            return
        for path, seen in list(self._files.items()):
            try:
                mtime = path.stat().st_mtime
            except OSError:
                continue
            if mtime == seen:
                continue
            self._files[path] = mtime
            try:
                data = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                continue
            self.add(secret_values(data))

    def __call__(self, text: str) -> str:
        if not text:
            return text
        self._refresh_files()
        for s in self._sorted:
            if s in text:
                text = text.replace(s, REDACTED)
            elif s[:PREFIX] in text:
                text = _cut_prefixes(text, s)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
        return text


def _cut_prefixes(text: str, secret: str) -> str:
    """Redact each start of `secret` (PREFIX characters or more) found in `text`: a truncated echo."""
    out, i = [], 0
    while (j := text.find(secret[:PREFIX], i)) >= 0:
        k = PREFIX
        while k < len(secret) and j + k < len(text) and text[j + k] == secret[k]:
            k += 1
        out.append(text[i:j] + REDACTED)
        i = j + k
    out.append(text[i:])
    return "".join(out)


def secret_values(data: Any) -> list[str]:
    """String values under secret-looking keys of a JSON token file (accessJwt, refresh_token, ...)."""
    out: list[str] = []
    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(v, str) and _SECRET_KEYS.search(str(k)):
                out.append(v)
            elif isinstance(v, dict | list):
                out += secret_values(v)
    elif isinstance(data, list):
        for v in data:
            out += secret_values(v)
    return out


_REDACTOR = Redactor()


def redactor() -> Redactor:
    """The process's one redactor."""
    return _REDACTOR


def register(*secrets: str | None) -> None:
    """Redact these values (and their encodings) from now on."""
    _REDACTOR.add(s for s in secrets if s)


def register_pair(user: str | None, password: str | None) -> None:
    _REDACTOR.add_pair(user, password)


def watch_secret_file(path: Path) -> None:
    """A JSON token file (session, OAuth tokens) whose secret values are redacted once it exists."""
    _REDACTOR.watch(path)


def redact(text: str) -> str:
    """`text` with every registered secret and secret-shaped substring replaced by `[REDACTED]`."""
    return _REDACTOR(text)


def redact_opt(text: str | None) -> str | None:
    return None if text is None else _REDACTOR(text)


def register_settings(settings: Any) -> None:
    """Every `SecretStr` of a settings object, the SMTP pair, the X client pair, and the token files it names."""
    from pydantic import SecretStr

    values: dict[str, str] = {}
    for name in type(settings).model_fields:
        v = getattr(settings, name, None)
        if isinstance(v, SecretStr):
            values[name] = v.get_secret_value()
    _REDACTOR.add(values.values())
    _REDACTOR.add_pair(getattr(settings, "smtp_user", None), values.get("smtp_password"))
    _REDACTOR.add_pair(getattr(settings, "x_client_id", None), values.get("x_client_secret"))
    _REDACTOR.add_pair(
        getattr(settings, "x_api_key", None) and values.get("x_api_key"), values.get("x_api_secret")
    )
    data_dir = getattr(settings, "data_dir", None)
    if isinstance(data_dir, Path):
        for name in ("bluesky.session", "x-oauth2.json"):
            _REDACTOR.watch(data_dir / name)
