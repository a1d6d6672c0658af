"""Stories in SQLite: the reads and writes behind analysis/storage.py's clustering, and the
story views the command line, the sitrep and the UI show.

The clusterer itself lives in analysis/ and never sees SQL: `assign` hands it the unassigned
items as plain `StoryItem`s and a `StorySession` through which it asks for candidate stories
by blocking key (the newest few per key, within a time range), inside one BEGIN IMMEDIATE
transaction that also covers the writes, so the collector and a monitor assigning at the
same moment queue on the write lock instead of both creating the same story. Reading a few
candidates per item instead of every story in a window keeps the cost per item bounded
however many similar headlines the window holds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from store.db import from_ts, to_ts, write_txn
from store.models import (
    Item,
    ItemFilter,
    StoredStory,
    StoryAssignment,
    StoryCounts,
    StoryItem,
    StoryRow,
    StoryView,
)
from store.planner import ITEM_COLUMNS, where_clause
from store.queries import attach_tags

_ITEM_SQL = (
    "SELECT i.id, f.outlet, i.title, i.summary, i.published FROM items i"
    " JOIN feeds f ON f.id = i.feed_id"
)

# What the clusterer returns for a batch: each placed item, and each story it touched.
Placement = tuple[Sequence[StoryAssignment], Sequence[StoryRow]]


class StorySession:
    """What the clusterer may ask the store while it places a batch (one transaction): which
    stories share a blocking key (the story_keys index), their profiles, and the items of a
    small one."""

    def __init__(self, conn: Any, next_id: int, version: int):
        self._conn = conn
        self.next_id = next_id
        # The stories' version before this batch; the batch's writes make it `version + 1`.
        self.version = version

    def postings(
        self, keys: Iterable[str], low: float, high: float, per_key: int
    ) -> dict[str, list[int]]:
        """For each key, the newest `per_key` stories sharing it whose first report falls in
        [low, high], oldest first (keys no story shares are left out)."""
        out: dict[str, list[int]] = {}
        execute = self._conn.execute
        for key in keys:
            rows = execute(
                "SELECT story_id FROM story_keys WHERE key = ? AND first_seen BETWEEN ? AND ?"
                " ORDER BY first_seen DESC LIMIT ?",
                (key, low, high, per_key),
            ).fetchall()
            if rows:
                out[key] = [r[0] for r in reversed(rows)]
        return out

    def stories(self, ids: Sequence[int]) -> list[StoredStory]:
        """The stories named (unknown ids left out)."""
        out = []
        for chunk in _chunks(ids):
            out += [
                StoredStory(*row)
                for row in self._conn.execute(
                    "SELECT id, first_seen, last_seen, profile FROM stories"
                    f" WHERE id IN ({_marks(chunk)})",
                    chunk,
                )
            ]
        return out

    def members(self, story_id: int) -> list[StoryItem]:
        """The stored items of one story, oldest first, with their tags and evidence."""
        return _members(self._conn, story_id)


Placer = Callable[[list[StoryItem], StorySession], Placement]


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _marks(chunk: Sequence[Any]) -> str:
    return ",".join("?" * len(chunk))


def _tags(conn: Any, ids: Sequence[int]) -> dict[int, tuple[list[str], list[str]]]:
    out: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for chunk in _chunks(ids):
        for item_id, kind, code in conn.execute(
            f"SELECT item_id, kind, code FROM tags WHERE item_id IN ({_marks(chunk)})", chunk
        ):
            out[item_id][0 if kind == "province" else 1].append(code)
    return out


def _story_items(
    conn: Any, rows: list[tuple[Any, ...]], known: Container[int] = ()
) -> list[StoryItem]:
    """Rows of `_ITEM_SQL` as StoryItems, oldest first, with their tags and evidence (but
    the items in `known`: see `assign`)."""
    tags: dict[int, list[tuple[str, str, int, str]]] = defaultdict(list)
    for chunk in _chunks([r[0] for r in rows if r[0] not in known]):
        for item_id, kind, code, evidence in conn.execute(
            f"SELECT item_id, kind, code, evidence FROM tags WHERE item_id IN ({_marks(chunk)})",
            chunk,
        ):
            spans = json.loads(evidence) if evidence else []
            tags[item_id] += [(kind, code, int(s[0]), str(s[2])) for s in spans] or [
                (kind, code, -1, "")
            ]
    out = []
    for item_id, outlet, title, summary, published in sorted(rows, key=lambda r: (r[4], r[0])):
        rows_of = tags.get(item_id, [])
        out.append(
            StoryItem(
                item_id,
                outlet,
                title,
                summary,
                published,
                tuple(dict.fromkeys(c for k, c, _s, _t in rows_of if k == "province")),
                tuple(dict.fromkeys(c for k, c, _s, _t in rows_of if k != "province")),
                tuple(e for e in rows_of if e[3]),
            )
        )
    return out


def _unassigned(conn: Any, ids: Sequence[int], known: Container[int] = ()) -> list[StoryItem]:
    rows = []
    for chunk in _chunks(ids):
        rows += conn.execute(
            f"{_ITEM_SQL} WHERE i.id IN ({_marks(chunk)})"
            " AND i.id NOT IN (SELECT item_id FROM item_stories)",
            chunk,
        ).fetchall()
    return _story_items(conn, rows, known)


def _save(conn: Any, assignments: Sequence[StoryAssignment], stories: Sequence[StoryRow]) -> None:
    """Write placements and stories. A story row with no items is a story the clusterer
    merged into another (its items are among `assignments`): it is deleted. Its blocking
    keys stay (story_keys has no index by story, and a posting to a story that is not there
    is skipped by `StorySession.stories`)."""
    gone = [(s.id,) for s in stories if s.item_count == 0]
    stories = [s for s in stories if s.item_count > 0]
    if gone:
        conn.executemany("DELETE FROM stories WHERE id = ?", gone)
    conn.executemany(
        "INSERT OR REPLACE INTO item_stories (item_id, story_id, event_type, casualties,"
        " claimed_by) VALUES (?, ?, ?, ?, ?)",
        [(a.item_id, a.story_id, a.event_type, a.casualties, a.claimed_by) for a in assignments],
    )
    conn.executemany(
        "INSERT INTO stories (id, title, first_seen, last_seen, item_count, outlet_count,"
        " profile) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
        " title = excluded.title, first_seen = excluded.first_seen,"
        " last_seen = excluded.last_seen, item_count = excluded.item_count,"
        " outlet_count = excluded.outlet_count, profile = excluded.profile",
        [
            (s.id, s.title, s.first_seen, s.last_seen, s.item_count, s.outlet_count, s.profile)
            for s in stories
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO story_keys (key, story_id, first_seen) VALUES (?, ?, ?)",
        [(key, s.id, s.first_seen) for s in stories for key in s.keys],
    )
    conn.execute("UPDATE story_state SET version = version + 1 WHERE id = 1")


def assign(db: Database, item_ids: Sequence[int], place: Placer, known: Container[int] = ()) -> int:
    """Place the unassigned items among `item_ids`, in one write transaction.

    `place(new, session)` gets the new items (oldest first) and a `StorySession` to find
    candidate stories and the next free story id; it returns the assignments and the
    stories to write. Items in `known` are ones the placer has already read (a parse worker
    prepared their story docs): they come without tags and evidence, whose reading and
    decoding was most of the cost of handing an item over. Returns how many items were
    placed.
    """
    with write_txn(db):
        conn = db.conn
        new = _unassigned(conn, item_ids, known)
        if not new:
            return 0
        next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM stories").fetchone()[0]
        assignments, stories = place(new, StorySession(conn, next_id, _version(conn)))
        _save(conn, assignments, stories)
    return len(assignments)


def reader(db: Database) -> StorySession:
    """A session that only reads, outside any transaction: which stored stories share a
    story's blocking keys, and their profiles and reports (the story screen's "may tell of
    the same event")."""
    conn = db.conn
    return StorySession(conn, 0, _version(conn))


