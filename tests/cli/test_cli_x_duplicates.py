"""Posting never wedges (issue 18): the same words twice within X's duplicate window end the second row in
`needs_review` naming who posted them, later posts still go out, and nothing unexpected prints a traceback.
`sqbot` against the spec-validated X fake, at the fake's time."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.x_api import XFake, run_sqbot


@pytest.fixture
def fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f
        f.assert_valid()


def sqbot(tmp: Path, fake: XFake, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return run_sqbot(tmp, fake, "--now", fake.clock.isoformat(), *args, **extra)


def query(tmp: Path, qid: str, text: str) -> None:
    (tmp / "queries").mkdir(exist_ok=True)
    (tmp / "queries" / f"{qid}.yaml").write_text(f"id: {qid}\nplatforms: [x]\ntext: '{text}'\n")


def outbox(tmp: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(tmp / "data" / "sqbot.db") as con:
        return {q: (s, e) for q, s, e in con.execute("SELECT query_id, status, last_error FROM outbox")}


def test_the_same_words_a_minute_apart_end_in_review_naming_the_first_and_never_wedge_later_posts(
    tmp_path: Path, fake: XFake
) -> None:
    query(tmp_path, "a", "Which tools do you use?")
    assert sqbot(tmp_path, fake, "post").returncode == 0
    fake.tick(60)
    query(tmp_path, "b", "Which tools do you use?")
    second = sqbot(tmp_path, fake, "post")
    assert second.returncode == 1 and "Traceback" not in second.stderr, second.stderr
    assert "needs_review x        b" in second.stdout and "same words as query 'a'" in second.stdout
    status, why = outbox(tmp_path)["b"]
    assert status == "needs_review" and why is not None and "query 'a'" in why
    assert len(fake.by_author(fake.me)) == 1

    query(tmp_path, "c", "And which do you avoid?")  # every later post still goes out
    third = sqbot(tmp_path, fake, "post")
    assert third.returncode == 0 and "posted       x        c" in third.stdout, third.stdout + third.stderr
    assert outbox(tmp_path)["b"][0] == "needs_review"  # never retried by itself
    assert sorted(t.text for t in fake.by_author(fake.me)) == [
        "And which do you avoid?",
        "Which tools do you use?",
    ]
    shown = sqbot(tmp_path, fake, "status")
    assert "attention: x: post needs review: query b" in shown.stdout, shown.stdout + shown.stderr


def test_a_follow_up_sent_again_with_the_same_words_ends_in_review_naming_the_first(
    tmp_path: Path, fake: XFake
) -> None:
    query(tmp_path, "tools", "Which tools do you use?")
    assert sqbot(tmp_path, fake, "post").returncode == 0
    (root,) = fake.by_author(fake.me)
    ana = fake.add_user("ana_lab", "Ana Lima", followers=120)
    fake.add_tweet(ana, "@sqbot_lab Happy to chat about this, DM me any time!", reply_to=root.id)
    assert "1 new interaction(s)" in sqbot(tmp_path, fake, "poll").stdout
    first = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--draft")
    assert first.returncode == 0, first.stdout + first.stderr
    fake.tick(60)
    again = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--again", "--draft")
    assert again.returncode == 1 and "Traceback" not in again.stderr, again.stderr
    assert "needs_review" in again.stderr and "follow-up followup:" in again.stderr, again.stderr
    assert len(fake.by_author(fake.me)) == 2
    query(tmp_path, "next", "What would you change?")
    later = sqbot(tmp_path, fake, "post")
    assert later.returncode == 0 and "posted       x        next" in later.stdout, later.stdout + later.stderr


def test_an_unexpected_error_prints_one_redacted_line_and_logs_the_redacted_trace(
    tmp_path: Path, fake: XFake
) -> None:
    secret = "s3cr3t-access-secret-4711"
    query(tmp_path, "a", "Which tools do you use?")
    assert sqbot(tmp_path, fake, "post", SQBOT_X_ACCESS_SECRET=secret).returncode == 0
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:  # a value no sqbot wrote: a bug's stand-in
        con.execute("UPDATE outbox SET due_at=? WHERE query_id='a'", (f"when {secret}",))
    r = sqbot(tmp_path, fake, "post", SQBOT_X_ACCESS_SECRET=secret)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sqbot: error: unexpected ValueError"), lines
    assert secret not in r.stderr and "[REDACTED]" in r.stderr
    log = (tmp_path / "data" / "sqbot.log").read_text()
    assert "Traceback" in log and "ValueError" in log and secret not in log


def answered(tmp: Path, fake: XFake) -> str:
    """Our query is on X, Ana offers to talk, polled: returns Ana's reply id."""
    query(tmp, "tools", "Which tools do you use?")
    assert sqbot(tmp, fake, "post").returncode == 0
    (root,) = fake.by_author(fake.me)
    ana = fake.add_user("ana_lab", "Ana Lima", followers=120)
    reply = fake.add_tweet(ana, "@sqbot_lab Happy to chat about this, DM me any time!", reply_to=root.id)
    assert "1 new interaction(s)" in sqbot(tmp, fake, "poll").stdout
    return reply


