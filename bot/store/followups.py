"""`sqbot leads draft` / `leads reply`: what a follow-up needs to know about a person, and the `followups` rows
(one per message we send to a person; it is sent through the outbox under its own key, see `bot.leads.send`)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.models import iso
from bot.store.connection import Connection


class FollowupsMixin(Connection):
    """The `followups` table, and the reads about one person a follow-up draft is made from."""

    def person_said(self, pid: int) -> list[sqlite3.Row]:
        """Person `pid`'s interactions that are not deleted, oldest first."""
        return self.q(
            """SELECT * FROM interactions WHERE person_id=? AND deleted=0 ORDER BY created_at, platform,
               platform_id""",
            (pid,),
        )

    def referrals_to(self, pid: int, *, hide_status: str) -> list[sqlite3.Row]:
        """Referrals naming person `pid` (with `from_name` and the referring reply's `query_id`), oldest first;
        none from a person whose status is `hide_status`."""
        return self.q(
            """SELECT f.*, p.name AS from_name, i.query_id FROM referrals f
                JOIN people p ON p.id = f.from_person_id
                LEFT JOIN interactions i ON i.platform = f.platform AND i.platform_id = f.interaction_id
                WHERE f.to_person_id=? AND p.status != ?
                ORDER BY f.created_at, f.platform, f.interaction_id""",
            (pid, hide_status),
        )

    def query_titles(self) -> list[tuple[str, str | None]]:
        """(id, title) of every query, by id."""
        return [(r["id"], r["title"]) for r in self.q("SELECT id, title FROM queries ORDER BY id")]

    def followups_sent(self, pid: int) -> list[sqlite3.Row]:
        """The follow-ups posted to person `pid`, oldest first."""
        return self.q(
            "SELECT * FROM followups WHERE person_id=? AND posted_at IS NOT NULL ORDER BY posted_at, id",
            (pid,),
        )

    def followups_unposted(self, pid: int) -> list[sqlite3.Row]:
        """The follow-ups to person `pid` not (yet) posted, newest first."""
        return self.q(
            "SELECT * FROM followups WHERE person_id=? AND posted_at IS NULL ORDER BY created_at DESC, id DESC",
            (pid,),
        )

    def followup_count(self, pid: int) -> int:
        return int(self.q("SELECT COUNT(*) AS n FROM followups WHERE person_id=?", (pid,))[0]["n"])

    def add_followup(
        self,
        fid: str,
        pid: int,
        *,
        query_id: str | None,
        platform: str,
        reply_to: str | None,
        mention: str | None,
        text: str,
        now: datetime,
    ) -> sqlite3.Row:
        """Write follow-up `fid` (not yet sent); returns its row."""
        with self.tx() as c:
            c.execute(
                """INSERT INTO followups (id, person_id, query_id, platform, reply_to, mention, text, created_at)
                   VALUES (?,?,?,?,?,?,?,?)""",
                (fid, pid, query_id, platform, reply_to, mention, text, iso(now)),
            )
        return self.q("SELECT * FROM followups WHERE id=?", (fid,))[0]

    def drop_unposted_followup(self, fid: str) -> None:
        """Forget follow-up `fid` if it was never posted (nothing of it was ever sent)."""
        with self.tx() as c:
            c.execute("DELETE FROM followups WHERE id=? AND posted_at IS NULL", (fid,))

    def record_followup_posted(self, fid: str, platform: str, pid: int, now: datetime) -> sqlite3.Row:
        """Follow-up `fid` is posted: it carries our post's id and url, and person `pid` becomes `contacted`
        (when they were `new` or `referred`). Returns the post's row."""
        post = self.q("SELECT * FROM posts WHERE query_id=? AND platform=? AND idx=0", (fid, platform))[0]
        with self.tx() as c:
            c.execute(
                "UPDATE followups SET post_id=?, url=?, posted_at=COALESCE(posted_at, ?) WHERE id=?",
                (post["platform_id"], post["url"], iso(now), fid),
            )
            c.execute(
                """UPDATE people SET status='contacted', updated_at=? WHERE id=?
                    AND status IN ('new', 'referred')""",
                (iso(now), pid),
            )
        return post
