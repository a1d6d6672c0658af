"""The database file: pragmas, schema version, migrations from saved old databases, refusal
of newer ones."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from store import ItemFilter, Store, StoreError
from store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.dbpeek import raw_db

FIXTURES = Path(__file__).parent / "data" / "db"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_has_wal_foreign_keys_normal_sync_and_busy_timeout(tmp_path):
    store = Store.open(tmp_path / "a.db")
    # The store's own connection: these settings are per connection.
    pragma = lambda name: store._db.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("synchronous") == 1  # NORMAL
    assert pragma("busy_timeout") >= 5000
    assert pragma("user_version") == SCHEMA_VERSION


def test_schema_has_the_tables_the_issue_names(tmp_path):
    store = Store.open(tmp_path / "a.db")
    cols = lambda t: {r[1] for r in raw_db(store).execute(f"PRAGMA table_info({t})")}  # noqa: E731
    assert {
        "url",
        "current_url",
        "etag",
        "last_modified",
        "status",
        "error_count",
        "next_try",
        "last_success",
        "last_error",
    } <= cols("feeds")
    assert {
        "key",
        "feed_id",
        "title",
        "summary",
        "link",
        "author",
        "language",
        "published",
        "first_seen",
        "content_hash",
        "read",
        "flagged",
        "note",
    } <= cols("items")
    assert {"item_id", "kind", "code", "evidence"} <= cols("tags")
    assert {"rule", "item_id", "raised", "message"} <= cols("alerts")


def test_v1_database_is_migrated_in_place_keeping_every_row(tmp_path):
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "v1.db", db)
    store = Store.open(db)
    assert store.schema_version() == SCHEMA_VERSION
    names = [r[0] for r in raw_db(store).execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == [m.name for m in MIGRATIONS._migrations]
    assert names[:2] == ["0001_initial", "0002_prune_and_flag_indexes"]
    items = store.query_items()
    assert [i.title for i in items] == [
        "Flood relief in Helmand",
        "Clashes in Panjshir",
        "Suicide attack in Kabul",
    ]
    assert items[2].provinces == ("AF-KAB",) and items[2].actors == ("isk",)
    assert [i.id for i in store.query_items(ItemFilter(text="attack"))] == [1]
    assert [i.id for i in store.query_items(ItemFilter(flagged=True))] == [2]
    assert store.alerts()[0].item_id == 1
    indexes = {r[1] for r in raw_db(store).execute("SELECT type, name FROM sqlite_master")}
    assert {"alerts_item", "items_flagged"} <= indexes
    assert "items_fts_insert" not in indexes
    assert {f.name: f.item_count for f in store.feeds(configured_only=False)} == {
        "Tolo English": 2,
        "Pajhwok": 1,
    }
    store.close()


def test_migrated_database_keeps_new_items_searchable(tmp_path):
    from tests.test_store_support import entry, ok

    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "v1.db", db)
    store = Store.open(db)
    store.record_fetch(1, ok(), [entry("z", "Ambush near Kunduz")])
    assert [i.title for i in store.query_items(ItemFilter(text="ambush"))] == ["Ambush near Kunduz"]
    raw_db(store).execute("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")


def test_reopening_a_current_database_changes_nothing(tmp_path):
    db = tmp_path / "a.db"
    Store.open(db).close()
    before = digest(db)
    Store.open(db).close()
    assert digest(db) == before


def _newer(tmp_path: Path, how: str) -> Path:
    db = tmp_path / "newer.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    if how == "user_version":
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    else:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('afmon', '0099_from_the_future', '2030-01-01')"
        )
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return db


@pytest.mark.parametrize("how", ["user_version", "migration_name"])
def test_database_from_newer_afmon_is_refused_and_left_untouched(tmp_path, how):
    db = _newer(tmp_path, how)
    before = digest(db)
    with pytest.raises(StoreError, match="newer afmon"):
        Store.open(db)
    assert digest(db) == before


def test_file_that_is_not_sqlite_is_refused(tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("these are my notes, not a database\n")
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store.open(db)
    assert db.read_text().startswith("these are my notes")


def test_old_escalation_and_ack_notes_become_states_of_their_own(tmp_path):
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "v1.db", db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE items SET note = 'ESCALATED: two sources' WHERE id = 1")
    conn.execute("UPDATE items SET note = 'ACK' WHERE id = 2")
    conn.execute("UPDATE items SET note = 'call the desk' WHERE id = 3")
    conn.commit()
    conn.close()
    store = Store.open(db)
    escalated, acked, noted = (store.get_item(i) for i in (1, 2, 3))
    assert escalated.escalated is not None and escalated.escalation == "two sources"
    assert escalated.note is None and escalated.acknowledged is None
    assert acked.acknowledged is not None and acked.note is None and acked.escalated is None
    assert noted.note == "call the desk" and noted.escalated is noted.acknowledged is None
    assert [i.id for i in store.query_items(ItemFilter(escalated=True))] == [1]
    store.close()


def test_acknowledging_keeps_an_escalation_and_the_note(tmp_path):
    from tests.test_store_support import entry, ok

    store = Store.open(tmp_path / "a.db")
    (feed,) = store.sync_feeds([_Feed()])
    item_id = store.record_fetch(feed.id, ok(), [entry("a", "Clashes in Panjshir")]).new_ids[0]
    store.set_note(item_id, "check")
    store.escalate(item_id, "confirmed")
    store.acknowledge(item_id)
    item = store.get_item(item_id)
    assert (item.note, item.escalation, item.flagged, item.read) == ("check", "confirmed", 1, 1)
    assert item.escalated is not None and item.acknowledged is not None
    store.withdraw_escalation(item_id)
    store.acknowledge(item_id, False)
    item = store.get_item(item_id)
    assert item.escalated is None and item.acknowledged is None and item.note == "check"
    store.close()


class _Feed:
    name = "Tolo"
    url = "https://tolo.example/rss"
    outlet_name = "TOLOnews"
    language = "en"
    enabled = True
