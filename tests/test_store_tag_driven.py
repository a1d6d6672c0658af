"""Fronts and threat groups are read off the (code, published) index; the result must be
exactly what the general filter path returns, page by page."""

from __future__ import annotations

import random
from datetime import timedelta

from store import Cursor, ItemFilter
from store.planner import item_sql
from tests.dbpeek import raw_db
from tests.test_store_support import NOW, entry, ok, open_with_feeds

CODES = ["AF-KAB", "AF-NAN", "AF-KNR", "AF-PAN", "isk", "taliban", "ttp"]


def _pages(store, flt, size):
    pages, before = [], None
    while True:
        page = store.query_items(flt, limit=size, before=before)
        if not page:
            return pages
        pages.append([item.id for item in page])
        before = Cursor(page[-1].published, page[-1].id)


def test_front_and_group_pages_match_the_general_path(tmp_path):
    store, (feed,) = open_with_feeds(tmp_path / "a.db", 1)
    rng = random.Random(7)
    entries = [
        entry(
            f"k{i}",
            f"item {i}",
            # Ties on published on purpose: the cursor must order by (published, id).
            age=timedelta(minutes=rng.randrange(0, 600, 5)),
            codes=tuple(rng.sample(CODES, rng.randint(0, 3))),
        )
        for i in range(400)
    ]
    store.record_fetch(feed, ok(), entries, NOW)
    far = NOW + timedelta(days=365)
    for flt in (
        ItemFilter(provinces=("AF-KAB", "AF-NAN", "AF-KNR")),
        ItemFilter(actors=("isk", "taliban")),
        ItemFilter(provinces=("AF-PAN",), since=NOW - timedelta(hours=4)),
    ):
        sql, _ = item_sql(raw_db(store), flt)
        assert sql.startswith("WITH c AS")  # the index-driven path is the one under test
        general = ItemFilter(**{**{k: getattr(flt, k) for k in flt.__slots__}, "until": far})
        assert "WITH c AS" not in item_sql(raw_db(store), general)[0]
        for size in (7, 50, 1000):
            fast, slow = _pages(store, flt, size), _pages(store, general, size)
            assert fast == slow and sum(map(len, fast)) > 0
            flat = [i for page in fast for i in page]
            assert len(flat) == len(set(flat))  # an item in two provinces of a front: once
