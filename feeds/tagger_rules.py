"""The tagger's context rules (feeds/data/rules.toml) compiled for matching.

A rule judges one name by the normalised text around it: `after` is matched where the name
ends, `before` is searched in the `window` characters before it (starting at a word and
ending at the name). Rules of one name that differ only in one regex run as one (merge_key),
and a rule with `needs` is only tried on texts holding one of its words: the tagger builds a
bit mask per text (and per match for `upper`) and keeps, per name and mask, the rules that
may apply. Both are speed-ups; the results are those of trying every rule in file order.
"""

from __future__ import annotations

import re
from functools import cache

from core.textnorm import fold
from feeds.tagger_data import Rule

UPPER = 1  # mask bit: the match is written in capitals (rules with `upper`)
_LINE_START = {r"(?:^|\n)\s*$": 1, r"\n\s*$": 2}


class CompiledRule:
    """A rule ready to run. Rules of one alias that differ only in their regex merge into one."""

    __slots__ = (
        "action",
        "actors",
        "required",
        "after",
        "any",
        "before",
        "code",
        "line_start",
        "negate",
        "not_before",
        "qualifiers",
        "upper",
        "window",
    )

    def __init__(self, rule: Rule, need_bits: dict[tuple[str, ...], int]):
        before, after = rule.before, rule.after
        # Mask bits that must be set for the rule to be tried (see Tagger._mask).
        self.required = (UPPER if rule.upper else 0) | need_bits.get(needs_key(rule), 0)
        self.action = rule.action
        self.code = rule.code
        self.actors = tuple(rule.actors)
        self.window = rule.window
        self.upper = rule.upper
        self.any = rule.any
        self.negate = rule.negate
        self.line_start = _LINE_START.get(before or "", 0)
        if self.line_start:
            before = None
        # A before-phrase begins at a word: one search over the window, tried (in C) only where
        # a word starts, and anchored at the name by the pattern's `$` (endpos is the name).
        self.before = _before(before) if before else None
        self.not_before = _before(rule.not_before) if rule.not_before else None
        self.qualifiers = rule.qualifiers
        self.after = _after(after) if after else None

    def merge_key(self, rule: Rule) -> tuple | None:
        """Rules with equal keys can run as one: the same settings and the same regex on one
        side, so "B and A1, or B and A2" is "B and (A1 or A2)" (likewise for "or")."""
        if self.negate or self.not_before is not None:
            return None
        flags: tuple = (self.action, self.code, self.actors, self.upper, self.any)
        flags = (*flags, self.required, self.qualifiers)
        if self.after is None:
            return (
                (*flags, "before", None)
                if self.before is not None and not self.line_start
                else None
            )
        return (*flags, "after", rule.before)

    def vetoed(self, norm: str, start: int) -> bool:
        """Does `not_before` match? (Asked only once the rule fires: it rarely does.)"""
        if self.not_before is None:
            return False
        return self.not_before.search(norm, _line_low(norm, start, self.window), start) is not None

    def fires(self, norm: str, start: int, end: int) -> bool:
        """Does the context around norm[start:end] match? (`upper` and `needs` are settled
        before: the rule is only tried where they hold; `not_before` is asked after.)"""
        before = None
        if self.line_start:  # cheapest test first: few names open a line
            i = start - 1
            while i >= 0 and norm[i] == " ":
                i -= 1
            before = norm[i] == "\n" if i >= 0 else self.line_start == 1
            if not before and not self.any:
                return self.negate
        # The after-context is one anchored match, the before-context a search: test it first.
        after = None
        if self.after is not None:
            high = norm.find("\n", end, end + self.window)
            after = (
                self.after.match(norm, end, high if high >= 0 else end + self.window) is not None
            )
            if self.any and after:
                return not self.negate
            if not self.any and not after:
                return self.negate
        if self.before is not None:
            before = (
                self.before.search(norm, _line_low(norm, start, self.window), start) is not None
            )
        if self.any:
            return bool(before) != self.negate
        return (before is not False) != self.negate


def _line_low(norm: str, start: int, window: int) -> int:
    """Where the before-context of a name at `start` begins: `window` characters back, but
    never across a line break. The title and the summary are two lines: "Taliban seize fifth
    capital since Friday" does not make "the Taliban have seized Taloqan" in the summary a
    date ("since ... seized ...")."""
    low = max(0, start - window)
    line = norm.rfind("\n", low, start)
    return low if line < 0 else line + 1


# Compiled once per pattern: the rules of an alias class are compiled for every set of
# aliases that shares them (thousands of rule objects, a few hundred patterns), and `script`
# folds each pattern letter by letter. Every worker process builds its Tagger at start.
@cache
def _before(pattern: str) -> re.Pattern[str]:
    # Searched over the window but only where a word starts (the lookbehind), and anchored
    # at the name by the pattern's own `$` (the search's endpos is the name's start).
    return re.compile(f"(?<![^\\s])(?:{script(pattern)})")


@cache
def _after(pattern: str) -> re.Pattern[str]:
    return re.compile(script(pattern).removeprefix("^"))


def needs_key(rule: Rule) -> tuple[str, ...]:
    return tuple(sorted({fold(n) for n in rule.needs}))


def merge(rules: list[Rule], need_bits: dict[tuple[str, ...], int]) -> tuple[CompiledRule, ...]:
    """Compile an alias's rules, merging those that differ only in one regex (see merge_key):
    one regex match per group instead of one per rule. Plain drops (no actors) run first, as
    they always did; the other groups and the unmerged rules keep the file's order."""
    groups: dict[tuple, list[tuple[int, Rule]]] = {}
    singles: list[tuple[int, CompiledRule]] = []
    for i, rule in enumerate(rules):
        compiled = CompiledRule(rule, need_bits)
        key = compiled.merge_key(rule)
        if key is None:
            singles.append((i, compiled))
        else:
            groups.setdefault(key, []).append((i, rule))
    ordered: list[tuple[tuple[int, int], CompiledRule]] = [((1, i), c) for i, c in singles]
    for key, members in groups.items():
        first, rule = members[0]
        side = key[-2]
        merged = [getattr(r, side).removeprefix("^") for _, r in members]
        base = rule.model_copy(
            update={
                "window": max(r.window for _, r in members),
                side: "|".join(f"(?:{m})" for m in merged) if len(merged) > 1 else merged[0],
            }
        )
        plain = key[0] == "drop" and not key[2]
        ordered.append(((0 if plain else 1, first), CompiledRule(base, need_bits)))
    ordered.sort(key=lambda pair: pair[0])
    return tuple(c for _, c in ordered)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def script(pattern: str) -> str:
    """Fold Arabic-script letters in a rule regex the way text is folded (ASCII untouched)."""
    # Only the non-ASCII runs are folded, each letter alone (as before): regexes are long and
    # mostly ASCII, and every worker process compiles them all when it builds its Tagger.
    return _NON_ASCII.sub(lambda m: "".join(fold(c) for c in m.group()), pattern)
