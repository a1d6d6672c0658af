"""A dashboard pane: one front, threat group or saved query. Header with counts and trends, an
hourly sparkline, the newest items. Focusable; up/down pick an item, Enter opens it (or, with
no item picked, the pane's items)."""

from __future__ import annotations

import time

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Sparkline, Static

from store.models import Item, PaneCounts, StoryCounts
from tui.format import hm, short_code, trend
from tui.panes import PaneSpec
from tui.text import safe_text

KEEP = 30
FRESH_SECONDS = 4.0
LINES_PER_ITEM = 2


def _count(stories: StoryCounts | None, reports: int) -> Text:
    """'14/31': stories (bold) over the reports behind them; just the reports until the story
    counts arrive."""
    if stories is None:
        return Text(str(reports), style="bold")
    out = Text(str(stories.stories), style="bold")
    out.append(f"/{stories.items}", style="dim")
    return out


class Pane(Vertical, can_focus=True):
    BINDINGS = [
        Binding("down,j", "move(1)", "Next item", id="pane.down", show=False),
        Binding("up,k", "move(-1)", "Previous item", id="pane.up", show=False),
        Binding("enter", "open", "Open", id="pane.open"),
    ]

    cursor: reactive[int] = reactive(-1, always_update=True)

    class OpenPane(Message):
        def __init__(self, spec: PaneSpec) -> None:
            super().__init__()
            self.spec = spec

    class OpenItem(Message):
        def __init__(self, item_id: int) -> None:
            super().__init__()
            self.item_id = item_id

    def __init__(self, spec: PaneSpec) -> None:
        super().__init__(classes=f"pane pane-{spec.kind}")
        self.spec = spec
        self.items: list[Item] = []
        self.counts = PaneCounts()
        self.stories: tuple[StoryCounts, StoryCounts] | None = None
        self._fresh: dict[int, float] = {}
        self.border_title = safe_text(spec.name)
        # Kept as attributes: data may arrive before this pane finished mounting, and updates
        # must land whatever the order.
        self._head = Static(classes="pane-head")
        self._head.tooltip = (
            "stories/reports in the last 24 h and 7 days (a story is one event, however many"
            " outlets report it); ▲▼: reports against the period before"
        )
        self._spark = Sparkline([0] * 48, classes="pane-spark")
        self._body = Static(classes="pane-body")

    def compose(self):
        yield self._head
        yield self._spark
        yield self._body

    def on_mount(self) -> None:
        self._render_head()
        self._render_body()

    # -- data ------------------------------------------------------------------------------
    def set_counts(
        self, counts: PaneCounts, stories: tuple[StoryCounts, StoryCounts] | None = None
    ) -> None:
        """Report counts (trends, sparkline) and, when known, (24 h, 7 d) story counts."""
        self.counts = counts
        self.stories = stories
        self._spark.data = list(counts.hourly) or [0]
        self._render_head()

    def set_items(self, items: list[Item]) -> None:
        picked = self.picked
        self.items = items[:KEEP]
        self._follow(picked)
        self._render_head()
        self._render_body()

    def add_items(self, items: list[Item]) -> None:
        """New items from the live poll: merged newest first, briefly highlighted."""
        known = {i.id for i in self.items}
        fresh = [i for i in items if i.id not in known]
        if not fresh:
            return
        until = time.monotonic() + FRESH_SECONDS
        for item in fresh:
            self._fresh[item.id] = until
        merged = sorted([*fresh, *self.items], key=lambda i: (i.published, i.id), reverse=True)
        picked = self.picked
        self.items = merged[:KEEP]
        self._follow(picked)
        self._render_head()
        self._render_body()
        self.set_timer(FRESH_SECONDS + 0.1, self._render_body)

    def replace_item(self, item: Item) -> None:
        if any(i.id == item.id for i in self.items):
            self.items = [item if i.id == item.id else i for i in self.items]
            self._render_head()
            self._render_body()

    @property
    def picked(self) -> int | None:
        """The id of the highlighted item (None: no item picked)."""
        return self.items[self.cursor].id if 0 <= self.cursor < len(self.items) else None

    def _follow(self, picked: int | None) -> None:
        """Keep the highlight on the item it was on, wherever new items pushed it (Enter must
        open what the officer picked, not what now sits at that row)."""
        if picked is None:
            return
        index = next((n for n, i in enumerate(self.items) if i.id == picked), -1)
        if index != self.cursor:
            self.set_reactive(Pane.cursor, index)

    @property
    def fresh_ids(self) -> set[int]:
        now = time.monotonic()
        return {i for i, until in self._fresh.items() if until > now}

    # -- rendering -------------------------------------------------------------------------
    def _render_head(self) -> None:
        c = self.counts
        day, week = self.stories or (None, None)
        head = Text()
        head.append("24h ", style="dim")
        head.append_text(_count(day, c.day))
        head.append(" ")
        head.append_text(trend(c.day, c.prev_day))
        head.append("  7d ", style="dim")
        head.append_text(_count(week, c.week))
        head.append(" ")
        head.append_text(trend(c.week, c.prev_week))
        unread = sum(1 for i in self.items if not i.read)
        if unread:
            head.append(f"  ●{unread}", style="bold")
        if self.spec.error:
            head = safe_text(f"query error: {self.spec.error}", "bold red")
        head.no_wrap = True
        head.overflow = "ellipsis"
        self._head.update(head)

    def _render_body(self) -> None:
        if not self.is_attached:
            return  # the app clock is reached through self.app
        body = Text(no_wrap=True, overflow="ellipsis")
        fresh = self.fresh_ids
        if not self.items:
            body.append("no items", style="dim")
        now = self.app.now()  # type: ignore[attr-defined]
        # Right-to-left titles are cut to the line before reordering (tui.text.display_fit).
        title_width = self._body.content_size.width - 2 if self._body.content_size.width else None
        for index, item in enumerate(self.items):
            if index:
                body.append("\n")
            # Two lines per item: what and where, then the title in full width.
            # Markers first, where the ellipsis of a long line never reaches them: unread, then
            # escalated (‼, which implies the flag) or flagged (⚑).
            meta = Text()
            meta.append("●" if not item.read else " ", style="bold")
            if item.escalated:
                meta.append("‼", style="bold reverse red")
            else:
                meta.append("⚑" if item.flagged else " ", style="bold red")
            meta.append(" ")
            meta.append(hm(item.published, now, self.app.zone), style="dim")  # type: ignore[attr-defined]
            meta.append(" ")
            meta.append_text(safe_text(item.outlet, "italic", max_len=16))
            codes = " ".join([*(short_code(p) for p in item.provinces), *item.actors])
            if codes:
                meta.append(" ")
                meta.append(codes, style="bold cyan")
            title = Text("  ")
            title.append_text(
                safe_text(item.title, "bold" if not item.read else "", width=title_width)
            )
            for line in (meta, title):
                if item.id in fresh:
                    line.stylize("reverse")
                if index == self.cursor and self.has_focus:
                    line.stylize("underline")
            body.append_text(meta)
            body.append("\n")
            body.append_text(title)
        self._body.update(body)

    def watch_cursor(self) -> None:
        self._render_body()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._render_body)

    def on_focus(self) -> None:
        self._render_body()

    def on_blur(self) -> None:
        self._render_body()

    # -- actions ---------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self.cursor = max(-1, min(len(self.items) - 1, self.cursor + step))

    def action_open(self) -> None:
        if 0 <= self.cursor < len(self.items):
            self.post_message(self.OpenItem(self.items[self.cursor].id))
        else:
            self.post_message(self.OpenPane(self.spec))

    def on_click(self, event: events.Click) -> None:
        body = self._body
        index = event.y // LINES_PER_ITEM
        if event.widget is body and 0 <= index < len(self.items):
            self.cursor = index
            self.post_message(self.OpenItem(self.items[index].id))
        else:
            self.post_message(self.OpenPane(self.spec))
