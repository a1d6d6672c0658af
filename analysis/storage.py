"""Stories over the store: assigning new items incrementally, and rebuilding.

The clusterer (analysis/cluster.py) decides; the store (store/stories.py) finds stored
stories by blocking key and writes the result, in one transaction per batch. Reading stories
back is the store's (`Store.stories_for`, `story_of`, `load_stories` ...).

A `StoryAssigner` keeps its clusterer between calls: the stories of the window it has read or
made stay in memory (a bounded cache of the store's), so the collector's next pass compares
its items with them without reading and decoding them again. The store's story version says
whether anyone else wrote stories in between; then the cache is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from analysis.cluster import DEFAULT_WEIGHTS, Clusterer, Weights, blocking_keys
from analysis.doc import Doc
from analysis.pipeline import Prepared
from analysis.story import Story
from store import Store, StoryAssignment, StoryItem, StoryRow, StorySession

# Stories a long-running assigner holds between passes (a busy day's window is a few
# thousand); more are read back from the store when a report asks for them.
MAX_HELD = 20_000


def make_doc(item: StoryItem, prepared: Prepared | None = None) -> tuple[Doc, StoryAssignment]:
    """The clusterer's view of an item, and what its story row will record of it. `prepared`
    is what a parse worker read from the item's entry (analysis.pipeline's `prepare_entry`):
    the same doc, worked out off the collector's thread."""
    if prepared is not None:
        doc = Doc.from_row(prepared, item.id, item.outlet, item.published)
    else:
        doc = Doc.make(
            item.id,
            item.outlet,
            item.title,
            item.published,
            item.provinces,
            item.actors,
            summary=item.summary,
            evidence=item.evidence,
        )
    return doc, StoryAssignment(item.id, 0, doc.event_type, doc.casualties, doc.claimed_by)


def _place(
    clusterer: Clusterer,
    new: Sequence[StoryItem],
    prepared: Mapping[int, Prepared] | None = None,
) -> tuple[list[StoryAssignment], list[StoryRow]]:
    """Add items to the clusterer; the assignments and every story they touched (the
    clusterer may forget old stories while a long batch goes on, so touched stories are kept
    here), each with the blocking keys its new members brought. A story another absorbed
    (see analysis.cluster.FRAGMENT_SIZE) comes as a row with no items, for the store to
    delete, and its reports as assignments to the story that absorbed it."""
    touched: dict[int, Story] = {}
    keys: dict[int, set[str]] = {}
    gone: set[int] = set()
    assignments = []
    ready = prepared or {}
    for item in new:
        doc, assignment = make_doc(item, ready.get(item.id))
        sid = clusterer.add(doc)[0]
        for small, large, moved in clusterer.absorbed:
            touched.pop(small, None)
            gone.add(small)
            brought = keys.setdefault(large, set())
            brought.update(keys.pop(small, ()))
            for d in moved:
                if not d.blank:
                    brought.update(blocking_keys(d))
                assignments.append(
                    StoryAssignment(d.id, large, d.event_type, d.casualties, d.claimed_by)
                )
            touched[large] = clusterer.stories[large]
        clusterer.absorbed.clear()
        touched[sid] = clusterer.stories[sid]
        if not doc.blank:
            keys.setdefault(sid, set()).update(clusterer.last_keys)
        assignments.append(
            StoryAssignment(
                item.id, sid, assignment.event_type, assignment.casualties, assignment.claimed_by
            )
        )
    rows = [
        StoryRow(
            s.id,
            s.title,
            s.first_seen,
            s.last_seen,
            s.count,
            s.independent,
            s.to_json(),
            tuple(sorted(keys.get(s.id, ()))),
        )
        for s in touched.values()
    ]
    rows += [StoryRow(sid, "", 0.0, 0.0, 0, 0) for sid in sorted(gone - touched.keys())]
    return assignments, rows


class StoredSource:
    """The store's stories as the clusterer's `Source`, for one transaction (or, through
    `Store.story_reader`, for reading only)."""

    def __init__(self, session: StorySession):
        self.session = session

    def postings(
        self, keys: Iterable[str], low: float, high: float, per_key: int
    ) -> dict[str, list[int]]:
        return self.session.postings(keys, low, high, per_key)

    def stories(self, ids: Sequence[int]) -> list[Story]:
        return [
            Story.from_json(s.id, s.first_seen, s.last_seen, s.profile)
            for s in self.session.stories(ids)
        ]

    def members(self, story_id: int) -> list[Doc]:
        return [make_doc(item)[0] for item in self.session.members(story_id)]


