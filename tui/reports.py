"""Report files (the shift handover, the sitrep): one directory, names that never overwrite
each other."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def write_report(directory: Path, kind: str, now: datetime, text: str) -> Path:
    """Write `text` as afmon-<kind>-YYYYMMDD-HHMM.md in `directory` (created if missing);
    a name already taken (two reports in one minute) gets -2, -3 ... Never overwrites: the
    file is created exclusively."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"afmon-{kind}-{now:%Y%m%d-%H%M}"
    for n in range(1, 1000):
        path = directory / (f"{stem}.md" if n == 1 else f"{stem}-{n}.md")
        try:
            with path.open("x", encoding="utf-8") as out:
                out.write(text)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{directory / stem}-*.md: a thousand reports in one minute")
