"""Who may talk to the review app, decided from a request's parts. PURE: no Starlette, no store, no clock.

- The login token (printed in the start URL, as Jupyter does, or `SQBOT_REVIEW_TOKEN`) is exchanged once for a
  session cookie: `<sid>.<mac>`, the mac an HMAC of the session id under a key derived from the token, so a
  cookie made for another token (an earlier start) is worthless, and no state is kept.
- The anti-forgery token of a session is another HMAC of its id; every POST carries it; compared with
  `hmac.compare_digest`.
- A request is answered only when its `Host` is one the app is served as (DNS rebinding), and a POST only when
  its `Origin` (or, without one, its `Referer`) is the app itself.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

COOKIE = "sqbot_review"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


@dataclass(frozen=True)
class Guard:
    token: str
    hosts: frozenset[str]  # "host:port" (and "host" when the port is the scheme's default), lower case

    @property
    def _key(self) -> bytes:
        return hashlib.sha256(b"sqbot-review-session\0" + self.token.encode()).digest()

    def token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def new_session(self) -> str:
        sid = secrets.token_urlsafe(24)
        return f"{sid}.{self._mac('session', sid)}"

    def session_id(self, cookie: str | None) -> str | None:
        """The session id a cookie carries, when the cookie was made by this app with this token."""
        if not cookie or cookie.count(".") != 1:
            return None
        sid, mac = cookie.split(".")
        return sid if sid and hmac.compare_digest(mac.encode(), self._mac("session", sid).encode()) else None

    def csrf(self, sid: str) -> str:
        return self._mac("csrf", sid)

    def csrf_ok(self, sid: str, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.csrf(sid).encode())

    def host_ok(self, host: str | None) -> bool:
        return host is not None and host.strip().lower() in self.hosts

    def origin_ok(self, origin: str | None, referer: str | None) -> bool:
        """The POST comes from a page of this app: its Origin, or (only when there is none) its Referer."""
        src = origin if origin is not None else referer
        if not src or src == "null":
            return False
        try:
            parts = urlsplit(src)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or parts.username or parts.password:
            return False
        if origin is not None and (parts.path or parts.query or parts.fragment):
            return False
        return parts.netloc.lower() in self.hosts

    def _mac(self, purpose: str, sid: str) -> str:
        return hmac.new(self._key, f"{purpose}\0{sid}".encode(), hashlib.sha256).hexdigest()


def served_hosts(host: str, port: int, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The `Host` values a browser sends for this app: the bind address (every loopback name when it is
    loopback or a wildcard, as in a container published on 127.0.0.1) with the port, plus `extra` names (a
    reverse proxy's public name, with or without a port)."""
    names: set[str] = set()
    wildcard = host in ("0.0.0.0", "::", "")  # noqa: S104 - a name to compare with, not a bind
    loopback = host == "localhost"
    try:
        loopback = loopback or ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if wildcard or loopback:
        names.update(LOOPBACK_NAMES)
    if not wildcard:
        names.add(f"[{host}]" if ":" in host else host)
    out = {f"{n}:{port}".lower() for n in names}
    for e in extra:
        e = e.strip().lower()
        if e:
            out.add(e)
    return frozenset(out)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