class _Written(StoredSource):
    """A rebuild's source: it holds every story of its window itself, so only the reports of
    a small story it no longer keeps (see analysis.cluster.FRAGMENTS_HELD) are read back,
    from the batches already written."""

    def __init__(self, store: Store):
        super().__init__(store.story_reader())

    def postings(
        self, keys: Iterable[str], low: float, high: float, per_key: int
    ) -> dict[str, list[int]]:
        return {}

    def stories(self, ids: Sequence[int]) -> list[Story]:
        return []


class StoryAssigner:
    """Places newly stored items into stories, keeping what it read between calls. One per
    process and store (the collector's hooks hold one); not for several threads at once."""

    def __init__(
        self,
        store: Store,
        weights: Weights = DEFAULT_WEIGHTS,
        batch: int = 2000,
        max_held: int = MAX_HELD,
    ):
        self.store = store
        self.weights = weights
        self.batch = batch
        self.max_held = max_held
        self._clusterer: Clusterer | None = None
        self._version: int | None = None  # the store's story version our last write made

    def assign(
        self, item_ids: Iterable[int], prepared: Mapping[int, Prepared] | None = None
    ) -> int:
        """Place newly stored items (joining an active story or starting one). `prepared`
        holds what parse workers already read of some of them (item id -> `prepare_entry`'s
        result).

        Bounded per item: each item is compared with a few stories found through its
        blocking keys, and a long list is placed `batch` items per transaction. Items
        already assigned are skipped, so calling twice is harmless. Returns how many items
        were placed.
        """
        ids = sorted(set(item_ids))
        done = 0
        # Items whose docs are prepared: the store need not read their tags back.
        known = prepared.keys() if prepared else ()

        def place(
            new: list[StoryItem], session: StorySession
        ) -> tuple[list[StoryAssignment], list[StoryRow]]:
            return self._place(new, session, prepared)

        for start in range(0, len(ids), self.batch):
            try:
                done += self.store.assign_stories(ids[start : start + self.batch], place, known)
            except BaseException:
                # The transaction rolled back: what the clusterer learnt was not written.
                self._clusterer = self._version = None
                raise
        return done

    def _place(
        self,
        new: list[StoryItem],
        session: StorySession,
        prepared: Mapping[int, Prepared] | None = None,
    ) -> tuple[list[StoryAssignment], list[StoryRow]]:
        clusterer = self._clusterer
        if clusterer is None or session.version != self._version:
            clusterer = self._clusterer = Clusterer(self.weights)  # someone else wrote stories
        clusterer.next_id = max(clusterer.next_id, session.next_id)
        clusterer.source = StoredSource(session)
        try:
            placed = _place(clusterer, new, prepared)
        finally:
            clusterer.source = None
        self._version = session.version + 1  # what the store's write of this batch makes it
        clusterer.trim(self.max_held)
        return placed


def assign_new_items(
    store: Store,
    item_ids: Iterable[int],
    weights: Weights = DEFAULT_WEIGHTS,
    batch: int = 2000,
) -> int:
    """Place newly stored items into stories with a fresh `StoryAssigner` (a caller that
    assigns again and again keeps one instead)."""
    return StoryAssigner(store, weights, batch).assign(item_ids)


def assign_pending(store: Store, batch: int = 2000) -> int:
    """Assign every item that has no story yet (a database filled before clustering was
    wired in, or while it was off). Oldest first, in batches."""
    assigner = StoryAssigner(store, batch=batch)
    total, after = 0, None
    while keys := store.unassigned_item_keys(batch, after):
        after = keys[-1]
        total += assigner.assign([key[1] for key in keys])
    return total


def backfill(
    store: Store,
    weights: Weights = DEFAULT_WEIGHTS,
    batch: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Forget every story and cluster all items again, oldest first (`afmon stories --rebuild`).

    One clusterer walks the whole history in memory (it forgets stories older than its
    window), committing every `batch` items.
    """
    store.clear_stories()
    total = store.count_items()
    clusterer = Clusterer(weights, source=_Written(store))
    done = 0
    after: tuple[float, int] = (float("-inf"), 0)
    while items := store.story_walk(after, batch):
        after = (items[-1].published, items[-1].id)
        store.save_stories(*_place(clusterer, items))
        done += len(items)
        if progress:
            progress(done, total)
    return done


__all__ = [
    "StoredSource",
    "StoryAssigner",
    "assign_new_items",
    "assign_pending",
    "backfill",
    "make_doc",
]
