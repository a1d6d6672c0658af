"""Items that attack the data: guids, dates, link schemes. Nothing is duplicated, nothing
dangerous is stored, and a restart (a second pass by a new collector) changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from core.config import Config, FeedConfig
from feeds.collect import Collector
from store import ItemFilter, Store
from tests.hostile.cases import hostile_settings
from tests.httpserver import TestServer, feed, rss


async def run(server: TestServer, path, names: list[str]):
    feeds = [FeedConfig(name=n, url=server.url(f"/{n}")) for n in names]
    store = Store.open(path)
    collector = Collector(Config(settings=hostile_settings(), feeds=feeds), store)
    try:
        report = await collector.run_once()
    finally:
        await collector.aclose()
    return report, store


def all_items(store: Store):
    return store.query_items(ItemFilter(), limit=10_000)


async def test_guid_attacks_never_duplicate_even_after_restarts(server, tmp_path):
    entries = [
        {"title": "same guid one", "guid": "dup"},
        {"title": "same guid two", "guid": "dup"},
        {"title": "blank guid", "guid": "   ", "link": "https://n.example/blank"},
        {"title": "no guid, link", "link": "https://n.example/a"},
        {"title": "no guid, link again", "link": "https://n.example/a"},
        {"title": "nothing at all"},
        {"title": "nothing at all"},
        {"title": "huge guid", "guid": "g" * 100_000},
    ]
    server.route("/a", feed(rss(entries)))
    server.route("/b", feed(rss([{"title": "other outlet", "guid": "dup"}])))
    db = tmp_path / "afmon.db"
    first, store = await run(server, db, ["a", "b"])
    count = len(all_items(store))
    assert count == 6, [i.title for i in all_items(store)]
    store.close()
    for _ in range(2):  # restarts: new store, new collector, same database
        again, store = await run(server, db, ["a", "b"])
        assert len(all_items(store)) == count and again.new_items == 0
        store.close()
    store = Store.open(db)
    by_feed = {}
    for item in all_items(store):
        by_feed.setdefault(item.feed, []).append(item.title)
    # The same guid in two feeds is two items: one per outlet.
    assert "other outlet" in by_feed["b"] and "same guid one" in by_feed["a"]
    store.close()


async def test_absurd_dates_never_break_ordering_or_the_clock(server, tmp_path):
    entries = [
        {"title": "epoch", "guid": "1970", "pubDate": "Thu, 01 Jan 1970 00:00:00 GMT"},
        {"title": "before epoch", "guid": "1900", "pubDate": "Mon, 01 Jan 1900 00:00:00 GMT"},
        {"title": "far future", "guid": "2100", "pubDate": "Fri, 01 Jan 2100 00:00:00 GMT"},
        {"title": "year 9999", "guid": "9999", "pubDate": "Fri, 31 Dec 9999 23:59:59 GMT"},
        {"title": "garbage", "guid": "junk", "pubDate": "yesterday-ish \x1b[2J"},
        {"title": "overflow", "guid": "big", "pubDate": "Mon, 01 Jan 99999999 00:00:00 GMT"},
        {"title": "empty", "guid": "empty", "pubDate": ""},
    ]
    server.route("/d", feed(rss(entries)))
    report, store = await run(server, tmp_path / "afmon.db", ["d"])
    assert report.feeds[0].status == "ok" and report.new_items == len(entries)
    now = datetime.now(UTC)
    for item in all_items(store):
        assert item.published is None or item.published <= now, (item.title, item.published)
    titles = {i.title: i for i in all_items(store)}
    assert titles["epoch"].published.year == 1970
    assert titles["far future"].published.year == now.year  # clamped to now, never 2100
    store.close()


async def test_only_http_links_are_stored_and_relative_links_resolve(server, tmp_path):
    links = {
        "js": "javascript:alert(document.cookie)",
        "js-upper": " JaVaScRiPt:alert(1)",
        "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file": "file:///etc/passwd",
        "vbscript": "vbscript:msgbox(1)",
        "ctrl": "https://n.example/\x1b]8;;http://evil/\x1b\\",
        "relative": "/story/42",
        "dot": "../up/1",
        "proto-relative": "//cdn.example/x",
        "ok": "https://n.example/ok",
    }
    entries = [{"title": k, "guid": k, "link": v} for k, v in links.items()]
    server.route("/l", feed(rss(entries)))
    report, store = await run(server, tmp_path / "afmon.db", ["l"])
    assert report.new_items == len(links)
    got = {i.title: i.link for i in all_items(store)}
    for name in ("js", "js-upper", "data", "file", "vbscript", "ctrl"):
        assert got[name] is None, (name, got[name])
    assert got["relative"] == server.url("/story/42")
    assert got["dot"] == server.url("/up/1")
    assert got["proto-relative"] == "http://cdn.example/x"
    assert got["ok"] == "https://n.example/ok"
    store.close()
