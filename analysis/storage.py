"""Stories over the store: assigning new items incrementally, and rebuilding.

The clusterer (analysis/cluster.py) decides; the store (store/stories.py) finds candidate
stories by blocking key and writes the result, in one transaction. Reading stories back is
the store's (`Store.stories_for`, `story_of`, `load_stories` ...).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Sequence

from analysis.cluster import (
    CANDIDATE_CAP,
    DEFAULT_WEIGHTS,
    POSTING_CAP,
    Clusterer,
    Weights,
    key_weight,
)
from analysis.doc import Doc
from analysis.events import read_event
from analysis.story import Story
from store import Store, StoryAssignment, StoryItem, StoryRow, StorySession


def make_doc(item: StoryItem) -> tuple[Doc, StoryAssignment]:
    """The clusterer's view of an item, and what its story row will record of it."""
    event = read_event(item.title, item.summary)
    doc = Doc.make(
        item.id,
        item.outlet,
        item.title,
        item.published,
        item.provinces,
        item.actors,
        summary=item.summary,
        evidence=item.evidence,
        event=event,
    )
    return doc, StoryAssignment(item.id, 0, event.event_type, event.casualties, event.claimed_by)


def _place(
    clusterer: Clusterer, new: Sequence[StoryItem]
) -> tuple[list[StoryAssignment], list[StoryRow]]:
    """Add items to the clusterer; the assignments and every story they touched (the
    clusterer may forget old stories while a long batch goes on, so touched stories are kept
    here), each with the blocking keys its new members brought."""
    touched: dict[int, Story] = {}
    keys: dict[int, set[str]] = {}
    assignments = []
    for item in new:
        doc, assignment = make_doc(item)
        sid = clusterer.add(doc)[0]
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
    return assignments, rows


def _fetcher(session: StorySession) -> Callable[..., Iterator[tuple[Story, list[str]]]]:
    def fetch(
        keys: list[str], low: float, high: float, exclude: Container[int]
    ) -> Iterator[tuple[Story, list[str]]]:
        for found in session.candidates(
            keys, low, high, exclude, POSTING_CAP, CANDIDATE_CAP, key_weight
        ):
            story = Story.from_json(found.id, found.first_seen, found.last_seen, found.profile)
            yield story, list(found.keys)

    return fetch


def assign_new_items(
    store: Store,
    item_ids: Iterable[int],
    weights: Weights = DEFAULT_WEIGHTS,
    batch: int = 2000,
) -> int:
    """Place newly stored items into stories (joining an active one or starting one).

    Incremental and bounded: each item reads only the few stored stories that share a
    blocking key with it, and a long list is placed `batch` items per transaction (a cold
    collect of 40,000 items holds one batch's stories in memory, not all). Items already
    assigned are skipped, so calling twice is harmless. Returns how many items were placed.
    """
    ids = sorted(set(item_ids))
    if not ids:
        return 0

    def place(
        new: list[StoryItem], session: StorySession
    ) -> tuple[list[StoryAssignment], list[StoryRow]]:
        clusterer = Clusterer(weights, next_id=session.next_id, fetch=_fetcher(session))
        return _place(clusterer, new)

    return sum(
        store.assign_stories(ids[start : start + batch], place)
        for start in range(0, len(ids), batch)
    )


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


__all__ = ["assign_new_items", "assign_pending", "backfill", "make_doc"]