def followups(tmp: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(tmp / "data" / "sqbot.db") as con:
        return list(con.execute("SELECT id, text, post_id FROM followups ORDER BY id"))


def test_two_racing_leads_replies_make_one_follow_up(tmp_path: Path, fake: XFake) -> None:
    reply = answered(tmp_path, fake)
    env_now = ("--now", fake.clock.isoformat())
    args = [*env_now, "leads", "reply", "@ana_lab", "--text", "Would love to, what suits you?"]
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("SQBOT_")}
    env.update(
        SQBOT_DATA_DIR=str(tmp_path / "data"), SQBOT_QUEUE=str(tmp_path / "queries"), SQBOT_SANDBOX="0",
        SQBOT_X_API_KEY="ck", SQBOT_X_API_SECRET="cs", SQBOT_X_ACCESS_TOKEN="at", SQBOT_X_ACCESS_SECRET="as",
        SQBOT_X_API_BASE=fake.base_url,
    )  # fmt: skip
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    for (_out, err), p in zip(results, procs, strict=True):
        assert "Traceback" not in err and (p.returncode == 0 or len(err.strip().splitlines()) == 1), err
    assert [t.text for t in fake.by_author(fake.me) if t.replied_to == reply] == [
        "Would love to, what suits you?"
    ]
    assert len(followups(tmp_path)) == 1


def test_again_with_other_words_replaces_an_unsent_follow_up_and_refuses_one_that_may_be_out(
    tmp_path: Path, fake: XFake
) -> None:
    reply = answered(tmp_path, fake)
    fake.fail("rate_limit")  # refused before anything is sent: the row waits, provably unsent
    first = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--text", "Old words?")
    assert first.returncode == 1 and "(deferred)" in first.stderr, first.stderr
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:
        con.execute("UPDATE platform_state SET deferred_until=NULL WHERE platform='x'")
    second = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--text", "New words!")
    assert second.returncode == 0 and "finishing" not in second.stdout, second.stdout + second.stderr
    assert [t.text for t in fake.by_author(fake.me) if t.replied_to == reply] == ["New words!"]
    assert [(t, p is not None) for _, t, p in followups(tmp_path)] == [
        ("Old words?", False),
        ("New words!", True),
    ]

    fake.tick(60)
    fake.fail("error_after")  # X posts it, then answers 500: the outcome is unknown until rechecked
    fake.fail("unavailable_before", "GET /2/users/:id/tweets", times=5)  # and the recheck cannot run yet
    sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--again", "--text", "Third words?")
    other = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--again", "--text", "Fourth words?")
    assert other.returncode == 1 and "may be on x already, so it is not replaced" in other.stderr, (
        other.stderr
    )
    assert "Fourth words?" not in [t.text for t in fake.by_author(fake.me)]


@pytest.mark.parametrize(
    "token",
    [
        "1469912345678901234-sqbotAccessTokenVALUE0123456789ab",  # a real X access token's shape
        "at",  # shorter than any value the redactor registers: only its `oauth_token=` form gives it away
    ],
)
def test_a_403_echoing_the_access_token_leaks_it_into_no_cli_line_database_or_log(
    tmp_path: Path, fake: XFake, token: str
) -> None:
    """Issue 18: tweepy's raw 403 message (duplicate content) echoing the configured access token, as
    `&oauth_token=VALUE&` in a URL and `access_token=VALUE` in a form body."""
    fake.echo_credentials = True
    query(tmp_path, "a", "Which tools do you use?")
    assert sqbot(tmp_path, fake, "post", SQBOT_X_ACCESS_TOKEN=token).returncode == 0
    fake.tick(60)
    query(tmp_path, "b", "Which tools do you use?")
    second = sqbot(tmp_path, fake, "post", SQBOT_X_ACCESS_TOKEN=token)
    assert second.returncode == 1 and "needs_review" in second.stdout, second.stdout + second.stderr
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:
        stored = "\n".join(str(r) for r in con.execute("SELECT last_error FROM outbox"))
        dump = "\n".join(con.iterdump())
    log = "".join(p.read_text("utf-8") for p in (tmp_path / "data").glob("sqbot.log*"))
    assert "duplicate content" in second.stdout + stored + log  # the echo did reach sqbot
    for where, text in (
        ("cli", second.stdout + second.stderr),
        ("last_error", stored),
        ("db", dump),
        ("log", log),
    ):
        for leak in (f"oauth_token={token}", f"access_token={token}", "oauth_consumer_key=ck"):
            assert leak not in text, (where, text)
        if len(token) > 2:
            assert token not in text and token[-12:] not in text, (where, text)
