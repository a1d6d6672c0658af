"""The query planner: an ItemFilter (what an analyst asks for) as SQL.

Filters compile to one SQL statement. Tag filters use the (code, published) index on `tags`;
text search uses FTS5; pages are keyset-paginated on (published, id), newest first. The
planner only writes statements (and, for text, asks how common the words are); store/queries.py
runs them and turns rows into Items.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Literal

from sqlite_utils import Database

from store.db import to_ts
from store.models import Cursor, ItemFilter

ITEM_COLUMNS = (
    "i.id, i.feed_id, f.name, f.outlet, i.title, i.summary, i.link, i.author, i.language,"
    " i.published, i.first_seen, i.read, i.flagged, i.note, i.escalated, i.escalation,"
    " i.acknowledged"
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


# Above this many text matches, newest-first pages walk the published index and probe the
# match set; below it they start from the matches and sort them. Measured at 1M items: the
# walk stops after a few thousand rows when matches are common, the sort is cheap when rare.
_TEXT_DRIVE_LIMIT = 4000


_BOOL_SQL = {True: 1, False: 0}


def where_clause(
    flt: ItemFilter, *, probe: bool = False, after_id: int | None = None
) -> tuple[list[str], list[Any]]:
    """SQL conditions on `items i` for `flt`.

    `probe=True` writes tag and text conditions as per-row checks (EXISTS on the tags primary
    key, FTS restricted to rowids above `after_id`) for queries driven by something else: the
    "new since" poll must never materialise every tag row of a front once a second.
    """
    clauses: list[str] = []
    params: list[Any] = []
    since = to_ts(flt.since)
    until = to_ts(flt.until)
    for codes in (flt.provinces, flt.actors):
        if not codes:
            continue
        marks = ",".join("?" * len(codes))
        if probe:
            clauses.append(
                f"EXISTS (SELECT 1 FROM tags t WHERE t.item_id = i.id AND t.code IN ({marks}))"
            )
            params.extend(codes)
            continue
        sub = f"SELECT item_id FROM tags WHERE code IN ({marks})"
        params.extend(codes)
        if since is not None:
            sub += " AND published >= ?"
            params.append(since)
        if until is not None:
            sub += " AND published < ?"
            params.append(until)
        clauses.append(f"i.id IN ({sub})")
    for column, values in (("outlet", flt.outlets), ("name", flt.feeds)):
        if values:
            marks = ",".join("?" * len(values))
            clauses.append(f"i.feed_id IN (SELECT id FROM feeds WHERE {column} IN ({marks}))")
            params.extend(values)
    if since is not None:
        clauses.append("i.published >= ?")
        params.append(since)
    if until is not None:
        clauses.append("i.published < ?")
        params.append(until)
    query = fts_query(flt.text) if flt.text else None
    if query:
        if after_id is not None:
            clauses.append(
                "i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ? AND rowid > ?)"
            )
            params.extend([query, after_id])
        else:
            clauses.append("i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)")
            params.append(query)
    # Literals, not parameters: the planner can then use the partial index on flagged items.
    if flt.unread is not None:
        clauses.append(f"i.read = {_BOOL_SQL[not flt.unread]}")
    if flt.flagged is not None:
        clauses.append(f"i.flagged = {_BOOL_SQL[flt.flagged]}")
    if flt.escalated is not None:
        clauses.append(f"i.escalated IS {'NOT ' if flt.escalated else ''}NULL")
    if flt.corroborated is not None:
        clauses.append(
            f"i.id {'' if flt.corroborated else 'NOT '}IN (SELECT s.item_id FROM item_stories s"
            " JOIN stories t ON t.id = s.story_id WHERE t.outlet_count >= 2)"
        )
    return clauses, params


def common_text(db: Database, flt: ItemFilter) -> bool:
    """True when the text search matches so many items that walking newest-first is cheaper
    than collecting and sorting every match."""
    query = fts_query(flt.text) if flt.text else None
    if not query:
        return False
    n = db.conn.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM items_fts WHERE items_fts MATCH ? LIMIT ?)",
        (query, _TEXT_DRIVE_LIMIT + 1),
    ).fetchone()[0]
    return n > _TEXT_DRIVE_LIMIT


Order = Literal["newest", "rank"]


def item_sql(
    db: Database,
    flt: ItemFilter,
    limit: int = 200,
    before: Cursor | None = None,
    after_id: int | None = None,
    order: Order = "newest",
    offset: int = 0,
) -> tuple[str, list[Any]]:
    """The one SELECT behind query_items, exposed so the bench can EXPLAIN it."""
    if after_id is not None:
        # "New since": the rowid range drives; everything else is a per-row check.
        clauses, params = where_clause(flt, probe=True, after_id=after_id)
        clauses.insert(0, "i.id > ?")
        params.insert(0, after_id)
        return (
            f"SELECT {ITEM_COLUMNS} FROM items i CROSS JOIN feeds f ON f.id = i.feed_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY i.id DESC LIMIT ?",
            [*params, limit],
        )
    if order == "rank" and flt.text and fts_query(flt.text):
        clauses, params = where_clause(replace(flt, text=None))
        if not clauses:
            # Text only: rank inside FTS5 and join just the page, not every match.
            return (
                f"SELECT {ITEM_COLUMNS} FROM (SELECT rowid AS rid, bm25(items_fts, 3.0, 1.0)"
                " AS score FROM items_fts WHERE items_fts MATCH ? ORDER BY score LIMIT ? OFFSET ?)"
                " m CROSS JOIN items i ON i.id = m.rid CROSS JOIN feeds f ON f.id = i.feed_id"
                " ORDER BY m.score, i.published DESC",
                [fts_query(flt.text), limit, offset],
            )
        clauses.insert(0, "items_fts MATCH ?")
        params.insert(0, fts_query(flt.text))
        return (
            f"SELECT {ITEM_COLUMNS} FROM items_fts CROSS JOIN items i ON i.id = items_fts.rowid"
            f" CROSS JOIN feeds f ON f.id = i.feed_id WHERE {' AND '.join(clauses)}"
            " ORDER BY bm25(items_fts, 3.0, 1.0), i.published DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    codes = tag_only(flt)
    if codes is not None and flt.corroborated is None:
        return _tag_driven_sql(flt, codes, limit, before, offset)
    clauses, params = where_clause(flt)
    if common_text(db, flt):
        # Unary + stops the planner from starting at the (large) match set.
        clauses = [c.replace("i.id IN (SELECT rowid", "+i.id IN (SELECT rowid") for c in clauses]
    if before is not None:
        clauses.append("(i.published, i.id) < (?, ?)")
        params.extend([to_ts(before.published), before.id])
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return (
        f"SELECT {ITEM_COLUMNS} FROM items i CROSS JOIN feeds f ON f.id = i.feed_id {where}"
        " ORDER BY i.published DESC, i.id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )


def _tag_driven_sql(
    flt: ItemFilter, codes: tuple[str, ...], limit: int, before: Cursor | None, offset: int
) -> tuple[str, list[Any]]:
    """A front or a threat group, newest first: read each code's newest rows straight off the
    (code, published) index and merge them. `IN (SELECT item_id FROM tags ...)` instead sorted
    every tagged item (the Taliban pane at 1M items: 790 ms; this: under 1 ms)."""
    n = limit + offset
    branches: list[str] = []
    params: list[Any] = []
    for code in codes:
        conds = ["code = ?"]
        params.append(code)
        if flt.since is not None:
            conds.append("published >= ?")
            params.append(to_ts(flt.since))
        if before is not None:
            conds.append("(published, item_id) < (?, ?)")
            params.extend([to_ts(before.published), before.id])
        branches.append(
            f"SELECT * FROM (SELECT item_id, published FROM tags WHERE {' AND '.join(conds)}"
            " ORDER BY published DESC, item_id DESC LIMIT ?)"
        )
        params.append(n)
    return (
        f"WITH c AS ({' UNION '.join(branches)}) SELECT {ITEM_COLUMNS} FROM c"
        " CROSS JOIN items i ON i.id = c.item_id CROSS JOIN feeds f ON f.id = i.feed_id"
        " ORDER BY i.published DESC, i.id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )


def tag_only(flt: ItemFilter) -> tuple[str, ...] | None:
    """The codes of a pane that filters on tags of one kind only (a front or a group)."""
    rest = (flt.outlets, flt.feeds, flt.text, flt.unread, flt.flagged, flt.escalated, flt.until)
    if any(x is not None and x != () and x != "" for x in rest):
        return None
    if flt.provinces and not flt.actors:
        return flt.provinces
    if flt.actors and not flt.provinces:
        return flt.actors
    return None


def pane_sql(
    panes: dict[str, ItemFilter], now_ts: float, days: int = 30, hours: int = 48
) -> tuple[str, list[Any]]:
    """One statement for every pane's hourly and daily buckets (UNION ALL of index scans).

    Rows are (pane index, 0 = hourly / 1 = daily, bucket age, count). Tag-only panes (fronts,
    threat groups) scan the (code, published) index and count distinct items, so an item
    tagged with two provinces of one front counts once.
    """
    parts: list[str] = []
    params: list[Any] = []
    for index, flt in enumerate(panes.values()):
        codes = tag_only(flt)
        since = to_ts(flt.since)
        for grain, (width, span) in enumerate(((3600, hours), (86400, days))):
            start = now_ts - span * width
            if since is not None:
                start = max(start, since)
            bucket = f"MAX(CAST((? - {{p}}) / {width} AS INTEGER), 0)"
            if codes is not None:
                marks = ",".join("?" * len(codes))
                parts.append(
                    f"SELECT {index}, {grain}, {bucket.format(p='published')} AS b,"
                    f" COUNT(DISTINCT item_id) FROM tags WHERE code IN ({marks})"
                    " AND published >= ? GROUP BY b"
                )
                params.extend([now_ts, *codes, start])
            else:
                clauses, p = where_clause(replace(flt, since=None))
                clauses.append("i.published >= ?")
                parts.append(
                    f"SELECT {index}, {grain}, {bucket.format(p='i.published')} AS b, COUNT(*)"
                    f" FROM items i WHERE {' AND '.join(clauses)} GROUP BY b"
                )
                params.extend([now_ts, *p, start])
    return " UNION ALL ".join(parts), params
