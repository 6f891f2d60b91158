"""sqbot's schema history from m009 on (`bot.store.migrations` holds m001-m008 and imports this module at its
end, so the order stays the order of definition). Append, never edit an applied one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.migrations import migration

if TYPE_CHECKING:
    import sqlite_utils


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
def m011_database_created(db: sqlite_utils.Database) -> None:
    """When the database was made (`meta`, key `created_at`): it knows everything it sent since then, so an own
    post newer than that is never adopted for a row it has no record of (`bot.publish.outbox`). An older database
    takes its earliest row's time; an empty one (and a `sqbot backup` copy, once restored) is stamped by its
    first sync."""
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta (key, value)
            SELECT 'created_at', MIN(t) FROM (
                SELECT MIN(first_seen) AS t FROM queries
                UNION ALL SELECT MIN(at) FROM api_calls
                UNION ALL SELECT MIN(posted_at) FROM posts
            ) WHERE t IS NOT NULL HAVING MIN(t) IS NOT NULL;
        """
    )


@migration
def m012_job_streak(db: sqlite_utils.Database) -> None:
    """How many runs running a daemon job has failed (`sqbot health` fails from `STREAK_UNHEALTHY` on)."""
    db.executescript("ALTER TABLE job_runs ADD COLUMN streak INTEGER NOT NULL DEFAULT 0;")


@migration
def m013_lookalikes(db: sqlite_utils.Database) -> None:
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
