"""Who may see and do what: nothing without the token or its cookie, nothing for a foreign `Host`, no POST
without the anti-forgery token or from a foreign `Origin`, and no GET that changes anything. Each refusal is
checked against a dump of the whole database (and the sandbox network): nothing changed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.review.conftest import BASE, TOKEN, csrf_of, dump, make_client, pid_of


def test_without_the_token_or_its_cookie_no_page_shows_anything(demo: Path) -> None:
    c = make_client(demo, login=False)
    maya = pid_of(demo, "Maya Okafor")
    for path in ("/", f"/person/{maya}", f"/person/{maya}/forget", "/person/999"):
        r = c.get(path)
        assert r.status_code == 403, path
        assert "Maya" not in r.text and "Okafor" not in r.text and "Ivan" not in r.text
    wrong = c.get("/?token=not-the-token", follow_redirects=False)
    assert wrong.status_code == 403 and "set-cookie" not in wrong.headers
    forged = c.get("/", cookies={"sqbot_review": "abc.def"})
    assert forged.status_code == 403 and "Maya" not in forged.text


def test_the_token_url_sets_an_httponly_strict_cookie_and_redirects_to_a_clean_url(demo: Path) -> None:
    c = make_client(demo, login=False)
    maya = pid_of(demo, "Maya Okafor")
    r = c.get(f"/person/{maya}?token={TOKEN}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/person/{maya}"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and "Path=/" in cookie
    assert TOKEN not in cookie
    page = c.get(f"/person/{maya}")
    assert page.status_code == 200 and "Maya Okafor" in page.text


def test_a_cookie_made_under_another_token_is_refused(demo: Path) -> None:
    c = make_client(demo)
    cookie = c.cookies.get("sqbot_review")
    assert cookie
    from bot.review.guard import Guard, served_hosts

    other = Guard("another-token", served_hosts("127.0.0.1", 8765))
    assert other.session_id(cookie) is None
    assert Guard(TOKEN, served_hosts("127.0.0.1", 8765)).session_id(cookie) is not None


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8765", "127.0.0.1:9999", "localhost.evil:8765"]
)
def test_a_foreign_host_is_refused_even_with_a_session_and_nothing_changes(
    client: TestClient, demo: Path, host: str
) -> None:
    maya = pid_of(demo, "Maya Okafor")
    page = client.get(f"/person/{maya}")
    token = csrf_of(page.text)
    before = dump(demo)
    r = client.get("/", headers={"host": host})
    assert r.status_code == 421 and "Maya" not in r.text
    r = client.post(
        f"/person/{maya}/note",
        data={"csrf": token, "text": "from a rebinding page"},
        headers={"host": host, "origin": f"http://{host}"},
    )
    assert r.status_code == 421
    assert client.get(f"/?token={TOKEN}", headers={"host": host}, follow_redirects=False).status_code == 421
    assert dump(demo) == before


def test_a_post_without_the_anti_forgery_token_changes_nothing(client: TestClient, demo: Path) -> None:
    maya = pid_of(demo, "Maya Okafor")
    before = dump(demo)
    for data in (
        {"text": "no token"},
        {"text": "bad token", "csrf": "0" * 64},
        {"text": "empty", "csrf": ""},
    ):
        r = client.post(f"/person/{maya}/note", data=data, headers={"origin": BASE})
        assert r.status_code == 403, data
    r = client.post(f"/person/{maya}/status", data={"status": "done"}, headers={"origin": BASE})
    assert r.status_code == 403
    assert dump(demo) == before


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"origin": "http://127.0.0.1:9999"},
        {"referer": "http://evil.example/person/1"},
        {},  # neither Origin nor Referer
    ],
)
def test_a_post_from_a_foreign_origin_changes_nothing(
    client: TestClient, demo: Path, headers: dict[str, str]
) -> None:
    maya = pid_of(demo, "Maya Okafor")
    token = csrf_of(client.get(f"/person/{maya}").text)
    before = dump(demo)
    r = client.post(f"/person/{maya}/note", data={"csrf": token, "text": "forged"}, headers=headers)
    assert r.status_code == 403
    assert dump(demo) == before


def test_a_post_with_the_token_from_the_apps_own_page_is_done(client: TestClient, demo: Path) -> None:
    maya = pid_of(demo, "Maya Okafor")
    token = csrf_of(client.get(f"/person/{maya}").text)
    r = client.post(
        f"/person/{maya}/note",
        data={"csrf": token, "text": "called her"},
        headers={"referer": f"{BASE}/person/{maya}"},
    )
    assert r.status_code == 200 and "Note added." in r.text and "called her" in r.text


def test_every_get_leaves_the_database_unchanged(client: TestClient, demo: Path) -> None:
    before = dump(demo)
    index = client.get("/")
    assert index.status_code == 200
    pids = sorted({int(x) for x in re.findall(r'href="/person/(\d+)"', index.text)})
    assert len(pids) >= 3
    from tests.review.conftest import db

    with db(demo) as con:
        everyone = [int(r["id"]) for r in con.execute("SELECT id FROM people")]
    for pid in everyone:
        assert client.get(f"/person/{pid}").status_code == 200
        assert client.get(f"/person/{pid}/forget").status_code == 200
        for action in ("send", "status", "note", "merge", "reject", "forget"):  # a GET to a form target
            assert client.get(f"/person/{pid}/{action}").status_code in (404, 405) or action == "forget"
    client.get("/person/99999")
    client.get("/review.css")
    client.head("/")
    assert dump(demo) == before


def test_every_answer_carries_the_security_headers(client: TestClient, demo: Path) -> None:
    anon = make_client(demo, login=False)
    for r in (
        client.get("/"),
        anon.get("/"),
        client.get("/", headers={"host": "evil.example"}),
        client.get("/review.css"),
    ):
        h = r.headers
        assert (
            "script-src" not in h["content-security-policy"]
            and "default-src 'none'" in h["content-security-policy"]
        )
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "same-origin" and h["cache-control"] == "no-store"
    assert "<script" not in client.get("/").text.lower()
