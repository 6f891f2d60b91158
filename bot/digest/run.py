"""`sqbot digest`: compute the window, collect, build, render; then preview, write or send.

Exactly one digest per window, even across crashes: before the SMTP conversation the message is written
to `data_dir/digests/` and its window recorded as `sending` with a Message-ID derived from the window. Only
after the server accepted it is the window recorded `sent`. If sqbot dies in between (crash point
`smtp-accepted`), the next run finds the `sending` row and re-sends the very same bytes (same Message-ID,
which mail clients dedupe), instead of building a second, different digest. A definite refusal marks the
row `failed`, and the next run builds a fresh digest from the last one sent.
"""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass, field, replace
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

from bot.config import Settings
from bot.crash import crash_point
from bot.digest import collect as digestdb
from bot.digest.build import build
from bot.digest.mail import DeliveryUnknown, SmtpConfig
from bot.digest.mail import send as smtp_send
from bot.digest.model import Counts, Digest, Rendered
from bot.digest.render import render, to_message
from bot.errors import ConfigError, MailError, StorageError
from bot.safety import atomic
from bot.safety.redact import redact
from bot.store.db import Store, iso


@dataclass(frozen=True)
class DigestResult:
    status: str  # "sent", "resent", "empty", "previewed", "written"
    since: datetime
    until: datetime
    counts: Counts
    message_id: str = ""
    paths: tuple[Path, ...] = field(default=())
    note: str = ""

    def __str__(self) -> str:
        c = self.counts
        what = f"{c.replies} replies, {c.people} people, {c.referrals} referrals"
        where = f": {', '.join(str(p) for p in self.paths)}" if self.paths else ""
        lines = {
            "sent": f"digest sent ({what}), {self.message_id}",
            "resent": f"digest re-sent after an interrupted send ({what}), same {self.message_id}",
            "empty": "digest: nothing new since the last one, nothing sent",
            "previewed": f"digest preview written ({what}){where}",
            "written": f"digest written ({what}){where}",
        }
        line = lines.get(self.status, self.status)
        return line + (f"\n{self.note}" if self.note else "")


def message_id(since: datetime, until: datetime) -> str:
    """Deterministic per window: a re-send of the same window is the same message."""
    h = hashlib.sha256(f"{iso(since)}|{iso(until)}".encode()).hexdigest()[:12]
    return f"<digest-{until.strftime('%Y%m%dT%H%M%SZ')}-{h}@sqbot>"


def _sender_and_to(settings: Settings) -> tuple[str, list[str]]:
    sender = settings.smtp_from or settings.smtp_user
    if not settings.smtp_to:
        raise ConfigError("SQBOT_SMTP_TO is not set: say where the digest goes (e.g. you@example.org)")
    if not sender:
        raise ConfigError("SQBOT_SMTP_FROM is not set: say which address the digest comes from")
    to = [a for _n, a in getaddresses([settings.smtp_to]) if a]
    if not to:
        raise ConfigError(f"SQBOT_SMTP_TO={settings.smtp_to!r} holds no e-mail address")
    return sender, to


def _smtp(settings: Settings) -> SmtpConfig:
    assert settings.smtp_host is not None
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        user=settings.smtp_user,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        tls=settings.smtp_tls,
    )


def _write(base: Path, rendered: Rendered, msg: EmailMessage, *, text: bool) -> tuple[Path, ...]:
    """Each file atomically (temp, fsync, rename; 0600): a full disk leaves no empty or half file behind."""
    html = base.with_suffix(".html") if base.suffix != ".html" else base
    eml = base.with_suffix(".eml")
    out = [html, eml]
    blobs = [rendered.html.encode("utf-8"), msg.as_bytes(policy=policy.SMTP)]
    if text:
        out.append(base.with_suffix(".txt"))
        blobs.append(rendered.text.encode("utf-8"))
    written: list[Path] = []
    try:
        for path, data in zip(out, blobs, strict=True):
            if not path.exists():
                written.append(path)
            atomic.write_bytes(path, data)
    except StorageError:
        for path in written:  # all or nothing: no preview without its .eml
            path.unlink(missing_ok=True)
        raise
    return tuple(out)


def _render(digest: Digest) -> Rendered:
    """The rendered digest with every configured secret redacted (an error echoed by a server may be in it)."""
    r = render(digest)
    return replace(r, subject=redact(r.subject), text=redact(r.text), html=redact(r.html))


