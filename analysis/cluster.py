"""Incremental story clustering: five outlets reporting one event make one story.

Each new item is compared only with the stories active in a time window around it (an
incremental, single pass: nothing is recomputed when an item arrives). A story is a candidate
when it shares a province or actor tag with the item or has a similar headline; the item joins
the best-scoring candidate above `threshold`, else it starts a new story.

The score is headline similarity (rapidfuzz on folded titles without stop words, compared only
between titles in the same script) adjusted by what the tags and the event reader say: shared
provinces, actors, event type and casualty figures raise it; different provinces or different
event types lower it. That last part is what keeps "Kabul blast" on Monday apart from "Kabul
blast" on Tuesday's other side of town, and what lets a Dari report join an English story when
the place, the event and the time agree.

Pure: no I/O. analysis/storage.py loads the window from SQLite and persists the result.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from analysis.events import related
from analysis.text import script, title_key

_NUMBERS = re.compile(r"\b\d+\b")
_BUCKET = 6 * 3600  # province-time index granularity (seconds)
_POSTING_CAP = 300  # stories read per index key, newest first
_CANDIDATE_CAP = 30  # stories scored per item, most shared keys first
_RECENT_KEYS = 8  # headlines per script a new item is compared with


def _figures(key: str) -> frozenset[str]:
    """Numbers that can identify an event: not "one" ("in one day") and not years."""
    return frozenset(n for n in _NUMBERS.findall(key) if n != "1" and not 1900 <= int(n) <= 2100)


@dataclass(frozen=True, slots=True)
class Doc:
    """What the clusterer needs of an item. `published` is unix seconds."""

    id: int
    outlet: str
    title: str
    published: float
    provinces: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()
    event_type: str | None = None
    key: str = ""
    script: str = "latin"
    numbers: frozenset[str] = frozenset()

    @classmethod
    def make(
        cls,
        id: int,
        outlet: str,
        title: str,
        published: float,
        provinces: Iterable[str] = (),
        actors: Iterable[str] = (),
        event_type: str | None = None,
    ) -> Doc:
        key = title_key(title)
        return cls(
            id=id,
            outlet=outlet,
            title=title,
            published=published,
            provinces=frozenset(provinces),
            actors=frozenset(actors),
            event_type=event_type,
            key=key,
            script=script(title),
            numbers=_figures(key),
        )


@dataclass(slots=True)
class Story:
    id: int
    members: list[Doc] = field(default_factory=list)
    first_seen: float = 0.0
    last_seen: float = 0.0
    provinces: Counter[str] = field(default_factory=Counter)
    actors: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    # What scoring reads, kept up to date as members join so a story of thousands of copies
    # costs no more to compare with than a story of a few: the latest headlines per script,
    # every figure stated, the (outlet, script) pairs, the publication times.
    recent_keys: dict[str, deque[str]] = field(default_factory=dict)
    numbers: set[str] = field(default_factory=set)
    has_numbers: bool = False
    sources: set[tuple[str, str]] = field(default_factory=set)
    times: list[float] = field(default_factory=list)

    def add(self, doc: Doc) -> None:
        if not self.members:
            self.first_seen = self.last_seen = doc.published
        self.members.append(doc)
        self.first_seen = min(self.first_seen, doc.published)
        self.last_seen = max(self.last_seen, doc.published)
        self.provinces.update(doc.provinces)
        self.actors.update(doc.actors)
        if doc.event_type:
            self.events[doc.event_type] += 1
        keys = self.recent_keys.setdefault(doc.script, deque(maxlen=_RECENT_KEYS))
        if doc.key not in keys:
            keys.append(doc.key)
        if doc.numbers:
            self.numbers |= doc.numbers
            self.has_numbers = True
        self.sources.add((doc.outlet, doc.script))
        insort(self.times, doc.published)

    def gap(self, published: float) -> float:
        """Seconds from `published` to the nearest member's publication time."""
        i = bisect_left(self.times, published)
        near = [abs(self.times[j] - published) for j in (i - 1, i) if 0 <= j < len(self.times)]
        return min(near) if near else 0.0

    @property
    def outlets(self) -> list[str]:
        return sorted({m.outlet for m in self.members})

    @property
    def title(self) -> str:
        """The first report in Latin script (what the UI shows best), else the first report."""
        ordered = sorted(self.members, key=lambda m: (m.published, m.id))
        latin = [m for m in ordered if m.script == "latin"]
        return (latin or ordered)[0].title

    @property
    def event_type(self) -> str | None:
        return self.events.most_common(1)[0][0] if self.events else None


@dataclass(frozen=True, slots=True)
class Weights:
    """The scoring knobs, measured on tests/data/stories.toml (bench/cluster_bench.py)."""

    window_hours: float = 36.0
    threshold: float = 62.0
    candidate_text: float = 55.0  # a story with no shared tag is a candidate above this
    province_shared: float = 10.0
    province_conflict: float = -30.0
    actor_shared: float = 5.0
    event_shared: float = 10.0
    event_conflict: float = -25.0
    event_missing: float = -6.0  # one side names an event, the other none
    numbers_shared: float = 8.0
    numbers_conflict: float = -8.0  # both state figures, none in common
    same_outlet: float = -8.0  # an outlet reporting twice in a day is more often two events
    cross_script_base: float = 40.0  # text score when no member shares the item's script
    cross_script_recent: float = 10.0  # ... plus this within `recent_hours`
    recent_hours: float = 3.0
    hours_free: float = 12.0  # no time penalty within this gap
    per_hour: float = 1.0  # then this much per hour


DEFAULT_WEIGHTS = Weights()


