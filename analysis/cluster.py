"""Incremental story clustering: a story is one event, however many outlets report it.

Each new report is compared only with candidate stories found through what it says (blocking):
its provinces, towns, targets, event type, actors and distinctive words, each asking for the
newest few stories that share it within the event-type window. Candidates are scored at once
(rapidfuzz over all their headlines in one call), so the cost per report stays bounded however
many similar headlines the window holds.

A report joins the best candidate whose score reaches the threshold, else starts a story.
When it would have joined another, small story too (one event begun as two stories: a bulletin
that tells it only in its summary, the same news in two languages), that story is merged in if
each of its reports fits the grown story by a margin (FRAGMENT_SIZE below); one report fitting
two stories is not enough, or unrelated stories would chain through it.
Precision first: a report never joins a story placed in another province or region, of an
unrelated event type, older than its type's window, or (for a report that calls its event a
new one) older than a few hours; a blank or "(untitled)" report joins nothing. Evidence for
joining comes from the text: the same towns, target, actors, distinctive words and headline
words, figures that agree (weakly: tolls change), a claim of responsibility for the event,
and closeness in time. Across scripts the words cannot be compared, so the place, type,
target, figures and time must carry it.

Pure: no I/O. analysis/storage.py runs it over the store.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Protocol

from rapidfuzz import fuzz, process

from analysis.doc import Doc, known_places
from analysis.events import (
    is_frame,
    is_lasting,
    is_meeting,
    related,
    rules,
    same_type_weight,
    window_hours,
)
from analysis.story import Story

CANDIDATE_CAP = 16  # stories scored per report, most shared keys first
# One event told in two languages or two framings can start two stories before a report that
# fits both arrives. Then a story of at most FRAGMENT_SIZE reports begun within FRAGMENT_HOURS
# of the story the new report joined, and which the report would have joined too, is absorbed
# by it (the smaller by the larger) when every one of its reports scores FRAGMENT_MARGIN over
# the threshold against it. The clusterer keeps the reports of the FRAGMENTS_HELD most recent
# small stories (about 6 KB each); a source gives those of older ones back.
FRAGMENT_SIZE = 2
FRAGMENT_HOURS = 48.0
FRAGMENT_MARGIN = 15.0
FRAGMENTS_HELD = 2000
EXAMINE_CAP = 32
_LATE_HOURS = 24.0  # a report may predate its story's first report by this much


@dataclass(frozen=True, slots=True)
class Weights:
    """The scoring knobs. Searched by bench/tune_weights.py (coordinate descent) on every
    development set at once (the demo corpus held as it was); four knobs (province, place,
    target, event_related) were then moved back towards their earlier values until every story
    regression test held again. Words shared count for more, conflicts of place, parties and
    target cost more, and a report may come a day after the first without a specific link."""

    threshold: float = 45.0
    title: float = 0.45  # x headline similarity (0..100) within one script
    word: float = 10.0  # per shared distinctive word ...
    words_cap: int = 5  # ... up to this many
    province: float = 14.0
    place: float = 10.0
    place_passing: float = 2.5  # a town both summaries mention
    region: float = 5.0
    region_conflict: float = -24.0
    province_conflict: float = -30.0  # only the summaries place them, in different provinces
    party_conflict: float = -25.0  # both name parties other than the Taliban, none in common
    target: float = 14.0
    target_conflict: float = -72.0
    actor: float = 7.2  # a shared actor other than the Taliban (named in most reports)
    event_same: float = 1.5  # x the type's own weight (events.toml `same`)
    event_related: float = 4.0
    event_missing: float = -8.8  # one names an event type, the other none
    event_conflict: float = -12.0  # unrelated types, one of them only in a summary
    figures: float = 9.0  # a killed figure within 15% of one the story states
    claim_link: float = 6.0  # a claim for an event of this type and place
    claim_conflict: float = -12.0
    cross_script: float = 21.0  # no headline in the report's script to compare with
    close_hours: float = 5.0
    close: float = 8.0
    free_hours: float = 7.2  # after this gap from the first report ...
    per_hour: float = 0.4  # ... this much per hour
    anchor_hours: float = 24.0  # later than this, a report needs a specific link (below)
    # A headline naming no event joins only on its words: headline similarity plus this much
    # per distinctive word in common must reach `untyped` (`untyped_one` when the other
    # headline names a type).
    template_text: float = 80.0  # headlines this alike that name different names are two
    untyped_text: float = 60.0  # ... and a headline naming none needs this much alone
    same_subject: float = 7.5  # across languages: same place, parties or target, within hours
    untyped_word: float = 10.8
    untyped_town: float = 15.0
    untyped: float = 60.0
    untyped_one: float = 36.0
    untyped_hours: float = 24.0  # across languages: same place and parties within this
    rare_type: float = 16.0  # a type this rare (events.toml `same`) links reports by itself
    same_outlet: float = -6.0


DEFAULT_WEIGHTS = Weights()

# Blocking: each key asks for the newest few stories that share it.
POSTING_CAP = 40


def blocking_keys(doc: Doc) -> list[str]:
    """What a report can share with a story, as index keys."""
    keys = [f"p:{c}" for c in sorted(doc.provinces)]
    keys += [f"x:{p}" for p in sorted(doc.places)]
    keys += [f"g:{t}" for t in sorted(doc.targets)]
    keys += [f"a:{a}" for a in sorted(doc.actors) if a != "taliban"]
    if doc.event_type:
        keys.append(f"e:{doc.event_type}")
    keys += [f"w:{w}" for w in doc.lead_words]
    return keys


# What sharing a key says, for ranking candidates: a province or a town more than an actor.
_WEIGHTS = {"p": 3, "x": 3, "g": 2, "e": 2, "w": 1, "a": 1}


def key_weight(key: str) -> float:
    return _WEIGHTS.get(key[0], 1)


def max_window_hours() -> float:
    return max(e.window_hours for e in rules().events)


class Scorer:
    """Scores one report against many stories."""

    def __init__(self, weights: Weights = DEFAULT_WEIGHTS):
        self.w = weights
        self.novelty_hours = rules().novelty_hours
        self.followup_hours = rules().followup_hours

    def text_scores(self, doc: Doc, stories: list[Story]) -> list[float | None]:
        """Best headline similarity of `doc` with each story's recent headlines in its script
        (None when the story has none in that script).

        Keys are stored with their words sorted, so plain `ratio` is token_sort_ratio at a
        fraction of the cost: one C++ call scores every candidate headline and picks each
        story's closest. That one is then averaged with token_set_ratio, which forgives a
        headline that only adds words to another (the dearer scorer, run once per story).
        """
        choices: list[str] = []
        owner: list[int] = []
        for i, story in enumerate(stories):
            for key in story.keys.get(doc.script, ()):
                choices.append(key)
                owner.append(i)
        out: list[float | None] = [None] * len(stories)
        if not choices or not doc.key:
            return out
        best: dict[int, tuple[float, str]] = {}
        for choice, value, index in process.extract(
            doc.key, choices, scorer=fuzz.ratio, limit=None
        ):
            i = owner[index]
            if i not in best or value > best[i][0]:
                best[i] = (value, choice)
        picked = list(best.items())
        for (i, (value, _c)), (_choice, full, _index) in zip(
            picked,
            sorted(
                process.extract(
                    doc.key, [c for _i, (_v, c) in picked], scorer=fuzz.token_set_ratio, limit=None
                ),
                key=lambda r: r[2],
            ),
            strict=True,
        ):
            out[i] = 0.5 * value + 0.5 * full
        return out

    def _same_subject(self, doc: Doc, story: Story, places: Set[str], gap: float) -> bool:
        """Two untyped reports in different languages: the same province (or one of them
        placed in none) within hours, and the same parties (all of them), target, or a town or
        landmark the gazetteer knows in both headlines."""
        if gap > self.w.untyped_hours:
            return False
        if not places and doc.provinces and story.provinces:
            return False  # placed in different provinces (one unplaced report may join)
        mine = doc.parties
        theirs = story.parties()
        # A frame ("protest") both headlines name is their subject too.
        framed = (
            doc.title_typed and is_frame(doc.event_type) and doc.event_type in story.title_events
        )
        # An unplaced report joins a placed story on its target or frame, not on parties alone:
        # "UN: millions need aid" (nationwide) and "UN: families in Zabul need food" share
        # a party, not an event.
        parties = bool(mine and mine == theirs) and (
            bool(places) or not (doc.provinces or story.provinces)
        )
        # A landmark or town the gazetteer knows, in both headlines, in one province.
        landmark = bool(places) and bool(_known_towns_meet(doc, story))
        return parties or bool(doc.targets & story.core_targets()) or framed or landmark

    def admits(self, doc: Doc, story: Story) -> bool:
        """The rules no wording can overturn: time, types and places the headlines state.
        Checked before any text is compared (most candidates of a busy window fail here)."""
        if story.blank:
            return False
        headline = story.title_provinces
        # Places first: every rule here is a plain condition, and in a busy window most
        # candidates are of other provinces. (The spread is only looked up for provinces that
        # disagree.)
        if (
            doc.title_provinces
            and headline
            and doc.title_provinces.isdisjoint(headline)
            and not _within(doc.title_provinces, headline.keys(), _spread(doc, story))
        ):
            return False  # the headlines place them in different provinces
        hours = (doc.published - story.first_seen) / 3600
        if hours < -_LATE_HOURS:
            return False
        if hours > window_hours(doc.event_type or story.event_type) and not _dated(doc, story):
            return False  # (a later report dating its event to the story's first day may join)
        if doc.novel and hours > self.novelty_hours:
            return False
        if hours > self.followup_hours and not (
            doc.followup
            or (doc.claimed_by and doc.claimed_by not in story.claims)
            or (doc.lasting and doc.event_type in story.events)
            or _dated(doc, story)
            or _weekday(doc, story)
        ):
            # The same headline days later is the next event; but a flood or an earthquake
            # goes on for days, and later reports of it need not say they follow it. A claim
            # follows an attack up, unless the story's attack is already claimed by that
            # group: then it is the group's next attack.
            return False
        # Types: a headline's type is a fact of the report; a summary's may be background.
        titled_types = story.title_events
        if doc.kin and titled_types and doc.kin.isdisjoint(titled_types):
            return False
        # Summaries place a story in passing; when neither headline names a province, a
        # disagreement of summaries costs instead of ruling the pair out.
        mine = doc.afghan
        if mine and (doc.title_provinces or headline):
            theirs = story.core_provinces()
            if (
                theirs
                and mine.isdisjoint(theirs)
                and not _within(mine, theirs, _spread(doc, story))
            ):
                return False
        if not mine and doc.abroad:
            elsewhere = story.abroad()
            if elsewhere and doc.abroad.isdisjoint(elsewhere) and not story.core_provinces():
                return False  # placed only abroad, in different countries
        if doc.title_places:
            titled = story.title_places.get(doc.script)
            if titled and not _places_meet(doc.title_places, titled):
                return False  # the headlines name different towns: two incidents
            # Towns the gazetteer knows are one key in every script ("Mastung", "مستونگ"):
            # those compare across languages too.
            if (
                len(story.title_places) > (doc.script in story.title_places)
                and _known_towns_meet(doc, story) is False
            ):
                return False
        return True

    def score(self, doc: Doc, story: Story, text: float | None) -> float | None:
        """How strongly the text says `doc` reports `story`'s event; None when it cannot."""
        if doc.blank or not self.admits(doc, story):
            return None
        return self.weigh(doc, story, text)

    def weigh(self, doc: Doc, story: Story, text: float | None) -> float | None:
        """`score` for a story `admits` has let through."""
        w = self.w
        hours = (doc.published - story.first_seen) / 3600
        dtype = doc.event_type
        if dtype not in story.events:
            # A headline naming two types ("drone strike targeting suicide bombers"): the one
            # the story's reports name.
            dtype = next((t for t in doc.title_types if t in story.events), dtype)
        titled_types = story.title_events.keys()
        # A frame type ("ban") names a kind of news, not an incident: only words link them.
        both_typed = (
            doc.title_typed
            and bool(titled_types)
            and not (is_frame(dtype) and all(is_frame(e) for e in titled_types))
        )
        mine = doc.afghan
        theirs = story.core_provinces()
        province_conflict = bool(mine and theirs and not mine & theirs)
        # One earthquake felt in two provinces of the region a report names.
        spread = province_conflict and _within(mine, theirs, _spread(doc, story))
        # A region ("western Afghanistan") is looser than a province: a conflict costs.
        region_conflict = (mine and not theirs and story.regions and not mine & story.regions) or (
            theirs and not mine and doc.regions and not theirs & doc.regions
        )

        score = 0.0
        gap = story.gap(doc.published) / 3600
        if text is None:
            score += w.cross_script
        else:
            score += w.title * text
        # Distinctive words in common, and a figure both headlines state ("3,000 Afghans").
        shared = len(doc.words & story.words.keys()) + (1 if doc.numbers & story.numbers else 0)
        score += w.word * min(shared, w.words_cap)
        dated = hours > self.followup_hours and _dated(doc, story)
        # A link beyond place, type and time (a later report that dates its event to the
        # story's first day has one).
        specific = shared >= 2 or (text or 0) >= 75 or dated
        if mine & theirs or (doc.provinces & story.provinces.keys() and not mine):
            score += w.province if len(mine) <= 2 else w.province / 2
        elif (mine and mine & story.regions) or (theirs and theirs & doc.regions) or spread:
            score += w.region
        elif region_conflict:
            score += w.region_conflict
        elif province_conflict:
            score += w.province_conflict
        mine_parties, their_parties = doc.parties, story.parties()
        common = mine_parties & their_parties
        if (
            common
            and not (mine_parties <= their_parties or their_parties <= mine_parties)
            and is_meeting(dtype)
            and dtype in story.events
        ):
            # A visit or talks is who meets whom: when each names a party the other does
            # not, they tell of two meetings (one report may name fewer of the parties).
            common = frozenset()
        if mine_parties and their_parties and not common:
            score += w.party_conflict
        # Towns: a headline's own towns say most; towns a summary mentions in passing less.
        titled = story.title_places.get(doc.script)
        places = story.places.get(doc.script)
        town = False  # the same town named in a headline
        if (doc.title_places and places and _places_meet(doc.title_places, places)) or (
            doc.places and titled and _places_meet(doc.places, titled)
        ):
            score += w.place
            specific = town = True
        elif text is None and _known_towns_meet(doc, story):
            # Across languages, a town the gazetteer knows in both headlines.
            score += w.place
            specific = town = True
        elif doc.places and places and _places_meet(doc.places, places):
            score += w.place_passing
        alike = (text or 0) >= w.template_text
        if alike and doc.names and story.names and not doc.names & story.names:
            # Alike but for the names ("... patrol in Nari" / "... patrol in Imam Sahib"):
            # the same kind of news from two places.
            return None
        target_conflict = False
        if doc.targets and story.targets:
            targets = story.core_targets()  # (a target one stray report brought is none)
            # The headline's own target decides: a summary may recall an earlier attack ("a
            # blast at the mosque during the funeral of the governor killed on Tuesday").
            if doc.title_targets and doc.title_targets.isdisjoint(targets):
                if dtype and story.events:
                    score += w.target_conflict
                    target_conflict = True
            elif doc.targets & targets:
                score += w.target
                specific = True
            elif dtype and story.events:
                score += w.target_conflict
                target_conflict = True
        if common:
            score += w.actor
        if dtype and story.events:
            if dtype in story.events:
                weight = same_type_weight(dtype)
                if not (doc.title_typed or dtype in titled_types):
                    weight /= 2  # only the summaries name it
                score += w.event_same * weight
                specific = specific or weight >= w.rare_type  # two earthquakes in a day are one
            elif any(related(dtype, e) for e in story.events):
                # Across languages, related types ("suicide attack" / "assassination") are
                # two incidents unless a party or a target links them; the generic "attack"
                # a report of any violent event may say still links within one province.
                generic = "attack" in (dtype, story.event_type) and bool(mine & theirs)
                if (
                    text is None
                    and not generic
                    and not (doc.parties & story.parties() or doc.targets & story.core_targets())
                ):
                    return None
                score += w.event_related
            else:
                score += w.event_conflict
        elif (dtype or story.events) and not doc.killed:
            score += w.event_missing
        if doc.killed and any(_figures_agree(doc.killed, k) for k in story.killed):
            score += w.figures
            specific = True
        if doc.claimed_by:
            if story.claims and doc.claimed_by not in story.claims:
                score += w.claim_conflict
            elif mine & theirs and dtype and story.events:
                score += w.claim_link
                specific = True
        if gap <= w.close_hours:
            score += w.close
        # Lateness counts against a report, except in a follow-up whose headline says so
        # ("toll rises", "search for survivors") of the same or a related event type, with no
        # other target: those come later by nature. (A summary recalling an earlier event may
        # tell of a new one: a blast at the funeral of the victim of another.)
        later = bool(
            doc.title_followup
            and dtype
            and not target_conflict
            and any(related(dtype, e) for e in story.events)
        )
        free = self.followup_hours if later else w.free_hours
        lasting = story.event_type if is_lasting(story.event_type) else None
        if (doc.lasting and (dtype in story.events or dtype in titled_types)) or (
            dtype and lasting and related(dtype, lasting)
        ):
            # A flood or a closure is news for days, and so is a clash at a closed crossing.
            free = window_hours(lasting or dtype)
        if dated:
            free = hours
        score -= max(0.0, abs(hours) - free) * w.per_hour
        # Later reports need a specific link; across languages two headlines of one type
        # and place are one (the words that could link them cannot be compared).
        subject = text is None and self._same_subject(doc, story, mine & theirs, gap)
        anchor = self.followup_hours if text is None and (both_typed or subject) else w.anchor_hours
        if abs(hours) > anchor and not specific:
            return None
        if not both_typed:
            # A headline that names no event: only the words can say it reports this one (or,
            # across languages, the same place, parties or target within hours).
            typed = doc.title_typed != bool(titled_types)  # one headline names an event
            words = (text or 0) + w.untyped_word * shared + (w.untyped_town if town else 0.0)
            # (related types agree: "attack" in one headline, "shooting" in the other's lede)
            agree = not typed or bool(dtype and any(related(dtype, e) for e in story.events))
            if typed:
                # The other headline names no event: it must at least tell of casualties or
                # a claim, or read much like this one, or share two distinctive words with
                # it (in another language, or put another way), or (this one) have a lede
                # that names the story's event type.
                told = (
                    bool(story.killed or story.claims)
                    if doc.title_typed
                    else bool(doc.killed or doc.wounded or doc.claimed_by)
                    or bool(dtype and dtype in titled_types)
                    or dated
                )
                if not (told or (text or 0) >= w.untyped_text or _subject(doc, story) >= 2):
                    return None
            if words >= (w.untyped_one if typed else w.untyped):
                pass
            elif agree and subject:
                score += w.same_subject
            else:
                return None
        if text is not None and doc.outlet in story.outlets:
            score += w.same_outlet  # (an outlet's desks in two languages are two reports)
        return score


