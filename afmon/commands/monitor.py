"""`afmon` with no subcommand: the monitor (collects in the background, shows the dashboard)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from afmon.commands.common import add_config_args, db_path, load, report_config_error
from core.config import Config, ConfigError, default_config_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_args(parser, top=True)
    parser.add_argument(
        "--no-collect",
        action="store_true",
        help="read-only viewer of a database another process fills (never writes it)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        config = load(args)
    except ConfigError as exc:
        return report_config_error(exc)
    # The file actually read (./config.toml when no --config): the app watches it for edits
    # and saves queries into it.
    path = args.config or default_config_path()
    return run_monitor(
        config,
        db_path(args, config),
        collect=not args.no_collect,
        config_path=path if path.exists() else None,
    )


def run_monitor(
    config: Config, db: Path, *, collect: bool = True, config_path: Path | None = None
) -> int:
    """Open the store and run the Textual app until the user quits. Without `collect` the
    database is opened read-only: never created, upgraded or written."""
    from datetime import UTC, datetime

    from store import Store, StoreError
    from tui.first_load import FirstLoad

    try:
        store = Store.open(db, readonly=not collect)
    except StoreError as exc:
        print(f"afmon: {exc}", file=sys.stderr)
        return 2
    # The dashboard's load runs while Textual is imported and started (tui.first_load).
    first = FirstLoad(store, config, datetime.now(UTC))
    from tui.app import make_app

    app = make_app(config, store, collect=collect, config_path=config_path, first_load=first)
    app.run()
    return app.return_code or 0
