"""Stories over the store: assigning new items incrementally, and rebuilding.

The clusterer (analysis/cluster.py) decides; the store (store/stories.py) reads the window of
active stories and writes the result, in one transaction. Reading stories back is the
store's (`Store.stories_for`, `story_of`, `load_stories` ...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from analysis.cluster import DEFAULT_WEIGHTS, Clusterer, Doc, Story, Weights
from analysis.events import EventInfo, read_event
from store import Store, StoryAssignment, StoryItem, StoryRow


def _doc(item: StoryItem, event_type: str | None) -> Doc:
    return Doc.make(
        item.id,
        item.outlet,
        item.title,
        item.published,
        item.provinces,
        item.actors,
        event_type,
    )


def _members(items: Iterable[StoryItem]) -> list[Story]:
    stories: dict[int, Story] = {}
    for item in items:
        assert item.story_id is not None
        stories.setdefault(item.story_id, Story(item.story_id)).add(_doc(item, item.event_type))
    return list(stories.values())


def _place(
    clusterer: Clusterer, new: Sequence[StoryItem]
) -> tuple[list[StoryAssignment], list[StoryRow]]:
    """Add items to the clusterer; the assignments and every story they touched (the
    clusterer may forget old stories while a long batch goes on, so touched stories are kept
    here)."""
    touched: dict[int, Story] = {}
    assignments = []
    for item in new:
        event: EventInfo = read_event(item.title, item.summary)
        sid = clusterer.add(_doc(item, event.event_type))[0]
        touched[sid] = clusterer.stories[sid]
        assignments.append(
            StoryAssignment(item.id, sid, event.event_type, event.casualties, event.claimed_by)
        )
    rows = [
        StoryRow(s.id, s.title, s.first_seen, s.last_seen, len(s.members), len(s.outlets))
        for s in touched.values()
    ]
    return assignments, rows


def assign_new_items(
    store: Store, item_ids: Iterable[int], weights: Weights = DEFAULT_WEIGHTS
) -> int:
    """Place newly stored items into stories (joining an active one or starting one).

    Incremental: only the stories active within the window around the new items are read.
    Items already assigned are skipped, so calling twice is harmless. Returns how many items
    were placed.
    """
    ids = list(item_ids)
    if not ids:
        return 0

    def place(
        new: list[StoryItem], members: list[StoryItem], next_id: int
    ) -> tuple[list[StoryAssignment], list[StoryRow]]:
        clusterer = Clusterer(weights, next_id=next_id)
        clusterer.load(_members(members))
        return _place(clusterer, new)

    return store.assign_stories(ids, weights.window_hours * 3600, place)


def assign_pending(store: Store, batch: int = 2000) -> int:
    """Assign every item that has no story yet (a database filled before clustering was
    wired in, or while it was off). Oldest first, in batches."""
    total = 0
    while ids := store.unassigned_item_ids(batch):
        total += assign_new_items(store, ids)
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
    clusterer = Clusterer(weights)
    done = 0
    after: tuple[float, int] = (float("-inf"), 0)
    while items := store.story_walk(after, batch):
        after = (items[-1].published, items[-1].id)
        store.save_stories(*_place(clusterer, items))
        done += len(items)
        if progress:
            progress(done, total)
    return done


__all__ = ["assign_new_items", "assign_pending", "backfill"]
