"""The shift handover: a Markdown file with the escalated items and everything new since the
monitor started. Plain functions over the Store (called from a thread worker)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from store import Store
from store.models import Item, ItemFilter
from tui.format import actor_list, province_list
from tui.text import logical

MAX_NEW = 500


def _md(text: str) -> str:
    """Untrusted text for Markdown: sanitised, one line, in logical order (a file, not the
    screen), Markdown punctuation escaped."""
    out = logical(text, max_len=300)
    for char in "\\`*_[]<>#|":
        out = out.replace(char, "\\" + char)
    return out


def _line(item: Item) -> str:
    where = province_list(item.provinces) or "—"
    who = actor_list(item.actors) or "—"
    out = f"- {item.published:%Y-%m-%d %H:%M} UTC · {_md(item.outlet)} · **{_md(item.title)}**"
    out += f" · {where} · {who}"
    if item.escalated:
        out += f"\n  - escalated {item.escalated:%Y-%m-%d %H:%M} UTC"
        if item.escalation:
            out += f": {_md(item.escalation)}"
    if item.acknowledged:
        out += f"\n  - acknowledged {item.acknowledged:%Y-%m-%d %H:%M} UTC"
    if item.note:
        out += f"\n  - note: {_md(item.note)}"
    return out


def build_handover(store: Store, started: datetime, start_max_id: int, now: datetime) -> str:
    escalated = store.query_items(ItemFilter(escalated=True), limit=500)
    new = store.items_after(start_max_id, ItemFilter(), limit=MAX_NEW)
    lines = [
        f"# afmon shift handover — {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"Watch from {started:%Y-%m-%d %H:%M} UTC to {now:%Y-%m-%d %H:%M} UTC.",
        "",
        f"## Escalated ({len(escalated)})",
        "",
        *([_line(i) for i in escalated] or ["None."]),
        "",
        f"## New since the watch began ({len(new)}{'+' if len(new) >= MAX_NEW else ''})",
        "",
        *([_line(i) for i in new] or ["None."]),
        "",
    ]
    return "\n".join(lines)


def write_handover(
    store: Store, started: datetime, start_max_id: int, now: datetime, directory: Path
) -> Path:
    path = directory / f"afmon-handover-{now:%Y%m%d-%H%M}.md"
    path.write_text(build_handover(store, started, start_max_id, now), encoding="utf-8")
    return path
