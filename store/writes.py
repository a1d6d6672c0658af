"""Write paths: feeds from config, a fetch's result, read/flag/note, alerts, re-tagging.

Every multi-row write runs in one `BEGIN IMMEDIATE` transaction, so a kill -9 at any moment
leaves either all of a feed's fetch or none of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from store.db import to_ts, write_txn
from store.models import Entry, FeedUpdate, TagResult, WriteResult

if TYPE_CHECKING:
    from store.models import FeedSpec

# How many of a feed's newest items inform its posting rhythm (mean gap).
_RHYTHM_WINDOW = 20


def sync_feeds(db: Database, feeds: Sequence[FeedSpec]) -> None:
    """Make the feeds table follow config: add new feeds, update names/outlets, mark feeds no
    longer configured (their items stay).

    A configured feed with a new URL whose name is that of exactly one stored feed whose URL
    is no longer configured is that feed, moved (the operator fixed its URL; `afmon demo
    --db FILE` serves on a new port each run): the row and its items follow the new URL, so
    nothing is stored twice. The old URL's HTTP validators and health go with it."""
    configured = {feed.url for feed in feeds}
    with write_txn(db):
        db.conn.execute("UPDATE feeds SET in_config = 0")
        for feed in feeds:
            row = db.conn.execute("SELECT id FROM feeds WHERE url = ?", (feed.url,)).fetchone()
            if row is None:
                row = _moved(db, feed.name, configured)
                if row is not None:
                    db.conn.execute(
                        "UPDATE feeds SET url = ?, current_url = ?, etag = NULL,"
                        " last_modified = NULL, body_hash = NULL, status = 'new',"
                        " http_status = NULL, last_error = NULL, error_count = 0, next_try = NULL,"
                        " warning = NULL WHERE id = ?",
                        (feed.url, feed.url, row[0]),
                    )
            if row is None:
                db.conn.execute(
                    "INSERT INTO feeds (name, url, current_url, outlet, language, enabled)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        feed.name,
                        feed.url,
                        feed.url,
                        feed.outlet_name,
                        feed.language,
                        int(feed.enabled),
                    ),
                )
            else:
                # A feed disabled by a 410 stays disabled until the operator changes its URL.
                db.conn.execute(
                    "UPDATE feeds SET name = ?, outlet = ?, language = ?, in_config = 1,"
                    " enabled = CASE WHEN status = 'gone' THEN 0 ELSE ? END WHERE id = ?",
                    (feed.name, feed.outlet_name, feed.language, int(feed.enabled), row[0]),
                )


def _moved(db: Database, name: str, configured: set[str]) -> tuple[int] | None:
    """The one stored feed named `name` whose URL is no longer configured, if there is one."""
    rows = [
        (feed_id,)
        for feed_id, url in db.conn.execute("SELECT id, url FROM feeds WHERE name = ?", (name,))
        if url not in configured
    ]
    return rows[0] if len(rows) == 1 else None


# One encoder for every row: json.dumps(..., ensure_ascii=False) builds a new one per call,
# and a cold pass writes ~40,000 evidence lists.
_evidence_json = json.JSONEncoder(ensure_ascii=False).encode


def tag_rows(item_id: int, published: float, tags: TagResult) -> list[tuple[Any, ...]]:
    if not tags.evidence and not tags.provinces and not tags.actors:
        return []
    evidence: dict[str, list[list[Any]]] = {}
    for tag in tags.evidence:
        evidence.setdefault(tag.code, []).append([tag.start, tag.end, tag.text])
    rows = [
        (item_id, "province", code, published, _evidence_json(evidence.get(code, [])))
        for code in tags.provinces
    ]
    rows += [
        (item_id, "actor", code, published, _evidence_json(evidence.get(code, [])))
        for code in tags.actors
    ]
    return rows


_INSERT_TAGS = (
    "INSERT OR REPLACE INTO tags (item_id, kind, code, published, evidence) VALUES (?, ?, ?, ?, ?)"
)


def _existing(conn: Any, feed_id: int, keys: list[str]) -> dict[str, tuple[int, str]]:
    """key -> (id, content_hash) for the keys this feed already has, in chunks of 500."""
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for item_id, key, content_hash in conn.execute(
            f"SELECT id, key, content_hash FROM items WHERE feed_id = ? AND key IN ({marks})",
            (feed_id, *chunk),
        ):
            found[key] = (item_id, content_hash)
    return found


_INSERT_ITEM = (
    "INSERT INTO items (id, feed_id, key, title, summary, link, author, language,"
    " published, published_raw, first_seen, content_hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def record_fetch(
    db: Database, feed_id: int, update: FeedUpdate, entries: Iterable[Entry], now: datetime
) -> WriteResult:
    """Persist one fetch: new and changed entries with their tags, and the feed's health."""
    with write_txn(db):
        result = _record(db, feed_id, update, entries, now)
        _index_text(db, result.new_ids)
        return result


