"""Filing what polling fetched: interactions, their authors (identities ↔ people), the query each belongs to,
and the referrals understanding found, with the cursor, in one transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.models import HIDDEN, IdentityData, InteractionData, iso
from bot.safety.text import stored_text
from bot.store.connection import Connection
from bot.store.forgotten import count_forgotten_write, forgotten_keys, is_forgotten
from bot.store.identities import linked_identity, links_back
from bot.store.lookalikes import index_identity


@dataclass(frozen=True)
class IngestReport:
    new_interactions: int
    new_people: int
    new_identities: tuple[tuple[str, str], ...]  # (platform, user_id) first seen in this batch
    deleted: int
    forgotten: int = (
        0  # new replies by accounts the owner had forgotten: counted (`forgotten_writes`), not stored
    )


class IngestMixin(Connection):
    """Writes to `interactions`, `identities`, `people` and `referrals` as replies arrive."""

    # A forgotten account that writes again is counted, not stored; True (setting
    # SQBOT_KEEP_FORGOTTEN_REPLIES) files them as do-not-contact instead.
    keep_forgotten: bool = False

    def ingest(
        self,
        platform: str,
        items: Sequence[InteractionData],
        cursor: str | None,
        now: datetime,
        *,
        cursor_name: str = "main",
        analyse: Any = None,
    ) -> IngestReport:
        """File interactions, their authors and referrals, and move the cursor, in ONE transaction.

        Idempotent: an interaction already stored is not filed again (its text is refreshed only when it was
        deleted since). `analyse(item) -> Analysis | None` adds intent/priority/referrals (reply
        understanding)."""
        new_inter = 0
        new_people = 0
        deleted = 0
        forgotten = 0
        new_idents: list[tuple[str, str]] = []
        with self.tx() as c:
            for it in items:
                existing = c.execute(
                    "SELECT deleted FROM interactions WHERE platform=? AND platform_id=?",
                    (it.platform, it.platform_id),
                ).fetchone()
                if existing is not None:
                    if it.deleted and not existing["deleted"]:
                        c.execute(
                            "UPDATE interactions SET deleted=1 WHERE platform=? AND platform_id=?",
                            (it.platform, it.platform_id),
                        )
                        deleted += 1
                    continue
                if it.deleted:
                    continue  # deleted before we ever saw it: nothing to keep
                if c.execute(
                    "SELECT 1 FROM posts WHERE platform=? AND platform_id=?", (it.platform, it.platform_id)
                ).fetchone():
                    continue  # our own post (a follow-up sent with `sqbot leads reply`): outbound, not a reply
                if not self.keep_forgotten and self._forgotten_author(c, it.author):
                    forgotten += count_forgotten_write(c, it.platform, it.platform_id, now)
                    continue
                person_id, is_new_person, is_new_ident = self._upsert_identity(c, it.author, now)
                new_people += is_new_person
                if is_new_ident:
                    new_idents.append((it.author.platform, it.author.user_id))
                query_id, post_id = self._locate(c, it)
                it = replace(it, text=stored_text(it.text))  # capped before anything reads it
                a = analyse(it) if analyse is not None else None
                c.execute(
                    """INSERT INTO interactions (platform, platform_id, kind, query_id, post_id, parent_id, root_id,
                           author_user_id, person_id, text, url, created_at, fetched_at, mentions, deleted,
                           intent, lead_priority, offers_contact, language)
                       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    (
                        it.platform,
                        it.platform_id,
                        it.kind,
                        query_id,
                        post_id,
                        it.parent_id,
                        it.root_id,
                        it.author.user_id,
                        person_id,
                        it.text,
                        it.url,
                        iso(it.created_at),
                        iso(now),
                        json.dumps([[m.handle, m.user_id, m.platform] for m in it.mentions]),
                        int(it.deleted),
                        getattr(a, "intent", None),
                        getattr(a, "lead_priority", None),
                        None if a is None else int(bool(getattr(a, "offers_contact", False))),
                        getattr(a, "language", None),
                    ),
                )
                new_inter += 1
                for ref in getattr(a, "referrals", ()) or ():
                    self._insert_referral(c, it, person_id, ref, now)
            if cursor is not None:
                c.execute(
                    """INSERT INTO cursors (platform, name, value, updated_at) VALUES (?,?,?,?)
                       ON CONFLICT(platform, name) DO UPDATE SET value=excluded.value,
                       updated_at=excluded.updated_at""",
                    (platform, cursor_name, cursor, iso(now)),
                )
        return IngestReport(new_inter, new_people, tuple(new_idents), deleted, forgotten)

    @staticmethod
    def _forgotten_author(c: sqlite3.Connection, a: IdentityData) -> bool:
        """An account not on file whose keys are in `forgotten` (a known account is never a forgotten one)."""
        if c.execute(
            "SELECT 1 FROM identities WHERE platform=? AND user_id=?", (a.platform, a.user_id)
        ).fetchone():
            return False
        return is_forgotten(c, forgotten_keys(a.platform, a.user_id, a.handle))

    def _upsert_identity(
        self, c: sqlite3.Connection, a: IdentityData, now: datetime
    ) -> tuple[int, bool, bool]:
        row = c.execute(
            "SELECT person_id, handle, name, bio, followers, url FROM identities WHERE platform=? AND user_id=?",
            (a.platform, a.user_id),
        ).fetchone()
        if row is not None:
            fresh = {"handle": a.handle, "name": a.name, "bio": a.bio, "followers": a.followers, "url": a.url}
            if any(v is not None and v != row[k] for k, v in fresh.items()):  # write only what changed
                c.execute(
                    """UPDATE identities SET handle=COALESCE(?, handle), name=COALESCE(?, name),
                           bio=COALESCE(?, bio), followers=COALESCE(?, followers), url=COALESCE(?, url),
                           updated_at=? WHERE platform=? AND user_id=?""",
                    (a.handle, a.name, a.bio, a.followers, a.url, iso(now), a.platform, a.user_id),
                )
                index_identity(c, a.platform, a.user_id)
            return int(row["person_id"]), False, False
        # Someone referred this handle before they answered: the placeholder becomes their real identity.
        placeholder = None
        if a.handle:
            placeholder = c.execute(
                """SELECT user_id, person_id FROM identities WHERE platform=? AND user_id LIKE 'handle:%'
                   AND lower(handle)=lower(?) ORDER BY first_seen LIMIT 1""",
                (a.platform, a.handle),
            ).fetchone()
        if placeholder is not None:
            person_id = int(placeholder["person_id"])
            c.execute(
                """UPDATE identities SET user_id=?, handle=?, name=COALESCE(?, name), bio=?, followers=?, url=?,
                       links=?, profile_fetched_at=NULL, updated_at=? WHERE platform=? AND user_id=?""",
                (
                    a.user_id,
                    a.handle,
                    a.name,
                    a.bio,
                    a.followers,
                    a.url,
                    json.dumps([list(x) for x in a.links]),
                    iso(now),
                    a.platform,
                    placeholder["user_id"],
                ),
            )
            # the lead was named by whoever referred them; their own display name is better evidence
            c.execute(
                """UPDATE people SET name=COALESCE(?, name), updated_at=? WHERE id=? AND NOT EXISTS (
                       SELECT 1 FROM identities WHERE person_id=? AND user_id NOT LIKE 'handle:%'
                       AND NOT (platform=? AND user_id=?))""",
                (a.name, iso(now), person_id, person_id, a.platform, a.user_id),
            )
            index_identity(c, a.platform, a.user_id)
            return person_id, False, True
        linked = self._person_for_links(c, a)
        new_person = linked is None
        if linked is not None:
            person_id = linked
        else:
            # A forgotten account that speaks again is filed, but never contacted or shown in a digest.
            status = HIDDEN if is_forgotten(c, forgotten_keys(a.platform, a.user_id, a.handle)) else "new"
            cur = c.execute(
                "INSERT INTO people (name, status, first_seen, updated_at) VALUES (?, ?, ?, ?)",
                (a.name or a.handle or a.user_id, status, iso(now), iso(now)),
            )
            person_id = int(cur.lastrowid or 0)
        c.execute(
            """INSERT INTO identities (platform, user_id, handle, name, bio, followers, url, links, person_id,
                   first_seen, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            (
                a.platform,
                a.user_id,
                a.handle,
                a.name,
                a.bio,
                a.followers,
                a.url,
                json.dumps([list(x) for x in a.links]),
                person_id,
                iso(now),
                iso(now),
            ),
        )
        index_identity(c, a.platform, a.user_id)
        # A referral that named this handle (on this platform) before the person answered now points at them.
        if a.handle:
            c.execute(
                """UPDATE referrals SET to_person_id=? WHERE to_person_id IS NULL AND lower(handle)=lower(?)
                   AND (target_platform IS NULL OR target_platform=?)""",
                (person_id, a.handle, a.platform),
            )
        return person_id, new_person, True

    @staticmethod
    def _person_for_links(c: sqlite3.Connection, a: IdentityData) -> int | None:
        """Same person across platforms only on verified links: an account that says it is the other, whose
        profile says so back (`bot.store.identities.links_back`)."""
        for platform, handle in a.links:
            other = linked_identity(c, platform, handle)
            if other is not None and links_back(other, a.platform, a.handle):
                return int(other["person_id"])
        return None

    @staticmethod
    def _locate(c: sqlite3.Connection, it: InteractionData) -> tuple[str | None, str | None]:
        """Which query (and which of our posts) an interaction belongs to."""
        for ref in (it.parent_id, it.root_id):
            if not ref:
                continue
            row = c.execute(
                "SELECT query_id, platform_id FROM posts WHERE platform=? AND platform_id=?",
                (it.platform, ref),
            ).fetchone()
            if row is not None:
                return row["query_id"], row["platform_id"]
        if it.parent_id:
            row = c.execute(
                "SELECT query_id, post_id FROM interactions WHERE platform=? AND platform_id=?",
                (it.platform, it.parent_id),
            ).fetchone()
            if row is not None:
                return row["query_id"], row["post_id"]
        return None, None

    def _insert_referral(
        self, c: sqlite3.Connection, it: InteractionData, from_person: int, ref: Any, now: datetime
    ) -> None:
        """File one referral. A referral to a handle makes that account a lead (status `referred`) with a
        placeholder identity `handle:<handle>` that its real account replaces when they answer. Idempotent."""
        raw = getattr(ref, "handle", None)
        handle = raw.strip().lstrip("@").lower() if raw else None
        name = getattr(ref, "name", None)
        kind = getattr(ref, "kind", None) or "person"
        target_platform = getattr(ref, "platform", None) or (it.platform if handle else None)
        target = f"{target_platform}:{handle}" if handle else f"name:{(name or '').lower()}"
        if handle and target_platform and is_forgotten(c, forgotten_keys(target_platform, None, handle)):
            return  # they asked to be forgotten: a replay or re-run never files them again
        to_person = None
        if handle and target_platform:
            row = c.execute(
                """SELECT person_id FROM identities WHERE platform=? AND lower(handle)=lower(?)
                   ORDER BY user_id LIKE 'handle:%', first_seen LIMIT 1""",
                (target_platform, handle),
            ).fetchone()
            if row is not None:
                to_person = int(row["person_id"])
            else:
                cur = c.execute(
                    "INSERT INTO people (name, status, first_seen, updated_at) VALUES (?, 'referred', ?, ?)",
                    (name or handle, iso(now), iso(now)),
                )
                to_person = int(cur.lastrowid or 0)
                c.execute(
                    """INSERT INTO identities (platform, user_id, handle, name, person_id, profile_fetched_at,
                           first_seen, updated_at) VALUES (?,?,?,?,?,?,?,?)""",
                    # placeholders have no user id to fetch a profile by: marked fetched so polling skips them
                    (
                        target_platform,
                        f"handle:{handle}",
                        handle,
                        name,
                        to_person,
                        iso(now),
                        iso(now),
                        iso(now),
                    ),
                )
                index_identity(c, target_platform, f"handle:{handle}")
        c.execute(
            """INSERT INTO referrals (platform, interaction_id, target, from_person_id, handle, name,
                   target_platform, kind, to_person_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT DO NOTHING""",
            (
                it.platform,
                it.platform_id,
                target,
                from_person,
                handle,
                name,
                target_platform,
                kind,
                to_person,
                iso(now),
            ),
        )

    def mark_missing_deleted(self, platform: str, present: dict[str, tuple[str, ...]]) -> int:
        """After a complete crawl of a thread: stored replies under that root that are gone were deleted.
        They are marked, never removed."""
        n = 0
        with self.tx() as c:
            for root, ids in present.items():
                marks = ",".join("?" * len(ids))
                extra = f" AND platform_id NOT IN ({marks})" if ids else ""
                cur = c.execute(
                    "UPDATE interactions SET deleted=1 WHERE platform=? AND root_id=? AND kind='reply'"
                    " AND deleted=0" + extra,
                    (platform, root, *ids),
                )
                n += cur.rowcount
        return n
