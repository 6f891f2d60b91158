"""The lead database: one SQLite file, every SQL statement sqbot runs.

Schema changes are `sqlite_utils.Migrations` below (append, never edit an applied one). WAL mode, so a second
reader (Datasette, the CLI) can read while the daemon writes. Every write is idempotent by key: re-polling,
re-posting after a crash and re-running a migration change nothing that is already there. Cursors move in the
same transaction as the rows they cover.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.errors import StoreError, storage_fault
from bot.models import IdentityData, Intent, InteractionData, PublishedPost, Query, WatchedPost
from bot.safety.redact import redact_opt

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils import Migrations

# The migrations, in order. They are applied with `sqlite_utils.Migrations` (see `migration_set`), which is
# imported only when one is pending: opening an up-to-date database costs no sqlite_utils import (CLI start-up).
_REGISTERED: list[Callable[[sqlite_utils.Database], None]] = []


def migration(fn: Callable[[sqlite_utils.Database], None]) -> Callable[[sqlite_utils.Database], None]:
    _REGISTERED.append(fn)
    return fn


def migration_set() -> Migrations:
    """sqbot's schema history as a `sqlite_utils.Migrations` set (named "sqbot")."""
    from sqlite_utils import Migrations

    m = Migrations("sqbot")
    for fn in _REGISTERED:
        m()(fn)
    return m


def __getattr__(name: str) -> Any:
    if name == "migrations":  # `from bot.store.db import migrations` for tools and tests
        return migration_set()
    raise AttributeError(name)


# Outbox states: a post's life (see DESIGN.md). `ready` = an intent exists but was proved absent (retry it as is).
QUEUED, CLAIMED, SENDING, READY, POSTED, NEEDS_REVIEW, FAILED, EXPIRED = (
    "queued",
    "claimed",
    "sending",
    "ready",
    "posted",
    "needs_review",
    "failed",
    "expired",
)
SENDABLE = (QUEUED, READY)


