"""One item in full: title, outlet, feed, times, provinces and actors by name, the summary with
the words that triggered each tag highlighted, the link. Opening it marks it read."""

from __future__ import annotations

import webbrowser
from datetime import tzinfo

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from analysis.grades import Grader
from core.sanitize import safe_url
from core.timefmt import stamp
from store.models import Item, StoryView, Tag
from tui.format import actor_list, ago, counted, province_list
from tui.screens.base import AfmonScreen
from tui.screens.note import NoteScreen
from tui.text import highlight_spans, logical, safe_text

PROVINCE_MARK = "bold black on #e6c35c"
ACTOR_MARK = "bold white on #8a4fbf"


def story_line(story: StoryView | None) -> Text:
    """The story an item belongs to: title, how many reports, which outlets, corroborated."""
    if story is None:
        return Text("not yet clustered", style="dim")
    out = safe_text(story.title, "bold", max_len=120)
    copies = counted(story.copies, "report")
    out.append(f"\n           {copies} · ", style="dim")
    out.append_text(safe_text(", ".join(story.outlets), max_len=200))
    if story.corroborated:
        out.append(" · ✓ corroborated", style="bold green")
    else:
        out.append(" · single source", style="dim")
    return out


def render_detail(
    item: Item,
    tags: list[Tag],
    now,  # noqa: ANN001 - datetime
    grade: str | None = None,
    story: StoryView | None = None,
    zone: tzinfo | None = None,
) -> list[Text]:
    """The detail body as Text blocks (pure; tested directly). Times in `zone` with UTC
    beside them."""
    head = Text()
    head.append("● unread  " if not item.read else "", style="bold")
    head.append("⚑ flagged  " if item.flagged else "", style="bold red")
    head.append("‼ escalated  " if item.escalated else "", style="bold reverse red")
    head.append("✓ acknowledged  " if item.acknowledged else "", style="bold green")
    meta = Text()
    meta.append("outlet     ", style="dim")
    meta.append_text(safe_text(item.outlet))
    if grade:
        meta.append(f"  grade {grade}", style="bold")
        meta.append(" (Admiralty, A best)", style="dim")
    meta.append("\nstory      ", style="dim")
    meta.append_text(story_line(story))
    meta.append("\nfeed       ", style="dim")
    meta.append_text(safe_text(item.feed))
    published = item.published
    meta.append("\npublished  ", style="dim")
    meta.append(f"{stamp(published, zone)} · ")
    meta.append(ago(published, now), style="bold")
    meta.append("\nprovinces  ", style="dim")
    meta.append(province_list(item.provinces) or "—", style="bold")
    meta.append("\nactors     ", style="dim")
    meta.append(actor_list(item.actors) or "—", style="bold")
    if item.author:
        meta.append("\nauthor     ", style="dim")
        meta.append_text(safe_text(item.author))
    meta.append("\nlink       ", style="dim")
    url = safe_url(item.link)
    meta.append_text(safe_text(url, "underline") if url else safe_text(item.link or "—", "dim"))
    if item.escalated:
        meta.append("\nescalated  ", style="dim")
        meta.append(stamp(item.escalated, zone), style="bold red")
        if item.escalation:
            meta.append(" · ")
            meta.append_text(safe_text(item.escalation, "bold"))
    if item.acknowledged:
        meta.append("\nacknowledged ", style="dim")
        meta.append(stamp(item.acknowledged, zone), style="green")
    if item.note:
        meta.append("\nnote       ", style="dim")
        meta.append_text(safe_text(item.note, "bold yellow"))
    full = item.title + "\n" + item.summary
    spans = [
        (t.start, t.end, PROVINCE_MARK if t.kind == "province" else ACTOR_MARK)
        for t in tags
        if 0 <= t.start < t.end <= len(full)
    ]
    body = highlight_spans(full, spans)
    lines = body.split("\n", allow_blank=True)
    title, summary = lines[0], Text("\n").join(lines[1:])
    title.stylize("bold")
    legend = Text()
    for tag in tags:
        if tag.text:
            legend.append(" ")
            legend.append_text(
                safe_text(tag.text, PROVINCE_MARK if tag.kind == "province" else ACTOR_MARK)
            )
            legend.append(
                f" → {province_list((tag.code,)) if tag.kind == 'province' else actor_list((tag.code,))} ",
                style="dim",
            )
    return [head, title, meta, summary, legend]


