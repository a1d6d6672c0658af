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
from analysis.pipeline import AnalysisHooks, collector_hooks
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


class _Noting(AnalysisHooks):
    """The real hooks, noting for each after_pass call its items, which of them came with a
    prepared doc, and which parse workers were alive."""

    def __init__(self, store, pool_of):
        super().__init__(store, [])
        self.pool_of = pool_of
        self.calls: list[tuple[set[int], set[int], list[int]]] = []

    def after_pass(self, new_ids, now, prepared=None) -> None:
        self.calls.append((set(new_ids), set(prepared or {}), self.pool_of().pids()))
        super().after_pass(new_ids, now, prepared)


async def test_items_of_a_large_document_are_placed_last_without_workers_beside(store):
    small = _rss("small", ["Floods hit Badakhshan villages"])
    big = _rss("big", [f"Report {n} of clashes in Panjshir valley" for n in range(40)])
    with TestServer() as server:
        server.route("/small", feed(small))
        server.route("/big", feed(big))
        config = Config(
            settings=fast_settings(parse_workers=2),  # workers to spare: they prepare docs
            feeds=[
                FeedConfig(name="small", url=server.url("/small")),
                FeedConfig(name="big", url=server.url("/big")),
            ],
        )
        ref: list[Collector] = []
        hooks = _Noting(store, lambda: ref[0].parse_pool)
        collector = Collector(config, store, hooks=hooks)
        ref.append(collector)
        # "Large" scaled down so a 40-entry document is one (the default is 1 MB).
        collector.parse_pool.large = (len(small.encode()) + len(big.encode())) // 2
        try:
            report = await collector.run_once()
        finally:
            await collector.aclose()
    assert report.new_items == 41
    titles = {item_id: title for title, item_id in _ids(store).items()}
    big_ids = {i for i, t in titles.items() if t.startswith("Report ")}
    small_ids = set(titles) - big_ids
    assert len(big_ids) == 40 and len(small_ids) == 1
    # The small document's item came with the doc its worker read; the large one's did not
    # (its 40 rows would be held until placed) and came last, once no worker was alive.
    assert any(ids == small_ids and prepared == small_ids for ids, prepared, _ in hooks.calls)
    last_ids, last_prepared, alive = hooks.calls[-1]
    assert big_ids <= last_ids and not (last_prepared & big_ids) and alive == []
    assert len(_placed(store)) == 41


def _ids(store) -> dict[str, int]:
    return dict(raw_db(store).conn.execute("SELECT title, id FROM items"))
