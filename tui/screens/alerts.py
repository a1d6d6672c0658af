"""Alerts raised by watch rules, newest first. Enter opens the alert's item."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from store.models import Alert
from tui.format import ago, when
from tui.screens.base import AfmonScreen
from tui.text import safe_text


class AlertsScreen(AfmonScreen):
    BINDINGS = [Binding("g", "reload", "Refresh", id="alerts.refresh")]

    def __init__(self) -> None:
        super().__init__()
        self.alerts: dict[int, Alert] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("Alerts — Enter opens the item", style="bold"), classes="screen-title")
        yield DataTable(id="alerts-table", cursor_type="row", zebra_stripes=True)
        yield from self.chrome()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text("raised"), key="raised", width=12)
        table.add_column(Text("ago"), key="ago", width=9)
        table.add_column(Text("rule"), key="rule", width=28)
        table.add_column(Text("message"), key="message")
        self.reload()

    def reload(self) -> None:
        self._load()

    def action_reload(self) -> None:
        self.reload()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="alerts-screen",
        name="alerts-screen",
    )
    def _load(self) -> list[Alert]:
        return self.afmon.store.alerts()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.afmon.report_worker(event)
        if event.worker.name == "alerts-screen" and event.state == WorkerState.SUCCESS:
            self._show(event.worker.result)

    def _show(self, alerts: list[Alert]) -> None:
        now = self.afmon.now()
        table = self.query_one(DataTable)
        table.clear()
        self.alerts = {a.id: a for a in alerts}
        for alert in alerts:
            table.add_row(
                Text(when(alert.raised, now)),
                Text(ago(alert.raised, now), style="dim"),
                safe_text(alert.rule, "bold yellow", max_len=60),
                safe_text(alert.message, max_len=300),
                key=str(alert.id),
            )
        if not alerts:
            table.add_row(Text(""), Text(""), Text("no alerts", style="dim"), Text(""))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        alert = self.alerts.get(int(key)) if key and key.isdigit() else None
        if alert is not None and alert.item_id is not None:
            self.afmon.open_item(alert.item_id)
