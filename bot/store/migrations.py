"""sqbot's schema history: `sqlite_utils.Migrations` functions, in order (append, never edit an applied one).

The functions' names are what `_sqlite_migrations` records in every database: they (and their bodies) never
change. `sqlite_utils` is imported only when one is pending (`migration_set`): opening an up-to-date database
costs no sqlite_utils import (CLI start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils import Migrations

# The migrations, in order (`@migration` appends).
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


def migration_names() -> list[str]:
    """Every migration's name, in order (what `_sqlite_migrations` holds once all are applied)."""
    return [fn.__name__ for fn in _REGISTERED]


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


@migration
def m010_corrections(db: sqlite_utils.Database) -> None:
    """The owner's corrections of a reply's labels (`sqbot leads correct`, the review's person page): its intent
    and exactly whom it refers to (`referrals`: JSON `[[handle, name, platform, kind], ...]`), kept over every
    re-run of the rules (`sqbot understand --reprocess`)."""
    db.executescript(
        """
        CREATE TABLE corrections (
            platform TEXT NOT NULL, interaction_id TEXT NOT NULL, intent TEXT NOT NULL,
            referrals TEXT NOT NULL DEFAULT '[]', at TEXT NOT NULL,
            PRIMARY KEY (platform, interaction_id)
        );
        """
    )


@migration
def m011_lookalikes(db: sqlite_utils.Database) -> None:
    """The review at a million interactions. A person's merge suggestions by index (`bot.store.lookalikes`):
    each identity's look-alike keys (`name_key`, `handle_key`, the sites it links in `identity_sites`;
    `keys_ok` NULL when a change made behind the store's back left them stale), filled in here for the identities
    already filed. And a digest window's people read from an index alone: `interactions_window` (who answered
    in it, not deleted, not spam; it replaces `interactions_fetched`, its first column) and
    `interactions_person_fetched` (whether they were heard from before it: one probe per person)."""
    from bot.store.lookalikes import index_all

    db.executescript(
        """
        ALTER TABLE identities ADD COLUMN name_key TEXT;
        ALTER TABLE identities ADD COLUMN handle_key TEXT;
        ALTER TABLE identities ADD COLUMN keys_ok INTEGER;
        CREATE TABLE identity_sites (site TEXT NOT NULL, ident INTEGER NOT NULL, PRIMARY KEY (site, ident))
            WITHOUT ROWID;
        CREATE INDEX identity_sites_ident ON identity_sites(ident);
        CREATE INDEX identities_name_key ON identities(name_key);
        CREATE INDEX identities_handle_key ON identities(handle_key);
        CREATE INDEX identities_keys_stale ON identities(keys_ok) WHERE keys_ok IS NULL;
        CREATE INDEX interactions_person_fetched ON interactions(person_id, fetched_at);
        CREATE INDEX interactions_window ON interactions(fetched_at, person_id, deleted, intent);
        DROP INDEX interactions_fetched;
        CREATE TRIGGER identities_keys_stale AFTER UPDATE OF platform, user_id, handle, name, bio, url
            ON identities
        BEGIN
            UPDATE identities SET keys_ok = NULL WHERE rowid = NEW.rowid;
            DELETE FROM identity_sites WHERE ident = NEW.rowid;
        END;
        CREATE TRIGGER identities_keys_gone AFTER DELETE ON identities
        BEGIN
            DELETE FROM identity_sites WHERE ident = OLD.rowid;
        END;
        """
    )
    index_all(db.conn)  # in the migration's transaction
