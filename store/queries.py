"""Read paths: the typed query API the UI and the command line share.

Filters compile to one SQL statement. Tag filters use the (code, published) index on `tags`;
text search uses FTS5; pages are keyset-paginated on (published, id), newest first.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from afmon.vocab import PLACE_CODES
from store.db import from_ts, to_ts
from store.models import Alert, Cursor, FeedState, Item, ItemFilter, PaneCounts, Tag

_ITEM_COLUMNS = (
    "i.id, i.feed_id, f.name, f.outlet, i.title, i.summary, i.link, i.author, i.language,"
    " i.published, i.first_seen, i.read, i.flagged, i.note"
)
_TOKEN = re.compile(r'"[^"]*"|[^\s"]+')


def fts_query(text: str) -> str | None:
    """Turn what an analyst types into a safe FTS5 query: "quoted phrases" stay phrases,
    other words become prefix terms, all AND-ed. FTS syntax in the input is never trusted."""
    terms = []
    for token in _TOKEN.findall(text):
        if token.startswith('"'):
            phrase = token.strip('"').replace('"', " ").strip()
            if phrase:
                terms.append(f'"{phrase}"')
        else:
            word = re.sub(r"[^\w\-']", " ", token).strip()
            for part in word.split():
                part = part.replace('"', "")
                if part:
                    terms.append(f'"{part}"*')
    return " ".join(terms) or None


def where_clause(flt: ItemFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    since = to_ts(flt.since)
    for codes in (flt.provinces, flt.actors):
        if codes:
            marks = ",".join("?" * len(codes))
            sub = f"SELECT item_id FROM tags WHERE code IN ({marks})"
            params.extend(codes)
            if since is not None:
                sub += " AND published >= ?"
                params.append(since)
            clauses.append(f"i.id IN ({sub})")
    if flt.outlets:
        clauses.append(f"f.outlet IN ({','.join('?' * len(flt.outlets))})")
        params.extend(flt.outlets)
    if flt.feeds:
        clauses.append(f"f.name IN ({','.join('?' * len(flt.feeds))})")
        params.extend(flt.feeds)
    if since is not None:
        clauses.append("i.published >= ?")
        params.append(since)
    if flt.until is not None:
        clauses.append("i.published < ?")
        params.append(to_ts(flt.until))
    if flt.text:
        query = fts_query(flt.text)
        if query:
            clauses.append("i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)")
            params.append(query)
    if flt.unread is not None:
        clauses.append("i.read = ?")
        params.append(0 if flt.unread else 1)
    if flt.flagged is not None:
        clauses.append("i.flagged = ?")
        params.append(1 if flt.flagged else 0)
    return clauses, params


def _attach_tags(db: Database, rows: list[tuple[Any, ...]]) -> list[Item]:
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
                id=r[0], feed_id=r[1], feed=r[2], outlet=r[3], title=r[4], summary=r[5],
                link=r[6], author=r[7], language=r[8], published=from_ts(r[9]),  # type: ignore[arg-type]
                first_seen=from_ts(r[10]), read=bool(r[11]), flagged=bool(r[12]),  # type: ignore[arg-type]
                note=r[13], provinces=tuple(provinces), actors=tuple(actors),
            )
        )
    return items


def query_items(
    db: Database, flt: ItemFilter, limit: int = 200, before: Cursor | None = None,
    after_id: int | None = None,
) -> list[Item]:
    clauses, params = where_clause(flt)
    if before is not None:
        clauses.append("(i.published, i.id) < (?, ?)")
        params.extend([to_ts(before.published), before.id])
    if after_id is not None:
        clauses.append("i.id > ?")
        params.append(after_id)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = (
        f"SELECT {_ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id {where}"
        " ORDER BY i.published DESC, i.id DESC LIMIT ?"
    )
    rows = db.conn.execute(sql, [*params, limit]).fetchall()
    return _attach_tags(db, rows)


def count_items(db: Database, flt: ItemFilter) -> int:
    clauses, params = where_clause(flt)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"SELECT COUNT(*) FROM items i JOIN feeds f ON f.id = i.feed_id {where}"
    return db.conn.execute(sql, params).fetchone()[0]


def get_item(db: Database, item_id: int) -> Item | None:
    rows = db.conn.execute(
        f"SELECT {_ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id = ?",
        (item_id,),
    ).fetchall()
    items = _attach_tags(db, rows)
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


def max_item_id(db: Database) -> int:
    return db.conn.execute("SELECT COALESCE(MAX(id), 0) FROM items").fetchone()[0]


def _tag_only(flt: ItemFilter) -> tuple[str, ...] | None:
    """The codes of a pane that filters on tags of one kind only (a front or a group)."""
    rest = (flt.outlets, flt.feeds, flt.text, flt.unread, flt.flagged, flt.until)
    if any(rest):
        return None
    if flt.provinces and not flt.actors:
        return flt.provinces
    if flt.actors and not flt.provinces:
        return flt.actors
    return None


def pane_counts(
    db: Database, panes: dict[str, ItemFilter], now: datetime, days: int = 30
) -> dict[str, PaneCounts]:
    """Counts and sparklines for every pane, in one statement (UNION ALL of per-pane scans)."""
    now_ts = to_ts(now)
    assert now_ts is not None
    start = now_ts - days * 86400
    parts: list[str] = []
    params: list[Any] = []
    for index, (_name, flt) in enumerate(panes.items()):
        codes = _tag_only(flt)
        if codes is not None:
            parts.append(
                f"SELECT {index}, published FROM tags WHERE code IN"
                f" ({','.join('?' * len(codes))}) AND published >= ? GROUP BY item_id"
            )
            params.extend([*codes, start])
        else:
            clauses, p = where_clause(flt)
            clauses.append("i.published >= ?")
            parts.append(
                f"SELECT {index}, i.published FROM items i JOIN feeds f ON f.id = i.feed_id"
                f" WHERE {' AND '.join(clauses)}"
            )
            params.extend([*p, start])
    names = list(panes)
    hourly = [[0] * 48 for _ in names]
    daily = [[0] * days for _ in names]
    if parts:
        for index, published in db.conn.execute(" UNION ALL ".join(parts), params):
            age = now_ts - published
            if age < 0:
                age = 0
            hour = int(age // 3600)
            if hour < 48:
                hourly[index][47 - hour] += 1
            day = int(age // 86400)
            if day < days:
                daily[index][days - 1 - day] += 1
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


def province_counts(db: Database, now: datetime) -> dict[str, tuple[int, int, int]]:
    """(last 24 h, last 7 days, the 7 days before) per province or neighbour code."""
    now_ts = to_ts(now)
    assert now_ts is not None
    out: dict[str, tuple[int, int, int]] = {}
    for code, day, week, prev in db.conn.execute(
        "SELECT code, SUM(published >= ?), SUM(published >= ?), SUM(published < ?)"
        " FROM tags WHERE kind = 'province' AND published >= ? GROUP BY code",
        (now_ts - 86400, now_ts - 7 * 86400, now_ts - 7 * 86400, now_ts - 14 * 86400),
    ):
        out[code] = (day, week, prev)
    return out


_FEED_COLUMNS = (
    "id, name, url, current_url, outlet, language, enabled, etag, last_modified, body_hash,"
    " status, http_status, last_attempt, last_success, last_error, error_count, next_try,"
    " warning, item_count, last_item_at, mean_gap, ttl"
)


def feeds(
    db: Database, now: datetime | None = None, silent_after: float = 4.0,
    configured_only: bool = True,
) -> list[FeedState]:
    now_ts = to_ts(now) if now else None
    where = "WHERE in_config = 1" if configured_only else ""
    out = []
    for r in db.conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds {where} ORDER BY name"):
        silent = bool(
            now_ts and r[19] and r[20] and r[10] in ("ok", "not_modified")
            and now_ts - r[19] > max(silent_after * r[20], 6 * 3600)
        )
        out.append(
            FeedState(
                id=r[0], name=r[1], url=r[2], current_url=r[3], outlet=r[4], language=r[5],
                enabled=bool(r[6]), etag=r[7], last_modified=r[8], body_hash=r[9], status=r[10],
                http_status=r[11], last_attempt=from_ts(r[12]), last_success=from_ts(r[13]),
                last_error=r[14], error_count=r[15], next_try=from_ts(r[16]), warning=r[17],
                item_count=r[18], last_item_at=from_ts(r[19]), mean_gap=r[20], ttl=r[21],
                silent=silent,
            )
        )
    return out


def alerts(db: Database, limit: int = 200) -> list[Alert]:
    return [
        Alert(id=r[0], rule=r[1], item_id=r[2], raised=from_ts(r[3]), message=r[4])  # type: ignore[arg-type]
        for r in db.conn.execute(
            "SELECT id, rule, item_id, raised, message FROM alerts ORDER BY raised DESC, id DESC"
            " LIMIT ?",
            (limit,),
        )
    ]


def distinct_outlets(db: Database) -> list[str]:
    return [r[0] for r in db.conn.execute("SELECT DISTINCT outlet FROM feeds ORDER BY outlet")]
