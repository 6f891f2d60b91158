"""Follow-ups confirmed by a click in `sqbot review`: the same follow-up row, outbox row and sending code as
`sqbot leads reply` (`bot.leads.send.prepare_reply` / `send_reply`), keyed so that a click counts once.

The form carries a nonce; the row's key is `followup:<person>:r-<nonce>`. So a double click (the same form sent
twice) finds its own row and never writes a second one; a second tab (another nonce) finds the person's pending
follow-up (`prepare_reply` resumes it) or their posted one (refused: already contacted). The row is written
first, under the publisher lock, and sent second; if the process dies in between (or while sending), the next
`sqbot post` or daemon tick finishes it (`finish`): the outbox reconciles an unknown outcome on the platform
before anything is sent again, so it is posted once. A confirmed follow-up that never reached the outbox is
dropped, not sent, when another follow-up to the same person went out after it was written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.crash import crash_point
from bot.errors import BotError
from bot.leads import send
from bot.platforms.base import Platform
from bot.store import review as db
from bot.store.db import Store

NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def key(pid: int, nonce: str) -> str:
    if not NONCE.fullmatch(nonce):
        raise BotError("this form is stale or damaged: reload the page and try again")
    return f"{send.PREFIX}{pid}:r-{nonce}"


@dataclass(frozen=True)
class Confirmed:
    row: dict[str, str | None]
    resumed: bool  # the click found a follow-up written before (its own, or one pending for the person)


def confirm(
    store: Store,
    pid: int,
    nonce: str,
    now: datetime,
    *,
    text: str | None = None,
    again: bool = False,
    platform: str | None = None,
    confirm_mention: bool = False,
) -> Confirmed:
    """Write (or find) the follow-up row for this click. Raises `FollowUpError` when none may be sent (e.g. it
    tags someone who never wrote to us and the owner did not tick `confirm_mention`)."""
    from bot.publish.outbox import publisher_lock

    fid = key(pid, nonce)
    with publisher_lock(store):  # one writer at a time: a second click waits for the first one's row
        mine = db.followup(store, fid)
        if mine is not None:
            return Confirmed(mine, True)
        earlier = db.unsent_confirmed(store, pid)  # written by another tab, not yet in the outbox
        if earlier:
            return Confirmed(earlier[-1], True)
        row, resumed = send.prepare_reply(
            store,
            pid,
            now,
            text=text,
            again=again,
            platform=platform,
            key=f"r-{nonce}",
            confirm_mention=confirm_mention,
        )
    crash_point("followup-written")
    return Confirmed(row, resumed)


def deliver(
    store: Store, platforms: Mapping[str, Platform], row: Mapping[str, str | None], now: datetime
) -> send.ReplyResult:
    """Send (or finish sending, or just report) follow-up `row` through the outbox, as `leads reply` does."""
    if row.get("posted_at"):
        return send.ReplyResult(
            "posted", str(row["id"]), str(row["platform"]), str(row["text"]), row.get("url")
        )
    return send.send_reply(store, platforms, row, now)


def finish(store: Store, platforms: Mapping[str, Platform], now: datetime) -> list[send.ReplyResult]:
    """`sqbot post` / the daemon's tick: send what was confirmed in review and not finished (a crash, a
    deferral). Platforms not configured here are left alone (never dropped)."""
    out = []
    for row in db.unsent_confirmed(store):
        fid, platform = str(row["id"]), str(row["platform"])
        if platform not in platforms:
            continue
        if not db.has_outbox(store, fid, platform) and db.posted_since(
            store, int(str(row["person_id"])), str(row["created_at"])
        ):
            db.drop_unsent(store, fid)  # superseded: another follow-up reached them since
            continue
        out.append(send.send_reply(store, platforms, row, now))
    return out
