"""All 34 provinces and the neighbouring countries: counts for 24 h, 7 days and the 7 days
before, a trend, coloured by activity. Enter opens the items of that province."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from core.vocab import COUNTRIES, PROVINCES
from store.models import ItemFilter
from tui.format import trend
from tui.screens.base import AfmonScreen

REFRESH_SECONDS = 30.0
HEAT = ("dim", "", "yellow", "bold dark_orange", "bold red")


def heat(week: int, top: int) -> str:
    if week == 0 or top == 0:
        return HEAT[0]
    return HEAT[min(4, 1 + int(3 * week / top))]


class ProvincesScreen(AfmonScreen):
    BINDINGS = [Binding("g", "reload", "Refresh", id="provinces.refresh")]

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Activity by province — Enter opens its items", style="bold"),
            classes="screen-title",
        )
        yield DataTable(id="provinces-table", cursor_type="row", zebra_stripes=True)
        yield from self.chrome()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text("code"), key="code", width=7)
        table.add_column(Text("province"), key="name", width=22)
        for key in ("24 h", "7 days", "prev 7 d"):
            table.add_column(Text(key, justify="right"), key=key, width=9)
        table.add_column(Text("trend"), key="trend", width=7)
        self.reload()

    def reload(self) -> None:
        self._load()

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="provinces", name="provinces")
    def _load(self) -> dict[str, tuple[int, int, int]]:
        return self.afmon.store.province_counts(self.afmon.now())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.afmon.report_worker(event)
        if event.worker.name != "provinces" or not event.worker.is_finished:
            return
        if event.state == WorkerState.SUCCESS:
            self._show(event.worker.result)
        if event.state != WorkerState.CANCELLED:
            self.set_timer(REFRESH_SECONDS, self._load)

    def _show(self, counts: dict[str, tuple[int, int, int]]) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        places = {**PROVINCES, **COUNTRIES}
        top = max((c[1] for c in counts.values()), default=0)
        order = sorted(places, key=lambda c: (-counts.get(c, (0, 0, 0))[1], places[c]))
        for code in order:
            day, week, prev = counts.get(code, (0, 0, 0))
            style = heat(week, top)
            table.add_row(
                Text(code, style="dim"),
                Text(places[code], style=style),
                Text(str(day), style=style, justify="right"),
                Text(str(week), style=style, justify="right"),
                Text(str(prev), style="dim", justify="right"),
                trend(week, prev),
                key=code,
            )
        table.move_cursor(row=min(row, table.row_count - 1))

    async def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        code = event.row_key.value
        if code:
            name = PROVINCES.get(code) or COUNTRIES.get(code) or code
            await self.afmon.open_items(ItemFilter(provinces=(code,)), f'province:"{name}"')