def record_fetches(
    db: Database, fetches: Iterable[tuple[int, FeedUpdate, Sequence[Entry]]], now: datetime
) -> list[WriteResult]:
    """Several feeds' fetches in one transaction (one commit, one full-text segment): for a
    collector pass that finished many feeds at once, and for bulk loads."""
    with write_txn(db):
        results = [
            _record(db, feed_id, update, entries, now) for feed_id, update, entries in fetches
        ]
        _index_text(db, [i for r in results for i in r.new_ids])
        return results


def _index_text(db: Database, new_ids: Sequence[int]) -> None:
    """Full-text rows for freshly inserted items, one statement for the whole (contiguous) id
    range. Not a per-row trigger: see migration 0002 for why."""
    if new_ids:
        db.conn.execute(
            "INSERT INTO items_fts (rowid, title, summary)"
            " SELECT id, title, summary FROM items WHERE id BETWEEN ? AND ?",
            (min(new_ids), max(new_ids)),
        )


def _record(
    db: Database, feed_id: int, update: FeedUpdate, entries: Iterable[Entry], now: datetime
) -> WriteResult:
    """The body of record_fetch; the caller holds the write transaction and indexes the text
    of the new items afterwards (`_index_text`).

    New items are written with `executemany` and ids assigned here (MAX(id)+1 ...): the
    transaction holds the write lock from its first statement (BEGIN IMMEDIATE), so nobody
    else can take those ids, and a thousand entries cost three statements instead of two
    thousand.
    """
    now_ts = to_ts(now)
    conn = db.conn
    unique: dict[str, Entry] = {}
    for entry in entries:
        unique.setdefault(entry.key, entry)  # a feed that repeats a guid: the first copy wins
    updated = 0
    existing = _existing(conn, feed_id, list(unique))
    next_id = conn.execute("SELECT COALESCE(MAX(id), 0) FROM items").fetchone()[0] + 1
    new_rows: list[tuple[Any, ...]] = []
    tag_rows_new: list[tuple[Any, ...]] = []
    for entry in unique.values():
        known = existing.get(entry.key)
        if known is None:
            # Never after first seen: an item cannot be published later than we saw it (the
            # parser clamps future dates; this keeps the invariant queries rely on).
            published = min(to_ts(entry.published), now_ts) if entry.published else now_ts
            new_rows.append(
                (
                    next_id,
                    feed_id,
                    entry.key,
                    entry.title,
                    entry.summary,
                    entry.link,
                    entry.author,
                    entry.language,
                    published,
                    entry.published_raw,
                    now_ts,
                    entry.content_hash,
                )
            )
            tag_rows_new.extend(tag_rows(next_id, published, entry.tags))
            next_id += 1
        elif known[1] != entry.content_hash:
            _update_item(conn, known[0], entry, now_ts)
            updated += 1
    conn.executemany(_INSERT_ITEM, new_rows)
    conn.executemany(_INSERT_TAGS, tag_rows_new)
    _update_feed(db, feed_id, update, len(new_rows))
    new_ids = tuple(row[0] for row in new_rows)
    new_keys = tuple(row[2] for row in new_rows)
    return WriteResult(new=len(new_ids), updated=updated, new_ids=new_ids, new_keys=new_keys)


def _update_item(conn: Any, item_id: int, entry: Entry, now_ts: float | None) -> None:
    """Changed in place: new text and tags, first-seen time kept. A missing date keeps the
    stored one rather than jumping to now."""
    conn.execute(
        "UPDATE items SET title = ?, summary = ?, link = ?, author = ?,"
        " published = MIN(COALESCE(?, published), first_seen), published_raw = ?,"
        " content_hash = ?, updated = ? WHERE id = ?",
        (
            entry.title,
            entry.summary,
            entry.link,
            entry.author,
            to_ts(entry.published),
            entry.published_raw,
            entry.content_hash,
            now_ts,
            item_id,
        ),
    )
    stored = conn.execute("SELECT published FROM items WHERE id = ?", (item_id,)).fetchone()[0]
    conn.execute("DELETE FROM tags WHERE item_id = ?", (item_id,))
    conn.executemany(_INSERT_TAGS, tag_rows(item_id, stored, entry.tags))


