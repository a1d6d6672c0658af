"""The shared command-line filter flags of `afmon items`, `export` and `stories`: one
definition, one meaning, written in terms of the query language (analysis/query.py)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from analysis.query import parse_query, union
from core.config import Config
from store.models import ItemFilter


def add_filter_args(parser: argparse.ArgumentParser) -> None:
    """The filter flags of `afmon items` and `afmon export` (one definition, one meaning)."""
    g = parser.add_argument_group("filters (combined with AND; repeated flags with OR)")
    g.add_argument(
        "--query", "-q", metavar="TEXT", help="a query, e.g. 'p:helmand a:isk since:24h'"
    )
    g.add_argument(
        "--province",
        action="append",
        default=[],
        metavar="CODE",
        help="province code or name (AF-HEL, HEL, helmand, PK)",
    )
    g.add_argument(
        "--actor", action="append", default=[], metavar="SLUG", help="actor slug or name"
    )
    g.add_argument("--front", action="append", default=[], metavar="NAME", help="front from config")
    g.add_argument(
        "--group", action="append", default=[], metavar="NAME", help="threat group from config"
    )
    g.add_argument("--outlet", action="append", default=[], metavar="NAME")
    g.add_argument("--feed", action="append", default=[], metavar="NAME")
    g.add_argument("--since", metavar="WHEN", help="24h, 7d, 2026-11-01 or an ISO time")
    g.add_argument("--until", metavar="WHEN", help="same forms; a date includes that day")
    g.add_argument("--search", metavar="TEXT", help='full-text search: words, "phrases"')
    g.add_argument("--unread", action="store_true", help="unread items only")
    g.add_argument("--flagged", action="store_true", help="flagged items only")


def filter_from_args(
    args: argparse.Namespace, config: Config | None = None, now: datetime | None = None
) -> ItemFilter:
    """The ItemFilter the shared flags describe. Raises QueryError naming the bad value."""
    now = now or datetime.now(UTC)
    config = config or Config()
    flt = parse_query(args.query or "", config, now)
    tokens: list[str] = []
    for flag, key in (
        ("province", "province"),
        ("actor", "actor"),
        ("front", "front"),
        ("group", "group"),
        ("outlet", "outlet"),
        ("feed", "feed"),
    ):
        for value in getattr(args, flag, None) or []:
            tokens.append(f'{key}:"{value}"')
    for flag in ("since", "until"):
        if getattr(args, flag, None):
            tokens.append(f'{flag}:"{getattr(args, flag)}"')
    extra = parse_query(" ".join(tokens), config, now)
    text = " ".join(t for t in (flt.text, getattr(args, "search", None)) if t) or None
    return ItemFilter(
        provinces=union(flt.provinces, *extra.provinces),
        actors=union(flt.actors, *extra.actors),
        outlets=union(flt.outlets, *extra.outlets),
        feeds=union(flt.feeds, *extra.feeds),
        since=extra.since or flt.since,
        until=extra.until or flt.until,
        text=text,
        unread=True if getattr(args, "unread", False) else flt.unread,
        flagged=True if getattr(args, "flagged", False) else flt.flagged,
        grades=flt.grades,
        corroborated=flt.corroborated,
    )
