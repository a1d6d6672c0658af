"""Province x actor activity with surge flags.

The rule conflict trackers use: a cell surges when the latest window's count is at least
double its average over the previous four windows. A floor (`min_count`) keeps a single
report after a quiet month from flagging: 1 >= 2 x 0 is arithmetic, not a surge.

`surges` is pure (counts in, flags out); `activity` buckets the store's story activity,
counting stories rather than copies, so five outlets reporting one attack count once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store import Store

WINDOWS = 5  # the latest window and the four before it
MIN_COUNT = 3


@dataclass(frozen=True, slots=True)
class Cell:
    province: str
    actor: str
    counts: tuple[int, ...]  # oldest first; counts[-1] is the latest window

    @property
    def latest(self) -> int:
        return self.counts[-1]

    @property
    def baseline(self) -> float:
        """Average of the previous windows (up to four)."""
        prev = self.counts[:-1][-4:]
        return sum(prev) / len(prev) if prev else 0.0

    def surging(self, min_count: int = MIN_COUNT) -> bool:
        return self.latest >= min_count and self.latest >= 2 * self.baseline


def surges(
    table: Mapping[tuple[str, str], Sequence[int]], min_count: int = MIN_COUNT
) -> list[Cell]:
    """The surging cells of a province x actor table, strongest first.

    `table[(province, actor)]` holds counts per window, oldest first, latest last.
    """
    cells = [Cell(p, a, tuple(c)) for (p, a), c in table.items() if c]
    hot = [c for c in cells if c.surging(min_count)]
    return sorted(hot, key=lambda c: (-(c.latest - c.baseline), c.province, c.actor))


def activity(
    store: Store, now: datetime, window: timedelta, windows: int = WINDOWS
) -> dict[tuple[str, str], tuple[int, ...]]:
    """Distinct stories per (province, actor) in each of `windows` windows ending at `now`
    (oldest first). Items not yet clustered count as their own story."""
    span = window.total_seconds()
    end = now.timestamp()
    seen: dict[tuple[str, str], list[set[int]]] = defaultdict(
        lambda: [set() for _ in range(windows)]
    )
    rows = store.story_activity(now - windows * window, now)
    for province, actor, published, story in rows:
        index = windows - 1 - int((end - published) // span)
        if 0 <= index < windows:
            seen[(province, actor)][index].add(story)
    return {cell: tuple(len(s) for s in sets) for cell, sets in seen.items()}
