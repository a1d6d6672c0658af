"""One report as the clusterer sees it: what happened, where, to whom, when, and in which words.

Built once per item from its title, summary, tags (with the tagger's evidence) and the event
reader's findings; everything the story scorer compares is precomputed here, so comparing a
report with a story is a few set operations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from functools import cache, lru_cache
from typing import Any

from analysis.events import (
    EventInfo,
    casualty_total,
    event_order,
    is_lasting,
    is_wide,
    read_event,
    related_types,
    rules,
    target_kin,
)
from analysis.text import script, stem, title_key, words
from core.textnorm import fold
from core.vocab import ACTORS, COUNTRIES, place_spellings, province_spellings

# A title this close to nothing says nothing: never a reason to merge two reports.
_BLANK_TITLES = frozenset(
    ("untitled", "no", "title", "none", "news", "update", "updates", "breaking", "latest")
    + ("home", "index", "feed", "rss", "item", "article", "post")
)
_UNTITLED = re.compile(r"^\W*(?:\(?untitled\)?|\(?no title\)?)?\W*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s'-]+")
_MAX_WORDS = 24  # distinctive words kept per report (title first, then summary)
# Characters of a summary read: the lede, where a report states its event. Later paragraphs
# recall earlier events, and a 5,000-character summary would cost ten times a headline.
LEDE = 600
_LEAD_WORDS = 8  # of which this many find candidate stories
# Neighbouring states (actor slugs) and their country codes (events.toml `borders`): the
# vocabulary's neighbour countries, each the state actor of the same name.
_NEIGHBOURS = {
    slug: code
    for code, name in COUNTRIES.items()
    for slug, actor in ACTORS.items()
    if actor == name
}
_BORDER = re.compile(r"\bborders?\b|frontier|مرز|سرحد|پوله|الحدود")


@cache
def _province_names() -> frozenset[str]:
    return frozenset(
        _place_key(fold(name)) for names in province_spellings().values() for name in names
    )


@cache
def _generic() -> frozenset[str]:
    return rules().generic | {stem(w) for w in rules().generic}


@cache
def _name_words() -> frozenset[str]:
    """Actor and province names written as one word ("Taliban", "Kabul", "Kobulda"): they
    count through the tags, not as words, even where the tagger let one pass (a capital
    standing for its government). The words of a longer name are not names by themselves:
    "party" (the Turkistan Islamic Party) is also political parties, "front" and "state" are
    common words, and "Day" (Day Kundi) is a day."""
    names = [fold(name) for name in ACTORS.values()]
    names += [fold(name) for spellings in province_spellings().values() for name in spellings]
    return frozenset(
        stem(name) for name in names if len([w for w in _SEPARATORS.split(name) if w]) == 1
    )


@lru_cache(maxsize=4096)
def _name(name: str) -> tuple[frozenset[str], frozenset[str], str]:
    """What an evidence text ("Kabul", "Mazar-i-Sharif") stands for: the words it takes out of
    a report's distinctive words, the headline-key words it takes out of the key, and its
    place key (its gazetteer entry's: see `_same_places`). The same few names recur in
    thousands of reports: worked out once each."""
    folded = fold(name)
    skip = {stem(w) for w in _SEPARATORS.split(folded) if w}
    skip.update(words(name))
    key = _place_key(folded)
    return frozenset(skip), frozenset(title_key(name).split()), _same_places().get(key, key)


def _place_key(name: str) -> str:
    """ "Mazar-i-Sharif" and "Mazar e Sharif" -> one key: separators and linking vowels out."""
    parts = [p for p in _SEPARATORS.split(name) if p]
    return "".join(p for p in parts if p not in ("i", "e", "y", "-")) or name


def lede(summary: str) -> str:
    """The first `LEDE` characters of `summary`, cut at a space."""
    if len(summary) <= LEDE:
        return summary
    cut = summary.rfind(" ", LEDE // 2, LEDE)
    return summary[: cut if cut > 0 else LEDE]


def is_blank(title: str, key: str | None = None) -> bool:
    """Empty, "(untitled)" or boilerplate ("News", "Update"): nothing to cluster on. `key` is
    the title's `title_key` when the caller has it."""
    if _UNTITLED.match(title):
        return True
    key = title_key(title) if key is None else key
    return not key or all(w in _BLANK_TITLES for w in key.split())


@dataclass(frozen=True, slots=True)
class Doc:
    """What the clusterer needs of an item. `published` is unix seconds."""

    id: int
    outlet: str
    title: str
    published: float
    script: str = "latin"
    key: str = ""  # the title's content words, sorted, for fuzzy comparison within one script
    words: frozenset[str] = frozenset()  # distinctive words of title and summary
    lead_words: tuple[str, ...] = ()  # the first few of them, headline first (for blocking)
    numbers: frozenset[str] = frozenset()  # figures the headline states ("3000", "46")
    provinces: frozenset[str] = frozenset()
    title_provinces: frozenset[str] = frozenset()  # the provinces the headline names
    actors: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()  # districts, towns, landmarks (folded keys)
    title_places: frozenset[str] = frozenset()  # ... of them, those the headline names
    names: frozenset[str] = frozenset()  # other proper names in a sentence-case headline
    regions: frozenset[str] = frozenset()  # provinces a named region spans
    areas: tuple[frozenset[str], ...] = ()  # each region the text names, on its own
    event_type: str | None = None
    title_typed: bool = False  # the headline names the type
    title_types: tuple[str, ...] = ()  # every type the headline names, in the rules' order
    dated: tuple[tuple[int, int], ...] = ()  # (month, day) of the dates the text names
    weekdays: tuple[int, ...] = ()  # the days of the week it names ("on Monday"), Monday 0
    targets: frozenset[str] = frozenset()
    title_targets: frozenset[str] = frozenset()  # ... those the headline names, and their kin
    killed: int | None = None
    wounded: int | None = None
    claimed_by: str | None = None
    novel: bool = False
    followup: bool = False
    title_followup: bool = False  # the headline says it follows an earlier report
    lasting: bool = False  # its type's events go on for days (a flood, an earthquake)
    wide: bool = False  # one event of its type spans provinces (an earthquake)
    blank: bool = False
    text: str = ""  # folded title and summary: two outlets' near-identical texts are one source
    # Derived once here, read for every candidate story:
    afghan: frozenset[str] = frozenset()  # `provinces` in Afghanistan (codes AF-...)
    abroad: frozenset[str] = frozenset()  # ... and the other countries
    parties: frozenset[str] = frozenset()  # `actors` but the Taliban (named in most reports)
    kin: frozenset[str] = frozenset()  # the headline's types and the types related to them

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
        *,
        summary: str = "",
        evidence: Iterable[tuple[str, str, int, str]] = (),
        event: EventInfo | None = None,
    ) -> Doc:
        """Build from an item. `evidence` is the tagger's, as (kind, code, start, text) with
        `start` an offset into title + newline + summary: province evidence gives the towns
        and which provinces the headline names; every evidence text's words count through
        the tags, not as words. `event` is what analysis.events read (read here when not
        given; then `event_type`, when given, overrides its type). Only the summary's lede
        is read."""
        summary = lede(summary)
        if event is None:
            event = read_event(title, summary)
            if event_type is not None:
                event = replace(
                    event,
                    event_type=event_type,
                    title_typed=True,
                    title_types=frozenset([event_type]),
                )
        evidence = list(evidence)
        provinces = frozenset(provinces)
        actors = frozenset(actors)
        in_title = len(title)
        tkey = title_key(title)
        blank = is_blank(title, tkey)
        places = _fine_places(text for kind, _c, _s, text in evidence if kind == "province")
        title_places = _fine_places(
            text for kind, _c, start, text in evidence if kind == "province" and start < in_title
        )
        tagged = _tagged_words(e[3] for e in evidence)
        ordered = () if blank else _distinctive(tkey, summary, tagged)
        distinctive = frozenset(ordered)
        regions = event.regions
        if not any(p.startswith("AF-") for p in provinces):
            # Placed only across a border ("Iranian border guards"), or on the border with a
            # neighbour whose forces it names ("Taliban, Pakistani military clash on
            # borders"): the provinces along that border.
            borders = rules().borders
            codes = set(provinces)
            if actors & _NEIGHBOURS.keys() and _BORDER.search(fold(f"{title} {summary}")):
                codes.update(_NEIGHBOURS[a] for a in actors if a in _NEIGHBOURS)
            for code in codes:
                regions |= borders.get(code, frozenset())
        return cls(
            id=id,
            outlet=outlet,
            title=title,
            published=published,
            script=_script(title, summary),
            key=_key(tkey, evidence),
            words=distinctive,
            lead_words=ordered[:_LEAD_WORDS],
            numbers=_numbers(tkey),
            provinces=provinces,
            title_provinces=frozenset(
                code
                for kind, code, start, _t in evidence
                if kind == "province" and start < in_title and code in provinces
            ),
            actors=actors,
            places=places,
            title_places=title_places,
            names=_title_names(title) - _generic() - _name_words() - tagged,
            regions=regions,
            areas=event.areas,
            event_type=event.event_type,
            title_typed=event.title_typed,
            title_types=tuple(t for t in event_order() if t in event.title_types),
            dated=event.dated,
            weekdays=event.weekdays,
            targets=event.targets,
            title_targets=frozenset(k for t in event.title_targets for k in target_kin(t)),
            killed=event.killed,
            wounded=event.wounded,
            claimed_by=event.claimed_by,
            novel=event.novel,
            followup=event.followup,
            title_followup=event.title_followup,
            lasting=is_lasting(event.event_type),
            wide=is_wide(event.event_type),
            blank=blank,
            text=fold(f"{title} {summary}")[:400],
            afghan=frozenset(p for p in provinces if p.startswith("AF-")),
            abroad=frozenset(p for p in provinces if not p.startswith("AF-")),
            parties=frozenset(a for a in actors if a != "taliban"),
            kin=frozenset().union(*(related_types(t) for t in event.title_types))
            if event.title_typed
            else frozenset(),
        )

    @property
    def casualties(self) -> int | None:
        return casualty_total(self.killed, self.wounded)

    def to_row(self) -> tuple[Any, ...]:
        """Every field but `id`, `outlet` and `published`, as a plain tuple: how a doc read in
        a parse worker travels to the collector (pickle rebuilds a frozen dataclass field by
        field, several times slower than a tuple)."""
        return (self.title, *(getattr(self, name) for name in _ROW_FIELDS))

    @classmethod
    def from_row(cls, row: tuple[Any, ...], id: int, outlet: str, published: float) -> Doc:
        """The doc `to_row` gave, for the stored item `id`."""
        return cls(id, outlet, row[0], published, *row[1:])


