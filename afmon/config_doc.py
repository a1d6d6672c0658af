"""The configuration reference, generated from the config model's field docstrings.

README.md embeds this text between markers; tests/test_docs.py fails when the two drift, and
`python -m afmon.config_doc --write README.md` refreshes it.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel

from core.config import (
    ActorAlias,
    FeedConfig,
    FrontConfig,
    OutletConfig,
    PlaceAlias,
    SavedQuery,
    Settings,
    ThreatGroupConfig,
    WatchRule,
)
from core.durations import format_duration

BEGIN = "<!-- config-reference:begin -->"
END = "<!-- config-reference:end -->"

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("[settings]", Settings),
    ("[[feeds]]", FeedConfig),
    ("[[fronts]]", FrontConfig),
    ("[[threat_groups]]", ThreatGroupConfig),
    ("[[watch]]", WatchRule),
    ("[[outlets]]", OutletConfig),
    ("[[queries]]", SavedQuery),
    ("[[tagger.places]]", PlaceAlias),
    ("[[tagger.aliases]]", ActorAlias),
]


def _default(value: object) -> str:
    if isinstance(value, timedelta):
        return f'`"{format_duration(value)}"`'
    if value is None:
        return "—"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str) and len(value) > 40:
        return "(see text)"
    return f"`{value!r}`".replace("'", '"')


def reference_markdown() -> str:
    lines = []
    for header, model in SECTIONS:
        lines += [f"#### `{header}`", "", "| key | default | meaning |", "|---|---|---|"]
        for name, field in model.model_fields.items():
            default = "required" if field.is_required() else _default(field.get_default())
            doc = " ".join((field.description or "").split())
            lines.append(f"| `{name}` | {default} | {doc} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def embed(readme: str) -> str:
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + reference_markdown() + readme[end:]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        path = Path(sys.argv[2])
        path.write_text(embed(path.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        sys.stdout.write(reference_markdown())
