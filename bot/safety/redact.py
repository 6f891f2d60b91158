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
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus

REDACTED = "[REDACTED]"
MIN_LEN = 6  # shorter values (test keys like "ck") would blank out ordinary words
PREFIX = (
    6  # a message cut short (`[:300]`) may end inside a secret: its first PREFIX+ characters are redacted
)

_PATTERNS = (
    # key=value / "key": "value" for anything that names a credential, also after a prefix (`access_token=`,
    # `&oauth_token=`, `oauth_token_secret=`, `oauth_consumer_key="..."`, `client_secret`, `refresh_token`), as
    # a configured value too short to register (MIN_LEN) or one never configured may be echoed that way; not
    # paging cursors (`next_token`, `pagination_token`, `previous_token`), which are no secret
    re.compile(
        r"(?i)(?<![a-z0-9])(?<!next_)(?<!previous_)(?<!pagination_)("
        r"(?:authorization|bearer|password|passwd|secret|token|cookie|jwt|api[_-]?key|consumer[_-]?key"
        r"|app[_-]?password)"
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
    """`value` as it may come back from a server: raw, URL-encoded (once or twice) and URL-decoded, JSON-escaped
    (also with `\\/`), HTML-escaped and as numeric character references, in every Unicode normal form, as a
    cookie's value alone (`substack.sid=VALUE` configured, `VALUE` echoed), and as base64 (`base64_forms`).
    Matching is case-insensitive for ASCII (`Redactor`), so upper-cased echoes and `%3a`/`&#X3A;` are covered."""
    values = {value, *_cookie_values(value)}
    for v in list(values):
        values |= {unquote(v), unquote_plus(v)}
    for v in list(values):
        values |= {unicodedata.normalize(form, v) for form in ("NFC", "NFD", "NFKC", "NFKD")}
        values.add(v.upper())
    out: set[str] = set()
    for v in values:
        once = quote(v, safe="")
        json_forms = {json.dumps(v)[1:-1], json.dumps(v, ensure_ascii=False)[1:-1]}
        out |= {
            v,
            once,
            quote_plus(v, safe=""),
            quote(v),
            quote(once, safe=""),  # double-encoded: `%253A`
            quote_plus(quote_plus(v, safe=""), safe=""),
            *json_forms,
            *(j.replace("/", "\\/") for j in json_forms),  # PHP-style JSON escapes `/`
            html.escape(v),
            html.escape(v, quote=False),
            "".join(f"&#x{ord(c):x};" for c in v),
            "".join(f"&#{ord(c)};" for c in v),
            "".join(c if c.isalnum() else f"&#x{ord(c):x};" for c in v),
            "".join(c if c.isalnum() else f"&#{ord(c)};" for c in v),
        }
    return {e for e in out if len(e) >= MIN_LEN}


def base64_forms(value: str) -> set[str]:
    """Base64 (standard and URL-safe) of `value` inside a longer text, at each of the 3 byte alignments: only
    the characters that depend on `value`'s bytes alone, so `"user:" + value` encoded still shows one of them."""
    out: set[str] = set()
    data = value.encode()
    for k in range(3):
        full = base64.b64encode(b"\0" * k + data).decode().rstrip("=")
        first = -(-8 * k // 6)  # the first character with no bit of the k bytes before
        last = (8 * (k + len(data))) // 6  # characters past this one mix in the bytes after
        part = full[first:last]
        if k == 0:
            out.add(base64.b64encode(data).decode())
        out |= {part, part.replace("+", "-").replace("/", "_")}
    return {e for e in out if len(e) >= MIN_LEN}


def _plain_forms(value: str) -> set[str]:
    """The forms whose start alone (PREFIX characters) is still clearly the secret: a message cut short inside
    one is redacted from that start on."""
    out = {
        value,
        quote(value, safe=""),
        quote_plus(value, safe=""),
        json.dumps(value)[1:-1],
        html.escape(value),
        base64.b64encode(value.encode()).decode(),
    }
    return {e for e in out if len(e) >= MIN_LEN}


_COOKIE = re.compile(r"\s*[^\s=;]+=([^;]*)(?:;\s*[^\s=;]+=([^;]*))*;?\s*")


def _cookie_values(value: str) -> list[str]:
    """The values of a cookie-shaped secret (`substack.sid=VALUE; other=V2`): each is a secret of its own."""
    if "=" not in value.strip().rstrip("=") or not _COOKIE.fullmatch(value):
        return []
    parts = [p.partition("=")[2].strip() for p in value.split(";") if "=" in p]
    return [p for p in parts if len(p) >= MIN_LEN]


def pair_encodings(user: str, password: str) -> set[str]:
    """Basic auth (`user:password`) and SMTP AUTH PLAIN (`\\0user\\0password`) as base64."""
    out = set()
    for raw in (f"{user}:{password}", f"\0{user}\0{password}", f"{user}\0{user}\0{password}"):
        b = base64.b64encode(raw.encode()).decode()
        out |= {b, b.rstrip("=")}
    return out


class Redactor:
    """Replaces known secret values (and their encodings) and secret-shaped substrings.

    Textual encodings match ignoring ASCII case (an echo upper-cased by a proxy, `%3a` for `%3A`); base64 forms
    match exactly (their case is their content)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self._sorted: list[str] = []  # forms whose first PREFIX characters are redacted too (a cut-off echo)
        self._folded: list[str] = []  # `_sorted`'s textual forms, ASCII-lower-cased
        self._exact: list[str] = []  # base64 forms
        self._files: dict[Path, float] = {}
        self.add(secrets)

    def add(self, secrets: Iterable[str], *, encoded: bool = True) -> None:
        new: set[str] = set()
        exact: set[str] = set()
        plain: set[str] = set()
        for s in secrets:
            if s and len(s) >= MIN_LEN:
                if encoded:
                    new |= encodings(s)
                    exact |= base64_forms(s)
                    # a cookie's name (`substack.sid=`) is no secret: its values' starts are
                    for v in _cookie_values(s) or [s]:
                        plain |= _plain_forms(v)
                else:
                    exact.add(s)
                    plain.add(s)
        with self._lock:
            if (new - self._values) or (exact - set(self._exact)) or (plain - set(self._sorted)):
                self._values |= new
                self._folded = sorted({_fold(v) for v in self._values}, key=len, reverse=True)
                self._exact = sorted(set(self._exact) | exact, key=len, reverse=True)
                self._sorted = sorted(set(self._sorted) | plain, key=len, reverse=True)

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
        spans = _find_all(_fold(text), self._folded) + _find_all(text, self._exact)
        if spans:
            text = _replace_spans(text, spans)
        for s in self._sorted:
            if s[:PREFIX] in text:
                text = _cut_prefixes(text, s)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
        return text


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _fold(text: str) -> str:
    """ASCII letters lower-cased, nothing else changed: the same length, so positions carry over."""
    return text.translate(_ASCII_LOWER)


def _find_all(text: str, needles: list[str]) -> list[tuple[int, int]]:
    spans = []
    for needle in needles:
        i = text.find(needle)
        while i >= 0:
            spans.append((i, i + len(needle)))
            i = text.find(needle, i + 1)
    return spans


def _replace_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Each run of overlapping spans becomes one `[REDACTED]`."""
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:  # overlaps the previous run: extend it
            pos = max(end, pos)
            continue
        out.append(text[pos:start])
        out.append(REDACTED)
        pos = end
    out.append(text[pos:])
    return "".join(out)


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
