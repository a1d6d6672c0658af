"""Who claimed an attack, only from an explicit claim of responsibility.

A report names many parties: the group that carried out an attack, the spokesman who
confirmed it, the residents who saw it, the hospital that counted the dead. Only the first is
a claim, and only when the text says so: "ISKP claimed responsibility", "the NRF said its
fighters attacked", "claimed by Daesh", "داعش مسئولیت آن را به عهده گرفت". A sentence such as
"Independent verification is not possible" names no claimant at all.

The claimant is the party named closest before the claim phrase in the same sentence (so in
"Taliban deny NRF claims of an ambush" it is the NRF), or right after "claimed by". A claim
that the sentence denies or says nobody made ("no group has claimed") is none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import ahocorasick

from analysis.events import anchors_of, compile_patterns, rules
from core.textnorm import fold

_ARABIC = re.compile("[\u0600-\u06ff]")
_SENTENCE = re.compile(r"[.!?؟;؛\n]|\s[-—]\s")
_LOOKBACK = 90  # characters before a claim phrase in which its claimant is named
# Arabic-script claim verbs: "took on" / "accepted" responsibility.
_ARABIC_VERBS = (
    "به عهده گرفت",
    "بر عهده گرفت",
    "به عهده گرفته",
    "بر عهده گرفته",
    "پذیرفت",
    "پذیرفته",
    "ومنله",
    "ومانه",
    "ومنلې",
    "واخیسته",
    "واخیستله",
    "قبول کرد",
    "تبنى",
    "تبنّى",
    "اعلن مسؤوليته",
)


@dataclass(frozen=True)
class _Claims:
    # (actor, its names' regex, literal pieces every match contains: None when some name has
    # none). A text without any of the pieces is not searched: most name none of the actors.
    # (actor, regex of its names that have literal anchors, the anchors, regex of the rest):
    # the first runs only on a text that holds an anchor, the second (a name at the start of
    # a headline, "^is") on every text.
    names: tuple[
        tuple[str, re.Pattern[str] | None, tuple[str, ...] | None, re.Pattern[str] | None], ...
    ]
    verbs: re.Pattern[str]
    by: re.Pattern[str]
    negations: re.Pattern[str]
    negations_arabic: tuple[str, ...]
    arabic: tuple[str, ...]
    arabic_verbs: tuple[str, ...]
    cue: Any  # an Aho-Corasick automaton of the words one of which every claim phrase holds


@cache
def _claims() -> _Claims:
    data = rules().data
    names = tuple(_claimant(e["actor"], e["names"]) for e in data["claimant"])
    c = data["claims"]
    negations = [p for p in c["negations"] if not _ARABIC.search(p)]
    return _Claims(
        names=names,
        verbs=re.compile(r"(?<![\w-])(?:" + "|".join(c["verbs"]) + ")"),
        by=re.compile(r"(?<![\w-])(?:" + "|".join(c["by"]) + ")"),
        negations=re.compile("|".join(negations)),
        negations_arabic=tuple(fold(p) for p in c["negations"] if _ARABIC.search(p)),
        arabic=tuple(fold(p) for p in c["arabic"]),
        arabic_verbs=tuple(fold(v) for v in (*_ARABIC_VERBS, *c.get("arabic_verbs", ()))),
        cue=_automaton(
            (
                *("claim", "responsib", "behind", "said it", "says it", "amaq"),
                *(fold(w) for w in (*c["arabic"], *c.get("cues", ()))),
            )
        ),
    )


def _claimant(
    actor: str, names: list[str]
) -> tuple[str, re.Pattern[str] | None, tuple[str, ...] | None, re.Pattern[str] | None]:
    anchored = [n for n in names if anchors_of([n]) is not None]
    free = [n for n in names if n not in anchored]
    return actor, compile_patterns(anchored), anchors_of(anchored), compile_patterns(free)


def _automaton(words: tuple[str, ...]) -> Any:
    """One pass over a text finds whether it holds any of `words`, however many languages
    they come from (a regex alternation of them costs a try per word at every position)."""
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, actor) of every claimant name in folded `text`."""
    out = []
    for actor, regex, anchors, free in _claims().names:
        if regex is not None and (anchors is None or any(a in text for a in anchors)):
            out += [(m.start(), m.end(), actor) for m in regex.finditer(text)]
        if free is not None:
            out += [(m.start(), m.end(), actor) for m in free.finditer(text)]
    return out


def _sentence_start(text: str, pos: int) -> int:
    start = max(0, pos - _LOOKBACK)
    for m in _SENTENCE.finditer(text, start, pos):
        start = m.end()
    return start


def _sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE.search(text, pos)
    return m.start() if m else len(text)


def claimant(text: str) -> str | None:
    """The actor slug that `text` (folded title and summary) says claimed the event, if any."""
    c = _claims()
    if next(c.cue.iter(text), None) is None:
        return None  # no claim phrase at all: the common case, checked cheaply
    mentions = _mentions(text)
    if not mentions:
        return None
    for m in c.by.finditer(text):
        after = [x for x in mentions if x[0] == m.end()]
        if after and not _denied(text, m.start()):
            return after[0][2]
    for m in c.verbs.finditer(text):
        start = _sentence_start(text, m.start())
        before = [x for x in mentions if start <= x[0] and x[1] <= m.start()]
        if before and not _denied(text, m.start()):
            return max(before, key=lambda x: x[1])[2]
    for word in c.arabic:
        pos = text.find(word)
        while pos >= 0:
            start, end = _sentence_start(text, pos), _sentence_end(text, pos)
            sentence = text[start:end]
            if any(v in sentence for v in c.arabic_verbs) and not any(
                n in sentence for n in c.negations_arabic
            ):
                before = [x for x in mentions if start <= x[0] and x[1] <= pos]
                after = [x for x in mentions if pos < x[0] < end]
                # The subject before "responsibility" ("داعش مسئولیت ... پذیرفت"), else the
                # name after it ("مسئولیت این حمله را داعش ... پذیرفت").
                if before:
                    return max(before, key=lambda x: x[1])[2]
                if after:
                    return min(after, key=lambda x: x[0])[2]
            pos = text.find(word, pos + 1)
    return None


def _denied(text: str, pos: int) -> bool:
    start, end = _sentence_start(text, pos), _sentence_end(text, pos)
    return bool(_claims().negations.search(text, start, end))


def claim_labels() -> dict[str, str]:
    """Claimant slug -> the name analysts know it by (ISKP, NRF, Taliban ...)."""
    from core.vocab import actor_name, actor_short_names

    short = actor_short_names()
    return {
        entry["actor"]: short.get(entry["actor"], actor_name(entry["actor"]))
        for entry in rules().data["claimant"]
    }
