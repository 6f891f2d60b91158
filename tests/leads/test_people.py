"""Leads: referral leads and their matching, priority order, workflow, undoable merges, suggestions, forgetting,
export and re-running understanding — on real temporary SQLite stores."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.errors import BotError
from bot.leads import forget, merges, people, ranking, reprocess, workflow
from bot.models import CLOSED, IdentityData, InteractionData
from bot.store import status
from bot.store.db import Store, migration_set
from bot.understand.pipeline import Referral, Understanding

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def reply(
    pid: str,
    user: str,
    text: str = "hi",
    *,
    platform: str = "bluesky",
    handle: str | None = None,
    name: str | None = None,
    bio: str | None = None,
    url: str | None = None,
) -> InteractionData:
    return InteractionData(
        platform=platform,
        platform_id=pid,
        kind="reply",
        author=IdentityData(
            platform=platform,
            user_id=user,
            handle=handle or f"{user}.test",
            name=name or user.title(),
            bio=bio,
            url=url,
        ),
        text=text,
        created_at=NOW,
    )


def fake_analyse(it: InteractionData) -> Understanding:
    """Labels from the text, so tests control exactly what understanding says."""
    refs = tuple(
        Referral(w[1:].lower(), None, "x" if w.startswith("^") else None, "person")
        for w in it.text.split()
        if w.startswith(("@", "^"))
    )
    if refs:
        return Understanding("referral", refs, False, "high", "en")
    if "chat" in it.text:
        return Understanding("offer", (), True, "high", "en")
    if "spam" in it.text:
        return Understanding("spam", (), False, "none", "en")
    return Understanding("social", (), False, "low", "en")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "t.db")
    yield s
    s.close()


def pid_of(store: Store, handle: str) -> int:
    return int(store.q("SELECT person_id FROM identities WHERE handle=?", (handle,))[0]["person_id"])


# ------------------------------------------------------------------------------------------- referral leads
def test_a_referral_to_a_handle_becomes_a_referred_lead_and_their_reply_is_the_same_person(
    store: Store,
) -> None:
    store.ingest("bluesky", [reply("r1", "maya", "talk to @ivan.test")], None, NOW, analyse=fake_analyse)
    ivan = pid_of(store, "ivan.test")
    lead = next(x for x in people.list_leads(store) if x["person_id"] == ivan)
    assert lead["status"] == "referred" and lead["referred_by"][0]["name"] == "Maya"
    assert (
        store.q("SELECT user_id FROM identities WHERE person_id=?", (ivan,))[0]["user_id"]
        == "handle:ivan.test"
    )

    rep = store.ingest("bluesky", [reply("r2", "did:ivan", handle="ivan.test", name="Ivan P")], None, NOW)
    assert rep.new_people == 0 and store.counts()["people"] == 2
    ident = store.q("SELECT user_id, person_id, profile_fetched_at FROM identities WHERE handle='ivan.test'")
    assert [(r["user_id"], r["person_id"]) for r in ident] == [("did:ivan", ivan)]
    assert ident[0]["profile_fetched_at"] is None  # the real profile will be fetched
    assert store.q("SELECT name FROM people WHERE id=?", (ivan,))[0]["name"] == "Ivan P"


def test_one_person_s_word_makes_a_stranger_a_medium_lead_at_most_two_people_s_may_make_them_high(
    store: Store,
) -> None:
    """Issue 18: "talk to @famous_person" in a high-priority reply made famous_person a high-priority lead on
    the replier's word alone."""

    def priority(handle: str) -> str | None:
        return next(
            x["priority"] for x in people.list_leads(store) if x["person_id"] == pid_of(store, handle)
        )

    store.ingest("bluesky", [reply("r1", "maya", "talk to @famous.test")], None, NOW, analyse=fake_analyse)
    assert priority("maya.test") == "high" and priority("famous.test") == "medium"
    store.ingest("bluesky", [reply("r2", "maya", "really, @famous.test")], None, NOW, analyse=fake_analyse)
    assert priority("famous.test") == "medium"  # the same person saying it twice is still one person's word
    store.ingest("bluesky", [reply("r3", "sam", "yes @famous.test")], None, NOW, analyse=fake_analyse)
    assert priority("famous.test") == "high"  # two different people
    merges.merge(store, pid_of(store, "maya.test"), pid_of(store, "sam.test"), NOW)
    assert priority("famous.test") == "medium"  # ... who turn out to be one
    store.ingest(
        "bluesky",
        [reply("r4", "famous", "happy to chat", handle="famous.test")],
        None,
        NOW,
        analyse=fake_analyse,
    )
    assert priority("famous.test") == "high"  # their own words count in full
    assert stats(store) == recomputed(store)


