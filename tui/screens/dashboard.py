"""The dashboard: one live pane per front, threat group and pane query, reflowing to the
terminal size. Live: polls `store.items_after(last_seen_id, pane_filter)` every
settings.live_refresh, after checking `max_item_id` (no full reload); counts come from ONE
`store.pane_counts` call (reports, trends, sparkline) and ONE
`Store.pane_story_counts` call (stories) per refresh, in the same worker."""

from __future__ import annotations

import time

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.worker import Worker, WorkerState

from core.config import Config
from store.models import Item
from tui.first_load import PANE_ITEMS, Snapshot, full_load
from tui.panes import PaneSpec, pane_specs
from tui.screens.base import AfmonScreen
from tui.widgets.pane import Pane

COUNTS_EVERY = 60.0  # seconds: counts age even when nothing new arrives
MIN_PANE_WIDTH = 38
PANE_HEIGHT = 10


class DashboardScreen(AfmonScreen):
    AUTO_FOCUS = "Pane"
    BINDINGS = [
        Binding("H", "handover", "Handover", id="dashboard.handover"),
        Binding("S", "sitrep", "Sitrep", id="dashboard.sitrep"),
        Binding("right,l", "focus_next", "Next pane", id="dashboard.next", show=False),
        Binding("left,h", "focus_previous", "Previous pane", id="dashboard.previous", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.specs: list[PaneSpec] = []
        self.last_id: int | None = None
        self._counts_at = 0.0
        self._generation = 0
        self._layout: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="panes")
        yield from self.chrome()

    def on_mount(self) -> None:
        self.afmon.config_signal.subscribe(self, self._config_changed)
        self.afmon.item_signal.subscribe(self, self._item_changed)
        self._build(self.afmon.config)

    @property
    def panes(self) -> list[Pane]:
        return list(self.query(Pane))

    def pane(self, name: str) -> Pane | None:
        return next((p for p in self.panes if p.spec.name == name), None)

    # -- building and reflowing ------------------------------------------------------------
    def _build(self, config: Config) -> None:
        self._generation += 1
        first = self.afmon.first_load
        self.specs = (first and first.specs_for(config)) or pane_specs(config, self.afmon.now())
        grid = self.query_one("#panes", VerticalScroll)
        grid.remove_children()
        grid.mount_all([Pane(spec) for spec in self.specs])
        self._reflow()
        self.last_id = None
        self._load(self.specs, self._generation)

    def _config_changed(self, config: Config) -> None:
        self._build(config)

    def on_resize(self, event: events.Resize) -> None:
        self._reflow()

    def _reflow(self) -> None:
        grid = self.query_one("#panes", VerticalScroll)
        width, height = self.size.width, max(1, self.size.height - 2)
        columns = max(1, width // MIN_PANE_WIDTH)
        rows = max(1, height // PANE_HEIGHT)
        layout = (columns, max(PANE_HEIGHT - 2, height // rows))
        if layout == self._layout:
            return  # a style change relayouts all the panes: only when the grid changes
        self._layout = layout
        grid.styles.grid_size_columns = columns
        grid.styles.grid_rows = str(layout[1])

    # -- loading and live polling ----------------------------------------------------------
    @work(
        thread=True, exclusive=True, exit_on_error=False, group="dashboard", name="dashboard-load"
    )
    def _load(self, specs: list[PaneSpec], generation: int) -> tuple[int, Snapshot]:
        first = self.afmon.first_load
        started = first.take(specs) if first is not None else None
        if started is not None:
            return generation, started  # begun before the UI (tui.first_load)
        return generation, full_load(self.afmon.store, specs, self.afmon.now())

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="dashboard", name="dashboard-poll"
    )
    def _poll(self, specs: list[PaneSpec], last_id: int, generation: int) -> tuple[int, Snapshot]:
        store, now = self.afmon.store, self.afmon.now()
        max_id = store.max_item_id()
        items: dict[str, list[Item]] = {}
        if max_id > last_id:
            for spec in specs:
                found = store.items_after(last_id, spec.filter, limit=PANE_ITEMS)
                if found:
                    items[spec.key] = found
        counts = stories = None
        if max_id > last_id or time.monotonic() - self._counts_at > COUNTS_EVERY:
            filters = {s.key: s.filter for s in specs}
            counts = store.pane_counts(filters, now)
            stories = store.pane_story_counts(filters, now)
        return generation, Snapshot(max_id, items, counts, full=False, stories=stories)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.afmon.report_worker(event)
        name = event.worker.name
        if name == "dashboard-item" and event.state == WorkerState.SUCCESS:
            if event.worker.result is not None:
                for pane in self.panes:
                    pane.replace_item(event.worker.result)
            return
        if name not in ("dashboard-load", "dashboard-poll") or not event.worker.is_finished:
            return
        if event.state == WorkerState.CANCELLED:
            return
        if event.state == WorkerState.SUCCESS:
            generation, snap = event.worker.result
            if generation != self._generation:
                return  # panes were rebuilt (config reload) while this ran
            self._apply(snap)
        self.call_after_refresh(self.afmon.dashboard_ready)  # after this frame is painted
        if self.last_id is None:
            return  # the initial load failed: nothing to poll from
        interval = self.afmon.config.settings.live_refresh.total_seconds()
        self.set_timer(max(0.2, interval), self._next_poll)

    def _next_poll(self) -> None:
        if self.last_id is not None:
            self._poll(self.specs, self.last_id, self._generation)

    def _apply(self, snap: Snapshot) -> None:
        panes = {p.spec.key: p for p in self.panes}
        for key, items in snap.items.items():
            pane = panes.get(key)
            if pane is None:
                continue
            if snap.full:
                pane.set_items(items)
            else:
                pane.add_items(items)
        if snap.counts is not None:
            self._counts_at = time.monotonic()
            stories = snap.stories or {}
            for key, counts in snap.counts.items():
                if key in panes:
                    panes[key].set_counts(counts, stories.get(key))
        self.last_id = max(self.last_id or 0, snap.max_id)
        start = self.afmon.start_max_id
        if start is not None and self.last_id > start:
            self.afmon.set_status(new_items=self.last_id - start)

    # -- item state changes elsewhere (read/flag) ------------------------------------------
    def _item_changed(self, item_id: int) -> None:
        self._fetch_item(item_id)

    @work(thread=True, exit_on_error=False, group="dashboard-item", name="dashboard-item")
    def _fetch_item(self, item_id: int) -> Item | None:
        return self.afmon.store.get_item(item_id)

    # -- opening ---------------------------------------------------------------------------
    async def on_pane_open_pane(self, message: Pane.OpenPane) -> None:
        await self.afmon.open_items(message.spec.filter, message.spec.query)

    def on_pane_open_item(self, message: Pane.OpenItem) -> None:
        self.afmon.open_item(message.item_id)

    def action_handover(self) -> None:
        self.afmon.action_handover()

    def action_sitrep(self) -> None:
        self.afmon.action_sitrep()
