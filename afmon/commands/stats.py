"""`afmon stats`: database size and item counts by outlet, province and actor."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from afmon.commands.common import add_config_args, with_store
from core.config import Config
from core.sanitize import clean
from core.vocab import actor_name, province_name
from store import Store


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("stats", help="database size and item counts")
    add_config_args(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M") if ts else "-"


def run(args: argparse.Namespace) -> int:
    def body(config: Config, store: Store) -> int:
        s = store.stats()
        if args.json:
            print(json.dumps(s.to_json(), ensure_ascii=False))
            return 0
        print(f"database  {s.path}")
        print(f"size      {s.size_bytes / 1e6:,.1f} MB")
        print(
            f"items     {s.items:,} in {s.feeds} feeds, published "
            f"{_when(s.oldest)} .. {_when(s.newest)} UTC"
        )
        for title, counts, name in (
            ("by outlet", s.by_outlet, lambda x: x),
            ("by province", s.by_province, province_name),
            ("by actor", s.by_actor, actor_name),
        ):
            print(f"\n{title}")
            for key, n in counts.items():
                print(
                    f"  {n:>10,}  {clean(name(key), max_len=40):<40} {key if key != name(key) else ''}"
                )
        return 0

    return with_store(args, body, readonly=True)
