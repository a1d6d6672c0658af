"""`afmon sitrep`: a situation report per front and per threat group.

afmon sitrep                                  # every front and group, last 24 h, Markdown
afmon sitrep --front Kabul --front South --since 7d --format json -o report.json

Counts are stories compared with the window before; each section lists the top stories with
their graded sources, the actors and provinces most involved, the alerts raised and the
province x actor surges.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from afmon.commands.common import add_config_args, fail, positive_duration, with_store
from analysis.sitrep import build, to_json, to_markdown
from analysis.storage import assign_pending
from core.config import Config
from store import Store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("sitrep", help="write a situation report per front and group")
    add_config_args(p)
    p.add_argument(
        "--front",
        action="append",
        default=[],
        metavar="NAME",
        help="only this front (repeatable); default: every front and group",
    )
    p.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="NAME",
        help="only this threat group (repeatable)",
    )
    p.add_argument(
        "--since",
        default="24h",
        metavar="WINDOW",
        help="report window, compared with the one before (default 24h)",
    )
    p.add_argument("--format", choices=("md", "json"), default="md")
    p.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here, not stdout")
    p.add_argument("--now", help=argparse.SUPPRESS)  # a fixed clock, for reproducible reports
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    window = positive_duration(args.since, "--since")
    if isinstance(window, str):
        return fail(window)
    try:
        now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
    except ValueError:
        return fail(f"--now: {args.now!r} is not an ISO time")
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)

    def body(config: Config, store: Store) -> int:
        for flag, names, known in (
            ("--front", args.front, [f.name for f in config.fronts]),
            ("--group", args.group, [g.name for g in config.threat_groups]),
        ):
            folded = {k.casefold() for k in known}
            for name in names:
                if name.casefold() not in folded:
                    return fail(
                        f"{flag}: no {flag[2:]} named {name!r} in config "
                        f"(known: {', '.join(known) or 'none'})"
                    )
        assign_pending(store)
        report = build(store, config, now, window, args.front, args.group)
        zone = config.settings.zone
        text = to_json(report) if args.format == "json" else to_markdown(report, zone)
        if args.output:
            try:
                args.output.write_text(text, encoding="utf-8")
            except OSError as exc:
                return fail(f"--output: cannot write {args.output}: {exc.strerror}", 1)
            print(f"wrote {args.output}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0

    return with_store(args, body)