def _version(conn: Any) -> int:
    return int(conn.execute("SELECT version FROM story_state WHERE id = 1").fetchone()[0])


def version(db: Database) -> int:
    """The stories' version: every transaction that writes stories moves it on by one."""
    return _version(db.conn)


def unassigned_keys(
    db: Database, limit: int, after: tuple[float, int] | None = None
) -> list[tuple[float, int]]:
    """(published, id) of items with no story yet, oldest first, after the key `after`.
    A caller walking the backlog passes the last key it got, so each call reads the
    published index from there instead of again past everything placed (linear, not
    quadratic, in a million-item database). A first call on a database where every item has
    a story (the usual case) answers from two counts, 25 ms at a million items against 300 ms
    for the walk: item_stories holds only stored items (its foreign key cascades)."""
    if after is None and not _storyless(db.conn):
        return []
    where, args = ("WHERE (published, id) > (?, ?) AND", [*after]) if after else ("WHERE", [])
    return [
        (r[0], r[1])
        for r in db.conn.execute(
            f"SELECT published, id FROM items {where}"
            " id NOT IN (SELECT item_id FROM item_stories) ORDER BY published, id LIMIT ?",
            (*args, limit),
        )
    ]


def _storyless(conn: Any) -> int:
    """How many items have no story."""
    counts = "SELECT (SELECT COUNT(*) FROM items) - (SELECT COUNT(*) FROM item_stories)"
    return int(conn.execute(counts).fetchone()[0])