def _subject(doc: Doc, story: Story) -> int:
    """Distinctive words the two have in common other than proper names: a shared landmark
    ("Kamal Khan dam" in a water row and in a border clash) is a place, not a subject."""
    return len((doc.words & story.words.keys()) - doc.names - story.names)


def _known_towns_meet(doc: Doc, story: Story) -> bool | None:
    """Whether `doc`'s headline and `story`'s name one town the gazetteer knows, in whatever
    scripts (its key is the same in every one); None when either names none."""
    known = doc.title_places & known_places()
    if not known:
        return None
    towns = [k for keys in story.title_places.values() for k in keys if k in known_places()]
    return _places_meet(known, towns) if towns else None


def _weekday(doc: Doc, story: Story) -> bool:
    """Whether `doc`, within a week of `story`'s first report, names its day of the week or
    the day before ("on Monday", "Sunday's blast"): a sign that it follows that story
    up, as "toll rises" is. ("On Thursday" in a report of Thursday's blast is none: it tells
    that it is not Monday's.) Weaker than a date: one day in seven matches by chance."""
    if not doc.weekdays:
        return False
    first = datetime.fromtimestamp(story.first_seen, UTC).date()
    published = datetime.fromtimestamp(doc.published, UTC).date()
    if not 0 <= (published - first).days < 7:
        return False
    return any((first.weekday() - day) % 7 <= 1 for day in doc.weekdays)


