"""Prune, stats and export over a real database file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from store import ItemFilter, Store
from tests.dbpeek import raw_db
from tests.test_store_support import NOW, entry, ok, open_with_feeds

D = timedelta(days=1)


def make(tmp_path):
    store, (f0, f1) = open_with_feeds(tmp_path / "m.db")
    store.record_fetch(
        f0,
        ok(),
        [
            entry("new", "Fresh Kabul report", age=D, codes=("AF-KAB", "taliban")),
            entry("old", "Old Kabul report", age=200 * D, codes=("AF-KAB",)),
            entry("oldflag", "Old but flagged", age=300 * D, codes=("AF-HEL",)),
        ],
        now=NOW,
    )
    store.record_fetch(
        f1,
        ok(),
        [
            entry("old2", "Old Helmand report", age=190 * D, codes=("AF-HEL", "isk")),
        ],
        now=NOW,
    )
    flagged = store.query_items(ItemFilter(text="flagged"))[0]
    store.set_flagged(flagged.id)
    store.add_alert("old", store.query_items(ItemFilter(text="old kabul"))[0].id, "x", NOW)
    return store


def test_prune_removes_old_unflagged_items_with_their_tags_and_text(tmp_path):
    store = make(tmp_path)
    dry = store.prune(NOW - 180 * D, dry_run=True)
    assert (dry.items, dry.tags, dry.kept_flagged, dry.dry_run) == (2, 3, 1, True)
    assert dry.per_feed == {"Feed 0": 1, "Feed 1": 1}
    assert store.count_items() == 4
    report = store.prune(NOW - 180 * D)
    assert (report.items, report.tags, report.dry_run) == (2, 3, False)
    assert sorted(i.title for i in store.query_items()) == ["Fresh Kabul report", "Old but flagged"]
    assert store.count_items(ItemFilter(text="old")) == 1
    assert raw_db(store).execute("SELECT COUNT(*) FROM tags").fetchone()[0] == 3
    assert store.alerts()[0].item_id is None  # the alert stays, its item is gone
    assert [f.item_count for f in store.feeds()] == [2, 0]
    raw_db(store).execute("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")


def test_stats_counts_by_outlet_province_and_actor(tmp_path):
    store = make(tmp_path)
    s = store.stats()
    assert s.items == 4 and s.feeds == 2 and s.size_bytes > 0
    assert s.by_outlet == {"Outlet 0": 3, "Outlet 1": 1}
    assert s.by_province == {"AF-HEL": 2, "AF-KAB": 2}
    assert s.by_actor == {"isk": 1, "taliban": 1}


def test_iter_items_pages_through_everything_with_evidence(tmp_path):
    store = make(tmp_path)
    rows = list(store.iter_items(ItemFilter()))
    assert len(rows) == 4
    item, tags = rows[0]
    assert item.title == "Fresh Kabul report"
    assert {(t.kind, t.code, t.text) for t in tags} == {
        ("province", "AF-KAB", "F"),
        ("actor", "taliban", "F"),
    }
    assert len(list(store.iter_items(ItemFilter(), limit=3))) == 3


def test_bench_database_builder_writes_through_the_store(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    import make_db

    rate = make_db.build(tmp_path / "bench.db", 3000, quiet=True, chunk=1000)
    assert rate > 1000
    store = Store.open(tmp_path / "bench.db")
    assert store.count_items() == 3000
    item = store.query_items(ItemFilter(), 1)[0]
    text = item.title + "\n" + item.summary
    assert all(text[t.start : t.end] == t.text for t in store.item_tags(item.id))
