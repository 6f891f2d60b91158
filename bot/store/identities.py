"""Identities after they are filed: profiles fetched later, people merged on hard evidence (two accounts whose
profiles link each other: a link only one side asserts is a suggestion, `bot.leads.merges.suggest_merges`),
and small look-ups for the CLI and the stream."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.models import IdentityData, iso
from bot.store.connection import Connection
from bot.store.lookalikes import index_identity

# where a profile on each platform lives, for a link back written as a web address in a bio or website field
_PROFILE_URLS = {
    "bluesky": ("bsky.app/profile/{h}",),
    "x": ("x.com/{h}", "twitter.com/{h}"),
    "substack": ("substack.com/@{h}", "{h}.substack.com"),
}


def links_back(other: sqlite3.Row, platform: str, handle: str | None) -> bool:
    """Does identity `other` (its `links`, `url`, `bio`) say it is also `platform`:`handle`? A link counts as
    verified only when both accounts assert it: anyone can write someone else's handle into their own profile."""
    if not handle:
        return False
    h = handle.lower().lstrip("@")
    for p, linked in json.loads(other["links"] or "[]"):
        if p == platform and str(linked).lower().lstrip("@") == h:
            return True
    text = f" {other['url'] or ''} {other['bio'] or ''} ".lower()
    for pattern in _PROFILE_URLS.get(platform, ()):
        needle = pattern.format(h=h)
        at = text.find(needle)
        while at >= 0:
            before, after = text[at - 1], text[at + len(needle)]
            if not (before.isalnum() or before in ".-") and not (after.isalnum() or after in "_-."):
                return True
            at = text.find(needle, at + 1)
    return False


def linked_identity(c: sqlite3.Connection, platform: str, handle: str) -> sqlite3.Row | None:
    """The identity `platform`:`handle` with what it says about itself, or None."""
    row: sqlite3.Row | None = c.execute(
        "SELECT person_id, handle, links, url, bio FROM identities WHERE platform=? AND lower(handle)=lower(?)",
        (platform, handle),
    ).fetchone()
    return row


class IdentitiesMixin(Connection):
    """Reads and updates of `identities` and `people` outside ingest."""

    def identities_missing_profile(self, platform: str, limit: int = 100) -> list[str]:
        rows = self.q(
            """SELECT user_id FROM identities WHERE platform=? AND profile_fetched_at IS NULL
               ORDER BY first_seen LIMIT ?""",
            (platform, limit),
        )
        return [r["user_id"] for r in rows]

    def update_profiles(self, profiles: Sequence[IdentityData], now: datetime) -> None:
        with self.tx() as c:
            for a in profiles:
                c.execute(
                    """UPDATE identities SET handle=COALESCE(?, handle), name=COALESCE(?, name),
                           bio=COALESCE(?, bio), followers=COALESCE(?, followers), url=COALESCE(?, url),
                           links=CASE WHEN ?='[]' THEN links ELSE ? END, profile_fetched_at=?, updated_at=?
                       WHERE platform=? AND user_id=?""",
                    (
                        a.handle,
                        a.name,
                        a.bio,
                        a.followers,
                        a.url,
                        json.dumps([list(x) for x in a.links]),
                        json.dumps([list(x) for x in a.links]),
                        iso(now),
                        iso(now),
                        a.platform,
                        a.user_id,
                    ),
                )
                index_identity(c, a.platform, a.user_id)

    def merge_by_links(self, now: datetime) -> int:
        """One person across platforms, on verified links only: two accounts whose profiles link each other
        (Substack's linked X account, a bio link, answered by a link back). A link only one side asserts is
        left to `suggest_merges`. Returns how many merges were made."""
        merges = 0
        with self.tx() as c:
            for row in c.execute(
                "SELECT platform, user_id, handle, person_id, links FROM identities WHERE links != '[]'"
            ).fetchall():
                for platform, handle in json.loads(row["links"]):
                    other = linked_identity(c, platform, handle)
                    if other is None or not links_back(other, row["platform"], row["handle"]):
                        continue
                    a = c.execute(
                        "SELECT person_id FROM identities WHERE platform=? AND user_id=?",
                        (row["platform"], row["user_id"]),
                    ).fetchone()["person_id"]
                    b = other["person_id"]
                    if a != b:
                        self._merge(
                            c,
                            min(a, b),
                            max(a, b),
                            f"{row['platform']}:{row['user_id']} links {platform}:{handle}, which links back",
                            now,
                        )
                        merges += 1
        return merges

    @staticmethod
    def _merge(c: sqlite3.Connection, keep: int, drop: int, evidence: str, now: datetime) -> None:
        c.execute("UPDATE identities SET person_id=? WHERE person_id=?", (keep, drop))
        c.execute("UPDATE interactions SET person_id=? WHERE person_id=?", (keep, drop))
        c.execute("UPDATE referrals SET from_person_id=? WHERE from_person_id=?", (keep, drop))
        c.execute("UPDATE referrals SET to_person_id=? WHERE to_person_id=?", (keep, drop))
        c.execute(
            """UPDATE people SET notes = CASE WHEN (SELECT notes FROM people WHERE id=?) IS NULL THEN notes
                   ELSE COALESCE(notes || char(10), '') || (SELECT notes FROM people WHERE id=?) END,
                   next_follow_up = COALESCE(next_follow_up, (SELECT next_follow_up FROM people WHERE id=?)),
                   updated_at=? WHERE id=?""",
            (drop, drop, drop, iso(now), keep),
        )
        c.execute("DELETE FROM people WHERE id=?", (drop,))
        c.execute(
            "INSERT OR IGNORE INTO person_merges (kept, dropped, evidence, at) VALUES (?,?,?,?)",
            (keep, drop, evidence, iso(now)),
        )

    def mark_profiles_fetched(self, platform: str, user_ids: Sequence[str], now: datetime) -> None:
        with self.tx() as c:
            c.executemany(
                "UPDATE identities SET profile_fetched_at=? WHERE platform=? AND user_id=?",
                [(iso(now), platform, u) for u in user_ids],
            )

    def has_identity(self, platform: str, user_id: str) -> bool:
        """True when account `user_id` on `platform` is filed already."""
        return bool(self.q("SELECT 1 FROM identities WHERE platform=? AND user_id=?", (platform, user_id)))

    def person_row(self, pid: int) -> sqlite3.Row | None:
        """`id`, `name`, `status` of person `pid`, or None."""
        rows = self.q("SELECT id, name, status FROM people WHERE id=?", (pid,))
        return rows[0] if rows else None

    def person_names(self) -> dict[int, str | None]:
        """Every person's id and name."""
        return {int(r["id"]): r["name"] for r in self.q("SELECT id, name FROM people")}