# `Doc`'s fields after (id, outlet, title, published), in order.
_ROW_FIELDS = tuple(f.name for f in fields(Doc)[4:])


def _key(tkey: str, evidence: list[tuple[str, str, int, str]]) -> str:
    """The headline's content words (`tkey`, its title_key), sorted, without the names the
    tags already compare ("kabul", "taliban"): two headlines sharing only those are not
    alike."""
    names: set[str] = set()
    for e in evidence:
        names |= _name(e[3])[1]
    words = tkey.split()
    kept = [w for w in words if w not in names]
    return " ".join(sorted(kept if len(kept) >= 2 else words))


def _tagged_words(names: Iterable[str]) -> frozenset[str]:
    """The words of what the tagger recognised (an actor's alias, a town): they count
    through the tags, as neither distinctive words nor unknown names."""
    skip: set[str] = set()
    for name in names:
        skip |= _name(name)[0]
    return frozenset(skip)


def _distinctive(tkey: str, summary: str, skip: frozenset[str]) -> tuple[str, ...]:
    generic = _generic()
    known = _name_words()
    out: dict[str, None] = {}
    for w in (*(stem(w) for w in tkey.split() if not w.isdigit()), *words(summary)):
        if len(w) < 3 or w in generic or w in known or w in skip:
            continue
        out[w] = None
        if len(out) >= _MAX_WORDS:
            break
    return tuple(out)


