"""`afmon feeds`: every feed's health; `feeds check [NAME...]` fetches and parses each feed
once, now, storing nothing; `feeds export` / `feeds import FILE` in OPML.

Import appends `[[feeds]]` blocks as text to the config file, so the operator's comments and
layout survive; the whole result is validated first and nothing is written if it is invalid.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from afmon.commands.common import (
    add_config_args,
    db_path,
    fail,
    load,
    report_config_error,
    with_store,
)
from core.config import Config, ConfigError, FeedConfig, default_config_path, line_of, parse_config
from core.config_edit import toml_string
from core.sanitize import clean
from feeds.opml import OpmlError, OpmlFeed, parse_opml, to_opml
from store import FeedState, Store


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("feeds", help="feed health; OPML export and import")
    add_config_args(p)
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.set_defaults(func=run_list)
    sub = p.add_subparsers(dest="feeds_action", metavar="ACTION")
    c = sub.add_parser(
        "check",
        help="fetch and parse each feed once, now; store nothing",
        description=(
            "Fetch each enabled feed (or the NAMEd ones, disabled or not) once with the "
            "collector's fetcher and limits, parse it, and report. Nothing is stored. Exit 0 "
            "when every feed is ok, 1 when any failed, 2 on a usage or config error."
        ),
    )
    add_config_args(c, db=False)
    c.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="one JSON object per feed per line: "
        "name, url, status, http_status, items, newest, final_url, error",
    )
    c.add_argument("names", nargs="*", metavar="NAME", help="feed names (default: every enabled)")
    c.set_defaults(func=run_check)
    e = sub.add_parser("export", help="write the feeds as OPML 2.0")
    add_config_args(e)
    e.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    e.set_defaults(func=run_export)
    i = sub.add_parser("import", help="append the feeds of an OPML file to the config file")
    i.add_argument("file", type=Path, metavar="FILE")
    i.add_argument(
        "--config",
        type=Path,
        default=Path("config.toml"),
        help="config file to append to (default: ./config.toml)",
    )
    i.set_defaults(func=run_import)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def feed_json(f: FeedState) -> dict:
    return {
        "id": f.id,
        "name": f.name,
        "outlet": f.outlet,
        "url": f.url,
        "current_url": f.current_url,
        "enabled": f.enabled,
        "status": f.status,
        "http_status": f.http_status,
        "last_success": _iso(f.last_success),
        "last_error": f.last_error,
        "error_count": f.error_count,
        "next_try": _iso(f.next_try),
        "item_count": f.item_count,
        "silent": f.silent,
        "warning": f.warning,
    }


def _short(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%m-%d %H:%M") if value else "-"


def run_list(args: argparse.Namespace) -> int:
    def body(config: Config, store: Store) -> int:
        states = configured_states(config, store)
        if args.json:
            for f in states:
                print(json.dumps(feed_json(f), ensure_ascii=False))
            return 0
        print(
            f"{'feed':<28} {'status':<12} {'http':>4} {'last ok':<11} {'next try':<11} "
            f"{'errs':>4} {'items':>7}  notes"
        )
        for f in states:
            notes = []
            if f.current_url != f.url:
                notes.append(f"moved to {clean(f.current_url, max_len=60)}")
            if f.silent:
                notes.append("SILENT")
            if f.warning:
                notes.append(clean(f.warning, max_len=60))
            if f.last_error:
                notes.append(f"error: {clean(f.last_error, max_len=60)}")
            status = f.status if f.enabled else f"{f.status}/off"
            print(
                f"{clean(f.name, max_len=28):<28} {status:<12} {f.http_status or '-':>4} "
                f"{_short(f.last_success):<11} {_short(f.next_try):<11} {f.error_count:>4} "
                f"{f.item_count:>7}  {'; '.join(notes)}"
            )
        return 0

    return with_store(args, body, readonly=True)


def configured_states(config: Config, store: Store) -> list[FeedState]:
    """The health of the config's feeds, read without writing (a feed the database does not
    know yet is listed as new); with no feeds in config, whatever the database holds."""
    states = store.feeds(silent_after=config.settings.silent_after, configured_only=False)
    if not config.feeds:
        return states
    by_url = {s.url: s for s in states}
    out = []
    for feed in config.feeds:
        known = by_url.get(feed.url)
        if known is None:
            known = FeedState(0, feed.name, feed.url, feed.url, feed.outlet_name, None, True)
        out.append(
            replace(
                known,
                name=feed.name,
                outlet=feed.outlet_name,
                language=feed.language,
                enabled=feed.enabled and known.status != "gone",
            )
        )
    return sorted(out, key=lambda s: s.name)  # as the store lists them


def run_export(args: argparse.Namespace) -> int:
    try:
        config = load(args)
    except ConfigError as exc:
        return report_config_error(exc)
    if config.feeds:
        feeds = [OpmlFeed(f.name, f.url, f.outlet_name, f.language) for f in config.feeds]
    else:
        try:
            store = Store.open(db_path(args, config), readonly=True)
        except Exception as exc:  # StoreError: message already names the file
            return fail(str(exc))
        feeds = [
            OpmlFeed(f.name, f.url, f.outlet, f.language)
            for f in store.feeds(configured_only=False)
        ]
        store.close()
    text = to_opml(feeds)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            return fail(f"--output {args.output}: {exc.strerror}", 1)
        print(f"exported {len(feeds)} feeds to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def feed_block(feed: OpmlFeed) -> str:
    lines = [
        "",
        "[[feeds]]",
        f"name = {toml_string(feed.name)}",
        f"url = {toml_string(feed.url)}",
    ]
    if feed.outlet:
        lines.append(f"outlet = {toml_string(feed.outlet)}")
    if feed.language:
        lines.append(f"language = {toml_string(feed.language)}")
    return "\n".join(lines) + "\n"


def known_outlets(config: Config) -> dict[str, str]:
    """Every outlet afmon has a name for (config feeds and [[outlets]], the default grades),
    by its folded name: an imported outlet takes the known spelling, so grades and
    corroboration find it."""
    from analysis.grades import default_grades

    names = [*default_grades(), *(o.name for o in config.outlets)]
    names += [f.outlet_name for f in config.feeds]
    return {name.casefold(): name for name in names}


def plan_import(config: Config, found: list[OpmlFeed]) -> tuple[list[OpmlFeed], list[str]]:
    """The feeds to add (new URLs, names made unique, outlets spelled as afmon knows them)
    and why the others were skipped."""
    outlets = known_outlets(config)
    urls = {f.url for f in config.feeds}
    names = {f.name for f in config.feeds}
    add: list[OpmlFeed] = []
    skipped: list[str] = []
    for feed in found:
        if feed.url in urls:
            skipped.append(f"{feed.url}: already configured")
            continue
        if not feed.url.lower().startswith(("http://", "https://")):
            skipped.append(f"{feed.url}: not an http(s) URL")
            continue
        name, n = feed.name, 2
        while name in names:
            name, n = f"{feed.name} ({n})", n + 1
        urls.add(feed.url)
        names.add(name)
        outlet = outlets.get(feed.outlet.casefold(), feed.outlet) if feed.outlet else None
        add.append(OpmlFeed(name, feed.url, outlet, feed.language))
    return add, skipped


def run_import(args: argparse.Namespace) -> int:
    try:
        found = parse_opml(args.file.read_bytes())
    except OSError as exc:
        return fail(f"{args.file}: {exc.strerror}")
    except OpmlError as exc:
        return fail(f"{args.file}: {exc}")
    path: Path = args.config
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        config = parse_config(old, path)
    except ConfigError as exc:
        return report_config_error(exc)
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"{path}: cannot read: {exc}")
    add, skipped = plan_import(config, found)
    text = old if not old or old.endswith("\n") else old + "\n"
    text += "".join(feed_block(f) for f in add)
    try:
        parse_config(text, path)  # validate the result before writing anything
    except ConfigError as exc:
        print(f"{path}: import would make the config invalid; nothing written", file=sys.stderr)
        return report_config_error(exc)
    if add:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            return fail(f"{path}: {exc.strerror}", 1)
    print(
        f"{args.file}: {len(found)} feeds found, {len(add)} added to {path}, {len(skipped)} skipped"
    )
    for reason in skipped:
        print(f"  skipped {reason}")
    return 0


# -- feeds check ------------------------------------------------------------------------------


def select_feeds(config: Config, names: list[str]) -> tuple[list[FeedConfig], list[str]]:
    """The feeds to check (every enabled one, or the named ones) and the names not found."""
    if not names:
        return [f for f in config.feeds if f.enabled], []
    by_name = {f.name.casefold(): f for f in config.feeds}
    chosen: list[FeedConfig] = []
    unknown: list[str] = []
    for name in names:
        feed = by_name.get(name.casefold())
        if feed is None:
            unknown.append(name)
        elif feed not in chosen:
            chosen.append(feed)
    return chosen, unknown


def run_check(args: argparse.Namespace) -> int:
    import asyncio

    from afmon.commands.collect import Progress
    from feeds.check import check_feeds

    try:
        config = load(args)
    except ConfigError as exc:
        return report_config_error(exc)
    path: Path = getattr(args, "config", None) or default_config_path()
    feeds, unknown = select_feeds(config, args.names)
    if unknown:
        names = ", ".join(repr(clean(n, max_len=80)) for n in unknown)
        return fail(f"feeds check: no feed named {names} in {path} (see `afmon feeds`)")
    if not feeds:
        return fail(f"feeds check: no enabled feeds in {path}")
    skipped = 0 if args.names else sum(1 for f in config.feeds if not f.enabled)
    if skipped:
        print(
            f"afmon: {skipped} disabled feeds not checked (name them to check them)",
            file=sys.stderr,
        )
    as_json = getattr(args, "json", False)
    progress = None
    if sys.stderr.isatty() and not as_json:
        progress = Progress(len(feeds), sys.stderr, show_new=False)
        progress.draw()
    try:
        results = asyncio.run(
            check_feeds(feeds, config.settings, on_done=progress.update if progress else None)
        )
    finally:
        if progress:
            progress.close()
    if as_json:
        for result in results:
            print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        _print_check_table(results, config, path)
    return 0 if all(r.status == "ok" for r in results) else 1


def _config_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _print_check_table(results: list, config: Config, path: Path) -> None:
    text = _config_text(path)
    index = {f.name: i for i, f in enumerate(config.feeds)}
    print(f"{'feed':<30} {'status':<6} {'http':>4} {'items':>5}  newest (UTC)")
    for r in results:
        newest = r.newest.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if r.newest else "-"
        items = "-" if r.items is None else str(r.items)
        print(
            f"{clean(r.name, max_len=30):<30} {r.status:<6} {r.http_status or '-':>4} "
            f"{items:>5}  {newest}"
        )
        notes: list[str] = []
        if r.moved_to:
            line = line_of(text, ("feeds", index[r.name], "url")) if text else None
            where = f"line {line} of {path}" if line else f"its url in {path}"
            notes.append(f"moved permanently: change {where} to")
            notes.append(f"  url = {toml_string(clean(r.moved_to, max_len=2000))}")
        elif r.final_url and r.final_url != r.url:
            notes.append(f"redirected to {clean(r.final_url, max_len=200)} (not permanent)")
        if r.error:
            notes.append(clean(r.error, max_len=500))
        if r.status == "ok" and not r.items:
            notes.append("the feed has no items")
        if r.warning:
            notes.append(f"warning: {clean(r.warning, max_len=300)}")
        for note in notes:
            print(f"    {note}")
    failed = sum(1 for r in results if r.status != "ok")
    print(f"{len(results)} feeds checked: {len(results) - failed} ok, {failed} failed")
