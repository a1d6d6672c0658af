"""A pass hands its new items to the stories hook while later feeds are still being fetched,
so stories are placed alongside the parse workers instead of all at the end; the pass still
returns with every story placed. A real loopback server (one feed held back until the test
lets it go), a real SQLite file, the real hooks."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

import feeds.collect as collect_module
from analysis.pipeline import collector_hooks
from core.config import Config, FeedConfig
from feeds.collect import Collector
from tests.dbpeek import raw_db
from tests.httpserver import Reply, Request, TestServer, fast_settings, feed, rss

NOW = datetime.now(UTC).replace(microsecond=0)


def _rss(prefix: str, titles: list[str]) -> str:
    return rss(
        [
            {
                "title": title,
                "guid": f"{prefix}-{n}",
                "link": f"/{prefix}/{n}",
                "pubDate": format_datetime(NOW - timedelta(hours=1 + n)),
            }
            for n, title in enumerate(titles)
        ]
    )


FAST = ["Explosion at mosque in Kabul kills five worshippers", "Floods hit Badakhshan villages"]
SLOW = ["Blast hits Kabul mosque during prayers, five killed"]


def _placed(store) -> dict[str, int]:
    rows = raw_db(store).conn.execute(
        "SELECT i.title, s.story_id FROM items i JOIN item_stories s ON s.item_id = i.id"
    )
    return dict(rows)


async def _until(predicate, guard: float = 30.0) -> None:
    """Until `predicate()` holds (`guard` only stops a hang; it is no speed check)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + guard
    while not predicate():
        assert loop.time() < deadline, "condition never held"
        await asyncio.sleep(0.02)


@pytest.fixture
def gate():
    released = threading.Event()
    yield released
    released.set()  # never leave the server thread waiting


async def test_stories_are_placed_while_a_later_feed_is_still_fetched(store, gate, monkeypatch):
    monkeypatch.setattr(collect_module, "STORY_CHUNK", 1)
    slow_feed = feed(_rss("slow", SLOW))

    def held(request: Request) -> Reply:
        gate.wait(30)
        return slow_feed(request)

    with TestServer() as server:
        server.route("/fast", feed(_rss("fast", FAST)))
        server.route("/slow", held)
        config = Config(
            # Long timeouts: only the gate ends the held fetch, however loaded the machine.
            settings=fast_settings(
                read_timeout=timedelta(seconds=60), fetch_deadline=timedelta(seconds=90)
            ),
            feeds=[
                FeedConfig(name="fast", url=server.url("/fast")),
                FeedConfig(name="slow", url=server.url("/slow")),
            ],
        )
        collector = Collector(config, store, hooks=collector_hooks(store, config.watch))
        try:
            task = asyncio.create_task(collector.run_once())
            # The fast feed's reports get their stories while the slow feed is unanswered.
            await _until(lambda: len(_placed(store)) == len(FAST))
            assert not task.done()
            assert set(_placed(store)) == set(FAST)
            gate.set()
            report = await asyncio.wait_for(task, 30)
        finally:
            gate.set()
            await collector.aclose()
    assert report.new_items == 3
    placed = _placed(store)
    assert set(placed) == set(FAST + SLOW)  # the pass returned with every story placed
    # The held-back report still joined the earlier report of the same blast.
    assert placed[SLOW[0]] == placed[FAST[0]] != placed[FAST[1]]