@migration
def m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE queries (
            id TEXT PRIMARY KEY, title TEXT, platforms TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '[]',
            watch_seconds INTEGER NOT NULL, substack_post_url TEXT, source TEXT, line INTEGER,
            first_seen TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE TABLE outbox (
            query_id TEXT NOT NULL REFERENCES queries(id), platform TEXT NOT NULL,
            status TEXT NOT NULL, due_at TEXT NOT NULL, intent TEXT, attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT, claimed_at TEXT, posted_at TEXT, updated_at TEXT NOT NULL,
            PRIMARY KEY (query_id, platform)
        );
        CREATE INDEX outbox_status_due ON outbox(status, due_at);
        CREATE TABLE posts (
            query_id TEXT NOT NULL, platform TEXT NOT NULL, idx INTEGER NOT NULL,
            platform_id TEXT, url TEXT, cid TEXT, status TEXT NOT NULL, text TEXT, posted_at TEXT,
            likes INTEGER NOT NULL DEFAULT 0, reposts INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (query_id, platform, idx)
        );
        CREATE UNIQUE INDEX posts_platform_id ON posts(platform, platform_id);
        CREATE TABLE people (
            id INTEGER PRIMARY KEY, name TEXT, status TEXT NOT NULL DEFAULT 'new', notes TEXT,
            next_follow_up TEXT, first_seen TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE TABLE identities (
            platform TEXT NOT NULL, user_id TEXT NOT NULL, handle TEXT, name TEXT, bio TEXT,
            followers INTEGER, url TEXT, links TEXT NOT NULL DEFAULT '[]',
            person_id INTEGER NOT NULL REFERENCES people(id), profile_fetched_at TEXT,
            first_seen TEXT NOT NULL, updated_at TEXT NOT NULL,
            PRIMARY KEY (platform, user_id)
        );
        CREATE INDEX identities_person ON identities(person_id);
        CREATE INDEX identities_handle ON identities(platform, handle);
        CREATE TABLE interactions (
            platform TEXT NOT NULL, platform_id TEXT NOT NULL, kind TEXT NOT NULL, query_id TEXT,
            post_id TEXT, parent_id TEXT, root_id TEXT, author_user_id TEXT NOT NULL, person_id INTEGER NOT NULL,
            text TEXT NOT NULL, url TEXT, created_at TEXT NOT NULL, fetched_at TEXT NOT NULL,
            mentions TEXT NOT NULL DEFAULT '[]', deleted INTEGER NOT NULL DEFAULT 0,
            intent TEXT, lead_priority TEXT, offers_contact INTEGER, language TEXT,
            PRIMARY KEY (platform, platform_id)
        );
        CREATE INDEX interactions_query ON interactions(query_id, created_at);
        CREATE INDEX interactions_person ON interactions(person_id, created_at);
        CREATE INDEX interactions_fetched ON interactions(fetched_at);
        CREATE TABLE referrals (
            platform TEXT NOT NULL, interaction_id TEXT NOT NULL, target TEXT NOT NULL,
            from_person_id INTEGER NOT NULL, handle TEXT, name TEXT, target_platform TEXT, kind TEXT,
            to_person_id INTEGER, created_at TEXT NOT NULL,
            PRIMARY KEY (platform, interaction_id, target)
        );
        CREATE INDEX referrals_to ON referrals(to_person_id);
        CREATE TABLE cursors (
            platform TEXT NOT NULL, name TEXT NOT NULL, value TEXT, updated_at TEXT NOT NULL,
            PRIMARY KEY (platform, name)
        );
        CREATE TABLE digests (
            window_end TEXT PRIMARY KEY, window_start TEXT NOT NULL, message_id TEXT NOT NULL,
            status TEXT NOT NULL, replies INTEGER NOT NULL DEFAULT 0, people INTEGER NOT NULL DEFAULT 0,
            referrals INTEGER NOT NULL DEFAULT 0, path TEXT, sent_at TEXT
        );
        CREATE TABLE platform_state (
            platform TEXT PRIMARY KEY, deferred_until TEXT, attention TEXT, updated_at TEXT NOT NULL
        );
        CREATE TABLE api_calls (
            id INTEGER PRIMARY KEY, platform TEXT NOT NULL, endpoint TEXT NOT NULL, resources INTEGER NOT NULL,
            usd REAL NOT NULL, at TEXT NOT NULL
        );
        """
    )


@migration
def m002_person_merges(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE person_merges (
            kept INTEGER NOT NULL, dropped INTEGER NOT NULL, evidence TEXT NOT NULL, at TEXT NOT NULL,
            PRIMARY KEY (kept, dropped)
        );
        """
    )


@migration
def m003_people(db: sqlite_utils.Database) -> None:
    """Leads workflow: merges get an id and can be undone; what a merge moved is logged (by triggers, so
    automatic merges are undoable too); a person a merge removed is kept until the merge is undone or they are
    forgotten; `forgotten` holds one-way hashes of forgotten accounts so a replay never re-files them."""
    db.executescript(
        """
        CREATE TABLE person_merges_v3 (
            id INTEGER PRIMARY KEY, kept INTEGER NOT NULL, dropped INTEGER NOT NULL, evidence TEXT NOT NULL,
            at TEXT NOT NULL, undone_at TEXT, kept_status TEXT
        );
        INSERT INTO person_merges_v3 (kept, dropped, evidence, at)
            SELECT kept, dropped, evidence, at FROM person_merges ORDER BY at, kept, dropped;
        DROP TABLE person_merges;
        ALTER TABLE person_merges_v3 RENAME TO person_merges;
        CREATE UNIQUE INDEX person_merges_active ON person_merges(kept, dropped) WHERE undone_at IS NULL;
        CREATE TABLE person_moves (
            id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, key TEXT NOT NULL, col TEXT NOT NULL,
            from_person INTEGER NOT NULL, to_person INTEGER NOT NULL
        );
        CREATE INDEX person_moves_pair ON person_moves(from_person, to_person);
        CREATE TABLE people_removed (
            id INTEGER PRIMARY KEY, name TEXT, status TEXT NOT NULL, notes TEXT, next_follow_up TEXT,
            first_seen TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE TABLE forgotten (key TEXT PRIMARY KEY, at TEXT NOT NULL);
        CREATE INDEX people_status ON people(status);
        CREATE INDEX people_follow_up ON people(next_follow_up);
        CREATE TRIGGER identities_moved AFTER UPDATE OF person_id ON identities
            WHEN OLD.person_id != NEW.person_id BEGIN
            INSERT INTO person_moves (tbl, key, col, from_person, to_person)
                VALUES ('identities', json_array(NEW.platform, NEW.user_id), 'person_id',
                        OLD.person_id, NEW.person_id);
        END;
        CREATE TRIGGER interactions_moved AFTER UPDATE OF person_id ON interactions
            WHEN OLD.person_id != NEW.person_id BEGIN
            INSERT INTO person_moves (tbl, key, col, from_person, to_person)
                VALUES ('interactions', json_array(NEW.platform, NEW.platform_id), 'person_id',
                        OLD.person_id, NEW.person_id);
        END;
        CREATE TRIGGER referrals_from_moved AFTER UPDATE OF from_person_id ON referrals
            WHEN OLD.from_person_id != NEW.from_person_id BEGIN
            INSERT INTO person_moves (tbl, key, col, from_person, to_person)
                VALUES ('referrals', json_array(NEW.platform, NEW.interaction_id, NEW.target), 'from_person_id',
                        OLD.from_person_id, NEW.from_person_id);
        END;
        CREATE TRIGGER referrals_to_moved AFTER UPDATE OF to_person_id ON referrals
            WHEN OLD.to_person_id IS NOT NULL AND NEW.to_person_id IS NOT NULL
                 AND OLD.to_person_id != NEW.to_person_id BEGIN
            INSERT INTO person_moves (tbl, key, col, from_person, to_person)
                VALUES ('referrals', json_array(NEW.platform, NEW.interaction_id, NEW.target), 'to_person_id',
                        OLD.to_person_id, NEW.to_person_id);
        END;
        CREATE TRIGGER person_merged AFTER INSERT ON person_merges BEGIN
            UPDATE person_merges SET kept_status=(SELECT status FROM people WHERE id=NEW.kept) WHERE id=NEW.id;
            UPDATE people SET status=(SELECT status FROM people_removed WHERE id=NEW.dropped)
                WHERE id=NEW.kept AND
                    instr('|new|referred|contacted|talking|done|do-not-contact|',
                          '|' || (SELECT status FROM people_removed WHERE id=NEW.dropped) || '|')
                    > instr('|new|referred|contacted|talking|done|do-not-contact|', '|' || status || '|');
        END;
        CREATE TRIGGER people_deleted BEFORE DELETE ON people BEGIN
            INSERT OR REPLACE INTO people_removed (id, name, status, notes, next_follow_up, first_seen, updated_at)
                VALUES (OLD.id, OLD.name, OLD.status, OLD.notes, OLD.next_follow_up, OLD.first_seen,
                        OLD.updated_at);
        END;
        """
    )


@migration
def m004_daemon(db: sqlite_utils.Database) -> None:
    """The daemon: its heartbeat (one row) and the last run of each job (`post`, `poll:<platform>`, `digest`)."""
    db.executescript(
        """
        CREATE TABLE daemon_state (
            id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER, host TEXT, started_at TEXT, heartbeat_at TEXT,
            heartbeat_seconds REAL, busy_job TEXT, busy_since TEXT, stopped_at TEXT, checked_at TEXT
        );
        CREATE TABLE job_runs (
            job TEXT PRIMARY KEY, last_start TEXT NOT NULL, last_end TEXT, last_ok TEXT, last_error TEXT,
            runs INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0
        );
        """
    )


@migration
def m005_scale(db: sqlite_utils.Database) -> None:
    """Fast at a million interactions: handle lookups are case-insensitive (`lower(handle)`), which the plain
    handle index cannot serve; every new identity, referral and link looks one up (a full scan per row before)."""
    db.executescript(
        """
        CREATE INDEX IF NOT EXISTS identities_handle_lower ON identities(platform, lower(handle));
        CREATE INDEX IF NOT EXISTS referrals_from ON referrals(from_person_id);
        """
    )


@migration
def m006_person_stats(db: sqlite_utils.Database) -> None:
    """Leads at a million interactions: each person's aggregates (what `sqbot leads list` sorts by) kept in
    `person_stats` by triggers, so listing reads one page instead of aggregating every interaction.

    `n`, `last_at`, `offers`: over the person's non-deleted interactions; `refers`: one of them is a referral
    or they filed a referral; `referred`/`referred_at`: someone referred them (latest referral); `pr`: best
    lead priority of their own interactions and of the interactions that referred them (2 when unknown), -1
    for none; `grp`: the listing group (0 referral/offer, 1 referred, 2 the rest; +3 when done or
    do-not-contact). Inserts add to a person's figures; every other change recomputes only the people it
    touches from their own rows. No index serves the listing order: sorting 100,000 people takes ~25 ms,
    while keeping such an index costs ingest ~25% (every new reply moves its author's entry)."""
    pr = "CASE {} WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 WHEN 'none' THEN 0 END"

    def recompute(ids: str) -> str:
        return f"""
            INSERT OR REPLACE INTO person_stats
                (person_id, n, last_at, pr, refers, offers, referred, referred_at, grp)
            SELECT id, n, last_at, pr, refers, offers, referred, referred_at,
                   CASE WHEN refers OR offers THEN 0 WHEN referred THEN 1 ELSE 2 END
                   + CASE WHEN status IN ('done', 'do-not-contact') THEN 3 ELSE 0 END
            FROM (
                SELECT p.id, p.status, COALESCE(o.n, 0) AS n, o.last_at,
                       MAX(COALESCE(o.pr, -1), COALESCE(r.pr, -1)) AS pr,
                       (COALESCE(o.refers, 0)
                        OR EXISTS (SELECT 1 FROM referrals g WHERE g.from_person_id = p.id)) AS refers,
                       COALESCE(o.offers, 0) AS offers, r.person_id IS NOT NULL AS referred,
                       r.at AS referred_at
                FROM people p
                LEFT JOIN (
                    SELECT person_id, COUNT(*) AS n, MAX(created_at) AS last_at,
                           MAX({pr.format("lead_priority")}) AS pr, MAX(intent = 'referral') AS refers,
                           MAX(intent = 'offer' OR COALESCE(offers_contact, 0) = 1) AS offers
                    FROM interactions WHERE deleted = 0 AND person_id IN ({ids}) GROUP BY person_id
                ) o ON o.person_id = p.id
                LEFT JOIN (
                    SELECT r.to_person_id AS person_id, MAX(COALESCE({pr.format("i.lead_priority")}, 2)) AS pr,
                           MAX(r.created_at) AS at
                    FROM referrals r LEFT JOIN interactions i
                         ON i.platform = r.platform AND i.platform_id = r.interaction_id
                    WHERE r.to_person_id IN ({ids}) GROUP BY r.to_person_id
                ) r ON r.person_id = p.id
                WHERE p.id IN ({ids})
            );"""

    closed = "('done', 'do-not-contact')"
    # grp >= 3 exactly when the person is closed (kept so by every statement below): inserts keep that part
    keep_closed = "CASE WHEN grp >= 3 THEN 3 ELSE 0 END"

    # a person added back (unmerge) may already have rows (a new one has none); in either order, these two
    # triggers leave the full figures
    back = """EXISTS (SELECT 1 FROM interactions WHERE person_id = NEW.id)
              OR EXISTS (SELECT 1 FROM referrals WHERE from_person_id = NEW.id)
              OR EXISTS (SELECT 1 FROM referrals WHERE to_person_id = NEW.id)"""

    def targets(alias: str) -> str:
        return (
            f"SELECT to_person_id FROM referrals WHERE platform = {alias}.platform"
            f" AND interaction_id = {alias}.platform_id"
        )

    own_changed = " OR ".join(
        f"OLD.{c} IS NOT NEW.{c}"
        for c in ("person_id", "deleted", "intent", "lead_priority", "offers_contact", "created_at")
    )
    ref_changed = " OR ".join(
        f"OLD.{c} IS NOT NEW.{c}"
        for c in ("from_person_id", "to_person_id", "created_at", "platform", "interaction_id")
    )
    db.executescript(
        f"""
        CREATE TABLE person_stats (
            person_id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0, last_at TEXT,
            pr INTEGER NOT NULL DEFAULT -1, refers INTEGER NOT NULL DEFAULT 0, offers INTEGER NOT NULL DEFAULT 0,
            referred INTEGER NOT NULL DEFAULT 0, referred_at TEXT, grp INTEGER NOT NULL DEFAULT 2
        );
        {recompute("SELECT id FROM people")}

        CREATE TRIGGER person_stats_person_added AFTER INSERT ON people BEGIN
            INSERT OR IGNORE INTO person_stats (person_id, grp)
                VALUES (NEW.id, CASE WHEN NEW.status IN {closed} THEN 5 ELSE 2 END);
        END;
        CREATE TRIGGER person_stats_person_added_back AFTER INSERT ON people WHEN {back} BEGIN
            {recompute("NEW.id")}
        END;
        CREATE TRIGGER person_stats_person_status AFTER UPDATE OF status ON people
            WHEN OLD.status IS NOT NEW.status BEGIN
            UPDATE person_stats SET grp = grp % 3 + CASE WHEN NEW.status IN {closed} THEN 3 ELSE 0 END
            WHERE person_id = NEW.id;
        END;
        CREATE TRIGGER person_stats_person_deleted AFTER DELETE ON people BEGIN
            DELETE FROM person_stats WHERE person_id = OLD.id;
        END;

        CREATE TRIGGER person_stats_interaction_added AFTER INSERT ON interactions
            WHEN NEW.deleted = 0 AND NOT EXISTS ({targets("NEW")} AND to_person_id = NEW.person_id) BEGIN
            UPDATE person_stats SET n = n + 1,
                last_at = CASE WHEN last_at IS NULL OR NEW.created_at > last_at THEN NEW.created_at ELSE last_at END,
                pr = MAX(pr, COALESCE({pr.format("NEW.lead_priority")}, -1)),
                refers = refers OR COALESCE(NEW.intent = 'referral', 0),
                offers = offers OR COALESCE(NEW.intent = 'offer' OR COALESCE(NEW.offers_contact, 0) = 1, 0),
                grp = {keep_closed} + CASE WHEN refers OR offers OR NEW.intent IN ('referral', 'offer')
                                            OR COALESCE(NEW.offers_contact, 0) = 1 THEN 0
                                       WHEN referred THEN 1 ELSE 2 END
            WHERE person_id = NEW.person_id;
        END;
        -- rare: referrals filed before their interaction (re-filed); recomputes the author too when referred
        CREATE TRIGGER person_stats_interaction_added_referrer AFTER INSERT ON interactions
            WHEN EXISTS ({targets("NEW")}) BEGIN
            {recompute(targets("NEW"))}
        END;
        CREATE TRIGGER person_stats_interaction_changed AFTER UPDATE ON interactions WHEN {own_changed} BEGIN
            {recompute("OLD.person_id, NEW.person_id")}
        END;
        CREATE TRIGGER person_stats_interaction_referrer_changed AFTER UPDATE ON interactions
            WHEN OLD.lead_priority IS NOT NEW.lead_priority OR OLD.platform IS NOT NEW.platform
                 OR OLD.platform_id IS NOT NEW.platform_id BEGIN
            {recompute(targets("OLD") + " UNION " + targets("NEW"))}
        END;
        CREATE TRIGGER person_stats_interaction_deleted AFTER DELETE ON interactions BEGIN
            {recompute("SELECT OLD.person_id UNION " + targets("OLD"))}
        END;

        CREATE TRIGGER person_stats_referral_added AFTER INSERT ON referrals BEGIN
            UPDATE person_stats SET refers = 1, grp = {keep_closed} WHERE person_id = NEW.from_person_id;
            UPDATE person_stats SET referred = 1,
                referred_at = CASE WHEN referred_at IS NULL OR NEW.created_at > referred_at
                                   THEN NEW.created_at ELSE referred_at END,
                pr = MAX(pr, COALESCE((SELECT {pr.format("lead_priority")} FROM interactions
                                       WHERE platform = NEW.platform AND platform_id = NEW.interaction_id), 2)),
                grp = {keep_closed} + CASE WHEN refers OR offers THEN 0 ELSE 1 END
            WHERE person_id = NEW.to_person_id;
        END;
        CREATE TRIGGER person_stats_referral_changed AFTER UPDATE ON referrals WHEN {ref_changed} BEGIN
            {recompute("OLD.from_person_id, NEW.from_person_id, OLD.to_person_id, NEW.to_person_id")}
        END;
        CREATE TRIGGER person_stats_referral_deleted AFTER DELETE ON referrals BEGIN
            {recompute("OLD.from_person_id, OLD.to_person_id")}
        END;
        """
    )


@migration
def m007_api_calls_query(db: sqlite_utils.Database) -> None:
    """Metered spend per query (`sqbot stats`): the query a call was made for; NULL = shared (polling)."""
    db.executescript(
        """
        ALTER TABLE api_calls ADD COLUMN query_id TEXT;
        CREATE INDEX IF NOT EXISTS api_calls_platform_at ON api_calls(platform, at);
        """
    )


@migration
def m008_followups(db: sqlite_utils.Database) -> None:
    """Follow-ups (`sqbot leads reply`): one row per message we send to a person, outbound. It is sent through
    the outbox (its `id` is the outbox/queries key, `followup:<person>:<n>`, a key no YAML id can take) and,
    once posted, carries our post's id: the person counts as contacted, and polling never files it as a reply."""
    db.executescript(
        """
        CREATE TABLE followups (
            id TEXT PRIMARY KEY, person_id INTEGER NOT NULL, query_id TEXT, platform TEXT NOT NULL,
            reply_to TEXT, mention TEXT, text TEXT NOT NULL, created_at TEXT NOT NULL,
            post_id TEXT, url TEXT, posted_at TEXT
        );
        CREATE INDEX followups_person ON followups(person_id);
        """
    )


@migration
def m009_merge_rejections(db: sqlite_utils.Database) -> None:
    """A merge suggestion the owner rejected (`sqbot review`): the pair (a < b) is never suggested again."""
    db.executescript(
        """
        CREATE TABLE merge_rejections (
            a INTEGER NOT NULL, b INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (a, b)
        );
        """
    )


def forgotten_keys(platform: str, user_id: str | None, handle: str | None) -> list[str]:
    """One-way keys of an account for the `forgotten` table (no handle or id is kept in clear)."""
    keys = []
    if user_id and not user_id.startswith("handle:"):
        keys.append(hashlib.sha256(f"{platform}:id:{user_id}".encode()).hexdigest())
    if handle:
        keys.append(hashlib.sha256(f"{platform}:handle:{handle.lower().lstrip('@')}".encode()).hexdigest())
    return keys


def forget_salt(c: sqlite3.Connection, *, created_at: datetime | None = None) -> str | None:
    """This database's random salt for `forgotten` keys (kept as a `salt:` row of that table), so a stored key
    cannot be matched against a precomputed list of handle hashes. With `created_at`, one is made if missing."""
    row = c.execute("SELECT key FROM forgotten WHERE key LIKE 'salt:%' LIMIT 1").fetchone()
    if row is not None:
        return str(row[0])[5:]
    if created_at is None:
        return None
    import secrets

    salt = secrets.token_hex(16)
    c.execute("INSERT INTO forgotten (key, at) VALUES (?, ?)", (f"salt:{salt}", iso(created_at)))
    return salt


def salted(salt: str, key: str) -> str:
    return hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()


def _is_forgotten(c: sqlite3.Connection, keys: Sequence[str]) -> bool:
    if not keys:
        return False
    salt = forget_salt(c)
    keys = [*keys, *(salted(salt, k) for k in keys)] if salt else list(keys)  # (unsalted: older databases)
    marks = ",".join("?" * len(keys))
    return c.execute(f"SELECT 1 FROM forgotten WHERE key IN ({marks})", list(keys)).fetchone() is not None


def _owner_only(db: Path) -> None:
    """The database and its -wal/-shm are readable by the owner only, whatever the umask (SQLite creates the
    -wal and -shm with the database file's mode)."""
    for f in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        try:
            if f.exists() and (f.stat().st_mode & 0o777) != 0o600:
                f.chmod(0o600)
        except OSError:
            pass  # not ours (a read-only mount): reading still works, writing reports itself


def iso(dt: datetime) -> str:
    """UTC ISO-8601 with a Z-less +00:00 offset, sortable as text."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime given to the store; sqbot only uses aware UTC datetimes")
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(s: str) -> datetime:
    dt = datetime.fromisoformat(s)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------------------- lost databases
TRACE_SUFFIXES = ("-wal", "-shm", ".publish.lock")  # files sqbot leaves beside its database


def foreign_database_message(p: Path, what: str) -> str:
    return (
        f"refusing to use {p}: it is {what}; sqbot never initialises over an existing file. Restore the "
        f"database from a `sqbot backup` copy, or move {p.name} aside to start fresh (posts already made are "
        "then found on the platforms and adopted, not posted again)"
    )


def check_database_file(p: Path) -> bool:
    """Refuse a database file that is not sqbot's: empty (0 bytes), foreign, unreadable or not a file, and a
    missing one whose journal or lock files are still there (it was deleted or moved). True if it exists (then
    SQLite itself tells a foreign file once it is open), False when this is a first run."""
    try:
        st = p.stat()
    except FileNotFoundError:
        traces = [p.name + s for s in TRACE_SUFFIXES if (p.parent / (p.name + s)).exists()]
        if traces:
            raise StoreError(
                f"refusing to create {p}: it is missing but {', '.join(traces)} beside it show a sqbot database "
                f"was there (deleted or moved). Restore it from a `sqbot backup` copy, or delete "
                f"{', '.join(traces)} to start fresh (posts already made are then found on the platforms and "
                "adopted, not posted again)"
            ) from None
        return False
    except OSError as e:
        raise StoreError(foreign_database_message(p, f"unreadable ({e.strerror})")) from None
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(foreign_database_message(p, "not a regular file (unreadable as a database)"))
    if st.st_size == 0:
        raise StoreError(foreign_database_message(p, "empty (0 bytes; truncated or lost)"))
    if not os.access(p, os.R_OK, effective_ids=os.access in os.supports_effective_ids):
        raise StoreError(foreign_database_message(p, "unreadable (Permission denied)"))
    # Never open() the file here: closing any descriptor of a database file drops every POSIX lock this process
    # holds on it (another thread's SQLite connection, e.g. the stream's), which SQLite cannot survive. A file
    # that is not SQLite is told by SQLite itself when it is opened ("file is not a database").
    return True


def create_database_file(p: Path) -> None:
    """A first run: build the schema in a temporary file beside `p`, then rename it into place, so a file named
    like the database is always a whole sqbot database (never an empty one left by a crash)."""
    tmp = p.parent / f".{p.name}.new-{os.getpid()}"
    for leftover in [tmp] + [Path(str(tmp) + s) for s in ("-wal", "-shm", "-journal")]:
        leftover.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            migration_set().apply(Store(conn, str(tmp)).db)
        finally:
            conn.close()
        os.replace(tmp, p)
    except sqlite3.DatabaseError as e:
        tmp.unlink(missing_ok=True)
        fault = storage_fault(e, p.parent) if isinstance(e, sqlite3.OperationalError) else None
        raise fault or StoreError(f"cannot create the database {p}: {e}; check the data folder") from None
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise storage_fault(e, p.parent) or StoreError(
            f"cannot create the database {p}: {e.strerror}; check the data folder"
        ) from None


@dataclass(frozen=True)
class OutboxRow:
    query_id: str
    platform: str
    status: str
    due_at: datetime
    intent: Intent | None
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class IngestReport:
    new_interactions: int
    new_people: int
    new_identities: tuple[tuple[str, str], ...]  # (platform, user_id) first seen in this batch
    deleted: int


class Store:
    """One connection to the lead database. Not shared across threads."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """The same connection as a `sqlite_utils.Database` (migrations, tools)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def is_sqbot_database(self) -> bool:
        """True when the file carries sqbot's migration history (every sqbot database has it from its start)."""
        try:
            row = self.conn.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE migration_set='sqbot' LIMIT 1"
            ).fetchone()
        except sqlite3.OperationalError as e:
            if "no such table" in str(e):  # no migrations table: not created by sqbot
                return False
            raise  # a storage fault (full disk, read-only, locked): said as such by the caller
        return row is not None

    def pending_migrations(self) -> list[str]:
        known = [fn.__name__ for fn in _REGISTERED]
        try:
            rows = self.conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set='sqbot'")
        except sqlite3.OperationalError:  # a new database: no migrations table yet
            return known
        applied = {r[0] for r in rows}
        return [n for n in known if n not in applied]

    # ------------------------------------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, path: str | Path, *, create_parent: bool = True) -> Store:
        p = Path(path)
        if not p.parent.exists():
            if not create_parent:
                raise StoreError(f"the database folder {p.parent} does not exist; create it or set SQBOT_DB")
            try:
                p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as e:
                raise StoreError(
                    f"cannot create the data folder {p.parent}: {e.strerror}; set SQBOT_DATA_DIR"
                ) from None
        if not check_database_file(p):
            create_database_file(p)
        try:
            conn = sqlite3.connect(str(p), timeout=30, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            store = cls(conn, str(p))
            conn.execute("PRAGMA busy_timeout=30000")
            if not store.is_sqbot_database():  # checked before anything below can write to the file
                conn.close()
                raise StoreError(
                    foreign_database_message(p, "a SQLite database, but not sqbot's (no sqbot schema)")
                )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            _owner_only(p)
            if store.pending_migrations():
                migration_set().apply(store.db)
        except sqlite3.DatabaseError as e:
            if "file is not a database" in str(e):
                raise StoreError(foreign_database_message(p, "not a SQLite database")) from None
            fault = storage_fault(e, p) if isinstance(e, sqlite3.OperationalError) else None
            raise fault or StoreError(f"cannot open the database {p}: {e}; is it a sqbot database?") from None
        return store

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken at once (BEGIN IMMEDIATE), so claims are atomic across processes."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            fault = storage_fault(e, self.path)
            raise fault or StoreError(
                f"the database is busy or read-only ({e}); is another sqbot writing?"
            ) from None
        try:
            yield self.conn
        except BaseException as e:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            fault = storage_fault(e, self.path) if isinstance(e, sqlite3.OperationalError) else None
            if fault is not None:
                raise fault from None
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as e:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise storage_fault(e, self.path) or StoreError(f"cannot write the database: {e}") from None

    def q(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params).fetchall())

    # ------------------------------------------------------------------------------------------ queries
    def sync_queries(self, queries: Iterable[tuple[Query, dict[str, datetime]]], now: datetime) -> int:
        """Record queries and give each (query, platform) an outbox row with its due time.

        Rows already posted, sending or under review keep everything; a queued row follows the YAML's time.
        Returns how many outbox rows were created."""
        created = 0
        with self.tx() as c:
            for query, due in queries:
                c.execute(
                    """INSERT INTO queries (id, title, platforms, tags, watch_seconds, substack_post_url,
                           source, line, first_seen, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)
                       ON CONFLICT(id) DO UPDATE SET title=excluded.title, platforms=excluded.platforms,
                           tags=excluded.tags, watch_seconds=excluded.watch_seconds,
                           substack_post_url=excluded.substack_post_url, source=excluded.source,
                           line=excluded.line, updated_at=excluded.updated_at""",
                    (
                        query.id,
                        query.title,
                        json.dumps(list(query.platforms)),
                        json.dumps(list(query.tags)),
                        int(query.watch.total_seconds()),
                        query.substack_post_url,
                        query.source,
                        query.line,
                        iso(now),
                        iso(now),
                    ),
                )
                for platform, due_at in due.items():
                    exists = c.execute(
                        "SELECT 1 FROM outbox WHERE query_id=? AND platform=?", (query.id, platform)
                    ).fetchone()
                    if exists:
                        c.execute(
                            f"""UPDATE outbox SET due_at=?, updated_at=? WHERE query_id=? AND platform=?
                                AND status='{QUEUED}' AND due_at != ?""",
                            (iso(due_at), iso(now), query.id, platform, iso(due_at)),
                        )
                    else:
                        c.execute(
                            """INSERT INTO outbox (query_id, platform, status, due_at, updated_at)
                               VALUES (?,?,?,?,?)""",
                            (query.id, platform, QUEUED, iso(due_at), iso(now)),
                        )
                        created += 1
        return created

    def taken_slots(self) -> list[datetime]:
        return [parse_iso(r["due_at"]) for r in self.q("SELECT DISTINCT due_at FROM outbox")]

    def outbox(self, *, statuses: Sequence[str] | None = None) -> list[OutboxRow]:
        sql = "SELECT * FROM outbox"
        params: list[Any] = []
        if statuses:
            sql += f" WHERE status IN ({','.join('?' * len(statuses))})"
            params = list(statuses)
        rows = self.q(sql + " ORDER BY due_at, query_id, platform", params)
        return [self._outbox_row(r) for r in rows]

    def outbox_row(self, query_id: str, platform: str) -> OutboxRow | None:
        rows = self.q("SELECT * FROM outbox WHERE query_id=? AND platform=?", (query_id, platform))
        return self._outbox_row(rows[0]) if rows else None

    def _outbox_row(self, r: sqlite3.Row) -> OutboxRow:
        intent = None
        if r["intent"]:
            done = tuple(
                PublishedPost(index=p["idx"], platform_id=p["platform_id"], url=p["url"], cid=p["cid"])
                for p in self.q(
                    "SELECT * FROM posts WHERE query_id=? AND platform=? AND status='posted' ORDER BY idx",
                    (r["query_id"], r["platform"]),
                )
            )
            intent = Intent(r["query_id"], r["platform"], json.loads(r["intent"]), done)
        return OutboxRow(
            query_id=r["query_id"],
            platform=r["platform"],
            status=r["status"],
            due_at=parse_iso(r["due_at"]),
            intent=intent,
            attempts=r["attempts"],
            last_error=r["last_error"],
        )

    def claim(self, query_id: str, platform: str, now: datetime) -> bool:
        """Atomically take a due row for sending; False if someone else has it or it is not sendable."""
        with self.tx() as c:
            cur = c.execute(
                f"""UPDATE outbox SET status='{CLAIMED}', claimed_at=?, attempts=attempts+1, updated_at=?
                    WHERE query_id=? AND platform=? AND status IN ('{QUEUED}','{READY}') AND due_at <= ?""",
                (iso(now), iso(now), query_id, platform, iso(now)),
            )
            return cur.rowcount == 1

    def record_intent(self, intent: Intent, texts: Sequence[str], now: datetime) -> None:
        """Store the exact intent *before* the platform call; the row moves to `sending`."""
        with self.tx() as c:
            c.execute(
                f"UPDATE outbox SET status='{SENDING}', intent=?, updated_at=? WHERE query_id=? AND platform=?",
                (json.dumps(intent.payload, sort_keys=True), iso(now), intent.query_id, intent.platform),
            )
            for i, text in enumerate(texts):
                c.execute(
                    """INSERT INTO posts (query_id, platform, idx, status, text) VALUES (?,?,?,?,?)
                       ON CONFLICT(query_id, platform, idx) DO NOTHING""",
                    (intent.query_id, intent.platform, i, "pending", text),
                )

    def mark_sending(self, query_id: str, platform: str, now: datetime) -> None:
        with self.tx() as c:
            c.execute(
                f"UPDATE outbox SET status='{SENDING}', updated_at=? WHERE query_id=? AND platform=?",
                (iso(now), query_id, platform),
            )

    def record_post(self, query_id: str, platform: str, post: PublishedPost, now: datetime) -> None:
        with self.tx() as c:
            c.execute(
                """INSERT INTO posts (query_id, platform, idx, platform_id, url, cid, status, posted_at)
                   VALUES (?,?,?,?,?,?,'posted',?) ON CONFLICT(query_id, platform, idx) DO UPDATE SET
                   platform_id=excluded.platform_id, url=excluded.url, cid=excluded.cid, status='posted',
                   posted_at=COALESCE(posts.posted_at, excluded.posted_at)""",
                (query_id, platform, post.index, post.platform_id, post.url, post.cid, iso(now)),
            )

    def set_outbox_status(
        self, query_id: str, platform: str, status: str, now: datetime, error: str | None = None
    ) -> None:
        with self.tx() as c:
            c.execute(
                """UPDATE outbox SET status=?, last_error=?, updated_at=?,
                       posted_at=CASE WHEN ?='posted' THEN COALESCE(posted_at, ?) ELSE posted_at END
                   WHERE query_id=? AND platform=?""",
                (status, redact_opt(error), iso(now), status, iso(now), query_id, platform),
            )

    def post_ids(self, platform: str) -> set[str]:
        """Every platform id some query's post already has (a post is adopted by one query only)."""
        rows = self.q(
            "SELECT platform_id FROM posts WHERE platform=? AND platform_id IS NOT NULL", (platform,)
        )
        return {str(r["platform_id"]) for r in rows}

    def adopt_posts(
        self,
        query_id: str,
        platform: str,
        posts: Sequence[PublishedPost],
        texts: Sequence[str],
        now: datetime,
        *,
        complete: bool,
        note: str,
        posted_at: Mapping[int, datetime] | None = None,
    ) -> None:
        """Posts found on the platform for a (query, platform) this database had no record of (a lost or
        restored database): stored as posted, in one transaction; the row is `posted` when the whole thread was
        found, else it keeps its status (the rest is sent, after these). `posted_at`: when the platform says
        each post (by index) was made; the watch window runs from then."""
        when = {i: iso(t) for i, t in (posted_at or {}).items()}
        with self.tx() as c:
            for post in posts:
                c.execute(
                    """INSERT INTO posts (query_id, platform, idx, platform_id, url, cid, status, text, posted_at)
                       VALUES (?,?,?,?,?,?,'posted',?,?) ON CONFLICT(query_id, platform, idx) DO UPDATE SET
                       platform_id=excluded.platform_id, url=excluded.url, cid=excluded.cid, status='posted',
                       text=COALESCE(posts.text, excluded.text),
                       posted_at=COALESCE(posts.posted_at, excluded.posted_at)""",
                    (
                        query_id,
                        platform,
                        post.index,
                        post.platform_id,
                        post.url,
                        post.cid,
                        texts[post.index] if post.index < len(texts) else None,
                        when.get(post.index, iso(now)),
                    ),
                )
            if complete:
                c.execute(
                    f"""UPDATE outbox SET status='{POSTED}', last_error=?, updated_at=?,
                           posted_at=COALESCE(posted_at, ?) WHERE query_id=? AND platform=?""",
                    (note, iso(now), when.get(0, iso(now)), query_id, platform),
                )
            else:
                c.execute(
                    "UPDATE outbox SET last_error=?, updated_at=? WHERE query_id=? AND platform=?",
                    (note, iso(now), query_id, platform),
                )

    def posts_of(self, query_id: str | None = None) -> list[sqlite3.Row]:
        if query_id:
            return self.q("SELECT * FROM posts WHERE query_id=? ORDER BY platform, idx", (query_id,))
        return self.q("SELECT * FROM posts ORDER BY query_id, platform, idx")

    def watched_posts(self, platform: str, now: datetime) -> list[WatchedPost]:
        """Our posted posts on `platform` whose query is still inside its `watch` window."""
        rows = self.q(
            """SELECT p.query_id, p.platform_id, p.idx, p.posted_at, q.watch_seconds FROM posts p
               JOIN queries q ON q.id = p.query_id
               WHERE p.platform=? AND p.status='posted' AND p.platform_id IS NOT NULL
               ORDER BY p.posted_at, p.query_id, p.idx""",
            (platform,),
        )
        out = []
        for r in rows:
            posted = parse_iso(r["posted_at"])
            if posted + timedelta(seconds=r["watch_seconds"]) >= now:
                out.append(WatchedPost(r["query_id"], r["platform_id"], r["idx"], posted))
        return out

    def add_watched(self, query_id: str, platform: str, post: PublishedPost, now: datetime) -> None:
        """A post published by hand (Substack long query) that is only polled."""
        self.record_post(query_id, platform, post, now)
        self.set_outbox_status(query_id, platform, POSTED, now)

    # ------------------------------------------------------------------------------------------ platforms
    def platform_state(self, platform: str) -> sqlite3.Row | None:
        rows = self.q("SELECT * FROM platform_state WHERE platform=?", (platform,))
        return rows[0] if rows else None

    def set_platform_state(
        self,
        platform: str,
        now: datetime,
        *,
        deferred_until: datetime | None = None,
        attention: str | None = None,
    ) -> None:
        with self.tx() as c:
            c.execute(
                """INSERT INTO platform_state (platform, deferred_until, attention, updated_at) VALUES (?,?,?,?)
                   ON CONFLICT(platform) DO UPDATE SET deferred_until=excluded.deferred_until,
                   attention=excluded.attention, updated_at=excluded.updated_at""",
                (platform, iso(deferred_until) if deferred_until else None, redact_opt(attention), iso(now)),
            )

    def deferred_until(self, platform: str) -> datetime | None:
        st = self.platform_state(platform)
        return parse_iso(st["deferred_until"]) if st and st["deferred_until"] else None

    def record_api_call(
        self,
        platform: str,
        endpoint: str,
        resources: int,
        usd: float,
        now: datetime,
        query_id: str | None = None,
    ) -> None:
        with self.tx() as c:
            c.execute(
                "INSERT INTO api_calls (platform, endpoint, resources, usd, at, query_id) VALUES (?,?,?,?,?,?)",
                (platform, endpoint, resources, usd, iso(now), query_id),
            )

    def spent_this_month(self, platform: str, now: datetime) -> float:
        """Metered spend since the first of `now`'s month (UTC): what a monthly budget is checked against."""
        month = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return self.spent_usd(platform, month)

    def spent_usd(self, platform: str, since: datetime) -> float:
        row = self.q(
            "SELECT COALESCE(SUM(usd),0) AS s FROM api_calls WHERE platform=? AND at>=?",
            (platform, iso(since)),
        )
        return float(row[0]["s"])

    # ------------------------------------------------------------------------------------------ polling
    def get_cursor(self, platform: str, name: str = "main") -> str | None:
        rows = self.q("SELECT value FROM cursors WHERE platform=? AND name=?", (platform, name))
        return rows[0]["value"] if rows else None

    def set_cursor(self, platform: str, name: str, value: str, now: datetime) -> None:
        """A cursor that covers no rows of its own (e.g. the newest own post a look-up saw)."""
        with self.tx() as c:
            c.execute(
                """INSERT INTO cursors (platform, name, value, updated_at) VALUES (?,?,?,?)
                   ON CONFLICT(platform, name) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at""",
                (platform, name, value, iso(now)),
            )

    def cursor_updated_at(self, platform: str, name: str = "main") -> datetime | None:
        rows = self.q("SELECT updated_at FROM cursors WHERE platform=? AND name=?", (platform, name))
        return parse_iso(rows[0]["updated_at"]) if rows else None

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
                person_id, is_new_person, is_new_ident = self._upsert_identity(c, it.author, now)
                new_people += is_new_person
                if is_new_ident:
                    new_idents.append((it.author.platform, it.author.user_id))
                query_id, post_id = self._locate(c, it)
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
        return IngestReport(new_inter, new_people, tuple(new_idents), deleted)

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
            return person_id, False, True
        linked = self._person_for_links(c, a)
        new_person = linked is None
        if linked is not None:
            person_id = linked
        else:
            # A forgotten account that speaks again is filed, but never contacted or shown in a digest.
            status = (
                "do-not-contact"
                if _is_forgotten(c, forgotten_keys(a.platform, a.user_id, a.handle))
                else "new"
            )
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
        """Same person across platforms only on hard evidence: an account that says it is the other."""
        for platform, handle in a.links:
            row = c.execute(
                "SELECT person_id FROM identities WHERE platform=? AND lower(handle)=lower(?)",
                (platform, handle),
            ).fetchone()
            if row is not None:
                return int(row["person_id"])
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
        if handle and target_platform and _is_forgotten(c, forgotten_keys(target_platform, None, handle)):
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

    def merge_by_links(self, now: datetime) -> int:
        """One person across platforms, on hard evidence only: an account whose profile links another account
        (Substack's linked X account, a bio link) is the same person. Returns how many merges were made."""
        merges = 0
        with self.tx() as c:
            for row in c.execute(
                "SELECT platform, user_id, person_id, links FROM identities WHERE links != '[]'"
            ):
                for platform, handle in json.loads(row["links"]):
                    other = c.execute(
                        "SELECT person_id FROM identities WHERE platform=? AND lower(handle)=lower(?)",
                        (platform, handle),
                    ).fetchone()
                    if other is None:
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
                            f"{row['platform']}:{row['user_id']} links {platform}:{handle}",
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

    def set_post_counters(self, platform: str, counters: dict[str, int]) -> None:
        """`counters` maps 'likes:<platform_id>' / 'reposts:<platform_id>' to totals."""
        with self.tx() as c:
            for key, value in counters.items():
                kind, _, pid = key.partition(":")
                if kind in ("likes", "reposts"):
                    c.execute(
                        f"UPDATE posts SET {kind}=? WHERE platform=? AND platform_id=?",
                        (value, platform, pid),
                    )

    # ------------------------------------------------------------------------------------------ leads
    def leads(self, *, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """One dict per person, most recently active first (the shape of `sqbot leads list --json`)."""
        sql = """SELECT p.id, p.name, p.status, p.next_follow_up, p.notes,
                        MAX(i.created_at) AS last_at, COUNT(i.platform_id) AS n
                 FROM people p LEFT JOIN interactions i ON i.person_id = p.id
                 GROUP BY p.id ORDER BY last_at DESC, p.id"""
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [limit, offset]
        people = self.q(sql, params)
        out = []
        for p in people:
            pid = p["id"]
            idents = self.q(
                "SELECT platform, user_id, handle, name, bio, followers FROM identities WHERE person_id=?"
                " ORDER BY platform, user_id",
                (pid,),
            )
            queries = [
                r["query_id"]
                for r in self.q(
                    "SELECT DISTINCT query_id FROM interactions WHERE person_id=? AND query_id IS NOT NULL"
                    " ORDER BY query_id",
                    (pid,),
                )
            ]
            referred_by = [
                {"person_id": r["from_person_id"], "name": r["name"]}
                for r in self.q(
                    """SELECT DISTINCT r.from_person_id, pp.name FROM referrals r
                       JOIN people pp ON pp.id = r.from_person_id WHERE r.to_person_id=?
                       ORDER BY r.from_person_id""",
                    (pid,),
                )
            ]
            out.append(
                {
                    "person_id": pid,
                    "name": p["name"],
                    "status": p["status"],
                    "next_follow_up": p["next_follow_up"],
                    "identities": [
                        {"platform": i["platform"], "user_id": i["user_id"], "handle": i["handle"]}
                        for i in idents
                    ],
                    "queries": queries,
                    "interactions": p["n"],
                    "referred_by": referred_by,
                    "last_at": p["last_at"],
                }
            )
        return out

    def counts(self) -> dict[str, int]:
        tables = ("queries", "posts", "people", "identities", "interactions", "referrals", "digests")
        return {t: int(self.q(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"]) for t in tables}

    # ------------------------------------------------------------------------------------------ daemon
    def expire_overdue(self, cutoff: datetime, now: datetime) -> list[OutboxRow]:
        """Downtime policy: sendable rows due before `cutoff` become `expired` (never posted late in a burst).
        Returns them, so the caller reports each one."""
        with self.tx() as c:
            rows = c.execute(
                f"""SELECT * FROM outbox WHERE status IN ('{QUEUED}','{READY}') AND due_at < ?
                    ORDER BY due_at, query_id, platform""",
                (iso(cutoff),),
            ).fetchall()
            for r in rows:
                c.execute(
                    f"""UPDATE outbox SET status='{EXPIRED}', last_error=?, updated_at=?
                        WHERE query_id=? AND platform=? AND status IN ('{QUEUED}','{READY}')""",
                    (
                        f"due {r['due_at']}, missed by more than the catch-up window while sqbot was down; "
                        "not posted (give it a new `at:` in the queue to post it)",
                        iso(now),
                        r["query_id"],
                        r["platform"],
                    ),
                )
        return [self._outbox_row(r) for r in rows]

    def set_daemon_state(self, **fields: str | int | float | None) -> None:
        """Upsert the daemon's one row; keys are columns of `daemon_state`."""
        cols = {"pid", "host", "started_at", "heartbeat_at", "heartbeat_seconds", "busy_job", "busy_since"}
        cols |= {"stopped_at", "checked_at"}
        if not fields or not set(fields) <= cols:
            raise ValueError(f"unknown daemon_state columns: {sorted(set(fields) - cols)}")
        names = sorted(fields)
        with self.tx() as c:
            c.execute(
                f"""INSERT INTO daemon_state (id, {", ".join(names)}) VALUES (1, {", ".join("?" * len(names))})
                    ON CONFLICT(id) DO UPDATE SET {", ".join(f"{n}=excluded.{n}" for n in names)}""",
                [fields[n] for n in names],
            )

    def daemon_state(self) -> sqlite3.Row | None:
        rows = self.q("SELECT * FROM daemon_state WHERE id=1")
        return rows[0] if rows else None

    def record_job_run(self, job: str, start: datetime, end: datetime, error: str | None) -> None:
        with self.tx() as c:
            c.execute(
                """INSERT INTO job_runs (job, last_start, last_end, last_ok, last_error, runs, failures)
                   VALUES (?,?,?,?,?,1,?) ON CONFLICT(job) DO UPDATE SET last_start=excluded.last_start,
                   last_end=excluded.last_end, last_ok=COALESCE(excluded.last_ok, job_runs.last_ok),
                   last_error=excluded.last_error, runs=job_runs.runs+1,
                   failures=job_runs.failures+excluded.failures""",
                (
                    job,
                    iso(start),
                    iso(end),
                    None if error else iso(end),
                    redact_opt(error),
                    1 if error else 0,
                ),
            )

    def job_runs(self) -> dict[str, sqlite3.Row]:
        return {r["job"]: r for r in self.q("SELECT * FROM job_runs ORDER BY job")}
