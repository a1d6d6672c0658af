"""`afmon export`: every item matching the `afmon items` filters, as JSON lines or CSV, with
summary, link, outlet and its grade, times, tags and the evidence for each tag, the story it
belongs to, and what the watch did with it (read, flag, note, escalation, acknowledgement)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from datetime import UTC, datetime
from itertools import islice
from typing import Any, TextIO

from afmon.commands.common import add_config_args, fail, with_store
from afmon.commands.filters import add_filter_args, filter_from_args
from analysis.grades import Grader
from core.config import Config
from store import Item, Store, StoryView, Tag

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
    "grade",
    "story_id",
    "story",
    "story_reports",
    "read",
    "flagged",
    "note",
    "escalated",
    "escalation",
    "acknowledged",
)
BATCH = 500  # items whose stories are looked up at once


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("export", help="export matching items as JSON lines or CSV")
    add_config_args(p)
    add_filter_args(p)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--limit", type=int, default=None, help="at most this many items")
    p.set_defaults(func=run)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def record(
    item: Item, tags: list[Tag], grade: str | None = None, story: StoryView | None = None
) -> dict[str, Any]:
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
        "grade": grade,
        "story": (
            {"id": story.id, "title": story.title, "reports": story.copies} if story else None
        ),
        "read": item.read,
        "flagged": item.flagged,
        "note": item.note,
        "escalated": _iso(item.escalated),
        "escalation": item.escalation,
        "acknowledged": _iso(item.acknowledged),
    }


def with_context(
    store: Store, config: Config, rows: Iterable[tuple[Item, list[Tag]]]
) -> Iterator[dict[str, Any]]:
    """`rows` as records with their outlet's grade and their story, looked up a batch of
    items at a time."""
    grader = Grader(config)
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        story_of = store.story_ids([item.id for item, _ in batch])
        stories = {v.id: v for v in store.load_stories(list(dict.fromkeys(story_of.values())))}
        for item, tags in batch:
            story = stories.get(story_of.get(item.id, -1))
            yield record(item, tags, grader.grade(item.outlet), story)


def write(records: Iterable[dict[str, Any]], fmt: str, out: TextIO) -> int:
    n = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, FIELDS)
        writer.writeheader()
    for rec in records:
        if fmt == "csv":
            story = rec.pop("story") or {}
            rec["story_id"], rec["story"] = story.get("id"), story.get("title")
            rec["story_reports"] = story.get("reports")
            rec["provinces"] = ";".join(rec["provinces"])
            rec["actors"] = ";".join(rec["actors"])
            rec["evidence"] = json.dumps(rec["evidence"], ensure_ascii=False)
            for flag in ("read", "flagged"):
                rec[flag] = int(rec[flag])
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
            n = write(
                with_context(store, config, store.iter_items(flt, args.limit)), args.format, out
            )
        if args.output:
            print(f"exported {n} items to {args.output}", file=sys.stderr)
        return 0

    return with_store(args, body, readonly=True)
