"""Alerts raised by watch rules: one row per story (however many reports raised it), newest
first, with what a watch officer does about them: `k` acknowledges, `x` dismisses (`u`
brings the last dismissal back), Enter opens the newest alerted report. A detail line under
the table holds the highlighted row in full, so it reads at 80 columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from store import Store
from store.models import Alert
from tui.format import ago, counted, when_short
from tui.screens.base import AfmonScreen
from tui.text import join, safe_cell, safe_text

FIXED_WIDTH = 1 + 6 + 18 + 4 + 2 * 5 + 2  # all columns but the story, padding, scrollbar


@dataclass(frozen=True)
class AlertRow:
    """The alerts of one story (or of one report not yet clustered), newest first."""

    key: str
    title: str
    alerts: tuple[Alert, ...]
    item_id: int | None
    reports: int
    outlets: tuple[str, ...]

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.rule for a in self.alerts))

    @property
    def latest(self) -> datetime:
        return self.alerts[0].raised

    @property
    def new(self) -> bool:
        """Some alert of the row is not acknowledged yet."""
        return any(a.acknowledged is None for a in self.alerts)

    @property
    def ids(self) -> list[int]:
        return [a.id for a in self.alerts]


def alert_rows(store: Store, alerts: list[Alert]) -> list[AlertRow]:
    """Group `alerts` (newest first) by the story of their item; in the order of each row's
    newest alert."""
    story = store.story_ids([a.item_id for a in alerts if a.item_id is not None])
    views = {v.id: v for v in store.load_stories(list(dict.fromkeys(story.values())))}
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        sid = story.get(alert.item_id) if alert.item_id is not None else None
        if sid is not None:
            key = f"story-{sid}"
        elif alert.item_id is not None:
            key = f"item-{alert.item_id}"
        else:
            key = f"alert-{alert.id}"
        groups.setdefault(key, []).append(alert)
    rows = []
    for key, members in groups.items():
        item_id = next((a.item_id for a in members if a.item_id is not None), None)
        view = views.get(int(key.removeprefix("story-"))) if key.startswith("story-") else None
        if view is not None:
            rows.append(
                AlertRow(key, view.title, tuple(members), item_id, view.copies, view.outlets)
            )
            continue
        item = store.get_item(item_id) if item_id is not None else None
        title = item.title if item else members[0].message
        outlets = (item.outlet,) if item else ()
        rows.append(AlertRow(key, title, tuple(members), item_id, 1 if item else 0, outlets))
    return rows


class AlertsScreen(AfmonScreen):
    BINDINGS = [
        Binding("k", "acknowledge", "Acknowledge", id="alerts.ack"),
        Binding("x,delete", "dismiss_row", "Dismiss", id="alerts.dismiss"),
        Binding("u", "undo_dismiss", "Undo dismiss", id="alerts.undo"),
        Binding("g", "reload", "Refresh", id="alerts.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, AlertRow] = {}
        self._dismissed: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Alerts — one row per story · Enter opens · k acknowledge · x dismiss", "bold"),
            classes="screen-title",
        )
        yield DataTable(id="alerts-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="alert-detail")
        yield from self.chrome()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text(" "), key="new", width=1)
        table.add_column(Text("time"), key="time", width=6)
        table.add_column(Text("rule"), key="rule", width=18)
        table.add_column(Text("story"), key="story", width=self._story_width())
        table.add_column(Text("n", justify="right"), key="reports", width=4)
        self.reload()

    def _story_width(self) -> int:
        return max(16, self.app.size.width - FIXED_WIDTH)

    def on_resize(self, event: events.Resize) -> None:
        table = self.query_one(DataTable)
        column = table.columns.get("story")  # type: ignore[call-overload]
        if column is not None and column.width != self._story_width():
            column.width = self._story_width()
            # DataTable has no public way to resize a column; these are what add_column does.
            table._clear_caches()
            table._require_update_dimensions = True
            table.refresh()

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
    def _load(self) -> list[AlertRow]:
        store = self.afmon.store
        return alert_rows(store, store.alerts(dismissed=False))

    @work(thread=True, exit_on_error=False, group="alerts-write", name="alerts-write")
    def _mark(self, ids: list[int], column: str, on: bool) -> None:
        store = self.afmon.store
        if column == "acknowledged":
            store.acknowledge_alerts(ids, on)
        else:
            store.dismiss_alerts(ids, on)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.afmon.report_worker(event)
        if event.worker.name == "alerts-screen" and event.state == WorkerState.SUCCESS:
            self._show(event.worker.result)
        elif event.worker.name == "alerts-write" and event.state == WorkerState.SUCCESS:
            self.reload()
            self.afmon.alerts_changed()

    def _show(self, rows: list[AlertRow]) -> None:
        now = self.afmon.now()
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self.rows = {r.key: r for r in rows}
        for row in rows:
            rules = row.rules[0] + (f" +{len(row.rules) - 1}" if len(row.rules) > 1 else "")
            table.add_row(
                Text("●" if row.new else " ", style="bold yellow"),
                Text(when_short(row.latest, now, self.afmon.zone), style="dim"),
                safe_cell(rules, "bold yellow" if row.new else "", max_len=60),
                safe_cell(row.title, "bold" if row.new else "", max_len=300),
                Text(str(row.reports), justify="right", style="dim"),
                key=row.key,
            )
        if rows:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self._detail()

    @property
    def current(self) -> AlertRow | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key) if key else None

    def _detail(self) -> None:
        row = self.current
        detail = self.query_one("#alert-detail", Static)
        if row is None:
            detail.update(Text("no alerts", style="dim"))
            return
        now = self.afmon.now()
        reports = counted(row.reports, "report")
        outlets = counted(len(row.outlets), "outlet")
        head = join(
            safe_text(", ".join(row.rules), "bold yellow"),
            Text(f"· {reports}, {outlets} · last {ago(row.latest, now)}", style="dim"),
        )
        state = "acknowledged" if not row.new else "new"
        head.append(f" · {state}", style="dim" if not row.new else "bold yellow")
        width = max(10, self.app.size.width - 2)
        title = safe_text(row.title, "bold", width=width, align=False)
        message = safe_text(row.alerts[0].message, width=width, align=False)
        for line in (head, title, message):
            line.no_wrap = True
            line.overflow = "ellipsis"
        detail.update(Text("\n").join([head, title, message]))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.rows.get(event.row_key.value or "")
        if row is not None and row.item_id is not None:
            self.afmon.open_item(row.item_id)

    # -- what the officer does -------------------------------------------------------------
    def action_acknowledge(self) -> None:
        row = self.current
        if row is not None and not self.afmon.refuse_write():
            self._mark(row.ids, "acknowledged", row.new)
            self.notify("alert acknowledged" if row.new else "acknowledgement withdrawn")

    def action_dismiss_row(self) -> None:
        row = self.current
        if row is not None and not self.afmon.refuse_write():
            self._dismissed = row.ids
            self._mark(row.ids, "dismissed", True)
            self.notify("alert dismissed (u brings it back)")

    def action_undo_dismiss(self) -> None:
        if self._dismissed and not self.afmon.refuse_write():
            self._mark(self._dismissed, "dismissed", False)
            self._dismissed = []