def _compose(store: Store, settings: Settings, now: datetime) -> tuple[Digest, Rendered, str]:
    since, until = digestdb.window(store, now)
    digest = build(
        digestdb.collect(
            store,
            since,
            until,
            x_budget_usd=settings.x_budget_usd,
            x_poll_reserve_usd=settings.x_poll_reserve_usd,
        ),
        now=now,
        tz=settings.tz,
        review_url=settings.review_url,
    )
    return digest, _render(digest), message_id(since, until)


def _resend(
    store: Store, settings: Settings, rec: digestdb.DigestRecord, now: datetime, ctx: ssl.SSLContext | None
) -> DigestResult:
    """Re-send an interrupted digest: the stored bytes if they are there, else the same window rebuilt."""
    sender, to = _sender_and_to(settings)
    path = Path(rec.path) if rec.path else None
    if path is not None and path.exists():
        msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        assert isinstance(msg, EmailMessage)
    else:
        data = digestdb.collect(
            store,
            rec.window_start,
            rec.window_end,
            x_budget_usd=settings.x_budget_usd,
            x_poll_reserve_usd=settings.x_poll_reserve_usd,
        )
        digest = build(data, now=now, tz=settings.tz, review_url=settings.review_url)
        msg = to_message(
            _render(digest), sender=sender, to=", ".join(to), message_id=rec.message_id, date=rec.window_end
        )
    counts = digestdb.recorded_counts(store, rec)
    smtp_send(msg, _smtp(settings), sender=sender, to=to, ssl_context=ctx)
    crash_point("smtp-accepted")
    digestdb.record(
        store, rec.window_end, rec.window_start, rec.message_id, digestdb.SENT, counts, rec.path, sent_at=now
    )
    return DigestResult(
        "resent", rec.window_start, rec.window_end, counts, rec.message_id, (path,) if path else ()
    )


def run_digest(
    store: Store,
    settings: Settings,
    now: datetime,
    *,
    preview: Path | None = None,
    send: bool = False,
    ssl_context: ssl.SSLContext | None = None,
) -> DigestResult:
    """Preview (write PATH + .eml + .txt, mark nothing), send (SMTP, record the window after acceptance), or,
    without SMTP settings, write .eml + .html to `data_dir/digests` and say where."""
    smtp_ready = send and settings.smtp_host is not None
    if smtp_ready and preview is None and (rec := digestdb.pending(store)) is not None:
        return _resend(store, settings, rec, now, ssl_context)

    digest, rendered, mid = _compose(store, settings, now)
    since, until = digest.since, digest.until
    # written to files only (preview, or no SMTP yet): placeholders where sender/recipient are not set
    unsent = to_message(
        rendered,
        sender=settings.smtp_from or "sqbot@localhost",
        to=settings.smtp_to or "you@localhost",
        message_id=mid,
        date=until,
    )
    if preview is not None:
        paths = _write(preview, rendered, unsent, text=True)
        return DigestResult("previewed", since, until, digest.counts, mid, paths)
    if digest.empty:
        return DigestResult("empty", since, until, digest.counts)

    stamp = until.strftime("%Y%m%dT%H%M%SZ")
    base = atomic.private_dir(settings.data_dir / "digests") / f"digest-{stamp}.eml"
    if not smtp_ready:
        paths = _write(base, rendered, unsent, text=False)
        note = (
            "to mail it, set SQBOT_SMTP_HOST, SQBOT_SMTP_USER, SQBOT_SMTP_PASSWORD, SQBOT_SMTP_FROM and "
            "SQBOT_SMTP_TO and run `sqbot digest --send`"
            if settings.smtp_host is None
            else "run `sqbot digest --send` to mail it"
        )
        digestdb.record(store, until, since, mid, digestdb.WRITTEN, digest.counts, str(paths[1]))
        return DigestResult("written", since, until, digest.counts, mid, paths, note)

    sender, to = _sender_and_to(settings)
    msg = to_message(rendered, sender=sender, to=", ".join(to), message_id=mid, date=until)
    paths = _write(base, rendered, msg, text=False)
    digestdb.record(store, until, since, mid, digestdb.SENDING, digest.counts, str(paths[1]))
    try:
        smtp_send(msg, _smtp(settings), sender=sender, to=to, ssl_context=ssl_context)
    except DeliveryUnknown:
        raise  # outcome unknown: the row stays `sending`, the next run re-sends this very message
    except MailError:  # refused for sure: the next run builds a fresh digest from the last one sent
        digestdb.record(store, until, since, mid, digestdb.FAILED, digest.counts, str(paths[1]))
        raise
    crash_point("smtp-accepted")
    digestdb.record(store, until, since, mid, digestdb.SENT, digest.counts, str(paths[1]), sent_at=now)
    return DigestResult("sent", since, until, digest.counts, mid, paths)
