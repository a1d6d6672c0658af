"""`afmon demo`: the monitor on the bundled corpus, with nothing to configure and no network.

A loopback server (afmon/demo/server.py) plays the corpus back, a temporary config.toml and
database point at it, and the ordinary monitor runs on them, so the demo exercises exactly the
code a real deployment runs. `--serve PORT` only serves the corpus, for tests and benchmarks.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from afmon.commands.common import fail
from afmon.defaults import default_sections
from afmon.demo.server import DemoFeed, DemoServer
from core.config import Config, ConfigError, parse_config

# Fast polling against the loopback server so panes move within seconds; no bell in a demo.
DEMO_SETTINGS: dict[str, Any] = {
    "poll_interval": "3s",
    "min_interval": "2s",
    "max_interval": "4s",
    "fetch_deadline": "10s",
    "per_host": 8,
    "bell": False,
}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "demo",
        help="run the monitor on the bundled demo corpus (no network needed)",
        description="Serve the bundled demo corpus on 127.0.0.1 and run the monitor on it.",
    )
    parser.add_argument(
        "--serve",
        type=int,
        metavar="PORT",
        default=None,
        help="only serve the corpus on 127.0.0.1:PORT (0: a free port) until interrupted",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="release new items this many times faster (default 1)",
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="SQLite database path (default: a temporary file)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.speed <= 0:
        return fail("--speed: must be a positive number")
    if args.serve is not None:
        return serve(args.serve, args.speed)
    try:
        server = DemoServer(port=0, speed=args.speed).start()
    except OSError as exc:
        return fail(f"cannot start the demo server: {exc}", 1)
    # SIGTERM unwinds like Ctrl-C would, so the temporary config and database are removed.
    previous = signal.signal(signal.SIGTERM, _terminate)
    with tempfile.TemporaryDirectory(prefix="afmon-demo-") as tmp:
        try:
            config_path = Path(tmp) / "config.toml"
            db = args.db or Path(tmp) / "afmon-demo.db"
            config = write_demo_config(config_path, server.feeds, db)
            from afmon.commands.monitor import run_monitor

            return run_monitor(config, db, collect=True, config_path=config_path)
        finally:
            signal.signal(signal.SIGTERM, previous)
            server.stop()


def serve(port: int, speed: float = 1.0) -> int:
    """Serve the corpus in this thread until Ctrl-C or SIGTERM."""
    try:
        server = DemoServer(port=port, speed=speed)
    except OSError as exc:
        return fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}", 1)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    print(f"serving {len(server.feeds)} feeds at {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def write_demo_config(path: Path, feeds: Sequence[DemoFeed], db: Path) -> Config:
    """Write the demo's config.toml (so config reload can watch it) and return it validated."""
    text = demo_config_toml(feeds, db)
    path.write_text(text, encoding="utf-8")
    try:
        return parse_config(text, path)
    except ConfigError as exc:  # a bug in this module, not the user's fault: say so loudly
        print(exc, file=sys.stderr)
        raise


def demo_config_toml(feeds: Sequence[DemoFeed], db: Path) -> str:
    """The demo config as TOML: fast settings, every demo feed, the default panes and rules."""
    sections = default_sections()
    lines = ["# Written by `afmon demo`; deleted when the demo ends.", "", "[settings]"]
    lines += _pairs({**DEMO_SETTINGS, "database": str(db)})
    for feed in feeds:
        lines += ["", "[[feeds]]"]
        lines += _pairs(
            {"name": feed.name, "url": feed.url, "outlet": feed.outlet, "language": feed.language}
        )
    for section in ("fronts", "threat_groups", "watch"):
        for table in sections.get(section, []):
            lines += ["", f"[[{section}]]"]
            lines += _pairs(table)
    return "\n".join(lines) + "\n"


def _pairs(table: dict[str, Any]) -> Iterable[str]:
    return [f"{key} = {_value(value)}" for key, value in table.items()]


def _value(value: Any) -> str:
    # JSON strings, numbers and arrays of them are valid TOML; booleans need lower case.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
