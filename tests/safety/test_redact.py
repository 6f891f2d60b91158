"""Secrets never leave the process: servers (or proxies) that echo the login request, body and headers, in their
400/401/500 answers, as JSON or HTML, cannot put a configured secret into the CLI's output, the database, the
logs or the digest. Real loopback HTTP and SMTP servers; the CLI runs as a subprocess on real SQLite files."""

from __future__ import annotations

import base64
import html
import io
import json
import logging
import os
import socket
import ssl
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from bot.config import Settings
from bot.digest.run import run_digest
from bot.errors import MailError, PlatformError
from bot.ops.logs import event, setup_logging
from bot.safety.redact import REDACTED, redact
from bot.store.db import Store
from tests.digest_seed import T0, add_query, ingest, reply

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T09:00:00+00:00"
APP_PASSWORD = "zq7k-m2pd-x9aa-4hrt-SECRETBSKY"  # not app-password shaped: only the configured value finds it
X_KEY, X_SECRET = "xkey-CONSUMER-0042", "xsecret-CONSUMER-0042"
X_TOKEN, X_TOKEN_SECRET = "1234-ACCESSTOKEN-xyz", "accesssecret-ABCDEF"
COOKIE = "s%3Asubstack-COOKIE-777"
SMTP_USER, SMTP_PASSWORD = "digest-bot", "smtp-PASSWORD-9x9x"
SECRETS = (APP_PASSWORD, X_KEY, X_SECRET, X_TOKEN, X_TOKEN_SECRET, COOKIE, SMTP_PASSWORD)


def _forms(secret: str) -> list[str]:
    """The secret and the encodings a server could echo it in."""
    return [
        secret,
        quote(secret, safe=""),
        json.dumps(secret)[1:-1],
        base64.b64encode(secret.encode()).decode(),
    ]


def _assert_clean(blob: bytes | str, where: str) -> None:
    data = blob if isinstance(blob, bytes) else blob.encode()
    for s in SECRETS:
        for form in _forms(s):
            assert form.encode() not in data, f"{s!r} (as {form!r}) leaked into {where}"
        assert s[:8].encode() not in data, f"the start of {s!r} leaked into {where}"


class Echo(BaseHTTPRequestHandler):
    """Answers every request with `status`, echoing the request line, headers and body (JSON or HTML)."""

    status = 400
    fmt = "json"
    seen: ClassVar[list[bytes]] = []

    def _answer(self) -> None:
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        type(self).seen.append(body + str(self.headers).encode())
        echo = f"{self.command} {self.path}\n{self.headers}\n{body.decode('utf-8', 'replace')}"
        if self.fmt == "json":
            payload = json.dumps(
                {"error": f"Proxy rejected: {echo}", "message": echo, "detail": echo, "title": echo}
            ).encode()
            ctype = "application/json"
        else:
            payload = f"<html><body><h1>{self.status}</h1><pre>{html.escape(echo)}</pre>{echo}</body></html>"
            payload_b = payload.encode()
            ctype = "text/html"
            payload = payload_b  # type: ignore[assignment]
        self.send_response(self.status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)  # type: ignore[arg-type]

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def echo_server() -> Iterator[tuple[type[Echo], str]]:
    handler = type("EchoHandler", (Echo,), {"seen": []})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield handler, f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture(autouse=True)
def _no_real_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("SQBOT_")]:
        monkeypatch.delenv(name)


