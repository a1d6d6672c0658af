"""The province map screen: the schematic map, a detail line for the highlighted province and
the surges in the window. Counts load in a thread worker; Enter asks the app to open the items
of that province (`MapScreen.FilterProvince`, handled by the app)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from analysis.surge import Cell, activity, surges
from core.vocab import actor_name
from store import Store
from tui.widgets.province_map import ProvinceMap

WINDOWS = (("24h", timedelta(hours=24)), ("7d", timedelta(days=7)))


class MapScreen(Screen):
    DEFAULT_CSS = """
    MapScreen #map-title { height: 1; padding: 0 1; }
    MapScreen #map-detail { height: 2; padding: 0 1; }
    """
    BINDINGS = [
        Binding("w", "cycle_window", "Window", id="map.window"),
        Binding("g", "reload", "Refresh", id="map.refresh"),
        Binding("escape", "dismiss_map", "Back", id="map.back"),
    ]

    class FilterProvince(Message):
        """The analyst chose a province: show its items within the map's time window
        (`window` as the query language writes it, e.g. "24h")."""

        def __init__(self, code: str, window: str = "24h"):
            self.code = code
            self.window = window
            super().__init__()

    def __init__(self, store: Store, clock: Callable[[], datetime] | None = None):
        super().__init__()
        self.store = store
        self.clock = clock or (lambda: datetime.now(UTC))
        self.window = 0
        self.counts: dict[str, tuple[int, int, int]] = {}
        self.stories: dict[str, tuple[int, int]] = {}
        self.cells: list[Cell] = []

    def compose(self) -> ComposeResult:
        yield Static(id="map-title")
        yield ProvinceMap()
        yield Static(id="map-detail")
        yield Footer()

    def on_mount(self) -> None:
        self._title()
        self.query_one(ProvinceMap).focus()
        self.load()

    def _title(self) -> None:
        label = WINDOWS[self.window][0]
        self.query_one("#map-title", Static).update(
            Text(
                f"Stories by province, last {label}  (w: window, Enter: items, ! surge)",
                style="bold",
            )
        )

    @work(thread=True, exclusive=True, exit_on_error=False, name="map-load")
    def load(
        self,
    ) -> tuple[dict[str, tuple[int, int, int]], dict[str, tuple[int, int]], list[Cell]]:
        now = self.clock()
        window = WINDOWS[self.window][1]
        counts = self.store.province_counts(now)
        stories = self.store.province_story_counts(now - window, now)
        cells = surges(activity(self.store, now, window))
        return counts, stories, cells

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "map-load":
            return
        if event.state == WorkerState.SUCCESS:
            self._show(*event.worker.result)
        elif event.state == WorkerState.ERROR:
            # Said on the map, and through the app's one failure report when it has one.
            report = getattr(self.app, "report_worker", None)
            if report is not None:
                report(event)
            else:
                self.notify(f"map query failed: {event.worker.error}", severity="error")
            self.query_one("#map-detail", Static).update(
                Text("map query failed: the counts shown may be old (g: try again)", "bold red")
            )

    def _show(
        self,
        counts: dict[str, tuple[int, int, int]],
        stories: dict[str, tuple[int, int]],
        cells: list[Cell],
    ) -> None:
        self.counts, self.stories, self.cells = counts, stories, cells
        view = self.query_one(ProvinceMap)
        view.set_counts(
            {code: n for code, (n, _reports) in stories.items()},
            frozenset(c.province for c in cells),
        )
        self._detail(view.cursor)

    def _detail(self, code: str) -> None:
        day, week, prev = self.counts.get(code, (0, 0, 0))
        stories, reports = self.stories.get(code, (0, 0))
        hot = [actor_name(c.actor) for c in self.cells if c.province == code]
        line = Text()
        line.append(f"{ProvinceMap.name_of(code)} ({code})", style="bold")
        noun = "story" if stories == 1 else "stories"
        line.append(f"  {stories} {noun} ({reports} reports) in {WINDOWS[self.window][0]}")
        line.append(f"  ·  reports 24h: {day}  7d: {week}  previous 7d: {prev}")
        if hot:
            line.append(f"  surge: {', '.join(hot)}", style="bold red")
        self.query_one("#map-detail", Static).update(line)

    def on_province_map_highlighted(self, message: ProvinceMap.Highlighted) -> None:
        if self.is_mounted:
            self._detail(message.code)

    def on_province_map_selected(self, message: ProvinceMap.Selected) -> None:
        message.stop()
        self.post_message(self.FilterProvince(message.code, WINDOWS[self.window][0]))

    def action_cycle_window(self) -> None:
        self.window = (self.window + 1) % len(WINDOWS)
        self._title()
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_dismiss_map(self) -> None:
        back = getattr(self.app, "action_back", None)
        if back is not None:
            back()  # afmon's app: back to wherever the map was opened from
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()
