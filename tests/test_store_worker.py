"""Processes for the concurrency tests (run as `python tests/test_store_worker.py MODE DB ...`).

writer DB SECONDS LOG : record fetches for SECONDS, appending the committed total to LOG
                        after each commit.
reader DB SECONDS LOG : query for SECONDS; before each query read the writer's committed
                        total from LOG and check the query sees at least that many items.
killme DB             : commit 3 fetches, then stop inside a 4th transaction after writing
                        rows, print MID and wait to be killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store import ItemFilter, Store  # noqa: E402
from tests.test_store_support import NOW, entry, feeds, ok  # noqa: E402


def writer(db: str, seconds: float, log: str) -> None:
    store = Store.open(db)
    ids = [f.id for f in store.sync_feeds(feeds(3))]
    total, n, end = 0, 0, time.monotonic() + seconds
    with open(log, "a") as out:
        while time.monotonic() < end:
            batch = [
                entry(f"w{n}-{i}", f"Report {n} {i} from Kabul", codes=("AF-KAB",))
                for i in range(20)
            ]
            total += store.record_fetch(ids[n % 3], ok(), batch, now=NOW).new
            n += 1
            out.write(f"{total}\n")
            out.flush()
    print(total)


def _committed(log: str) -> int:
    lines = Path(log).read_text().split()
    return int(lines[-1]) if lines else 0


def reader(db: str, seconds: float, log: str) -> None:
    store = Store.open(db)
    end, checks = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        floor = _committed(log)
        seen = store.count_items()
        assert seen >= floor, f"saw {seen} items after {floor} were committed"
        store.query_items(ItemFilter(provinces=("AF-KAB",)), 50)
        store.query_items(ItemFilter(text="report"), 20)
        store.pane_counts({"Kabul": ItemFilter(provinces=("AF-KAB",))}, NOW)
        store.items_after(max(store.max_item_id() - 30, 0))
        checks += 1
    print(checks)


def killme(db: str) -> None:
    store = Store.open(db)
    ids = [f.id for f in store.sync_feeds(feeds(1))]
    for n in range(3):
        store.record_fetch(
            ids[0], ok(), [entry(f"k{n}-{i}", f"Kept {n} {i}") for i in range(100)], now=NOW
        )

    def fetches():
        yield ids[0], ok(), [entry(f"lost-{i}", f"Lost {i}") for i in range(500)]
        print("MID", flush=True)
        time.sleep(60)
        yield ids[0], ok(), []

    store.record_fetches(fetches(), now=NOW)


if __name__ == "__main__":
    mode, db, *rest = sys.argv[1:]
    if mode == "writer":
        writer(db, float(rest[0]), rest[1])
    elif mode == "reader":
        reader(db, float(rest[0]), rest[1])
    else:
        killme(db)
