"""Time to first paint of the dashboard on a big database, headless.

    .venv/bin/python bench/firstpaint.py --db bench/results/cache-1m.db [--runs 3] [--json]

One run: open the store, build the app (`make_app`, no collector, the default fronts, threat
groups and watch rules), start it headless at 120x40 (`App.run_test`), and wait until the
dashboard's first load has reached the panes (`DashboardScreen.last_id` is set by `_apply`,
which fills every pane's items and counts), then let one refresh paint it. Reported:

- `ui_s`: the app is running and the dashboard is mounted (empty panes on screen);
- `data_s`: the first load's items and counts are in the panes;
- `paint_s`: the frame with them has been rendered (the number the issue asks for).

Then, outside the app, the same store calls the first load makes, timed one by one, so a
slow paint can be pinned on a query or on the UI. Each run is a new process only when the
caller wants cold caches; by default runs repeat in this process (the page cache is warm
either way on a machine with the RAM to hold the database).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (120, 40)


async def first_paint(db: Path, timeout: float = 120.0) -> dict[str, float]:
    from afmon.defaults import default_sections
    from core.config import Config
    from store import Store
    from tui.app import make_app
    from tui.screens.dashboard import DashboardScreen

    started = time.perf_counter()
    store = Store.open(db)
    try:
        app = make_app(Config(**default_sections()), store, collect=False)
        async with app.run_test(size=SIZE) as pilot:
            ui = time.perf_counter() - started
            deadline = time.monotonic() + timeout
            while True:
                screen = app.screen
                if isinstance(screen, DashboardScreen) and screen.last_id is not None:
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"dashboard not loaded after {timeout:.0f} s")
                await asyncio.sleep(0.002)
            data = time.perf_counter() - started
            await pilot.pause()
            screen._compositor.render_strips()  # the frame, with the counts in it
            paint = time.perf_counter() - started
            panes = len(screen.panes)
            filled = sum(1 for p in screen.panes if p.items)
    finally:
        store.close()
    return {"ui_s": ui, "data_s": data, "paint_s": paint, "panes": panes, "filled": filled}


def load_breakdown(db: Path) -> dict[str, float]:
    """The dashboard's first load, call by call (ms), outside the app."""
    from datetime import UTC, datetime

    from afmon.defaults import default_sections
    from core.config import Config
    from store import Store
    from tui.panes import pane_specs
    from tui.screens.dashboard import PANE_ITEMS

    store = Store.open(db)
    try:
        now = datetime.now(UTC)
        specs = pane_specs(Config(**default_sections()), now)
        out: dict[str, float] = {}
        t0 = time.perf_counter()
        store.max_item_id()
        out["max_item_id_ms"] = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        for spec in specs:
            store.query_items(spec.filter, limit=PANE_ITEMS)
        out["pane_items_ms"] = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        store.pane_counts({s.key: s.filter for s in specs}, now)
        out["pane_counts_ms"] = (time.perf_counter() - t0) * 1000
        out["panes"] = len(specs)
        return out
    finally:
        store.close()


def measure(db: Path, runs: int = 3) -> dict[str, Any]:
    samples = [asyncio.run(first_paint(db)) for _ in range(runs)]
    paints = [s["paint_s"] for s in samples]
    return {
        "db": str(db),
        "size": list(SIZE),
        "runs": samples,
        "paint_min_s": min(paints),
        "paint_median_s": statistics.median(paints),
        "breakdown": load_breakdown(db),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(
            f"firstpaint: {args.db} does not exist (bench/make_db.py builds one)", file=sys.stderr
        )
        return 2
    result = measure(args.db, args.runs)
    if args.json:
        print(json.dumps(result))
        return 0
    for i, s in enumerate(result["runs"], 1):
        print(
            f"run {i}: ui {s['ui_s'] * 1000:.0f} ms, data {s['data_s'] * 1000:.0f} ms,"
            f" painted {s['paint_s'] * 1000:.0f} ms ({s['filled']}/{s['panes']} panes with items)"
        )
    b = result["breakdown"]
    print(
        f"first load outside the app: max_item_id {b['max_item_id_ms']:.1f} ms,"
        f" {b['panes']:.0f} pane queries {b['pane_items_ms']:.1f} ms,"
        f" pane_counts {b['pane_counts_ms']:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
