"""Tag news text with Afghan provinces (and neighbouring countries) and actors, with evidence.

What a tag means, and this module's spec, are in docs/TAGGING.md; the names and context rules
live in feeds/data/. One pass: normalise once (core.textnorm, keeping an offset map), find every
alias with one Aho-Corasick automaton, keep whole words only, let the longest match win, then
let the context rules (datelines, "Kabul says", "since the fall of Kabul", "north of Kabul",
Farah the person ...) veto, recode or re-read what is left (feeds/tagger_rules.py). A name that
only qualifies a name dropped as a time anchor ("the airport in Kabul") goes with it. Evidence offsets
point into the caller's `title + "\\n" + summary`.

    tagger = Tagger.load(extra_places=config.tagger.places, extra_aliases=config.tagger.aliases)
    result = tagger.tag(title, summary)
    tagger = get_tagger(config)   # cached per (places, aliases)

A Tagger is immutable once built (its per-name rule caches only fill in), so one instance is
shared by every thread.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import ahocorasick

from core.records import Tag, TagKind, TagResult
from core.textnorm import fold, normalize, word_marks
from core.vocab import COUNTRIES
from feeds.tagger_data import Rule, load_data
from feeds.tagger_rules import UPPER, CompiledRule, merge, needs_key

if TYPE_CHECKING:  # parse workers build taggers without importing the config models
    from core.config import ActorAlias, Config, PlaceAlias

log = logging.getLogger(__name__)

__all__ = ["Tagger", "get_tagger"]

# Hyphens and apostrophes separate words for matching ("Mazar-i-Sharif", "Taliban's"), but rules
# still see them in the normalised text.
_HAY = str.maketrans({"-": " ", "'": " "})
_SPACES = re.compile(r"\s+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_EMPTY = TagResult()
# Devanagari's vowel signs and virama are not alphanumeric, but they belong to the word they
# are written in: "काबुली" (Kabuli) is not "काबुल" followed by a word break. (Not Bengali's:
# Bengali writes its case endings onto a name, "ইসলামিক স্টেটের" (Islamic State's),
# "কাবুলে" (in Kabul), so a name there may go on in a vowel sign; its adjectives are listed.)
_MARKS = frozenset(word_marks(0x0900, 0x0980))


def _key(name: str) -> str:
    return _SPACES.sub(" ", fold(name).translate(_HAY)).strip()


# The Dari and Pashto ezafe in a Latin name ("Pul-e Khumri", "Pul-i-Khumri", "Puli Khumri"):
# outlets write it every way, and the data lists one or two.
_EZAFE = re.compile(r"(?<=[a-z]) (?:e|i|ye|yi) (?=[a-z])")
_EZAFE_FORMS = (" e ", " i ", "e ", "i ")


def _keys(name: str) -> set[str]:
    """The automaton keys one written name stands for (spacing and ezafe variants included)."""
    key = _key(name)
    keys = {key}
    if "-" in name:
        keys.add(_key(name.replace("-", "")))
    if _ARABIC.search(key) and " " in key:
        keys.add(key.replace(" ", ""))  # Dari writes پل خمری and پلخمری
    if key.isascii() and _EZAFE.search(key):
        keys.update(_EZAFE.sub(form, key) for form in _EZAFE_FORMS)
    return {k for k in keys if k}


# What may stand between a dropped name and a second name of the same place that qualifies it.
_QUALIFIES = re.compile(r"[\s,]*(?:(?:in|near|at|outside)\s+)?(?:the\s+)?")


@dataclass(frozen=True, slots=True)
class _Alias:
    name: str  # as written in the data
    cls: str
    place: str | None
    actors: tuple[str, ...]
    exact: str | None  # case-sensitive form, or None
    rules: tuple[CompiledRule, ...] = ()
    # `rules` narrowed to those a match's mask allows (Tagger._mask), filled on first use.
    by_mask: dict[int, tuple[CompiledRule, ...]] = field(default_factory=dict)


class Tagger:
    """A compiled gazetteer and alias automaton. Build with `Tagger.load`."""

    def __init__(self, aliases: dict[str, _Alias], rules: list[Rule], state_of: dict[str, str]):
        self._state_of = state_of  # country code -> state slug
        self._country_of = {slug: code for code, slug in state_of.items()}
        names = [{_key(n) for n in r.names} for r in rules]
        # One mask bit per distinct `needs` list; a needle sets the bits of every list it is in.
        need_bits: dict[tuple[str, ...], int] = {}
        needles: dict[str, int] = {}
        for rule in rules:
            needs = needs_key(rule)
            if needs and needs not in need_bits:
                need_bits[needs] = 1 << (len(need_bits) + 1)
                for needle in needs:
                    needles[needle] = needles.get(needle, 0) | need_bits[needs]
        # All needles found in one pass (substrings, not whole words: "attack" in "attacks").
        self._needles = ahocorasick.Automaton()
        for needle, bits in needles.items():
            self._needles.add_word(needle, bits)
        if needles:
            self._needles.make_automaton()
        # Which rules may apply to which alias: by class, and for rules that list names, by
        # name (checking every rule against every alias costs each worker's start-up).
        by_cls: dict[str | None, list[int]] = {}
        by_name: dict[str, list[int]] = {}
        for i, rule in enumerate(rules):
            if names[i]:
                for name in names[i]:
                    by_name.setdefault(name, []).append(i)
            else:
                for cls_ in rule.classes or (None,):
                    by_cls.setdefault(cls_, []).append(i)
        merged: dict[tuple[int, ...], tuple[CompiledRule, ...]] = {}
        # Shared by the aliases with the same rules.
        by_mask: dict[tuple[int, ...], dict[int, tuple[CompiledRule, ...]]] = {}
        self._aliases: list[_Alias] = []
        self._auto = ahocorasick.Automaton()
        # A rule found by class applies alike to every alias of one class, place and actors:
        # worked out once per such kind of alias, not once per alias (thousands of spellings).
        by_kind: dict[tuple[str, str | None, tuple[str, ...]], tuple[int, ...]] = {}
        for key, alias in aliases.items():
            kind = (alias.cls, alias.place, alias.actors)
            general = by_kind.get(kind)
            if general is None:
                general = by_kind[kind] = tuple(
                    i
                    for i in sorted({*by_cls.get(None, ()), *by_cls.get(alias.cls, ())})
                    if _applies(rules[i], names[i], key, alias)
                )
            named = [i for i in by_name.get(key, ()) if _applies(rules[i], names[i], key, alias)]
            ids = tuple(sorted({*general, *named})) if named else general
            if ids not in merged:
                merged[ids] = merge([rules[i] for i in ids], need_bits)
                by_mask[ids] = {}
            picked = merged[ids]
            if picked:
                alias = _Alias(
                    alias.name,
                    alias.cls,
                    alias.place,
                    alias.actors,
                    alias.exact,
                    picked,
                    by_mask[ids],
                )
            self._auto.add_word(key, (len(key), len(self._aliases)))
            self._aliases.append(alias)
        self._auto.make_automaton()
        self.size = len(self._aliases)

    @classmethod
    def load(
        cls,
        extra_places: Iterable[PlaceAlias] = (),
        extra_aliases: Iterable[ActorAlias] = (),
    ) -> Tagger:
        """Build from the shipped data files plus operator extras (extras win on a clash)."""
        provinces, places, actors, rules = load_data()
        state_of = {e.country: slug for slug, e in actors.actor.items() if e.country}
        table: dict[str, _Alias] = {}
        clashes: list[str] = []

        def add(name: str, alias: _Alias, override: bool = False) -> None:
            for key in _keys(name):
                old = table.get(key)
                if old is not None and not override:
                    if (old.place, old.actors) != (alias.place, alias.actors):
                        clashes.append(f"{name!r} ({old.name!r})")
                    continue
                table[key] = alias

        def place_alias(name: str, cls_: str, code: str) -> _Alias:
            implied = (state_of[code],) if code in state_of else ()
            return _Alias(name, cls_, code, implied, None)

        for shadow in rules.shadow:
            for name in shadow.names:
                add(name, _Alias(name, "shadow", None, (), None))
        for code, entry in provinces.province.items():
            for name in entry.names:
                add(name, place_alias(name, "province", code))
        for code, kind, spellings in places.places():
            cls_ = "foreign" if code in COUNTRIES else ("capital" if kind == "capital" else "place")
            for name in spellings:
                add(name, place_alias(name, cls_, code))
        for slug, actor in actors.actor.items():
            implied = _implied(slug, actor.implies)
            for cls_, names in (
                ("group", actor.names),
                ("leader", actor.leaders),
                ("state-capital", actor.capitals),
                ("adjective", actor.adjectives),
                ("office", actor.offices),
            ):
                cls_ = "state" if cls_ == "group" and actor.country else cls_
                for name in names:
                    add(name, _Alias(name, cls_, None, implied, None))
            for name in actor.exact_case:
                add(name, _Alias(name, "group", None, implied, name))
        if clashes:
            raise ValueError(f"names given two meanings: {', '.join(clashes)}")
        for extra in extra_places:
            add(extra.name, place_alias(extra.name, "place", extra.code), override=True)
        for alias in extra_aliases:
            implied = _implied(alias.actor, actors.actor[alias.actor].implies)
            add(alias.name, _Alias(alias.name, "group", None, implied, None), override=True)
        return cls(table, rules.rule, state_of)

    def tag(self, title: str, summary: str = "") -> TagResult:
        """Tag `title + "\\n" + summary`. Never raises: on a bug, logs and returns no tags."""
        try:
            return self._tag(f"{title}\n{summary or ''}")
        except Exception:  # a tagger bug must not stop a collection run
            log.exception("tagger failed on %r", str(title)[:80])
            return _EMPTY

    def _tag(self, text: str) -> TagResult:
        nz = normalize(text)
        norm = nz.text
        hay = norm.replace("-", " ").replace("'", " ")
        size = len(hay)
        aliases = self._aliases
        found: list[tuple[int, int, _Alias]] = []
        for last, (length, index) in self._auto.iter(hay):
            start = last - length + 1
            if start > 0 and (hay[start - 1].isalnum() or hay[start - 1] in _MARKS):
                continue
            if last + 1 < size and (hay[last + 1].isalnum() or hay[last + 1] in _MARKS):
                continue
            alias = aliases[index]
            if alias.exact is not None:
                s, e = nz.span(start, last + 1)
                if text[s:e] != alias.exact:
                    continue
            found.append((start, last + 1, alias))
        if not found:
            return _EMPTY
        if len(found) > 1:
            found = _longest(found)
        offsets = nz.offsets
        text_mask = -1  # computed when the first name with rules is judged
        rows: list[tuple[int, TagKind, str, int, str]] = []
        places: set[str] = set()
        actors_seen: set[str] = set()
        # (end, place, alias) of the last name dropped by a rule with `qualifiers`
        dropped: tuple[int, str, _Alias] | None = None
        for start, end, alias in found:
            if alias.cls == "shadow":
                continue
            if offsets is None:
                s, e = start, end
            else:
                s, e = offsets[start], offsets[end - 1] + 1
            snippet = text[s:e]
            place, actors = alias.place, alias.actors
            applicable: tuple[CompiledRule, ...] = ()
            if alias.rules:
                if text_mask < 0:
                    text_mask = self._mask(norm)
                mask = (text_mask | UPPER) if snippet.isupper() else text_mask
                applicable = _applicable(alias, mask)
            qualified = False
            for rule in applicable:
                if not rule.fires(norm, start, end) or rule.vetoed(norm, start):
                    continue
                action = rule.action
                if action == "drop":
                    place, actors, qualified = None, rule.actors, rule.qualifiers
                    break
                if action == "drop_place":
                    place = None
                elif action == "recode":
                    place, actors = self._recode(place, actors, rule.code)
                elif action == "add_place":
                    place = next(
                        (self._country_of[a] for a in actors if a in self._country_of), None
                    )
                if rule.actors:
                    actors = (*actors, *(a for a in rule.actors if a not in actors))
            if (
                place is not None
                and dropped is not None
                and dropped[1] == place
                and dropped[2].name != alias.name
                and _QUALIFIES.fullmatch(norm, dropped[0], start)
            ):
                # "the airport in Kabul", "the Afghan capital, Kabul" after an airport or a
                # capital dropped as a time anchor: a name that only qualifies it goes with it.
                place, actors, qualified = None, (), True
            if qualified and alias.place is not None:
                dropped = (end, alias.place, alias)
            if place is not None:
                places.add(place)
                rows.append((s, "province", place, e, snippet))
            for actor in actors:
                actors_seen.add(actor)
                rows.append((s, "actor", actor, e, snippet))
        if not rows:
            return _EMPTY
        rows.sort()
        return TagResult(
            provinces=tuple(sorted(places)),
            actors=tuple(sorted(actors_seen)),
            evidence=tuple(Tag(k, c, s, e, t) for s, k, c, e, t in rows),
        )

    def _mask(self, norm: str) -> int:
        """The `needs` bits this text satisfies: rules needing other words are not tried."""
        mask = 0
        if self._needles.kind == ahocorasick.AHOCORASICK:
            for _, bits in self._needles.iter(norm):
                mask |= bits
        return mask

    def _recode(
        self, place: str | None, actors: tuple[str, ...], code: str | None
    ) -> tuple[str | None, tuple[str, ...]]:
        """Move a match to another place; a state implied by the old place follows it."""
        old_state = self._state_of.get(place or "")
        actors = tuple(a for a in actors if a != old_state)
        if code in self._state_of:
            actors = (*actors, self._state_of[code])
        return code, actors


def _applicable(alias: _Alias, mask: int) -> tuple[CompiledRule, ...]:
    """The alias's rules that may fire under `mask`, in order (cached per mask)."""
    cached = alias.by_mask.get(mask)
    if cached is None:
        cached = tuple(r for r in alias.rules if r.required & mask == r.required)
        alias.by_mask[mask] = cached
    return cached


