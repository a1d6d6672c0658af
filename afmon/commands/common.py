"""Helpers every command shares: loading config and opening the store with clean errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from core.config import Config, ConfigError, database_path, default_config_path, load_config
from core.durations import parse_duration

if TYPE_CHECKING:
    from store import Store


def add_config_args(parser: argparse.ArgumentParser, db: bool = True, *, top: bool = False) -> None:
    """--config and --db. On a subcommand they default to SUPPRESS, so `afmon --db X items`
    keeps the X given before the subcommand instead of argparse resetting it to None."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--config", type=Path, default=default, help="config file (default: ./config.toml)"
    )
    if db:
        parser.add_argument("--db", type=Path, default=default, help="SQLite database path")


def fail(message: str, code: int = 2) -> int:
    print(f"afmon: {message}", file=sys.stderr)
    return code


def load(args: argparse.Namespace) -> Config:
    """Load the config named by --config (or the default); raise ConfigError."""
    given = getattr(args, "config", None)
    path = given or default_config_path()
    if given is None and not path.exists():
        return Config()
    return load_config(path)


def report_config_error(exc: ConfigError) -> int:
    for line in exc.errors:
        print(f"{exc.path}: {line}", file=sys.stderr)
    return 2


def db_path(args: argparse.Namespace, config: Config) -> Path:
    return database_path(config, getattr(args, "db", None))


def with_store(
    args: argparse.Namespace,
    body: Callable[[Config, Store], int],
    *,
    need_filter: bool = False,
    readonly: bool = False,
) -> int:
    """Load config, open the store, run `body`; turn the expected failures into exit codes
    (2: bad config, filter or database; never a traceback). `readonly`: the command only
    reads, and opens the database so that it cannot write (never creating or upgrading it)."""
    try:
        config = load(args)
    except ConfigError as exc:
        return report_config_error(exc)
    from store import Store, StoreError

    try:
        store = Store.open(db_path(args, config), readonly=readonly)
    except StoreError as exc:
        return fail(str(exc))
    from analysis.query import QueryError

    try:
        return body(config, store)
    except QueryError as exc:
        return fail(f"{exc.token}: {exc.reason}")
    except StoreError as exc:
        return fail(str(exc), 1)
    finally:
        store.close()


def positive_duration(value: str, flag: str) -> timedelta | str:
    """`value` as a duration above zero, or the message naming `flag` and the reason."""
    try:
        delta = parse_duration(value)
    except ValueError as exc:
        return f"{flag}: {exc}"
    if delta.total_seconds() <= 0:
        return f"{flag}: must be more than zero"
    return delta
