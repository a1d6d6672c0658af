"""Stories in SQLite: assigning new items incrementally, rebuilding, and reading stories back.

Every write runs in one BEGIN IMMEDIATE transaction that also covers the read of the window
of active stories, so the collector and a monitor assigning at the same moment queue on the
write lock instead of both creating the same story.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from analysis.cluster import DEFAULT_WEIGHTS, Clusterer, Doc, Story, Weights
from analysis.events import read_event
from store import ItemFilter, Store
from store.db import from_ts, write_txn

_ITEM_SQL = (
    "SELECT i.id, f.outlet, i.title, i.summary, i.published FROM items i"
    " JOIN feeds f ON f.id = i.feed_id"
)


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _tags(conn: Any, ids: Sequence[int]) -> dict[int, tuple[list[str], list[str]]]:
    out: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for chunk in _chunks(ids):
        for item_id, kind, code in conn.execute(
            f"SELECT item_id, kind, code FROM tags WHERE item_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            out[item_id][0 if kind == "province" else 1].append(code)
    return out


def _new_docs(conn: Any, ids: Sequence[int]) -> list[tuple[Doc, Any]]:
    """Docs for items not yet assigned, with what the event reader found, oldest first."""
    rows = []
    for chunk in _chunks(ids):
        rows += conn.execute(
            f"{_ITEM_SQL} WHERE i.id IN ({','.join('?' * len(chunk))})"
            " AND i.id NOT IN (SELECT item_id FROM item_stories)",
            chunk,
        ).fetchall()
    tags = _tags(conn, [r[0] for r in rows])
    out = []
    for item_id, outlet, title, summary, published in sorted(rows, key=lambda r: (r[4], r[0])):
        event = read_event(title, summary)
        provinces, actors = tags[item_id]
        doc = Doc.make(item_id, outlet, title, published, provinces, actors, event.event_type)
        out.append((doc, event))
    return out


def _window(conn: Any, start: float, end: float) -> list[Story]:
    """The persisted stories active between `start` and `end`, with all their members."""
    rows = conn.execute(
        f"{_ITEM_SQL} JOIN item_stories s ON s.item_id = i.id"
        " WHERE s.story_id IN (SELECT id FROM stories WHERE last_seen >= ? AND first_seen <= ?)",
        (start, end),
    ).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    tags = _tags(conn, ids)
    meta: dict[int, tuple[int, str | None]] = {}
    for chunk in _chunks(ids):
        for item_id, story_id, event_type in conn.execute(
            "SELECT item_id, story_id, event_type FROM item_stories"
            f" WHERE item_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            meta[item_id] = (story_id, event_type)
    stories: dict[int, Story] = {}
    for item_id, outlet, title, _summary, published in sorted(rows, key=lambda r: (r[4], r[0])):
        story_id, event_type = meta[item_id]
        provinces, actors = tags[item_id]
        doc = Doc.make(item_id, outlet, title, published, provinces, actors, event_type)
        stories.setdefault(story_id, Story(story_id)).add(doc)
    return list(stories.values())


def _place(
    clusterer: Clusterer, new: Iterable[tuple[Doc, Any]], touched: dict[int, Story]
) -> list[tuple[Doc, Any, int]]:
    """Add docs to the clusterer, remembering each touched story (the clusterer may forget old
    stories while a long batch goes on)."""
    placed = []
    for doc, event in new:
        sid = clusterer.add(doc)[0]
        touched[sid] = clusterer.stories[sid]
        placed.append((doc, event, sid))
    return placed


def _save(conn: Any, placed: list[tuple[Doc, Any, int]], stories: dict[int, Story]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO item_stories (item_id, story_id, event_type, casualties,"
        " claimed_by) VALUES (?, ?, ?, ?, ?)",
        [(d.id, sid, e.event_type, e.casualties, e.claimed_by) for d, e, sid in placed],
    )
    touched = {sid for _d, _e, sid in placed}
    conn.executemany(
        "INSERT INTO stories (id, title, first_seen, last_seen, item_count, outlet_count)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
        " first_seen = excluded.first_seen, last_seen = excluded.last_seen,"
        " item_count = excluded.item_count, outlet_count = excluded.outlet_count",
        [
            (s.id, s.title, s.first_seen, s.last_seen, len(s.members), len(s.outlets))
            for s in (stories[sid] for sid in touched)
        ],
    )


def assign_new_items(
    store: Store, item_ids: Iterable[int], weights: Weights = DEFAULT_WEIGHTS
) -> int:
    """Place newly stored items into stories (joining an active one or starting one).

    Incremental: only the stories active within the window around the new items are read.
    Items already assigned are skipped, so calling twice is harmless. Returns how many items
    were placed.
    """
    ids = sorted(set(item_ids))
    if not ids:
        return 0
    db = store.db
    with write_txn(db):
        conn = db.conn
        new = _new_docs(conn, ids)
        if not new:
            return 0
        span = weights.window_hours * 3600
        first = min(d.published for d, _ in new)
        last = max(d.published for d, _ in new)
        next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM stories").fetchone()[0]
        clusterer = Clusterer(weights, next_id=next_id)
        clusterer.load(_window(conn, first - span, last + span))
        touched: dict[int, Story] = {}
        placed = _place(clusterer, new, touched)
        _save(conn, placed, touched)
    return len(placed)


def assign_pending(store: Store, batch: int = 2000) -> int:
    """Assign every item that has no story yet (a database filled before clustering was
    wired in, or while it was off). Oldest first, in batches."""
    total = 0
    while True:
        ids = [
            r[0]
            for r in store.db.conn.execute(
                "SELECT id FROM items WHERE id NOT IN (SELECT item_id FROM item_stories)"
                " ORDER BY published, id LIMIT ?",
                (batch,),
            )
        ]
        if not ids:
            return total
        total += assign_new_items(store, ids)


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
    db = store.db
    conn = db.conn
    with write_txn(db):
        conn.execute("DELETE FROM item_stories")
        conn.execute("DELETE FROM stories")
    total = conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    clusterer = Clusterer(weights)
    done = 0
    cursor: tuple[float, int] = (float("-inf"), 0)
    while True:
        rows = conn.execute(
            f"{_ITEM_SQL} WHERE (i.published, i.id) > (?, ?) ORDER BY i.published, i.id LIMIT ?",
            (*cursor, batch),
        ).fetchall()
        if not rows:
            break
        cursor = (rows[-1][4], rows[-1][0])
        tags = _tags(conn, [r[0] for r in rows])
        new = []
        for item_id, outlet, title, summary, published in rows:
            event = read_event(title, summary)
            provinces, actors = tags[item_id]
            doc = Doc.make(item_id, outlet, title, published, provinces, actors, event.event_type)
            new.append((doc, event))
        touched: dict[int, Story] = {}
        placed = _place(clusterer, new, touched)
        with write_txn(db):
            _save(conn, placed, touched)
        done += len(rows)
        if progress:
            progress(done, total)
    return done


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as the command line, the sitrep and the UI show it."""

    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    items: tuple[int, ...]
    outlets: tuple[str, ...]
    provinces: tuple[str, ...]
    actors: tuple[str, ...]
    event_type: str | None
    casualties: int | None
    claimed_by: tuple[str, ...]

    @property
    def copies(self) -> int:
        return len(self.items)

    @property
    def corroborated(self) -> bool:
        """Reported by at least two independent (different) outlets."""
        return len(self.outlets) >= 2


