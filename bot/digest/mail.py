"""SMTP delivery of the digest, with verified TLS.

`tls="starttls"` (default, port 587) upgrades the connection and refuses a server that does not offer
STARTTLS; `tls="tls"` is implicit TLS (port 465); `tls="none"` is only for a server on this machine
(loopback), and never with credentials. Certificates are verified with `ssl.create_default_context()`
(smtplib verifies nothing on its own). Temporary trouble (4xx, disconnects, timeouts) is retried; 5xx and
refused logins are not. Every failure is a `MailError` that says what to do and never carries the password.
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal

from bot.errors import MailError

TlsMode = Literal["starttls", "tls", "none"]
TLS_MODES: tuple[str, ...] = ("starttls", "tls", "none")


class DeliveryUnknown(MailError):
    """Retries ran out on temporary trouble: the server may or may not have taken the message."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    tls: str = "starttls"
    timeout: float = 30.0
    attempts: int = 3

    def __repr__(self) -> str:  # never show the password
        return f"SmtpConfig(host={self.host!r}, port={self.port}, user={self.user!r}, tls={self.tls!r})"


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _where(cfg: SmtpConfig) -> str:
    return f"{cfg.host}:{cfg.port}"


def _one_line(b: bytes | str, limit: int = 200) -> str:
    s = b.decode("utf-8", "replace") if isinstance(b, bytes) else b
    s = " ".join(s.split())
    return s[:limit]


def check(cfg: SmtpConfig) -> None:
    """Refuse settings that would send mail (or credentials) in the clear."""
    if cfg.tls not in TLS_MODES:
        raise MailError(f"SQBOT_SMTP_TLS={cfg.tls!r} is not one of starttls, tls, none")
    if cfg.tls == "none":
        if not is_loopback(cfg.host):
            raise MailError(
                f"SQBOT_SMTP_TLS=none is only allowed for a server on this machine, not {cfg.host}; "
                "use starttls (port 587) or tls (port 465)"
            )
        if cfg.user or cfg.password:
            raise MailError(
                "refusing to send SMTP credentials without TLS; set SQBOT_SMTP_TLS=starttls or tls"
            )
    if bool(cfg.user) != bool(cfg.password):
        raise MailError("set both SQBOT_SMTP_USER and SQBOT_SMTP_PASSWORD, or neither")


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """AUTH PLAIN when offered (one round trip, over TLS by now), else smtplib's own choice."""
    if "PLAIN" in smtp.esmtp_features.get("auth", "").upper().split():
        smtp.user, smtp.password = user, password
        smtp.auth("PLAIN", smtp.auth_plain)
    else:
        smtp.login(user, password)


def _deliver_once(
    msg: EmailMessage, cfg: SmtpConfig, ctx: ssl.SSLContext, sender: str, to: list[str]
) -> None:
    smtp: smtplib.SMTP
    if cfg.tls == "tls":
        smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout, context=ctx)
    else:
        smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
    with smtp:
        smtp.ehlo()
        if cfg.tls == "starttls":
            if not smtp.has_extn("starttls"):
                raise MailError(
                    f"the mail server {_where(cfg)} does not offer STARTTLS, so sqbot will not send the "
                    "digest (or a password) in the clear; use SQBOT_SMTP_TLS=tls and its TLS port (465)"
                )
            smtp.starttls(context=ctx)
            smtp.ehlo()
        if cfg.user and cfg.password:
            _login(smtp, cfg.user, cfg.password)
        smtp.send_message(msg, from_addr=sender, to_addrs=to)


def send(
    msg: EmailMessage,
    cfg: SmtpConfig,
    *,
    sender: str,
    to: list[str],
    ssl_context: ssl.SSLContext | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Deliver `msg`; returns once the server accepted it. Raises `MailError` otherwise."""
    check(cfg)
    ctx = ssl_context or ssl.create_default_context()
    last = ""
    for attempt in range(1, max(1, cfg.attempts) + 1):
        try:
            _deliver_once(msg, cfg, ctx, sender, to)
            return
        except MailError:
            raise
        except smtplib.SMTPAuthenticationError as e:
            raise MailError(
                f"the mail server {_where(cfg)} refused the login for {cfg.user!r} ({e.smtp_code}); check "
                "SQBOT_SMTP_USER and SQBOT_SMTP_PASSWORD (many providers need an app password)"
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise MailError(
                f"the mail server {_where(cfg)} does not support login here; check SQBOT_SMTP_TLS/PORT"
            ) from None
        except ssl.SSLCertVerificationError as e:
            raise MailError(
                f"the TLS certificate of {_where(cfg)} is not trusted ({e.verify_message}); check "
                "SQBOT_SMTP_HOST is the server's real name, or install its CA certificate"
            ) from None
        except ssl.SSLError as e:
            raise MailError(
                f"TLS with {_where(cfg)} failed ({e.reason or e}); check SQBOT_SMTP_PORT matches "
                "SQBOT_SMTP_TLS (587 starttls, 465 tls)"
            ) from None
        except smtplib.SMTPRecipientsRefused as e:
            codes = ", ".join(f"{r}: {c}" for r, (c, _m) in e.recipients.items())
            raise MailError(
                f"the mail server refused every recipient ({codes}); check SQBOT_SMTP_TO"
            ) from None
        except smtplib.SMTPResponseException as e:
            last = f"{e.smtp_code} {_one_line(e.smtp_error)}"
            if not 400 <= e.smtp_code < 500:
                raise MailError(
                    f"the mail server {_where(cfg)} rejected the digest ({last}); check SQBOT_SMTP_FROM/TO "
                    "and the server's rules"
                ) from None
        except smtplib.SMTPServerDisconnected as e:
            last = f"disconnected: {_one_line(str(e))}"
        except TimeoutError:
            last = "timed out"
        except smtplib.SMTPException as e:
            last = _one_line(str(e))
        except OSError as e:
            last = e.strerror or type(e).__name__
        if attempt < cfg.attempts:
            sleep(min(60.0, 2.0**attempt))
    raise DeliveryUnknown(
        f"could not deliver the digest to {_where(cfg)} after {cfg.attempts} attempts ({last}); "
        "check SQBOT_SMTP_HOST/PORT and try `sqbot digest --send` again later"
    )