def _dated(doc: Doc, story: Story) -> bool:
    """Whether `doc` names the day of `story`'s first report ("the fire on February 13"), or
    the day before it (a night's event is reported the next morning)."""
    if not doc.dated:
        return False
    first = datetime.fromtimestamp(story.first_seen, UTC).date()
    published = datetime.fromtimestamp(doc.published, UTC).date()
    for month, day in doc.dated:
        try:
            named = date(published.year, month, day)
            if named > published:
                named = date(published.year - 1, month, day)
        except ValueError:
            continue
        if 0 <= (first - named).days <= 1:
            return True
    return False


def _spread(doc: Doc, story: Story) -> tuple[frozenset[str], ...]:
    """The areas one event of a wide type may span when both reports tell of it: each region
    the report names ("northern Afghanistan"). An earthquake shakes several provinces, and one
    report places it in one, another in its neighbour."""
    if not (doc.wide and doc.event_type in story.events):
        return ()
    return doc.areas


def _within(mine: Set[str], theirs: Set[str], spread: tuple[frozenset[str], ...]) -> bool:
    """Whether one of the areas holds both sets of provinces."""
    if not spread:
        return False  # the common case: no generator for nothing
    return any(mine <= area and theirs <= area for area in spread)


def _figures_agree(a: int, b: int) -> bool:
    """Small tolls must match; large ones may differ by 15% (early and later counts)."""
    return a == b if max(a, b) < 10 else abs(a - b) <= 0.15 * max(a, b)


