"""`sqbot login x` (OAuth 2.0 + PKCE) and X's single-use refresh tokens, against the local X API fake."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fakes.x_api import TOKEN_ENDPOINT, XFake

from bot.config import load_settings
from bot.errors import AuthError, ConfigError, TransientError
from bot.platforms.registry import build_platforms
from bot.platforms.x.adapter import XPlatform
from bot.platforms.x.login import authorize_url, challenge, new_pending
from bot.platforms.x.oauth import LOGIN_EXPIRED, OAUTH2_FILE, OAuth2Tokens
from bot.safety.secretfile import write_private

CLIENT = "sqbot-client-id"
LOOP = "http://127.0.0.1:{port}/callback"


@pytest.fixture
def fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f
        f.assert_valid()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(tmp: Path, fake: XFake, redirect: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(
        SQBOT_DATA_DIR=str(tmp / "data"),
        SQBOT_QUEUE=str(tmp / "queries"),
        SQBOT_SANDBOX="0",
        SQBOT_X_CLIENT_ID=CLIENT,
        SQBOT_X_REDIRECT_URI=redirect,
        SQBOT_X_API_BASE=fake.base_url,
        **extra,
    )
    return env


def sqbot(tmp: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp, env=env, capture_output=True, text=True, timeout=120
    )


def refresh_with(fake: XFake, refresh_token: str) -> httpx.Response:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": CLIENT}
    return httpx.post(fake.base_url + "/2/oauth2/token", data=form, timeout=5)


def expire(path: Path) -> dict[str, Any]:
    """Pretend the stored access token's two hours are up (the file's clock is the wall clock)."""
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    data["expires_at"] = "2000-01-01T00:00:00+00:00"
    path.write_text(json.dumps(data), "utf-8")
    return data


def login_in_process(fake: XFake, path: Path, now: datetime, **kw: Any) -> OAuth2Tokens:
    redirect = "http://127.0.0.1:8723/callback"
    fake.oauth2_client(CLIENT, redirect, secret=kw.get("client_secret"))
    pending = new_pending(CLIENT, redirect, now)
    answer = parse_qs(urlsplit(fake.authorize(pending.url)).query)
    tokens = OAuth2Tokens(path, client_id=CLIENT, api_base=fake.base_url, now=lambda: now, **kw)
    tokens.login(answer["code"][0], pending.verifier, redirect)
    return tokens


# ---------------------------------------------------------------------------------------------- the CLI
def test_login_via_loopback_then_posting_and_polling_use_and_rotate_the_user_token(
    tmp_path: Path, fake: XFake
) -> None:
    redirect = LOOP.format(port=free_port())
    fake.oauth2_client(CLIENT, redirect)
    env = env_for(tmp_path, fake, redirect)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "login", "x", "--timeout", "60"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = ""
        while not url.startswith("https://"):
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else "login exited early"
            url = line.strip()
        q = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
        assert url.startswith("https://x.com/i/oauth2/authorize?")
        assert q["response_type"] == "code" and q["client_id"] == CLIENT and q["redirect_uri"] == redirect
        assert q["scope"] == "tweet.read tweet.write users.read offline.access media.write"
        assert q["code_challenge_method"] == "S256" and len(q["state"]) >= 32
        while "Waiting" not in proc.stdout.readline():
            pass
        back = fake.authorize(url)
        forged = back.replace(f"state={q['state']}", "state=not-ours")
        assert httpx.get(forged, timeout=5).status_code == 400  # a redirect without our state is refused
        assert httpx.get(back, timeout=5).status_code == 200
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0, out + err
    stored = tmp_path / "data" / OAUTH2_FILE
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    pair = json.loads(stored.read_text("utf-8"))
    assert pair["access_token"] in fake.access_tokens and pair["refresh_token"] in fake.refresh_tokens
    assert pair["access_token"] not in out + err and pair["refresh_token"] not in out + err
    assert not (tmp_path / "data" / "x-oauth2-pending.json").exists()

    # posting with the OAuth 2.0 token alone (no OAuth 1.0a keys are configured)
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "q.yaml").write_text(
        "id: tools\nplatforms: [x]\nthread: ['Which tools do you use?']\n", encoding="utf-8"
    )
    posted = sqbot(tmp_path, env, "post")
    assert posted.returncode == 0, posted.stdout + posted.stderr
    ours = fake.by_author(fake.me)
    assert [t.text for t in ours] == ["Which tools do you use?"]

    # two hours later: the next run refreshes, stores the rotated pair, and polls with it
    old = expire(stored)
    fake.tick(2 * 3600 + 60)  # the old access token is now refused by the fake
    ana = fake.add_user("ana_lab", "Ana Lima")
    fake.add_tweet(ana, "@sqbot_lab a spreadsheet", reply_to=ours[0].id)
    polled = sqbot(tmp_path, env, "poll")
    assert "1 new interaction(s)" in polled.stdout, polled.stdout + polled.stderr
    rotated = json.loads(stored.read_text("utf-8"))
    assert rotated["refresh_token"] != old["refresh_token"] and rotated["access_token"] != old["access_token"]
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert fake.requests_to(TOKEN_ENDPOINT) == 2  # the login and one refresh
    reused = refresh_with(fake, old["refresh_token"])
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_request"


def test_login_with_a_pasted_redirect_checks_its_state(tmp_path: Path, fake: XFake) -> None:
    redirect = "https://sqbot.example/callback"  # not loopback: the URL is printed, the answer pasted
    fake.oauth2_client(CLIENT, redirect)
    env = env_for(tmp_path, fake, redirect)
    started = sqbot(tmp_path, env, "login", "x")
    assert started.returncode == 0, started.stderr
    url = next(w for w in started.stdout.split() if w.startswith("https://x.com/"))
    back = fake.authorize(url)
    state = parse_qs(urlsplit(back).query)["state"][0]
    forged = sqbot(tmp_path, env, "login", "x", "--code", back.replace(state, "x" * len(state)))
    assert forged.returncode == 1 and "state mismatch" in forged.stderr
    assert not (tmp_path / "data" / OAUTH2_FILE).exists()
    done = sqbot(tmp_path, env, "login", "x", "--code", back)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads((tmp_path / "data" / OAUTH2_FILE).read_text("utf-8"))["refresh_token"]


def test_a_dead_refresh_token_is_one_clear_error_and_is_never_sent_again(tmp_path: Path, fake: XFake) -> None:
    stored = tmp_path / "data" / OAUTH2_FILE
    login_in_process(fake, stored, fake.clock)
    env = env_for(tmp_path, fake, "http://127.0.0.1:8723/callback")
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "q.yaml").write_text(
        "id: tools\nplatforms: [x]\nthread: ['Which tools do you use?']\n", encoding="utf-8"
    )
    assert sqbot(tmp_path, env, "post").returncode == 0
    expire(stored)
    fake.revoke_oauth2()  # the user revoked sqbot in X's settings
    before = len(fake.calls)
    for _ in range(3):
        run = sqbot(tmp_path, env, "poll")
        assert "X login expired: run `sqbot login x`" in run.stdout + run.stderr, run.stdout + run.stderr
    assert [c.endpoint for c in fake.calls[before:]] == [TOKEN_ENDPOINT]  # one refused refresh, no retry loop
    assert "refresh_token" not in json.loads(stored.read_text("utf-8"))  # the dead token is forgotten


# ---------------------------------------------------------------------------------------------- the adapter
def test_a_rotated_pair_is_on_disk_before_it_is_used_so_a_crash_cannot_lose_it(
    tmp_path: Path, fake: XFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Crash(BaseException):
        pass

    stored = tmp_path / OAUTH2_FILE
    clock = [fake.clock]
    tokens = login_in_process(fake, stored, clock[0])
    old = json.loads(stored.read_text("utf-8"))
    clock[0] += timedelta(hours=2)
    fake.tick(2 * 3600)
    real_write = write_private

    def write_then_crash(path: Path, data: dict[str, Any]) -> None:
        real_write(path, data)
        raise Crash  # the process dies right after the rotated pair reached the disk

    monkeypatch.setattr("bot.platforms.x.oauth.write_private", write_then_crash)
    tokens.now = lambda: clock[0]
    x = XPlatform.from_oauth2(tokens, api_base=fake.base_url, now=lambda: clock[0])
    with pytest.raises(Crash):
        x.me()
    assert fake.requests_to("GET /2/users/me") == 0  # nothing used the new token before it was stored
    monkeypatch.setattr("bot.platforms.x.oauth.write_private", real_write)

    restarted = OAuth2Tokens(stored, client_id=CLIENT, api_base=fake.base_url, now=lambda: clock[0])
    again = XPlatform.from_oauth2(restarted, api_base=fake.base_url, now=lambda: clock[0])
    assert again.me() == fake.me
    assert restarted.token_requests == 0  # the stored pair was good: no second refresh
    assert refresh_with(fake, old["refresh_token"]).status_code == 400


def test_a_refresh_answer_lost_in_transit_ends_in_login_expired_not_a_loop(
    tmp_path: Path, fake: XFake
) -> None:
    stored = tmp_path / OAUTH2_FILE
    clock = [fake.clock]
    tokens = login_in_process(fake, stored, clock[0])
    clock[0] += timedelta(hours=3)
    tokens.now = lambda: clock[0]
    fake.fail("unavailable_after", TOKEN_ENDPOINT)  # X rotated the pair, its answer never arrived
    x = XPlatform.from_oauth2(tokens, api_base=fake.base_url, now=lambda: clock[0])
    with pytest.raises(TransientError):
        x.me()
    with pytest.raises(AuthError, match=LOGIN_EXPIRED.replace("`", ".")):
        x.me()
    with pytest.raises(AuthError, match="run `sqbot login x`"):
        XPlatform.from_oauth2(
            OAuth2Tokens(stored, client_id=CLIENT, api_base=fake.base_url, now=lambda: clock[0]),
            api_base=fake.base_url,
        ).me()
    assert fake.requests_to(TOKEN_ENDPOINT) == 3  # login, the lost refresh, the refused retry: then nothing


def test_a_confidential_client_authenticates_its_token_requests(tmp_path: Path, fake: XFake) -> None:
    with pytest.raises(AuthError, match="refused the login code"):
        fake.oauth2_client(CLIENT, "http://127.0.0.1:8723/callback", secret="s3cret")
        pending = new_pending(CLIENT, "http://127.0.0.1:8723/callback", fake.clock)
        code = parse_qs(urlsplit(fake.authorize(pending.url)).query)["code"][0]
        OAuth2Tokens(tmp_path / "a.json", client_id=CLIENT, api_base=fake.base_url).login(
            code, pending.verifier, pending.redirect_uri
        )
    tokens = login_in_process(fake, tmp_path / OAUTH2_FILE, fake.clock, client_secret="s3cret")
    assert XPlatform.from_oauth2(tokens, api_base=fake.base_url).me() == fake.me


def test_the_registry_builds_x_over_the_stored_login(
    tmp_path: Path, fake: XFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in [k for k in os.environ if k.startswith("SQBOT_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no .env
    login_in_process(fake, tmp_path / OAUTH2_FILE, fake.clock)
    base = {"data_dir": tmp_path, "sandbox": False, "x_api_base": fake.base_url}
    with pytest.raises(ConfigError, match="SQBOT_X_CLIENT_ID"):
        build_platforms(load_settings(**base), ["x"])
    x = build_platforms(load_settings(**base, x_client_id=CLIENT), ["x"])["x"]
    assert isinstance(x, XPlatform) and x.oauth2 is not None and x.me() == fake.me


def test_the_fake_accepts_a_user_token_only_with_the_scopes_the_spec_requires(fake: XFake) -> None:
    fake.oauth2_client(CLIENT, "http://127.0.0.1:8723/callback")
    pending = new_pending(CLIENT, "http://127.0.0.1:8723/callback", fake.clock)
    narrow = authorize_url(CLIENT, pending.redirect_uri, pending.state, challenge(pending.verifier))
    narrow = narrow.replace("tweet.write%20", "")
    code = parse_qs(urlsplit(fake.authorize(narrow)).query)["code"][0]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": pending.redirect_uri,
        "code_verifier": pending.verifier,
        "client_id": CLIENT,
    }
    answer = httpx.post(fake.base_url + "/2/oauth2/token", data=form, timeout=5).json()
    assert answer["token_type"] == "bearer" and answer["expires_in"] == 7200
    reused = httpx.post(fake.base_url + "/2/oauth2/token", data=form, timeout=5)
    assert reused.status_code == 400  # codes are single-use too
    auth = {"Authorization": f"Bearer {answer['access_token']}"}
    me = httpx.get(fake.base_url + "/2/users/me", headers=auth, timeout=5)
    tweet = httpx.post(fake.base_url + "/2/tweets", json={"text": "hi"}, headers=auth, timeout=5)
    assert me.status_code == 200 and tweet.status_code == 403 and "tweet.write" in tweet.json()["detail"]
