"""One story: what is known of the event (type, casualties stated, claims, places, parties,
independent sources) and its member reports, one row each (time, grade, outlet, title), each
opening the item's detail with Enter."""

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
from store.models import Item, StoryView
from tui.format import actor_list, province_list, when_short
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
    out.append(f"{view.copies} report{'s' if view.copies != 1 else ''}", style="bold")
    sources = f"{view.sources} independent source{'s' if view.sources != 1 else ''}"
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
    """

    def __init__(self, story_id: int) -> None:
        super().__init__()
        self.story_id = story_id
        self.members: list[Item] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…", style="dim"), id="story-head")
        yield DataTable(id="story-table", cursor_type="row", zebra_stripes=True)
        yield from self.chrome()

    def on_mount(self) -> None:
        table = self.query_one("#story-table", DataTable)
        table.add_column(Text("g"), key="grade", width=1)
        table.add_column(Text("time"), key="time", width=6)
        table.add_column(Text("outlet"), key="outlet", width=16)
        table.add_column(Text("title"), key="title", width=self._title_width())
        self._load(self.story_id)

    def _title_width(self) -> int:
        return max(16, self.app.size.width - FIXED_WIDTH)

    def on_resize(self, event: events.Resize) -> None:
        if self.members:
            self._fill(self.members)

    @work(thread=True, exclusive=True, exit_on_error=False, group="story", name="story-load")
    def _load(self, story_id: int) -> tuple[StoryView | None, list[Item]]:
        store = self.afmon.store
        views = store.load_stories([story_id])
        return (views[0] if views else None), store.story_members(story_id)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.afmon.report_worker(event)
        worker = event.worker
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

    def _fill(self, members: list[Item]) -> None:
        self.members = members
        table = self.query_one("#story-table", DataTable)
        column = table.columns.get("title")  # type: ignore[call-overload]
        if column is not None:
            column.width = self._title_width()
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

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.afmon.open_item(int(event.row_key.value))

    def action_back(self) -> None:
        self.app.pop_screen()
