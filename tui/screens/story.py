"""One story: what is known of the event (type, casualties stated, claims, places, parties,
independent sources) and its member reports, one row each (time, grade, outlet, title), each
opening the item's detail with Enter. Under them, the stories that may tell of the same event
(analysis/related.py): afmon keeps reports apart when it is not sure, so an event is sometimes
two stories; each opens with Enter (Tab moves between the lists)."""

from __future__ import annotations

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from analysis.claims import claim_labels
from analysis.events import event_types
from analysis.grades import Grader
from analysis.related import related_stories
from store.models import Item, StoryView
from tui.format import actor_list, counted, province_list, when_short
from tui.screens.base import AfmonScreen
from tui.text import safe_text

FIXED_WIDTH = 1 + 6 + 16 + 2 * 4 + 2  # grade, time, outlet, padding, scrollbar


def story_header(view: StoryView, grader: Grader) -> Text:
    """The story's facts as Text (pure; tested directly)."""
    out = safe_text(view.title, "bold", max_len=200)
    facts = []
    if view.event_type:
        facts.append(event_types().get(view.event_type, view.event_type))
    if view.casualties is not None:
        facts.append(f"{view.casualties} casualties stated")
    if view.claimed_by:
        labels = claim_labels()
        facts.append("claimed by " + ", ".join(labels.get(c, c) for c in view.claimed_by))
    if facts:
        out.append("\n" + " · ".join(facts), style="bold")
    out.append(f"\n{view.first_seen:%Y-%m-%d %H:%M} – {view.last_seen:%Y-%m-%d %H:%M} UTC · ")
    out.append(counted(view.copies, "report"), style="bold")
    sources = counted(view.sources, "independent source")
    out.append(f" · {sources}")
    if view.corroborated:
        out.append(" · ✓ corroborated", style="bold green")
    else:
        out.append(" · single source", style="dim")
    if view.provinces:
        out.append("\nprovinces  ", style="dim")
        out.append(province_list(view.provinces))
    if view.actors:
        out.append("\nactors     ", style="dim")
        out.append(actor_list(view.actors))
    out.append("\noutlets    ", style="dim")
    out.append_text(
        safe_text(", ".join(f"{o} [{grader.grade(o)}]" for o in view.outlets), max_len=300)
    )
    return out


class StoryScreen(AfmonScreen):
    AUTO_FOCUS = "#story-table"
    BINDINGS = [Binding("escape", "back", "Back", id="story.back")]
    DEFAULT_CSS = """
    StoryScreen #story-head { padding: 0 1; height: auto; max-height: 9; }
    StoryScreen #story-table { height: 1fr; }
    StoryScreen #related-head { padding: 0 1; height: 1; display: none; }
    StoryScreen #related-table { height: auto; max-height: 5; display: none; }
    """

    def __init__(self, story_id: int) -> None:
        super().__init__()
        self.story_id = story_id
        self.members: list[Item] = []
        self.related: list[StoryView] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…", style="dim"), id="story-head")
        yield DataTable(id="story-table", cursor_type="row", zebra_stripes=True)
        yield Static(Text("may tell of the same event:", style="bold"), id="related-head")
        yield DataTable(id="related-table", cursor_type="row", show_header=False)
        yield from self.chrome()

    def on_mount(self) -> None:
        table = self.query_one("#story-table", DataTable)
        table.add_column(Text("g"), key="grade", width=1)
        table.add_column(Text("time"), key="time", width=6)
        table.add_column(Text("outlet"), key="outlet", width=16)
        table.add_column(Text("title"), key="title", width=self._title_width())
        related = self.query_one("#related-table", DataTable)
        related.add_column(Text("time"), key="time", width=6)
        related.add_column(Text("reports"), key="reports", width=10)
        related.add_column(Text("title"), key="title", width=self._related_width())
        self._load(self.story_id)

    def _title_width(self) -> int:
        return max(16, self.app.size.width - FIXED_WIDTH)

    def _related_width(self) -> int:
        return max(16, self.app.size.width - (6 + 10 + 2 * 3 + 2))

    def on_resize(self, event: events.Resize) -> None:
        if self.members:
            self._fill(self.members)
        if self.related:
            self._fill_related(self.related)

    @work(thread=True, exclusive=True, exit_on_error=False, group="story", name="story-load")
    def _load(self, story_id: int) -> tuple[StoryView | None, list[Item]]:
        store = self.afmon.store
        views = store.load_stories([story_id])
        return (views[0] if views else None), store.story_members(story_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="related", name="story-related")
    def _load_related(self, story_id: int) -> list[StoryView]:
        store = self.afmon.store
        return store.load_stories([sid for sid, _score in related_stories(store, story_id)])

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.afmon.report_worker(event)
        worker = event.worker
        if worker.name == "story-related" and worker.state == WorkerState.SUCCESS:
            self._fill_related(worker.result)
            return
        if worker.name != "story-load" or not worker.is_finished:
            return
        head = self.query_one("#story-head", Static)
        if event.state != WorkerState.SUCCESS:
            head.update(Text("could not read the story", style="red"))
            return
        view, members = worker.result
        if view is None:
            head.update(Text("this story no longer exists", style="dim"))
            return
        head.update(story_header(view, Grader(self.afmon.config)))
        self._fill(members)
        self._load_related(self.story_id)  # after the reports: they are what was asked for

    def _fill(self, members: list[Item]) -> None:
        self.members = members
        table = _titled(self.query_one("#story-table", DataTable), self._title_width())
        row = table.cursor_row
        table.clear()
        now, grader, width = self.afmon.now(), Grader(self.afmon.config), self._title_width()
        for item in members:
            grade = grader.grade(item.outlet)
            table.add_row(
                Text(grade, style="bold" if grade in ("A", "B") else "dim"),
                Text(when_short(item.published, now, self.afmon.zone), style="dim"),
                safe_text(item.outlet, max_len=16),
                safe_text(item.title, "bold" if not item.read else "", width=width),
                key=str(item.id),
            )
        if members:
            table.move_cursor(row=min(row, len(members) - 1))

    def _fill_related(self, views: list[StoryView]) -> None:
        self.related = views
        table = _titled(self.query_one("#related-table", DataTable), self._related_width())
        table.clear()
        now, width = self.afmon.now(), self._related_width()
        for view in views:
            table.add_row(
                Text(when_short(view.first_seen, now, self.afmon.zone), style="dim"),
                Text(counted(view.copies, "report"), style="dim"),
                safe_text(view.title, width=width),
                key=f"story-{view.id}",
            )
        shown = bool(views)
        self.query_one("#related-head", Static).display = shown
        table.display = shown

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        value = event.row_key.value
        if not value:
            return
        if value.startswith("story-"):
            self.app.push_screen(StoryScreen(int(value.removeprefix("story-"))))
        else:
            self.afmon.open_item(int(value))

    def action_back(self) -> None:
        self.app.pop_screen()


def _titled(table: DataTable, width: int) -> DataTable:
    """`table` with its title column fitted to `width` (the screen was resized)."""
    column = table.columns.get("title")  # type: ignore[call-overload]
    if column is not None:
        column.width = width
    return table
