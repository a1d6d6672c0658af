"""Event type, casualty figures and claim attribution, read from an item's title and summary.

The rules are data (analysis/data/events.toml) so an analyst can add a Dari or Pashto word
without touching code. Reading is pure and cheap (a few compiled regexes per item), so the
clusterer runs it on every new item and stores the result beside the item's story.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from analysis.text import NUMBER_WORDS
from core.textnorm import fold

_ARABIC = re.compile("[\u0600-\u06ff]")

# Number words (analysis.text), plus tens; "dozens" is deliberately not a figure.
_NUMBER_WORDS: dict[str, int] = {word: int(value) for word, value in NUMBER_WORDS.items()}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "a dozen": 12, "نه": 9})
_FILLERS = {
    "were",
    "was",
    "have",
    "has",
    "been",
    "had",
    "are",
    "is",
    "reportedly",
    "also",
    "and",
    "at",
    "least",
    "other",
    "others",
    "another",
    "being",
    "left",
    "shot",
    "people",
    "شدند",
    "شده",
    "اند",
    "دیگر",
    "شول",
    "شوي",
    "دی",
    "حداقل",
    "کم",
    "لږ",
    "تر",
    "ټول",
}
_TOKEN = re.compile(r"\d+|[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class EventInfo:
    """What the text says happened. Every field is None when the text does not say."""

    event_type: str | None = None
    killed: int | None = None
    wounded: int | None = None
    claimed_by: str | None = None

    @property
    def casualties(self) -> int | None:
        if self.killed is None and self.wounded is None:
            return None
        return (self.killed or 0) + (self.wounded or 0)


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    label: str
    latin: re.Pattern[str] | None
    arabic: tuple[str, ...]


def _compile(name: str, label: str, patterns: list[str]) -> _Rule:
    latin = [p for p in patterns if not _ARABIC.search(p)]
    arabic = tuple(fold(p) for p in patterns if _ARABIC.search(p))
    regex = re.compile(r"(?<![\w-])(?:" + "|".join(latin) + r")(?![\w])") if latin else None
    return _Rule(name, label, regex, arabic)


def _matches(rule: _Rule, text: str) -> bool:
    if rule.latin is not None and rule.latin.search(text):
        return True
    return any(p in text for p in rule.arabic)


@dataclass(frozen=True)
class _Rules:
    events: tuple[_Rule, ...]
    claims: tuple[_Rule, ...]
    killed: re.Pattern[str]
    wounded: re.Pattern[str]
    nouns: re.Pattern[str]
    related: frozenset[frozenset[str]]


def _word_set(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(fold(p) for p in patterns) + ")$")


@cache
def rules() -> _Rules:
    """The rules file, parsed and compiled once."""
    data = tomllib.loads(
        resources.files("analysis").joinpath("data/events.toml").read_text(encoding="utf-8")
    )
    return _Rules(
        events=tuple(_compile(e["type"], e["label"], e["patterns"]) for e in data["event"]),
        claims=tuple(_compile(c["who"], c["label"], c["patterns"]) for c in data["claim"]),
        killed=_word_set(data["casualties"]["killed"]),
        wounded=_word_set(data["casualties"]["wounded"]),
        nouns=_word_set(data["casualties"]["nouns"]),
        related=frozenset(frozenset(pair) for pair in data.get("related", [])),
    )


def related(a: str, b: str) -> bool:
    """Whether two event types may describe one event (an early "explosion" and a later
    "suicide attack")."""
    return a == b or frozenset((a, b)) in rules().related


def event_types() -> dict[str, str]:
    """type -> label, in priority order (for help texts and filters)."""
    return {r.name: r.label for r in rules().events}


def claim_labels() -> dict[str, str]:
    return {r.name: r.label for r in rules().claims}


def _number(token: str) -> int | None:
    if token.isdigit():
        value = int(token)
        # Years and the like are not casualty figures.
        return value if value < 1000 else None
    return _NUMBER_WORDS.get(token)


def casualties(text: str) -> tuple[int | None, int | None]:
    """(killed, wounded) stated in folded `text`: the largest figure of each kind.

    A figure counts when a casualty word follows it across only nouns and fillers ("five
    civilians were killed", "۵ تن کشته") or directly precedes it ("killing at least 5").
    The largest, not the sum, because the title and the summary repeat the same figure.
    """
    r = rules()
    tokens = _TOKEN.findall(text)
    found: dict[str, int] = {}

    def kind(word: str) -> str | None:
        if r.killed.match(word):
            return "killed"
        if r.wounded.match(word):
            return "wounded"
        return None

    for i, token in enumerate(tokens):
        value = _number(token)
        if value is None:
            continue
        hit = None
        for word in tokens[i + 1 : i + 7]:
            hit = kind(word)
            if hit or _number(word) is not None:
                break
            if not (r.nouns.match(word) or word in _FILLERS):
                break
        if hit is None:
            back = [w for w in tokens[max(0, i - 3) : i] if w not in ("at", "least", "حداقل")]
            if back:
                stem = back[-1]
                if stem.startswith(("kill", "wound", "injur")):
                    hit = "killed" if stem.startswith("kill") else "wounded"
                else:
                    hit = kind(stem)
        if hit and _number(token) is not None:
            found[hit] = max(found.get(hit, 0), value)
    return found.get("killed"), found.get("wounded")


def read_event(title: str, summary: str = "") -> EventInfo:
    """Event type, casualties and claimant of one item. Pure; never raises."""
    text = fold(f"{title}\n{summary}")
    r = rules()
    # The title decides the type when it names one: summaries recall earlier events.
    title_text = fold(title)
    event_type = next((e.name for e in r.events if _matches(e, title_text)), None)
    if event_type is None:
        event_type = next((e.name for e in r.events if _matches(e, text)), None)
    claimed_by = next((c.name for c in r.claims if _matches(c, text)), None)
    killed, wounded = casualties(text)
    return EventInfo(event_type, killed, wounded, claimed_by)