def test_the_cap_applies_to_a_database_made_before_it(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    conn.row_factory = sqlite3.Row
    old = Store(conn, str(tmp_path / "old.db"))
    migration_set().apply(old.db, stop_before="m014_referred_priority_cap")
    old.ingest("bluesky", [reply("r1", "maya", "talk to @famous.test")], None, NOW, analyse=fake_analyse)
    famous = pid_of(old, "famous.test")
    assert old.q("SELECT pr FROM person_stats WHERE person_id=?", (famous,))[0]["pr"] == 3  # the old rule
    migration_set().apply(old.db)
    assert old.q("SELECT pr FROM person_stats WHERE person_id=?", (famous,))[0]["pr"] == 2
    assert stats(old) == recomputed(old)
    conn.close()


def test_filing_the_same_referral_twice_makes_one_lead(store: Store) -> None:
    batch = [reply("r1", "maya", "talk to @ivan.test"), reply("r2", "sam", "yes @ivan.test")]
    store.ingest("bluesky", batch, None, NOW, analyse=fake_analyse)
    store.ingest("bluesky", batch, None, NOW, analyse=fake_analyse)
    assert store.counts()["people"] == 3 and store.counts()["referrals"] == 2
    assert len({r["to_person_id"] for r in store.q("SELECT to_person_id FROM referrals")}) == 1


def test_a_handle_on_another_platform_is_not_assumed_to_be_the_same_account(store: Store) -> None:
    store.ingest("bluesky", [reply("r1", "ivan", handle="ivan")], None, NOW)
    store.ingest("x", [reply("x1", "maya", "see ^ivan", platform="x")], None, NOW, analyse=fake_analyse)
    to = store.q("SELECT to_person_id FROM referrals")[0]["to_person_id"]
    assert to != pid_of(store, "ivan")
    assert [
        tuple(r) for r in store.q("SELECT platform, user_id FROM identities WHERE person_id=?", (to,))
    ] == [("x", "handle:ivan")]


# ------------------------------------------------------------------------------------------- ordering
def test_list_puts_referrers_and_offers_first_then_referred_then_the_rest(store: Store) -> None:
    store.ingest(
        "bluesky",
        [
            reply("r1", "ann", "nice"),
            reply("r2", "bob", "happy to chat"),
            reply("r3", "cat", "talk to @dan.test"),
            reply("r4", "eve", "spam spam"),
        ],
        None,
        NOW,
        analyse=fake_analyse,
    )
    order = [x["name"] for x in people.list_leads(store)]
    assert set(order[:2]) == {"Bob", "Cat"} and order[2] == "dan.test" and order[-1] == "Eve"
    assert [x["name"] for x in people.list_leads(store, priority="low")] == ["Ann"]
    assert [x["name"] for x in people.list_leads(store, status="referred")] == ["dan.test"]


def test_closed_leads_sink_to_the_bottom_and_filters_combine(store: Store) -> None:
    store.ingest(
        "bluesky",
        [reply("r1", "bob", "happy to chat"), reply("r2", "ann", "hm")],
        None,
        NOW,
        analyse=fake_analyse,
    )
    store.ingest("x", [reply("x1", "cy", "ok", platform="x")], None, NOW, analyse=fake_analyse)
    workflow.set_status(store, pid_of(store, "bob.test"), "done", NOW)
    assert people.list_leads(store)[-1]["name"] == "Bob"
    assert [x["name"] for x in people.list_leads(store, platform="x")] == ["Cy"]
    with pytest.raises(BotError, match="unknown status"):
        people.list_leads(store, status="hot")


# ------------------------------------------------------------------------------------------- workflow
def test_do_not_contact_sticks_unless_forced(store: Store) -> None:
    store.ingest("bluesky", [reply("r1", "ann")], None, NOW)
    ann = pid_of(store, "ann.test")
    assert workflow.set_status(store, ann, "do-not-contact", NOW) == "new"
    with pytest.raises(BotError, match="--force"):
        workflow.set_status(store, ann, "contacted", NOW)
    workflow.set_status(store, ann, "contacted", NOW, force=True)
    assert store.q("SELECT status FROM people WHERE id=?", (ann,))[0]["status"] == "contacted"


def test_notes_append_with_the_date_and_reminders_accept_relative_and_iso_dates(store: Store) -> None:
    store.ingest("bluesky", [reply("r1", "ann")], None, NOW)
    ann = pid_of(store, "ann.test")
    workflow.add_note(store, ann, "met at ALIFE", NOW)
    notes = workflow.add_note(store, ann, "send paper", NOW + timedelta(days=1))
    assert notes == "[2026-12-01] met at ALIFE\n[2026-12-02] send paper"
    zurich = ZoneInfo("Europe/Zurich")
    assert workflow.parse_due("+3d", NOW, zurich) == NOW + timedelta(days=3)
    assert workflow.parse_due("2026-12-05", NOW, zurich) == datetime(2026, 12, 4, 23, 0, tzinfo=UTC)
    assert workflow.parse_due("clear", NOW, zurich) is None
    with pytest.raises(BotError, match=r"\+3d"):
        workflow.parse_due("next tuesday", NOW, zurich)
    workflow.remind(store, ann, workflow.parse_due("+3d", NOW, zurich), NOW)
    assert store.q("SELECT next_follow_up FROM people")[0]["next_follow_up"] == "2026-12-04T09:00:00+00:00"


def test_resolve_accepts_numbers_handles_and_platform_handles(store: Store) -> None:
    store.ingest("bluesky", [reply("r1", "ann")], None, NOW)
    store.ingest("x", [reply("x1", "ann2", platform="x", handle="ann.test")], None, NOW)
    assert people.resolve(store, "bluesky:@Ann.test") == 1 and people.resolve(store, "#2") == 2
    with pytest.raises(BotError, match="matches people #1, #2"):
        people.resolve(store, "ann.test")
    with pytest.raises(BotError, match="no person #9"):
        people.resolve(store, "9")


# ------------------------------------------------------------------------------------------- merges
def snapshot(store: Store) -> list[list[tuple[object, ...]]]:
    return [
        [tuple(r) for r in store.q(sql)]
        for sql in (
            "SELECT id, name, status, notes, next_follow_up FROM people ORDER BY id",
            "SELECT platform, user_id, person_id FROM identities ORDER BY 1, 2",
            "SELECT platform, platform_id, person_id FROM interactions ORDER BY 1, 2",
            "SELECT interaction_id, target, from_person_id, to_person_id FROM referrals ORDER BY 1, 2",
        )
    ]


def test_a_merge_is_undone_exactly_including_notes_status_and_referrals(store: Store) -> None:
    store.ingest("bluesky", [reply("b1", "ivan", "talk to @zoe.test")], None, NOW, analyse=fake_analyse)
    store.ingest(
        "x",
        [reply("x1", "ivan-x", "hello", platform="x"), reply("x2", "sam", "ask @ivan-x.test", platform="x")],
        None,
        NOW,
        analyse=fake_analyse,
    )
    a, b = pid_of(store, "ivan.test"), pid_of(store, "ivan-x.test")
    workflow.add_note(store, a, "note a", NOW)
    workflow.add_note(store, b, "note b", NOW)
    workflow.set_status(store, b, "talking", NOW)
    before = snapshot(store)
    mid = merges.merge(store, a, b, NOW)
    lead = next(x for x in people.list_leads(store) if x["person_id"] == a)
    assert {i["platform"] for i in lead["identities"]} == {"bluesky", "x"} and lead["status"] == "talking"
    assert lead["referred_by"][0]["name"] == "Sam"
    merges.unmerge(store, mid, NOW)
    assert snapshot(store) == before
    assert store.q("SELECT undone_at FROM person_merges WHERE id=?", (mid,))[0]["undone_at"] is not None
    with pytest.raises(BotError, match="already undone"):
        merges.unmerge(store, mid, NOW)


def test_an_automatic_merge_by_links_is_undoable_and_replies_after_it_go_back_too(store: Store) -> None:
    store.ingest("bluesky", [reply("b1", "ivan")], None, NOW)
    store.ingest("substack", [reply("s1", "ivan-s", platform="substack")], None, NOW)
    store.update_profiles([IdentityData("substack", "ivan-s", links=(("bluesky", "ivan.test"),))], NOW)
    assert store.merge_by_links(NOW) == 0  # one side says so: not merged
    store.update_profiles([IdentityData("bluesky", "ivan", url="https://substack.com/@ivan-s.test")], NOW)
    assert store.merge_by_links(NOW) == 1  # the link back verifies it
    mid = int(store.q("SELECT id FROM person_merges")[0]["id"])
    store.ingest("substack", [reply("s2", "ivan-s", platform="substack")], None, NOW)  # after the merge
    res = merges.unmerge(store, mid, NOW)
    sub = res["person_id"]
    owners = {
        r["platform_id"]: r["person_id"] for r in store.q("SELECT platform_id, person_id FROM interactions")
    }
    assert owners == {"b1": 1, "s1": sub, "s2": sub} and store.counts()["people"] == 2


def test_merging_into_a_do_not_contact_person_keeps_them_hidden(store: Store) -> None:
    store.ingest("bluesky", [reply("b1", "ann"), reply("b2", "ann2")], None, NOW)
    workflow.set_status(store, 2, "do-not-contact", NOW)
    merges.merge(store, 1, 2, NOW)
    assert store.q("SELECT status FROM people WHERE id=1")[0]["status"] == "do-not-contact"


def test_an_undone_merge_is_neither_redone_automatically_nor_suggested_again(store: Store) -> None:
    store.ingest("bluesky", [reply("b1", "jane", handle="jane.example.org", name="Jane Doe")], None, NOW)
    store.ingest(
        "x",
        [reply("x1", "42", platform="x", handle="janed", name="Jane Doe", url="https://jane.example.org/")],
        None,
        NOW,
    )
    assert merges.suggest_merges(store) != []
    merged = merges.merge_strong(store, NOW)
    assert len(merged) == 1 and store.counts()["people"] == 1
    merges.unmerge(store, merged[0], NOW)
    assert merges.merge_strong(store, NOW) == [] and merges.suggest_merges(store) == []


def test_suggestions_come_from_same_name_similar_handle_or_shared_site_and_are_never_applied(
    store: Store,
) -> None:
    store.ingest("bluesky", [reply("b1", "a", handle="kwame.bsky.social", name="Kwame Asante")], None, NOW)
    store.ingest("x", [reply("x1", "1", platform="x", handle="kwame_a", name="Kwame Asante")], None, NOW)
    store.ingest(
        "substack",
        [reply("s1", "s", platform="substack", handle="lab", bio="see https://tiny-lab.org/me")],
        None,
        NOW,
    )
    store.ingest("x", [reply("x2", "2", platform="x", handle="other", bio="tiny-lab.org")], None, NOW)
    store.ingest("x", [reply("x3", "3", platform="x", handle="zed", name="Zed")], None, NOW)
    sug = {(s.a, s.b): s.reason for s in merges.suggest_merges(store)}
    assert set(sug) == {(1, 2), (3, 4)}
    assert "same name 'kwame asante'" in sug[(1, 2)] and "tiny-lab.org" in sug[(3, 4)]
    assert store.counts()["people"] == 5


# ------------------------------------------------------------------------------------------- forgetting
def test_forget_deletes_everything_about_a_person_and_replays_do_not_bring_them_back(store: Store) -> None:
    batch = [reply("r1", "maya", "talk to @ivan.test"), reply("r2", "ivan", "spam")]
    store.ingest("bluesky", batch, None, NOW, analyse=fake_analyse)
    store.ingest(
        "x",
        [reply("x1", "m2", "ping ^zoe", platform="x", handle="maya.test")],
        None,
        NOW,
        analyse=fake_analyse,
    )
    merges.merge(store, 1, 3, NOW)  # her X account (#3) is her
    maya = pid_of(store, "maya.test")
    n = forget.forget(store, maya, NOW, all_accounts=True)
    assert n["interactions"] == 2 and n["identities"] == 2 and n["merges"] == 1 and n["orphan_leads"] == 1
    dump = json.dumps(
        [
            [tuple(r) for r in store.q(f"SELECT * FROM {t}")]
            for t in ("people", "identities", "interactions", "referrals", "person_merges", "people_removed")
        ]
    )
    assert "maya" not in dump.lower() and "zoe" not in dump
    assert pid_of(store, "ivan.test")  # ivan answered himself: he is not only her data
    reprocess.reprocess(store, fake_analyse, NOW)
    store.ingest("bluesky", [reply("r9", "sam", "talk to @maya.test")], None, NOW, analyse=fake_analyse)
    assert store.q("SELECT 1 FROM identities WHERE handle='maya.test'") == []


def test_a_forgotten_account_that_replies_again_is_filed_as_do_not_contact(store: Store) -> None:
    store.ingest("bluesky", [reply("r1", "ann")], None, NOW)
    forget.forget(store, 1, NOW)
    store.keep_forgotten = True  # the setting SQBOT_KEEP_FORGOTTEN_REPLIES
    store.ingest("bluesky", [reply("r2", "ann")], None, NOW)
    assert store.q("SELECT status FROM people")[0]["status"] == "do-not-contact"


def test_a_forgotten_account_that_writes_again_is_counted_not_stored(store: Store) -> None:
    store.ingest("bluesky", [reply("r1", "ann", "my long story")], None, NOW)
    forget.forget(store, 1, NOW)
    rep = store.ingest("bluesky", [reply("r2", "ann", "here is my new story"), reply("r3", "bob")], None, NOW)
    assert (rep.forgotten, rep.new_interactions) == (1, 1)
    assert [r["platform_id"] for r in store.q("SELECT platform_id FROM interactions")] == ["r3"]
    assert store.q("SELECT 1 FROM identities WHERE handle='ann.test'") == []
    again = store.ingest("bluesky", [reply("r2", "ann", "here is my new story")], None, NOW)
    assert again.forgotten == 0  # a re-read (Substack reads every comment each poll) counts once
    assert status.forgotten_writes(store) == (status.ForgottenRow("bluesky", 1, NOW),)
    kept = json.dumps([tuple(r) for r in store.q("SELECT * FROM forgotten_writes")])
    assert "r2" not in kept and "ann" not in kept  # one-way keys only


def test_forget_masks_their_handle_and_name_in_what_others_wrote(store: Store) -> None:
    store.ingest(
        "bluesky",
        [
            reply("r1", "maya", "hello", name="Maya Okafor"),
            reply("r2", "ole", "Sprich mit Maya  Okafor, sie kennt sich aus. Oder @maya.test fragen!"),
            reply("r3", "ida", "Mayapur is a town; maya.testing is not her"),
        ],
        None,
        NOW,
    )
    n = forget.forget(store, pid_of(store, "maya.test"), NOW)
    texts = {r["platform_id"]: r["text"] for r in store.q("SELECT platform_id, text FROM interactions")}
    assert texts["r2"] == "Sprich mit [forgotten], sie kennt sich aus. Oder [forgotten] fragen!"
    assert texts["r3"] == "Mayapur is a town; maya.testing is not her" and n["masked"] == 1


def test_a_one_sided_profile_link_is_a_suggestion_never_a_merge(store: Store) -> None:
    """A Substack commenter whose profile links x.com/ana_lab is not Ana: at first sight and on every later
    profile fetch it stays a separate person, shown as a suggestion; Ana's never-contact-me stays hers."""
    store.ingest(
        "x", [reply("x1", "ana-id", "hi", platform="x", handle="ana_lab", name="Ana Lima")], None, NOW
    )
    impostor = replace(
        reply("s1", "imp-id", "never contact me again", platform="substack", handle="ana-real", name="Ana"),
    )
    impostor = replace(impostor, author=replace(impostor.author, links=(("x", "ana_lab"),)))
    store.ingest("substack", [impostor], None, NOW)
    store.update_profiles([replace(impostor.author)], NOW)
    assert store.merge_by_links(NOW) == 0 and store.counts()["people"] == 2
    ana, imp = pid_of(store, "ana_lab"), pid_of(store, "ana-real")
    assert ana != imp and [
        r["text"] for r in store.q("SELECT text FROM interactions WHERE person_id=?", (ana,))
    ] == ["hi"]
    sug = merges.suggest_merges(store)
    assert any({s.a, s.b} == {ana, imp} and "does not link back" in s.reason for s in sug)


def test_forget_of_a_person_with_several_accounts_needs_all_accounts(store: Store) -> None:
    store.ingest("x", [reply("x1", "ana-id", "hi", platform="x", handle="ana_lab")], None, NOW)
    store.ingest("substack", [reply("s1", "imp-id", "bye", platform="substack", handle="imp")], None, NOW)
    mid = merges.merge(store, 1, 2, NOW)  # merged (by hand, or on links): one person, two accounts
    with pytest.raises(forget.ForgetRefused, match="--all-accounts") as e:
        forget.forget(store, 1, NOW)
    assert f"sqbot leads unmerge {mid}" in str(e.value) and store.counts()["people"] == 1
    assert len(store.q("SELECT 1 FROM identities")) == 2  # nothing deleted
    merges.unmerge(store, mid, NOW)
    forget.forget(store, 2, NOW)  # the one account alone
    assert [r["handle"] for r in store.q("SELECT handle FROM identities")] == ["ana_lab"]


# ------------------------------------------------------------------------------------------- export, reprocess
def test_csv_export_neutralises_formulas_and_json_matches_the_list(store: Store) -> None:
    store.ingest("bluesky", [reply("r1", "eve", name='=HYPERLINK("http://evil")')], None, NOW)
    workflow.add_note(store, 1, "+1 call", NOW)
    rows = list(csv.DictReader(io.StringIO(people.export(store, "csv"))))
    assert rows[0]["name"].startswith("'=") and rows[0]["person_id"] == "1"
    assert json.loads(people.export(store, "json")) == people.list_leads(store)


def test_reprocess_relabels_adds_and_removes_referrals_and_is_idempotent(store: Store) -> None:
    store.ingest("bluesky", [reply("r1", "maya", "talk to @ivan.test"), reply("r2", "sam", "ok")], None, NOW)
    assert store.counts()["referrals"] == 0
    first = reprocess.reprocess(store, fake_analyse, NOW)
    assert (first.changed, first.referrals_added) == (2, 1) and pid_of(store, "ivan.test")
    again = reprocess.reprocess(store, fake_analyse, NOW)
    assert (again.changed, again.referrals_added, again.referrals_removed) == (0, 0, 0)

    def no_refs(it: InteractionData) -> Understanding:
        return Understanding("social", (), False, "low", "en")

    gone = reprocess.reprocess(store, no_refs, NOW)
    assert gone.referrals_removed == 1 and store.q("SELECT 1 FROM identities WHERE handle='ivan.test'") == []


# ------------------------------------------------------------------------------------------- person_stats
_RANKS = {"high": 3, "medium": 2, "low": 1, "none": 0}


def stats(store: Store) -> dict[int, tuple[object, ...]]:
    cols = "n, last_at, pr, refers, offers, referred, referred_at, grp"
    return {r[0]: tuple(r)[1:] for r in store.q(f"SELECT person_id, {cols} FROM person_stats")}


def recomputed(store: Store) -> dict[int, tuple[object, ...]]:
    """Every person's figures from scratch, in Python, from the raw rows (what the triggers must keep)."""
    inter = store.q("SELECT * FROM interactions")
    by_key = {(i["platform"], i["platform_id"]): i for i in inter}
    refs = store.q("SELECT * FROM referrals")
    out: dict[int, tuple[object, ...]] = {}
    for p in store.q("SELECT id, status FROM people"):
        own = [i for i in inter if i["person_id"] == p["id"] and not i["deleted"]]
        to = [r for r in refs if r["to_person_id"] == p["id"]]
        via = [by_key.get((r["platform"], r["interaction_id"])) for r in to]
        pr = ranking.priority(
            [_RANKS[i["lead_priority"]] for i in own if i["lead_priority"] in _RANKS],
            [_RANKS.get(v["lead_priority"]) if v is not None else None for v in via],
            len({r["from_person_id"] for r in to}),
        )
        refers = any(i["intent"] == "referral" for i in own) or any(
            r["from_person_id"] == p["id"] for r in refs
        )
        offers = any(i["intent"] == "offer" or i["offers_contact"] == 1 for i in own)
        grp = (0 if refers or offers else 1 if to else 2) + (3 if p["status"] in CLOSED else 0)
        out[p["id"]] = (
            len(own),
            max((i["created_at"] for i in own), default=None),
            pr,
            int(refers),
            int(offers),
            int(bool(to)),
            max((r["created_at"] for r in to), default=None),
            grp,
        )
    return out


def test_person_stats_match_a_recomputation_after_merges_deletes_reprocess_and_forget(store: Store) -> None:
    later = NOW + timedelta(hours=1)
    store.ingest(
        "bluesky",
        [
            reply("r1", "maya", "talk to @ivan.test"),
            reply("r2", "bob", "happy to chat"),
            reply("r3", "ann", "nice"),
            reply("r4", "eve", "spam"),
        ],
        None,
        NOW,
        analyse=fake_analyse,
    )
    store.ingest("x", [reply("x1", "sam", "ask ^zoe", platform="x")], None, NOW, analyse=fake_analyse)
    late = replace(reply("r5", "ivan", "hello", handle="ivan.test"), created_at=later)
    store.ingest("bluesky", [late, replace(reply("r6", "ann", "more"), created_at=later)], None, NOW)
    assert stats(store) == recomputed(store) and len(stats(store)) == 7
    ivan, ann, bob, maya = (pid_of(store, h) for h in ("ivan.test", "ann.test", "bob.test", "maya.test"))
    assert stats(store)[ivan][5:7] == (1, NOW.isoformat())  # referred, when
    merged = [merges.merge(store, ann, maya, NOW), merges.merge(store, bob, ivan, NOW)]
    assert stats(store) == recomputed(store) and stats(store)[ann][3] == stats(store)[bob][5] == 1
    for mid in reversed(merged):
        merges.unmerge(store, mid, NOW)
    assert stats(store) == recomputed(store) and stats(store)[ann][3] == stats(store)[bob][5] == 0
    store.ingest("bluesky", [replace(reply("r3", "ann"), deleted=True)], None, NOW)
    assert stats(store)[ann][:2] == (1, later.isoformat()) and stats(store) == recomputed(store)
    assert store.mark_missing_deleted("bluesky", {"root": ()}) == 0
    store.q("UPDATE interactions SET root_id='root' WHERE platform_id='r6'")
    assert store.mark_missing_deleted("bluesky", {"root": ()}) == 1
    assert stats(store)[ann][:2] == (0, None) and stats(store) == recomputed(store)

    def quiet(it: InteractionData) -> Understanding:
        return Understanding("social", (), False, "medium", "en")

    reprocess.reprocess(store, quiet, NOW)
    assert stats(store) == recomputed(store) and stats(store)[maya][3] == 0
    reprocess.reprocess(store, fake_analyse, NOW)
    assert stats(store) == recomputed(store) and stats(store)[maya][3] == 1
    assert stats(store)[ivan][2] == 2  # maya's high-priority reply referred him: one person's word, medium

    def calmer(it: InteractionData) -> Understanding:
        return replace(fake_analyse(it), lead_priority="low")

    reprocess.reprocess(store, calmer, NOW)
    assert stats(store)[ivan][2] == 1 and stats(store) == recomputed(store)  # same referral, now low
    reprocess.reprocess(store, fake_analyse, NOW)
    store.q("DELETE FROM interactions WHERE platform_id='r1'")
    assert stats(store)[ivan][2] == 2 and stats(store) == recomputed(store)  # a referral of unknown priority
    store.ingest("bluesky", [reply("r1", "maya", "talk to @ivan.test")], None, NOW, analyse=fake_analyse)
    assert stats(store)[ivan][2] == 2 and stats(store) == recomputed(store)
    store.ingest("bluesky", [reply("r8", "bob", "ask @ivan.test")], None, NOW, analyse=fake_analyse)
    assert stats(store)[ivan][2] == 3 and stats(store) == recomputed(store)  # a second person's word
    store.ingest("bluesky", [reply("r7", "eve", "ask @eve.test")], None, NOW, analyse=fake_analyse)
    store.q("DELETE FROM interactions WHERE platform_id='r7'")
    store.ingest("bluesky", [reply("r7", "eve", "ask @eve.test")], None, NOW, analyse=fake_analyse)
    assert stats(store) == recomputed(store) and stats(store)[pid_of(store, "eve.test")][0] == 2
    workflow.set_status(store, maya, "done", NOW)
    assert stats(store)[maya][7] == 3 and stats(store) == recomputed(store)
    forget.forget(store, maya, NOW)
    assert stats(store) == recomputed(store) and maya not in stats(store)


def test_list_pages_follow_the_priority_order_and_show_matches_the_list(store: Store) -> None:
    items = [
        replace(reply(f"r{k}", f"u{k % 7}", text), created_at=NOW + timedelta(minutes=k))
        for k, text in enumerate(
            ["hi", "chat", "spam", "ask @zed.test", "ok", "chat", "hm", "x", "spam", "y"]
        )
    ]
    store.ingest("bluesky", items, None, NOW, analyse=fake_analyse)
    workflow.set_status(store, pid_of(store, "u1.test"), "do-not-contact", NOW)
    everyone = people.list_leads(store)
    assert everyone == sorted(everyone, key=people._order_key) and len(everyone) == 8
    pages = [people.list_leads(store, limit=3, offset=k) for k in (0, 3, 6)]
    assert [x for page in pages for x in page] == everyone
    assert people.list_leads(store, limit=2) == everyone[:2]
    assert people.list_leads(store, offset=5) == everyone[5:]
    for lead in everyone:
        shown = people.show(store, lead["person_id"])
        assert {k: shown[k] for k in lead if k != "identities"} == {
            k: v for k, v in lead.items() if k != "identities"
        }


def test_the_migration_fills_person_stats_for_an_existing_database(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    conn.row_factory = sqlite3.Row
    old = Store(conn, str(tmp_path / "old.db"))
    migration_set().apply(old.db, stop_before="m006_person_stats")
    old.ingest(
        "bluesky",
        [reply("r1", "maya", "talk to @ivan.test"), reply("r2", "bob", "chat")],
        None,
        NOW,
        analyse=fake_analyse,
    )
    old.ingest("bluesky", [reply("r3", "ann", "spam")], None, NOW, analyse=fake_analyse)
    assert old.q("SELECT name FROM sqlite_master WHERE name='person_stats'") == []
    migration_set().apply(old.db)
    assert stats(old) == recomputed(old) and len(stats(old)) == 4
    conn.close()