def load_stories(store: Store, story_ids: Sequence[int]) -> list[StoryView]:
    """The stories named, in the order given."""
    conn = store.db.conn
    heads: dict[int, tuple[str, float, float]] = {}
    members: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for chunk in _chunks(list(story_ids)):
        marks = ",".join("?" * len(chunk))
        for sid, title, first, last in conn.execute(
            f"SELECT id, title, first_seen, last_seen FROM stories WHERE id IN ({marks})", chunk
        ):
            heads[sid] = (title, first, last)
        members_sql = (
            "SELECT s.story_id, i.id, f.outlet, i.published, s.event_type, s.casualties,"
            " s.claimed_by FROM item_stories s JOIN items i ON i.id = s.item_id"
            f" JOIN feeds f ON f.id = i.feed_id WHERE s.story_id IN ({marks})"
            " ORDER BY i.published, i.id"
        )
        for row in conn.execute(members_sql, chunk):
            members[row[0]].append(row[1:])
    tags = _tags(conn, [m[0] for rows in members.values() for m in rows])
    out = []
    for sid in story_ids:
        if sid not in heads or not members[sid]:
            continue
        title, first, last = heads[sid]
        rows = members[sid]
        events = [r[3] for r in rows if r[3]]
        figures = [r[4] for r in rows if r[4] is not None]
        out.append(
            StoryView(
                id=sid,
                title=title,
                first_seen=from_ts(first),  # type: ignore[arg-type]
                last_seen=from_ts(last),  # type: ignore[arg-type]
                items=tuple(r[0] for r in rows),
                outlets=tuple(dict.fromkeys(r[1] for r in rows)),
                provinces=tuple(sorted({c for r in rows for c in tags[r[0]][0]})),
                actors=tuple(sorted({c for r in rows for c in tags[r[0]][1]})),
                event_type=max(set(events), key=events.count) if events else None,
                casualties=max(figures) if figures else None,
                claimed_by=tuple(dict.fromkeys(r[5] for r in rows if r[5])),
            )
        )
    return out