def _update_feed(db: Database, feed_id: int, update: FeedUpdate, new: int) -> None:
    conn = db.conn
    fields: dict[str, Any] = {
        "status": update.status,
        "http_status": update.http_status,
        "last_attempt": to_ts(update.attempted),
        "last_error": update.error,
        "error_count": update.error_count,
        "next_try": to_ts(update.next_try),
        "warning": update.warning,
        "enabled": int(update.enabled),
    }
    if update.succeeded:
        fields["last_success"] = to_ts(update.attempted)
    if update.status == "ok":
        # Validators and body hash describe the body just parsed; on errors keep the old ones.
        fields.update(
            etag=update.etag,
            last_modified=update.last_modified,
            body_hash=update.body_hash,
            ttl=update.ttl,
        )
    if update.current_url:
        fields["current_url"] = update.current_url
    if new:
        times = [
            r[0]
            for r in conn.execute(
                "SELECT published FROM items WHERE feed_id = ? ORDER BY published DESC LIMIT ?",
                (feed_id, _RHYTHM_WINDOW),
            )
        ]
        fields["last_item_at"] = times[0]
        if len(times) >= 3:
            fields["mean_gap"] = max((times[0] - times[-1]) / (len(times) - 1), 1.0)
    assignments = ", ".join(f"{name} = ?" for name in fields)
    # item_count is a running count (prune subtracts): a COUNT(*) per fetch grows with the feed.
    conn.execute(
        f"UPDATE feeds SET {assignments}, item_count = item_count + ? WHERE id = ?",
        (*fields.values(), new, feed_id),
    )


def set_item_field(db: Database, item_id: int, column: str, value: Any) -> None:
    assert column in ("read", "flagged", "note")
    with write_txn(db):
        db.conn.execute(f"UPDATE items SET {column} = ? WHERE id = ?", (value, item_id))


def escalate(db: Database, item_id: int, reason: str | None, now: datetime | None) -> None:
    """Escalate (flagging it too) with `reason`, or with `now` None withdraw the escalation
    (the reason is kept, to offer it again). The note and the acknowledgement stay."""
    with write_txn(db):
        if now is None:
            db.conn.execute("UPDATE items SET escalated = NULL WHERE id = ?", (item_id,))
        else:
            db.conn.execute(
                "UPDATE items SET escalated = ?, escalation = ?, flagged = 1 WHERE id = ?",
                (to_ts(now), reason or None, item_id),
            )


def acknowledge(db: Database, item_id: int, now: datetime | None) -> None:
    """Acknowledge (marking it read too), or with `now` None withdraw the acknowledgement.
    The note and any escalation stay."""
    with write_txn(db):
        if now is None:
            db.conn.execute("UPDATE items SET acknowledged = NULL WHERE id = ?", (item_id,))
        else:
            db.conn.execute(
                "UPDATE items SET acknowledged = ?, read = 1 WHERE id = ?", (to_ts(now), item_id)
            )


def mark_alerts(db: Database, ids: Sequence[int], column: str, now: datetime | None) -> None:
    """Set (or with `now` None clear) `acknowledged` or `dismissed` on the alerts `ids`."""
    assert column in ("acknowledged", "dismissed")
    with write_txn(db):
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            db.conn.execute(
                f"UPDATE alerts SET {column} = ? WHERE id IN ({','.join('?' * len(chunk))})",
                [to_ts(now), *chunk],
            )


def add_alert(db: Database, rule: str, item_id: int | None, message: str, now: datetime) -> bool:
    """Record an alert; False when this rule already fired for this item."""
    with write_txn(db):
        cur = db.conn.execute(
            "INSERT OR IGNORE INTO alerts (rule, item_id, raised, message) VALUES (?, ?, ?, ?)",
            (rule, item_id, to_ts(now), message),
        )
        return cur.rowcount > 0


def add_alerts(db: Database, alerts: Sequence[tuple[str, int | None, str]], now: datetime) -> int:
    """Record (rule, item id, message) alerts in one transaction; how many were new (a rule
    fires once per item)."""
    raised = 0
    with write_txn(db):
        for rule, item_id, message in alerts:
            cur = db.conn.execute(
                "INSERT OR IGNORE INTO alerts (rule, item_id, raised, message) VALUES (?, ?, ?, ?)",
                (rule, item_id, to_ts(now), message),
            )
            raised += cur.rowcount > 0
    return raised


def retag(
    db: Database,
    tag: Callable[[str, str], TagResult],
    progress: Callable[[int, int], None] | None = None,
    batch: int = 2000,
) -> int:
    """Re-tag every stored item (after the gazetteer or aliases changed). Returns the count."""
    total = db.conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    done = 0
    last_id = 0
    while True:
        rows = db.conn.execute(
            "SELECT id, title, summary, published FROM items WHERE id > ? ORDER BY id LIMIT ?",
            (last_id, batch),
        ).fetchall()
        if not rows:
            break
        with write_txn(db):
            for item_id, title, summary, published in rows:
                db.conn.execute("DELETE FROM tags WHERE item_id = ?", (item_id,))
                db.conn.executemany(_INSERT_TAGS, tag_rows(item_id, published, tag(title, summary)))
        done += len(rows)
        last_id = rows[-1][0]
        if progress:
            progress(done, total)
    return done
