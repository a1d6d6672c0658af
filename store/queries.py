"""Read paths: the typed query API the UI and the command line share. Statements for
filtered item lists come from the planner (store/planner.py); this module runs them and
turns rows into Items, and holds the other reads (feeds, alerts, counts, evidence).
"""

from __future__ import annotations

import heapq
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from core.vocab import PLACE_CODES
from store.db import from_ts, to_ts
from store.models import Alert, Cursor, FeedState, Item, ItemFilter, PaneCounts, Tag
from store.planner import ITEM_COLUMNS, Order, fts_query, item_sql, pane_sql, where_clause


def attach_tags(db: Database, rows: list[tuple[Any, ...]]) -> list[Item]:
    if not rows:
        return []
    ids = [r[0] for r in rows]
    tags: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for item_id, kind, code in db.conn.execute(
            f"SELECT item_id, kind, code FROM tags WHERE item_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY code",
            chunk,
        ):
            tags[item_id][0 if kind == "province" else 1].append(code)
    items = []
    for r in rows:
        provinces, actors = tags[r[0]]
        items.append(
            Item(
                id=r[0],
                feed_id=r[1],
                feed=r[2],
                outlet=r[3],
                title=r[4],
                summary=r[5],
                link=r[6],
                author=r[7],
                language=r[8],
                published=from_ts(r[9]),
                first_seen=from_ts(r[10]),
                read=bool(r[11]),
                flagged=bool(r[12]),
                note=r[13],
                provinces=tuple(provinces),
                actors=tuple(actors),
                escalated=from_ts(r[14]),
                escalation=r[15],
                acknowledged=from_ts(r[16]),
            )
        )
    return items


_WALK_CHUNK = 400


# Two writers, or a clock stepped back, can store a smaller id with a later first-seen time;
# the walk's bound allows this much disorder.
FIRST_SEEN_SLACK = 86400.0


def _text_walk(
    db: Database, flt: ItemFilter, limit: int, before: Cursor | None, offset: int
) -> list[Item]:
    """Newest-first text search that stops early, for words in a large share of the items.

    Walks the matches from the highest id down, a chunk at a time, keeping the best
    `limit + offset` by (published, id). The store guarantees published <= first_seen
    (writes clamp it) and ids grow with first_seen (up to FIRST_SEEN_SLACK), so once the
    worst kept item is newer than the current chunk's first-seen time plus the slack, no
    older id can enter the page: the result is exact, and a common word reads a few chunks
    instead of sorting half the database."""
    conn = db.conn
    n = limit + offset
    query = fts_query(flt.text or "")
    # Per-row checks (EXISTS on the tags key): the chunk's ids drive, never a province's
    # whole tag list.
    clauses, params = where_clause(replace(flt, text=None), probe=True)
    if before is not None:
        clauses.append("(i.published, i.id) < (?, ?)")
        params.extend([to_ts(before.published), before.id])
    extra = "".join(f" AND {c}" for c in clauses)
    best: list[tuple[float, int]] = []  # a min-heap of the n newest (published, id)
    # One statement, read lazily: FTS5 yields matches in descending rowid order as they are
    # fetched (a prefix term costs its setup once, not once per chunk).
    matches = conn.execute(
        "SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid DESC", (query,)
    )
    # The walk reads from a second cursor on the same connection while `matches` is open.
    while ids := [r[0] for r in matches.fetchmany(_WALK_CHUNK)]:
        marks = ",".join("?" * len(ids))
        for row in conn.execute(
            f"SELECT i.published, i.id FROM items i WHERE i.id IN ({marks}){extra}",
            [*ids, *params],
        ):
            if len(best) < n:
                heapq.heappush(best, (row[0], row[1]))
            elif (row[0], row[1]) > best[0]:
                heapq.heapreplace(best, (row[0], row[1]))
        if len(best) >= n:
            floor = conn.execute("SELECT first_seen FROM items WHERE id = ?", (ids[-1],)).fetchone()
            if floor is not None and best[0][0] > floor[0] + FIRST_SEEN_SLACK:
                break
    matches.close()
    chosen = sorted(best, reverse=True)[offset : offset + limit]
    if not chosen:
        return []
    marks = ",".join("?" * len(chosen))
    rows = conn.execute(
        f"SELECT {ITEM_COLUMNS} FROM items i CROSS JOIN feeds f ON f.id = i.feed_id"
        f" WHERE i.id IN ({marks}) ORDER BY i.published DESC, i.id DESC",
        [item_id for _, item_id in chosen],
    ).fetchall()
    return attach_tags(db, rows)


