"""The digest rendered: subject + plain text + HTML (Jinja2, autoescape ON, CSS inlined), and the email.

Attacker text arrives cleaned (`bot.digest.safe.clean`); here it is escaped by Jinja2 in the HTML and "defanged"
in both parts, so mail clients do not turn a domain in a reply into a link.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from bot.digest.model import Digest, Rendered
from bot.digest.safe import header_value

# Things a mail client would turn into a link: URLs, e-mail addresses, bare domains ("evil.com").
_LINKY = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*://\S*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:[\w-]+\.)+[A-Za-z]{2,}\b|www\.\S*",
    re.UNICODE,
)


def _defang_html(escaped: str) -> str:
    """Split link-like tokens with empty spans: they read the same but no client auto-links them."""

    def fix(m: re.Match[str]) -> str:
        tok = m.group(0).replace("://", ":<span>//</span>").replace("@", "<span>@</span>")
        return re.sub(r"\.(?=[\w])", "<span>.</span>", tok)

    return _LINKY.sub(fix, escaped)


def _defang_text(text: str) -> str:
    """Plain-text defang: `evil[.]com`, `hxxps[:]//`, so plain-text clients do not auto-link."""

    def fix(m: re.Match[str]) -> str:
        tok = m.group(0).replace("://", "[:]//")
        tok = re.sub(r"^http", "hxxp", tok, flags=re.IGNORECASE)
        return re.sub(r"\.(?=[\w])", "[.]", tok)

    return _LINKY.sub(fix, text)


def nolink(value: object) -> Markup:
    """Jinja2 filter (HTML): escape, then defang link-like tokens."""
    return Markup(_defang_html(str(escape(value))))  # noqa: S704 - escaped just above


_TEMPLATES = Path(__file__).parent / "templates"
_HTML_ENV = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=True, undefined=StrictUndefined)
_HTML_ENV.filters["nolink"] = nolink
# Plain text, never HTML: attacker text is cleaned in `build` and defanged by the filter.
_TEXT_ENV = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=False,  # noqa: S701
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEXT_ENV.filters["nolink"] = _defang_text
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_link_tags=False)


def render(digest: Digest) -> Rendered:
    """Subject, plain text and HTML (CSS inlined, no remote stylesheets)."""
    html = _INLINER.inline(_HTML_ENV.get_template("digest.html.j2").render(d=digest))
    text = _TEXT_ENV.get_template("digest.txt.j2").render(d=digest)
    return Rendered(subject=header_value(digest.subject), text=text, html=html)


def to_message(rendered: Rendered, *, sender: str, to: str, message_id: str, date: datetime) -> EmailMessage:
    """multipart/alternative: plain text first, HTML second. Header values are forced onto one line."""
    msg = EmailMessage()
    msg["Subject"] = header_value(rendered.subject)
    msg["From"] = header_value(sender)
    msg["To"] = header_value(to)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = header_value(message_id)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(rendered.text, cte="quoted-printable")
    msg.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
    return msg
