"""afmon's store: one SQLite database (WAL) behind a small typed API.

Callers never see cursors: they pass models (`ItemFilter`, `Entry`, `FeedUpdate`) and get
models back. `store` and `feeds` never import textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from store import maintenance, queries, writes
from store.db import Connections, StoreError, open_database
from store.maintenance import PruneReport, Stats
from store.models import (
    Alert,
    Cursor,
    Entry,
    FeedState,
    FeedUpdate,
    Item,
    ItemFilter,
    PaneCounts,
    Tag,
    TagResult,
    WriteResult,
)

if TYPE_CHECKING:
    from store.models import FeedSpec

__all__ = [
    "Alert",
    "Cursor",
    "Entry",
    "FeedState",
    "FeedUpdate",
    "Item",
    "ItemFilter",
    "PaneCounts",
    "PruneReport",
    "Stats",
    "Store",
    "StoreError",
    "Tag",
    "TagResult",
    "WriteResult",
]


_ALL = ItemFilter()


def utcnow() -> datetime:
    return datetime.now(UTC)


class Store:
    """The database afmon reads and writes. Safe to share between threads: each thread gets
    its own connection."""

    def __init__(self, conns: Connections):
        self._conns = conns
        self.path = conns.path

    @classmethod
    def open(cls, path: Path | str, *, readonly: bool = False) -> Store:
        return cls(open_database(Path(path), readonly=readonly))

    @property
    def db(self):  # noqa: ANN201 - sqlite_utils.Database of the calling thread
        return self._conns.get()

    def close(self) -> None:
        self._conns.close()

    # -- writes --------------------------------------------------------------------------
    def sync_feeds(self, feeds: Sequence[FeedSpec]) -> list[FeedState]:
        writes.sync_feeds(self.db, feeds)
        return self.feeds()

    def record_fetch(
        self,
        feed_id: int,
        update: FeedUpdate,
        entries: Sequence[Entry],
        now: datetime | None = None,
    ) -> WriteResult:
        return writes.record_fetch(self.db, feed_id, update, entries, now or utcnow())

    def record_fetches(
        self,
        fetches: Sequence[tuple[int, FeedUpdate, Sequence[Entry]]],
        now: datetime | None = None,
    ) -> list[WriteResult]:
        """Many feeds' fetches in one transaction (bulk loads, a finished collector pass)."""
        return writes.record_fetches(self.db, fetches, now or utcnow())

    def set_read(self, item_id: int, read: bool = True) -> None:
        writes.set_item_field(self.db, item_id, "read", int(read))

    def set_flagged(self, item_id: int, flagged: bool = True) -> None:
        writes.set_item_field(self.db, item_id, "flagged", int(flagged))

    def set_note(self, item_id: int, note: str | None) -> None:
        writes.set_item_field(self.db, item_id, "note", note or None)

    def add_alert(
        self, rule: str, item_id: int | None, message: str, now: datetime | None = None
    ) -> bool:
        return writes.add_alert(self.db, rule, item_id, message, now or utcnow())

    def retag(self, tagger: object, progress: Callable[[int, int], None] | None = None) -> int:
        return writes.retag(self.db, tagger.tag, progress)  # type: ignore[attr-defined]

    # -- reads ---------------------------------------------------------------------------
    def feeds(
        self,
        now: datetime | None = None,
        silent_after: float = 4.0,
        configured_only: bool = True,
    ) -> list[FeedState]:
        """Feeds in config order of name; `configured_only=False` adds feeds since removed
        from config (their items stay)."""
        return queries.feeds(self.db, now or utcnow(), silent_after, configured_only)

    def feed(self, feed_id: int) -> FeedState | None:
        return next((f for f in self.feeds() if f.id == feed_id), None)

    def query_items(
        self,
        flt: ItemFilter = _ALL,
        limit: int = 200,
        before: Cursor | None = None,
        order: queries.Order = "newest",
        offset: int = 0,
    ) -> list[Item]:
        """Newest first, keyset-paginated with `before`; order="rank" sorts a text search by
        relevance (bm25, title weighted 3:1) and pages with `offset`."""
        return queries.query_items(self.db, flt, limit, before, order=order, offset=offset)

    def items_after(self, item_id: int, flt: ItemFilter = _ALL, limit: int = 50) -> list[Item]:
        """Items stored after `item_id` (ids grow with each write): what live panes poll for.
        The `limit` most recently stored, returned newest first."""
        return queries.query_items(self.db, flt, limit, after_id=item_id)

    def texts(self, flt: ItemFilter = _ALL) -> Iterator[tuple[str, str, str]]:
        """(outlet, title, summary) of matching items, newest first, lazily."""
        return queries.texts(self.db, flt)

    def count_items(self, flt: ItemFilter = _ALL) -> int:
        return queries.count_items(self.db, flt)

    def get_item(self, item_id: int) -> Item | None:
        return queries.get_item(self.db, item_id)

    def item_tags(self, item_id: int) -> list[Tag]:
        return queries.item_tags(self.db, item_id)

    def max_item_id(self) -> int:
        return queries.max_item_id(self.db)

    def pane_counts(
        self, panes: dict[str, ItemFilter], now: datetime | None = None
    ) -> dict[str, PaneCounts]:
        return queries.pane_counts(self.db, panes, now or utcnow())

    def province_counts(self, now: datetime | None = None) -> dict[str, tuple[int, int, int]]:
        return queries.province_counts(self.db, now or utcnow())

    def alerts(self, limit: int = 200) -> list[Alert]:
        return queries.alerts(self.db, limit)

    def outlets(self) -> list[str]:
        return queries.distinct_outlets(self.db)

    def tags_for(self, item_ids: Sequence[int]) -> dict[int, list[Tag]]:
        return queries.tags_for(self.db, list(item_ids))

    # -- maintenance ---------------------------------------------------------------------
    def prune(self, cutoff: datetime, dry_run: bool = False) -> PruneReport:
        """Delete unflagged items published before `cutoff` (in short batches)."""
        return maintenance.prune(self.db, cutoff, dry_run)

    def stats(self) -> Stats:
        return maintenance.stats(self.db, str(self.path))

    def iter_items(
        self, flt: ItemFilter = _ALL, limit: int | None = None
    ) -> Iterator[tuple[Item, list[Tag]]]:
        """Every matching item with its evidence, newest first, a page at a time (export)."""
        return maintenance.iter_items(self.db, flt, limit)

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]
