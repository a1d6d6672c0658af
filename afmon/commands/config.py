"""`afmon config check`: validate config.toml and say what it holds, or list every error with
its key path, reason and line."""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

from analysis.query import QueryError, parse_query
from core.config import (
    Config,
    ConfigError,
    default_config_path,
    line_of,
    load_config,
    partial_config,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("config", help="check the configuration file")
    sub = p.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    c = sub.add_parser("check", help="validate the config file")
    c.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="default: ./config.toml")
    c.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Every error in one run: the model's (duplicates included) and the saved queries',
    each with its line, in the order of the file."""
    path = args.config or default_config_path()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    errors: list[str] = []
    try:
        config = load_config(path)
    except ConfigError as exc:
        if text is None or exc.errors[0].startswith("invalid TOML"):
            return _report(exc.path, exc.errors)
        errors = list(exc.errors)
        config = partial_config(text)  # the saved queries are checked against what is valid
    errors += _query_errors(text or "", config)
    if errors:
        return _report(Path(path), sorted(errors, key=_line))
    print(
        f"{path}: ok — {len(config.feeds)} feeds, {len(config.fronts)} fronts, "
        f"{len(config.threat_groups)} threat groups, {len(config.queries)} saved queries"
    )
    return 0


def _line(error: str) -> tuple[bool, int]:
    """Sort key: the error's line (errors without one last)."""
    match = re.search(r"\(line (\d+)\)$", error)
    return (match is None, int(match.group(1)) if match else 0)


def _query_errors(text: str, config: Config) -> list[str]:
    """Saved queries are strings to pydantic; the query language checks what they name."""
    try:
        raw = tomllib.loads(text).get("queries")
    except tomllib.TOMLDecodeError:
        return []
    out = []
    for index, entry in enumerate(raw if isinstance(raw, list) else []):
        query = entry.get("query") if isinstance(entry, dict) else None
        if not isinstance(query, str):
            continue
        try:
            parse_query(query, config)
        except QueryError as exc:
            line = line_of(text, ("queries", index, "query"))
            where = f" (line {line})" if line else ""
            out.append(f"queries[{index}].query: {exc.token}: {exc.reason}{where}")
    return out


def _report(path: Path, errors: list[str]) -> int:
    for line in errors:
        print(f"{path}: {line}", file=sys.stderr)
    return 2