def query_items(
    db: Database,
    flt: ItemFilter,
    limit: int = 200,
    before: Cursor | None = None,
    after_id: int | None = None,
    order: Order = "newest",
    offset: int = 0,
) -> list[Item]:
    """Items matching `flt`, newest first (or by text relevance with order="rank").

    With `after_id`, only items whose id is above it: the `limit` most recently stored, then
    shown newest first.
    """
    if after_id is None and order == "newest" and flt.text and fts_query(flt.text):
        return _text_walk(db, flt, limit, before, offset)
    sql, params = item_sql(db, flt, limit, before, after_id, order, offset)
    items = attach_tags(db, db.conn.execute(sql, params).fetchall())
    if after_id is not None:
        items.sort(key=lambda it: (it.published, it.id), reverse=True)
    return items


def texts(db: Database, flt: ItemFilter) -> Iterator[tuple[str, str, str, datetime]]:
    """(outlet, title, summary, published) of matching items in no particular order, read
    lazily: watch rules scan these for outlets, without building Items or tags. Unordered on
    purpose: an ORDER BY sorts every match before the first row comes back."""
    clauses, params = where_clause(flt)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    for outlet, title, summary, published in db.conn.execute(
        "SELECT f.outlet, i.title, i.summary, i.published FROM items i CROSS JOIN feeds f"
        f" ON f.id = i.feed_id {where}",
        params,
    ):
        yield outlet, title, summary, from_ts(published)


def count_items(db: Database, flt: ItemFilter) -> int:
    clauses, params = where_clause(flt)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return db.conn.execute(f"SELECT COUNT(*) FROM items i {where}", params).fetchone()[0]


def get_items(db: Database, ids: list[int]) -> list[Item]:
    """The items `ids` that exist, in the order given: two statements per 500 ids, not two
    per item (watch rules read a feed's new items after every write)."""
    rows: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
            f"SELECT {ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id"
            f" WHERE i.id IN ({marks})",
            chunk,
        ):
            rows[row[0]] = row
    return attach_tags(db, [rows[i] for i in ids if i in rows])


def get_item(db: Database, item_id: int) -> Item | None:
    rows = db.conn.execute(
        f"SELECT {ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id = ?",
        (item_id,),
    ).fetchall()
    items = attach_tags(db, rows)
    return items[0] if items else None


def item_tags(db: Database, item_id: int) -> list[Tag]:
    out = []
    for kind, code, evidence in db.conn.execute(
        "SELECT kind, code, evidence FROM tags WHERE item_id = ? ORDER BY kind DESC, code",
        (item_id,),
    ):
        spans = json.loads(evidence) or [[0, 0, ""]]
        for start, end, text in spans:
            out.append(Tag(kind=kind, code=code, start=start, end=end, text=text))
    return out


