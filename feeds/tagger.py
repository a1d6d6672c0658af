"""Tag news text with Afghan provinces (and neighbouring countries) and actors, with evidence.

What a tag means is defined in TAGGING.md; the names and context rules live in feeds/data/.
One pass: normalise once (feeds.textnorm, keeping an offset map), find every alias with one
Aho-Corasick automaton, keep whole words only, let the longest match win, then let the context
rules (datelines, "Kabul says", "north of Kabul", Farah the person...) veto or recode what is
left. Evidence offsets point into the caller's `title + "\\n" + summary`.

    tagger = Tagger.load(extra_places=config.tagger.places, extra_aliases=config.tagger.aliases)
    result = tagger.tag(title, summary)
    tagger = get_tagger(config)   # cached per (places, aliases)

A Tagger is immutable once built, so one instance is shared by every thread.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from afmon.config import ActorAlias, Config, PlaceAlias
from afmon.vocab import ACTOR_IMPLIES, COUNTRIES
from feeds.tagger_data import Rule, load_data
from feeds.textnorm import fold, normalize
from store.models import Tag, TagResult

log = logging.getLogger(__name__)

__all__ = ["Tagger", "get_tagger"]

# Hyphens and apostrophes separate words for matching ("Mazar-i-Sharif", "Taliban's"), but rules
# still see them in the normalised text.
_HAY = str.maketrans({"-": " ", "'": " "})
_SPACES = re.compile(r"\s+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_EMPTY = TagResult()


def _key(name: str) -> str:
    return _SPACES.sub(" ", fold(name).translate(_HAY)).strip()


def _keys(name: str) -> set[str]:
    """The automaton keys one written name stands for (spacing variants included)."""
    key = _key(name)
    keys = {key}
    if "-" in name:
        keys.add(_key(name.replace("-", "")))
    if _ARABIC.search(key) and " " in key:
        keys.add(key.replace(" ", ""))  # Dari writes پل خمری and پلخمری
    return {k for k in keys if k}


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    rule: Rule
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None

    def fires(self, norm: str, start: int, end: int, original: str) -> bool:
        r = self.rule
        if r.upper and not original.isupper():
            return False
        before = after = None
        if self.before is not None:
            before = self.before.search(norm, max(0, start - r.window), start) is not None
        if self.after is not None and (before is not False or r.any):
            after = self.after.match(norm, end, end + r.window) is not None
        if r.any:
            hit = bool(before) or bool(after)
        else:
            hit = before is not False and after is not False
        return hit != r.negate


@dataclass(frozen=True, slots=True)
class _Alias:
    name: str  # as written in the data
    cls: str
    place: str | None
    actors: tuple[str, ...]
    exact: str | None  # case-sensitive form, or None
    rules: tuple[_CompiledRule, ...] = ()


def _script(pattern: str) -> str:
    """Fold Arabic-script letters in a rule regex the way text is folded (ASCII untouched)."""
    return "".join(fold(c) if ord(c) > 127 else c for c in pattern)


class Tagger:
    """A compiled gazetteer and alias automaton. Build with `Tagger.load`."""

    def __init__(self, aliases: dict[str, _Alias], rules: list[Rule], state_of: dict[str, str]):
        self._state_of = state_of  # country code -> state slug
        self._country_of = {slug: code for code, slug in state_of.items()}
        compiled = [
            _CompiledRule(
                r,
                re.compile(_script(r.before)) if r.before else None,
                re.compile(_script(r.after).removeprefix("^")) if r.after else None,
            )
            for r in rules
        ]
        self._aliases: list[_Alias] = []
        self._auto = ahocorasick.Automaton()
        for key, alias in aliases.items():
            picked = tuple(c for c in compiled if _applies(c.rule, key, alias))
            if picked:
                alias = _Alias(
                    alias.name, alias.cls, alias.place, alias.actors, alias.exact, picked
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
        for code, kind, names in places.places():
            cls_ = "foreign" if code in COUNTRIES else ("capital" if kind == "capital" else "place")
            for name in names:
                add(name, place_alias(name, cls_, code))
        for slug, entry in actors.actor.items():
            implied = _implied(slug, entry.implies)
            for cls_, names in (
                ("group", entry.names),
                ("leader", entry.leaders),
                ("state-capital", entry.capitals),
                ("adjective", entry.adjectives),
            ):
                cls_ = "state" if cls_ == "group" and entry.country else cls_
                for name in names:
                    add(name, _Alias(name, cls_, None, implied, None))
            for name in entry.exact_case:
                add(name, _Alias(name, "group", None, implied, name))
        if clashes:
            raise ValueError(f"names given two meanings: {', '.join(clashes)}")
        for extra in extra_places:
            add(extra.name, place_alias(extra.name, "place", extra.code), override=True)
        for extra in extra_aliases:
            implied = _implied(extra.actor, actors.actor[extra.actor].implies)
            add(extra.name, _Alias(extra.name, "group", None, implied, None), override=True)
        return cls(table, rules.rule, state_of)

    def tag(self, title: str, summary: str = "") -> TagResult:
        """Tag `title + "\\n" + summary`. Never raises: on a bug, logs and returns no tags."""
        try:
            return self._tag(f"{title}\n{summary or ''}")
        except Exception:  # a tagger bug must not stop a collection run
            log.exception("tagger failed on %r", title[:80] if isinstance(title, str) else title)
            return _EMPTY

    def _tag(self, text: str) -> TagResult:
        nz = normalize(text)
        norm = nz.text
        hay = norm.translate(_HAY)
        size = len(hay)
        aliases = self._aliases
        found: list[tuple[int, int, _Alias]] = []
        for last, (length, index) in self._auto.iter(hay):
            start = last - length + 1
            if start > 0 and hay[start - 1].isalnum():
                continue
            if last + 1 < size and hay[last + 1].isalnum():
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
        evidence: dict[tuple[str, str, int, int], Tag] = {}
        for start, end, alias in found:
            if alias.cls == "shadow":
                continue
            s, e = nz.span(start, end)
            place, actors = alias.place, alias.actors
            for rule in alias.rules:
                if not rule.fires(norm, start, end, text[s:e]):
                    continue
                action = rule.rule.action
                if action == "drop":
                    place, actors = None, ()
                    break
                if action == "drop_place":
                    place = None
                elif action == "recode":
                    old_state = self._state_of.get(place or "")
                    place = rule.rule.code
                    actors = tuple(a for a in actors if a != old_state)
                    if place in self._state_of:
                        actors = (*actors, self._state_of[place])
                elif action == "add_place":
                    place = next(
                        (self._country_of[a] for a in actors if a in self._country_of), None
                    )
            snippet = text[s:e]
            if place is not None:
                evidence[("province", place, s, e)] = Tag("province", place, s, e, snippet)
            for actor in actors:
                evidence[("actor", actor, s, e)] = Tag("actor", actor, s, e, snippet)
        if not evidence:
            return _EMPTY
        tags = tuple(sorted(evidence.values(), key=lambda t: (t.start, t.kind, t.code)))
        return TagResult(
            provinces=tuple(sorted({t.code for t in tags if t.kind == "province"})),
            actors=tuple(sorted({t.code for t in tags if t.kind == "actor"})),
            evidence=tags,
        )


def _implied(slug: str, extra: Iterable[str]) -> tuple[str, ...]:
    out = [slug]
    for other in (*ACTOR_IMPLIES.get(slug, ()), *extra):
        if other not in out:
            out.append(other)
    return tuple(out)


def _applies(rule: Rule, key: str, alias: _Alias) -> bool:
    if alias.cls == "shadow":
        return False
    if rule.classes and alias.cls not in rule.classes:
        return False
    if rule.names and key not in {_key(n) for n in rule.names}:
        return False
    return not rule.codes or alias.place in rule.codes or bool(set(rule.codes) & set(alias.actors))


def _longest(found: list[tuple[int, int, _Alias]]) -> list[tuple[int, int, _Alias]]:
    """Keep non-overlapping matches, longest first (then leftmost), in text order."""
    found.sort(key=lambda m: (m[0] - m[1], m[0]))
    kept: list[tuple[int, int, _Alias]] = []
    for m in found:
        if all(m[1] <= k[0] or m[0] >= k[1] for k in kept):
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
