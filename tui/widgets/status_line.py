"""The status line above the Footer: collector state, failures, new items, config reloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.text import Text
from textual.widgets import Static

from tui.format import counted
from tui.text import safe_text

HELD_CHARS = 32


@dataclass(frozen=True)
class Status:
    collecting: bool = False
    running: bool = False
    last_collect: datetime | None = None
    next_collect: datetime | None = None
    feeds_done: int = 0
    failures: int = 0
    new_items: int = 0
    alerts: int = 0
    """Alerts neither acknowledged nor dismissed."""
    escalated: int = 0
    note: str = ""
    held: int = 0
    """Notices not shown as toasts (muted, or a screen too small for them)."""
    held_last: str = ""
    muted: bool = False
    zone: tzinfo | None = None
    """The zone times are shown in (settings.timezone)."""


def _hm(value: datetime | None, zone: tzinfo | None) -> str:
    return value.astimezone(zone).strftime("%H:%M") if value else "—"


def render_status(status: Status) -> Text:
    text = Text()
    if not status.collecting:
        text.append("viewer", style="bold")
    else:
        text.append("collecting" if status.running else "collector", style="bold")
    # Held notices come early: on an 80-column line the end is cut off.
    if status.held or status.muted:
        text.append(" · ")
        text.append(f"✉{status.held}", style="bold yellow")
        if status.muted:
            text.append(" muted (M)", style="yellow")
        if status.held_last:  # the latest, cut short: the rest of the line still shows
            text.append(" ")
            text.append_text(safe_text(status.held_last, "yellow", max_len=HELD_CHARS))
    if not status.collecting:
        text.append(" · not collecting (--no-collect)")
    else:
        last, nxt = _hm(status.last_collect, status.zone), _hm(status.next_collect, status.zone)
        text.append(f" · last {last} · next {nxt}")
    # Failing feeds count in a viewer too: the collector feeding its database may be failing.
    text.append(" · ")
    text.append(f"{status.failures} failing", style="bold red" if status.failures else "")
    text.append(" · ")
    text.append(f"{status.new_items} new", style="bold" if status.new_items else "")
    if status.alerts:
        text.append(" · ")
        text.append(counted(status.alerts, "alert"), "bold yellow")
    if status.escalated:
        text.append(" · ")
        text.append(f"‼{status.escalated} escalated", style="bold red")
    if status.note:
        text.append(" · ")
        text.append_text(safe_text(status.note))
    return text


class StatusLine(Static):
    """Follows `app.status_signal`; every screen composes one."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def on_mount(self) -> None:
        app = self.app
        self.show(app.status)  # type: ignore[attr-defined]
        app.status_signal.subscribe(self, self.show)  # type: ignore[attr-defined]

    def show(self, status: Status) -> None:
        text = render_status(status)
        text.no_wrap = True
        text.overflow = "ellipsis"
        self.update(text)
