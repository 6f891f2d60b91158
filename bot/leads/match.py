"""What makes two profiles look like one person's (pure): the websites a profile links, a handle's local part,
a name's words. `bot.leads.merges` judges pairs with them; the store keeps each identity's keys
(`name_key`, `handle_key`, its sites in `identity_sites`) so a person's look-alikes are found by index."""

from __future__ import annotations

import re

_SOCIAL = (
    "bsky.app",
    "x.com",
    "twitter.com",
    "substack.com",
    "linkedin.com",
    "github.com",
    "mastodon.social",
)
_URL = re.compile(r"(?i)\b(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(/[^\s)\]>,;]*)?")
SKIP_DOMAIN_HANDLE = (".bsky.social", ".sandbox.test")


def _site(host: str, path: str | None) -> str | None:
    host = host.lower().removeprefix("www.")
    if host.endswith(_SOCIAL) or host in _SOCIAL:
        first = (path or "/").strip("/").split("/")[0].lower()
        return f"{host}/{first}" if first and host not in ("substack.com",) else None
    if host.endswith(".substack.com"):
        return host
    return host


def sites(text: str | None) -> set[str]:
    """The websites `text` (a bio, a profile URL) links: a host, or a host and first path part on a social site."""
    out = set()
    for m in _URL.finditer(text or ""):
        if "@" in text[max(0, m.start() - 1) : m.start()] if text else False:
            continue  # an email address or a handle, not a website
        site = _site(m.group(1), m.group(2))
        if site and "." in site:
            out.add(site)
    return out


def profile_sites(bio: str | None, url: str | None) -> set[str]:
    """The websites a profile links, in its bio or as its URL."""
    return sites(bio) | sites(url)


def local(handle: str | None) -> str:
    """A handle without its platform's domain and punctuation: `ann.bsky.social` and `ann_` are both `ann`."""
    h = (handle or "").lower().lstrip("@")
    for suffix in SKIP_DOMAIN_HANDLE:
        h = h.removesuffix(suffix)
    return re.sub(r"[^a-z0-9]", "", h.split(".")[0] if h.count(".") >= 2 else h.replace(".", ""))


def name_words(name: str | None) -> list[str]:
    """A display name's words, case-folded."""
    return (name or "").casefold().split()


def name_key(name: str | None) -> str | None:
    """Equal for two names with the same `name_words` (None: no words)."""
    return " ".join(name_words(name)) or None


def handle_key(handle: str | None) -> str | None:
    """`local(handle)`, None when empty."""
    return local(handle) or None
