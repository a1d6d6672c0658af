"""The demo corpus (afmon/demo) as the store sees it, for tests that store its items directly,
without the demo's HTTP server: its feeds as configured feeds, and its items as entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.config import FeedConfig
from core.records import Entry, TagResult
from store import Store


def sync_demo_feeds(store: Store, feeds: list[dict[str, Any]]) -> dict[str, int]:
    """Configure the corpus's `feeds` in `store`; their ids by name."""
    store.sync_feeds(
        [
            FeedConfig(name=f["name"], url=f"http://127.0.0.1/{f['slug']}", outlet=f["outlet"])
            for f in feeds
        ]
    )
    return {f.name: f.id for f in store.feeds()}


def demo_entry(
    feed: dict[str, Any],
    item: dict[str, Any],
    published: datetime,
    tags: TagResult,
    prepared: Any = None,
) -> Entry:
    """One corpus item as the parser would hand it over, tagged."""
    return Entry(
        key=item["guid"],
        title=item["title"],
        summary=item["summary"],
        link=item["link"],
        author=None,
        language=feed["language"],
        published=published,
        published_raw=None,
        content_hash=item["guid"],
        tags=tags,
        prepared=prepared,
    )