def tags_for(db: Database, ids: list[int]) -> dict[int, list[Tag]]:
    """Evidence for many items at once (exports)."""
    out: dict[int, list[Tag]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for item_id, kind, code, evidence in db.conn.execute(
            "SELECT item_id, kind, code, evidence FROM tags"
            f" WHERE item_id IN ({','.join('?' * len(chunk))}) ORDER BY item_id, kind DESC, code",
            chunk,
        ):
            for span_start, span_end, text in json.loads(evidence):
                out[item_id].append(Tag(kind, code, span_start, span_end, text))
    return out


def max_item_id(db: Database) -> int:
    return db.conn.execute("SELECT COALESCE(MAX(id), 0) FROM items").fetchone()[0]


def pane_counts(
    db: Database, panes: dict[str, ItemFilter], now: datetime, days: int = 30
) -> dict[str, PaneCounts]:
    """Counts and sparklines (hourly for 48 h, daily for `days`) for every pane, one query."""
    now_ts = to_ts(now)
    assert now_ts is not None
    names = list(panes)
    hourly = [[0] * 48 for _ in names]
    daily = [[0] * days for _ in names]
    if names:
        sql, params = pane_sql(panes, now_ts, days)
        for index, grain, age, count in db.conn.execute(sql, params):
            if grain == 0 and age < 48:
                hourly[index][47 - age] += count
            elif grain == 1 and age < days:
                daily[index][days - 1 - age] += count
    out = {}
    for index, name in enumerate(names):
        d = daily[index]
        out[name] = PaneCounts(
            day=d[-1] if d else 0,
            week=sum(d[-7:]),
            prev_day=d[-2] if len(d) > 1 else 0,
            prev_week=sum(d[-14:-7]),
            hourly=tuple(hourly[index]),
            daily=tuple(d),
        )
    return out


_PLACES = tuple(sorted(PLACE_CODES))


PROVINCE_COUNTS_SQL = (
    "SELECT code, SUM(published >= ?), SUM(published >= ?), SUM(published < ?)"
    f" FROM tags WHERE code IN ({','.join('?' * len(_PLACES))}) AND published >= ? GROUP BY code"
)


def province_counts(db: Database, now: datetime) -> dict[str, tuple[int, int, int]]:
    """(last 24 h, last 7 days, the 7 days before) per province or neighbour code.

    Listing every place code (not `kind = 'province'`) turns the scan into one short range
    of the (code, published) index per code.
    """
    now_ts = to_ts(now)
    assert now_ts is not None
    week = now_ts - 7 * 86400
    out: dict[str, tuple[int, int, int]] = {}
    for code, day, wk, prev in db.conn.execute(
        PROVINCE_COUNTS_SQL, (now_ts - 86400, week, week, *_PLACES, now_ts - 14 * 86400)
    ):
        out[code] = (day, wk, prev)
    return out


_FEED_COLUMNS = (
    "id, name, url, current_url, outlet, language, enabled, etag, last_modified, body_hash,"
    " status, http_status, last_attempt, last_success, last_error, error_count, next_try,"
    " warning, item_count, last_item_at, mean_gap, ttl"
)


def feeds(
    db: Database,
    now: datetime | None = None,
    silent_after: float = 4.0,
    configured_only: bool = True,
) -> list[FeedState]:
    now_ts = to_ts(now) if now else None
    where = "WHERE in_config = 1" if configured_only else ""
    out = []
    for r in db.conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds {where} ORDER BY name"):
        silent = bool(
            now_ts
            and r[19]
            and r[20]
            and r[10] in ("ok", "not_modified")
            and now_ts - r[19] > max(silent_after * r[20], 6 * 3600)
        )
        out.append(
            FeedState(
                id=r[0],
                name=r[1],
                url=r[2],
                current_url=r[3],
                outlet=r[4],
                language=r[5],
                enabled=bool(r[6]),
                etag=r[7],
                last_modified=r[8],
                body_hash=r[9],
                status=r[10],
                http_status=r[11],
                last_attempt=from_ts(r[12]),
                last_success=from_ts(r[13]),
                last_error=r[14],
                error_count=r[15],
                next_try=from_ts(r[16]),
                warning=r[17],
                item_count=r[18],
                last_item_at=from_ts(r[19]),
                mean_gap=r[20],
                ttl=r[21],
                silent=silent,
            )
        )
    return out


def alerts(db: Database, limit: int = 200, dismissed: bool = True) -> list[Alert]:
    where = "" if dismissed else "WHERE dismissed IS NULL"
    return [
        Alert(
            id=r[0],
            rule=r[1],
            item_id=r[2],
            raised=from_ts(r[3]),
            message=r[4],
            acknowledged=from_ts(r[5]),
            dismissed=from_ts(r[6]),
        )
        for r in db.conn.execute(
            "SELECT id, rule, item_id, raised, message, acknowledged, dismissed FROM alerts"
            f" {where} ORDER BY raised DESC, id DESC LIMIT ?",
            (limit,),
        )
    ]


def open_alerts(db: Database) -> int:
    """Alerts neither acknowledged nor dismissed."""
    return db.conn.execute(
        "SELECT COUNT(*) FROM alerts WHERE acknowledged IS NULL AND dismissed IS NULL"
    ).fetchone()[0]


def max_alert_id(db: Database) -> int:
    return db.conn.execute("SELECT COALESCE(MAX(id), 0) FROM alerts").fetchone()[0]
