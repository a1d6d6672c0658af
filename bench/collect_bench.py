"""Collector benchmark: N feeds x M items served on loopback, a cold and a warm pass.

    .venv/bin/python bench/collect_bench.py --feeds 200 --items 50

The feeds are spread over several loopback addresses (127.0.0.2, 127.0.0.3 ...), one server
each, because real feeds come from many hosts and the collector allows only `per_host`
fetches per host at once. Servers run in a child process so the peak RSS printed is the
collector's own. Every feed sends ETag and Last-Modified: the warm pass measures the cost of
a round of 304s. A fresh temporary database is used each run.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLACES = ["Panjshir", "Kabul", "Kunduz", "Helmand", "Badakhshan", "Herat", "Nangarhar", "Balkh"]
ACTORS = ["Taliban", "NRF", "ISKP", "TTP", "Pakistan", "UN", "residents", "officials"]
VERBS = ["clash in", "report fighting near", "deny attack in", "meet elders of", "patrol"]


def make_feed(n: int, items: int, now: datetime) -> bytes:
    from tests.httpserver import rss

    rng = random.Random(n)
    entries = []
    for i in range(items):
        title = f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(PLACES)} ({n}/{i})"
        summary = (
            f"&lt;p&gt;{rng.choice(ACTORS)} said on {rng.choice(['Monday', 'Tuesday'])} that "
            f"{rng.choice(ACTORS)} moved towards {rng.choice(PLACES)}. " * 3 + "&lt;/p&gt;"
        )
        entries.append(
            {
                "title": title,
                "link": f"/story/{n}/{i}",
                "guid": f"urn:bench:{n}:{i}",
                "description": summary,
                "pubDate": format_datetime(now - timedelta(minutes=37 * i + n)),
            }
        )
    return rss(entries, title=f"Bench feed {n}").encode()


def serve(feeds: int, items: int, hosts: int, urls: mp.Queue, stop: mp.Event) -> None:
    from tests.httpserver import TestServer, feed, http_date

    now = datetime.now(UTC)
    servers = [TestServer(host=f"127.0.0.{2 + h}").start() for h in range(hosts)]
    out = []
    for n in range(feeds):
        srv = servers[n % len(servers)]
        path = f"/feed/{n}.xml"
        srv.route(
            path,
            feed(
                make_feed(n, items, now),
                etag=f'"bench-{n}"',
                last_modified=http_date(now.timestamp()),
            ),
        )
        out.append(srv.url(path))
    urls.put(out)
    stop.wait()
    for srv in servers:
        srv.stop()


async def run(
    urls: list[str], db: Path, concurrency: int, per_host: int
) -> list[tuple[str, float, int, int]]:
    from analysis.pipeline import collector_hooks
    from core.config import Config, FeedConfig, Settings
    from feeds.collect import Collector
    from store import Store

    config = Config(
        settings=Settings(concurrency=concurrency, per_host=per_host),
        feeds=[FeedConfig(name=f"feed {i}", url=u) for i, u in enumerate(urls)],
    )
    store = Store.open(db)
    collector = Collector(config, store, hooks=collector_hooks(store, config.watch))
    rows = []
    try:
        for label in ("cold", "warm"):
            started = time.perf_counter()
            report = await collector.run_once()
            seconds = time.perf_counter() - started
            if report.failed:
                errors = {r.error for r in report.feeds if r.error}
                print(
                    f"  {label}: {report.failed} feeds failed: {sorted(errors)[:3]}",
                    file=sys.stderr,
                )
            rows.append((label, seconds, report.new_items, report.not_modified))
    finally:
        await collector.aclose()
        store.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=20, help="loopback addresses to spread over")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-host", type=int, default=2)
    args = parser.parse_args()

    ctx = mp.get_context("spawn")
    urls_q: mp.Queue = ctx.Queue()
    stop = ctx.Event()
    child = ctx.Process(target=serve, args=(args.feeds, args.items, args.hosts, urls_q, stop))
    child.start()
    try:
        urls = urls_q.get(timeout=120)
        with tempfile.TemporaryDirectory() as tmp:
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            rows = asyncio.run(run(urls, Path(tmp) / "bench.db", args.concurrency, args.per_host))
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            size = (Path(tmp) / "bench.db").stat().st_size
    finally:
        stop.set()
        child.join(10)
    print(
        f"collect bench: {args.feeds} feeds x {args.items} items over {args.hosts} hosts,"
        f" concurrency {args.concurrency}, per_host {args.per_host}"
    )
    for label, seconds, new, not_modified in rows:
        rate = f"{new / seconds:,.0f} items/s" if new else f"{args.feeds / seconds:,.0f} feeds/s"
        print(f"  {label:5} {seconds:7.2f} s  {new:6} new  {not_modified:4} not modified  {rate}")
    print(
        f"  peak RSS {peak / 1024:.0f} MB (before collecting {rss_before / 1024:.0f} MB);"
        f" database {size / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
