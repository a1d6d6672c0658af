"""feeds/robots.py: RFC 9309 matching, the per-host cache against a real loopback server, and
what collect does under each `settings.robots_txt` policy."""

from __future__ import annotations

import asyncio
from urllib.robotparser import RobotFileParser

import pytest

from core.config import Config, FeedConfig
from feeds.collect import Collector
from feeds.fetch import Fetcher
from feeds.robots import RobotsCache, allowed_by
from store import Store
from tests.httpserver import Reply, TestServer, fast_settings, feed, rss

AGENT = "afmon/1.0 (+https://example.org)"


def rules(text: str) -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return parser


@pytest.mark.parametrize(
    ("robots", "path", "allowed"),
    [
        ("User-agent: *\nDisallow: /api/", "/api/", False),
        ("User-agent: *\nDisallow: /api/", "/api/zbqiml-vomx-tpeqkmy", False),
        ("User-agent: *\nDisallow: /api/", "/feed/", True),
        # RFC 9309: the longest match wins, whatever the order (robotparser takes the first)
        ("User-agent: *\nDisallow: /api/\nAllow: /api/rss", "/api/rss", True),
        ("User-agent: *\nAllow: /api/\nDisallow: /api/private", "/api/private/x", False),
        # an Allow wins a tie
        ("User-agent: *\nDisallow: /feed\nAllow: /feed", "/feed", True),
        # wildcards and end anchors
        ("User-agent: *\nDisallow: /*.xml$", "/rss.xml", False),
        ("User-agent: *\nDisallow: /*.xml$", "/rss.xml?x=1", True),
        ("User-agent: *\nDisallow: /*/feed", "/fa/feed/", False),
        ("User-agent: *\nDisallow: /*/feed", "/feed/", True),
        # our own group beats the * group
        ("User-agent: *\nDisallow: /\n\nUser-agent: afmon\nAllow: /", "/feed", True),
        ("User-agent: *\nAllow: /\n\nUser-agent: afmon\nDisallow: /feed", "/feed", False),
        ("User-agent: Googlebot\nDisallow: /", "/feed", True),
        ("User-agent: *\nDisallow:", "/feed", True),
        ("", "/feed", True),
        # the query string counts
        ("User-agent: *\nDisallow: /rss?cat=", "/rss?cat=world", False),
    ],
)
def test_rfc9309_matching(robots, path, allowed):
    assert allowed_by(rules(robots), AGENT, f"https://example.org{path}") is allowed


async def verdicts(settings, *urls: str, deadline: float | None = None):
    fetcher = Fetcher(settings)
    try:
        cache = RobotsCache(fetcher, deadline=deadline)
        return await asyncio.gather(*(cache.verdict(u) for u in urls))
    finally:
        await fetcher.aclose()


async def test_one_request_per_host_for_many_feeds(server):
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /api/\n"))
    got = await verdicts(
        fast_settings(), server.url("/api/a"), server.url("/api/b"), server.url("/feed")
    )
    assert [v.allowed for v in got] == [False, False, True]
    assert "disallows" in got[0].note and server.url("/robots.txt") in got[0].note
    assert got[2].note is None
    assert server.hits("/robots.txt") == 1


async def test_missing_robots_txt_means_no_rules(server):
    (verdict,) = await verdicts(fast_settings(), server.url("/api/a"))
    assert verdict.allowed and verdict.note is None
    assert server.hits("/robots.txt") == 1


async def test_server_error_allows_with_a_note(server):
    server.route("/robots.txt", Reply(503))
    (verdict,) = await verdicts(fast_settings(), server.url("/feed"))
    assert verdict.allowed
    assert verdict.note.startswith("robots.txt not read: HTTP 503")


async def test_a_hanging_robots_txt_costs_at_most_its_deadline(server):
    server.route("/robots.txt", Reply(hang=True))
    (verdict,) = await verdicts(fast_settings(), server.url("/feed"), deadline=0.3)
    assert verdict.allowed
    assert "no answer within 0.3 s" in verdict.note


# -- the collector under each policy ---------------------------------------------------------


async def collect_once(server: TestServer, store: Store, policy: str, passes: int = 1):
    config = Config(
        settings=fast_settings(robots_txt=policy),
        feeds=[FeedConfig(name="f", url=server.url("/api/feed"))],
    )
    collector = Collector(config, store)
    try:
        for _ in range(passes):
            report = await collector.run_once()
    finally:
        await collector.aclose()
    state = next(f for f in store.feeds(silent_after=4.0) if f.name == "f")
    return report.feeds[0], state


def disallowing_server(server: TestServer) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /api/\n"))
    server.route("/api/feed", feed(rss([{"title": "one", "guid": "1"}])))


async def test_report_policy_fetches_and_notes_the_disallow(server, store):
    # "report" never waits for robots.txt: the first pass may finish before it is read, so the
    # note is certain from the second pass on (robots.txt is cached by then).
    disallowing_server(server)
    result, state = await collect_once(server, store, "report", passes=2)
    assert result.status in ("ok", "not_modified") and server.hits("/api/feed") == 2
    assert state.item_count == 1
    assert "robots.txt" in state.warning and "disallows" in state.warning
    assert server.hits("/robots.txt") == 1


async def test_obey_policy_skips_the_feed(server, store):
    disallowing_server(server)
    result, state = await collect_once(server, store, "obey")
    assert result.status == "error" and "disallows" in result.error
    assert server.hits("/api/feed") == 0
    assert state.status == "error" and state.next_try is not None


async def test_obey_policy_fetches_an_allowed_feed(server, store):
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n"))
    server.route("/api/feed", feed(rss([{"title": "one", "guid": "1"}])))
    result, _ = await collect_once(server, store, "obey")
    assert (result.status, result.new_items) == ("ok", 1)


async def test_ignore_policy_never_asks_for_robots_txt(server, store):
    disallowing_server(server)
    result, state = await collect_once(server, store, "ignore")
    assert result.status == "ok" and not state.warning
    assert server.hits("/robots.txt") == 0
