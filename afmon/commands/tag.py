"""`afmon tag [--json] [TEXT]`: show what the tagger makes of a text, or tag a JSON-lines stream.

With TEXT (taken as a title with an empty summary) it prints a readable summary, or with --json
the same object the stream mode writes. Without TEXT it reads `{"id", "title", "summary"}`
lines from stdin and writes one line per input:
`{"id", "provinces", "actors", "evidence": [{"kind", "code", "start", "end", "text"}]}`
with offsets into `title + "\\n" + summary`. A bad line is reported on stderr by line number
and skipped, so one broken record never stops a batch. config.toml's tagger places and aliases
apply (--config).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from afmon.commands.common import add_config_args, load, report_config_error
from core.config import ConfigError
from core.vocab import actor_name, province_name


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "tag",
        help="tag a text (or JSON lines on stdin) with provinces and actors",
        description="Tag TEXT, or JSON lines {id, title, summary} read from stdin.",
    )
    parser.add_argument("text", nargs="?", metavar="TEXT", help="text to tag (as a title)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a summary")
    add_config_args(parser, db=False)
    parser.set_defaults(func=run)


def result_json(item_id: Any, result: Any) -> dict[str, Any]:
    return {
        "id": item_id,
        "provinces": list(result.provinces),
        "actors": list(result.actors),
        "evidence": [
            {"kind": t.kind, "code": t.code, "start": t.start, "end": t.end, "text": t.text}
            for t in result.evidence
        ],
    }


def run(args: argparse.Namespace) -> int:
    try:
        config = load(args)
    except ConfigError as exc:
        return report_config_error(exc)
    from feeds.tagger import get_tagger

    tagger = get_tagger(config)
    if args.text is not None:
        result = tagger.tag(args.text, "")
        if args.json:
            print(json.dumps(result_json(None, result), ensure_ascii=False))
        else:
            _print_summary(result, sys.stdout)
        return 0
    return _stream(tagger, sys.stdin, sys.stdout, sys.stderr)


def _stream(tagger: Any, src: TextIO, out: TextIO, err: TextIO) -> int:
    for number, line in enumerate(src, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("expected a JSON object")
            title = record.get("title") or ""
            summary = record.get("summary") or ""
            if not isinstance(title, str) or not isinstance(summary, str):
                raise ValueError("title and summary must be strings")
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            print(f"afmon tag: line {number}: {exc}", file=err)
            continue
        result = tagger.tag(title, summary)
        out.write(json.dumps(result_json(record.get("id"), result), ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _print_summary(result: Any, out: TextIO) -> None:
    if not result.evidence:
        print("no tags", file=out)
        return
    provinces = ", ".join(f"{code} {province_name(code)}" for code in result.provinces)
    actors = ", ".join(f"{slug} ({actor_name(slug)})" for slug in result.actors)
    print(f"provinces: {provinces or '-'}", file=out)
    print(f"actors:    {actors or '-'}", file=out)
    print("evidence:", file=out)
    for t in result.evidence:
        print(f"  {t.kind:8} {t.code:16} {t.start:>5}-{t.end:<5} {t.text}", file=out)
