"""The collector end to end: a real loopback server, a real SQLite file, feed health as the
store records it. One test per behaviour of the collector issue."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from core.config import Config, FeedConfig
from feeds import parse_task
from feeds.collect import Collector, CollectReport
from store import ItemFilter, Store
from tests.httpserver import Reply, TestServer, fast_settings, feed, gzip_stream, redirect, rss

NOW = datetime.now(UTC).replace(microsecond=0)


def items(n: int, prefix: str = "item", hours: float = 1.0) -> list[dict[str, str]]:
    return [
        {
            "title": f"{prefix} {i}",
            "guid": f"{prefix}-{i}",
            "link": f"/{prefix}/{i}",
            "pubDate": format_datetime(NOW - timedelta(hours=hours * (i + 1))),
        }
        for i in range(n)
    ]


def config_for(server: TestServer, *paths: str, **kw: object) -> Config:
    feeds = [FeedConfig(name=p.strip("/"), url=server.url(p)) for p in paths]
    return Config(settings=fast_settings(**kw), feeds=feeds)


async def collect(config: Config, store: Store, **kw: object) -> CollectReport:
    collector = Collector(config, store)
    try:
        return await collector.run_once(**kw)  # type: ignore[arg-type]
    finally:
        await collector.aclose()


def health(store: Store, name: str):
    return next(f for f in store.feeds(silent_after=4.0) if f.name == name)


async def test_first_pass_stores_items_and_second_is_not_modified_by_etag(server, store):
    server.route("/f", feed(rss(items(5)), etag='"v1"'))
    config = config_for(server, "/f")
    first = await collect(config, store)
    assert (first.new_items, first.failed, first.feeds[0].status) == (5, 0, "ok")
    assert store.count_items(ItemFilter()) == 5
    second = await collect(config, store)
    assert second.not_modified == 1 and second.new_items == 0
    assert second.feeds[0].http_status == 304
    assert server.last("/f").headers["if-none-match"] == '"v1"'
    assert health(store, "f").status == "not_modified"


async def test_second_pass_not_modified_by_last_modified(server, store):
    stamp = format_datetime(NOW, usegmt=True)
    server.route("/f", feed(rss(items(2)), last_modified=stamp))
    config = config_for(server, "/f")
    await collect(config, store)
    again = await collect(config, store)
    assert again.feeds[0].status == "not_modified" and again.feeds[0].http_status == 304
    assert server.last("/f").headers["if-modified-since"] == stamp


async def test_unchanged_body_without_validators_skips_parsing(server, store):
    server.route("/f", feed(rss(items(3))))
    config = config_for(server, "/f")
    await collect(config, store)
    collector = Collector(config, store)
    try:
        again = await collector.run_once()
    finally:
        await collector.aclose()
    assert again.feeds[0].status == "not_modified" and again.feeds[0].http_status == 200
    assert "if-none-match" not in server.last("/f").headers
    assert collector.parse_pool.started == 0  # the body was never handed to a parser


async def test_301_is_recorded_and_used_from_then_on(server, store):
    server.route("/old", redirect(server.url("/new"), 301))
    server.route("/new", feed(rss(items(2))))
    config = config_for(server, "/old")
    await collect(config, store)
    state = health(store, "old")
    assert state.current_url == server.url("/new") and state.url == server.url("/old")
    await collect(config, store)
    assert server.hits("/old") == 1 and server.hits("/new") == 2


async def test_302_is_not_recorded(server, store):
    server.route("/tmp", redirect("/new", 302))
    server.route("/new", feed(rss(items(2))))
    config = config_for(server, "/tmp")
    report = await collect(config, store)
    assert report.new_items == 2
    assert health(store, "tmp").current_url == server.url("/tmp")
    await collect(config, store)
    assert server.hits("/tmp") == 2


async def test_redirect_loop_is_a_feed_error(server, store):
    server.route("/a", redirect("/b", 301))
    server.route("/b", redirect("/a", 301))
    report = await collect(config_for(server, "/a"), store)
    assert report.failed == 1 and "redirect loop" in report.feeds[0].error
    assert health(store, "a").current_url == server.url("/a")


async def test_410_disables_the_feed_and_is_not_fetched_again(server, store):
    server.route("/f", Reply(410))
    config = config_for(server, "/f")
    report = await collect(config, store)
    assert report.feeds[0].status == "error" and "410" in report.feeds[0].error
    state = health(store, "f")
    assert state.status == "gone" and not state.enabled and "disabled" in state.last_error
    again = await collect(config, store)
    assert "410" in again.feeds[0].error and server.hits("/f") == 1
    store.sync_feeds(config.feeds)  # config still lists it: it stays disabled
    assert not health(store, "f").enabled


async def test_429_retry_after_is_honoured_even_by_once(server, store):
    server.route("/f", Reply(429, headers={"Retry-After": "3600"}))
    config = config_for(server, "/f")
    report = await collect(config, store)
    assert report.failed == 1
    state = health(store, "f")
    assert state.http_status == 429 and state.next_try > NOW + timedelta(minutes=59)
    again = await collect(config, store)
    assert server.hits("/f") == 1
    assert again.feeds[0].status == "error" and "Retry-After" in again.feeds[0].error


async def test_500_backs_off_counts_and_recovery_resets(server, store):
    replies = iter([Reply(500), Reply(500)])
    body = rss(items(1))
    server.route("/f", lambda req: next(replies, None) or feed(body)(req))
    config = config_for(server, "/f")
    before = datetime.now(UTC)
    await collect(config, store)
    await collect(config, store)  # --once forces past the backoff (not a Retry-After)
    state = health(store, "f")
    assert state.status == "error" and state.error_count == 2
    assert state.last_error == "HTTP 500 Internal Server Error"
    assert state.next_try > before + timedelta(minutes=5)  # 2nd step: 5-10 min
    # Not forced: the feed waits for its backoff.
    waiting = await collect(config, store, force=False)
    assert waiting.feeds == [] and server.hits("/f") == 2
    recovered = await collect(config, store)
    assert recovered.new_items == 1
    state = health(store, "f")
    assert state.error_count == 0 and state.last_error is None and state.status == "ok"


async def test_slow_drip_is_cut_while_other_feeds_finish(server, store):
    server.route("/drip", Reply(body=rss(items(50)).encode(), chunk_size=10, drip=0.2))
    server.route("/ok", feed(rss(items(3))))
    report = await collect(config_for(server, "/drip", "/ok"), store)
    by_name = {r.name: r for r in report.feeds}
    assert "deadline" in by_name["drip"].error and by_name["ok"].new_items == 3


async def test_gzip_bomb_is_a_feed_error(server, store):
    server.route("/bomb", Reply(body=gzip_stream(1 << 30), headers={"Content-Encoding": "gzip"}))
    report = await collect(config_for(server, "/bomb"), store)
    assert "decompressed" in report.feeds[0].error
    assert "decompressed" in health(store, "bomb").last_error


async def test_oversized_body_is_a_feed_error(server, store):
    server.route("/big", Reply(body=(b"x" * 65536 for _ in range(40))))
    report = await collect(config_for(server, "/big"), store)
    assert "larger than 1,000,000 bytes" in report.feeds[0].error


async def test_html_page_with_feed_link_names_the_feed(server, store):
    page = (
        '<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml">'
        "</head><body>Home</body></html>"
    )
    server.route("/home", Reply(body=page.encode(), headers={"Content-Type": "text/html"}))
    report = await collect(config_for(server, "/home"), store)
    assert report.feeds[0].status == "error" and report.feeds[0].http_status == 200
    assert server.url("/atom.xml") in report.feeds[0].error
    assert server.url("/atom.xml") in health(store, "home").last_error


async def test_empty_body_is_a_feed_error(server, store):
    server.route("/empty", Reply(body=b""))
    report = await collect(config_for(server, "/empty"), store)
    assert report.feeds[0].error == "empty body: not a feed"


async def test_bad_encoding_declaration_is_accepted_with_warning(server, store):
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>Caf\xe9</title><guid>1</guid></item></channel></rss>"
    )
    server.route("/f", Reply(body=body, headers={"Content-Type": "application/rss+xml"}))
    report = await collect(config_for(server, "/f"), store)
    assert report.new_items == 1 and report.feeds[0].status == "ok"
    assert health(store, "f").warning
    assert store.query_items(ItemFilter())[0].title == "Café"


async def test_duplicate_guids_and_reruns_never_duplicate(server, store):
    entries = items(3) + items(3)  # every guid twice in one document
    server.route("/f", feed(rss(entries)))
    config = config_for(server, "/f")
    first = await collect(config, store)
    assert first.new_items == 3 and "repeated a guid" in health(store, "f").warning
    server.route("/f", feed(rss(items(4))))  # one more item, body changed
    second = await collect(config, store)
    assert second.new_items == 1 and store.count_items(ItemFilter()) == 4


async def test_missing_guids_are_keyed_by_link_or_hash(server, store):
    body = rss(
        [
            {"title": "by link", "link": "/a"},
            {"title": "by hash", "pubDate": format_datetime(NOW)},
            {"title": "by hash", "pubDate": format_datetime(NOW)},
        ]
    )
    server.route("/f", feed(body))
    config = config_for(server, "/f")
    assert (await collect(config, store)).new_items == 2
    server.route("/f", feed(body + " "))  # changed bytes, same entries
    assert (await collect(config, store)).new_items == 0


async def test_changed_item_is_updated_in_place_and_keeps_first_seen(server, store):
    one = [{"title": "Draft headline", "guid": "g", "pubDate": format_datetime(NOW)}]
    server.route("/f", feed(rss(one)))
    config = config_for(server, "/f")
    await collect(config, store)
    (before,) = store.query_items(ItemFilter())
    one[0]["title"] = "Final headline"
    server.route("/f", feed(rss(one)))
    report = await collect(config, store)
    assert report.new_items == 0 and report.feeds[0].updated_items == 1
    (after,) = store.query_items(ItemFilter())
    assert after.id == before.id and after.title == "Final headline"
    assert after.first_seen == before.first_seen


async def test_relative_and_javascript_links(server, store):
    body = rss(
        [
            {"title": "rel", "guid": "1", "link": "story/1"},
            {"title": "js", "guid": "2", "link": "javascript:alert(1)"},
        ]
    )
    server.route("/news/feed", feed(body))
    await collect(config_for(server, "/news/feed"), store)
    links = {i.title: i.link for i in store.query_items(ItemFilter())}
    assert links == {"rel": server.url("/news/story/1"), "js": None}


async def test_future_and_missing_dates(server, store):
    body = rss(
        [
            {"title": "future", "guid": "1", "pubDate": "Fri, 01 Jan 2100 00:00:00 GMT"},
            {"title": "undated", "guid": "2"},
        ]
    )
    server.route("/f", feed(body))
    before = datetime.now(UTC)
    await collect(config_for(server, "/f"), store)
    after = datetime.now(UTC)
    by_title = {i.title: i for i in store.query_items(ItemFilter())}
    assert before - timedelta(seconds=1) <= by_title["future"].published <= after
    assert by_title["undated"].published == by_title["undated"].first_seen


async def test_silent_feed_is_flagged_though_fetches_succeed(server, store):
    # Posted hourly, but the newest item is three days old.
    old = [
        {
            "title": f"t{i}",
            "guid": str(i),
            "pubDate": format_datetime(NOW - timedelta(days=3, hours=i)),
        }
        for i in range(10)
    ]
    server.route("/quiet", feed(rss(old)))
    server.route("/busy", feed(rss(items(10))))
    await collect(config_for(server, "/quiet", "/busy"), store)
    assert health(store, "quiet").silent and health(store, "quiet").status == "ok"
    assert not health(store, "busy").silent


@pytest.mark.slow
async def test_20k_item_feed_parses_off_the_loop(server, store):
    server.route("/huge", feed(rss(items(20_000, hours=0.001))))
    server.route("/small", Reply(body=rss(items(2, "s")).encode(), delay=0.3))
    config = config_for(
        server, "/huge", "/small", max_body_bytes=10_000_000, fetch_deadline=timedelta(seconds=20)
    )
    order: list[str] = []
    ticks = 0

    async def ticker(stop: asyncio.Event) -> None:
        nonlocal ticks
        while not stop.is_set():
            await asyncio.sleep(0.01)
            ticks += 1

    loop_thread = threading.current_thread()
    collector = Collector(config, store, on_feed_done=lambda r: order.append(r.name))
    pool = collector.parse_pool
    pool.slow_after = 0.1  # however fast this machine parses 20,000 entries
    exchange, expand = pool._exchange, parse_task.expand
    seen: dict[str, object] = {}

    def watched_exchange(task, body, progress=None):  # the pool's thread, while a worker parses
        start = ticks
        result = exchange(task, body, progress)
        seen["ticks during the parse"] = ticks - start
        return result

    def watched_expand(compact):
        seen["expanded on"] = threading.current_thread()
        return expand(compact)

    pool._exchange = watched_exchange  # type: ignore[method-assign]
    stop = asyncio.Event()
    tick = asyncio.create_task(ticker(stop))
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(parse_task, "expand", watched_expand)
            report = await collector.run_once()
    finally:
        await collector.aclose()
        stop.set()
        await tick
    assert report.new_items == 20_002
    assert order == ["small", "huge"]  # the small feed did not wait for the big parse
    # The loop kept serving while the worker parsed, and the 20,000 entries were rebuilt
    # off it (no wall-clock bound: the machine may be loaded).
    assert seen["ticks during the parse"] > 0
    assert seen["expanded on"] is not loop_thread


async def _until(condition, timeout: float = 60.0) -> None:
    """Wait for `condition` (a generous bound: a loaded machine is slow, not broken)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached"
        await asyncio.sleep(0.02)


