"""feeds/fetch.py against a real loopback server: every hostile behaviour, one test each."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import timedelta

import psutil
import pytest

from core import USER_AGENT, __version__
from feeds.fetch import Fetcher, parse_max_age, parse_retry_after
from tests.httpserver import Reply, TestServer, fast_settings, feed, gzip_stream, redirect, rss

BODY = rss([{"title": "One", "guid": "1"}]).encode()


@pytest.fixture
async def fetcher():
    f = Fetcher(fast_settings())
    yield f
    await f.aclose()


async def test_sends_user_agent_naming_afmon_version_and_home(server, fetcher):
    server.route("/f", feed(BODY))
    await fetcher.fetch(server.url("/f"))
    agent = server.last("/f").headers["user-agent"]
    assert agent == USER_AGENT
    assert "afmon" in agent and __version__ in agent and "https://" in agent


async def test_304_with_etag(server, fetcher):
    server.route("/f", feed(BODY, etag='"v1"'))
    first = await fetcher.fetch(server.url("/f"))
    assert first.http_status == 200 and first.body == BODY and first.etag == '"v1"'
    second = await fetcher.fetch(server.url("/f"), etag=first.etag)
    assert server.last("/f").headers["if-none-match"] == '"v1"'
    assert second.not_modified and second.http_status == 304 and second.body is None


async def test_304_with_last_modified(server, fetcher):
    stamp = "Mon, 01 Jan 2024 10:00:00 GMT"
    server.route("/f", feed(BODY, last_modified=stamp))
    first = await fetcher.fetch(server.url("/f"))
    assert first.last_modified == stamp and first.etag is None
    second = await fetcher.fetch(server.url("/f"), last_modified=first.last_modified)
    assert server.last("/f").headers["if-modified-since"] == stamp
    assert second.not_modified and second.http_status == 304


async def test_301_reports_permanent_url(server, fetcher):
    server.route("/old", redirect(server.url("/new"), 301))
    server.route("/new", feed(BODY))
    result = await fetcher.fetch(server.url("/old"))
    assert result.body == BODY
    assert result.permanent_url == server.url("/new") == result.final_url


async def test_308_then_302_records_only_the_permanent_hop(server, fetcher):
    server.route("/a", redirect("/b", 308))
    server.route("/b", redirect("/c", 302))
    server.route("/c", feed(BODY))
    result = await fetcher.fetch(server.url("/a"))
    assert result.body == BODY and result.final_url == server.url("/c")
    assert result.permanent_url == server.url("/b")


async def test_302_is_followed_but_not_recorded(server, fetcher):
    server.route("/tmp", redirect("/new", 302))
    server.route("/new", feed(BODY))
    result = await fetcher.fetch(server.url("/tmp"))
    assert result.body == BODY and result.final_url == server.url("/new")
    assert result.permanent_url is None


async def test_redirect_loop_is_an_error(server, fetcher):
    server.route("/a", redirect("/b", 302))
    server.route("/b", redirect("/a", 301))
    result = await fetcher.fetch(server.url("/a"))
    assert result.error_kind == "redirect" and "loop" in result.error
    assert server.hits("/a") == 1 and server.hits("/b") == 1


async def test_more_than_five_redirects_is_an_error(server, fetcher):
    for i in range(7):
        server.route(f"/r{i}", redirect(f"/r{i + 1}", 302))
    result = await fetcher.fetch(server.url("/r0"))
    assert result.error == "more than 5 redirects"
    assert server.hits("/r6") == 0


async def test_redirect_to_non_http_scheme_is_refused(server, fetcher):
    server.route("/a", redirect("file:///etc/passwd", 301))
    result = await fetcher.fetch(server.url("/a"))
    assert result.error_kind == "redirect" and "non-http" in result.error


async def test_410_is_gone(server, fetcher):
    server.route("/f", Reply(410))
    result = await fetcher.fetch(server.url("/f"))
    assert result.error_kind == "gone" and result.http_status == 410


async def test_429_reports_retry_after_seconds(server, fetcher):
    server.route("/f", Reply(429, headers={"Retry-After": "120"}))
    result = await fetcher.fetch(server.url("/f"))
    assert result.http_status == 429 and result.retry_after == 120
    assert result.error == "HTTP 429 Too Many Requests"


async def test_retry_after_http_date_and_cap():
    now = 1_700_000_000.0
    assert parse_retry_after("Tue, 14 Nov 2023 22:18:20 GMT", now) == pytest.approx(300)
    assert parse_retry_after("99999999", now) == 24 * 3600
    assert parse_retry_after("soon", now) is None
    assert parse_max_age("public, max-age=600") == 600
    assert parse_max_age("no-cache") is None


async def test_500_is_an_http_error(server, fetcher):
    server.route("/f", Reply(500, b"oops"))
    result = await fetcher.fetch(server.url("/f"))
    assert result.error == "HTTP 500 Internal Server Error" and result.retry_after is None


async def test_slow_drip_is_cut_at_the_deadline(server):
    # One byte every 0.3 s: never trips the 1 s read timeout, only the 2 s total deadline.
    server.route("/drip", Reply(body=b"x" * 1000, chunk_size=1, drip=0.3))
    fetcher = Fetcher(fast_settings())
    started = time.monotonic()
    result = await fetcher.fetch(server.url("/drip"))
    elapsed = time.monotonic() - started
    await fetcher.aclose()
    assert result.error_kind == "deadline"
    assert 1.9 < elapsed < 2.8


async def test_server_that_never_answers_times_out(server):
    server.route("/hang", Reply(hang=True))
    fetcher = Fetcher(fast_settings(fetch_deadline=timedelta(seconds=5)))
    result = await fetcher.fetch(server.url("/hang"))
    await fetcher.aclose()
    assert result.error_kind == "timeout" and "read timeout" in result.error
    assert result.elapsed < 2


async def test_connection_refused_is_a_network_error(fetcher):
    with TestServer() as gone:
        url = gone.url("/f")
    result = await fetcher.fetch(url)
    assert result.error_kind == "network" and result.error.startswith("cannot connect")


async def test_connection_reset_mid_body_is_a_network_error(server, fetcher):
    server.route("/f", Reply(body=BODY * 10, chunk_size=100, reset_after=150))
    result = await fetcher.fetch(server.url("/f"))
    assert result.error_kind == "network"


async def test_gzip_bomb_is_stopped_under_the_cap_with_small_memory(server):
    # 2 GB of zeros, about 2 MB on the wire; the cap is 1 MB decoded.
    server.route("/bomb", Reply(body=gzip_stream(2 << 30), headers={"Content-Encoding": "gzip"}))
    fetcher = Fetcher(fast_settings(fetch_deadline=timedelta(seconds=10)))
    process = psutil.Process(os.getpid())
    before = process.memory_info().rss
    started = time.monotonic()
    result = await fetcher.fetch(server.url("/bomb"))
    await fetcher.aclose()
    assert result.error_kind == "too_large" and "decompressed" in result.error
    assert time.monotonic() - started < 2
    assert process.memory_info().rss - before < 50 << 20


async def test_gzip_body_is_decoded(server, fetcher):
    server.route("/f", feed(BODY, gzip=True))
    result = await fetcher.fetch(server.url("/f"))
    assert server.last("/f").headers["accept-encoding"] == "gzip, deflate"
    assert result.body == BODY


async def test_oversized_body_is_refused_while_streaming(server, fetcher):
    # No Content-Length (chunked), so the cap must be enforced on the stream itself.
    chunks = (b"<rss>" + b"x" * 65536 for _ in range(100))
    server.route("/big", Reply(body=chunks))
    result = await fetcher.fetch(server.url("/big"))
    assert result.error_kind == "too_large" and "1,000,000" in result.error


async def test_announced_oversized_body_is_refused_before_reading(server, fetcher):
    server.route("/big", Reply(body=b"x" * 2_000_000))
    result = await fetcher.fetch(server.url("/big"))
    assert result.error_kind == "too_large" and "announced" in result.error


async def test_per_host_limit_holds_two_at_once(server):
    active = 0
    peak = 0
    lock = asyncio.Lock()

    def slow(request):
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        time.sleep(0.2)
        active -= 1
        return Reply(body=BODY)

    for i in range(6):
        server.route(f"/f{i}", slow)
    fetcher = Fetcher(fast_settings(concurrency=16, per_host=2))
    async with lock:
        results = await asyncio.gather(*(fetcher.fetch(server.url(f"/f{i}")) for i in range(6)))
    await fetcher.aclose()
    assert all(r.body == BODY for r in results)
    assert peak == 2
