"""Collector benchmark, in process: N feeds x M items on loopback, a cold pass, warm passes,
and the floor a warm pass is measured against.

    .venv/bin/python bench/collect_bench.py [--corpus bench|similar] [--hosts 20]
                                            [--feeds 200] [--items 50] [--json]

The feeds are spread over `--hosts` loopback addresses (127.0.0.2, 127.0.0.3 ...), one server
each; `--hosts 1` serves them all from one host, where `per_host` is the only gate. Servers
run in a child process. Every feed sends ETag and Last-Modified, so a warm pass is a round
of 304s. A fresh temporary database is used each run.

- cold: `Collector.run_once()` on an empty database (the monitor's and `collect --once`'s
  code path, without the interpreter's start);
- warm: the same collector again, nothing changed (median of 5): the monitor's warm pass;
- floor: a bare httpx.AsyncClient sending the same conditional GETs under the same gates
  (concurrency, per_host) and reading the 304s (median of 5): what any Python collector
  must spend. The goal is warm <= 1.5x floor.
- peak memory of this process and its children (the parse workers), sampled while it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from corpora import CORPORA, bench_feed  # noqa: E402

# Kept for callers of the historical name (bench/run_all.py's tagger figure).
make_feed = bench_feed


def serve(
    feeds: int, items: int, hosts: int, urls: mp.Queue, stop: Any, corpus: str = "bench"
) -> None:
    from tests.httpserver import TestServer, feed, http_date

    make = CORPORA[corpus]
    now = datetime.now(UTC)
    servers = [TestServer(host=f"127.0.0.{2 + h}").start() for h in range(hosts)]
    out = []
    for n in range(feeds):
        srv = servers[n % len(servers)]
        path = f"/feed/{n}.xml"
        srv.route(
            path,
            feed(
                make(n, items, now),
                etag=f'"bench-{n}"',
                last_modified=http_date(now.timestamp()),
            ),
        )
        out.append(srv.url(path))
    urls.put(out)
    stop.wait()
    for srv in servers:
        srv.stop()


def start_server(feeds: int, items: int, hosts: int, corpus: str) -> tuple[list[str], Any, Any]:
    """Serve the corpus from a child process; (urls, stop event, child)."""
    ctx = mp.get_context("spawn")
    urls_q: mp.Queue = ctx.Queue()
    stop = ctx.Event()
    child = ctx.Process(target=serve, args=(feeds, items, hosts, urls_q, stop, corpus))
    child.start()
    try:
        urls = urls_q.get(timeout=180)
    except Exception:
        stop.set()
        child.join(10)
        raise
    return urls, stop, child


async def floor(urls: list[str], validators: dict[str, tuple[str, str]], settings: Any) -> float:
    """Seconds for a bare httpx client to send every conditional GET under the collector's
    gates and read the answers: no schedule, no database, no parse."""
    import httpx

    gate = asyncio.Semaphore(settings.concurrency)
    hosts: dict[str, asyncio.Semaphore] = {}
    limits = httpx.Limits(
        max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
    )
    async with httpx.AsyncClient(limits=limits) as client:

        async def one(url: str) -> int:
            etag, modified = validators[url]
            host = urlsplit(url).hostname or ""
            per = hosts.setdefault(host, asyncio.Semaphore(settings.per_host))
            async with per, gate:
                headers = {"If-None-Match": etag, "If-Modified-Since": modified}
                response = await client.get(url, headers=headers)
                return response.status_code

        started = time.perf_counter()
        codes = await asyncio.gather(*(one(u) for u in urls))
        seconds = time.perf_counter() - started
    assert set(codes) == {304}, f"the floor expected 304s, got {sorted(set(codes))}"
    return seconds


async def run(
    urls: list[str], db: Path, concurrency: int, per_host: int, warm_runs: int = 5
) -> dict[str, Any]:
    from analysis.pipeline import collector_hooks
    from core.config import Config, FeedConfig, Settings
    from feeds.collect import Collector
    from store import Store

    settings = Settings(concurrency=concurrency, per_host=per_host)
    config = Config(
        settings=settings, feeds=[FeedConfig(name=f"feed {i}", url=u) for i, u in enumerate(urls)]
    )
    store = Store.open(db)
    collector = Collector(config, store, hooks=collector_hooks(store, config.watch))
    out: dict[str, Any] = {}
    try:
        started = time.perf_counter()
        report = await collector.run_once()
        out["cold_s"] = time.perf_counter() - started
        out["cold_new"] = report.new_items
        out["cold_failed"] = report.failed
        if report.failed:
            errors = sorted({r.error or "" for r in report.feeds if r.error})
            print(f"  cold: {report.failed} feeds failed: {errors[:3]}", file=sys.stderr)
        warm = []
        for _ in range(warm_runs):
            started = time.perf_counter()
            report = await collector.run_once()
            warm.append(time.perf_counter() - started)
            assert report.not_modified == len(urls), report.to_json()
        out["warm_s"] = statistics.median(warm)
    finally:
        await collector.aclose()
    states = {s.url: s for s in store.feeds(datetime.now(UTC), 4.0)}
    validators = {u: (states[u].etag or "", states[u].last_modified or "") for u in urls}
    store.close()
    floors = [await floor(urls, validators, settings) for _ in range(warm_runs)]
    out["floor_s"] = statistics.median(floors)
    out["warm_over_floor"] = out["warm_s"] / out["floor_s"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="bench")
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=20, help="loopback addresses to spread over")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    from treemem import TreeSampler

    urls, stop, child = start_server(args.feeds, args.items, args.hosts, args.corpus)
    try:
        sampler = TreeSampler(os.getpid(), exclude=(child.pid,))  # the server is not ours
        with tempfile.TemporaryDirectory() as tmp, sampler:
            db = Path(tmp) / "bench.db"
            result = asyncio.run(run(urls, db, args.concurrency, args.per_host))
            size = db.stat().st_size
    finally:
        stop.set()
        child.join(10)
    result |= {
        "corpus": args.corpus,
        "feeds": args.feeds,
        "items": args.items,
        "hosts": args.hosts,
        "db_mb": size / 1e6,
        "tree_rss_mb": sampler.peak.rss_mb,
        "tree_pss_mb": sampler.peak.pss_mb,
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"collect bench ({args.corpus}): {args.feeds} feeds x {args.items} items over"
        f" {args.hosts} hosts, concurrency {args.concurrency}, per_host {args.per_host}"
    )
    print(f"  cold   {result['cold_s']:7.2f} s  {result['cold_new']} new")
    print(f"  warm   {result['warm_s']:7.3f} s  (median of 5, in process)")
    print(f"  floor  {result['floor_s']:7.3f} s  (bare httpx, same conditional GETs and gates)")
    print(f"  warm / floor {result['warm_over_floor']:.2f}x (goal <= 1.5x)")
    print(
        f"  peak memory of this process and its workers: RSS {sampler.peak.rss_mb:.0f} MB,"
        f" PSS {sampler.peak.pss_mb:.0f} MB; database {size / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