def _places_meet(mine: frozenset[str], theirs: list[str]) -> bool:
    """Whether two lists of place keys name one place ("torkham" / "torkhamborder",
    "mazarsharif" / "mazarisharif"). The same few towns meet again and again: remembered."""
    return _meet(mine, tuple(theirs))


@lru_cache(maxsize=1 << 16)
def _meet(mine: frozenset[str], theirs: tuple[str, ...]) -> bool:
    for p in mine:
        if any(p in q or q in p for q in theirs):
            return True
        if process.extractOne(p, theirs, scorer=fuzz.ratio, score_cutoff=85) is not None:
            return True
    return False


class Source(Protocol):
    """Where a clusterer finds stories it does not hold (the store, through
    analysis/storage.py; None in benches)."""

    def postings(
        self, keys: Iterable[str], low: float, high: float, per_key: int
    ) -> dict[str, list[int]]:
        """For each key, the newest `per_key` stories sharing it whose first report falls in
        [low, high], oldest first."""
        ...

    def stories(self, ids: Sequence[int]) -> Iterable[Story]:
        """The stories named, as stored."""
        ...

    def members(self, story_id: int) -> list[Doc]:
        """The stored reports of a story (asked of small ones only: see FRAGMENT_SIZE)."""
        ...


class Clusterer:
    """Assigns docs to stories one at a time. Feed it in roughly published order; late items
    are fine as long as they fall in the window of the story they belong to.

    With a `source`, the clusterer is a cache of the store's stories: each key's stored
    postings are read the first time a report asks for that key, and a stored story's
    profile the first time it ranks among a report's candidates; what it read stays until
    `trim` (which the caller runs between batches, once what they changed is written).
    """

    def __init__(
        self, weights: Weights = DEFAULT_WEIGHTS, next_id: int = 1, source: Source | None = None
    ):
        self.weights = weights
        self.scorer = Scorer(weights)
        self.next_id = next_id
        self.source = source
        self.stories: dict[int, Story] = {}
        self._window = max_window_hours() * 3600
        self.last_keys: list[str] = []  # the blocking keys of the doc added last
        self._newest = float("-inf")
        # key -> story ids that share it, in the order they were indexed (roughly by time).
        self._postings: dict[str, list[int]] = defaultdict(list)
        # key -> the earliest time from which the source's stories sharing it are in
        # `_postings` (keys never asked for are absent).
        self._covered: dict[str, float] = {}
        # story id -> its reports, while it has at most FRAGMENT_SIZE (oldest first dropped).
        self._fragments: OrderedDict[int, list[Doc]] = OrderedDict()
        self._gone: set[int] = set()  # stories absorbed, until `trim` forgets their postings
        # (absorbed story, the story that absorbed it, its reports) since the caller last
        # looked: the caller moves those reports and deletes the absorbed story.
        self.absorbed: list[tuple[int, int, list[Doc]]] = []

    def load(self, stories: Iterable[Story]) -> None:
        """Seed with stories found elsewhere (the store's)."""
        for story in stories:
            if story.id in self.stories or story.id in self._gone:
                continue
            self.stories[story.id] = story
            self.next_id = max(self.next_id, story.id + 1)

    def _index(self, keys: Iterable[str], story_id: int) -> None:
        for key in keys:
            posting = self._postings[key]
            if story_id not in posting[-4:]:
                posting.append(story_id)
                if len(posting) > 4 * POSTING_CAP:
                    del posting[: -2 * POSTING_CAP]  # only the newest are ever read

    def cover(self, keys: Iterable[str], low: float, high: float) -> None:
        """Read from the source the stored postings of the `keys` not yet read back to `low`
        (a batch asks once for all its reports' keys)."""
        if self.source is None:
            return
        covered = self._covered
        wanted = [k for k in keys if covered.get(k, float("inf")) > low]
        if not wanted:
            return
        found = self.source.postings(wanted, low, high, POSTING_CAP)
        postings = self._postings
        for key in wanted:
            covered[key] = low
            stored = found.get(key)
            if stored:
                held = postings[key]
                known = set(held)
                # Stored stories are older than those indexed since: they go first.
                held[:0] = [sid for sid in stored if sid not in known]

    def candidates(
        self, doc: Doc, keys: list[str], admit: Callable[[Doc, Story], bool] | None = None
    ) -> list[Story]:
        low = doc.published - self._window
        high = doc.published + _LATE_HOURS * 3600
        self.cover(keys, low, high)
        # Rank by the weight of the keys shared, then the newest; rank and id packed in one
        # int so that one C sort orders them.
        shared: dict[int, int] = {}
        get = shared.get
        postings = self._postings
        for key in keys:
            posting = postings.get(key)
            if posting:
                weight = _WEIGHTS[key[0]]
                for sid in set(posting[-POSTING_CAP:]):
                    shared[sid] = get(sid, 0) + weight
        ranked = [(weight << 32) | sid for sid, weight in shared.items()]
        ranked.sort(reverse=True)
        ranked = [code & 0xFFFFFFFF for code in ranked[:EXAMINE_CAP]]
        stories = self.stories
        if self.source is not None:
            missing = [sid for sid in ranked if sid not in stories and sid not in self._gone]
            if missing:
                self.load(self.source.stories(missing))
        out = []
        for sid in ranked:
            story = stories.get(sid)
            if story is None or story.last_seen < low or story.first_seen > high:
                continue
            if admit is not None and not admit(doc, story):
                continue
            out.append(story)
            if len(out) >= CANDIDATE_CAP:
                break
        return out

    def add(self, doc: Doc) -> tuple[int, bool]:
        """Place `doc`; return (story id, whether the story is new)."""
        self._expire(doc.published)
        keys = blocking_keys(doc)
        best, best_score = None, self.weights.threshold
        stories: list[Story] = []
        if not doc.blank:
            scorer = self.scorer
            stories = self.candidates(doc, keys, scorer.admits)
            if stories:
                texts = scorer.text_scores(doc, stories)
                fitting = []  # the stories the report would join: `_absorb` looks at these
                for story, text in zip(stories, texts, strict=True):
                    s = scorer.weigh(doc, story, text)
                    if s is not None and s >= self.weights.threshold:
                        fitting.append(story)
                        if s >= best_score:
                            best, best_score = story, s
                stories = fitting
        created = best is None
        if best is None:
            best = Story(self.next_id)
            self.next_id += 1
            self.stories[best.id] = best
        best.add(doc)
        if not doc.blank:
            self._index(keys, best.id)
        self.last_keys = keys
        self._hold(best, [doc])
        if stories:
            final = self._absorb(best, stories)
            if final is not best:
                return final.id, False
        return best.id, created

    def _hold(self, story: Story, docs: list[Doc]) -> None:
        """Keep the reports of a small story (FRAGMENT_SIZE), for `_absorb`."""
        fragments = self._fragments
        if story.count > FRAGMENT_SIZE:
            fragments.pop(story.id, None)
            return
        fragments.setdefault(story.id, []).extend(docs)
        fragments.move_to_end(story.id)
        if len(fragments) > FRAGMENTS_HELD:
            fragments.popitem(last=False)

    def _absorb(self, story: Story, others: list[Story]) -> Story:
        """Merge into one each small story among `others` (the candidates of the report
        `story` just took) that tells the same event: see FRAGMENT_SIZE. Returns the story
        the report ends in."""
        span = FRAGMENT_HOURS * 3600
        bar = self.weights.threshold + FRAGMENT_MARGIN
        scorer = self.scorer
        for other in others:
            if other is story or other.id not in self.stories:
                continue
            if abs(other.first_seen - story.first_seen) > span:
                continue
            # The larger absorbs the smaller; of two alike, the older the newer.
            if (other.count, -other.first_seen, -other.id) > (
                story.count,
                -story.first_seen,
                -story.id,
            ):
                small, large = story, other
            else:
                small, large = other, story
            docs = self._fragments.get(small.id)
            if docs is None and self.source is not None and small.count <= FRAGMENT_SIZE:
                docs = self.source.members(small.id)  # a stored story this process never held
            if not docs or len(docs) != small.count:
                continue
            fits = all(
                (v := scorer.score(d, large, scorer.text_scores(d, [large])[0])) is not None
                and v >= bar
                for d in docs
            )
            if not fits:
                continue
            for d in docs:
                large.add(d)
                if not d.blank:
                    self._index(blocking_keys(d), large.id)
            del self.stories[small.id]
            self._fragments.pop(small.id, None)
            self._gone.add(small.id)
            self._hold(large, docs)
            self.absorbed.append((small.id, large.id, docs))
            story = large
        return story

    def _expire(self, published: float) -> None:
        """Forget stories too old to take new items (keeps memory flat during a backfill)."""
        if published <= self._newest + 3600:
            return
        self._newest = published
        horizon = published - 2 * self._window
        old = [sid for sid, s in self.stories.items() if s.last_seen < horizon]
        for sid in old:
            del self.stories[sid]
            self._fragments.pop(sid, None)
        if old:
            gone = set(old)
            for key in list(self._postings):
                kept = [sid for sid in self._postings[key] if sid not in gone]
                if kept:
                    self._postings[key] = kept
                else:
                    del self._postings[key]

    def trim(self, max_stories: int) -> None:
        """Bound what is held: the stories seen last longest ago beyond `max_stories`, and
        the keys none of whose newest stories is held any more. Only between batches, once
        the rows of the stories changed are made: a source gives them back when asked."""
        stories = self.stories
        if len(stories) > max_stories:
            oldest = sorted(stories.values(), key=lambda s: s.last_seen)
            for story in oldest[: len(stories) - max_stories]:
                del stories[story.id]
                self._fragments.pop(story.id, None)
        if self._gone:
            # Absorbed stories are deleted by now: their postings go.
            gone = self._gone
            for posting in self._postings.values():
                if any(sid in gone for sid in posting):
                    posting[:] = [sid for sid in posting if sid not in gone]
            gone.clear()
        for key in [k for k, p in self._postings.items() if not p or p[-1] not in stories]:
            del self._postings[key]
            self._covered.pop(key, None)


def cluster(docs: Iterable[Doc], weights: Weights = DEFAULT_WEIGHTS) -> dict[int, int]:
    """doc id -> story id for docs taken in published order (what the bench measures)."""
    clusterer = Clusterer(weights)
    out: dict[int, int] = {}
    for doc in sorted(docs, key=lambda d: (d.published, d.id)):
        out[doc.id] = clusterer.add(doc)[0]
        for _small, large, moved in clusterer.absorbed:
            for d in moved:
                out[d.id] = large
        clusterer.absorbed.clear()
    return out
