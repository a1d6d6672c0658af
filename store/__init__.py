"""afmon's store: one SQLite database (WAL) behind a small typed API.

Callers never see cursors: they pass models (`ItemFilter`, `Entry`, `FeedUpdate`) and get
models back. `store` and `feeds` never import textual.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from store import maintenance, queries, stories, writes
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
    StoredStory,
    StoryAssignment,
    StoryCounts,
    StoryItem,
    StoryPage,
    StoryRow,
    StoryView,
    Tag,
    TagResult,
    WriteResult,
)
from store.planner import Order
from store.stories import StorySession

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
    "StoredStory",
    "StorySession",
    "StoryAssignment",
    "StoryCounts",
    "StoryItem",
    "StoryPage",
    "StoryRow",
    "StoryView",
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
    def _db(self) -> Database:
        """This thread's connection. Private: every statement lives in store/."""
        return self._conns.get()

    @property
    def readonly(self) -> bool:
        return self._conns.readonly

    def close(self) -> None:
        self._conns.close()

    # -- writes --------------------------------------------------------------------------
    def sync_feeds(self, feeds: Sequence[FeedSpec]) -> list[FeedState]:
        writes.sync_feeds(self._db, feeds)
        return self.feeds()

    def record_fetch(
        self,
        feed_id: int,
        update: FeedUpdate,
        entries: Sequence[Entry],
        now: datetime | None = None,
    ) -> WriteResult:
        return writes.record_fetch(self._db, feed_id, update, entries, now or utcnow())

    def record_fetches(
        self,
        fetches: Sequence[tuple[int, FeedUpdate, Sequence[Entry]]],
        now: datetime | None = None,
    ) -> list[WriteResult]:
        """Many feeds' fetches in one transaction (bulk loads, a finished collector pass)."""
        return writes.record_fetches(self._db, fetches, now or utcnow())

    def set_read(self, item_id: int, read: bool = True) -> None:
        writes.set_item_field(self._db, item_id, "read", int(read))

    def set_flagged(self, item_id: int, flagged: bool = True) -> None:
        writes.set_item_field(self._db, item_id, "flagged", int(flagged))

    def set_note(self, item_id: int, note: str | None) -> None:
        writes.set_item_field(self._db, item_id, "note", note or None)

    def escalate(self, item_id: int, reason: str | None, now: datetime | None = None) -> None:
        """Escalate the item (and flag it) with `reason`; the note is left alone."""
        writes.escalate(self._db, item_id, reason, now or utcnow())

    def withdraw_escalation(self, item_id: int) -> None:
        writes.escalate(self._db, item_id, None, None)

    def acknowledge(self, item_id: int, on: bool = True, now: datetime | None = None) -> None:
        """Acknowledge the item (and mark it read), or withdraw the acknowledgement; an
        escalation and the note are left alone."""
        writes.acknowledge(self._db, item_id, (now or utcnow()) if on else None)

    def add_alert(
        self, rule: str, item_id: int | None, message: str, now: datetime | None = None
    ) -> bool:
        return writes.add_alert(self._db, rule, item_id, message, now or utcnow())

    def add_alerts(
        self, alerts: Sequence[tuple[str, int | None, str]], now: datetime | None = None
    ) -> int:
        """(rule, item id, message) alerts in one transaction; returns how many were new."""
        return writes.add_alerts(self._db, alerts, now or utcnow())

    def retag(
        self,
        tag: Callable[[str, str], TagResult],
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Tag every item again with `tag(title, summary)` (after the tagger's data changed)."""
        return writes.retag(self._db, tag, progress)

    # -- reads ---------------------------------------------------------------------------
    def feeds(
        self,
        now: datetime | None = None,
        silent_after: float = 4.0,
        configured_only: bool = True,
    ) -> list[FeedState]:
        """Feeds in config order of name; `configured_only=False` adds feeds since removed
        from config (their items stay)."""
        return queries.feeds(self._db, now or utcnow(), silent_after, configured_only)

    def query_items(
        self,
        flt: ItemFilter = _ALL,
        limit: int = 200,
        before: Cursor | None = None,
        order: Order = "newest",
        offset: int = 0,
    ) -> list[Item]:
        """Newest first, keyset-paginated with `before`; order="rank" sorts a text search by
        relevance (bm25, title weighted 3:1) and pages with `offset`."""
        return queries.query_items(self._db, flt, limit, before, order=order, offset=offset)

    def items_after(self, item_id: int, flt: ItemFilter = _ALL, limit: int = 50) -> list[Item]:
        """Items stored after `item_id` (ids grow with each write): what live panes poll for.
        The `limit` most recently stored, returned newest first."""
        return queries.query_items(self._db, flt, limit, after_id=item_id)

    def texts(self, flt: ItemFilter = _ALL) -> Iterator[tuple[str, str, str, datetime]]:
        """(outlet, title, summary, published) of matching items, in no particular order,
        lazily."""
        return queries.texts(self._db, flt)

    def count_items(self, flt: ItemFilter = _ALL) -> int:
        return queries.count_items(self._db, flt)

    def get_item(self, item_id: int) -> Item | None:
        return queries.get_item(self._db, item_id)

    def get_items(self, ids: Sequence[int]) -> list[Item]:
        """The items `ids` that exist, in the order given."""
        return queries.get_items(self._db, list(ids))

    def item_tags(self, item_id: int) -> list[Tag]:
        return queries.item_tags(self._db, item_id)

    def max_item_id(self) -> int:
        return queries.max_item_id(self._db)

    def pane_counts(
        self, panes: dict[str, ItemFilter], now: datetime | None = None
    ) -> dict[str, PaneCounts]:
        return queries.pane_counts(self._db, panes, now or utcnow())

    def province_counts(self, now: datetime | None = None) -> dict[str, tuple[int, int, int]]:
        return queries.province_counts(self._db, now or utcnow())

    def alerts(self, limit: int = 200, *, dismissed: bool = True) -> list[Alert]:
        """Newest first; `dismissed=False` leaves out the alerts a watch officer dismissed."""
        return queries.alerts(self._db, limit, dismissed)

    def open_alerts(self) -> int:
        """How many alerts are neither acknowledged nor dismissed."""
        return queries.open_alerts(self._db)

    def max_alert_id(self) -> int:
        return queries.max_alert_id(self._db)

    def acknowledge_alerts(self, ids: Sequence[int], on: bool = True) -> None:
        writes.mark_alerts(self._db, ids, "acknowledged", utcnow() if on else None)

    def dismiss_alerts(self, ids: Sequence[int], on: bool = True) -> None:
        """Hide the alerts from the alerts screen (the sitrep still counts them)."""
        writes.mark_alerts(self._db, ids, "dismissed", utcnow() if on else None)

    def tags_for(self, item_ids: Sequence[int]) -> dict[int, list[Tag]]:
        return queries.tags_for(self._db, list(item_ids))

    # -- maintenance ---------------------------------------------------------------------
    def prune(self, cutoff: datetime, dry_run: bool = False) -> PruneReport:
        """Delete unflagged items published before `cutoff` (in short batches)."""
        return maintenance.prune(self._db, cutoff, dry_run)

    def stats(self) -> Stats:
        return maintenance.stats(self._db, str(self.path))

    def iter_items(
        self, flt: ItemFilter = _ALL, limit: int | None = None
    ) -> Iterator[tuple[Item, list[Tag]]]:
        """Every matching item with its evidence, newest first, a page at a time (export)."""
        return maintenance.iter_items(self._db, flt, limit)

    def optimize(self) -> None:
        """Fold the WAL into the database file and refresh the planner's statistics (after a
        bulk load or a large prune)."""
        maintenance.optimize(self._db)

    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    # -- stories (the clusterer is analysis/storage.py) -------------------------------------
    def assign_stories(
        self, item_ids: Sequence[int], place: stories.Placer, known: Container[int] = ()
    ) -> int:
        """Place the unassigned items among `item_ids` with `place(new, session)` (see
        store/stories.py: the session finds candidate stories by blocking key), reading and
        writing in one transaction. Items in `known` (the placer already has their story
        docs) are handed over without tags."""
        return stories.assign(self._db, sorted(set(item_ids)), place, known)

    def unassigned_item_keys(
        self, limit: int, after: tuple[float, int] | None = None
    ) -> list[tuple[float, int]]:
        return stories.unassigned_keys(self._db, limit, after)

    def clear_stories(self) -> None:
        stories.clear(self._db)

    def story_walk(self, after: tuple[float, int], limit: int) -> list[StoryItem]:
        return stories.walk(self._db, after, limit)

    def story_reader(self) -> StorySession:
        """Stored stories by blocking key, their profiles and reports, read outside a write
        transaction (see analysis/related.py)."""
        return stories.reader(self._db)

    def save_stories(
        self, assignments: Sequence[StoryAssignment], rows: Sequence[StoryRow]
    ) -> None:
        stories.save(self._db, assignments, rows)

    def load_stories(self, story_ids: Sequence[int]) -> list[StoryView]:
        return stories.load(self._db, story_ids)

    def story_ids(self, item_ids: Sequence[int]) -> dict[int, int]:
        return stories.story_ids(self._db, item_ids)

    def story_of(self, item_id: int) -> StoryView | None:
        """The story item `item_id` belongs to (None while it is unassigned)."""
        sid = self.story_ids([item_id]).get(item_id)
        views = self.load_stories([sid]) if sid is not None else []
        return views[0] if views else None

    def stories_for(
        self, flt: ItemFilter = _ALL, limit: int = 50, item_limit: int = 5000
    ) -> list[StoryView]:
        """Stories with at least one item matching `flt`, most recently reported first.

        Items the filter matches are read newest first (at most `item_limit`); a story is
        listed once, with all its items, whichever of them matched."""
        ids = [i.id for i in self.query_items(flt, limit=item_limit)]
        story_of = self.story_ids(ids)
        ordered = list(dict.fromkeys(story_of[i] for i in ids if i in story_of))
        views = self.load_stories(ordered[: limit * 2])
        views.sort(key=lambda v: (v.last_seen, v.id), reverse=True)
        return views[:limit]

    def story_page(
        self,
        flt: ItemFilter = _ALL,
        after: Cursor | None = None,
        limit: int = 50,
        seen: frozenset[int] | set[int] = frozenset(),
        chunk: int = 500,
    ) -> StoryPage:
        """A page of stories with an item matching `flt`, by their newest matching item
        (newest first): matching items are read from `after` on, a chunk at a time, until
        `limit` stories not in `seen` (the earlier pages') are found. Pass the page's `after`
        and the stories seen so far for the next page."""
        found: list[int] = []
        cursor, exhausted = after, False
        while len(found) < limit:
            items = self.query_items(flt, limit=chunk, before=cursor)
            story_of = self.story_ids([i.id for i in items])
            for item in items:
                cursor = Cursor(item.published, item.id)
                sid = story_of.get(item.id)
                if sid is not None and sid not in seen and sid not in found:
                    found.append(sid)
                    if len(found) == limit:
                        break
            if len(items) < chunk and len(found) < limit:
                exhausted = True
                break
        return StoryPage(tuple(self.load_stories(found)), cursor, exhausted)

    def story_members(self, story_id: int) -> list[Item]:
        """The reports of a story, oldest first."""
        return stories.members(self._db, story_id)

    def corroborated_items(self, item_ids: Sequence[int]) -> set[int]:
        return stories.corroborated(self._db, item_ids)

    def story_counts(
        self, flt: ItemFilter, since: datetime, until: datetime | None = None
    ) -> StoryCounts:
        return stories.counts(self._db, flt, since, until)

    def pane_story_counts(
        self, panes: dict[str, ItemFilter], now: datetime | None = None
    ) -> dict[str, tuple[StoryCounts, StoryCounts]]:
        return stories.pane_counts(self._db, panes, now or utcnow())

    def story_activity(self, since: datetime, until: datetime) -> list[tuple[str, str, float, int]]:
        return stories.activity(self._db, since, until)

    def province_story_counts(self, since: datetime, until: datetime) -> dict[str, tuple[int, int]]:
        return stories.province_counts(self._db, since, until)
