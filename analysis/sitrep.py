"""Situation reports: per front and per threat group, counted in stories, compared with the
window before, with the top stories and their sources, actors, provinces, alerts and surges.

`build` reads the store once into a plain report model; `to_markdown` and `to_json` only
format it, so the command line, the app and the golden-file test share one report.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from analysis.claims import claim_labels
from analysis.events import event_types
from analysis.grades import Grader
from analysis.surge import Cell, activity, surges
from core.durations import format_duration
from core.sanitize import clean
from core.timefmt import stamp
from core.vocab import actor_name, province_name
from store import ItemFilter, StoryView

if TYPE_CHECKING:
    from core.config import Config
    from store import Store

TOP_STORIES = 5
TOP_TAGS = 5


@dataclass(frozen=True, slots=True)
class Source:
    outlet: str
    grade: str


@dataclass(frozen=True, slots=True)
class StoryLine:
    id: int
    title: str
    first_seen: datetime
    copies: int
    sources: tuple[Source, ...]
    corroborated: bool
    event_type: str | None
    casualties: int | None
    claimed_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Section:
    kind: str  # "front" or "group"
    name: str
    stories: int
    previous_stories: int
    reports: int
    previous_reports: int
    top: tuple[StoryLine, ...]
    actors: tuple[tuple[str, int], ...]  # (slug, stories)
    provinces: tuple[tuple[str, int], ...]  # (code, stories)
    alerts: tuple[tuple[datetime, str, str], ...]  # (raised, rule, message)
    surges: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Sitrep:
    generated: datetime
    window: timedelta
    sections: tuple[Section, ...]
    surges: tuple[Cell, ...] = field(default=())

    @property
    def start(self) -> datetime:
        return self.generated - self.window


def _line(view: StoryView, grader: Grader) -> StoryLine:
    return StoryLine(
        id=view.id,
        title=clean(view.title, max_len=200),
        first_seen=view.first_seen,
        copies=view.copies,
        sources=tuple(Source(clean(o), grader.grade(o)) for o in view.outlets),
        corroborated=view.corroborated,
        event_type=view.event_type,
        casualties=view.casualties,
        claimed_by=view.claimed_by,
    )


def _section(
    store: Store,
    kind: str,
    name: str,
    flt: ItemFilter,
    now: datetime,
    window: timedelta,
    grader: Grader,
    cells: list[Cell],
    alerts: list[Any],
) -> Section:
    start, prev_start = now - window, now - 2 * window
    current = store.story_counts(flt, start, now)
    previous = store.story_counts(flt, prev_start, start)
    in_window = ItemFilter(provinces=flt.provinces, actors=flt.actors, since=start, until=now)
    views = store.stories_for(in_window, limit=10_000)
    ranked = sorted(views, key=lambda v: (-len(v.outlets), -v.copies, v.first_seen, v.id))
    actors = Counter(a for v in views for a in v.actors)
    provinces = Counter(
        p for v in views for p in v.provinces if kind != "front" or p in flt.provinces
    )
    item_ids = {i for v in views for i in v.items}
    raised = tuple(
        (a.raised, clean(a.rule), clean(a.message, max_len=200))
        for a in alerts
        if start <= a.raised < now and a.item_id in item_ids
    )
    mine = tuple(
        c
        for c in cells
        if (kind == "front" and c.province in flt.provinces)
        or (kind == "group" and c.actor in flt.actors)
    )
    return Section(
        kind=kind,
        name=name,
        stories=current.stories,
        previous_stories=previous.stories,
        reports=current.items,
        previous_reports=previous.items,
        top=tuple(_line(v, grader) for v in ranked[:TOP_STORIES]),
        actors=tuple(sorted(actors.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TAGS]),
        provinces=tuple(sorted(provinces.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TAGS]),
        alerts=tuple(sorted(raised)),
        surges=mine,
    )


def build(
    store: Store,
    config: Config,
    now: datetime,
    window: timedelta = timedelta(hours=24),
    fronts: list[str] | None = None,
    groups: list[str] | None = None,
) -> Sitrep:
    """The report for the fronts and threat groups named (all of both when neither is)."""
    grader = Grader(config)
    cells = surges(activity(store, now, window))
    alerts = store.alerts(limit=5000)
    wanted_fronts = (
        config.fronts
        if not (fronts or groups)
        else [f for f in config.fronts if f.name.casefold() in {n.casefold() for n in fronts or []}]
    )
    wanted_groups = (
        config.threat_groups
        if not (fronts or groups)
        else [
            g
            for g in config.threat_groups
            if g.name.casefold() in {n.casefold() for n in groups or []}
        ]
    )
    sections = [
        _section(
            store,
            "front",
            f.name,
            ItemFilter(provinces=tuple(f.provinces)),
            now,
            window,
            grader,
            cells,
            alerts,
        )
        for f in wanted_fronts
    ] + [
        _section(
            store,
            "group",
            g.name,
            ItemFilter(actors=tuple(g.actors)),
            now,
            window,
            grader,
            cells,
            alerts,
        )
        for g in wanted_groups
    ]
    return Sitrep(generated=now, window=window, sections=tuple(sections), surges=tuple(cells))


# -- formats -----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str) -> str:
    """Feed text as inert Markdown: no links, emphasis, tables or HTML from strangers."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _span(window: timedelta) -> str:
    """ "24h" rather than "1d": reports speak of the last 24 hours."""
    seconds = int(window.total_seconds())
    if seconds % 3600 == 0 and seconds < 3 * 86400:
        return f"{seconds // 3600}h"
    return format_duration(window)


