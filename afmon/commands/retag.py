"""`afmon retag`: re-tag every stored item after the gazetteer, aliases or rules changed.

Tags are computed when an item is stored; an operator who adds a place to config.toml (or
upgrades afmon's data files) runs this so old items answer the new filters too. Progress goes
to stderr as one rewritten line when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TextIO

from afmon.commands.common import add_config_args, db_path, fail, load, report_config_error
from core.config import ConfigError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "retag",
        help="re-tag every stored item with the current data files and config",
        description="Re-tag every stored item (after places, aliases or rules changed).",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress, no summary")
    add_config_args(parser)
    parser.set_defaults(func=run)


def progress_printer(stream: TextIO) -> Callable[[int, int], None] | None:
    """A progress callback drawing `\\r retagged N/M` on a terminal; None elsewhere."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        stream.write(f"\r retagged {done}/{total}")
        stream.flush()

    return show


def run(args: argparse.Namespace) -> int:
    try:
        config = load(args)
    except ConfigError as exc:
        return report_config_error(exc)
    from feeds.tagger import get_tagger
    from store import Store, StoreError

    tagger = get_tagger(config)
    progress = None if args.quiet else progress_printer(sys.stderr)
    try:
        store = Store.open(db_path(args, config))
        try:
            count = store.retag(tagger.tag, progress)
        finally:
            store.close()
    except StoreError as exc:
        return fail(str(exc), 1)
    if progress is not None:
        sys.stderr.write("\n")
    if not args.quiet:
        print(f"retagged {count} items")
    return 0
