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


@migration
def m014_referred_priority_cap(db: sqlite_utils.Database) -> None:
    """What others say about someone counts at most medium while only one person referred them (issue 18:
    "talk to @famous_person" in a high-priority reply made a stranger a high-priority lead): `person_stats.pr`
    takes the referring replies' best priority capped at 2 unless two or more different people referred them
    (`bot.leads.ranking.referred_priority`). m006's body stays as it was; this replaces the triggers that compute
    the referred part (each with the same name, event and condition) and recomputes every person."""
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
                       MAX(COALESCE(o.pr, -1),
                           COALESCE(CASE WHEN r.referrers >= 2 THEN r.pr ELSE MIN(r.pr, 2) END, -1)) AS pr,
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
                           MAX(r.created_at) AS at, COUNT(DISTINCT r.from_person_id) AS referrers
                    FROM referrals r LEFT JOIN interactions i
                         ON i.platform = r.platform AND i.platform_id = r.interaction_id
                    WHERE r.to_person_id IN ({ids}) GROUP BY r.to_person_id
                ) r ON r.person_id = p.id
                WHERE p.id IN ({ids})
            );"""

    keep_closed = "CASE WHEN grp >= 3 THEN 3 ELSE 0 END"
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
    replaced = (
        "person_added_back",
        "interaction_added_referrer",
        "interaction_changed",
        "interaction_referrer_changed",
        "interaction_deleted",
        "referral_added",
        "referral_changed",
        "referral_deleted",
    )
    drops = "".join(f"DROP TRIGGER IF EXISTS person_stats_{name};\n" for name in replaced)
    db.executescript(
        f"""
        {drops}
        {recompute("SELECT id FROM people")}

        CREATE TRIGGER person_stats_person_added_back AFTER INSERT ON people WHEN {back} BEGIN
            {recompute("NEW.id")}
        END;
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

        -- the referrer's figures change by one flag; the referred person's priority needs their referrers
        CREATE TRIGGER person_stats_referral_added AFTER INSERT ON referrals BEGIN
            UPDATE person_stats SET refers = 1, grp = {keep_closed} WHERE person_id = NEW.from_person_id;
            {recompute("NEW.to_person_id")}
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
def m015_forgotten_writes(db: sqlite_utils.Database) -> None:
    """What forgotten accounts wrote since (`sqbot status`: counted, not stored): one row per reply, keyed by a
    salted one-way hash of its platform id (a re-read counts once; nothing names the account or says what it
    wrote), with the platform and when it was first seen."""
    db.executescript(
        """
        CREATE TABLE forgotten_writes (key TEXT PRIMARY KEY, platform TEXT NOT NULL, at TEXT NOT NULL);
        """
    )
