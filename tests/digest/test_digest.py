"""The digest: what it says (build), how it looks and stays safe (render), and its window bookkeeping."""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.digest import collect as digestdb
from bot.digest.build import build
from bot.digest.model import Author, Caps, Counts, DigestInput, QueryRow, Rendered, ReplyRow
from bot.digest.render import render, to_message
from bot.digest.run import message_id, run_digest
from bot.digest.safe import permalink, profile_link, safe_url
from bot.store.db import Store
from tests.digest_seed import T0, Analysis, Ref, add_query, ingest, reply

ZURICH = ZoneInfo("Europe/Zurich")
HOSTILE_TEXT = (
    '<script>alert("x")</script> <img src=x onerror=alert(1)> call me: https://evil.example/login '
    "or www.evil.example or mail boss@evil.example, also evil.com"
)
HOSTILE_NAME = "<img src=x onerror=alert(2)>Mallory"
HOSTILE_BIO = '<a href="https://evil.com">free money</a> javascript:alert(3)'
OUTPUT = Path(__file__).resolve().parents[2] / "out" / "test-output"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [k for k, _v in attrs]
        self.hrefs += [v or "" for k, v in attrs if k in ("href", "src")]


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


@pytest.fixture(autouse=True)
def _no_real_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("SQBOT_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "t.db")
    add_query(s)
    return s


def _digest(store: Store, now: datetime, caps: Caps | None = None) -> tuple[DigestInput, Rendered]:
    since, until = digestdb.window(store, now)
    data = digestdb.collect(store, since, until)
    return data, render(build(data, now=now, tz=ZURICH, caps=caps))


def _section(text: str, title: str) -> str:
    """The part of the plain text under `== title ==`, up to the next section."""
    part = text.split(f"== {title} ==", 1)[1]
    return re.split(r"^== ", part, maxsplit=1, flags=re.M)[0]


def _settings(tmp_path: Path, **kw: object) -> Settings:
    base: dict[str, object] = {"data_dir": tmp_path / "data", "timezone": "Europe/Zurich", "smtp_host": None}
    base.update(kw)
    return Settings(_env_file=None, **base)  # type: ignore[arg-type,call-arg]


def _seed_week(store: Store) -> None:
    """7 replies from 6 people (one replies twice), 2 referrals, 1 offer to talk."""
    items = [reply(n) for n in range(1, 5)] + [reply(5, platform="x"), reply(6, platform="x")]
    items.append(reply(7, user="did:plc:user1", handle="user1.bsky.social"))
    analyses = {
        items[1].platform_id: Analysis(intent="referral", referrals=(Ref(handle="carol.bsky.social"),)),
        items[4].platform_id: Analysis(intent="referral", referrals=(Ref(name="Dr. Jane Roe"),)),
        items[2].platform_id: Analysis(intent="offer", offers_contact=True, lead_priority="high"),
    }
    ingest(store, items, T0, analyses)


# ---------------------------------------------------------------------------------------------- content
def test_subject_and_first_line_carry_counts_and_local_since(store: Store) -> None:
    _seed_week(store)
    data, r = _digest(store, T0 + timedelta(hours=5))
    assert (len(data.replies), len(data.new_people), len(data.referrals)) == (7, 6, 2)
    line = "7 people to contact · 7 new replies · 6 new people · 2 referrals · since Mon 08:00"
    assert r.subject == f"sqbot: {line}"
    assert r.text.splitlines()[0] == line
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", r.html)
    assert h1 is not None and h1.group(1) == line


def test_singular_counts_read_naturally(store: Store) -> None:
    ingest(store, [reply(1)], T0, {reply(1).platform_id: Analysis(referrals=(Ref(handle="bob"),))})
    _data, r = _digest(store, T0 + timedelta(hours=1))
    # the one who answered and the one they named
    assert (
        r.text.splitlines()[0]
        == "2 people to contact · 1 new reply · 1 new person · 1 referral · since Mon 08:00"
    )


def test_one_person_to_contact_reads_naturally(store: Store) -> None:
    ingest(store, [reply(1)], T0)
    _data, r = _digest(store, T0 + timedelta(hours=1))
    assert (
        r.text.splitlines()[0]
        == "1 person to contact · 1 new reply · 1 new person · 0 referrals · since Mon 08:00"
    )


def test_replies_that_refer_or_offer_come_first_then_newest_first(store: Store) -> None:
    _seed_week(store)
    _data, r = _digest(store, T0 + timedelta(hours=5))
    order = re.findall(r"Reply number (\d)", _section(r.text, "Replies by query"))
    # flagged (2 = referral, 3 = offer, 5 = referral) newest first, then the rest newest first
    assert order == ["5", "3", "2", "7", "6", "4", "1"]
    assert "[offers to talk; high priority]" in r.text
    assert "[refers @carol[.]bsky[.]social]" in r.text


def test_long_groups_are_capped_with_plus_n_more(store: Store) -> None:
    _seed_week(store)
    caps = Caps(replies_per_query=3, people=2, referrals=1)
    _data, r = _digest(store, T0 + timedelta(hours=5), caps)
    assert len(re.findall(r"Reply number", _section(r.text, "Replies by query"))) == 3
    assert len(re.findall(r"^\d+\. ", _section(r.text, "People to contact"), re.M)) == 2
    assert "+4 more" in r.text and "+4 more" in r.html  # replies 7 - 3
    assert "+5 more (sqbot leads list)" in r.text  # people: 6 who answered + 1 referred, 2 shown
    assert r.html.count("+4 more") == 1 and "+5 more" in r.html


def test_each_query_links_its_posts_and_reports_its_yield(store: Store) -> None:
    _seed_week(store)
    _data, r = _digest(store, T0 + timedelta(hours=5))
    hrefs = _parse(r.html).hrefs
    assert "https://bsky.app/profile/did:plc:owner/post/3kroot" in hrefs
    assert "https://x.com/i/web/status/1001" in hrefs
    assert (
        "- Which tools do you use for fieldwork?: 7 / 6 / 2 / 1" in r.text
    )  # replies/people/referrals/offers


def test_follow_ups_due_and_accounts_needing_attention_are_listed(store: Store) -> None:
    _seed_week(store)
    now = T0 + timedelta(days=2)
    store.conn.execute("UPDATE people SET next_follow_up=? WHERE name='User 4'", ("2026-11-24",))
    store.conn.execute("UPDATE people SET next_follow_up=? WHERE name='User 3'", ("2026-12-24",))
    store.set_platform_state("x", now, attention="login expired: run `sqbot login x`")
    store.set_outbox_status("tools", "bluesky", "needs_review", now, error="timeout while posting")
    data, r = _digest(store, now)
    assert [p.name for p in data.follow_ups] == ["User 4"]
    assert "follow-up due Tue 24 Nov" in r.text
    assert "X: needs attention — login expired" in r.text
    assert "Bluesky: post needs review — query tools: timeout while posting" in r.text
    assert "2 things need you" in r.subject and "1 follow-up due" in r.subject


def test_do_not_contact_people_never_appear(store: Store) -> None:
    ingest(store, [reply(1, name="Keep Away"), reply(2)], T0)
    store.conn.execute("UPDATE people SET status='do-not-contact' WHERE name='Keep Away'")
    data, r = _digest(store, T0 + timedelta(hours=1))
    assert "Keep Away" not in r.text and "Keep Away" not in r.html
    assert len(data.replies) == 1


# ---------------------------------------------------------------------------------------------- safety
def test_hostile_reply_name_and_bio_are_escaped_and_never_linkified(store: Store) -> None:
    ingest(
        store,
        [reply(1, text=HOSTILE_TEXT, name=HOSTILE_NAME, bio=HOSTILE_BIO, url="javascript:alert(4)")],
        T0,
    )
    _data, r = _digest(store, T0 + timedelta(hours=1))
    tags = _parse(r.html)
    assert "script" not in tags.tags and "img" not in tags.tags
    assert not {"onerror", "src"} & set(tags.attrs)
    assert "&lt;script&gt;" in r.html and "&lt;img src=x onerror=alert(1)&gt;" in r.html
    assert "&lt;img src=x onerror=alert(2)&gt;Mallory" in r.html
    # only links the bot built: our post, the reply permalink, the profile
    assert set(tags.hrefs) == {
        "https://bsky.app/profile/did:plc:owner/post/3kroot",
        "https://x.com/i/web/status/1001",
        "https://bsky.app/profile/did:plc:user1/post/3kreply1",
        "https://bsky.app/profile/user1.bsky.social",
    }
    # link-like text is split so no mail client auto-links it; it still reads the same
    for token in ("https://evil", "evil.example", "evil.com", "www.evil", "boss@evil"):
        assert token not in r.html, token
    assert "evil<span" in r.html
    assert "hxxps[:]//evil[.]example/login" in r.text and "evil[.]com" in r.text
    assert "boss@evil[.]example" in r.text


def test_control_and_bidi_characters_are_removed_from_attacker_text(store: Store) -> None:
    ingest(store, [reply(1, text="pay\u202eusd 001\u202c now\x1b[31m red\x07", name="Eve\u2066\u0085")], T0)
    _data, r = _digest(store, T0 + timedelta(hours=1))
    for bad in ("\u202e", "\u202c", "\u2066", "\x1b", "\x07", "\x85"):
        assert bad not in r.text and bad not in r.html
    assert "payusd 001 now[31m red" in r.text


def test_only_bot_built_http_links_to_known_hosts_are_clickable() -> None:
    assert safe_url("https://example.substack.com/p/x") == "https://example.substack.com/p/x"
    for bad in (
        "javascript:alert(1)",
        "https://evil.com/",
        "https://x.com.evil.com/",
        "https://user:pw@x.com/",
        "https://x.com/a b",
        "data:text/html,hi",
        "//x.com/",
    ):
        assert safe_url(bad) is None, bad
    assert permalink("x", "123") == "https://x.com/i/web/status/123"
    assert permalink("x", "123 or 1=1", "https://evil.com") is None
    assert permalink("sandbox", "sb-1", "https://x.com/i/web/status/9") is None
    assert profile_link(Author(1, "x", "42", handle='evil"><script>')) == "https://x.com/i/user/42"
    assert profile_link(Author(1, "bluesky", "did:plc:abc", handle="bad handle")) == (
        "https://bsky.app/profile/did:plc:abc"
    )


def test_header_values_are_single_line_and_message_is_multipart_alternative() -> None:
    r = Rendered(subject="hi\r\nBcc: victim@example.org", text="plain body", html="<p>html body</p>")
    msg = to_message(
        r, sender="bot@example.org\nX-Evil: 1", to="me@example.org", message_id="<a@sqbot>", date=T0
    )
    raw = msg.as_bytes(policy=policy.SMTP)
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert str(parsed["Subject"]) == "hi Bcc: victim@example.org"
    assert parsed.get_content_type() == "multipart/alternative"
    parts = {p.get_content_type(): p.get_content() for p in parsed.iter_parts()}
    assert parts["text/plain"].strip() == "plain body"
    assert parts["text/html"].strip() == "<p>html body</p>"
    assert parsed["Date"] == "Mon, 23 Nov 2026 07:00:00 +0000"


def test_html_is_self_contained_single_column_with_inlined_css(store: Store) -> None:
    _seed_week(store)
    _data, r = _digest(store, T0 + timedelta(hours=5))
    assert "<style" not in r.html and "<link" not in r.html
    assert "max-width: 600px" in r.html
    assert "-apple-system" in r.html and "<img" not in r.html


def test_pure_build_caps_text_and_groups_replies_outside_a_query() -> None:
    author = Author(1, "x", "42", handle="ann", name="Ann")
    rows = tuple(
        ReplyRow("x", str(900 + i), "mention", None, "word " * 400, T0 + timedelta(minutes=i), author)
        for i in range(2)
    )
    q = QueryRow("q1", "Q one", ("x",))
    data = DigestInput(since=T0, until=T0 + timedelta(days=8), queries=(q,), replies=rows)
    d = build(data, now=T0, tz=UTC, caps=Caps(text_chars=50))
    assert [v.title for v in d.queries] == ["Mentions and replies outside a query"]
    assert all(len(v.text) <= 50 and v.text.endswith("…") for v in d.queries[0].replies)
    assert d.headline.endswith("since Mon 23 Nov 07:00")  # more than 6 days back: the date too
    assert d.counts == Counts(2, 0, 0)


# ---------------------------------------------------------------------------------------------- windows
def test_window_starts_at_first_interaction_then_at_last_digest_sent(store: Store) -> None:
    now = T0 + timedelta(hours=2)
    assert digestdb.window(store, now) == (now, now)  # nothing yet: an empty window
    ingest(store, [reply(1)], T0 + timedelta(minutes=30))
    assert digestdb.window(store, now) == (T0 + timedelta(minutes=30), now)
    digestdb.record(store, now, T0, "<m@sqbot>", digestdb.SENDING, Counts(1, 1, 0), None)
    assert digestdb.window(store, now + timedelta(hours=1))[0] == T0 + timedelta(minutes=30)
    digestdb.record(store, now, T0, "<m@sqbot>", digestdb.SENT, Counts(1, 1, 0), None, sent_at=now)
    assert digestdb.window(store, now + timedelta(hours=1)) == (now, now + timedelta(hours=1))


def test_a_reply_fetched_after_a_digest_is_in_the_next_one_only(store: Store) -> None:
    ingest(store, [reply(1)], T0)
    first, _ = _digest(store, T0 + timedelta(hours=1))
    digestdb.record(store, first.until, first.since, "<m@sqbot>", digestdb.SENT, Counts(1, 1, 0), None)
    ingest(store, [reply(2, created=T0 - timedelta(days=1))], T0 + timedelta(hours=2))  # old, fetched late
    second, _ = _digest(store, T0 + timedelta(hours=3))
    assert [r.platform_id for r in first.replies] == [reply(1).platform_id]
    assert [r.platform_id for r in second.replies] == [reply(2).platform_id]


def test_preview_writes_html_eml_and_txt_without_marking_anything_sent(store: Store, tmp_path: Path) -> None:
    _seed_week(store)
    out = tmp_path / "prev" / "digest.html"
    res = run_digest(store, _settings(tmp_path), T0 + timedelta(hours=5), preview=out)
    assert res.status == "previewed"
    assert out.read_text().split("Replies by query", 1)[1].count("Reply number") == 7
    assert out.with_suffix(".txt").read_text().startswith("7 people to contact · 7 new replies")
    eml = email.message_from_bytes(out.with_suffix(".eml").read_bytes(), policy=policy.default)
    assert eml.get_content_type() == "multipart/alternative"
    assert store.q("SELECT COUNT(*) AS n FROM digests")[0]["n"] == 0
    assert digestdb.window(store, T0 + timedelta(hours=6))[0] == T0


def test_without_smtp_settings_the_digest_is_written_to_the_data_dir(store: Store, tmp_path: Path) -> None:
    _seed_week(store)
    res = run_digest(store, _settings(tmp_path), T0 + timedelta(hours=5), send=True)
    assert res.status == "written"
    assert {p.suffix for p in res.paths} == {".html", ".eml"}
    assert all(p.parent == tmp_path / "data" / "digests" and p.exists() for p in res.paths)
    assert "SQBOT_SMTP_HOST" in str(res) and str(res.paths[0]) in str(res)
    assert digestdb.window(store, T0 + timedelta(hours=6))[0] == T0  # not sent: the window stays


def test_an_empty_digest_is_not_sent_or_written(store: Store, tmp_path: Path) -> None:
    res = run_digest(store, _settings(tmp_path, smtp_host="127.0.0.1"), T0, send=True)
    assert res.status == "empty"
    assert not (tmp_path / "data" / "digests").exists()
    assert store.q("SELECT COUNT(*) AS n FROM digests")[0]["n"] == 0


def test_message_id_is_deterministic_per_window() -> None:
    a = message_id(T0, T0 + timedelta(hours=1))
    assert a == message_id(T0, T0 + timedelta(hours=1))
    assert a != message_id(T0, T0 + timedelta(hours=2))
    assert re.fullmatch(r"<digest-20261123T080000Z-[0-9a-f]{12}@sqbot>", a)


# ---------------------------------------------------------------------------------------------- chromium
def test_html_renders_at_600px_without_overflow_and_hostile_text_visible(
    store: Store, tmp_path: Path
) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        from tests.conftest import service_unavailable

        service_unavailable(
            "headless Chromium", "not installed (apt-get install chromium): HTML not rendered"
        )
    long_word = "x" * 300
    ingest(
        store,
        [
            reply(1, text=HOSTILE_TEXT, name=HOSTILE_NAME, bio=HOSTILE_BIO, created=T0 + timedelta(hours=1)),
            reply(2, text=long_word, created=T0 + timedelta(minutes=50)),
        ]
        + [reply(n) for n in range(3, 12)],
        T0,
        {reply(3).platform_id: Analysis(intent="offer", offers_contact=True)},
    )
    _data, r = _digest(store, T0 + timedelta(hours=3))
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page = OUTPUT / "digest.html"
    page.write_text(r.html, encoding="utf-8")
    shot = OUTPUT / "digest-600px.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=600,2400"]
    subprocess.run(
        [chromium, *flags, f"--screenshot={shot}", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 10_000
    # Measure in the same browser: a probe (only in this test's copy) reports widths and live elements.
    probe = tmp_path / "probe.html"
    probe.write_text(
        r.html.replace(
            "</body>",
            "<script>document.body.setAttribute('data-probe', [document.documentElement.scrollWidth,"
            " document.querySelectorAll('script').length, document.querySelectorAll('img').length,"
            " document.body.innerText.includes('<scr' + 'ipt>alert(\"x\")</scr' + 'ipt>')].join(','))"
            "</script></body>",
        )
    )
    dom = subprocess.run(
        [chromium, *flags, "--dump-dom", probe.as_uri()],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    m = re.search(r'data-probe="(\d+),(\d+),(\d+),(\w+)"', dom)
    assert m, dom[:500]
    width, scripts, images, visible = int(m[1]), int(m[2]), int(m[3]), m[4]
    assert width <= 600, f"horizontal overflow: {width}px"
    assert (scripts, images) == (1, 0)  # only the probe itself; the hostile tags are text
    assert visible == "true"


# ---------------------------------------------------------------------------------------------- people first
def test_a_referred_person_who_has_not_answered_is_flagged_with_a_drafted_mention(store: Store) -> None:
    _seed_week(store)
    _data, r = _digest(store, T0 + timedelta(hours=5))
    people = _section(r.text, "People to contact")
    # one block per person, carol's is the one named after her (her referrer's, "points to carol", may come first)
    carol = next(b for b in people.split("\n\n") if "carol" in b.strip().split(" — ")[0])
    assert "referred by User 2" in carol
    assert "** not in touch yet, referred by User 2 **" in carol
    assert "Hi @carol[.]bsky[.]social, User 2 suggested you're the person to ask about" in carol
    assert "not in touch yet, referred by User 2" in r.html


def test_referrals_are_counted_per_referrer_and_referred_pair(store: Store) -> None:
    bsky, x = reply(1, text="Ask Carol"), reply(2, platform="x", text="Ask Carol on X too")
    store.conn.execute("SELECT 1")
    ingest(
        store,
        [bsky, reply(3, text="Also ask Carol", user="did:plc:user1", handle="user1.bsky.social")],
        T0,
        {
            bsky.platform_id: Analysis(intent="referral", referrals=(Ref(handle="carol.bsky.social"),)),
            "at://did:plc:user1/app.bsky.feed.post/3kreply3": Analysis(
                intent="referral", referrals=(Ref(handle="carol.bsky.social"),)
            ),
        },
    )
    ingest(store, [x], T0, {x.platform_id: Analysis(intent="referral", referrals=(Ref(handle="dan"),))})
    data, r = _digest(store, T0 + timedelta(hours=1))
    pairs = sorted((p.from_name, p.target, p.count) for p in data.referrals)
    assert pairs == [("User 1", "carol.bsky.social", 2), ("User 2", "dan", 1)]
    people = _section(r.text, "People to contact")
    assert people.count("referred by User 1 (2×)") == 1
    assert people.count("points to carol[.]bsky[.]social (2×)") == 1
    assert r.text.count("User 1 —") == 1  # one entry for User 1 though they replied twice


def test_spam_and_abuse_are_one_counted_line_never_shown(store: Store) -> None:
    items = [reply(1, text="BUY FOLLOWERS NOW"), reply(2, text="you idiot"), reply(3)]
    ingest(
        store,
        items,
        T0,
        {
            items[0].platform_id: Analysis(intent="spam", lead_priority="none"),
            items[1].platform_id: Analysis(intent="abuse", lead_priority="none"),
        },
    )
    _data, r = _digest(store, T0 + timedelta(hours=1))
    for part in (r.text, r.html):
        assert "BUY FOLLOWERS" not in part and "idiot" not in part
        assert "User 1" not in part and "User 2" not in part
        assert "2 spam or abuse replies from 2 accounts left out (never shown)." in part
    assert "User 3" in _section(r.text, "People to contact")


def test_a_contacted_person_shows_our_follow_up_and_no_draft(store: Store) -> None:
    _seed_week(store)
    pid = store.q("SELECT id FROM people WHERE name='User 3'")[0]["id"]
    before = _section(_digest(store, T0 + timedelta(hours=5))[1].text, "People to contact")
    assert f"sqbot leads reply {pid} --draft" in before
    store.conn.execute(
        """INSERT INTO followups (id, person_id, query_id, platform, reply_to, text, created_at, post_id, url,
               posted_at) VALUES (?,?,?,?,?,?,?,?,?,?)""",
        (
            f"followup:{pid}:1",
            pid,
            "tools",
            "bluesky",
            "at://did:plc:user3/app.bsky.feed.post/3kreply3",
            "Thanks!",
            "2026-11-23T09:00:00Z",
            "at://did:plc:owner/app.bsky.feed.post/3kfollow",
            "https://bsky.app/profile/did:plc:owner/post/3kfollow",
            "2026-11-23T09:00:00Z",
        ),
    )
    store.conn.execute("UPDATE people SET status='contacted' WHERE id=?", (pid,))
    _data, r = _digest(store, T0 + timedelta(hours=5))
    people = _section(r.text, "People to contact")
    assert "status contacted · contacted on Bluesky Mon 23 Nov" in people
    assert "our follow-up: https://bsky.app/profile/did:plc:owner/post/3kfollow" in people
    assert f"sqbot leads reply {pid} --draft" not in people


def test_demo_digest_lists_each_person_once_first_and_repeats_no_line(tmp_path: Path) -> None:
    from bot.ops.service import run_demo

    queue = Path(__file__).resolve().parents[2] / "queries"
    run_demo(tmp_path, str(queue), datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    text = (tmp_path / "digest.txt").read_text(encoding="utf-8")
    html = (tmp_path / "digest.html").read_text(encoding="utf-8")
    # "People to contact" opens the digest (after the headline), then yield, then replies, then spam
    heads = re.findall(r"^== (.*?) ==", text, re.M)
    assert heads == [
        "People to contact",
        "Query yield so far (replies / people / referrals / offers)",
        "Replies by query",
    ]
    h2 = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert h2 == ["People to contact", "Query yield so far", "Replies by query"]
    people = _section(text, "People to contact")
    names = re.findall(r"^\d+\. (.+?) — ", people, re.M)
    assert sorted(names) == ["Hiro Tanaka", "Ivan Petrov", "Lena Vogel", "Maya Okafor", "Sam Rivera"]
    # the story: Sam on X points to Maya, Maya (on Bluesky, and Sam's @maya_sbx on X) points to Ivan, who offers
    # to talk; each reply once (one link each, not one per post and platform)
    assert "Maya Okafor — offers to talk · referred by Sam Rivera · points to Ivan Petrov" in people
    assert "Ivan Petrov — offers to talk · referred by Maya Okafor" in people
    assert "@maya[.]sandbox[.]test on Bluesky, @maya_sbx on X" in people
    assert "replies: Bluesky https://sandbox.invalid/bluesky/post/" in people  # Ivan's one reply
    assert people.count("Maya Okafor → ") == 0 and "(already a lead)" not in text
    # spam and the hostile reply: one line, never shown
    assert "Growth Guru" not in text and "Mallory" not in text and "Mallory" not in html
    assert "2 spam or abuse replies from 2 accounts left out (never shown)." in text
    # no line repeated anywhere in the text part
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    repeated = sorted({ln for ln in lines if lines.count(ln) > 1})
    assert repeated == []
    # the HTML says the same people, once each, and collapses the replies
    for name in names:
        assert html.split("Query yield so far", 1)[0].count(f"{name}</h3>") + html.count(f"{name} <span") == 1
    assert html.count("<details") == html.count("</details>") >= 1


def test_a_do_not_contact_person_is_not_even_named_as_someone_referred(store: Store) -> None:
    _seed_week(store)  # User 2 refers carol.bsky.social
    store.conn.execute(
        "UPDATE people SET status='do-not-contact' WHERE id IN"
        " (SELECT person_id FROM identities WHERE handle='carol.bsky.social')"
    )
    data, r = _digest(store, T0 + timedelta(hours=5))
    for part in (r.text, r.html):
        assert "carol" not in part
    assert all(p.to_person_id is not None or "carol" not in p.target for p in data.referrals)
    assert "6 people to contact" in r.subject
