"""Story clustering cost per new item as the number of similar headlines in the window grows.

    .venv/bin/python bench/story_cost.py [--sizes 1000 10000 50000] [--new 300] [--no-sqlite]

Headlines are built from a small vocabulary (a few actors, events and provinces, towns and
figures), as on a busy day when every outlet covers the same clashes, so thousands of them
share words, provinces and event types. For each size N, N such items are clustered into the
last 24 hours, then `--new` more are placed and timed:

- in memory: `Clusterer.add` on prepared docs (the clusterer's own cost);
- through SQLite (analysis.storage on a real database file holding the N items and their
  stories): all of them in one call (a pass that stored many), one item per call with one
  `StoryAssigner` kept between calls (the collector's and the monitor's passes), and one per
  call with a fresh assigner each time (a `collect --once` that stored one item), including
  reading the items and their tags, reading what the event says, and writing the stories.

Times are CPU time of this process (the machines these run on are shared).

The cost per item should stay flat as N grows: candidates come from blocking keys (the newest
few stories per key), never from the whole window.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ACTORS = ["Taliban", "NRF", "ISKP", "TTP", "Pakistani forces", "AFF", "residents", "officials"]
EVENTS = [
    "clash with {a} in {t}, {p}",
    "blast kills {n} in {t}, {p}",
    "report fighting near {t} in {p}",
    "deny attack on checkpoint in {t}, {p}",
    "airstrike hits {t}, {p}; {n} dead",
    "arrest {n} men in {p}'s {t}",
]
PLACES = {
    "Panjshir": ["Dara", "Rukha", "Anaba", "Bazarak"],
    "Kabul": ["Paghman", "Deh Sabz", "Shakardara", "Bagrami"],
    "Kunduz": ["Imam Sahib", "Khanabad", "Chahar Dara", "Qala-i-Zal"],
    "Helmand": ["Sangin", "Musa Qala", "Nad Ali", "Garmsir"],
    "Badakhshan": ["Jurm", "Darwaz", "Ishkashim", "Argo"],
    "Herat": ["Shindand", "Guzara", "Injil", "Kohsan"],
    "Nangarhar": ["Achin", "Khogyani", "Surkh Rod", "Momand Dara"],
    "Balkh": ["Chimtal", "Dehdadi", "Sholgara", "Kaldar"],
}
WINDOW_S = 24 * 3600


@dataclass(frozen=True)
class Item:
    outlet: str
    title: str
    summary: str
    published: datetime


def similar_items(count: int, seed: int, start: datetime, span_s: float) -> list[Item]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        province = rng.choice(list(PLACES))
        values = {
            "a": rng.choice(ACTORS),
            "t": rng.choice(PLACES[province]),
            "p": province,
            "n": rng.randint(2, 30),
        }
        title = f"{rng.choice(ACTORS)} {rng.choice(EVENTS).format(**values)}"
        summary = (
            f"{rng.choice(ACTORS)} said on {rng.choice(['Monday', 'Tuesday'])} that"
            f" {rng.choice(ACTORS)} moved towards {values['t']} in {province}."
        )
        when = start + timedelta(seconds=span_s * i / max(1, count))
        out.append(Item(f"Outlet {rng.randrange(200)}", title, summary, when))
    return out


def _doc(n: int, item: Item):
    from analysis.doc import Doc
    from feeds.tagger import get_tagger

    tags = get_tagger().tag(item.title, item.summary)
    return Doc.make(
        n,
        item.outlet,
        item.title,
        item.published.timestamp(),
        tags.provinces,
        tags.actors,
        summary=item.summary,
        evidence=[(e.kind, e.code, e.start, e.text) for e in tags.evidence],
    )


def in_memory(size: int, new: int) -> float:
    """Seconds per new item placed by a clusterer already holding `size` similar items."""
    from analysis.cluster import Clusterer

    now = datetime(2025, 3, 14, tzinfo=UTC)
    window = similar_items(size, 1, now - timedelta(seconds=WINDOW_S), WINDOW_S)
    fresh = similar_items(new, 2, now, 600)
    clusterer = Clusterer()
    for n, item in enumerate(window):
        clusterer.add(_doc(n, item))
    docs = [_doc(size + n, item) for n, item in enumerate(fresh)]
    t0 = time.process_time()
    for doc in docs:
        clusterer.add(doc)
    return (time.process_time() - t0) / new


def _fill(store, items: list[Item], feed_id: int, prefix: str) -> list[int]:
    from feeds.tagger import get_tagger
    from store import Entry, FeedUpdate

    tagger = get_tagger()
    ids: list[int] = []
    for start in range(0, len(items), 1000):
        entries = [
            Entry(
                key=f"{prefix}-{start + k}",
                title=item.title,
                summary=item.summary,
                link=None,
                author=None,
                language="en",
                published=item.published,
                published_raw=None,
                content_hash=f"{prefix}-{start + k}",
                tags=tagger.tag(item.title, item.summary),
            )
            for k, item in enumerate(items[start : start + 1000])
        ]
        last = items[min(start + 999, len(items) - 1)].published
        done = store.record_fetch(
            feed_id, FeedUpdate(attempted=last, status="ok"), entries, now=last
        )
        ids += done.new_ids
    return ids


def through_sqlite(size: int, new: int) -> dict[str, float]:
    """CPU seconds per new item placed through the store, with `size` similar items and
    their stories already in the database: all new items in one call (a pass that stored
    many), one per call with one StoryAssigner kept between calls (the collector's hooks),
    and one per call with a fresh assigner each time (a `collect --once` that stored one)."""
    from analysis.events import read_event
    from analysis.storage import StoryAssigner, assign_new_items, backfill
    from core.config import FeedConfig
    from store import Store

    read_event("warm", "up")  # the rules compile once per process (~0.1 s), not per item
    now = datetime(2025, 3, 14, tzinfo=UTC)
    out = {}
    for how in ("batch", "kept", "fresh"):
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(Path(tmp) / "cost.db")
            store.sync_feeds([FeedConfig(name="bench", url="http://127.0.0.1/x", outlet="b")])
            feed_id = store.feeds()[0].id
            window = similar_items(size, 1, now - timedelta(seconds=WINDOW_S), WINDOW_S)
            _fill(store, window, feed_id, "w")
            backfill(store)
            ids = _fill(store, similar_items(new, 2, now, 600), feed_id, "n")
            t0 = time.process_time()
            if how == "batch":
                assign_new_items(store, ids)
            elif how == "kept":
                assigner = StoryAssigner(store)
                for item_id in ids:
                    assigner.assign([item_id])
            else:
                for item_id in ids:
                    assign_new_items(store, [item_id])
            out[how] = (time.process_time() - t0) / new
            store.close()
    return out


def measure(sizes: list[int], new: int, sqlite: bool = True) -> list[dict[str, float]]:
    rows = []
    for size in sizes:
        row = {"window_items": size, "memory_ms": in_memory(size, new) * 1000}
        if sqlite:
            found = through_sqlite(size, new)
            row |= {f"sqlite_{how}_ms": seconds * 1000 for how, seconds in found.items()}
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--new", type=int, default=300, help="items placed and timed")
    parser.add_argument("--no-sqlite", action="store_true", help="in memory only")
    args = parser.parse_args(argv)
    print("similar headlines in the last 24 h -> CPU ms per new item placed")
    print(
        f"{'window items':>12} {'in memory':>10} {'sqlite batch':>13}"
        f" {'1/call, kept':>13} {'1/call, fresh':>14}"
    )
    nan = float("nan")
    for row in measure(args.sizes, args.new, not args.no_sqlite):
        print(
            f"{row['window_items']:>12,} {row['memory_ms']:>10.3f}"
            f" {row.get('sqlite_batch_ms', nan):>13.3f} {row.get('sqlite_kept_ms', nan):>13.3f}"
            f" {row.get('sqlite_fresh_ms', nan):>14.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
