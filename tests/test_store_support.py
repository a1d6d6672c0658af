"""Builders shared by the store tests: entries with tags whose evidence matches the text."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from core.config import FeedConfig
from core.vocab import PLACE_CODES
from store import Entry, FeedUpdate, Store, Tag, TagResult

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def entry(
    key: str,
    title: str,
    summary: str = "",
    *,
    age: timedelta = timedelta(hours=1),
    codes: tuple[str, ...] = (),
    now: datetime = NOW,
) -> Entry:
    """An entry published `age` before `now`, tagged with `codes` (provinces and actors)."""
    provinces = tuple(c for c in codes if c in PLACE_CODES)
    actors = tuple(c for c in codes if c not in PLACE_CODES)
    evidence = tuple(
        Tag("province" if c in PLACE_CODES else "actor", c, 0, 1, title[:1]) for c in codes
    )
    return Entry(
        key=key,
        title=title,
        summary=summary,
        link=f"https://x.example/{key}",
        author=None,
        language="en",
        published=now - age,
        published_raw=None,
        content_hash=hashlib.sha1(f"{title}|{summary}".encode()).hexdigest(),
        tags=TagResult(provinces, actors, evidence),
    )


def ok(now: datetime = NOW) -> FeedUpdate:
    return FeedUpdate(attempted=now, status="ok", http_status=200)


def feeds(n: int = 2) -> list[FeedConfig]:
    return [
        FeedConfig(name=f"Feed {i}", url=f"https://f{i}.example/rss", outlet=f"Outlet {i}")
        for i in range(n)
    ]


def open_with_feeds(path, n: int = 2) -> tuple[Store, list[int]]:
    store = Store.open(path)
    states = store.sync_feeds(feeds(n))
    return store, [s.id for s in states]