async def test_watch_mode_polls_on_schedule_refreshes_on_request_and_stops(server, store):
    server.route("/f", feed(rss(items(2)), etag='"x"'))
    config = config_for(server, "/f", min_interval=timedelta(hours=1))
    done: list[str] = []
    collector = Collector(config, store, on_feed_done=lambda r: done.append(r.status))
    stop = asyncio.Event()
    task = asyncio.create_task(collector.run_forever(stop))
    # The feed reports before the pass ends; the next poll is planned once it has ended.
    await _until(lambda: done and collector.next_due is not None)
    assert done == ["ok"] and collector.running
    # The next poll is an interval away, so nothing is fetched until the refresh below.
    assert collector.next_due is not None
    assert collector.next_due > datetime.now(UTC) + timedelta(minutes=30)
    assert server.hits("/f") == 1
    collector.request_refresh(health(store, "f").id)
    await _until(lambda: len(done) == 2)
    assert done == ["ok", "not_modified"] and server.hits("/f") == 2
    stop.set()
    await asyncio.wait_for(task, 60)
    assert not collector.running and collector.last_report is not None
    await collector.aclose()


async def test_stop_waits_for_the_write_in_flight(server, store, monkeypatch):
    server.route("/f", feed(rss(items(3))))
    config = config_for(server, "/f")
    collector = Collector(config, store)
    real = store.record_fetch
    started = asyncio.Event()
    loop = asyncio.get_running_loop()

    def slow_record(*args, **kw):
        loop.call_soon_threadsafe(started.set)
        time.sleep(0.3)
        return real(*args, **kw)

    monkeypatch.setattr(store, "record_fetch", slow_record)
    stop = asyncio.Event()
    task = asyncio.create_task(collector.run_forever(stop))
    await asyncio.wait_for(started.wait(), 5)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert store.count_items(ItemFilter()) == 3  # committed before run_forever returned
    await collector.aclose()


async def test_only_limits_the_pass_to_given_feeds(server, store):
    server.route("/a", feed(rss(items(1, "a"))))
    server.route("/b", feed(rss(items(1, "b"))))
    config = config_for(server, "/a", "/b")
    store.sync_feeds(config.feeds)
    b_id = health(store, "b").id
    report = await collect(config, store, only=[b_id])
    assert [r.name for r in report.feeds] == ["b"] and server.hits("/a") == 0


async def test_internal_failure_is_held_back_not_retried_in_a_loop(server, store, monkeypatch):
    import sqlite3

    server.route("/f", feed(rss(items(1))))
    collector = Collector(config_for(server, "/f"), store)

    def broken(*args, **kw):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "record_fetch", broken)
    results = []
    collector.on_feed_done = results.append
    stop = asyncio.Event()
    task = asyncio.create_task(collector.run_forever(stop))
    for _ in range(400):  # until the failure is reported and the loop has planned past it
        await asyncio.sleep(0.025)
        if results and collector.next_due is not None:
            break
    stop.set()
    await task
    await collector.aclose()
    assert server.hits("/f") == 1
    assert results[0].status == "error" and "disk I/O error" in results[0].error
    assert collector.next_due > datetime.now(UTC)  # held back, not due again at once
