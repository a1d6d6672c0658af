"""How right the story screen's "may tell of the same event" suggestions are.

`.venv/bin/python bench/related_bench.py [--sets ...] [--crowd DAYS]`

Each set is stored in a real database and clustered as the collector does
(`assign_pending`); then every story asks `analysis.related.related_stories`. A suggestion
is right when the two stories hold reports of one labelled event. Printed per set: the
stories, how many got a suggestion, suggestions right / made, the split events' story pairs
found / all, and the cost per story screen (one call, in ms). Sealed sets are never read.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import cluster_bench as cb  # noqa: E402

from analysis.related import related_stories  # noqa: E402
from analysis.storage import assign_pending  # noqa: E402

DEVELOPMENT = [s for s in cb.SETS if s not in cb.SEALED]


def measure(name: str, cases: list[dict], tmp: Path) -> str:
    store, ids = cb.fill_store(tmp / f"{name}.db", cases)
    assign_pending(store)
    story_of = store.story_ids(ids)
    labels: dict[int, set[str]] = {}
    for case, item_id in zip(cases, ids, strict=True):
        labels.setdefault(story_of[item_id], set()).add(case["story"])
    made = right = with_any = 0
    found: set[frozenset[int]] = set()
    costs = []
    for sid in labels:
        start = time.perf_counter()
        suggested = related_stories(store, sid)
        costs.append((time.perf_counter() - start) * 1000)
        with_any += bool(suggested)
        for other, _score in suggested:
            made += 1
            if labels[sid] & labels.get(other, set()):
                right += 1
                found.add(frozenset((sid, other)))
    split = {
        frozenset((a, b)) for a, b in itertools.combinations(labels, 2) if labels[a] & labels[b]
    }
    store.close()
    return (
        f"{name:10} {len(labels):7} {with_any:9} {right:5}/{made:<5} {len(found & split):5}/"
        f"{len(split):<5} {statistics.median(costs):6.1f} {max(costs):6.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", choices=DEVELOPMENT, default=DEVELOPMENT)
    parser.add_argument(
        "--crowd",
        type=int,
        metavar="DAYS",
        help="also every development set crowded into DAYS days (seed 1)",
    )
    args = parser.parse_args(argv)
    print("set        stories suggested right/made  split pairs found  ms median  max")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets:
            print(measure(name, cb.load_set(name), Path(tmp)), flush=True)
        if args.crowd:
            print(measure(f"crowd{args.crowd}", cb.crowded(args.crowd, 1), Path(tmp)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
