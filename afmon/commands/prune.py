"""`afmon prune --older-than 180d`: delete old items (flagged ones are kept) and say what went."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from afmon.commands.common import add_config_args, fail, positive_duration, with_store
from core.config import Config
from core.durations import format_duration
from store import Store


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("prune", help="delete items older than a duration (flagged kept)")
    add_config_args(p)
    p.add_argument("--older-than", required=True, metavar="DURATION", help="e.g. 180d, 26w")
    p.add_argument("--dry-run", action="store_true", help="report, delete nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    age = positive_duration(args.older_than, "--older-than")
    if isinstance(age, str):
        return fail(age)

    def body(config: Config, store: Store) -> int:
        cutoff = datetime.now(UTC) - age
        report = store.prune(cutoff, dry_run=args.dry_run)
        if args.json:
            print(
                json.dumps(
                    {
                        "items": report.items,
                        "tags": report.tags,
                        "per_feed": report.per_feed,
                        "kept_flagged": report.kept_flagged,
                        "dry_run": report.dry_run,
                        "cutoff": cutoff.isoformat(),
                    }
                )
            )
            return 0
        verb = "would remove" if report.dry_run else "removed"
        print(
            f"{verb} {report.items} items and {report.tags} tags published before "
            f"{cutoff:%Y-%m-%d %H:%M} UTC (older than {format_duration(age)}); "
            f"kept {report.kept_flagged} flagged"
        )
        for name, n in report.per_feed.items():
            print(f"  {n:>8}  {name}")
        return 0

    return with_store(args, body)
