"""Newest-first text search for common words stops early (store/queries.py `_text_walk`).
It must return exactly what the general path returns, on a database that grew over time
with late reports, dates corrected in place and writers slightly out of order."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from store import Cursor, ItemFilter, planner, queries
from tests.dbpeek import raw_db
from tests.test_store_support import NOW, entry, ok, open_with_feeds

WORDS = ["blast", "kabul", "taliban", "border", "school", "market", "drone", "flood"]


@pytest.fixture
def grown(tmp_path):
    store, feeds = open_with_feeds(tmp_path / "a.db", 3)
    rng = random.Random(11)
    serial = 0
    for step in range(60):  # sixty collect passes, four hours apart
        at = NOW - timedelta(hours=4 * (60 - step))
        if step % 7 == 3:
            at -= timedelta(minutes=30)  # a second writer whose clock lags
        for feed in feeds:
            batch = []
            for _ in range(rng.randint(3, 9)):
                serial += 1
                words = " ".join(rng.sample(WORDS, 3))
                # Mostly fresh; some reported days late; a few dated in the future.
                age = rng.choice([rng.uniform(0, 4), rng.uniform(0, 120), -rng.uniform(0, 5)])
                batch.append(
                    entry(f"k{serial}", f"{words} {serial}", age=timedelta(hours=age), now=at)
                )
            store.record_fetch(feed, ok(at), batch, at)
        if step % 10 == 9:  # an earlier item corrected in place with a later date
            fixed = entry(
                f"k{serial - 20}",
                f"kabul blast corrected {serial}",
                now=at,
                age=timedelta(hours=-48),
            )
            store.record_fetch(feeds[0], ok(at), [fixed], at)
    yield store
    store.close()


def _general(store, flt, limit, before=None, offset=0):
    sql, params = planner.item_sql(raw_db(store), flt, limit, before, None, "newest", offset)
    return [r[0] for r in raw_db(store).conn.execute(sql, params)]


def test_no_item_is_published_after_it_was_first_seen(grown):
    bad = (
        raw_db(grown)
        .conn.execute("SELECT COUNT(*) FROM items WHERE published > first_seen")
        .fetchone()[0]
    )
    assert bad == 0


@pytest.mark.parametrize("text", ["kabul", "taliban blast", '"border school"', "dro"])
@pytest.mark.parametrize("province", [None, "AF-KAB"])
def test_walk_returns_exactly_the_general_pages(grown, monkeypatch, text, province):
    monkeypatch.setattr(planner, "_TEXT_DRIVE_LIMIT", 3)  # every text query walks ...
    monkeypatch.setattr(queries, "_WALK_CHUNK", 9)  # ... in many small chunks
    walked: list[str] = []
    real = queries._text_walk
    monkeypatch.setattr(
        queries, "_text_walk", lambda *a, **k: walked.append("yes") or real(*a, **k)
    )
    flt = ItemFilter(text=text, provinces=(province,) if province else ())
    if province:
        flt = replace(flt, actors=("taliban",))  # not tag-only: the text decides the path
    for limit in (1, 7, 60, 500):
        for offset in (0, 5):
            got = [i.id for i in grown.query_items(flt, limit=limit, offset=offset)]
            assert got == _general(grown, flt, limit, offset=offset)
    page = grown.query_items(flt, limit=25)
    if page:
        cursor = Cursor(page[-1].published, page[-1].id)
        got = [i.id for i in grown.query_items(flt, limit=25, before=cursor)]
        assert got == _general(grown, flt, 25, before=cursor)
    assert walked  # the walk really ran