def _numbers(tkey: str) -> frozenset[str]:
    """Figures in a headline (its title_key) that can identify its event: not 1 or a year."""
    return frozenset(
        n for n in tkey.split() if n.isdigit() and n != "1" and not 1900 <= int(n) <= 2100
    )


def _title_names(title: str) -> frozenset[str]:
    """Capitalised words inside a sentence-case headline ("... in Kabul's Paghman"): the
    names of places and people the gazetteer may not know. None from a Title Case headline,
    where every word is capitalised."""
    tokens = [t for t in title.split() if len(t) > 3 and t[0].isalpha()]
    if len(tokens) < 3 or not title[:1].isupper():
        return frozenset()
    caps = [t for t in tokens[1:] if t[0].isupper()]
    if len(caps) * 2 >= len(tokens) - 1:
        return frozenset()
    return frozenset(
        w
        for t in caps
        for w in _token_words(t)
        # Not a name: a letter ("Afghanistan's" leaves "s"), a month, the country itself in
        # another language ("Afganistanului").
        if len(w) > 2 and w not in _MONTHS and not w.startswith(("afgan", "afgh"))
    )


_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()  # noqa: SIM905
)


@lru_cache(maxsize=1 << 14)
def _token_words(token: str) -> tuple[str, ...]:
    """The content words of one headline token ("Kabul's", "Mazar-i-Sharif"): the same few
    names recur in thousands of headlines, each worked out once."""
    return tuple(w for part in _SEPARATORS.split(token) for w in words(part))


