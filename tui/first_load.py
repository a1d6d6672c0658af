"""The dashboard's loads (store calls only, no Textual), and the first one started early.

The first frame worth seeing is the dashboard with its items. Its load is a few hundred
milliseconds of SQLite on a big database, and SQLite releases the GIL; starting Textual
(importing it, parsing its CSS, mounting the screen) is Python and holds it. `FirstLoad`
runs the load in a thread from the moment the store is open, before Textual is imported,
so the two overlap instead of following each other. The dashboard takes the result if it
asks for the same panes; anything else (another config, a reload) loads as usual.

This module imports nothing of Textual's: the command imports it before the UI.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from core.config import Config
from store import Store
from store.models import Item, PaneCounts, StoryCounts
from tui.panes import PaneSpec, pane_specs

PANE_ITEMS = 30


@dataclass
class Snapshot:
    max_id: int
    items: dict[str, list[Item]]
    counts: dict[str, PaneCounts] | None
    full: bool
    stories: dict[str, tuple[StoryCounts, StoryCounts]] | None = None


def full_load(store: Store, specs: list[PaneSpec], now: datetime) -> Snapshot:
    """Every pane's newest items, report counts (one query) and story counts (one query)."""
    max_id = store.max_item_id()
    items = {s.key: store.query_items(s.filter, limit=PANE_ITEMS) for s in specs}
    filters = {s.key: s.filter for s in specs}
    counts = store.pane_counts(filters, now)
    stories = store.pane_story_counts(filters, now)
    return Snapshot(max_id, items, counts, full=True, stories=stories)


class FirstLoad:
    """`full_load` for `config`'s panes, running in a thread from construction on."""

    def __init__(self, store: Store, config: Config, now: datetime) -> None:
        self.config = config
        self.specs = pane_specs(config, now)
        self._future: Future[Snapshot] = Future()
        self._taken = False
        # A daemon: a hang-up while it runs must not keep the process alive.
        threading.Thread(
            target=self._run, args=(store, now), name="afmon-first-load", daemon=True
        ).start()

    def _run(self, store: Store, now: datetime) -> None:
        try:
            self._future.set_result(full_load(store, self.specs, now))
        except BaseException as exc:  # handed to whoever takes the result
            self._future.set_exception(exc)

    def specs_for(self, config: Config) -> list[PaneSpec] | None:
        """The panes this load is for, if `config` is the config it was started with and its
        result has not been taken yet (the dashboard then builds exactly these panes)."""
        return self.specs if config is self.config and not self._taken else None

    def take(self, specs: list[PaneSpec]) -> Snapshot | None:
        """The result (waiting for it; call from a thread) when `specs` are this load's
        panes; None otherwise or once taken. The load's exception is raised here."""
        if specs is not self.specs or self._taken:
            return None
        self._taken = True
        return self._future.result()
