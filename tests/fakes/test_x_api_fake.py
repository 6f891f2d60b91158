"""The X API fake's own tests: it behaves like X and every response it serves matches X's OpenAPI spec."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests

from tests.fakes.x_api import XFake, spec_errors, unknown_keys

AUTH = {"Authorization": "Bearer test-token"}
USER_FIELDS = "description,public_metrics,created_at"
TWEET_FIELDS = "created_at,conversation_id,referenced_tweets,entities,in_reply_to_user_id,author_id"


@pytest.fixture
def fake() -> Iterator[XFake]:
    with XFake() as f:
        yield f


def get(fake: XFake, path: str, **params: Any) -> requests.Response:
    return requests.get(fake.base_url + path, params=params, headers=AUTH, timeout=5)


def post(fake: XFake, text: str, reply_to: str | None = None) -> requests.Response:
    body: dict[str, Any] = {"text": text}
    if reply_to:
        body["reply"] = {"in_reply_to_tweet_id": reply_to}
    return requests.post(fake.base_url + "/2/tweets", json=body, headers=AUTH, timeout=5)


def test_every_endpoint_the_bot_uses_answers_within_the_spec(fake: XFake) -> None:
    alice = fake.add_user("alice", "Alice", description="bees & <code>", followers=3)
    root = post(fake, "Who builds hive sensors? https://example.com/q").json()["data"]["id"]
    reply = fake.add_tweet(alice, "@sqbot_lab I do, ask @nobody", reply_to=root)
    fake.add_tweet(alice, "quoting @sqbot_lab", quote=root)
    answers = [
        get(fake, "/2/users/me", **{"user.fields": USER_FIELDS}),
        post(fake, "part two", reply_to=root),
        get(fake, f"/2/users/{fake.me}/tweets", max_results=5, **{"tweet.fields": TWEET_FIELDS}),
        get(
            fake,
            f"/2/users/{fake.me}/mentions",
            max_results=100,
            expansions="author_id",
            **{"tweet.fields": TWEET_FIELDS, "user.fields": USER_FIELDS},
        ),
        get(fake, f"/2/users/{fake.me}/mentions", since_id=reply, max_results=100),
        get(
            fake,
            "/2/tweets/search/recent",
            query=f"conversation_id:{root} OR conversation_id:1",
            max_results=10,
        ),
        get(fake, "/2/tweets", ids=f"{root},{reply}", expansions="author_id", **{"user.fields": USER_FIELDS}),
        get(fake, f"/2/tweets/{reply}", **{"tweet.fields": TWEET_FIELDS}),
        get(fake, "/2/tweets", ids="1234"),
        get(fake, "/2/users", ids=f"{alice},{fake.me}", **{"user.fields": USER_FIELDS}),
        get(fake, "/2/users", ids="99"),
        requests.delete(f"{fake.base_url}/2/tweets/{root}", headers=AUTH, timeout=5),
    ]
    assert [a.status_code for a in answers] == [200, 201, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]
    fake.assert_valid()
    assert len(fake.calls) == len(answers) + 1


def test_error_answers_are_problem_json_within_the_spec(fake: XFake) -> None:
    bob = fake.add_user("bob", "Bob")
    theirs = fake.add_tweet(bob, "no mention here")
    post(fake, "same words")
    duplicate = post(fake, "same words")
    not_allowed = post(fake, "hello bob", reply_to=theirs)
    too_long = get(fake, "/2/tweets/search/recent", query="conversation_id:1 OR " * 30 + "conversation_id:2")
    fake.fail("rate_limit", endpoint="*")
    limited = get(fake, f"/2/users/{fake.me}/mentions")
    fake.fail("usage_cap", endpoint="*")
    capped = get(fake, f"/2/users/{fake.me}/mentions")
    fake.revoked = True
    unauthorized = get(fake, "/2/users/me")
    assert duplicate.status_code == 403 and "duplicate content" in duplicate.json()["detail"]
    assert not_allowed.status_code == 403 and "not allowed" in not_allowed.json()["detail"]
    assert too_long.status_code == 400
    assert limited.status_code == 429 and limited.headers["x-rate-limit-remaining"] == "0"
    assert capped.status_code == 429 and capped.json()["title"] == "UsageCapExceeded"
    assert int(capped.headers["x-rate-limit-remaining"]) > 0
    assert unauthorized.status_code == 401
    for answer in (duplicate, not_allowed, too_long, limited, capped, unauthorized):
        assert answer.headers["Content-Type"] == "application/problem+json"
    fake.assert_valid()


def test_every_response_carries_rate_limit_headers_and_429_can_omit_the_reset(fake: XFake) -> None:
    first = get(fake, f"/2/users/{fake.me}/mentions")
    second = get(fake, f"/2/users/{fake.me}/mentions")
    assert first.headers["x-rate-limit-limit"] == "300"
    assert int(second.headers["x-rate-limit-remaining"]) == int(first.headers["x-rate-limit-remaining"]) - 1
    assert int(first.headers["x-rate-limit-reset"]) == int((fake.clock + timedelta(minutes=15)).timestamp())
    fake.fail("rate_limit_no_reset", endpoint="*")
    bare = get(fake, f"/2/users/{fake.me}/mentions")
    assert bare.status_code == 429 and "x-rate-limit-reset" not in bare.headers
    fake.assert_valid()


def test_timelines_page_with_next_token_and_filter_with_since_id(fake: XFake) -> None:
    carol = fake.add_user("carol", "Carol")
    ids = [fake.add_tweet(carol, f"@sqbot_lab note {i}") for i in range(12)]
    page1 = get(fake, f"/2/users/{fake.me}/mentions", max_results=5).json()
    page2 = get(
        fake, f"/2/users/{fake.me}/mentions", max_results=5, pagination_token=page1["meta"]["next_token"]
    ).json()
    assert [t["id"] for t in page1["data"] + page2["data"]] == ids[::-1][:10]
    newer = get(fake, f"/2/users/{fake.me}/mentions", since_id=ids[9]).json()
    assert [t["id"] for t in newer["data"]] == [ids[11], ids[10]]
    assert newer["meta"]["newest_id"] == ids[11]
    nothing = get(fake, f"/2/users/{fake.me}/mentions", since_id=ids[11]).json()
    assert nothing == {"meta": {"result_count": 0}}
    fake.assert_valid()


def test_search_finds_several_conversations_joined_with_or_inside_seven_days(fake: XFake) -> None:
    dave = fake.add_user("dave", "Dave")
    old = fake.add_tweet(fake.me, "an old question")
    fake.add_tweet(dave, "late reply", reply_to=old, at=fake.clock)
    fake.tick(8 * 24 * 3600)
    a = fake.add_tweet(fake.me, "question a")
    b = fake.add_tweet(fake.me, "question b")
    ra = fake.add_tweet(dave, "answer a", reply_to=a)
    rb = fake.add_tweet(dave, "answer b", reply_to=b)
    found = get(
        fake,
        "/2/tweets/search/recent",
        query=f"conversation_id:{a} OR conversation_id:{b} OR conversation_id:{old}",
    )
    assert {t["id"] for t in found.json()["data"]} == {a, b, ra, rb}
    fake.assert_valid()


def test_text_is_served_html_escaped_with_urls_as_t_co_links(fake: XFake) -> None:
    tid = post(fake, "Q&A <today> https://example.com/long/path").json()["data"]["id"]
    tweet = get(fake, f"/2/tweets/{tid}", **{"tweet.fields": "entities"}).json()["data"]
    assert tweet["text"].startswith("Q&amp;A &lt;today&gt; https://t.co/")
    assert tweet["entities"]["urls"][0]["url"].startswith("https://t.co/")
    fake.assert_valid()


def test_failures_after_the_write_still_create_the_post(fake: XFake) -> None:
    fake.fail("error_after")
    fake.fail("unavailable_before")
    assert post(fake, "one").status_code == 500
    assert post(fake, "two").status_code == 503
    assert [t.text for t in fake.by_author(fake.me)] == ["one"]
    fake.assert_valid()


def test_the_fake_bills_by_x_price_table_once_per_resource_per_day(fake: XFake) -> None:
    erin = fake.add_user("erin", "Erin")
    post(fake, "plain")
    post(fake, "with a link https://example.com")
    fake.add_tweet(erin, "@sqbot_lab hi")
    get(fake, f"/2/users/{fake.me}/mentions", expansions="author_id")
    get(fake, f"/2/users/{fake.me}/mentions", expansions="author_id")  # same post, same user, same day
    get(fake, "/2/users", ids=erin)
    assert [c.usd for c in fake.calls] == pytest.approx([0.015, 0.20, 0.001 + 0.010, 0.0, 0.0])
    assert fake.cost == pytest.approx(0.226)


# ------------------------------------------------------------------------------------------ honesty
def test_a_response_with_a_wrong_type_is_caught_and_fails_the_test(fake: XFake) -> None:
    fake.add_tweet(fake.add_user("fay", "Fay"), "@sqbot_lab hey")

    def break_ids(endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
        for tweet in body.get("data", []):
            tweet["id"] = "not-a-number"
        return body

    fake.tamper = break_ids
    answer = get(fake, f"/2/users/{fake.me}/mentions")
    assert answer.status_code == 500
    assert "does not match" in fake.violations[0]
    with pytest.raises(AssertionError, match="break X's OpenAPI spec"):
        fake.assert_valid()


def test_a_response_with_a_key_the_spec_does_not_define_is_caught(fake: XFake) -> None:
    fake.tamper = lambda endpoint, body: {**body, "data": {**body["data"], "post_count": 3}}
    get(fake, "/2/users/me")
    assert fake.violations and "$.data.post_count" in fake.violations[0]


def test_spec_errors_accepts_x_shapes_and_rejects_2_167_renames() -> None:
    user = {"id": "1", "name": "A", "username": "a"}
    good = {
        "data": {
            **user,
            "public_metrics": {
                "followers_count": 1,
                "following_count": 1,
                "tweet_count": 1,
                "listed_count": 0,
            },
        }
    }
    renamed = {
        "data": {
            **user,
            "public_metrics": {
                "followers_count": 1,
                "following_count": 1,
                "post_count": 1,
                "listed_count": 0,
            },
        }
    }
    ok = spec_errors("GET", "/2/users/me", {}, 200, json.dumps(good).encode(), "application/json")
    bad = spec_errors("GET", "/2/users/me", {}, 200, json.dumps(renamed).encode(), "application/json")
    assert ok == []
    assert bad and "tweet_count" in bad[0]
    problem = {"title": "Forbidden", "status": 403}
    assert spec_errors("POST", "/2/tweets", {}, 403, json.dumps(problem).encode(), "application/problem+json")


def test_unknown_keys_follows_refs_all_of_and_the_problem_discriminator() -> None:
    problem = {"$ref": "#/components/schemas/Problem"}
    capped = {
        "type": "https://api.twitter.com/2/problems/usage-capped",
        "title": "UsageCapExceeded",
        "period": "Monthly",
    }
    assert unknown_keys(problem, capped) == []
    assert unknown_keys(problem, {"type": "about:blank", "title": "x", "period": "Monthly"}) == ["$.period"]
    tweet = {"$ref": "#/components/schemas/Tweet"}
    assert unknown_keys(
        tweet,
        {"id": "1", "text": "t", "entities": {"mentions": [{"start": 0, "end": 2, "username": "a", "x": 1}]}},
    ) == ["$.entities.mentions[0].x"]


def test_a_request_the_spec_does_not_allow_is_refused_and_recorded(fake: XFake) -> None:
    answer = get(fake, f"/2/users/{fake.me}/mentions", max_results=500, **{"post.fields": "created_at"})
    assert answer.status_code == 400
    assert "max_results" in fake.violations[0]
    renamed = get(fake, f"/2/users/{fake.me}/mentions", **{"tweet.fields": "post_count"})
    assert renamed.status_code == 400
    with pytest.raises(AssertionError):
        fake.assert_valid()


# ------------------------------------------------------------------------------------------------ media
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(fake: XFake, data: bytes = PNG) -> requests.Response:
    body = {
        "media": base64.b64encode(data).decode(),
        "media_category": "tweet_image",
        "media_type": "image/png",
    }
    return requests.post(fake.base_url + "/2/media/upload", json=body, headers=AUTH, timeout=5)


def test_uploaded_media_with_alt_text_is_attached_to_a_post_and_served_in_includes(fake: XFake) -> None:
    answer = upload(fake)
    assert answer.status_code == 200
    media_id = answer.json()["data"]["id"]
    assert answer.json()["data"]["expires_after_secs"] == 24 * 3600
    meta = {"id": media_id, "metadata": {"alt_text": {"text": "A bee on a sensor board"}}}
    assert requests.post(fake.base_url + "/2/media/metadata", json=meta, headers=AUTH, timeout=5).ok
    body = {"text": "Look at this", "media": {"media_ids": [media_id]}}
    created = requests.post(fake.base_url + "/2/tweets", json=body, headers=AUTH, timeout=5)
    tweet_id = created.json()["data"]["id"]
    assert [(m.id, m.alt_text, m.data) for m in fake.media_of(tweet_id)] == [
        (media_id, "A bee on a sensor board", PNG)
    ]
    served = get(
        fake,
        f"/2/tweets/{tweet_id}",
        expansions="attachments.media_keys",
        **{"tweet.fields": "attachments", "media.fields": "alt_text"},
    ).json()
    assert served["data"]["attachments"]["media_keys"] == [f"3_{media_id}"]
    assert served["includes"]["media"] == [
        {"media_key": f"3_{media_id}", "type": "photo", "alt_text": "A bee on a sensor board"}
    ]
    assert served["data"]["text"].startswith("Look at this https://t.co/")  # X links the media in the text
    fake.assert_valid()


def test_media_expires_after_a_day_and_a_post_with_it_is_refused(fake: XFake) -> None:
    media_id = upload(fake).json()["data"]["id"]
    fake.tick(24 * 3600)
    body = {"text": "too late", "media": {"media_ids": [media_id]}}
    refused = requests.post(fake.base_url + "/2/tweets", json=body, headers=AUTH, timeout=5)
    assert refused.status_code == 400
    assert "media IDs are invalid" in refused.json()["detail"]
    assert fake.by_author(fake.me) == []
    fake.assert_valid()


def test_chunked_upload_reports_processing_until_status_says_succeeded(fake: XFake) -> None:
    data = b"GIF89a" + b"\x01" * 100
    init = {"media_type": "image/gif", "media_category": "tweet_gif", "total_bytes": len(data)}
    base = fake.base_url + "/2/media/upload"
    media_id = requests.post(base + "/initialize", json=init, headers=AUTH, timeout=5).json()["data"]["id"]
    for i, part in enumerate((data[:50], data[50:])):
        chunk = {"media": base64.b64encode(part).decode(), "segment_index": i}
        assert requests.post(f"{base}/{media_id}/append", json=chunk, headers=AUTH, timeout=5).ok
    done = requests.post(f"{base}/{media_id}/finalize", headers=AUTH, timeout=5).json()["data"]
    assert done["processing_info"]["state"] == "in_progress"
    states = [
        get(fake, "/2/media/upload", media_id=media_id, command="STATUS").json()["data"]["processing_info"][
            "state"
        ]
        for _ in range(2)
    ]
    assert states == ["in_progress", "succeeded"]
    assert fake.media[media_id].data == data
    fake.assert_valid()


def test_an_image_over_5_mb_is_refused(fake: XFake) -> None:
    refused = upload(fake, PNG + b"\x00" * 5_000_000)
    assert refused.status_code == 400 and "File size" in refused.json()["detail"]
    assert fake.media == {}
    fake.assert_valid()
