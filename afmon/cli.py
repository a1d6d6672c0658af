"""The `afmon` command. Each subcommand lives in afmon/commands/<name>.py and exposes
`register(subparsers)` (adds its parser, sets `func`) so this file stays a dispatcher.

Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error (never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from afmon import __version__

# Order here is the order in `afmon --help`.
COMMANDS = (
    "demo",
    "collect",
    "feeds",
    "items",
    "export",
    "tag",
    "retag",
    "stats",
    "prune",
    "stories",
    "sitrep",
    "config",
    "serve",
)


def build_parser() -> argparse.ArgumentParser:
    from afmon.commands import monitor

    parser = argparse.ArgumentParser(
        prog="afmon",
        description="Terminal situation monitor for Afghanistan.",
    )
    parser.add_argument("--version", action="version", version=f"afmon {__version__}")
    monitor.add_arguments(parser)
    parser.set_defaults(func=monitor.run)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"afmon.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"afmon.commands.{name}":
                continue  # not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `afmon items --json | head`: the reader left; that is not an error.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