def clear(db: Database) -> None:
    """Forget every story (before a rebuild)."""
    with write_txn(db):
        db.conn.execute("DELETE FROM item_stories")
        db.conn.execute("DELETE FROM stories")
        db.conn.execute("DELETE FROM story_keys")
        db.conn.execute("UPDATE story_state SET version = version + 1 WHERE id = 1")


def _members(conn: Any, story_id: int) -> list[StoryItem]:
    rows = conn.execute(
        f"{_ITEM_SQL} WHERE i.id IN (SELECT item_id FROM item_stories WHERE story_id = ?)",
        (story_id,),
    ).fetchall()
    return _story_items(conn, rows)


def walk(db: Database, after: tuple[float, int], limit: int) -> list[StoryItem]:
    """The next `limit` items after (published, id) `after`, oldest first (a rebuild's walk)."""
    rows = db.conn.execute(
        f"{_ITEM_SQL} WHERE (i.published, i.id) > (?, ?) ORDER BY i.published, i.id LIMIT ?",
        (*after, limit),
    ).fetchall()
    return _story_items(db.conn, rows)


def save(db: Database, assignments: Sequence[StoryAssignment], stories: Sequence[StoryRow]) -> None:
    with write_txn(db):
        _save(db.conn, assignments, stories)


# -- story views ------------------------------------------------------------------------------


def load(db: Database, story_ids: Sequence[int]) -> list[StoryView]:
    """The stories named, in the order given (unknown or empty stories left out)."""
    conn = db.conn
    heads: dict[int, tuple[str, float, float, int]] = {}
    members: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for chunk in _chunks(list(story_ids)):
        marks = _marks(chunk)
        for sid, title, first, last, sources in conn.execute(
            "SELECT id, title, first_seen, last_seen, outlet_count FROM stories"
            f" WHERE id IN ({marks})",
            chunk,
        ):
            heads[sid] = (title, first, last, sources)
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
        title, first, last, sources = heads[sid]
        rows = members[sid]
        events = [r[3] for r in rows if r[3]]
        figures = [r[4] for r in rows if r[4] is not None]
        out.append(
            StoryView(
                id=sid,
                title=title,
                first_seen=from_ts(first),
                last_seen=from_ts(last),
                items=tuple(r[0] for r in rows),
                outlets=tuple(dict.fromkeys(r[1] for r in rows)),
                provinces=tuple(sorted({c for r in rows for c in tags[r[0]][0]})),
                actors=tuple(sorted({c for r in rows for c in tags[r[0]][1]})),
                event_type=max(set(events), key=events.count) if events else None,
                casualties=max(figures) if figures else None,
                claimed_by=tuple(dict.fromkeys(r[5] for r in rows if r[5])),
                sources=sources,
            )
        )
    return out


