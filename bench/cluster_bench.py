"""Story clustering quality and speed on tests/data/stories.toml.

    .venv/bin/python bench/cluster_bench.py [--repeat N] [--sqlite]

Prints pairwise precision, recall and F1 (over all pairs of items: a pair is "together" when
both items are in one story) and items per second. With --sqlite, also measures the persisted
path (analysis.storage.assign_new_items on a real database file), one batch per item, which
is what the collector does after every fetch.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.cluster import Doc, Weights, cluster  # noqa: E402
from analysis.events import read_event  # noqa: E402

DATA = ROOT / "tests" / "data" / "stories.toml"


def load_cases(path: Path = DATA) -> list[dict]:
    """The labelled items, each with `id` (1-based, file order) and `published` (datetime)."""
    items = tomllib.loads(path.read_text(encoding="utf-8"))["item"]
    for index, item in enumerate(items, 1):
        item["id"] = index
        item["published"] = datetime.strptime(f"2025-{item['at']}", "%Y-%m-%d %H:%M").replace(
            tzinfo=UTC
        )
    return items


def docs_from(cases: list[dict], offset_hours: float = 0.0) -> list[Doc]:
    out = []
    for c in cases:
        event = read_event(c["title"], c.get("summary", ""))
        out.append(
            Doc.make(
                c["id"],
                c["outlet"],
                c["title"],
                c["published"].timestamp() + offset_hours * 3600,
                c["provinces"],
                c["actors"],
                event.event_type,
            )
        )
    return out


def pairwise(truth: dict[int, str], predicted: dict[int, int]) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1 of `predicted` against `truth` (item id -> label)."""
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(truth), 2):
        same_true = truth[a] == truth[b]
        same_pred = predicted[a] == predicted[b]
        tp += same_true and same_pred
        fp += same_pred and not same_true
        fn += same_true and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def errors(cases: list[dict], predicted: dict[int, int]) -> list[str]:
    """Readable list of wrongly split and wrongly merged items (for tuning)."""
    out = []
    by_story: dict[int, list[dict]] = {}
    for c in cases:
        by_story.setdefault(predicted[c["id"]], []).append(c)
    for members in by_story.values():
        labels = {m["story"] for m in members}
        if len(labels) > 1:
            out.append("MERGED: " + " | ".join(f"{m['story']}: {m['title']}" for m in members))
    truth_groups: dict[str, set[int]] = {}
    for c in cases:
        truth_groups.setdefault(c["story"], set()).add(predicted[c["id"]])
    for label, stories in truth_groups.items():
        if len(stories) > 1:
            titles = [f"[{predicted[c['id']]}] {c['title']}" for c in cases if c["story"] == label]
            out.append(f"SPLIT {label}: " + " | ".join(titles))
    return out


def fill_store(path: Path, cases: list[dict], copies: int = 1, week_offset: int = 0):
    """A real afmon database holding the labelled items (one feed per outlet and language),
    each copy one week after the previous. Returns (store, item ids in file order)."""
    from core.config import FeedConfig
    from store import Entry, FeedUpdate, Store, TagResult

    store = Store.open(path)
    feeds = sorted({(c["outlet"], c["lang"]) for c in cases})
    store.sync_feeds(
        [
            FeedConfig(name=f"{o} ({lang})", url=f"http://127.0.0.1/{i}", outlet=o, language=lang)
            for i, (o, lang) in enumerate(feeds)
        ]
    )
    feed_ids = {(f.outlet, f.language): f.id for f in store.feeds()}
    ids = []
    for copy in range(copies):
        shift = timedelta(days=7 * (copy + week_offset))
        for c in cases:
            published = c["published"] + shift
            entry = Entry(
                key=f"{copy}-{c['id']}",
                title=c["title"],
                summary=c.get("summary", ""),
                link=None,
                author=None,
                language=c["lang"],
                published=published,
                published_raw=None,
                content_hash=f"{copy}-{c['id']}",
                tags=TagResult(provinces=tuple(c["provinces"]), actors=tuple(c["actors"])),
            )
            result = store.record_fetch(
                feed_ids[(c["outlet"], c["lang"])],
                FeedUpdate(attempted=published, status="ok"),
                [entry],
                now=published,
            )
            ids.extend(result.new_ids)
    return store, ids


def sqlite_rate(cases: list[dict], copies: int) -> float:
    """Items/s through assign_new_items, one item per call, on a real database file."""
    from analysis.storage import assign_new_items

    with tempfile.TemporaryDirectory() as tmp:
        store, ids = fill_store(Path(tmp) / "bench.db", cases, copies)
        start = time.perf_counter()
        for item_id in ids:
            assign_new_items(store, [item_id])
        elapsed = time.perf_counter() - start
        store.close()
    return len(ids) / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="copies of the set for speed")
    parser.add_argument("--sqlite", action="store_true", help="also time the persisted path")
    parser.add_argument("--errors", action="store_true", help="list split and merged items")
    args = parser.parse_args(argv)

    cases = load_cases()
    truth = {c["id"]: c["story"] for c in cases}
    predicted = cluster(docs_from(cases), Weights())
    precision, recall, f1 = pairwise(truth, predicted)
    print(
        f"items {len(cases)}  true stories {len(set(truth.values()))}  "
        f"found {len(set(predicted.values()))}"
    )
    print(f"pairwise precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    if args.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            from analysis.storage import assign_pending

            store, ids = fill_store(Path(tmp) / "quality.db", cases)
            assign_pending(store)
            rows = store.story_ids(ids)
            stored = {c["id"]: rows[ids[c["id"] - 1]] for c in cases}
            p, r, f = pairwise(truth, stored)
            print(
                f"through sqlite (tags, events from the store): precision {p:.3f}  "
                f"recall {r:.3f}  F1 {f:.3f}"
            )
            store.close()
    if args.errors:
        for line in errors(cases, predicted):
            print("  " + line)

    # Speed: the set repeated `repeat` times, each copy a week later (a month of news).
    docs = []
    for copy in range(args.repeat):
        for d in docs_from(cases, offset_hours=copy * 24 * 7):
            docs.append(
                Doc.make(
                    d.id + copy * 10_000,
                    d.outlet,
                    d.title,
                    d.published,
                    d.provinces,
                    d.actors,
                    d.event_type,
                )
            )
    start = time.perf_counter()
    cluster(docs, Weights())
    elapsed = time.perf_counter() - start
    print(f"in memory: {len(docs)} items in {elapsed:.2f} s = {len(docs) / elapsed:,.0f} items/s")
    if args.sqlite:
        rate = sqlite_rate(cases, copies=min(args.repeat, 5))
        print(f"sqlite, one item per call: {rate:,.0f} items/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
