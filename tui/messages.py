"""Messages the screens and workers exchange. Workers never touch widgets: they return results
(handled on the UI thread in `on_worker_state_changed`) or post one of these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class FeedDone(Message):
    """The collector finished one feed (posted from the collector, thread-safe)."""

    result: Any


class CollectorStopped(Message):
    """The collector worker ended (at exit, or with an error: `report_worker` shows that)."""
