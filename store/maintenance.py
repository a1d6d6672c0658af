"""Maintenance over the whole database: pruning old items, statistics, bulk export.

Kept apart from the hot read and write paths: these run from the command line, touch many rows,
and must never hold the write lock long enough to stall the collector (prune deletes in
batches, each its own short transaction).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from store.db import to_ts, write_txn
from store.models import Cursor, Item, ItemFilter, Tag
from store.queries import query_items, tags_for

_PRUNE_BATCH = 5000


@dataclass(frozen=True, slots=True)
class PruneReport:
    """What a prune removed (or, with dry_run, would remove)."""

    items: int = 0
    tags: int = 0
    per_feed: dict[str, int] = field(default_factory=dict)
    kept_flagged: int = 0
    dry_run: bool = False


def _prune_counts(db: Database, cutoff: float) -> PruneReport:
    conn = db.conn
    per_feed = {
        name: n
        for name, n in conn.execute(
            "SELECT f.name, COUNT(*) FROM items i JOIN feeds f ON f.id = i.feed_id"
            " WHERE i.published < ? AND i.flagged = 0 GROUP BY f.name ORDER BY f.name",
            (cutoff,),
        )
    }
    tags = conn.execute(
        "SELECT COUNT(*) FROM tags t JOIN items i ON i.id = t.item_id"
        " WHERE i.published < ? AND i.flagged = 0",
        (cutoff,),
    ).fetchone()[0]
    kept = conn.execute(
        "SELECT COUNT(*) FROM items WHERE flagged = 1 AND published < ?", (cutoff,)
    ).fetchone()[0]
    return PruneReport(sum(per_feed.values()), tags, per_feed, kept, dry_run=True)


def prune(db: Database, cutoff: datetime, dry_run: bool = False) -> PruneReport:
    """Delete items published before `cutoff`, except flagged ones; tags and full-text rows
    go with them (foreign key cascade and triggers). Alerts keep their text, lose the link."""
    cutoff_ts = to_ts(cutoff)
    assert cutoff_ts is not None
    report = _prune_counts(db, cutoff_ts)
    if dry_run or not report.items:
        return PruneReport(report.items, report.tags, report.per_feed, report.kept_flagged, dry_run)
    conn = db.conn
    while True:
        with write_txn(db):
            rows = conn.execute(
                "SELECT id, feed_id FROM items WHERE published < ? AND flagged = 0 LIMIT ?",
                (cutoff_ts, _PRUNE_BATCH),
            ).fetchall()
            if not rows:
                break
            conn.executemany("DELETE FROM items WHERE id = ?", [(r[0],) for r in rows])
            counts: dict[int, int] = {}
            for _, feed_id in rows:
                counts[feed_id] = counts.get(feed_id, 0) + 1
            conn.executemany(
                "UPDATE feeds SET item_count = MAX(item_count - ?, 0) WHERE id = ?",
                [(n, feed_id) for feed_id, n in counts.items()],
            )
    return PruneReport(report.items, report.tags, report.per_feed, report.kept_flagged, False)


@dataclass(frozen=True, slots=True)
class Stats:
    path: str
    size_bytes: int
    items: int
    feeds: int
    oldest: float | None
    newest: float | None
    by_outlet: dict[str, int]
    by_province: dict[str, int]
    by_actor: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size_bytes": self.size_bytes,
            "items": self.items,
            "feeds": self.feeds,
            "oldest": self.oldest,
            "newest": self.newest,
            "by_outlet": self.by_outlet,
            "by_province": self.by_province,
            "by_actor": self.by_actor,
        }


def database_size(path: str) -> int:
    """Bytes on disk: the database plus its write-ahead log."""
    total = 0
    for suffix in ("", "-wal"):
        with contextlib.suppress(OSError):
            total += os.path.getsize(path + suffix)
    return total


def stats(db: Database, path: str) -> Stats:
    conn = db.conn
    items, oldest, newest = conn.execute(
        "SELECT COUNT(*), MIN(published), MAX(published) FROM items"
    ).fetchone()
    by_outlet: dict[str, int] = {}
    # Sum the per-feed running counts: exact (record_fetch adds, prune subtracts) and free.
    for outlet, n in conn.execute(
        "SELECT outlet, SUM(item_count) FROM feeds GROUP BY outlet ORDER BY 2 DESC, outlet"
    ):
        by_outlet[outlet] = n
    by_province: dict[str, int] = {}
    by_actor: dict[str, int] = {}
    for kind, code, n in conn.execute(
        "SELECT kind, code, COUNT(*) FROM tags GROUP BY kind, code ORDER BY 3 DESC, code"
    ):
        (by_province if kind == "province" else by_actor)[code] = n
    feeds = conn.execute("SELECT COUNT(*) FROM feeds").fetchone()[0]
    return Stats(
        str(path),
        database_size(str(path)),
        items,
        feeds,
        oldest,
        newest,
        by_outlet,
        by_province,
        by_actor,
    )


def iter_items(
    db: Database, flt: ItemFilter, limit: int | None = None, page: int = 1000
) -> Iterator[tuple[Item, list[Tag]]]:
    """Every item matching `flt`, newest first, with its evidence; keyset pages so an export
    of a million rows holds one page in memory."""
    before: Cursor | None = None
    done = 0
    while limit is None or done < limit:
        size = page if limit is None else min(page, limit - done)
        items = query_items(db, flt, size, before)
        if not items:
            return
        evidence = tags_for(db, [it.id for it in items])
        for item in items:
            yield item, evidence.get(item.id, [])
        done += len(items)
        before = Cursor(items[-1].published, items[-1].id)


def optimize(db: Database) -> None:
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA optimize")