def members(db: Database, story_id: int) -> list[Item]:
    """The reports of a story, oldest first."""
    rows = db.conn.execute(
        f"SELECT {ITEM_COLUMNS} FROM item_stories s JOIN items i ON i.id = s.item_id"
        " JOIN feeds f ON f.id = i.feed_id WHERE s.story_id = ? ORDER BY i.published, i.id",
        (story_id,),
    ).fetchall()
    return attach_tags(db, rows)


def story_ids(db: Database, item_ids: Sequence[int]) -> dict[int, int]:
    """item id -> story id, for the items that have one."""
    out: dict[int, int] = {}
    for chunk in _chunks(list(item_ids)):
        out.update(
            db.conn.execute(
                f"SELECT item_id, story_id FROM item_stories WHERE item_id IN ({_marks(chunk)})",
                chunk,
            ).fetchall()
        )
    return out


def corroborated(db: Database, item_ids: Sequence[int]) -> set[int]:
    """Which of `item_ids` belong to a story that at least two different outlets report."""
    out: set[int] = set()
    for chunk in _chunks(list(item_ids)):
        out.update(
            r[0]
            for r in db.conn.execute(
                "SELECT s.item_id FROM item_stories s JOIN stories t ON t.id = s.story_id"
                f" WHERE t.outlet_count >= 2 AND s.item_id IN ({_marks(chunk)})",
                chunk,
            )
        )
    return out


def counts(
    db: Database, flt: ItemFilter, since: datetime, until: datetime | None = None
) -> StoryCounts:
    """Distinct stories (an unassigned item counts as its own story) and items matching
    `flt` published in [since, until)."""
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
    stories, items = db.conn.execute(
        "SELECT COUNT(DISTINCT COALESCE(s.story_id, -i.id)), COUNT(*) FROM items i"
        f" JOIN feeds f ON f.id = i.feed_id LEFT JOIN item_stories s ON s.item_id = i.id {where}",
        params,
    ).fetchone()
    return StoryCounts(stories, items)


def pane_counts(
    db: Database, panes: dict[str, ItemFilter], now: datetime
) -> dict[str, tuple[StoryCounts, StoryCounts]]:
    """For each dashboard pane: (last 24 h, last 7 days) as stories and copies."""
    return {
        name: (
            counts(db, flt, now - timedelta(days=1), now),
            counts(db, flt, now - timedelta(days=7), now),
        )
        for name, flt in panes.items()
    }


def activity(db: Database, since: datetime, until: datetime) -> list[tuple[str, str, float, int]]:
    """(province, actor, published, story) for every province x actor pair of an item
    published in [since, until); an unassigned item is its own story (minus its id)."""
    return db.conn.execute(
        "SELECT p.code, a.code, p.published, COALESCE(s.story_id, -p.item_id)"
        " FROM tags p JOIN tags a ON a.item_id = p.item_id AND a.kind = 'actor'"
        " LEFT JOIN item_stories s ON s.item_id = p.item_id"
        " WHERE p.kind = 'province' AND p.published >= ? AND p.published < ?",
        (to_ts(since), to_ts(until)),
    ).fetchall()


def province_counts(db: Database, since: datetime, until: datetime) -> dict[str, tuple[int, int]]:
    """(stories, reports) per province code published in [since, until): what the map colours
    by (stories) and shows beside (reports, the copies)."""
    return {
        code: (stories, reports)
        for code, stories, reports in db.conn.execute(
            "SELECT t.code, COUNT(DISTINCT COALESCE(s.story_id, -t.item_id)), COUNT(*)"
            " FROM tags t LEFT JOIN item_stories s ON s.item_id = t.item_id"
            " WHERE t.kind = 'province' AND t.published >= ? AND t.published < ?"
            " GROUP BY t.code",
            (to_ts(since), to_ts(until)),
        )
    }
