"""A dashboard pane: one front, threat group or saved query. Header with counts and trends, an
hourly sparkline, the newest items. Focusable; up/down pick an item, Enter opens it (or, with
no item picked, the pane's items).

One widget that renders itself (not a header, a sparkline and a body as three): a dashboard
holds seventeen panes, Textual's cost grows with the widgets it styles and lays out, and
render() runs only for the panes on screen, so a pane scrolled out of view costs nothing
until it is shown."""

from __future__ import annotations

import time
from itertools import groupby

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from store.models import Item, PaneCounts, StoryCounts
from tui.format import hm, short_code, trend
from tui.panes import PaneSpec
from tui.text import safe_text

KEEP = 30
FRESH_SECONDS = 4.0
LINES_PER_ITEM = 2
HEAD_LINES = 2  # the counts line and the sparkline
BARS = "▁▂▃▄▅▆▇█"
# What a pane's header and rows say: the tooltip of every pane and a table in help (?).
LEGEND = (
    ("24h 14/31", "stories/reports in the last 24 hours: 14 events, 31 reports of them (a"
     " story is one event, however many outlets report it)"),
    ("7d 52/140", "the same over the last 7 days"),
    ("▲11 ▼3 =", "trend: 11 more, 3 fewer or as many reports as in the 24 hours (7 days)"
     " before"),
    ("●30", "unread items in the pane"),
    ("▁▃█", "reports per hour over the last 48 hours, the busiest hour in red"),
    ("● ⚑ ‼", "on an item: unread, flagged, escalated"),
)  # fmt: skip
HEADER_HELP = "\n".join(f"{sign}  {meaning}" for sign, meaning in LEGEND)


def _count(stories: StoryCounts | None, reports: int) -> Text:
    """'14/31': stories (bold) over the reports behind them; just the reports until the story
    counts arrive."""
    if stories is None:
        return Text(str(reports), style="bold")
    out = Text(str(stories.stories), style="bold")
    out.append(f"/{stories.items}", style="dim")
    return out


def sparkline(values: tuple[int, ...] | list[int], width: int) -> Text:
    """`values` as `width` bars (each bar the busiest of the values it covers), the busiest
    red, the quiet ones dim."""
    if width <= 0:
        return Text()
    data = list(values) or [0]
    bars = [
        max(
            data[
                i * len(data) // width : max(
                    i * len(data) // width + 1, (i + 1) * len(data) // width
                )
            ]
        )
        for i in range(width)
    ]
    top = max(bars) or 1
    cells = []
    for value in bars:
        level = round(value * (len(BARS) - 1) / top)
        style = "bold red" if value == top and value else ("dim" if level < 2 else "")
        cells.append((BARS[level], style))
    out = Text()
    for style, run in groupby(cells, key=lambda cell: cell[1]):  # one span per run
        out.append("".join(bar for bar, _ in run), style=style)
    return out


class Pane(Widget, can_focus=True):
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
        self._first = 0  # index of the first item the body shows
        self.border_title = safe_text(spec.name)
        self.tooltip = HEADER_HELP

    # -- data ------------------------------------------------------------------------------
    def set_counts(
        self, counts: PaneCounts, stories: tuple[StoryCounts, StoryCounts] | None = None
    ) -> None:
        """Report counts (trends, sparkline) and, when known, (24 h, 7 d) story counts."""
        self.counts = counts
        self.stories = stories
        self.refresh()

    def set_items(self, items: list[Item]) -> None:
        picked = self.picked
        self.items = items[:KEEP]
        self._follow(picked)
        self.refresh()

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
        self.refresh()
        self.set_timer(FRESH_SECONDS + 0.1, self.refresh)

    def replace_item(self, item: Item) -> None:
        if any(i.id == item.id for i in self.items):
            self.items = [item if i.id == item.id else i for i in self.items]
            self.refresh()

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
    def render(self) -> Text:
        width, height = self.content_size
        out = Text(no_wrap=True, overflow="ellipsis", end="")
        out.append_text(self.head())
        out.append("\n")
        out.append_text(sparkline(self.counts.hourly, width))
        out.append("\n")
        out.append_text(self.body(width, max(1, height - HEAD_LINES)))
        return out

    def head(self) -> Text:
        """'24h 14/31 ▲11  7d 52/140 ▼3  ●30' (see LEGEND), or the query's error."""
        if self.spec.error:
            return safe_text(f"query error: {self.spec.error}", "bold red")
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
        return head

    def body(self, width: int, height: int) -> Text:
        """The items that fit `height` lines, two lines each, scrolled so the highlighted one
        is among them."""
        body = Text()
        if not self.items:
            body.append("no items", style="dim")
            return body
        now = self.app.now()  # type: ignore[attr-defined]
        zone = self.app.zone  # type: ignore[attr-defined]
        fresh = self.fresh_ids
        fits = max(1, -(-height // LINES_PER_ITEM))
        self._first = max(0, self.cursor - fits + 1)
        shown = self.items[self._first : self._first + fits]
        # Right-to-left titles are cut to the line before reordering (tui.text.display_fit).
        title_width = max(1, width - 2)
        for index, item in enumerate(shown, self._first):
            if index > self._first:
                body.append("\n")
            # Markers first, where the ellipsis of a long line never reaches them: unread, then
            # escalated (‼, which implies the flag) or flagged (⚑).
            meta = Text()
            meta.append("●" if not item.read else " ", style="bold")
            if item.escalated:
                meta.append("‼", style="bold reverse red")
            else:
                meta.append("⚑" if item.flagged else " ", style="bold red")
            meta.append(" ")
            meta.append(hm(item.published, now, zone), style="dim")
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
        return body

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- actions ---------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self.cursor = max(-1, min(len(self.items) - 1, self.cursor + step))

    def action_open(self) -> None:
        if 0 <= self.cursor < len(self.items):
            self.post_message(self.OpenItem(self.items[self.cursor].id))
        else:
            self.post_message(self.OpenPane(self.spec))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        index = -1
        if offset is not None and offset.y >= HEAD_LINES:
            index = self._first + (offset.y - HEAD_LINES) // LINES_PER_ITEM
        if 0 <= index < len(self.items):
            self.cursor = index
            self.post_message(self.OpenItem(self.items[index].id))
        else:
            self.post_message(self.OpenPane(self.spec))
