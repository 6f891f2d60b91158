"""The actions of the person page, each through the library function the CLI uses, and the follow-up sent
exactly once: a double click (the same form twice, one after the other and at the same time), two tabs, and a
`sqbot review` killed between the click and the send, finished by the next `sqbot post` (sandbox network)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from tests.review.conftest import (
    BASE,
    LATER,
    csrf_of,
    db,
    dump,
    followup_posts,
    make_client,
    nonce_of,
    pid_of,
    serve,
    sqbot,
)


def _form(client: TestClient, pid: int) -> tuple[str, str, str]:
    html = client.get(f"/person/{pid}").text
    m = re.search(r'<textarea id="text" name="text"[^>]*>(.*?)</textarea>', html, re.S)
    assert m, html
    import html as h

    return csrf_of(html), nonce_of(html), h.unescape(m.group(1))


def _send(client: TestClient, pid: int, csrf: str, nonce: str, text: str) -> httpx.Response:
    return client.post(
        f"/person/{pid}/send", data={"csrf": csrf, "nonce": nonce, "text": text}, headers={"origin": BASE}
    )


def _status(demo: Path, pid: int) -> str:
    with db(demo) as con:
        return str(con.execute("SELECT status FROM people WHERE id=?", (pid,)).fetchone()["status"])


def test_send_posts_the_edited_draft_once_in_their_thread_and_marks_them_contacted(
    client: TestClient, demo: Path
) -> None:
    ivan = pid_of(demo, "Ivan Petrov")
    csrf, nonce, draft = _form(client, ivan)
    assert "Maya Okafor said you're the person to ask" in draft
    r = _send(client, ivan, csrf, nonce, "Thanks Ivan! Could we talk on Thursday?\r\nBest, me")
    assert r.status_code == 200 and "Follow-up posted" in r.text, r.text[-2000:]
    (post,) = followup_posts(demo).values()
    assert post["text"] == "Thanks Ivan! Could we talk on Thursday?\nBest, me"
    with db(demo) as con:
        row = con.execute("SELECT * FROM followups WHERE person_id=?", (ivan,)).fetchone()
        out = con.execute("SELECT status FROM outbox WHERE query_id=?", (row["id"],)).fetchone()["status"]
    assert row["id"] == f"followup:{ivan}:r-{nonce}" and row["posted_at"] and out == "posted"
    assert post["parent"] == row["reply_to"]
    assert _status(demo, ivan) == "contacted"
    assert "Sent on Bluesky" in r.text and "Send on" not in r.text.split("Replies")[0].split("Sent on")[0]


def test_a_double_click_posts_once(client: TestClient, demo: Path) -> None:
    ivan = pid_of(demo, "Ivan Petrov")
    csrf, nonce, draft = _form(client, ivan)
    first = _send(client, ivan, csrf, nonce, draft)
    second = _send(client, ivan, csrf, nonce, draft)  # the same form again (the second click)
    assert first.status_code == second.status_code == 200
    assert "Follow-up posted" in second.text
    assert len(followup_posts(demo)) == 1


def test_a_double_click_at_the_same_time_posts_once(client: TestClient, demo: Path) -> None:
    lena = pid_of(demo, "Lena Vogel")
    csrf, nonce, draft = _form(client, lena)
    answers: list[int] = []

    def click() -> None:
        answers.append(_send(client, lena, csrf, nonce, draft).status_code)

    clicks = [threading.Thread(target=click) for _ in range(3)]
    for t in clicks:
        t.start()
    for t in clicks:
        t.join()
    assert answers == [200, 200, 200]
    assert len(followup_posts(demo)) == 1
    with db(demo) as con:
        assert con.execute("SELECT COUNT(*) FROM followups WHERE person_id=?", (lena,)).fetchone()[0] == 1


def test_two_tabs_post_once_and_the_second_is_told_they_were_contacted(
    client: TestClient, demo: Path
) -> None:
    ivan = pid_of(demo, "Ivan Petrov")
    tab1 = _form(client, ivan)
    tab2 = _form(client, ivan)
    assert tab1[1] != tab2[1]  # each page its own nonce
    assert "Follow-up posted" in _send(client, ivan, *tab1).text
    late = _send(client, ivan, *tab2)
    assert late.status_code == 409 and "already contacted" in late.text
    assert len(followup_posts(demo)) == 1


def test_killed_between_the_click_and_the_send_the_next_post_sends_it_once(
    served_demo: tuple[Path, dict[str, str]],
) -> None:
    demo, env = served_demo
    ivan = pid_of(demo, "Ivan Petrov")
    app = serve(demo, {**env, "SQBOT_CRASH_AT": "followup-written"}, "--now", LATER.isoformat())
    try:
        with httpx.Client(base_url=app.base, follow_redirects=True, timeout=30) as web:
            page = web.get(app.url)
            assert page.status_code == 200 and "People to contact" in page.text
            html = web.get(f"/person/{ivan}").text
            try:
                web.post(
                    f"/person/{ivan}/send",
                    data={
                        "csrf": csrf_of(html),
                        "nonce": nonce_of(html),
                        "text": "Hello Ivan, shall we talk?",
                    },
                    headers={"origin": app.base},
                )
            except httpx.TransportError:
                pass  # the server died mid-request (kill -9 at the crash point)
        assert app.proc.wait(timeout=30) == 137
    finally:
        if app.proc.poll() is None:
            app.proc.kill()
    assert followup_posts(demo) == {}
    with db(demo) as con:
        assert (
            con.execute(
                "SELECT COUNT(*) FROM followups WHERE person_id=? AND posted_at IS NULL", (ivan,)
            ).fetchone()[0]
            == 1
        )
    for _ in range(2):  # the next post finishes it; the one after has nothing left to do
        r = sqbot(demo, "--now", LATER.isoformat(), "post")
        assert r.returncode in (0, 1), r.stdout + r.stderr
    (post,) = followup_posts(demo).values()
    assert post["text"] == "Hello Ivan, shall we talk?"
    assert _status(demo, ivan) == "contacted"
    again = sqbot(demo, "--now", LATER.isoformat(), "leads", "reply", str(ivan), "--draft")
    assert again.returncode == 1 and "already contacted" in again.stderr
    assert len(followup_posts(demo)) == 1


def test_killed_after_the_intent_was_stored_the_next_post_reconciles_and_sends_once(
    served_demo: tuple[Path, dict[str, str]],
) -> None:
    demo, env = served_demo
    lena = pid_of(demo, "Lena Vogel")
    app = serve(demo, {**env, "SQBOT_CRASH_AT": "platform-answered"}, "--now", LATER.isoformat())
    try:
        with httpx.Client(base_url=app.base, follow_redirects=True, timeout=30) as web:
            web.get(app.url)
            html = web.get(f"/person/{lena}").text
            try:
                web.post(
                    f"/person/{lena}/send",
                    data={"csrf": csrf_of(html), "nonce": nonce_of(html), "text": "Yes please, send it!"},
                    headers={"origin": app.base},
                )
            except httpx.TransportError:
                pass
        assert app.proc.wait(timeout=30) == 137
    finally:
        if app.proc.poll() is None:
            app.proc.kill()
    assert len(followup_posts(demo)) == 1  # the platform has it; the store does not know yet
    for _ in range(2):
        sqbot(demo, "--now", LATER.isoformat(), "post")
    assert len(followup_posts(demo)) == 1
    assert _status(demo, lena) == "contacted"


def test_status_remind_note_and_do_not_contact_go_through_the_leads_functions(
    client: TestClient, demo: Path
) -> None:
    maya = pid_of(demo, "Maya Okafor")
    csrf = csrf_of(client.get(f"/person/{maya}").text)

    def post(path: str, **data: str) -> httpx.Response:
        return client.post(f"/person/{maya}/{path}", data={"csrf": csrf, **data}, headers={"origin": BASE})

    assert "Status changed." in post("status", status="talking").text
    assert _status(demo, maya) == "talking"
    assert "Follow-up date saved." in post("remind", when="2026-12-09").text
    assert "Note added." in post("note", text="Met at the <b>conference</b>").text
    with db(demo) as con:
        p = con.execute("SELECT * FROM people WHERE id=?", (maya,)).fetchone()
    assert p["next_follow_up"].startswith("2026-12-0") and "Met at the <b>conference</b>" in p["notes"]
    page = post("status", status="do-not-contact").text
    assert _status(demo, maya) == "do-not-contact" and "sqbot never writes to them" in page
    refused = post("status", status="new")
    assert refused.status_code == 409 and _status(demo, maya) == "do-not-contact"
    assert "Status changed." in post("status", status="new", force="1").text


def test_merge_suggestions_can_be_accepted_or_rejected_for_good(client: TestClient, demo: Path) -> None:
    with db(demo) as con:
        a, b, c = (int(r["id"]) for r in con.execute("SELECT id FROM people ORDER BY id LIMIT 3"))
        con.execute("UPDATE identities SET name='Sam Same' WHERE person_id IN (?,?,?)", (a, b, c))
        con.execute("UPDATE identities SET platform='x' WHERE person_id=?", (b,))
        con.execute("UPDATE identities SET platform='substack' WHERE person_id=?", (c,))
    page = client.get(f"/person/{a}").text
    assert f"Merge #{b} into #{a}" in page and f"Merge #{c} into #{a}" in page
    csrf = csrf_of(page)
    r = client.post(f"/person/{a}/reject", data={"csrf": csrf, "other": str(b)}, headers={"origin": BASE})
    assert "will not be suggested again" in r.text and f"Merge #{b} into #{a}" not in r.text
    cli = sqbot(demo, "leads", "suggest-merges")
    assert f"#{a} " in cli.stdout and f"sqbot leads merge {a} {b}\n" not in cli.stdout
    r = client.post(f"/person/{a}/merge", data={"csrf": csrf, "other": str(c)}, headers={"origin": BASE})
    assert "Merged." in r.text and "Undo merge" in r.text
    assert client.get(f"/person/{c}", follow_redirects=False).headers["location"] == f"/person/{a}"


def test_forget_asks_first_and_then_deletes_everything(client: TestClient, demo: Path) -> None:
    maya = pid_of(demo, "Maya Okafor")
    ask = client.get(f"/person/{maya}/forget")
    assert ask.status_code == 200 and "cannot be undone" in ask.text
    before = dump(demo)
    csrf = csrf_of(ask.text)
    r = client.post(f"/person/{maya}/forget", data={"csrf": csrf}, headers={"origin": BASE})
    assert r.status_code == 409 and dump(demo) == before  # not confirmed: nothing deleted
    r = client.post(f"/person/{maya}/forget", data={"csrf": csrf, "confirm": "yes"}, headers={"origin": BASE})
    assert r.status_code == 409 and dump(demo) == before  # several accounts: each must be confirmed too
    assert "all 3 accounts" in ask.text or "all 2 accounts" in ask.text
    r = client.post(
        f"/person/{maya}/forget",
        data={"csrf": csrf, "confirm": "yes", "all_accounts": "yes"},
        headers={"origin": BASE},
    )
    assert r.status_code == 200 and "Forgotten" in r.text and "Maya Okafor" not in r.text
    with db(demo) as con:
        assert con.execute("SELECT COUNT(*) FROM people WHERE name='Maya Okafor'").fetchone()[0] == 0
    assert "Maya" not in make_client(demo).get("/").text


def test_the_person_page_shows_labels_referrals_both_ways_and_merges(client: TestClient, demo: Path) -> None:
    maya, ivan = pid_of(demo, "Maya Okafor"), pid_of(demo, "Ivan Petrov")
    page = client.get(f"/person/{maya}").text
    assert 'class="label refers"' in page and "refers @" in page and f'href="/person/{ivan}"' in page
    assert 'class="label intent"' in page
    ivan_page = client.get(f"/person/{ivan}").text
    assert "Referred by:" in ivan_page and f'href="/person/{maya}"' in ivan_page


def test_the_people_page_is_the_digests_list_in_the_same_order(client: TestClient, demo: Path) -> None:
    from bot.digest.build import build
    from bot.digest.collect import collect, window
    from bot.store.db import Store

    store = Store.open(demo / "demo-data" / "sqbot.db")
    try:
        since, until = window(store, LATER)
        from datetime import UTC

        digest = build(collect(store, since, until), now=LATER, tz=UTC)
    finally:
        store.close()
    page = client.get("/").text
    shown = [int(x) for x in re.findall(r'<h2><a href="/person/(\d+)">', page)]
    assert shown[: len(digest.leads)] == [p.person_id for p in digest.leads]
    for p in digest.leads:
        assert p.why in page.replace("&amp;", "&")


def test_a_stranger_referred_by_someone_else_is_tagged_only_when_the_owner_ticks_it(
    client: TestClient, demo: Path
) -> None:
    maya = pid_of(demo, "Maya Okafor")
    with db(demo) as con:
        ref = con.execute(
            "SELECT platform_id FROM interactions WHERE person_id=? AND platform='bluesky' AND intent='referral'"
            " ORDER BY platform_id LIMIT 1",
            (maya,),
        ).fetchone()["platform_id"]
        at = "2026-12-02T12:00:00Z"
        nora = int(
            con.execute(
                "INSERT INTO people (name, status, first_seen, updated_at) VALUES ('Nora Quist', 'referred', ?, ?)",
                (at, at),
            ).lastrowid
            or 0
        )
        con.execute(
            """INSERT INTO identities (platform, user_id, handle, person_id, profile_fetched_at, first_seen,
                   updated_at) VALUES ('bluesky', 'handle:nora.sandbox.test', 'nora.sandbox.test', ?, ?, ?, ?)""",
            (nora, at, at, at),
        )
        con.execute(
            """INSERT INTO referrals (platform, interaction_id, target, from_person_id, handle, target_platform,
                   kind, to_person_id, created_at)
               VALUES ('bluesky', ?, 'bluesky:nora.sandbox.test', ?, 'nora.sandbox.test', 'bluesky', 'person', ?, ?)""",
            (ref, maya, nora, at),
        )
    page = client.get(f"/person/{nora}").text
    assert 'name="confirm_mention"' in page and "Maya Okafor" in page
    csrf, nonce, draft = _form(client, nora)
    assert "Maya Okafor suggested you're the person to ask" in draft
    before = dump(demo)
    refused = _send(client, nora, csrf, nonce, "Could we talk this week?")
    assert refused.status_code == 409 and "--confirm-mention" in refused.text
    assert followup_posts(demo) == {} and dump(demo) == before  # nothing written, nothing sent
    sent = client.post(
        f"/person/{nora}/send",
        data={"csrf": csrf, "nonce": nonce, "text": "Could we talk this week?", "confirm_mention": "yes"},
        headers={"origin": BASE},
    )
    assert sent.status_code == 200 and "Follow-up posted" in sent.text
    (post,) = followup_posts(demo).values()
    assert post["text"] == "@nora.sandbox.test Could we talk this week?"


def test_the_people_page_pages_the_same_list_with_next_links(
    client: TestClient, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.review import views

    def ids(text: str) -> list[int]:
        return [int(x) for x in re.findall(r'<h2><a href="/person/(\d+)">', text)]

    monkeypatch.setattr(views, "PEOPLE_SHOWN", 1000)
    everyone = ids(client.get("/").text)
    assert len(everyone) >= 3, "the demo has leads enough to page"
    monkeypatch.setattr(views, "PEOPLE_SHOWN", 2)
    walked: list[int] = []
    url: str | None = "/"
    while url is not None:
        text = client.get(url).text
        walked += ids(text)
        nxt = re.search(r'<a href="(/\?page=\d+)">next</a> \(\+(\d+) more\)', text)
        if nxt:
            assert int(nxt.group(2)) == len(everyone) - len(walked)
        url = nxt.group(1) if nxt else None
    assert walked == everyone
    assert "previous" in client.get("/?page=1").text
    assert ids(client.get("/?page=x%3Cb%3E").text) == everyone[:2]  # anything but a number: the first page
