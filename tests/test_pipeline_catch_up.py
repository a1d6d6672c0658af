"""Items stored while stories were off, by a run killed before it placed them, or whose stories
migration 0101 dropped get their stories when the collector starts watching, on its post-pass
thread, without holding up the first pass, and by the next `collect --once`. A real loopback
server, a real SQLite file, the real hooks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

import feeds.collect as collect_module
from analysis.pipeline import collector_hooks
from core.config import Config, FeedConfig
from feeds.collect import Collector
from store import ItemFilter, Store
from tests.dbpeek import raw_db
from tests.httpserver import TestServer, fast_settings, feed, rss

NOW = datetime.now(UTC).replace(microsecond=0)

# Two outlets report one mosque blast; a third report is a flood elsewhere.
REPORTS = {
    "/a": [("Explosion at mosque in Kabul kills five worshippers", 2.0)],
    "/b": [
        ("Blast hits Kabul mosque during prayers, five killed", 1.5),
        ("Floods destroy homes in Badakhshan villages", 3.0),
    ],
}


def _rss(path: str) -> str:
    return rss(
        [
            {
                "title": title,
                "guid": f"{path}-{n}",
                "link": f"{path}/{n}",
                "pubDate": format_datetime(NOW - timedelta(hours=hours)),
            }
            for n, (title, hours) in enumerate(REPORTS[path])
        ]
    )


@pytest.fixture
def server():
    with TestServer() as srv:
        for path in REPORTS:
            srv.route(path, feed(_rss(path), etag='"same"'))
        yield srv


def _config(server: TestServer) -> Config:
    feeds = [FeedConfig(name=p.strip("/"), url=server.url(p)) for p in REPORTS]
    return Config(settings=fast_settings(min_interval=timedelta(hours=1)), feeds=feeds)


def _stories(store: Store) -> dict[str, int]:
    rows = raw_db(store).conn.execute(
        "SELECT i.title, s.story_id FROM items i JOIN item_stories s ON s.item_id = i.id"
    )
    return dict(rows)


async def _store_without_stories(server: TestServer, store: Store) -> int:
    collector = Collector(_config(server), store)  # no hooks: stories are off
    try:
        report = await collector.run_once()
    finally:
        await collector.aclose()
    assert report.new_items == 3 and _stories(store) == {}
    return report.new_items


async def test_watching_places_the_items_left_without_a_story(server, store, monkeypatch):
    await _store_without_stories(server, store)
    monkeypatch.setattr(collect_module, "CATCH_UP_CHUNK", 1)  # one item per post-pass job
    config = _config(server)
    done: list[str] = []
    collector = Collector(
        config,
        store,
        hooks=collector_hooks(store, config.watch),
        on_feed_done=lambda r: done.append(r.status),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(collector.run_forever(stop))
    for _ in range(500):  # until the backlog is placed and the first pass reported
        await asyncio.sleep(0.02)
        if len(done) == 2 and not store.unassigned_item_keys(1):
            break
    stop.set()
    await asyncio.wait_for(task, 10)
    await collector.aclose()
    assert store.count_items(ItemFilter()) == 3  # the pass found nothing new: no after_pass
    placed = _stories(store)
    assert len(placed) == 3
    mosque = {story for title, story in placed.items() if "mosque" in title}
    assert len(mosque) == 1  # the two reports of the blast became one story
    assert placed["Floods destroy homes in Badakhshan villages"] not in mosque


async def test_once_with_catch_up_places_the_backlog_before_it_returns(server, store, monkeypatch):
    await _store_without_stories(server, store)
    monkeypatch.setattr(collect_module, "CATCH_UP_CHUNK", 1)  # one item per post-pass job
    config = _config(server)
    collector = Collector(config, store, hooks=collector_hooks(store, config.watch))
    try:
        report = await collector.run_once(catch_up=True)
    finally:
        await collector.aclose()
    assert report.new_items == 0  # nothing new in the pass: only the backlog was placed
    placed = _stories(store)
    assert len(placed) == 3 and not store.unassigned_item_keys(1)
    mosque = {story for title, story in placed.items() if "mosque" in title}
    assert len(mosque) == 1


async def test_once_without_catch_up_leaves_the_backlog_alone(server, store):
    await _store_without_stories(server, store)
    config = _config(server)
    collector = Collector(config, store, hooks=collector_hooks(store, config.watch))
    try:
        await collector.run_once()
    finally:
        await collector.aclose()
    assert _stories(store) == {}  # without it, a pass places only its own items


async def test_catch_up_works_in_chunks_and_says_when_nothing_is_left(server, store):
    await _store_without_stories(server, store)
    hooks = collector_hooks(store, [])
    assert hooks.catch_up(2) == 2
    assert len(store.unassigned_item_keys(10)) == 1
    assert hooks.catch_up(2) == 1
    assert hooks.catch_up(2) == 0
    assert len(_stories(store)) == 3


async def test_catch_up_does_nothing_with_stories_off(server, store):
    await _store_without_stories(server, store)
    assert collector_hooks(store, [], stories=False).catch_up(10) == 0
    assert len(store.unassigned_item_keys(10)) == 3


async def test_unassigned_keys_walk_on_from_the_last_key_oldest_first(server, store):
    await _store_without_stories(server, store)
    first = store.unassigned_item_keys(2)
    rest = store.unassigned_item_keys(10, first[-1])
    keys = first + rest
    assert len(keys) == 3 and keys == sorted(keys)  # oldest first, nothing twice
    assert [store.get_item(i).title for _, i in keys][
        0
    ] == "Floods destroy homes in Badakhshan villages"
    assert store.unassigned_item_keys(10, keys[-1]) == []


async def test_unassigned_keys_see_one_item_that_lost_its_story(server, store):
    await _store_without_stories(server, store)
    hooks = collector_hooks(store, [])
    while hooks.catch_up(10):
        pass
    assert store.unassigned_item_keys(10) == []  # every item placed: the counts agree
    db = raw_db(store)
    lost = db.conn.execute("SELECT MIN(item_id) FROM item_stories").fetchone()[0]
    with db.conn:
        db.conn.execute("DELETE FROM item_stories WHERE item_id = ?", (lost,))
    assert [i for _, i in store.unassigned_item_keys(10)] == [lost]
