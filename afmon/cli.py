"""The `afmon` command. Each subcommand lives in afmon/commands/<name>.py and exposes
`register(subparsers)` (adds its parser, sets `func`) so this file stays a dispatcher.

Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error (never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from core import __version__

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


_ALL = object()


def _command_in(argv: Sequence[str]) -> str | None | object:
    """The subcommand named in `argv`, None for the monitor, _ALL when help is asked for."""
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token in ("-h", "--help"):
            return _ALL
        if token in ("--config", "--db"):
            skip = True
            continue
        if not token.startswith("-"):
            return token if token in COMMANDS else _ALL  # unknown: let argparse say so
    return None


def build_parser(only: str | None | object = _ALL) -> argparse.ArgumentParser:
    """The parser; `only` registers just that subcommand (None: none), so running one command
    imports one command module, not all thirteen (a warm `collect` spent a third of its time
    importing the others)."""
    from afmon.commands import monitor

    parser = argparse.ArgumentParser(
        prog="afmon",
        description="Terminal situation monitor for Afghanistan.",
    )
    parser.add_argument("--version", action="version", version=f"afmon {__version__}")
    monitor.add_arguments(parser)
    parser.set_defaults(func=monitor.run)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = COMMANDS if only is _ALL else (() if only is None else (only,))
    for name in names:
        module = importlib.import_module(f"afmon.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_in(argv))
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