def _env(tmp_path: Path, base: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(
        SQBOT_DATA_DIR=str(tmp_path / "data"),
        SQBOT_QUEUE=str(tmp_path / "queries"),
        SQBOT_TIMEZONE="UTC",
        SQBOT_SANDBOX="0",
        SQBOT_BLUESKY_HANDLE="bot.test",
        SQBOT_BLUESKY_APP_PASSWORD=APP_PASSWORD,
        SQBOT_BLUESKY_PDS_URL=base,
        SQBOT_X_API_KEY=X_KEY,
        SQBOT_X_API_SECRET=X_SECRET,
        SQBOT_X_ACCESS_TOKEN=X_TOKEN,
        SQBOT_X_ACCESS_SECRET=X_TOKEN_SECRET,
        SQBOT_X_API_BASE=base,
        SQBOT_SUBSTACK_COOKIE=COOKIE,
        SQBOT_SUBSTACK_API_BASE=base,
        SQBOT_SMTP_USER=SMTP_USER,
        SQBOT_SMTP_PASSWORD=SMTP_PASSWORD,
    )
    return env


def _sqbot(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--now", NOW, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _queue(tmp_path: Path) -> None:
    q = tmp_path / "queries"
    q.mkdir()
    (q / "ask.yaml").write_text(
        "id: ask\nplatforms: [bluesky, x]\ntext: Who works on open-ended AI? Replies welcome.\nwatch: 7d\n",
        encoding="utf-8",
    )


def _all_files(folder: Path) -> Iterator[Path]:
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            yield p


@pytest.mark.parametrize("status", [400, 401, 500])
@pytest.mark.parametrize("fmt", ["json", "html"])
def test_a_server_echoing_the_login_request_leaks_no_secret_into_output_database_or_digest(
    tmp_path: Path, echo_server: tuple[type[Echo], str], status: int, fmt: str
) -> None:
    handler, base = echo_server
    handler.status, handler.fmt = status, fmt
    _queue(tmp_path)
    env = _env(tmp_path, base)
    runs = [
        _sqbot(tmp_path, env, "post"),
        _sqbot(tmp_path, env, "poll"),
        _sqbot(tmp_path, env, "status"),
        _sqbot(tmp_path, env, "digest", "--preview", str(tmp_path / "out" / "digest.html")),
    ]
    # the servers really were sent the secrets (so a leak was possible) ...
    seen = b"".join(handler.seen)
    assert APP_PASSWORD.encode() in seen and quote(X_KEY, safe="").encode() in seen
    # ... and the answers that echoed them reached sqbot: each command says what went wrong
    assert "Traceback" not in runs[0].stderr, runs[0].stderr
    assert "bluesky" in runs[0].stdout and "x " in runs[0].stdout
    for r in runs:
        assert "Traceback" not in r.stderr, r.stderr
        _assert_clean(r.stdout, f"stdout of {r.args[4:]}")
        _assert_clean(r.stderr, f"stderr of {r.args[4:]}")
    store = Store.open(tmp_path / "data" / "sqbot.db")
    try:
        errors = [r["last_error"] for r in store.q("SELECT last_error FROM outbox")]
        assert any(errors), "the failures were recorded"
    finally:
        store.close()
    for f in (*_all_files(tmp_path / "data"), *_all_files(tmp_path / "out")):
        _assert_clean(f.read_bytes(), str(f))


def test_an_error_built_from_an_echo_of_any_secret_encoding_is_redacted() -> None:
    Settings(  # type: ignore[call-arg]
        _env_file=None,
        bluesky_app_password=APP_PASSWORD,
        smtp_user=SMTP_USER,
        smtp_password=SMTP_PASSWORD,
        x_client_id="client-id-1",
        x_client_secret="client-SECRET-5",
    )
    basic = base64.b64encode(b"client-id-1:client-SECRET-5").decode()
    plain = base64.b64encode(f"\0{SMTP_USER}\0{SMTP_PASSWORD}".encode()).decode()
    echoed = (
        f"password={quote(APP_PASSWORD, safe='')}; {json.dumps({'password': APP_PASSWORD})}; "
        f"Authorization: Basic {basic}; AUTH PLAIN {plain}; {html.escape(SMTP_PASSWORD)}"
    )
    err = PlatformError("bluesky", echoed)
    for secret in (APP_PASSWORD, SMTP_PASSWORD, "client-SECRET-5", basic, plain):
        assert secret not in str(err)
    assert REDACTED in str(err) and str(err).startswith("bluesky: password=")


def test_an_echo_cut_short_inside_a_secret_leaves_no_part_of_it() -> None:
    Settings(_env_file=None, bluesky_app_password=APP_PASSWORD)  # type: ignore[call-arg]
    err = PlatformError("bluesky", ('{"password":"' + APP_PASSWORD)[:24])
    assert APP_PASSWORD[:6] not in str(err) and str(err).endswith(REDACTED)


def test_the_daemon_log_redacts_every_configured_secret() -> None:
    Settings(_env_file=None, x_access_token=X_TOKEN, substack_cookie=COOKIE)  # type: ignore[call-arg]
    out = io.StringIO()
    handler = setup_logging(stream=out, as_json=True)
    try:
        log = logging.getLogger("sqbot.test")
        event(log, logging.ERROR, f"x failed: {quote(X_TOKEN, safe='')}", error=f"cookie was {COOKIE}")
    finally:
        logging.getLogger("sqbot").removeHandler(handler)
    line = json.loads(out.getvalue())
    assert REDACTED in line["msg"] and REDACTED in line["error"]
    _assert_clean(out.getvalue(), "the log")


def test_a_session_token_written_to_its_file_is_redacted_from_then_on(tmp_path: Path) -> None:
    from bot.safety.secretfile import write_private

    token = "opaque-REFRESH-token-31337"
    write_private(tmp_path / "x-oauth2.json", {"access_token": "opaque-ACCESS-1", "refresh_token": token})
    assert token not in redact(f"refresh failed: {token}")
    assert "opaque-ACCESS-1" not in redact("Bearer opaque-ACCESS-1 and access_token=opaque-ACCESS-1")
    assert (tmp_path / "x-oauth2.json").stat().st_mode & 0o777 == 0o600


# ---------------------------------------------------------------------------------------------- SMTP
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class EchoingSmtp:
    """Accepts the login, then refuses the sender, echoing the AUTH data it got (a misconfigured relay)."""

    def __init__(self) -> None:
        self.auth: list[tuple[bytes, bytes]] = []

    def authenticator(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        self.auth.append((data.login, data.password))
        return AuthResult(success=True)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        login, password = self.auth[-1]
        plain = base64.b64encode(b"\0" + login + b"\0" + password).decode()
        return f"550 5.7.1 relay refused for {login.decode()} password={password.decode()} auth={plain}"


@pytest.mark.parametrize("when", ["send"])
def test_a_mail_server_echoing_the_password_leaks_it_nowhere(tmp_path: Path, when: str) -> None:
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    handler = EchoingSmtp()
    c = Controller(
        handler,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=handler.authenticator,
        tls_context=server_ctx,
        require_starttls=True,
        auth_required=True,
    )
    c.start()
    try:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            data_dir=tmp_path / "data",
            smtp_host="127.0.0.1",
            smtp_port=c.port,
            smtp_user=SMTP_USER,
            smtp_password=SMTP_PASSWORD,
            smtp_from="bot@example.org",
            smtp_to="me@example.org",
        )
        store = Store.open(settings.db_path)
        try:
            add_query(store)
            ingest(store, [reply(1, text="I use QGIS for fieldwork")], T0 + timedelta(hours=1))
            with pytest.raises(MailError) as e:
                run_digest(store, settings, T0 + timedelta(hours=2), send=True, ssl_context=client_ctx)
        finally:
            store.close()
    finally:
        c.stop()
    assert handler.auth and handler.auth[0][1] == SMTP_PASSWORD.encode()
    assert "550" in str(e.value) and REDACTED in str(e.value)
    _assert_clean(str(e.value), "the MailError")
    for f in _all_files(tmp_path / "data"):
        _assert_clean(f.read_bytes(), str(f))


def test_tokens_in_a_token_file_from_an_earlier_run_are_redacted(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "x-oauth2.json").write_text(
        json.dumps({"access_token": "earlier-ACCESS-tok-99", "refresh_token": "earlier-REFRESH-tok-99"}),
        encoding="utf-8",
    )
    (data / "bluesky.session").write_text(json.dumps({"accessJwt": "opaque-session-JWT-1"}), encoding="utf-8")
    Settings(_env_file=None, data_dir=data)  # type: ignore[call-arg]
    text = "echo: refresh_token earlier-REFRESH-tok-99 / earlier-ACCESS-tok-99 / opaque-session-JWT-1"
    out = redact(text)
    for token in ("earlier-REFRESH-tok-99", "earlier-ACCESS-tok-99", "opaque-session-JWT-1"):
        assert token not in out


# ---------------------------------------------------------------------------------------------- more echo forms
COOKIE_VALUE = "s%3Aform-COOKIE-4242.sig/Xy"
ACCENTED = "pässwort-Geheim/99"


def _entities(value: str, *, decimal: bool = False) -> str:
    return "".join(f"&#{ord(c)};" if decimal else f"&#x{ord(c):x};" for c in value)


def _b64_at(value: str, offset: int) -> str:
    """`value` inside a longer text (after `offset` bytes), base64-encoded as one piece: a Basic header, a blob."""
    return base64.b64encode(("id:" + "u" * offset + value + ";more").encode()).decode()


@pytest.mark.parametrize(
    ("name", "echo"),
    [
        ("cookie value alone", f"Set-Cookie rejected: {COOKIE_VALUE}"),
        ("whole cookie", f"cookie header was substack.sid={COOKIE_VALUE}"),
        ("URL-decoded", "session s:form-COOKIE-4242.sig/Xy expired"),
        ("double-encoded", "bad sid " + quote(quote(COOKIE_VALUE, safe=""), safe="")),
        ("JSON with \\/", json.dumps({"sid": COOKIE_VALUE}).replace("/", "\\/")),
        ("upper-cased", f"INVALID SESSION {COOKIE_VALUE.upper()}"),
        ("lower-case percent hex", "sid=" + COOKIE_VALUE.replace("%3A", "%3a")),
        ("hex entities", f"<p>{_entities(COOKIE_VALUE)}</p>"),
        ("decimal entities", f"<p>{_entities(COOKIE_VALUE, decimal=True)}</p>"),
        ("NFD", "pw " + unicodedata.normalize("NFD", ACCENTED)),
        ("NFD upper-cased", "PW " + unicodedata.normalize("NFD", ACCENTED).upper()),
        ("accented as entities", "<b>" + _entities(ACCENTED) + "</b>"),
        ("base64 at offset 0", "blob " + _b64_at(ACCENTED, 0)),
        ("base64 at offset 1", "blob " + _b64_at(ACCENTED, 1)),
        ("base64 at offset 2", "blob " + _b64_at(ACCENTED, 2)),
        ("cookie base64 at offset 1", "blob " + _b64_at("substack.sid=" + COOKIE_VALUE, 1)),
    ],
)
def test_every_echo_form_of_a_configured_secret_is_redacted(name: str, echo: str) -> None:
    """The `.env.example` cookie form (`substack.sid=VALUE`) and an accented password, echoed back in forms a
    server or proxy produces; each form was missed before."""
    Settings(  # type: ignore[call-arg]
        _env_file=None, substack_cookie=f"substack.sid={COOKIE_VALUE}", smtp_password=ACCENTED
    )
    out = redact(echo)
    assert REDACTED in out, (name, out)
    core = ("form-COOKIE-4242", "Geheim", "GEHEIM", "COOKIE-4242".upper())
    assert not any(c.lower() in out.lower() for c in core), (name, out)
    for secret in (COOKIE_VALUE, ACCENTED):
        for k in range(3):  # no 8-character run of any base64 alignment of the secret survives
            middle = base64.b64encode(b"\0" * k + secret.encode()).decode()[3:-3]
            assert not any(middle[i : i + 8] in out for i in range(len(middle) - 8)), (name, out)


def test_redacting_leaves_ordinary_text_and_lone_entities_alone() -> None:
    Settings(_env_file=None, substack_cookie=f"substack.sid={COOKIE_VALUE}")  # type: ignore[call-arg]
    text = "Reading group: &#x73; &#58; s%3A COOKIE bake-off, substack newsletter, see https://x.org/a/b"
    assert redact(text) == text


@pytest.mark.parametrize(
    "echo",
    [
        "https://api.x.com/2/tweets?oauth_consumer_key=ck9&oauth_token=tok-VALUE-77&oauth_version=1.0",
        "form body: access_token=tok-VALUE-77&grant_type=refresh",
        'OAuth oauth_consumer_key="ck9", oauth_token="tok-VALUE-77", oauth_signature="sig"',
        '{"access_token": "tok-VALUE-77", "token_type": "bearer"}',
        "refresh_token=tok-VALUE-77; client_secret=tok-VALUE-77; oauth_token_secret=tok-VALUE-77",
        "X_API_KEY=tok-VALUE-77 and Access-Token: tok-VALUE-77",
    ],
)
def test_a_credential_named_after_a_prefix_is_redacted_even_when_not_configured(echo: str) -> None:
    """Issue 18: `access_token=VALUE` / `&oauth_token=VALUE&` were missed: the `token=` rule wanted a word
    boundary, which `_` is not. A value too short to register (MIN_LEN), or never configured, goes this way."""
    out = redact(echo)
    assert "tok-VALUE-77" not in out and "ck9" not in out and REDACTED in out, out


def test_paging_cursors_and_ordinary_words_next_to_token_stay() -> None:
    text = "next_token=7140dw9c7btw&pagination_token=b26v89c19zq; max_tokens=5; token_type=bearer; tokens: 3"
    assert redact(text) == text
