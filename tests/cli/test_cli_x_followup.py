"""`sqbot leads reply` on X, against the local X API v2 fake (spec-validated) through SQBOT_X_API_BASE: the
follow-up is a tweet `in_reply_to` the person's reply, sent once across crashes and unknown outcomes (found
again on our timeline by text + reply target), metered, and refused without a call when the X budget is spent
or X rate-limits us."""

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
    if (
        args[0] == "leads"
    ):  # act at the fake's time: X reconciles against our timeline since the intent's time
        args = ("--now", fake.clock.isoformat(), *args)
    return run_sqbot(tmp, fake, *args, **extra)


def answered(tmp: Path, fake: XFake) -> tuple[str, str]:
    """Our query is on X; Ana offers to talk; polled. Returns (our root id, Ana's reply id)."""
    (tmp / "queries").mkdir()
    (tmp / "queries" / "q.yaml").write_text(
        "id: tools\ntitle: Which tools do you use?\nplatforms: [x]\ntext: 'Which tools do you use?'\n",
        encoding="utf-8",
    )
    assert sqbot(tmp, fake, "post").returncode == 0
    (root,) = fake.by_author(fake.me)
    ana = fake.add_user("ana_lab", "Ana Lima", description="Studies tool use in labs", followers=120)
    reply = fake.add_tweet(ana, "@sqbot_lab Happy to chat about this, DM me any time!", reply_to=root.id)
    polled = sqbot(tmp, fake, "poll")
    assert polled.returncode == 0 and "1 new interaction(s)" in polled.stdout, polled.stdout + polled.stderr
    return root.id, reply


def ours_under(fake: XFake, parent: str) -> list[str]:
    return [t.text for t in fake.by_author(fake.me) if t.replied_to == parent]


@pytest.mark.parametrize("label", ["none", "intent-stored", "platform-answered"])
def test_leads_reply_is_one_tweet_in_reply_to_the_person_across_crashes(
    tmp_path: Path, fake: XFake, label: str
) -> None:
    _root, reply = answered(tmp_path, fake)
    if label != "none":
        crashed = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--draft", SQBOT_CRASH_AT=label)
        assert crashed.returncode == 137, crashed.stdout + crashed.stderr
    sent = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--draft")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    texts = ours_under(fake, reply)
    assert len(texts) == 1
    assert texts[0].startswith("Thank you, Ana! I'd love to take you up on that.")
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:
        status = con.execute("SELECT status FROM people WHERE name='Ana Lima'").fetchone()[0]
        fu = con.execute("SELECT post_id, reply_to, posted_at FROM followups").fetchone()
        spent = con.execute("SELECT COUNT(*) FROM api_calls WHERE query_id LIKE 'followup:%'").fetchone()[0]
    assert status == "contacted" and fu[1] == reply and fu[2]
    assert spent >= 1  # the follow-up's X calls are metered against the budget
    idle = sqbot(tmp_path, fake, "poll")
    assert "0 new interaction(s)" in idle.stdout, idle.stdout  # our own tweet is not a new reply


def test_an_unknown_outcome_is_reconciled_on_our_timeline_not_sent_twice(tmp_path: Path, fake: XFake) -> None:
    _root, reply = answered(tmp_path, fake)
    fake.fail("error_after")  # X creates the tweet, then answers 500
    first = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--text", "Would love to, what suits you?")
    assert len(ours_under(fake, reply)) == 1
    if first.returncode != 0:  # not proven yet: the next run reconciles
        again = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--draft")
        assert again.returncode == 0, again.stdout + again.stderr
    assert ours_under(fake, reply) == ["Would love to, what suits you?"]


def test_a_spent_x_budget_or_a_rate_limit_defers_the_reply_and_posts_nothing(
    tmp_path: Path, fake: XFake
) -> None:
    _root, reply = answered(tmp_path, fake)
    broke = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--draft", SQBOT_X_BUDGET_USD="0.0001")
    assert broke.returncode == 1 and "monthly X budget reached" in broke.stderr, broke.stderr
    assert len(broke.stderr.strip().splitlines()) == 1
    assert ours_under(fake, reply) == []
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:
        con.execute("UPDATE platform_state SET deferred_until=NULL WHERE platform='x'")
    fake.fail("rate_limit")
    limited = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--draft")
    assert limited.returncode == 1 and "(deferred)" in limited.stderr, limited.stderr
    assert ours_under(fake, reply) == []
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:
        deferred = con.execute("SELECT deferred_until FROM platform_state WHERE platform='x'").fetchone()[0]
        status = con.execute("SELECT status FROM people WHERE name='Ana Lima'").fetchone()[0]
    assert deferred and status == "new"


def test_a_platform_without_credentials_is_refused_and_leaves_nothing_pending(
    tmp_path: Path, fake: XFake
) -> None:
    answered(tmp_path, fake)
    r = sqbot(tmp_path, fake, "leads", "reply", "@ana_lab", "--draft", SQBOT_X_API_KEY="")
    assert r.returncode == 1, r.stdout + r.stderr
    assert (
        r.stderr.strip()
        == "sqbot: error: x is not configured: set its credentials, or answer elsewhere with --platform"
    )
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:
        assert con.execute("SELECT COUNT(*) FROM followups").fetchone()[0] == 0


def test_a_mention_inside_someone_else_s_conversation_never_gets_an_answer_there(
    tmp_path: Path, fake: XFake
) -> None:
    """Issue 18: `leads reply` answered inside a conversation someone else started. Ana mentions us under
    Bob's tweet (not ours); Cy, under Bob's too, points us to Ben. Ana gets a clear refusal; Ben (only with
    --confirm-mention) a post of our own; nothing of ours lands in Bob's conversation."""
    root, _reply = answered(tmp_path, fake)
    bob = fake.add_user("bob_talks", "Bob Talks")
    theirs = fake.add_tweet(bob, "Does anyone know good lab notebooks?")
    ana = fake.add_user("ana_two", "Ana Other")
    mention = fake.add_tweet(ana, "@sqbot_lab happy to chat about notebooks, I built one", reply_to=theirs)
    cy = fake.add_user("cy_notes", "Cy Notes")
    fake.add_user("ben_k", "Ben K")
    pointer = fake.add_tweet(cy, "@sqbot_lab you should talk to @ben_k about this", reply_to=theirs)
    polled = sqbot(tmp_path, fake, "poll")
    assert "2 new interaction(s)" in polled.stdout, polled.stdout + polled.stderr
    in_theirs = {theirs, mention, pointer}

    refused = sqbot(tmp_path, fake, "leads", "reply", "@ana_two", "--draft")
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "only inside someone else's conversation" in refused.stderr

    unconfirmed = sqbot(tmp_path, fake, "leads", "reply", "@ben_k", "--draft")
    assert unconfirmed.returncode == 1 and "--confirm-mention" in unconfirmed.stderr, unconfirmed.stderr
    sent = sqbot(tmp_path, fake, "leads", "reply", "@ben_k", "--draft", "--confirm-mention")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    ours = [t for t in fake.by_author(fake.me) if t.id != root]
    assert len(ours) == 1 and ours[0].replied_to is None  # a post of our own, not a reply in Bob's thread
    assert ours[0].text.startswith("Hi @ben_k, Cy Notes suggested")
    assert not [t for t in fake.by_author(fake.me) if t.replied_to in in_theirs]
    with sqlite3.connect(tmp_path / "data" / "sqbot.db") as con:
        assert con.execute("SELECT reply_to FROM followups").fetchall() == [(None,)]
