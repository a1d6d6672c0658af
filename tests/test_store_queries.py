"""The typed query API on a real database file: filters combine, pages are stable, text
search ranks and prefixes, dashboard numbers count each item once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from store import Cursor, FeedUpdate, ItemFilter
from tests.dbpeek import raw_db
from tests.test_store_support import NOW, entry, ok, open_with_feeds

H = timedelta(hours=1)
D = timedelta(days=1)


@pytest.fixture
def corpus(tmp_path):
    store, (f0, f1) = open_with_feeds(tmp_path / "q.db")
    store.record_fetch(
        f0,
        ok(),
        [
            entry(
                "a",
                "Suicide attack in Lashkar Gah",
                "ISK claimed it",
                age=2 * H,
                codes=("AF-HEL", "isk"),
            ),
            entry(
                "b",
                "Clashes in Panjshir valley",
                "NRF fighters",
                age=3 * D,
                codes=("AF-PAN", "nrf", "taliban"),
            ),
            entry(
                "c",
                "Attackers stopped at Kabul checkpoint",
                "",
                age=10 * D,
                codes=("AF-KAB", "taliban"),
            ),
        ],
        now=NOW,
    )
    store.record_fetch(
        f1,
        ok(),
        [
            entry("d", "Helmand flood relief", "UN agencies", age=5 * H, codes=("AF-HEL", "un")),
            entry("e", "Andarab raid", "Baghlan province", age=20 * H, codes=("AF-BGL", "nrf")),
            entry("f", "Old news from Kabul", "", age=40 * D, codes=("AF-KAB",)),
        ],
        now=NOW,
    )
    yield store
    store.close()


def titles(items):
    return [i.title.split()[0] for i in items]


@pytest.mark.parametrize(
    "flt, expected",
    [
        (ItemFilter(), ["Suicide", "Helmand", "Andarab", "Clashes", "Attackers", "Old"]),
        (ItemFilter(provinces=("AF-HEL",)), ["Suicide", "Helmand"]),
        (ItemFilter(provinces=("AF-HEL",), actors=("isk",)), ["Suicide"]),
        (ItemFilter(provinces=("AF-PAN", "AF-BGL")), ["Andarab", "Clashes"]),
        (ItemFilter(actors=("nrf",), since=NOW - 2 * D), ["Andarab"]),
        (ItemFilter(outlets=("Outlet 1",)), ["Helmand", "Andarab", "Old"]),
        (ItemFilter(feeds=("Feed 0",), actors=("taliban",)), ["Clashes", "Attackers"]),
        (ItemFilter(since=NOW - 30 * D, until=NOW - 1 * D), ["Clashes", "Attackers"]),
        (ItemFilter(text="attack"), ["Suicide", "Attackers"]),  # prefix search
        (ItemFilter(text='"suicide attack"'), ["Suicide"]),  # phrase
        (ItemFilter(text="kabul", since=NOW - 30 * D), ["Attackers"]),
        (ItemFilter(text="nothing-like-this"), []),
        (ItemFilter(text='") OR (*'), []),  # FTS syntax is never trusted
    ],
)
def test_filters_combine(corpus, flt, expected):
    assert titles(corpus.query_items(flt)) == expected
    assert corpus.count_items(flt) == len(expected)


def test_read_and_flagged_filters(corpus):
    first = corpus.query_items()[0]
    corpus.set_read(first.id)
    corpus.set_flagged(first.id)
    corpus.set_note(first.id, "check with source")
    assert first.id not in [i.id for i in corpus.query_items(ItemFilter(unread=True))]
    assert [i.id for i in corpus.query_items(ItemFilter(flagged=True))] == [first.id]
    assert [i.id for i in corpus.query_items(ItemFilter(unread=False))] == [first.id]
    assert corpus.get_item(first.id).note == "check with source"


def test_keyset_pages_cover_everything_once_newest_first(corpus):
    seen, cursor = [], None
    while page := corpus.query_items(ItemFilter(), limit=2, before=cursor):
        seen.extend(page)
        cursor = Cursor(page[-1].published, page[-1].id)
    assert [i.id for i in seen] == [i.id for i in corpus.query_items(ItemFilter(), limit=100)]
    assert len(seen) == 6


def test_rank_order_puts_title_matches_first(corpus, tmp_path):
    store = corpus
    store.record_fetch(
        1,
        ok(),
        [
            entry("g", "Market prices", "A kunduz trader mentioned kunduz", age=H),
            entry("h", "Kunduz bridge reopened", "", age=30 * D),
        ],
        now=NOW,
    )
    newest = store.query_items(ItemFilter(text="kunduz"))
    ranked = store.query_items(ItemFilter(text="kunduz"), order="rank")
    assert titles(newest) == ["Market", "Kunduz"]
    assert titles(ranked) == ["Kunduz", "Market"]
    assert titles(store.query_items(ItemFilter(text="kunduz", since=NOW - D), order="rank")) == [
        "Market"
    ]


def test_items_after_sees_only_new_items_of_the_pane(corpus):
    top = corpus.max_item_id()
    corpus.record_fetch(
        2,
        ok(),
        [
            entry("n1", "New Helmand report", age=H / 2, codes=("AF-HEL",)),
            entry("n2", "New Kabul report", age=H / 4, codes=("AF-KAB",)),
        ],
        now=NOW,
    )
    assert titles(corpus.items_after(top)) == ["New", "New"]
    assert [i.provinces for i in corpus.items_after(top, ItemFilter(provinces=("AF-HEL",)))] == [
        ("AF-HEL",)
    ]
    assert corpus.items_after(corpus.max_item_id()) == []
    assert titles(corpus.items_after(top, ItemFilter(text="helmand"))) == ["New"]


def test_pane_counts_count_an_item_once_per_pane_and_bucket_by_age(corpus):
    panes = {
        "Panjshir & Andarab": ItemFilter(provinces=("AF-PAN", "AF-BGL")),
        "Helmand": ItemFilter(provinces=("AF-HEL",)),
        "ISK": ItemFilter(actors=("isk",)),
        "text": ItemFilter(text="attack"),
    }
    corpus.record_fetch(
        1,
        ok(),
        [
            entry("both", "Panjshir and Baghlan", age=H / 2, codes=("AF-PAN", "AF-BGL")),
        ],
        now=NOW,
    )
    counts = corpus.pane_counts(panes, NOW)
    front = counts["Panjshir & Andarab"]
    assert front.day == 2 and front.week == 3  # "both" once, Andarab, Clashes (3 days)
    assert front.hourly[-1] == 1 and front.hourly[-21] == 1
    assert len(front.hourly) == 48 and len(front.daily) == 30
    assert counts["Helmand"].day == 2 and counts["Helmand"].hourly[-3] == 1
    assert counts["ISK"].day == 1
    assert counts["text"].day == 1 and counts["text"].daily[-11] == 1  # Attackers, 10 d


def test_province_counts_24h_7d_and_previous_week(corpus):
    corpus.record_fetch(1, ok(), [entry("k", "Kabul", age=9 * D, codes=("AF-KAB",))], now=NOW)
    counts = corpus.province_counts(NOW)
    assert counts["AF-HEL"] == (2, 2, 0)
    assert counts["AF-KAB"] == (0, 0, 2)
    assert counts["AF-PAN"] == (0, 1, 0)
    assert "AF-ZAB" not in counts


def test_refetch_updates_changed_items_and_ignores_repeats(corpus):
    before = corpus.count_items()
    result = corpus.record_fetch(
        1,
        ok(),
        [
            entry(
                "a",
                "Suicide attack in Lashkar Gah",
                "ISK claimed it",
                age=2 * H,
                codes=("AF-HEL", "isk"),
            ),  # unchanged
            entry(
                "b",
                "Clashes in Panjshir valley, 4 killed",
                "NRF fighters",
                age=3 * D,
                codes=("AF-PAN",),
            ),  # changed
            entry("b", "duplicate guid in the same fetch", age=H),
        ],
        now=NOW,
    )
    assert (result.new, result.updated) == (0, 1)
    assert corpus.count_items() == before
    assert titles(corpus.query_items(ItemFilter(text="killed"))) == ["Clashes"]
    assert corpus.query_items(ItemFilter(text="killed"))[0].actors == ()
    assert corpus.query_items(ItemFilter(text="valley")) != []
    raw_db(corpus).execute("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")


def test_feed_health_and_running_item_count(corpus):
    fail = FeedUpdate(
        attempted=NOW,
        status="error",
        http_status=503,
        error="503",
        error_count=2,
        next_try=NOW + H,
        current_url="https://moved.example/rss",
    )
    corpus.record_fetch(1, fail, [], now=NOW)
    (feed,) = [f for f in corpus.feeds() if f.id == 1]
    assert (feed.status, feed.http_status, feed.error_count) == ("error", 503, 2)
    assert feed.current_url == "https://moved.example/rss"
    assert feed.item_count == 3
    assert feed.last_success == NOW


def test_record_fetches_writes_many_feeds_in_one_transaction(tmp_path):
    store, (f0, f1) = open_with_feeds(tmp_path / "b.db")
    results = store.record_fetches(
        [
            (f0, ok(), [entry(f"x{i}", f"Item {i}") for i in range(300)]),
            (f1, ok(), [entry(f"y{i}", f"Other {i}") for i in range(200)]),
        ],
        now=NOW,
    )
    assert [r.new for r in results] == [300, 200]
    assert store.count_items(ItemFilter(text="other")) == 200
    ids = [i for r in results for i in r.new_ids]
    assert len(set(ids)) == 500 and max(ids) == store.max_item_id()


def test_a_feed_whose_url_changed_keeps_its_row_and_items(tmp_path):
    from tests.test_store_support import feeds

    store, (f0, f1) = open_with_feeds(tmp_path / "m.db")
    store.record_fetch(f0, FeedUpdate(attempted=NOW, status="gone", http_status=410), [])
    store.record_fetch(f1, ok(), [entry("a", "Clashes in Panjshir valley")])
    moved = [
        f.model_copy(update={"url": f.url.replace(".example", ".example:8080")}) for f in feeds()
    ]
    states = {s.name: s for s in store.sync_feeds(moved)}
    assert [s.id for s in states.values()] == [f0, f1]  # no new rows
    assert states["Feed 0"].url == moved[0].url and states["Feed 0"].current_url == moved[0].url
    assert states["Feed 0"].enabled and states["Feed 0"].status == "new"  # a new URL: try again
    assert states["Feed 1"].item_count == 1
    store.record_fetch(f1, ok(), [entry("a", "Clashes in Panjshir valley")])
    assert store.count_items(ItemFilter()) == 1  # the same entry, not stored twice


def test_a_new_feed_reusing_a_configured_name_is_not_taken_for_a_move(tmp_path):
    from core.config import FeedConfig
    from tests.test_store_support import feeds

    store, (f0, f1) = open_with_feeds(tmp_path / "m.db")
    # "Feed 0" keeps its URL; a new feed elsewhere cannot take its row.
    extra = FeedConfig(name="Feed 2", url="https://f2.example/rss")
    states = store.sync_feeds([*feeds(), extra])
    assert len({s.id for s in states}) == 3 and {f0, f1} < {s.id for s in states}
