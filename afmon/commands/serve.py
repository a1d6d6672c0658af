"""`afmon serve`: the monitor in a browser on localhost, through textual-serve.

Every browser tab starts its own `afmon` process with the same --config and --db. Those
processes are viewers (--no-collect) unless --collect is given: several tabs would otherwise
run several collectors against the same feeds. Fill the database with `afmon collect --watch`
(or a terminal `afmon`) alongside.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from afmon.commands.common import add_config_args, db_path, fail, load, report_config_error
from core.config import ConfigError

HOST = "127.0.0.1"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the monitor in a browser on localhost",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    add_config_args(parser)
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    parser.add_argument(
        "--collect",
        action="store_true",
        help="let each served session collect (default: viewers of the database)",
    )
    parser.set_defaults(func=run)


def app_command(args: argparse.Namespace, db: str) -> str:
    """The shell-quoted command textual-serve runs for each browser session."""
    argv = [sys.executable, "-m", "afmon", "--db", db]
    if args.config is not None:
        argv += ["--config", str(args.config.resolve())]
    if not args.collect:
        argv.append("--no-collect")
    return shlex.join(argv)


def run(args: argparse.Namespace) -> int:
    try:
        config = load(args)
    except ConfigError as exc:
        return report_config_error(exc)
    if not 0 < args.port < 65536:
        return fail(f"--port: {args.port} is not a TCP port")
    from textual_serve.server import Server

    db = str(db_path(args, config).resolve())
    server = Server(app_command(args, db), host=HOST, port=args.port, title="afmon")
    print(f"afmon: serving on http://{HOST}:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
    server.serve()
    return 0
