"""Messages the screens and workers exchange. Workers never touch widgets: they return results
(handled on the UI thread in `on_worker_state_changed`) or post one of these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class ItemChanged(Message):
    """An item's read/flag/note state changed (screens showing it refresh its markers)."""

    item_id: int


@dataclass
class FeedDone(Message):
    """The collector finished one feed (posted from the collector, thread-safe)."""

    result: Any


@dataclass
class CollectorStopped(Message):
    """The collector worker ended (normally at exit, or with an error)."""

    error: str | None = None