def _implied(slug: str, extra: Iterable[str]) -> tuple[str, ...]:
    out = [slug]
    for other in extra:
        if other not in out:
            out.append(other)
    return tuple(out)


def _applies(rule: Rule, names: set[str], key: str, alias: _Alias) -> bool:
    if alias.cls == "shadow":
        return False
    if rule.classes and alias.cls not in rule.classes:
        return False
    if names and key not in names:
        return False
    return not rule.codes or alias.place in rule.codes or bool(set(rule.codes) & set(alias.actors))


def _longest(found: list[tuple[int, int, _Alias]]) -> list[tuple[int, int, _Alias]]:
    """Keep non-overlapping matches, longest first (then leftmost), in text order."""
    found.sort(key=lambda m: (m[0] - m[1], m[0]))
    kept: list[tuple[int, int, _Alias]] = []
    for m in found:
        start, end = m[0], m[1]
        for k in kept:
            if start < k[1] and end > k[0]:
                break
        else:
            kept.append(m)
    kept.sort(key=lambda m: m[0])
    return kept


_cache: dict[tuple, Tagger] = {}
_lock = threading.Lock()


def get_tagger(config: Config | None = None) -> Tagger:
    """A shared Tagger for `config`'s extra places and aliases (built once per distinct set)."""
    places = tuple(config.tagger.places) if config else ()
    aliases = tuple(config.tagger.aliases) if config else ()
    key = (
        tuple((p.name, p.code) for p in places),
        tuple((a.name, a.actor) for a in aliases),
    )
    with _lock:
        tagger = _cache.get(key)
        if tagger is None:
            tagger = _cache[key] = Tagger.load(extra_places=places, extra_aliases=aliases)
        return tagger
