"""Typed values that cross the seams: tagger -> collector -> store -> UI / command line.

Times are timezone-aware UTC datetimes in Python and REAL unix seconds in SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

# The values an entry travels in from the parse workers: defined in the leaf, so a worker
# builds them without importing the store; re-exported here, where every layer finds them.
from core.records import Entry as Entry
from core.records import Tag as Tag
from core.records import TagKind as TagKind
from core.records import TagResult as TagResult


class FeedSpec(Protocol):
    """A configured feed as the store needs it (core.config.FeedConfig is one)."""

    @property
    def name(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def outlet_name(self) -> str: ...
    @property
    def language(self) -> str | None: ...
    @property
    def enabled(self) -> bool: ...


FeedStatus = Literal["new", "ok", "not_modified", "error", "gone", "disabled"]


@dataclass(frozen=True, slots=True)
class FeedState:
    """A feed's row: configuration, HTTP validators and health."""

    id: int
    name: str
    url: str
    current_url: str
    outlet: str
    language: str | None
    enabled: bool
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    status: FeedStatus = "new"
    http_status: int | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    error_count: int = 0
    next_try: datetime | None = None
    warning: str | None = None
    item_count: int = 0
    last_item_at: datetime | None = None
    mean_gap: float | None = None
    ttl: float | None = None
    silent: bool = False


@dataclass(frozen=True, slots=True)
class Item:
    """An item as the UI and the command line see it."""

    id: int
    feed_id: int
    feed: str
    outlet: str
    title: str
    summary: str
    link: str | None
    author: str | None
    language: str | None
    published: datetime
    first_seen: datetime
    read: bool
    flagged: bool
    note: str | None
    provinces: tuple[str, ...]
    actors: tuple[str, ...]
    escalated: datetime | None = None
    """When the item was escalated (None: not escalated); `escalation` says why."""
    escalation: str | None = None
    acknowledged: datetime | None = None
    """When a watch officer acknowledged it (None: not acknowledged). Independent of
    `escalated`: acknowledging never withdraws an escalation."""


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """What an analyst asks for. Within a field values are OR-ed; fields are AND-ed.

    `provinces` may hold AF codes and neighbour country codes. Fronts and threat groups are
    expanded into provinces and actors by the caller (see analysis/query.py).
    """

    provinces: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    unread: bool | None = None
    flagged: bool | None = None
    grades: tuple[str, ...] = ()
    """Outlet grades asked for (`grade:A`); the parser already resolved them into `outlets`,
    so the store reads them only to write the query back."""
    corroborated: bool | None = None
    """Items of a story at least two different outlets report (False: single-source)."""
    escalated: bool | None = None


@dataclass(frozen=True, slots=True)
class Cursor:
    """Keyset pagination position: the last row of the previous page."""

    published: datetime
    id: int


@dataclass(frozen=True, slots=True)
class WriteResult:
    new: int = 0
    updated: int = 0
    new_ids: tuple[int, ...] = ()
    new_keys: tuple[str, ...] = ()  # the new items' entry keys, in `new_ids` order


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """What one fetch changes on a feed's row. The collector decides (feeds/schedule.py), the
    store persists it together with the fetch's entries in one transaction."""

    attempted: datetime
    status: FeedStatus
    http_status: int | None = None
    error: str | None = None
    error_count: int = 0
    next_try: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    current_url: str | None = None
    warning: str | None = None
    ttl: float | None = None
    enabled: bool = True

    @property
    def succeeded(self) -> bool:
        return self.status in ("ok", "not_modified")


@dataclass(frozen=True, slots=True)
class PaneCounts:
    """A dashboard pane's numbers: item counts and activity sparklines (oldest first)."""

    day: int = 0
    week: int = 0
    prev_day: int = 0
    prev_week: int = 0
    hourly: tuple[int, ...] = ()
    daily: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    rule: str
    item_id: int | None
    raised: datetime
    message: str
    acknowledged: datetime | None = None
    dismissed: datetime | None = None


# -- stories (written by analysis/storage.py through store/stories.py) -----------------------


@dataclass(frozen=True, slots=True)
class StoryItem:
    """What the clusterer reads about one item: its text, tags and the tagger's evidence as
    (kind, code, start, text), `start` an offset into title + newline + summary."""

    id: int
    outlet: str
    title: str
    summary: str
    published: float  # unix seconds
    provinces: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    evidence: tuple[tuple[str, str, int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """One item placed in a story, with what the event reader found in its text."""

    item_id: int
    story_id: int
    event_type: str | None = None
    casualties: int | None = None
    claimed_by: str | None = None


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story's stored summary (unix seconds). `outlet_count` counts independent sources
    (outlets whose texts are not copies of one another); `profile` is the clusterer's own
    (opaque to the store) and `keys` the blocking keys that find the story."""

    id: int
    title: str
    first_seen: float
    last_seen: float
    item_count: int
    outlet_count: int
    profile: str = ""
    keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A stored story as the clusterer gets it back: its times and its profile (JSON, opaque
    to the store)."""

    id: int
    first_seen: float
    last_seen: float
    profile: str


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
    sources: int = 0  # independent sources: outlets whose texts are not copies of another's

    @property
    def copies(self) -> int:
        return len(self.items)

    @property
    def corroborated(self) -> bool:
        """Reported by at least two independent sources (two outlets publishing one wire
        text are one source)."""
        return self.sources >= 2


@dataclass(frozen=True, slots=True)
class StoryPage:
    """One page of stories: `after` continues the walk of matching items on the next page."""

    stories: tuple[StoryView, ...]
    after: Cursor | None
    exhausted: bool


@dataclass(frozen=True, slots=True)
class StoryCounts:
    """A pane's numbers counted as stories, with the copies (items) behind them."""

    stories: int = 0
    items: int = 0
