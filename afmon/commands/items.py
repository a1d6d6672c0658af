"""`afmon items`: query the database with the shared filter flags or the query language.

afmon items --province helmand --actor isk --since 7d
afmon items --query 'front:"Panjshir & Andarab" since:24h ambush' --json
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC

from afmon.commands.common import add_config_args, fail, with_store
from afmon.commands.filters import add_filter_args, filter_from_args
from core.config import Config
from core.sanitize import clean
from store import Item, ItemFilter, Store


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("items", help="list stored items matching a filter")
    add_config_args(p)
    add_filter_args(p)
    p.add_argument("--limit", type=int, default=50, help="at most this many items (default 50)")
    p.add_argument("--rank", action="store_true", help="order a --search by relevance")
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.set_defaults(func=run)


def item_json(item: Item) -> dict:
    return {
        "id": item.id,
        "feed": item.feed,
        "title": item.title,
        "url": item.link,
        "published": item.published.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "provinces": list(item.provinces),
        "actors": list(item.actors),
    }


def _row(item: Item) -> str:
    when = item.published.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    tags = ",".join(code.removeprefix("AF-") for code in (*item.provinces, *item.actors))
    flags = ("*" if item.flagged else " ") + (" " if item.read else "•")
    return (
        f"{when} {flags} {clean(item.outlet, max_len=16):<16} {tags[:24]:<24} "
        f"{clean(item.title, max_len=120)}"
    )


def run(args: argparse.Namespace) -> int:
    if args.limit < 1:
        return fail("--limit: must be at least 1")

    def body(config: Config, store: Store) -> int:
        flt: ItemFilter = filter_from_args(args, config)
        order = "rank" if args.rank and flt.text else "newest"
        items = store.query_items(flt, args.limit, order=order)
        out = sys.stdout
        if args.json:
            for item in items:
                out.write(json.dumps(item_json(item), ensure_ascii=False) + "\n")
            return 0
        if not items:
            print("no items match", file=sys.stderr)
            return 0
        out.write(f"{'published (UTC)':<16} {'':2} {'outlet':<16} {'tags':<24} title\n")
        for item in items:
            out.write(_row(item) + "\n")
        total = store.count_items(flt)
        if total > len(items):
            print(f"{len(items)} of {total} items (use --limit)", file=sys.stderr)
        return 0

    return with_store(args, body, readonly=True)
