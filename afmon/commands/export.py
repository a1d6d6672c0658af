"""`afmon export`: every item matching the `afmon items` filters, as JSON lines or CSV, with
summary, link, outlet, times, tags and the evidence for each tag."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any, TextIO

from afmon.commands.common import add_config_args, fail, with_store
from afmon.commands.filters import add_filter_args, filter_from_args
from core.config import Config
from store import Item, Store, Tag

FIELDS = (
    "id",
    "feed",
    "outlet",
    "title",
    "summary",
    "link",
    "published",
    "first_seen",
    "provinces",
    "actors",
    "evidence",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("export", help="export matching items as JSON lines or CSV")
    add_config_args(p)
    add_filter_args(p)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--limit", type=int, default=None, help="at most this many items")
    p.set_defaults(func=run)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def record(item: Item, tags: list[Tag]) -> dict[str, Any]:
    return {
        "id": item.id,
        "feed": item.feed,
        "outlet": item.outlet,
        "title": item.title,
        "summary": item.summary,
        "link": item.link,
        "published": _iso(item.published),
        "first_seen": _iso(item.first_seen),
        "provinces": list(item.provinces),
        "actors": list(item.actors),
        "evidence": [
            {"kind": t.kind, "code": t.code, "start": t.start, "end": t.end, "text": t.text}
            for t in tags
        ],
    }


def write(rows, fmt: str, out: TextIO) -> int:
    n = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, FIELDS)
        writer.writeheader()
    for item, tags in rows:
        rec = record(item, tags)
        if fmt == "csv":
            rec["provinces"] = ";".join(rec["provinces"])
            rec["actors"] = ";".join(rec["actors"])
            rec["evidence"] = json.dumps(rec["evidence"], ensure_ascii=False)
            writer.writerow(rec)
        else:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def run(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        return fail("--limit: must be at least 1")

    def body(config: Config, store: Store) -> int:
        flt = filter_from_args(args, config)
        try:
            target = (
                open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
                if args.output
                else nullcontext(sys.stdout)
            )
        except OSError as exc:
            return fail(f"--output {args.output}: {exc.strerror}", 1)
        with target as out:
            n = write(store.iter_items(flt, args.limit), args.format, out)
        if args.output:
            print(f"exported {n} items to {args.output}", file=sys.stderr)
        return 0

    return with_store(args, body, readonly=True)
