"""A story's profile: what its reports say, kept bounded so that a story of thousands of copies
costs no more to compare with than a story of three.

The profile is what the scorer reads (places, types, targets, words, recent headlines per
script, figures, claimants, times) and what counts its independent sources. It is stored as
JSON beside the story (store/stories.py keeps it opaque), so a new item is compared with the
candidate stories without reading their members back.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import repeat
from operator import sub
from typing import Any

from rapidfuzz import fuzz, process

from analysis.doc import Doc

_RECENT_KEYS = 5  # headlines per script a new item is compared with
_MAX_WORDS = 48
_MAX_PLACES = 12
_MAX_FIGURES = 8
_MAX_SOURCES = 16
_MAX_TIMES = 12
_SOURCE_TEXT = 200  # characters of a source's text kept to recognise copies of it
SYNDICATED = 88.0  # fuzz.ratio of two outlets' title + summary above which they are one source


@dataclass(slots=True)
class Story:
    id: int
    first_seen: float = 0.0
    last_seen: float = 0.0
    count: int = 0
    title: str = ""
    title_script: str = ""
    blank: bool = False
    provinces: Counter[str] = field(default_factory=Counter)
    actors: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    title_events: Counter[str] = field(default_factory=Counter)  # types headlines name (all)
    title_provinces: Counter[str] = field(default_factory=Counter)  # Afghan provinces, ditto
    targets: Counter[str] = field(default_factory=Counter)
    regions: set[str] = field(default_factory=set)
    places: dict[str, list[str]] = field(default_factory=dict)  # script -> fine place keys
    title_places: dict[str, list[str]] = field(default_factory=dict)  # ... named in headlines
    names: set[str] = field(default_factory=set)  # proper names in sentence-case headlines
    words: Counter[str] = field(default_factory=Counter)
    keys: dict[str, list[str]] = field(default_factory=dict)  # script -> recent title keys
    killed: list[int] = field(default_factory=list)
    numbers: set[str] = field(default_factory=set)  # figures headlines state
    claims: set[str] = field(default_factory=set)
    outlets: set[str] = field(default_factory=set)
    # Independent sources: each is the outlets whose texts copy one another, and one text.
    sources: list[tuple[list[str], str]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)  # a sample of publication times
    # What the scorer derives from the counts, for every report compared with this story:
    # worked out on first use after a change.
    _derived: tuple[set[str], str | None, frozenset[str], frozenset[str], frozenset[str]] | None = (
        field(default=None, repr=False, compare=False)
    )

    def add(self, doc: Doc) -> None:
        self._derived = None
        if not self.count:
            self.first_seen = self.last_seen = doc.published
            self.blank = doc.blank
        self.count += 1
        self.first_seen = min(self.first_seen, doc.published)
        self.last_seen = max(self.last_seen, doc.published)
        if not self.title or (doc.script == "latin" and self.title_script != "latin"):
            self.title, self.title_script = doc.title, doc.script
        # Plain loops: Counter.update's generic path costs more than these few codes.
        for code in doc.provinces:
            self.provinces[code] += 1
        for code in doc.actors:
            self.actors[code] += 1
        if doc.event_type:
            self.events[doc.event_type] += 1
            if doc.title_typed:
                # Every type the headline names ("shut the crossing after a border clash").
                for event_type in doc.title_types or (doc.event_type,):
                    self.title_events[event_type] += 1
        for code in doc.title_provinces:
            if code.startswith("AF-"):
                self.title_provinces[code] += 1
        for target in doc.targets:
            self.targets[target] += 1
        self.regions |= doc.regions
        _extend(self.places, doc.script, doc.places)
        _extend(self.title_places, doc.script, doc.title_places)
        if len(self.names) < _MAX_WORDS:
            self.names |= doc.names
        for word in doc.words:
            self.words[word] += 1
        if len(self.words) > _MAX_WORDS:
            # Ties broken by the word, not by set order: the same reports give the same
            # story whatever the interpreter's hash seed.
            kept = sorted(self.words.items(), key=lambda kv: (-kv[1], kv[0]))[:_MAX_WORDS]
            self.words = Counter(dict(kept))
        keys = self.keys.setdefault(doc.script, [])
        if doc.key and doc.key not in keys:
            keys.append(doc.key)
            del keys[:-_RECENT_KEYS]
        if doc.killed and doc.killed not in self.killed and len(self.killed) < _MAX_FIGURES:
            self.killed.append(doc.killed)
        if doc.claimed_by:
            self.claims.add(doc.claimed_by)
        if len(self.numbers) < _MAX_FIGURES:
            self.numbers |= doc.numbers
        self._add_source(doc)
        if len(self.times) < _MAX_TIMES:
            self.times.append(doc.published)

    def _add_source(self, doc: Doc) -> None:
        self.outlets.add(doc.outlet)
        for outlets, _text in self.sources:
            if doc.outlet in outlets:
                return
        if self.sources and doc.text:
            texts = [text for _outlets, text in self.sources]
            match = process.extractOne(
                doc.text[:_SOURCE_TEXT], texts, scorer=fuzz.ratio, score_cutoff=SYNDICATED
            )
            if match is not None:
                self.sources[match[2]][0].append(doc.outlet)
                return
        if len(self.sources) < _MAX_SOURCES:
            self.sources.append(([doc.outlet], doc.text[:_SOURCE_TEXT]))

    @property
    def independent(self) -> int:
        """Outlets that are not copies of one another: what corroboration counts."""
        copies = sum(len(outlets) - 1 for outlets, _ in self.sources)
        return max(1, len(self.outlets) - copies) if self.outlets else 0

    def _derive(
        self,
    ) -> tuple[set[str], str | None, frozenset[str], frozenset[str], frozenset[str]]:
        # Afghan provinces at least a third of the reports name (one stray mention in a long
        # summary does not make a story about that province).
        floor = max(1, self.count // 3)
        core = {p for p, n in self.provinces.items() if n >= floor and p.startswith("AF-")}
        event = self.events.most_common(1)[0][0] if self.events else None
        parties = frozenset(a for a in self.actors if a != "taliban")
        abroad = frozenset(p for p in self.provinces if not p.startswith("AF-"))
        # Targets at least a quarter of the reports name: one report that joined on other
        # evidence ("minister killed" in a hospital attack's story) must not make its target
        # the story's, or the next attack on a minister joins too, and stories chain.
        floor = max(1, self.count // 4)
        targets = frozenset(t for t, n in self.targets.items() if n >= floor)
        self._derived = (core, event, parties, abroad, targets)
        return self._derived

    @property
    def event_type(self) -> str | None:
        return (self._derived or self._derive())[1]

    def core_provinces(self) -> set[str]:
        """Afghan provinces at least a third of the reports name."""
        return (self._derived or self._derive())[0]

    def parties(self) -> frozenset[str]:
        """Actors but the Taliban (named in most reports)."""
        return (self._derived or self._derive())[2]

    def abroad(self) -> frozenset[str]:
        """Places outside Afghanistan (neighbouring countries' codes)."""
        return (self._derived or self._derive())[3]

    def core_targets(self) -> frozenset[str]:
        """Targets or victims at least a quarter of the reports name."""
        return (self._derived or self._derive())[4]

    def gap(self, published: float) -> float:
        """Seconds from `published` to the nearest sampled publication time."""
        # map, not a generator: read for every candidate of every report.
        return min(map(abs, map(sub, self.times, repeat(published))), default=0.0)

    # -- persistence (JSON, opaque to the store) ------------------------------------------
    def to_json(self) -> str:
        return json.dumps(
            {
                "n": self.count,
                "t": [self.title, self.title_script],
                "b": self.blank,
                "p": self.provinces,
                "a": self.actors,
                "e": self.events,
                "te": self.title_events,
                "tp": self.title_provinces,
                "g": self.targets,
                "r": sorted(self.regions),
                "x": self.places,
                "y": self.title_places,
                "q": sorted(self.names),
                "w": self.words,
                "k": self.keys,
                "f": self.killed,
                "nu": sorted(self.numbers),
                "c": sorted(self.claims),
                "o": sorted(self.outlets),
                "s": self.sources,
                "m": self.times,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, id: int, first_seen: float, last_seen: float, data: str) -> Story:
        d: dict[str, Any] = json.loads(data) if data else {}
        return cls(
            id=id,
            first_seen=first_seen,
            last_seen=last_seen,
            count=d.get("n", 0),
            title=d.get("t", ["", ""])[0],
            title_script=d.get("t", ["", ""])[1],
            blank=d.get("b", False),
            provinces=_counter(d.get("p")),
            actors=_counter(d.get("a")),
            events=_counter(d.get("e")),
            title_events=_counter(d.get("te")),
            title_provinces=_counter(d.get("tp")),
            targets=_counter(d.get("g")),
            regions=set(d.get("r", ())),
            places=d.get("x", {}),
            title_places=d.get("y", {}),
            names=set(d.get("q", ())),
            words=_counter(d.get("w")),
            keys=d.get("k", {}),
            killed=d.get("f", []),
            numbers=set(d.get("nu", ())),
            claims=set(d.get("c", ())),
            outlets=set(d.get("o", ())),
            sources=[(list(o), t) for o, t in d.get("s", [])],
            times=d.get("m", []),
        )


def _counter(counts: dict[str, int] | None) -> Counter[str]:
    """A Counter of stored counts, skipping Counter's slow generic update."""
    out: Counter[str] = Counter()
    if counts:
        dict.update(out, counts)
    return out


def _extend(places: dict[str, list[str]], script: str, new: frozenset[str]) -> None:
    if new:
        known = places.setdefault(script, [])
        known += [p for p in sorted(new) if p not in known][: _MAX_PLACES - len(known)]
