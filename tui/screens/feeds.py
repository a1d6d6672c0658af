"""Feed health: every configured feed with status, HTTP status, last success, last error,
errors in a row, next try, items and current URL. `r` asks the collector to fetch the
highlighted feed now."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from store.models import FeedState
from tui.format import ago
from tui.screens.base import AfmonScreen
from tui.text import logical, safe_text

REFRESH_SECONDS = 5.0
STATUS_STYLE = {
    "ok": "green",
    "304": "green",
    "error": "bold red",
    "gone": "bold magenta",
    "silent": "yellow",
    "new": "dim",
    "disabled": "dim",
}


def feed_status(feed: FeedState) -> str:
    if not feed.enabled and feed.status != "gone":
        return "disabled"
    if feed.status == "not_modified":
        return "silent" if feed.silent else "304"
    if feed.status == "ok" and feed.silent:
        return "silent"
    return feed.status


class FeedsScreen(AfmonScreen):
    BINDINGS = [Binding("r", "refresh_feed", "Fetch now", id="feeds.refresh")]

    def __init__(self) -> None:
        super().__init__()
        self.feeds: dict[int, FeedState] = {}

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Feeds — r fetches the highlighted feed now", style="bold"), classes="screen-title"
        )
        yield DataTable(id="feeds-table", cursor_type="row", zebra_stripes=True)
        yield from self.chrome()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("feed", 20),
            ("outlet", 14),
            ("status", 8),
            ("http", 4),
            ("last success", 12),
            ("errors", 6),
            ("next try", 10),
            ("items", 6),
            ("last error", 30),
            ("url", 40),
        ):
            table.add_column(Text(label), key=label, width=width)
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="feeds", name="feeds")
    def _load(self) -> list[FeedState]:
        settings = self.afmon.config.settings
        return self.afmon.store.feeds(self.afmon.now(), silent_after=settings.silent_after)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.afmon.report_worker(event)
        if event.worker.name != "feeds" or not event.worker.is_finished:
            return
        if event.state == WorkerState.SUCCESS:
            self._show(event.worker.result)
        if event.state != WorkerState.CANCELLED:
            self.set_timer(REFRESH_SECONDS, self._load)

    def _show(self, feeds: list[FeedState]) -> None:
        now = self.afmon.now()
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.feeds = {f.id: f for f in feeds}
        for feed in feeds:
            status = feed_status(feed)
            table.add_row(
                safe_text(feed.name, max_len=40),
                safe_text(feed.outlet, max_len=30),
                Text(status, style=STATUS_STYLE.get(status, "")),
                Text(str(feed.http_status or "—")),
                Text(ago(feed.last_success, now)),
                Text(str(feed.error_count), style="bold red" if feed.error_count else "dim"),
                Text(ago(feed.next_try, now) if feed.next_try else "—"),
                Text(str(feed.item_count), justify="right"),
                safe_text(feed.last_error or "", "red", max_len=200),
                safe_text(feed.current_url, "dim", max_len=300),
                key=str(feed.id),
            )
        if feeds:
            table.move_cursor(row=min(row, table.row_count - 1))

    def action_refresh_feed(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        feed = self.feeds.get(int(key)) if key else None
        if feed is not None and self.afmon.refresh_feed(feed.id):
            self.notify(logical(f"fetching {feed.name}"), markup=False)
            self.set_timer(1.0, self._load)