class DetailScreen(AfmonScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="detail.back"),
        Binding("o", "open_link", "Open link", id="detail.open"),
        Binding("y", "copy_link", "Copy link", id="detail.copy"),
        Binding("r", "toggle_read", "Read", id="detail.read"),
        Binding("f", "toggle_flag", "Flag", id="detail.flag"),
        Binding("n", "note", "Note", id="detail.note"),
        Binding("e", "escalate", "Escalate", id="detail.escalate"),
        Binding("k", "acknowledge", "Acknowledge", id="detail.ack"),
    ]

    def __init__(self, item_id: int) -> None:
        super().__init__()
        self.item_id = item_id
        self.item: Item | None = None
        self.tags: list[Tag] = []
        self.story: StoryView | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield Static(id="detail-state")
            yield Static(id="detail-title")
            yield Static(id="detail-meta")
            yield Static(id="detail-summary")
            yield Static(id="detail-legend")
        yield from self.chrome()

    def on_mount(self) -> None:
        self.afmon.item_signal.subscribe(self, self._item_changed)
        self._load(mark_read=not self.afmon.read_only)  # a viewer never writes

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail", name="detail-load")
    def _load(
        self, mark_read: bool = False
    ) -> tuple[Item | None, list[Tag], bool, StoryView | None]:
        store = self.afmon.store
        item = store.get_item(self.item_id)
        marked = False
        if item is not None and mark_read and not item.read:
            store.set_read(self.item_id, True)
            item = store.get_item(self.item_id)
            marked = True
        story = store.story_of(self.item_id) if item is not None else None
        return item, store.item_tags(self.item_id), marked, story

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.afmon.report_worker(event)
        if event.worker.name == "detail-load" and event.state == WorkerState.SUCCESS:
            item, tags, marked, story = event.worker.result
            self.story = story
            self._show(item, tags)
            if marked:
                self.afmon.item_changed(self.item_id)

    def _show(self, item: Item | None, tags: list[Tag]) -> None:
        self.item, self.tags = item, tags
        if item is None:
            self.query_one("#detail-title", Static).update(Text("item not found", style="red"))
            return
        grade = Grader(self.afmon.config).grade(item.outlet)
        state, title, meta, summary, legend = render_detail(
            item, tags, self.afmon.now(), grade, self.story, self.afmon.zone
        )
        self.query_one("#detail-state", Static).update(state)
        self.query_one("#detail-title", Static).update(title)
        self.query_one("#detail-meta", Static).update(meta)
        self.query_one("#detail-summary", Static).update(summary)
        self.query_one("#detail-legend", Static).update(legend)

    def _item_changed(self, item_id: int) -> None:
        if item_id == self.item_id:
            self._load()

    # -- actions ---------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def _link(self) -> str | None:
        if self.item is None:
            return None
        url = safe_url(self.item.link)
        if url is None:
            self.notify(
                logical(
                    f"refusing to open a link that is not http(s): {self.item.link or 'none'}",
                    max_len=200,
                ),
                severity="warning",
                markup=False,
            )
        return url

    def action_open_link(self) -> None:
        url = self._link()
        if url:
            self._open_browser(url)
            self.notify(logical(f"opening {url}", max_len=200), markup=False)

    @work(thread=True, exit_on_error=False, group="browser", name="browser")
    def _open_browser(self, url: str) -> None:
        webbrowser.open(url)

    def action_copy_link(self) -> None:
        url = self._link()
        if url:
            self.app.copy_to_clipboard(url)
            self.notify("link copied", markup=False)

    def action_toggle_read(self) -> None:
        if self.item is not None:
            self.afmon.update_item(self.item_id, read=not self.item.read)

    def action_toggle_flag(self) -> None:
        if self.item is not None:
            self.afmon.update_item(self.item_id, flagged=not self.item.flagged)

    def action_note(self) -> None:
        if self.item is None:
            return

        def save(text: str | None) -> None:
            if text is not None:
                self.afmon.update_item(self.item_id, note=text.strip() or None)

        self.app.push_screen(NoteScreen("Note", self.item.note or ""), save)

    def action_escalate(self) -> None:
        """Escalate with a reason; on an escalated item, change the reason or (empty)
        withdraw the escalation. The note is never touched."""
        item = self.item
        if item is None:
            return
        was = item.escalated is not None

        def save(text: str | None) -> None:
            if text is None:
                return
            reason = text.strip()
            if was and not reason:
                self.afmon.update_item(self.item_id, escalation=None)
                self.notify("escalation withdrawn", markup=False)
            else:
                self.afmon.update_item(self.item_id, escalation=reason)
                self.notify("reason changed" if was else "item escalated", markup=False)

        prompt = "Escalated because (empty: withdraw the escalation)" if was else "Escalate: why?"
        self.app.push_screen(NoteScreen(prompt, item.escalation or ""), save)

    def action_acknowledge(self) -> None:
        """Acknowledge (or withdraw the acknowledgement); an escalation and the note stay."""
        item = self.item
        if item is None:
            return
        on = item.acknowledged is None
        self.afmon.update_item(self.item_id, acknowledged=on)
        self.notify("item acknowledged" if on else "acknowledgement withdrawn", markup=False)
