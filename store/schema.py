"""Schema migrations, registered in order with sqlite-utils' `Migrations`.

A database records which migrations it has had (table `_sqlite_migrations`) and mirrors their
count in `PRAGMA user_version`, so a newer database is recognised without reading tables.
Never edit a released migration: add a new one.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("afmon")


def run_script(db: Database, script: str) -> None:
    """Execute `script` statement by statement: unlike `executescript`, this never commits,
    so a migration stays inside the caller's transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""
    if statement.strip():
        db.conn.execute(statement)


@MIGRATIONS(name="0001_initial")
def _initial(db: Database) -> None:
    run_script(
        db,
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            url TEXT NOT NULL UNIQUE,          -- as configured
            current_url TEXT NOT NULL,         -- after permanent redirects
            outlet TEXT NOT NULL,
            language TEXT,
            enabled INTEGER NOT NULL DEFAULT 1,
            in_config INTEGER NOT NULL DEFAULT 1,
            etag TEXT,
            last_modified TEXT,
            body_hash TEXT,
            status TEXT NOT NULL DEFAULT 'new',
            http_status INTEGER,
            last_attempt REAL,
            last_success REAL,
            last_error TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,
            next_try REAL,
            warning TEXT,
            item_count INTEGER NOT NULL DEFAULT 0,
            last_item_at REAL,
            mean_gap REAL,
            ttl REAL
        );

        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            title TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            link TEXT,
            author TEXT,
            language TEXT,
            published REAL NOT NULL,
            published_raw TEXT,
            first_seen REAL NOT NULL,
            updated REAL,
            content_hash TEXT NOT NULL,
            read INTEGER NOT NULL DEFAULT 0,
            flagged INTEGER NOT NULL DEFAULT 0,
            note TEXT,
            UNIQUE (feed_id, key)
        );
        CREATE INDEX items_published ON items (published DESC, id DESC);
        CREATE INDEX items_feed_published ON items (feed_id, published DESC);

        -- One row per (item, code); `published` is copied from the item so that
        -- "province X in the last 7 days, newest first" is a single index range scan.
        CREATE TABLE tags (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            code TEXT NOT NULL,
            published REAL NOT NULL,
            evidence TEXT NOT NULL,            -- JSON [[start, end, text], ...]
            PRIMARY KEY (item_id, code)
        ) WITHOUT ROWID;
        CREATE INDEX tags_code_published ON tags (code, published DESC, item_id);

        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            rule TEXT NOT NULL,
            item_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
            raised REAL NOT NULL,
            message TEXT NOT NULL,
            UNIQUE (rule, item_id)
        );
        CREATE INDEX alerts_raised ON alerts (raised DESC);

        CREATE VIRTUAL TABLE items_fts USING fts5(
            title, summary,
            content='items', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2',
            prefix='2 3'
        );
        CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
            INSERT INTO items_fts (rowid, title, summary)
            VALUES (new.id, new.title, new.summary);
        END;
        CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
            INSERT INTO items_fts (items_fts, rowid, title, summary)
            VALUES ('delete', old.id, old.title, old.summary);
        END;
        CREATE TRIGGER items_fts_update AFTER UPDATE OF title, summary ON items BEGIN
            INSERT INTO items_fts (items_fts, rowid, title, summary)
            VALUES ('delete', old.id, old.title, old.summary);
            INSERT INTO items_fts (rowid, title, summary)
            VALUES (new.id, new.title, new.summary);
        END;
        -- Keep tags.published in step when an item's date is corrected.
        CREATE TRIGGER items_published_update AFTER UPDATE OF published ON items BEGIN
            UPDATE tags SET published = new.published WHERE item_id = new.id;
        END;
        """,
    )


@MIGRATIONS(name="0002_prune_and_flag_indexes")
def _prune_and_flag_indexes(db: Database) -> None:
    """Indexes that version 1 lacked, found when measuring a million items.

    - `alerts.item_id`: deleting an item sets its alerts' item_id to NULL (ON DELETE SET NULL);
      without an index on the child column every deleted item scans the alerts table, which
      made `afmon prune` quadratic.
    - flagged items: `is:flagged` and prune ("keep flagged") touch a few hundred rows out of a
      million; a partial index holds only those.
    - full-text rows of new items are written by the store in one INSERT ... SELECT per
      fetch, not by a per-row trigger: inside a trigger every row opens a statement
      savepoint, and FTS5 flushes its pending terms to a new segment at each savepoint, so
      the trigger wrote one segment per item and capped ingest near 12k items/s (36k+
      without). Update and delete triggers stay: those paths are rare and row-at-a-time.
    - feeds.item_count becomes a running count (record_fetch adds, prune subtracts) instead of
      a COUNT(*) per fetch; recomputed here once so old databases start exact.
    """
    run_script(
        db,
        """
        CREATE INDEX IF NOT EXISTS alerts_item ON alerts (item_id);
        CREATE INDEX IF NOT EXISTS items_flagged ON items (published DESC, id DESC)
            WHERE flagged = 1;
        DROP TRIGGER IF EXISTS items_fts_insert;
        UPDATE feeds SET item_count = (SELECT COUNT(*) FROM items WHERE feed_id = feeds.id);
        """,
    )


@MIGRATIONS(name="0100_stories")
def _stories(db: Database) -> None:
    """Story clustering (analysis/): which story each item belongs to, and the event read from
    its text. Owned by analysis/storage.py; numbered 0100 so store migrations keep 00xx."""
    run_script(
        db,
        """
        CREATE TABLE IF NOT EXISTS stories (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            first_seen REAL NOT NULL,
            last_seen REAL NOT NULL,
            item_count INTEGER NOT NULL DEFAULT 0,
            outlet_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS stories_last_seen ON stories (last_seen DESC);
        CREATE TABLE IF NOT EXISTS item_stories (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL,
            event_type TEXT,
            casualties INTEGER,
            claimed_by TEXT
        );
        CREATE INDEX IF NOT EXISTS item_stories_story ON item_stories (story_id);
        CREATE INDEX IF NOT EXISTS item_stories_event ON item_stories (event_type)
            WHERE event_type IS NOT NULL;
        """,
    )


@MIGRATIONS(name="0003_published_not_after_first_seen")
def _published_not_after_first_seen(db: Database) -> None:
    """An item cannot be published after we first saw it; newest-first text search relies on
    it (store/queries.py `_text_walk`). Older versions let an in-place update move the date
    past the first-seen time. (The update trigger keeps tags.published in step.)"""
    db.conn.execute("UPDATE items SET published = first_seen WHERE published > first_seen")


@MIGRATIONS(name="0004_escalation_and_acknowledgement")
def _escalation_and_acknowledgement(db: Database) -> None:
    """Escalated and acknowledged become states of their own, beside the note. Before, an
    escalation was the note "ESCALATED: why" and an acknowledgement replaced the note with
    "ACK", erasing the escalation. Old notes of either form are turned into the new columns
    (their time unknown: the item's first-seen time stands in)."""
    run_script(
        db,
        """
        ALTER TABLE items ADD COLUMN escalated REAL;
        ALTER TABLE items ADD COLUMN escalation TEXT;
        ALTER TABLE items ADD COLUMN acknowledged REAL;
        UPDATE items SET escalated = first_seen,
            escalation = NULLIF(TRIM(SUBSTR(note, 11)), ''), note = NULL
            WHERE note LIKE 'ESCALATED%';
        UPDATE items SET acknowledged = first_seen, note = NULL WHERE note = 'ACK';
        CREATE INDEX IF NOT EXISTS items_escalated ON items (published DESC, id DESC)
            WHERE escalated IS NOT NULL;
        """,
    )


@MIGRATIONS(name="0005_alert_acknowledged_dismissed")
def _alert_acknowledged_dismissed(db: Database) -> None:
    """Alerts a watch officer has acknowledged (seen) or dismissed (hidden from the alerts
    screen; the sitrep still counts them)."""
    run_script(
        db,
        """
        ALTER TABLE alerts ADD COLUMN acknowledged REAL;
        ALTER TABLE alerts ADD COLUMN dismissed REAL;
        """,
    )


@MIGRATIONS(name="0101_story_profiles")
def _story_profiles(db: Database) -> None:
    """Stories keep a bounded profile (what the clusterer compares a new item with) and are
    found through blocking keys (province, town, target, event type, actor, distinctive word),
    so placing an item reads a few candidate stories instead of every story in a window.
    Stories made by the earlier clusterer are dropped and rebuilt from the items (their claims
    were attributions, not claims): items without a story are assigned again on the next pass
    or `afmon stories`."""
    run_script(
        db,
        """
        DELETE FROM item_stories;
        DELETE FROM stories;
        ALTER TABLE stories ADD COLUMN profile TEXT NOT NULL DEFAULT '';
        CREATE TABLE IF NOT EXISTS story_keys (
            key TEXT NOT NULL,
            story_id INTEGER NOT NULL,
            first_seen REAL NOT NULL,
            PRIMARY KEY (key, story_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS story_keys_recent ON story_keys (key, first_seen DESC);
        """,
    )


@MIGRATIONS(name="0102_story_version")
def _story_version(db: Database) -> None:
    """A counter that every write of stories moves on. A process that keeps stories in memory
    between passes (the collector) reads it to see whether anyone else (another collector, a
    rebuild) wrote stories since its own last write, and then forgets what it held."""
    run_script(
        db,
        """
        CREATE TABLE IF NOT EXISTS story_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO story_state (id, version) VALUES (1, 0);
        """,
    )


SCHEMA_VERSION = len(MIGRATIONS._migrations)
KNOWN_MIGRATIONS = frozenset(m.name for m in MIGRATIONS._migrations)
