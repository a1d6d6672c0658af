"""`afmon config check`: validate config.toml and say what it holds, or list every error with
its key path, reason and line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.query import QueryError, parse_query
from core.config import ConfigError, default_config_path, load_config


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("config", help="check the configuration file")
    sub = p.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    c = sub.add_parser("check", help="validate the config file")
    c.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="default: ./config.toml")
    c.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    path = args.config or default_config_path()
    try:
        config = load_config(path)
    except ConfigError as exc:
        for line in exc.errors:
            print(f"{exc.path}: {line}", file=sys.stderr)
        return 2
    # Saved queries are strings to pydantic; the query language checks their names.
    errors = []
    for i, saved in enumerate(config.queries):
        try:
            parse_query(saved.query, config)
        except QueryError as exc:
            errors.append(f"{path}: queries[{i}].query: {exc.token}: {exc.reason}")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 2
    print(
        f"{path}: ok — {len(config.feeds)} feeds, {len(config.fronts)} fronts, "
        f"{len(config.threat_groups)} threat groups, {len(config.queries)} saved queries"
    )
    return 0
