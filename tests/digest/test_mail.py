"""Digest delivery against a real SMTP server (aiosmtpd) on loopback: STARTTLS, AUTH, trustme certificates."""

from __future__ import annotations

import email
import os
import re
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from bot.config import Settings
from bot.digest import collect as digestdb
from bot.digest.mail import SmtpConfig, send
from bot.digest.run import run_digest
from bot.errors import MailError
from bot.store.db import Store
from tests.digest_seed import T0, add_query, ingest, reply

ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "bot", "s3cret-pw"


class Inbox:
    """The server side: what arrived, and every AUTH attempt with whether it came over TLS."""

    def __init__(self, answers: list[str] | None = None) -> None:
        self.messages: list[EmailMessage] = []
        self.auth: list[tuple[bytes, bool]] = []
        self.answers = answers or []
        self.data_calls = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_calls += 1
        if self.answers:
            answer = self.answers.pop(0)
            if not answer.startswith("250"):
                return answer
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        return "250 OK"

    def authenticator(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        self.auth.append((data.password, tls))
        ok = data.login == USER.encode() and data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def server_ctx(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
    return ctx


@pytest.fixture
def client_ctx(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    return ctx


def _serve(inbox: Inbox, **kw: Any) -> Controller:
    c = Controller(inbox, hostname="127.0.0.1", port=_free_port(), authenticator=inbox.authenticator, **kw)
    c.start()
    return c


@pytest.fixture
def starttls_server(server_ctx: ssl.SSLContext) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    c = _serve(inbox, tls_context=server_ctx, require_starttls=True, auth_required=True)
    yield inbox, c.port
    c.stop()


@pytest.fixture
def plain_server() -> Iterator[tuple[Inbox, int]]:
    """A server without TLS that would happily take a password in the clear."""
    inbox = Inbox()
    c = _serve(inbox, auth_require_tls=False)
    yield inbox, c.port
    c.stop()


def _settings(tmp_path: Path, port: int, **kw: object) -> Settings:
    base: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "timezone": "Europe/Zurich",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_user": USER,
        "smtp_password": PASSWORD,
        "smtp_from": "sqbot@example.org",
        "smtp_to": "owner@example.org",
        "smtp_tls": "starttls",
    }
    base.update(kw)
    return Settings(_env_file=None, **base)  # type: ignore[arg-type,call-arg]


@pytest.fixture(autouse=True)
def _no_real_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("SQBOT_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "t.db")
    add_query(s)
    ingest(s, [reply(1), reply(2, platform="x", text="<b>bold</b> claim")], T0)
    return s


def _msg() -> EmailMessage:
    m = EmailMessage()
    m["Subject"], m["From"], m["To"], m["Message-ID"] = "t", "a@example.org", "b@example.org", "<t@sqbot>"
    m.set_content("hello")
    return m


def _parts(msg: EmailMessage) -> dict[str, str]:
    return {p.get_content_type(): str(p.get_content()) for p in msg.iter_parts()}


# ---------------------------------------------------------------------------------------------- delivery
def test_digest_arrives_with_both_parts_over_starttls_and_auth(
    store: Store, tmp_path: Path, starttls_server: tuple[Inbox, int], client_ctx: ssl.SSLContext
) -> None:
    inbox, port = starttls_server
    now = T0 + timedelta(hours=2)
    res = run_digest(store, _settings(tmp_path, port), now, send=True, ssl_context=client_ctx)
    assert res.status == "sent"
    assert len(inbox.messages) == 1
    msg = inbox.messages[0]
    assert msg.get_content_type() == "multipart/alternative"
    parts = _parts(msg)
    assert parts["text/plain"].startswith(
        "2 people to contact · 2 new replies · 2 new people · 0 referrals · since Mon 08:00"
    )
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in parts["text/html"]
    assert msg["Message-ID"] == res.message_id and msg["To"] == "owner@example.org"
    assert inbox.auth == [(PASSWORD.encode(), True)]  # the password went over TLS only
    row = store.q("SELECT status, sent_at, replies FROM digests")[0]
    assert (row["status"], row["replies"]) == ("sent", 2) and row["sent_at"]
    # Nothing new since: the next run sends nothing.
    again = run_digest(
        store, _settings(tmp_path, port), now + timedelta(hours=1), send=True, ssl_context=client_ctx
    )
    assert again.status == "empty" and len(inbox.messages) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_delivers(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    inbox = Inbox()
    # aiosmtpd only counts STARTTLS as TLS for AUTH; this whole connection is TLS, so allow it explicitly.
    c = _serve(inbox, ssl_context=server_ctx, auth_required=True, auth_require_tls=False)
    try:
        cfg = SmtpConfig("127.0.0.1", c.port, USER, PASSWORD, tls="tls")
        send(_msg(), cfg, sender="a@example.org", to=["b@example.org"], ssl_context=client_ctx)
    finally:
        c.stop()
    assert [m["Message-ID"] for m in inbox.messages] == ["<t@sqbot>"]
    assert inbox.auth == [(PASSWORD.encode(), True)]


def test_a_server_certificate_the_client_does_not_trust_is_refused(
    store: Store, tmp_path: Path, starttls_server: tuple[Inbox, int]
) -> None:
    inbox, port = starttls_server
    now = T0 + timedelta(hours=2)
    with pytest.raises(MailError, match=r"certificate of 127\.0\.0\.1:\d+ is not trusted") as e:
        run_digest(store, _settings(tmp_path, port), now, send=True)  # the system CAs only
    assert PASSWORD not in str(e.value)
    assert inbox.messages == [] and inbox.auth == []
    assert store.q("SELECT status FROM digests")[0]["status"] == "failed"
    assert digestdb.window(store, now)[0] == T0  # not sent: the window did not move


def test_credentials_are_never_sent_to_a_server_without_starttls(
    tmp_path: Path, plain_server: tuple[Inbox, int], client_ctx: ssl.SSLContext
) -> None:
    inbox, port = plain_server
    cfg = SmtpConfig("127.0.0.1", port, USER, PASSWORD, tls="starttls")
    with pytest.raises(MailError, match="does not offer STARTTLS"):
        send(_msg(), cfg, sender="a@example.org", to=["b@example.org"], ssl_context=client_ctx)
    assert inbox.auth == [] and inbox.messages == []


def test_tls_none_is_loopback_only_and_never_with_credentials(plain_server: tuple[Inbox, int]) -> None:
    inbox, port = plain_server
    with pytest.raises(MailError, match="refusing to send SMTP credentials without TLS"):
        send(
            _msg(),
            SmtpConfig("127.0.0.1", port, USER, PASSWORD, tls="none"),
            sender="a@x.org",
            to=["b@x.org"],
        )
    with pytest.raises(MailError, match="only allowed for a server on this machine"):
        send(_msg(), SmtpConfig("smtp.example.org", port, tls="none"), sender="a@x.org", to=["b@x.org"])
    assert inbox.auth == [] and inbox.messages == []
    send(_msg(), SmtpConfig("127.0.0.1", port, tls="none"), sender="a@x.org", to=["b@x.org"])  # a local relay
    assert len(inbox.messages) == 1


def test_a_refused_login_is_not_retried_and_hides_the_password(
    starttls_server: tuple[Inbox, int], client_ctx: ssl.SSLContext
) -> None:
    inbox, port = starttls_server
    sleeps: list[float] = []
    cfg = SmtpConfig("127.0.0.1", port, USER, "wrong-password-123")
    with pytest.raises(MailError, match="SQBOT_SMTP_PASSWORD") as e:
        send(_msg(), cfg, sender="a@x.org", to=["b@x.org"], ssl_context=client_ctx, sleep=sleeps.append)
    assert "wrong-password-123" not in str(e.value)
    assert len(inbox.auth) == 1 and sleeps == [] and inbox.messages == []
    assert "wrong-password-123" not in repr(cfg)


def test_4xx_is_retried_and_5xx_is_not(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    inbox = Inbox(answers=["451 4.3.0 try again later", "250"])
    c = _serve(inbox, tls_context=server_ctx, require_starttls=True)
    try:
        sleeps: list[float] = []
        cfg = SmtpConfig("127.0.0.1", c.port)
        send(_msg(), cfg, sender="a@x.org", to=["b@x.org"], ssl_context=client_ctx, sleep=sleeps.append)
        assert (inbox.data_calls, len(inbox.messages), len(sleeps)) == (2, 1, 1)
        inbox.answers = ["554 5.7.1 message refused"]
        with pytest.raises(MailError, match=re.escape("rejected the digest (554 5.7.1 message refused)")):
            send(_msg(), cfg, sender="a@x.org", to=["b@x.org"], ssl_context=client_ctx, sleep=sleeps.append)
        assert (inbox.data_calls, len(inbox.messages), len(sleeps)) == (3, 1, 1)
    finally:
        c.stop()


def test_a_server_that_is_down_is_retried_then_reported(client_ctx: ssl.SSLContext) -> None:
    sleeps: list[float] = []
    cfg = SmtpConfig("127.0.0.1", _free_port(), attempts=3, timeout=5)
    with pytest.raises(MailError, match="after 3 attempts") as e:
        send(_msg(), cfg, sender="a@x.org", to=["b@x.org"], ssl_context=client_ctx, sleep=sleeps.append)
    assert sleeps == [2.0, 4.0] and "try `sqbot digest --send` again" in str(e.value)


# ---------------------------------------------------------------------------------------------- crash safety
_SCRIPT = """
import ssl, sys
from datetime import datetime
from pathlib import Path
from bot.config import Settings
from bot.digest.run import run_digest
from bot.store.db import Store
db, data, port, ca, now = sys.argv[1:]
settings = Settings(_env_file=None, data_dir=Path(data), timezone="Europe/Zurich", smtp_host="127.0.0.1",
                    smtp_port=int(port), smtp_user="bot", smtp_password="s3cret-pw",
                    smtp_from="sqbot@example.org", smtp_to="owner@example.org")
ctx = ssl.create_default_context(cafile=ca)
print(run_digest(Store.open(db), settings, datetime.fromisoformat(now), send=True, ssl_context=ctx))
"""


def test_a_crash_after_acceptance_resends_the_same_digest_not_a_different_one(
    store: Store, tmp_path: Path, starttls_server: tuple[Inbox, int], ca: trustme.CA
) -> None:
    inbox, port = starttls_server
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))

    def run(now_offset: timedelta, crash: bool) -> subprocess.CompletedProcess[str]:
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
        if crash:
            env["SQBOT_CRASH_AT"] = "smtp-accepted"
        args = [
            str(tmp_path / "t.db"),
            str(tmp_path / "data"),
            str(port),
            str(ca_file),
            (T0 + now_offset).isoformat(),
        ]
        return subprocess.run(
            [sys.executable, "-c", _SCRIPT, *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    first = run(timedelta(hours=2), crash=True)
    assert first.returncode == 137, first.stderr
    assert "crash point 'smtp-accepted'" in first.stderr
    assert len(inbox.messages) == 1
    assert store.q("SELECT status FROM digests")[0]["status"] == "sending"

    # Something new arrives before the restart: a rebuilt digest would differ. It must not be rebuilt.
    ingest(store, [reply(3, text="a later reply")], T0 + timedelta(hours=3))
    second = run(timedelta(hours=4), crash=False)
    assert second.returncode == 0, second.stderr
    assert "re-sent" in second.stdout
    assert len(inbox.messages) == 2
    a, b = inbox.messages
    assert a["Message-ID"] == b["Message-ID"] and a["Date"] == b["Date"] and a["Subject"] == b["Subject"]
    assert _parts(a) == _parts(b) and "a later reply" not in _parts(b)["text/plain"]
    assert [r["status"] for r in store.q("SELECT status FROM digests")] == ["sent"]

    # The next digest covers only what came after, under a new Message-ID.
    third = run(timedelta(hours=5), crash=False)
    assert third.returncode == 0, third.stderr
    c = inbox.messages[2]
    assert c["Message-ID"] != a["Message-ID"]
    assert _parts(c)["text/plain"].startswith(
        "1 person to contact · 1 new reply · 1 new person · 0 referrals"
    )
    assert "a later reply" in _parts(c)["text/plain"]
