"""The items screen: a filter bar holding query-language text over a DataTable filled one page
at a time by keyset pagination (`before=Cursor`): the next page loads when the cursor nears the
end, so a million items cost what the analyst actually scrolls through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker, WorkerState

from analysis.grades import Grader
from store.models import Cursor, Item, ItemFilter, StoryPage, StoryView
from tui.format import short_code, when_short
from tui.query import FilterError, describe, parse
from tui.screens.base import AfmonScreen
from tui.screens.note import NoteScreen
from tui.text import is_rtl, safe_text

PAGE = 200
STORIES = 100  # stories per page in stories mode, most recently reported first
PREFETCH = 40  # rows before the end at which the next page is requested
FIXED_WIDTH = 3 + 1 + 6 + 10 + 9 + 11 + 7 * 2 + 2  # all columns but the title, padding, scrollbar


@dataclass
class Page:
    generation: int
    items: list[Item]
    first: bool
    total: int | None
    corroborated: set[int]


def row_cells(
    item: Item,
    now,  # noqa: ANN001 - datetime
    grade: str = "",
    corroborated: bool = False,
    title_width: int | None = None,
    zone: tzinfo | None = None,
) -> tuple[Text, ...]:
    """Marks (unread, ‼ escalated or ⚑ flagged, ✓ corroborated), time, outlet grade, outlet,
    title, tags."""
    marks = Text()
    marks.append("●" if not item.read else " ", style="bold")
    if item.escalated:
        marks.append("‼", style="bold reverse red")
    else:
        marks.append("⚑" if item.flagged else " ", style="bold red")
    marks.append("✓" if corroborated else " ", style="bold green")
    return (
        marks,
        Text(grade, style="bold" if grade in ("A", "B") else "dim"),
        Text(when_short(item.published, now, zone), style="dim"),
        safe_text(item.outlet, max_len=20),
        safe_text(item.title, "bold" if not item.read else "", width=title_width),
        Text(" ".join(short_code(p) for p in item.provinces), style="cyan"),
        Text(" ".join(item.actors), style="magenta"),
    )


class ItemsScreen(AfmonScreen):
    AUTO_FOCUS = "#items-table"
    BINDINGS = [
        Binding("r", "toggle_read", "Read", id="items.read"),
        Binding("f", "toggle_flag", "Flag", id="items.flag"),
        Binding("s", "toggle_stories", "Stories", id="items.stories"),
        Binding("ctrl+s", "save_query(False)", "Save query", id="items.save"),
        Binding("P", "save_query(True)", "Save as pane", id="items.save_pane", show=False),
        Binding("escape", "back", "Back", id="items.back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = ItemFilter()
        self.text = ""
        self.items: dict[int, Item] = {}
        self.corroborated: set[int] = set()
        self.stories_mode = False
        self.stories: dict[int, StoryView] = {}
        self.last: Cursor | None = None
        self.exhausted = False
        self.loading = False
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder='filter: province:helmand actor:isk since:24h "suicide attack"  (Enter)',
            id="filter",
        )
        yield Static(id="filter-error")
        yield Static(id="items-info")
        yield DataTable(id="items-table", cursor_type="row", zebra_stripes=True)
        yield from self.chrome()

    def on_mount(self) -> None:
        table = self.table
        table.add_column(Text("   "), key="marks", width=3)
        table.add_column(Text("g"), key="grade", width=1)
        table.add_column(Text("time"), key="time", width=6)
        table.add_column(Text("outlet"), key="outlet", width=10)
        table.add_column(Text("title"), key="title", width=self._title_width())
        table.add_column(Text("provinces"), key="provinces", width=9)
        table.add_column(Text("actors"), key="actors", width=11)
        self.afmon.item_signal.subscribe(self, self._item_changed)
        if not self.loading and not self.items:
            self._reset()

    @property
    def table(self) -> DataTable:
        return self.query_one("#items-table", DataTable)

    def _title_width(self) -> int:
        return max(16, self.app.size.width - FIXED_WIDTH)

    def on_resize(self, event: events.Resize) -> None:
        table = self.table
        column = table.columns.get("title")  # type: ignore[call-overload]
        if column is not None and column.width != self._title_width():
            column.width = self._title_width()
            # DataTable has no public way to resize a column; these are what add_column does.
            table._clear_caches()
            table._require_update_dimensions = True
            table.refresh()
            # Right-to-left titles were cut to the old width in logical order: cut them again.
            for item in self.items.values():
                if is_rtl(item.title):
                    self._update_row(item)

    # -- filtering -------------------------------------------------------------------------
    def run_query(self, text: str) -> None:
        """Parse filter-bar `text`; show errors inline, else reload the table."""
        self.query_one("#filter", Input).value = text
        try:
            flt = parse(text, self.afmon.config, self.afmon.now())
        except FilterError as exc:
            self.query_one("#filter-error", Static).update(safe_text(str(exc), "bold red"))
            self.query_one("#filter-error").add_class("visible")
            # Show nothing rather than the previous rows (often everything): an analyst must
            # never read an unfiltered table as the answer to a query that did not run.
            self._generation += 1  # a page still loading for the old filter is dropped
            self.table.clear()
            self.items.clear()
            self.stories.clear()
            self.exhausted = True
            self.loading = False
            self.query_one("#items-info", Static).update(
                Text("query error: nothing shown until the filter parses", style="bold red")
            )
            return
        self._set_filter(flt, text)

    def apply_filter(self, flt: ItemFilter, text: str | None = None) -> None:
        self.query_one("#filter", Input).value = text if text is not None else describe(flt)
        self._set_filter(flt, self.query_one("#filter", Input).value)

    def _set_filter(self, flt: ItemFilter, text: str) -> None:
        self.query_one("#filter-error", Static).update("")
        self.query_one("#filter-error").remove_class("visible")
        self.filter, self.text = flt, text
        self._reset()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.run_query(event.value)
            self.table.focus()

    def action_save_query(self, pane: bool) -> None:
        """Save the filter bar's query by name in config.toml (and, with `pane`, as a
        dashboard pane); the palette and the dashboard pick it up at once."""
        text = self.query_one("#filter", Input).value.strip() or self.text
        if not text:
            self.notify("type a filter first", severity="warning", markup=False)
            return
        prompt = "Save this filter as a dashboard pane named" if pane else "Save this filter as"

        def done(name: str | None) -> None:
            if name and name.strip():
                self.afmon.save_query(name.strip(), text, pane)

        self.app.push_screen(NoteScreen(prompt), done)

    def action_back(self) -> None:
        """Escape: from the filter bar to the table; from the table to the previous place."""
        if self.focused is self.query_one("#filter", Input):
            self.table.focus()
        else:
            self.afmon.action_back()

    # -- paging ----------------------------------------------------------------------------
    def _reset(self) -> None:
        self._generation += 1
        self.table.clear()
        self.items.clear()
        self.corroborated.clear()
        self.stories.clear()
        self.last = None
        self.exhausted = False
        self.loading = True
        self.query_one("#items-info", Static).update(Text("loading…", style="dim"))
        if self.stories_mode:
            self._load_stories(self.filter, None, frozenset(), self._generation)
        else:
            self._load_page(self.filter, None, self._generation)

    # -- stories mode: one row per story ---------------------------------------------------
    def action_toggle_stories(self) -> None:
        self.stories_mode = not self.stories_mode
        self._reset()

    @work(thread=True, exclusive=True, exit_on_error=False, group="items", name="items-stories")
    def _load_stories(
        self, flt: ItemFilter, after: Cursor | None, seen: frozenset[int], generation: int
    ) -> tuple[int, StoryPage]:
        return generation, self.afmon.store.story_page(flt, after, STORIES, seen)

    def _add_stories(self, generation: int, page: StoryPage) -> None:
        if generation != self._generation:
            return
        now, grader, width = self.afmon.now(), Grader(self.afmon.config), self._title_width()
        views = [v for v in page.stories if v.id not in self.stories]
        for view in views:
            self.stories[view.id] = view
            marks = Text("   ")
            if view.corroborated:
                marks = Text("  ✓", style="bold green")
            outlets = view.outlets[0] if len(view.outlets) == 1 else f"{len(view.outlets)} outlets"
            title = Text(f"{view.copies}× ", style="bold cyan")
            title.append_text(safe_text(view.title, width=max(1, width - 4)))
            self.table.add_row(
                marks,
                Text(grader.best(view.outlets), style="bold"),
                Text(when_short(view.last_seen, now, self.afmon.zone), style="dim"),
                safe_text(outlets, max_len=20),
                title,
                Text(" ".join(short_code(p) for p in view.provinces), style="cyan"),
                Text(" ".join(view.actors), style="magenta"),
                key=f"story-{view.id}",
            )
        # Stories page like items: the next page continues the walk of matching items.
        self.last = page.after
        self.exhausted = page.exhausted
        count = len(self.stories)
        label = f"{count} stories" if count != 1 else "1 story"
        more = "" if page.exhausted else " so far"
        self.query_one("#items-info", Static).update(
            Text(f"{label}{more} (Enter: its reports, s: back to items)", style="dim")
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="items", name="items-page")
    def _load_page(self, flt: ItemFilter, before: Cursor | None, generation: int) -> Page:
        store = self.afmon.store
        items = store.query_items(flt, limit=PAGE, before=before)
        total = store.count_items(flt) if before is None else None
        corroborated = store.corroborated_items([i.id for i in items])
        return Page(generation, items, before is None, total, corroborated)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.afmon.report_worker(event)
        worker = event.worker
        if worker.name == "items-page" and worker.is_finished:
            self.loading = False
            if event.state == WorkerState.SUCCESS:
                self._add_page(worker.result)
            elif event.state == WorkerState.ERROR:
                self.query_one("#items-info", Static).update(Text("query failed", style="red"))
        elif worker.name == "items-stories" and worker.is_finished:
            self.loading = False
            if event.state == WorkerState.SUCCESS:
                self._add_stories(*worker.result)
            elif event.state == WorkerState.ERROR:
                self.query_one("#items-info", Static).update(Text("query failed", style="red"))
        elif worker.name == "items-item" and event.state == WorkerState.SUCCESS:
            item = worker.result
            if item is not None and item.id in self.items:
                self._update_row(item)

    def _add_page(self, page: Page) -> None:
        if page.generation != self._generation:
            return
        now = self.afmon.now()
        table = self.table
        grader = Grader(self.afmon.config)
        self.corroborated |= page.corroborated
        for item in page.items:
            if item.id in self.items:
                continue
            self.items[item.id] = item
            cells = row_cells(
                item,
                now,
                grader.grade(item.outlet),
                item.id in self.corroborated,
                self._title_width(),
                self.afmon.zone,
            )
            table.add_row(*cells, key=str(item.id))
        if page.items:
            last = page.items[-1]
            self.last = Cursor(last.published, last.id)
        self.exhausted = len(page.items) < PAGE
        if page.total is not None:
            self.total = page.total
            label = f"{page.total:,} items" if page.total != 1 else "1 item"
            self.query_one("#items-info", Static).update(Text(label, style="dim"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if (
            not self.exhausted
            and not self.loading
            and self.last is not None
            and event.cursor_row >= self.table.row_count - PREFETCH
        ):
            self.loading = True
            if self.stories_mode:
                seen = frozenset(self.stories)
                self._load_stories(self.filter, self.last, seen, self._generation)
            else:
                self._load_page(self.filter, self.last, self._generation)

    # -- rows ------------------------------------------------------------------------------
    @property
    def current(self) -> Item | None:
        table = self.table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.items.get(int(key.value)) if key.value and key.value.isdigit() else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        value = event.row_key.value
        if value and value.startswith("story-"):
            # A story opens the list of its reports.
            from tui.screens.story import StoryScreen

            self.app.push_screen(StoryScreen(int(value.removeprefix("story-"))))
        elif value:
            self.afmon.open_item(int(value))

    def _update_row(self, item: Item) -> None:
        self.items[item.id] = item
        cells = row_cells(
            item,
            self.afmon.now(),
            corroborated=item.id in self.corroborated,
            title_width=self._title_width(),
            zone=self.afmon.zone,
        )
        for key, cell in zip(("marks", "title"), (cells[0], cells[4]), strict=True):
            self.table.update_cell(str(item.id), key, cell)

    def _item_changed(self, item_id: int) -> None:
        if item_id in self.items:
            self._fetch_item(item_id)

    @work(thread=True, exit_on_error=False, group="items-item", name="items-item")
    def _fetch_item(self, item_id: int) -> Item | None:
        return self.afmon.store.get_item(item_id)

    def action_toggle_read(self) -> None:
        item = self.current
        if item is not None:
            self.afmon.update_item(item.id, read=not item.read)

    def action_toggle_flag(self) -> None:
        item = self.current
        if item is not None:
            self.afmon.update_item(item.id, flagged=not item.flagged)
