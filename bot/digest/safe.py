"""Attacker text made inert, and the only links the digest makes. PURE.

Reply text, names, bios and handles are attacker-controlled: `clean` removes control and bidi characters (and
caps the length). The only clickable links are the ones built here from platform ids (permalinks, profiles) or
stored URLs that pass `safe_url` (http/https on a known host). Escaping and defanging happen in
`bot.digest.render`.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

from bot.digest.model import Author
from bot.platforms.specs import HOSTS, SPECS
from bot.safety.text import BIDI_CONTROLS

KNOWN_HOSTS = HOSTS  # the platform specs' hosts (and subdomains)


def clean(text: str | None, *, limit: int | None = None, one_line: bool = True) -> str:
    """Attacker text made inert for display: no control or bidi characters, optionally one line, capped."""
    if not text:
        return ""
    if text.isprintable():  # the usual case: no control, format (bidi), line-break or unassigned character
        s = text
    else:
        out = []
        for ch in text:
            if ch in "\n\t\r":
                out.append(" " if one_line or ch != "\n" else "\n")
            elif ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
                continue
            else:
                out.append(ch)
        s = "".join(out)
    s = re.sub(r"[ \u00a0]{2,}", " ", s) if one_line else re.sub(r"\n{3,}", "\n\n", s)
    s = s.strip()
    if limit is not None and len(s) > limit:
        s = s[: max(0, limit - 1)].rstrip() + "…"
    return s


def header_value(text: str) -> str:
    """A header value on one line, without control characters."""
    return clean(text, limit=300)


def safe_url(url: str | None) -> str | None:
    """`url` if it is an http(s) link to a known host without credentials or odd characters, else None."""
    if not url or len(url) > 2000 or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in url):
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.username is not None or parts.password is not None:
        return None
    if not any(host == h or host.endswith("." + h) for h in KNOWN_HOSTS):
        return None
    return url


def permalink(platform: str, platform_id: str | None, stored: str | None = None) -> str | None:
    """A link to a post, built from its platform id by its spec (or the stored URL when it is safe)."""
    spec = SPECS.get(platform)
    if spec is None:
        return None
    return (spec.permalink(platform_id) if platform_id else None) or safe_url(stored)


def profile_link(a: Author) -> str | None:
    """A link to an account, built from its handle or id by its spec (or the stored URL when it is safe)."""
    spec = SPECS.get(a.platform)
    return spec.profile_link(a.handle, a.user_id, safe_url(a.url)) if spec is not None else None


def review_link(base: str | None, person_id: int) -> str | None:
    """A person's page in `sqbot review` under the owner's `SQBOT_REVIEW_URL`, or None without one. Never
    a token: the address's query and fragment are dropped (the reader logs in with the printed URL once)."""
    if not base:
        return None
    try:
        parts = urlsplit(base.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    return urlunsplit(
        (parts.scheme, parts.netloc, f"{parts.path.rstrip('/')}/person/{int(person_id)}", "", "")
    )