def text_similarity(a: str, b: str) -> float:
    """0..100. token_set_ratio forgives a headline that adds words to another; averaging with
    token_sort_ratio keeps two short headlines sharing only a place name from scoring 100."""
    if not a or not b:
        return 0.0
    return 0.6 * fuzz.token_set_ratio(a, b) + 0.4 * fuzz.token_sort_ratio(a, b)


class Clusterer:
    """Assigns docs to stories one at a time. Feed it in roughly published order; late items
    are fine as long as they fall in the window of the story they belong to."""

    def __init__(self, weights: Weights = DEFAULT_WEIGHTS, next_id: int = 1):
        self.weights = weights
        self.next_id = next_id
        self.stories: dict[int, Story] = {}
        self._newest = float("-inf")
        # Inverted index: a headline word or a (province, 6-hour bucket) -> stories. Without
        # it every new item was compared with every story in the window: quadratic, and a
        # cold collect of 10,000 items took minutes.
        self._postings: dict[str, list[int]] = defaultdict(list)

    def load(self, stories: Iterable[Story]) -> None:
        """Seed with persisted stories (the window a new batch can join)."""
        for story in stories:
            self.stories[story.id] = story
            self.next_id = max(self.next_id, story.id + 1)
            for member in story.members:
                self._index(member, story.id)

    def _keys(self, doc: Doc) -> tuple[list[str], list[str]]:
        """Word keys (same script only) and province-time keys of `doc`."""
        words = [f"w:{doc.script}:{w}" for w in set(doc.key.split()) if len(w) > 2]
        bucket = int(doc.published // _BUCKET)
        places = [
            f"p:{code}:{b}" for code in doc.provinces for b in (bucket - 1, bucket, bucket + 1)
        ]
        return words, places

    def _index(self, doc: Doc, story_id: int) -> None:
        words = [f"w:{doc.script}:{w}" for w in set(doc.key.split()) if len(w) > 2]
        bucket = int(doc.published // _BUCKET)
        for key in (*words, *(f"p:{code}:{bucket}" for code in doc.provinces)):
            posting = self._postings[key]
            if not posting or posting[-1] != story_id:
                posting.append(story_id)

    def score(self, doc: Doc, story: Story) -> float:
        w = self.weights
        same_script = story.recent_keys.get(doc.script)
        if same_script:
            text = max(text_similarity(doc.key, key) for key in same_script)
        else:
            text = w.cross_script_base
        score = text
        if doc.provinces and story.provinces:
            score += (
                w.province_shared
                if doc.provinces & story.provinces.keys()
                else (w.province_conflict)
            )
        if doc.actors & story.actors.keys():
            score += w.actor_shared
        if doc.event_type and story.events:
            if doc.event_type in story.events:
                score += w.event_shared
            elif not any(related(doc.event_type, e) for e in story.events):
                score += w.event_conflict
        elif bool(doc.event_type) != bool(story.events):
            score += w.event_missing
        if doc.numbers:
            if doc.numbers & story.numbers:
                score += w.numbers_shared
            elif story.has_numbers:
                score += w.numbers_conflict
        if (doc.outlet, doc.script) in story.sources:
            score += w.same_outlet
        gap = story.gap(doc.published) / 3600
        score -= max(0.0, gap - w.hours_free) * w.per_hour
        if not same_script and gap <= w.recent_hours:
            score += w.cross_script_recent
        if not same_script and not (
            doc.provinces & story.provinces.keys()
            and (not doc.event_type or any(related(doc.event_type, e) for e in story.events))
        ):
            # Across languages only the tags, the event and the time speak: they must agree.
            return 0.0
        return score

    def candidates(self, doc: Doc) -> list[Story]:
        w = self.weights
        span = w.window_hours * 3600
        out = []
        shared: Counter[int] = Counter()
        words, places = self._keys(doc)
        for key in (*words, *places):
            # The newest stories of each posting: a word shared by thousands of headlines
            # ("taliban") is only asked for the recent few hundred.
            shared.update(set(self._postings.get(key, ())[-_POSTING_CAP:]))
        # Scored are the stories sharing the most words and places with the item: a story
        # sharing one common word with it would not reach the threshold anyway.
        for sid, _ in shared.most_common(_CANDIDATE_CAP):
            story = self.stories.get(sid)
            if story is None:
                continue
            if story.last_seen < doc.published - span or story.first_seen > doc.published + span:
                continue
            shares = doc.provinces & story.provinces.keys() or doc.actors & story.actors.keys()
            if shares or any(
                text_similarity(doc.key, key) >= w.candidate_text
                for key in story.recent_keys.get(doc.script, ())
            ):
                out.append(story)
        return out

    def add(self, doc: Doc) -> tuple[int, bool]:
        """Place `doc`; return (story id, whether the story is new)."""
        self._expire(doc.published)
        best, best_score = None, self.weights.threshold
        for story in self.candidates(doc):
            s = self.score(doc, story)
            if s >= best_score:
                best, best_score = story, s
        created = best is None
        if best is None:
            best = Story(self.next_id)
            self.next_id += 1
            self.stories[best.id] = best
        best.add(doc)
        self._index(doc, best.id)
        return best.id, created

    def _expire(self, published: float) -> None:
        """Forget stories too old to take new items (keeps memory flat during a backfill)."""
        if published <= self._newest:
            return
        self._newest = published
        horizon = published - 3 * self.weights.window_hours * 3600
        for sid in [sid for sid, s in self.stories.items() if s.last_seen < horizon]:
            del self.stories[sid]


def cluster(docs: Iterable[Doc], weights: Weights = DEFAULT_WEIGHTS) -> dict[int, int]:
    """doc id -> story id for docs taken in published order (what the bench measures)."""
    clusterer = Clusterer(weights)
    ordered = sorted(docs, key=lambda d: (d.published, d.id))
    return {doc.id: clusterer.add(doc)[0] for doc in ordered}
