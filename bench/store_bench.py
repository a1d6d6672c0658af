"""Time the store's hot queries on a database built by bench/make_db.py.

    python bench/store_bench.py --db /tmp/afmon-1m.db

Prints, for each query the UI and the command line run: the median of several warm runs in
milliseconds, the goal, and SQLite's EXPLAIN QUERY PLAN (so "uses an index" is shown, not
claimed). Then the database size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from afmon.defaults import default_sections
from core.config import Config
from store import ItemFilter, Store, queries
from store import planner as q
from tui.panes import pane_specs


def _time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    fn()  # warm the page cache and the statement cache
    samples, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), result


def _plan(db: Database, sql: str, params: list[Any]) -> list[str]:
    return [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-plans", action="store_true")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(
            f"store_bench: {args.db} does not exist (build it with bench/make_db.py)",
            file=sys.stderr,
        )
        return 2
    store = Store.open(args.db)
    now = datetime.now(UTC)
    week = now - timedelta(days=7)
    config = Config(**default_sections())
    panes = {spec.name: spec.filter for spec in pane_specs(config, now)}
    # The bench inspects the store's own statements: a connection of its own, read-only use.
    db = Database(args.db)
    top = store.max_item_id()

    cases: list[tuple[str, float, Callable[[], Any], tuple[str, list[Any]] | None]] = []

    def case(name: str, goal: float, fn: Callable[[], Any], sql=None) -> None:
        cases.append((name, goal, fn, sql))

    f1 = ItemFilter(provinces=("AF-HEL",), actors=("isk",), since=week)
    case(
        "province+actor+7d, newest 200",
        20,
        lambda: store.query_items(f1, 200),
        q.item_sql(db, f1, 200),
    )
    f1b = ItemFilter(provinces=("AF-KAB",), since=week)
    case(
        "province (Kabul) 7d, newest 200",
        20,
        lambda: store.query_items(f1b, 200),
        q.item_sql(db, f1b, 200),
    )
    page1 = store.query_items(ItemFilter(), 200)
    from store import Cursor

    cur = Cursor(page1[-1].published, page1[-1].id)
    case(
        "all items, page 2 (keyset)",
        20,
        lambda: store.query_items(ItemFilter(), 200, cur),
        q.item_sql(db, ItemFilter(), 200, cur),
    )
    for label, text in (
        ("phrase", '"suicide attack"'),
        ("common word", "officials"),
        ("rare prefix", "kabulkhel"),
        ("word + province", "ambush"),
    ):
        flt = ItemFilter(text=text, provinces=("AF-KDZ",) if "province" in label else ())
        case(
            f"FTS {label} {text!r}, newest 200",
            50,
            lambda f=flt: store.query_items(f, 200),
            q.item_sql(db, flt, 200),
        )
    fr = ItemFilter(text='"suicide attack"')
    case(
        "FTS phrase ranked (bm25) 200",
        50,
        lambda: store.query_items(fr, 200, order="rank"),
        q.item_sql(db, fr, 200, order="rank"),
    )
    case(
        f"dashboard counts ({len(panes)} panes, 48h+30d)",
        100,
        lambda: store.pane_counts(panes, now),
        q.pane_sql(panes, now.timestamp()),
    )
    case(
        "province table (24h/7d/prev 7d)",
        100,
        lambda: store.province_counts(now),
        (queries.PROVINCE_COUNTS_SQL, [0, 0, 0, *queries._PLACES, 0]),
    )
    front = panes[next(iter(panes))]
    case(
        "new since (front pane)",
        5,
        lambda: store.items_after(top - 20, front, 50),
        q.item_sql(db, front, 50, after_id=top - 20),
    )
    case(
        "new since (all)",
        5,
        lambda: store.items_after(top - 20, ItemFilter(), 50),
        q.item_sql(db, ItemFilter(), 50, after_id=top - 20),
    )
    case(
        "new since (text pane)",
        5,
        lambda: store.items_after(top - 20, ItemFilter(text="attack"), 50),
        q.item_sql(db, ItemFilter(text="attack"), 50, after_id=top - 20),
    )
    case("max_item_id", 5, store.max_item_id, None)
    case("count province+7d", 50, lambda: store.count_items(f1b), None)

    items = db.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    print(f"database {args.db}: {items:,} items, {args.db.stat().st_size / 1e6:,.0f} MB\n")
    print(f"{'query':<46} {'ms':>8} {'goal':>6}  rows")
    worst = 0
    for name, goal, fn, sql in cases:
        ms, result = _time(fn, args.runs)
        rows = len(result) if hasattr(result, "__len__") else result
        mark = "" if ms <= goal else "  OVER GOAL"
        worst += ms > goal
        print(f"{name:<46} {ms:8.2f} {goal:6.0f}  {rows}{mark}")
        if sql and not args.no_plans:
            for line in _plan(db, *sql):
                print(f"{'':4}{line}")
    store.close()
    return 1 if worst else 0


if __name__ == "__main__":
    raise SystemExit(main())
