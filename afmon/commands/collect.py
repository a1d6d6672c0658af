"""`afmon collect --once | --watch`: fetch every enabled feed into the database.

`--once` runs one pass over all enabled feeds whatever their schedule, except feeds still
inside a server's Retry-After window or disabled by 410 Gone: those are listed as "error" with
the reason (a forced pass must not hammer a server that asked us to wait). Beside the pass it
places items an earlier run committed but was killed before placing, so after it every item
has its story. Exit 0 when the pass ran, whatever single feeds did.

`--watch` polls each feed on its own schedule until SIGINT/SIGTERM, then lets the writes in
flight finish. Same `Collector` as the monitor's embedded worker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import signal
import sys
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from afmon.commands.common import add_config_args, with_store
from core.config import Config

if TYPE_CHECKING:
    from store import Store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "collect",
        help="fetch feeds into the database",
        description="Fetch every enabled feed once (--once) or continuously (--watch).",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="one pass over all enabled feeds")
    mode.add_argument(
        "--watch", action="store_true", help="poll each feed on its schedule until interrupted"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="--once: print one JSON report; --watch: one JSON line per feed fetched",
    )
    add_config_args(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    def body(config: Config, store: Store) -> int:
        if args.once:
            return asyncio.run(_once(config, store, as_json=args.json))
        return asyncio.run(_watch(config, store, as_json=args.json))

    return with_store(args, body)


class Progress:
    """One redrawn line on a terminal: feeds done / total, new items, failures."""

    def __init__(self, total: int, out: TextIO, *, show_new: bool = True):
        self.total, self.out, self.show_new = total, out, show_new
        self.done = self.new = self.failed = 0

    def update(self, result: object) -> None:
        self.done += 1
        self.new += getattr(result, "new_items", 0)
        self.failed += getattr(result, "status", "") == "error"
        self.draw()

    def draw(self) -> None:
        width = max(10, min(40, shutil.get_terminal_size((80, 24)).columns - 50))
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        new = f"{self.new} new  " if self.show_new else ""
        self.out.write(f"\r[{bar}] {self.done}/{self.total} feeds  {new}{self.failed} failed ")
        self.out.flush()

    def close(self) -> None:
        self.out.write("\r" + " " * (shutil.get_terminal_size((80, 24)).columns - 1) + "\r")
        self.out.flush()


async def _once(config: Config, store: Store, *, as_json: bool) -> int:
    from analysis.pipeline import collector_hooks
    from feeds.collect import Collector

    enabled = sum(1 for f in config.feeds if f.enabled)
    progress = Progress(enabled, sys.stderr) if sys.stderr.isatty() and not as_json else None
    collector = Collector(
        config,
        store,
        hooks=collector_hooks(store, config.watch),
        on_feed_done=progress.update if progress else None,
    )
    try:
        if progress:
            progress.draw()
        report = await collector.run_once(force=True, catch_up=True)
    finally:
        if progress:
            progress.close()
        await collector.aclose()
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
        return 0
    ok = sum(1 for r in report.feeds if r.status == "ok")
    print(
        f"{len(report.feeds)} feeds: {ok} ok, {report.not_modified} not modified,"
        f" {report.failed} failed; {report.new_items} new items in {report.seconds:.1f} s"
    )
    for result in report.feeds:
        if result.status == "error":
            print(f"  {result.name}: {result.error}")
    return 0


async def _watch(config: Config, store: Store, *, as_json: bool) -> int:
    from analysis.pipeline import collector_hooks
    from feeds.collect import Collector, FeedResult

    def show(result: FeedResult) -> None:
        if as_json:
            line = {"time": datetime.now().astimezone().isoformat(timespec="seconds")}
            print(json.dumps({**line, **result.to_json()}, ensure_ascii=False), flush=True)
        elif result.new_items or result.status == "error":
            what = f"{result.new_items} new" if result.status != "error" else result.error
            print(f"{datetime.now():%H:%M:%S} {result.name}: {what}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    collector = Collector(
        config,
        store,
        hooks=collector_hooks(store, config.watch),
        on_feed_done=show,
    )
    if not as_json:
        print(f"afmon: watching {len(config.feeds)} feeds; Ctrl-C stops", file=sys.stderr)
    try:
        await collector.run_forever(stop)
    finally:
        await collector.aclose()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    if not as_json:
        print("afmon: stopped", file=sys.stderr)
    return 0
