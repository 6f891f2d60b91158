"""The local Bluesky network fixture works end to end, and the harness helpers behave."""

from __future__ import annotations

from pathlib import Path

import pytest
from atproto import models
from bsky_net.harness import NetworkInfo, create_account, login_client, process_all, wait_until


@pytest.mark.bsky
def test_reply_by_b_shows_in_a_notifications_after_process_all(bsky_net: NetworkInfo) -> None:
    alice, bob = create_account(bsky_net, "alice"), create_account(bsky_net, "bob")
    a, b = login_client(bsky_net, alice), login_client(bsky_net, bob)
    assert a.me is not None and a.me.did == alice.did

    root = a.send_post("What do you use to schedule posts?")
    # B may only reply once the AppView knows the parent (else: invalidReplyRoot, no notification)
    process_all(bsky_net)
    ref = models.create_strong_ref(root)
    reply = b.send_post("A cron job.", reply_to=models.AppBskyFeedPost.ReplyRef(parent=ref, root=ref))
    process_all(bsky_net)

    notifications = a.app.bsky.notification.list_notifications().notifications
    replies = [n for n in notifications if n.reason == "reply"]
    assert [(n.uri, n.author.did, n.reason_subject) for n in replies] == [(reply.uri, bob.did, root.uri)]


@pytest.mark.bsky
def test_wait_until_sees_a_new_post_through_the_appview(bsky_net: NetworkInfo) -> None:
    carol = create_account(bsky_net, "carol")
    c = login_client(bsky_net, carol)
    post = c.send_post("indexed soon")
    posts = wait_until(lambda: c.get_posts([post.uri]).posts, 15, what="the AppView indexing the post")
    assert [p.record.text for p in posts] == ["indexed soon"]


def test_create_account_refuses_a_prefix_the_pds_would_reject() -> None:
    url = "http://127.0.0.1:9"  # never contacted: the prefix is checked first
    info = NetworkInfo(url, url, url, url, url, 0, ".test", Path("/nonexistent"), 0.0, False)
    with pytest.raises(ValueError, match="handle_prefix"):
        create_account(info, "Way.Too.Long_prefix")


def test_wait_until_returns_the_first_truthy_value() -> None:
    answers = iter([None, [], ["ready"]])
    assert wait_until(lambda: next(answers), 5, interval=0.001) == ["ready"]


def test_wait_until_times_out_naming_what_it_waited_for() -> None:
    def never() -> None:
        raise KeyError("not indexed")

    with pytest.raises(TimeoutError, match=r"the thing did not happen.*not indexed"):
        wait_until(never, 0.05, interval=0.01, what="the thing", retry_on=(KeyError,))