@cache
def _state_keys() -> frozenset[str]:
    """The neighbours' own names ("Iran", "Iran's"), which the tagger tags as places too. A
    state is no town: "meets Massoud in Iran" and "meets Massoud in Tehran" name one place."""
    keys = {_place_key(fold(name)) for name in COUNTRIES.values()}
    return frozenset(keys | {f"{key}s" for key in keys})


def _fine_places(names: Iterable[str]) -> frozenset[str]:
    """Evidence texts below the province level (a district, a town, a neighbourhood), with
    the town across the border of a crossing (events.toml `places.twins`)."""
    provinces = _province_names()
    twins = _twins()
    out = set()
    for name in names:
        key = _name(name)[2]
        if key and key not in provinces and key not in _state_keys():
            out.add(key)
            twin = twins.get(_PLACE_SUFFIX.sub("", key))
            if twin:
                out.add(twin)
    return frozenset(out)


# "Chaman border", "Torkham crossing": the town's key is what a twin is known by.
_PLACE_SUFFIX = re.compile(r"(?<=.)(?:border|crossing|gate|city|town)$")


@cache
def _twins() -> dict[str, str]:
    out: dict[str, str] = {}
    for a, b in rules().data.get("places", {}).get("twins", []):
        ka, kb = _name(a)[2], _name(b)[2]
        out[ka], out[kb] = kb, ka
    return out


@cache
def _same_places() -> dict[str, str]:
    """Place key -> the key of the place's first spelling in the gazetteer, so that "Bagram
    Airfield", "Bagrom" and "بگرام" are one place. Two entries that share a spelling are one
    place. A spelling that is also a province's name ("Ghazni" the city) stays the province,
    and so do the capitals named by their province ("Herat city", "the Afghan capital"):
    their spellings are left as they are."""
    provinces = _province_names()
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for _code, kind, names in place_spellings():
        if kind == "capital" and any(_names_province(fold(n)) for n in names):
            continue
        keys = [k for k in (_place_key(fold(n)) for n in names) if k and k not in provinces]
        for key in keys[1:]:
            a, b = root(keys[0]), root(key)
            if a != b:
                parent[b] = a
    return {key: root(key) for key in parent}


@cache
def known_places() -> frozenset[str]:
    """The place keys of the gazetteer's entries with several spellings (see
    `_same_places`): a town known by one key whatever the script its name is written in. (An
    entry of one spelling is written in one script: its key never meets another script's.)"""
    return frozenset(_same_places().values())


def _names_province(name: str) -> bool:
    """ "Herat city", "the Afghan capital": a provincial capital named by its province, as
    "Kabul" and "Herat" are, and so no finer a place than they are."""
    return "capital" in name.split() or _PLACE_SUFFIX.sub("", _place_key(name)) in _province_names()


def _script(title: str, summary: str) -> str:
    """The script the headline is compared in: the whole text's, which tells a short Latin
    headline's language by its summary's function words; but the headline's own where it is
    written in another script than its summary (an English slug over a Hindi summary)."""
    whole = script(f"{title} {summary}")
    own = script(title)
    if own.split("-")[0] != whole.split("-")[0]:
        return own
    return whole