def stories_for(
    store: Store,
    flt: ItemFilter | None = None,
    limit: int = 50,
    item_limit: int = 5000,
) -> list[StoryView]:
    """Stories with at least one item matching `flt`, most recently reported first.

    Items the filter matches are read newest first (at most `item_limit`); a story is listed
    once, with all its items, whichever of them matched.
    """
    items = store.query_items(flt or ItemFilter(), limit=item_limit)
    if not items:
        return []
    conn = store.db.conn
    story_of: dict[int, int] = {}
    ids = [i.id for i in items]
    for chunk in _chunks(ids):
        for item_id, sid in conn.execute(
            "SELECT item_id, story_id FROM item_stories"
            f" WHERE item_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            story_of[item_id] = sid
    ordered = list(dict.fromkeys(story_of[i] for i in ids if i in story_of))
    views = load_stories(store, ordered[: limit * 2])
    views.sort(key=lambda v: (v.last_seen, v.id), reverse=True)
    return views[:limit]


def story_of(store: Store, item_id: int) -> StoryView | None:
    """The story item `item_id` belongs to (None while it is unassigned)."""
    row = store.db.conn.execute(
        "SELECT story_id FROM item_stories WHERE item_id = ?", (item_id,)
    ).fetchone()
    views = load_stories(store, [row[0]]) if row else []
    return views[0] if views else None


def corroborated_items(store: Store, item_ids: Sequence[int]) -> set[int]:
    """Which of `item_ids` belong to a story that at least two different outlets report."""
    out: set[int] = set()
    for chunk in _chunks(list(item_ids)):
        out.update(
            r[0]
            for r in store.db.conn.execute(
                "SELECT s.item_id FROM item_stories s JOIN stories t ON t.id = s.story_id"
                f" WHERE t.outlet_count >= 2 AND s.item_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class StoryCounts:
    """A pane's numbers counted as stories, with the copies (items) behind them."""

    stories: int = 0
    items: int = 0


def story_counts(
    store: Store, flt: ItemFilter, since: datetime, until: datetime | None = None
) -> StoryCounts:
    """Distinct stories (an unassigned item counts as its own story) and items matching
    `flt` published in [since, until)."""
    from store.queries import where_clause

    window = ItemFilter(
        provinces=flt.provinces,
        actors=flt.actors,
        outlets=flt.outlets,
        feeds=flt.feeds,
        since=max(since, flt.since) if flt.since else since,
        until=min(until, flt.until) if (until and flt.until) else (until or flt.until),
        text=flt.text,
        unread=flt.unread,
        flagged=flt.flagged,
        corroborated=flt.corroborated,
    )
    clauses, params = where_clause(window)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    stories, items = store.db.conn.execute(
        "SELECT COUNT(DISTINCT COALESCE(s.story_id, -i.id)), COUNT(*) FROM items i"
        f" JOIN feeds f ON f.id = i.feed_id LEFT JOIN item_stories s ON s.item_id = i.id {where}",
        params,
    ).fetchone()
    return StoryCounts(stories, items)


def pane_story_counts(
    store: Store, panes: dict[str, ItemFilter], now: datetime
) -> dict[str, tuple[StoryCounts, StoryCounts]]:
    """For each dashboard pane: (last 24 h, last 7 days) as stories and copies."""
    from datetime import timedelta

    return {
        name: (
            story_counts(store, flt, now - timedelta(days=1), now),
            story_counts(store, flt, now - timedelta(days=7), now),
        )
        for name, flt in panes.items()
    }


__all__ = [
    "StoryCounts",
    "StoryView",
    "assign_new_items",
    "assign_pending",
    "backfill",
    "corroborated_items",
    "load_stories",
    "pane_story_counts",
    "stories_for",
    "story_counts",
    "story_of",
]
