"""What the dashboard shows: one pane per front, per threat group and per saved query with
`pane = true`, each with the ItemFilter it polls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from core.config import Config
from store.models import ItemFilter
from tui.query import FilterError, parse

PaneKind = Literal["front", "group", "query"]


@dataclass(frozen=True)
class PaneSpec:
    key: str
    name: str
    kind: PaneKind
    filter: ItemFilter
    query: str
    error: str | None = None


def pane_specs(config: Config, now: datetime) -> list[PaneSpec]:
    specs = [
        PaneSpec(
            f"front:{f.name}",
            f.name,
            "front",
            ItemFilter(provinces=tuple(f.provinces)),
            f'front:"{f.name}"',
        )
        for f in config.fronts
    ]
    specs += [
        PaneSpec(
            f"group:{g.name}",
            g.name,
            "group",
            ItemFilter(actors=tuple(g.actors)),
            f'group:"{g.name}"',
        )
        for g in config.threat_groups
    ]
    for q in config.queries:
        if not q.pane:
            continue
        try:
            flt, error = parse(q.query, config, now), None
        except FilterError as exc:
            # An unparsable saved query still gets its pane, showing the error, never all items.
            flt, error = ItemFilter(feeds=("",)), str(exc)
        specs.append(PaneSpec(f"query:{q.name}", q.name, "query", flt, q.query, error))
    return specs
