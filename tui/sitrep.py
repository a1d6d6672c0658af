"""The situation report from the app (`S`): the same report `afmon sitrep` writes, for every
front and threat group over the last 24 h, as Markdown beside the shift handover. Plain
functions over the Store (called from a thread worker)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from analysis.sitrep import build, to_markdown
from analysis.storage import assign_pending
from core.config import Config
from store import Store
from tui.reports import write_report

WINDOW = timedelta(hours=24)


def write_sitrep(store: Store, config: Config, now: datetime, directory: Path) -> Path:
    """Build the report and write it beside the handovers, never over another file."""
    # As the CLI does: items stored while clustering was off get their stories first (not in
    # a read-only viewer, which reports the stories as they stand).
    if not store.readonly:
        assign_pending(store)
    report = build(store, config, now, WINDOW)
    return write_report(directory, "sitrep", now, to_markdown(report, config.settings.zone))