def _stamp(value: datetime, zone: tzinfo | None = None) -> str:
    return stamp(value, zone)


def _change(now: int, before: int) -> str:
    delta = now - before
    return f"{delta:+d}" if delta else "±0"


def _story_md(n: int, s: StoryLine, zone: tzinfo | None = None) -> str:
    events = event_types()
    claims = claim_labels()
    facts = [f"first reported {_stamp(s.first_seen, zone)}"]
    if s.event_type:
        facts.append(events.get(s.event_type, s.event_type))
    if s.casualties is not None:
        facts.append(f"{s.casualties} casualt{'y' if s.casualties == 1 else 'ies'} stated")
    if s.claimed_by:
        facts.append("claimed by: " + ", ".join(claims.get(c, c) for c in s.claimed_by))
    mark = "corroborated" if s.corroborated else "single source"
    sources = ", ".join(f"{_md(src.outlet)} [{src.grade}]" for src in s.sources)
    copies = f"{s.copies} report{'s' if s.copies != 1 else ''}"
    return f"{n}. **{_md(s.title)}** — {'; '.join(facts)}\n   {mark}, {copies}: {sources}"


def _cells_md(cells: tuple[Cell, ...]) -> list[str]:
    if not cells:
        return ["No surges."]
    lines = ["| Province | Actor | Latest | Previous 4 (avg) |", "|---|---|---:|---:|"]
    for c in cells:
        lines.append(
            f"| {province_name(c.province)} | {actor_name(c.actor)} | {c.latest} |"
            f" {', '.join(map(str, c.counts[:-1]))} ({c.baseline:.1f}) |"
        )
    return lines


def to_markdown(report: Sitrep, zone: tzinfo | None = None) -> str:
    """The report as Markdown, times in `zone` with UTC beside them (UTC alone without)."""
    span = _span(report.window)
    out = [
        f"# Situation report, {_stamp(report.generated, zone)}",
        "",
        f"Window: the last {span} ({_stamp(report.start, zone)} to"
        f" {_stamp(report.generated, zone)}),"
        f" compared with the {span} before. Counts are stories (one event, however many"
        " outlets report it); grades are Admiralty style, A best.",
        "",
        "## Surges",
        "",
        "A province and actor whose story count in the window is at least double its average"
        " over the previous four windows.",
        "",
        *_cells_md(report.surges),
    ]
    for sec in report.sections:
        title = "Front" if sec.kind == "front" else "Threat group"
        out += [
            "",
            f"## {title}: {_md(sec.name)}",
            "",
            f"Stories: {sec.stories} ({_change(sec.stories, sec.previous_stories)} against"
            f" {sec.previous_stories} in the previous {span}); reports: {sec.reports}"
            f" (previously {sec.previous_reports}).",
        ]
        if sec.top:
            out += ["", "### Top stories", ""]
            out += [_story_md(n, s, zone) for n, s in enumerate(sec.top, 1)]
        if sec.actors:
            out += ["", "### Actors involved", ""]
            out += [f"- {actor_name(a)}: {n} stor{'y' if n == 1 else 'ies'}" for a, n in sec.actors]
        if sec.provinces:
            out += ["", "### Provinces most active", ""]
            out += [
                f"- {province_name(p)} ({p}): {n} stor{'y' if n == 1 else 'ies'}"
                for p, n in sec.provinces
            ]
        out += ["", "### Alerts", ""]
        if sec.alerts:
            out += [f"- {_stamp(t, zone)} {_md(rule)}: {_md(msg)}" for t, rule, msg in sec.alerts]
        else:
            out.append("None raised.")
        if sec.surges:
            out += ["", "### Surges", "", *_cells_md(sec.surges)]
    return "\n".join(out) + "\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def to_dict(report: Sitrep) -> dict[str, Any]:
    data = asdict(report)
    data["surges"] = [_cell_dict(c) for c in report.surges]
    for sec, raw in zip(report.sections, data["sections"], strict=True):
        raw["surges"] = [_cell_dict(c) for c in sec.surges]
        raw["actors"] = [{"actor": a, "stories": n} for a, n in sec.actors]
        raw["provinces"] = [{"province": p, "stories": n} for p, n in sec.provinces]
        raw["alerts"] = [{"raised": t, "rule": r, "message": m} for t, r, m in sec.alerts]
    data["start"] = report.start
    return _jsonable(data)


def _cell_dict(c: Cell) -> dict[str, Any]:
    return {
        "province": c.province,
        "actor": c.actor,
        "counts": list(c.counts),
        "latest": c.latest,
        "baseline": c.baseline,
    }


def to_json(report: Sitrep) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"
