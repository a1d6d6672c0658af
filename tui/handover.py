"""The shift handover: a Markdown file with the escalated items and everything new since the
monitor started, times in the configured zone with UTC beside them. Plain functions over the
Store (called from a thread worker)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from core.timefmt import stamp
from store import Store
from store.models import Item, ItemFilter
from tui.format import actor_list, province_list
from tui.reports import write_report
from tui.text import logical

MAX_NEW = 500
LATE = timedelta(hours=1)  # feeds deliver late: a report this old at the start is still new


def _md(text: str) -> str:
    """Untrusted text for Markdown: sanitised, one line, in logical order (a file, not the
    screen), Markdown punctuation escaped."""
    out = logical(text, max_len=300)
    for char in "\\`*_[]<>#|":
        out = out.replace(char, "\\" + char)
    return out


def _line(item: Item, zone: tzinfo | None) -> str:
    where = province_list(item.provinces) or "—"
    who = actor_list(item.actors) or "—"
    out = f"- {stamp(item.published, zone)} · {_md(item.outlet)} · **{_md(item.title)}**"
    out += f" · {where} · {who}"
    if item.escalated:
        out += f"\n  - escalated {stamp(item.escalated, zone)}"
        if item.escalation:
            out += f": {_md(item.escalation)}"
    if item.acknowledged:
        out += f"\n  - acknowledged {stamp(item.acknowledged, zone)}"
    if item.note:
        out += f"\n  - note: {_md(item.note)}"
    return out


def build_handover(
    store: Store,
    started: datetime,
    start_max_id: int,
    now: datetime,
    zone: tzinfo | None = None,
) -> str:
    """Escalated items, then the reports stored since the watch began. A report published
    more than LATE before the watch began is not news of this shift however late it was
    collected (a first collect backfills 30 days): those are counted, not listed."""
    escalated = store.query_items(ItemFilter(escalated=True), limit=500)
    new = store.items_after(start_max_id, ItemFilter(since=started - LATE), limit=MAX_NEW)
    older = store.items_after(start_max_id, ItemFilter(until=started - LATE), limit=MAX_NEW)
    more = "+" if len(new) >= MAX_NEW else ""
    lines = [
        f"# afmon shift handover — {stamp(now, zone)}",
        "",
        f"Watch from {stamp(started, zone)} to {stamp(now, zone)}.",
        "",
        f"## Escalated ({len(escalated)})",
        "",
        *([_line(i, zone) for i in escalated] or ["None."]),
        "",
        f"## New since the watch began ({len(new)}{more})",
        "",
        *([_line(i, zone) for i in new] or ["None."]),
        "",
    ]
    if older:
        count = f"{len(older)}{'+' if len(older) >= MAX_NEW else ''}"
        lines += [
            f"Not listed: {count} older reports (published before"
            f" {stamp(started - LATE, zone)}) first collected during the watch.",
            "",
        ]
    return "\n".join(lines)


def write_handover(
    store: Store,
    started: datetime,
    start_max_id: int,
    now: datetime,
    directory: Path,
    zone: tzinfo | None = None,
) -> Path:
    return write_report(
        directory, "handover", now, build_handover(store, started, start_max_id, now, zone)
    )
