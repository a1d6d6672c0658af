"""What an item's title and summary say happened: event type, target, region, casualty figures,
an explicit claim of responsibility, and whether the report calls the event a new one.

The rules are data (analysis/data/events.toml) so an analyst can add a Dari or Pashto word
without touching code. Reading is pure and cheap (a few compiled regexes per item), so the
clusterer runs it on every new item and stores the result beside the item's story.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import ahocorasick

from analysis.text import NUMBER_WORDS
from core.textnorm import fold, word_marks

_ARABIC = re.compile("[\u0600-\u06ff]")
_PREFIX = 3  # the longest letters Arabic writes onto a word before it ("بال", "وال")

# Matcher index -> where its anchors start in a text (as -start - 1 for an Arabic anchor).
Hits = dict[int, list[int]]

# Number words (analysis.text), plus tens; "dozens" is deliberately not a figure.
_NUMBER_WORDS: dict[str, int] = {word: int(value) for word, value in NUMBER_WORDS.items()}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "a dozen": 12, "نه": 9})
_FILLERS = frozenset(
    """were was have has been had are is reportedly also and at least other others another
    being left shot people more than over nearly almost some about around up to
    شدند شده اند دیگر شول شوي دی حداقل کم لږ تر ټول""".split()  # noqa: SIM905
)
# "At least" between a casualty word and its figure: "killing at least 5", Romanian "moartea a
# cel putin 25", Spanish "al menos", French "au moins".
_AT_LEAST = frozenset("at least حداقل a cel putin al menos au moins almeno pelo ao".split())  # noqa: SIM905
# A word of an Indic script keeps its vowel signs and viramas (not word characters to `re`):
# "मौत" (death) is one word, not "म" and "त".
_INDIC_MARKS = word_marks(0x0900, 0x0E00)
_LETTER = rf"(?:[^\W\d_]|[{_INDIC_MARKS}])"
_TOKEN_INDIC = re.compile(rf"n\d+\b|\d+|{_LETTER}+(?:[-']{_LETTER}+)*", re.UNICODE)
_TOKEN = re.compile(r"n\d+\b|\d+|[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)  # twice as fast
_INDIC = re.compile("[\u0900-\u0dff]")
_THOUSANDS = re.compile(r"\b\d{1,3}(?:[,٬.]\d{3})+\b")
_VERB_LAST = re.compile("[\u0600-\u06ff\u0900-\u0dff]")  # Arabic script, Indic scripts
# Nouns those scripts put before their figure: Arabic "مقتل 5 أشخاص" (the killing of five),
# "مصرع 3" (the death of three), "وإصابة 12" (and the wounding of twelve), Dari "قتل 10
# نفر". Folded as the text is; Arabic's "و" (and) may be written onto them.
_NOUN_FIRST = {
    fold(w): kind
    for words, kind in ((("مقتل", "مصرع", "قتل"), "killed"), (("إصابة", "اصابة"), "wounded"))
    for w in words
}


def _noun_first(word: str) -> str | None:
    return _NOUN_FIRST.get(word) or (_NOUN_FIRST.get(word[1:]) if word[:1] == "و" else None)


@dataclass(frozen=True, slots=True)
class EventInfo:
    """What the text says happened. Every field is None (or empty) when the text does not say."""

    event_type: str | None = None
    killed: int | None = None
    wounded: int | None = None
    claimed_by: str | None = None  # an actor slug, only from an explicit claim
    targets: frozenset[str] = frozenset()
    title_targets: frozenset[str] = frozenset()  # ... those the headline names
    regions: frozenset[str] = frozenset()  # provinces a named region ("western Afghanistan") spans
    areas: tuple[frozenset[str], ...] = ()  # ... each named region's provinces on their own
    novel: bool = False  # "another earthquake": the report says it is a new event
    followup: bool = False  # "toll rises", "claimed", "last week": it follows an earlier report
    title_followup: bool = False  # ... and the headline says so (a summary may recall the past)
    title_typed: bool = False  # the headline names the type (a summary's is weaker evidence)
    # Every type the headline names ("drone strike targeting suicide bombers": airstrike and
    # suicide_attack): the first decides the type, any of them may be what another report calls it.
    title_types: frozenset[str] = frozenset()
    # Days of the year the text dates something to ("on February 13", "13 February"), as
    # (month, day): a later report that dates its event is anchored to the first reports.
    dated: tuple[tuple[int, int], ...] = ()
    # Days of the week it dates something to ("on Monday", "Friday's attack"), Monday 0.
    weekdays: tuple[int, ...] = ()

    @property
    def casualties(self) -> int | None:
        return casualty_total(self.killed, self.wounded)


def casualty_total(killed: int | None, wounded: int | None) -> int | None:
    """Killed plus wounded; None when the text states neither."""
    if killed is None and wounded is None:
        return None
    return (killed or 0) + (wounded or 0)


@dataclass(frozen=True, slots=True)
class Matcher:
    """Latin and Cyrillic patterns are regular expressions on word boundaries. Arabic-script
    patterns are plain words that must start a word and may take any ending (Dari and Pashto
    attach suffixes: "سیلاب" matches "سیلاب‌ها"), so "سیول" never matches inside "مسئولیت";
    one may name the endings that make it another word ("فرمان(?!ده)")."""

    regex: re.Pattern[str] | None
    # Literal pieces one of which every match starts with ("suicide", "air"): the regex is
    # tried only where one starts (None when some pattern has no such piece).
    anchors: tuple[str, ...] | None = None
    index: int = -1  # in `Rules.matchers`, for the shared anchor automaton

    @classmethod
    def of(cls, patterns: list[str], index: int = -1) -> Matcher:
        return cls(compile_patterns(patterns), anchors_of(patterns), index)

    def search(self, text: str, hits: Hits | None = None) -> bool:
        """Whether `text` matches. With `hits` (from `Rules.hits(text)`), the regex is tried
        only where one of this matcher's anchors starts (a pattern's match begins with its
        anchor, or a few letters before it for an Arabic prefix), instead of at every
        position: a long alternation tried at every character is what made reading slow."""
        if self.regex is None:
            return False
        if self.anchors is None:
            return self.regex.search(text) is not None
        if hits is None:
            if not any(a in text for a in self.anchors):
                return False
            return self.regex.search(text) is not None
        starts = hits.get(self.index)
        if not starts:
            return False
        match = self.regex.match
        for start in starts:
            if start < 0:  # an Arabic anchor: "و", "ب", "ال" ... may precede it
                start = -start - 1
                for at in range(max(0, start - _PREFIX), start + 1):
                    if match(text, at) is not None:
                        return True
            elif match(text, start) is not None:
                return True
        return False


_META = frozenset("\\()[]?*+{}|.^$")


def anchors_of(patterns: list[str]) -> tuple[str, ...] | None:
    """The literal starts of all `patterns` (see `_anchors`); None when one has none."""
    found = [_anchors(p) for p in patterns]
    return None if any(a is None for a in found) else tuple(x for a in found if a for x in a)


def _anchors(pattern: str) -> tuple[str, ...] | None:
    """The literal starts of a pattern ("air ?strikes?" -> "air"; "(?:tanker|truck) fire" ->
    "tanker", "truck"; "(?:full )?capture of" -> "full ", "capture"; "(?:us|u\\.s\\.) strikes"
    -> "us", "u.s."), one of which every match begins with; None when it has none. A pattern
    without anchors is searched for at every position of every text, the dearest way."""
    if _ARABIC.search(pattern):
        return (fold(_arabic(pattern)[0]),)
    if pattern.startswith("(?:"):
        close = pattern.find(")")
        if close < 0 or pattern[close + 1 : close + 2] in ("*", "{"):
            return None
        options = [_literal(o) for o in pattern[3:close].split("|")]
        if any(not o for o in options):
            return None
        found = tuple(o for o in options if o)
        if pattern[close + 1 : close + 2] == "?":
            # An optional group: a match starts with it, or else with what follows it.
            rest = _anchors(pattern[close + 2 :])
            return None if rest is None else found + rest
        return found
    out: list[str] = []
    for ch in pattern:
        if ch in _META:
            if ch in "?*{" and out:
                out.pop()  # the character before was optional
            break
        out.append(ch)
    anchor = "".join(out)
    return (anchor,) if len(anchor.strip()) >= 2 else None


def _literal(text: str) -> str | None:
    """`text` as the literal it matches ("u\\.s\\." -> "u.s."), None when it has a
    metacharacter other than an escaped punctuation mark."""
    out: list[str] = []
    escaped = False
    for ch in text:
        if escaped:
            if ch.isalnum():
                return None  # a class ("\\w", "\\d"), not a character
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in _META:
            return None
        else:
            out.append(ch)
    return None if escaped else "".join(out)


# An Arabic-script word may end in the endings that make it another word: "فرمان(?!ده|دار)"
# is a decree, not a commander (فرمانده) or a governor (فرماندار).
_ARABIC_TAIL = re.compile(r"\(\?![^()]*\)$")


def _arabic(pattern: str) -> tuple[str, str]:
    """An Arabic-script pattern as its word and its excluded endings (a lookahead, or "")."""
    tail = _ARABIC_TAIL.search(pattern)
    return (pattern[: tail.start()], tail.group()) if tail else (pattern, "")


def compile_patterns(patterns: list[str]) -> re.Pattern[str] | None:
    """One regex for a list of rule patterns (see `Matcher`)."""
    latin = [p for p in patterns if not _ARABIC.search(p)]
    # A short word ("بس", bus) must be the whole word, with at most a plural ending.
    # Arabic writes "and", "with", "the" onto a word ("بهجوم", "والمسجد"); a longer word may
    # carry one of those.
    arabic = [
        re.escape(fold(word)) + "(?:ها|های)?(?![\u0600-\u06ff])"
        if len(fold(word)) <= 3
        else "(?:ال|و|ب|بال|وال|لل)?" + re.escape(fold(word)) + fold(tail)
        for word, tail in map(_arabic, patterns)
        if _ARABIC.search(word)
    ]
    parts = []
    if latin:
        parts.append(r"(?<![\w-])(?:" + "|".join(latin) + r")(?![\w])")
    if arabic:
        parts.append("(?<![\u0600-\u06ff])(?:" + "|".join(arabic) + ")")
    return re.compile("|".join(parts)) if parts else None


@dataclass(frozen=True, slots=True)
class EventRule:
    name: str
    label: str
    window_hours: float
    same: float  # what two reports sharing this type say about being one event
    frame: bool  # a kind of news ("ban"), not an incident: shared, it says little
    matcher: Matcher
    # Its events go on for days (floods): later reports of one need no "follow-up" words.
    lasting: bool = False
    # One event of it spans provinces (an earthquake): the region a report names holds them.
    wide: bool = False
    # Its events are who meets whom (a visit, talks): reports of one name the same parties.
    meeting: bool = False


@dataclass(frozen=True)
class Rules:
    events: tuple[EventRule, ...]
    killed: re.Pattern[str]
    wounded: re.Pattern[str]
    nouns: re.Pattern[str]
    related: frozenset[frozenset[str]]
    novelty: Matcher
    novelty_hours: float
    followup: Matcher
    followup_hours: float
    targets: tuple[tuple[str, Matcher], ...]
    regions: tuple[tuple[frozenset[str], Matcher], ...]
    generic: frozenset[str]
    borders: dict[str, frozenset[str]]
    data: dict
    automaton: Any = None  # every matcher's anchors, one pass over a text finds them all

    def hits(self, text: str) -> Hits:
        """Where in `text` each matcher's anchors start (one pass over the text for all)."""
        out: Hits = {}
        for end, (length, arabic, indexes) in self.automaton.iter(text):
            start = end - length + 1
            at = -start - 1 if arabic else start
            for index in indexes:
                found = out.get(index)
                if found is None:
                    out[index] = [at]
                else:
                    found.append(at)
        return out


def _word_set(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(fold(p) for p in patterns) + ")$")


@cache
def rules() -> Rules:
    """The rules file, parsed and compiled once."""
    data = tomllib.loads(
        resources.files("analysis").joinpath("data/events.toml").read_text(encoding="utf-8")
    )
    regions = data["regions"]
    matchers: list[Matcher] = []

    def matcher(patterns: list[str]) -> Matcher:
        matchers.append(Matcher.of(patterns, len(matchers)))
        return matchers[-1]

    found = Rules(
        events=tuple(
            EventRule(
                e["type"],
                e["label"],
                float(e["window_hours"]),
                float(e.get("same", 8)),
                bool(e.get("frame", False)),
                matcher(e["patterns"]),
                bool(e.get("lasting", False)),
                bool(e.get("wide", False)),
                bool(e.get("meeting", False)),
            )
            for e in data["event"]
        ),
        killed=_word_set(data["casualties"]["killed"]),
        wounded=_word_set(data["casualties"]["wounded"]),
        nouns=_word_set(data["casualties"]["nouns"]),
        related=frozenset(frozenset(pair) for pair in data.get("related", [])),
        novelty=matcher(data["novelty"]["patterns"]),
        novelty_hours=float(data["novelty"]["hours"]),
        followup=matcher(data["followup"]["patterns"]),
        followup_hours=float(data["followup"]["hours"]),
        targets=tuple((name, matcher(p)) for name, p in data["targets"].items()),
        regions=tuple(
            (frozenset(regions[name]), matcher(p)) for name, p in data["region_patterns"].items()
        ),
        generic=frozenset(fold(data["words"]["generic"]).split()),
        borders={code: frozenset(p) for code, p in data["borders"].items()},
        data=data,
    )
    by_anchor: dict[str, set[int]] = {}
    for m in matchers:
        for anchor in m.anchors or ():
            by_anchor.setdefault(anchor, set()).add(m.index)
    automaton = ahocorasick.Automaton()
    for anchor, indexes in by_anchor.items():
        arabic = _ARABIC.search(anchor) is not None
        automaton.add_word(anchor, (len(anchor), arabic, tuple(sorted(indexes))))
    automaton.make_automaton()
    return replace(found, automaton=automaton)


@cache  # asked for every type of every candidate story of every report
def related(a: str, b: str) -> bool:
    """Whether two event types may describe one event (an early "explosion" and a later
    "suicide attack")."""
    return a == b or frozenset((a, b)) in rules().related


@cache
def related_types(event_type: str) -> frozenset[str]:
    """`event_type` and every type `related` to it."""
    return frozenset(
        [event_type, *(t for pair in rules().related if event_type in pair for t in pair)]
    )


@cache
def target_kin(target: str) -> frozenset[str]:
    """`target` and the targets reports of one event name for it (events.toml
    `related_targets`: a funeral held at a mosque)."""
    pairs = rules().data.get("related_targets", [])
    return frozenset([target, *(t for pair in pairs if target in pair for t in pair)])


@cache
def _rule(event_type: str | None) -> EventRule | None:
    """The rule of `event_type` (types are unique in events.toml)."""
    return next((r for r in rules().events if r.name == event_type), None)


@cache
def window_hours(event_type: str | None) -> float:
    """How long after an event's first report later reports of it still arrive."""
    rule = _rule(event_type)
    return rule.window_hours if rule else 48.0


@cache
def same_type_weight(event_type: str) -> float:
    """Evidence from two reports sharing `event_type`: rare events say more."""
    rule = _rule(event_type)
    return rule.same if rule else 8.0


@cache
def is_frame(event_type: str | None) -> bool:
    """Whether `event_type` names a kind of news rather than an incident (a ban, a decree)."""
    rule = _rule(event_type)
    return bool(rule and rule.frame)


@cache
def is_lasting(event_type: str | None) -> bool:
    """Whether events of `event_type` go on for days (a flood, an earthquake's aftermath)."""
    rule = _rule(event_type)
    return bool(rule and rule.lasting)


@cache
def is_meeting(event_type: str | None) -> bool:
    """Whether events of `event_type` are told by who meets whom (a visit, talks): two of
    them in one capital on one day are told apart by their parties."""
    rule = _rule(event_type)
    return bool(rule and rule.meeting)


@cache
def is_wide(event_type: str | None) -> bool:
    """Whether one event of `event_type` spans provinces (an earthquake)."""
    rule = _rule(event_type)
    return bool(rule and rule.wide)


@cache
def event_order() -> tuple[str, ...]:
    """The types in priority order."""
    return tuple(r.name for r in rules().events)


def event_types() -> dict[str, str]:
    """type -> label, in priority order (for help texts and filters)."""
    return {r.name: r.label for r in rules().events}


def _number(token: str) -> int | None:
    if token.isdigit():
        value = int(token)
        # Years are not casualty figures ("in 2024"); "2,025" written with a separator is.
        return None if 1900 <= value <= 2100 or value > 1_000_000 else value
    if token.startswith("n") and token[1:].isdigit():
        return int(token[1:])
    return _NUMBER_WORDS.get(token)


# The tokens `_number` reads, as one regex: a text without any has no figure.
_FIGURE = re.compile(
    r"\d|(?<!\w)(?:" + "|".join(map(re.escape, sorted(_NUMBER_WORDS, key=len)[::-1])) + r")(?!\w)"
)
_figure = lru_cache(maxsize=1 << 14)(_number)  # the same words recur in every text


def casualties(text: str) -> tuple[int | None, int | None]:
    """(killed, wounded) stated in folded `text`: the largest figure of each kind.

    A figure counts when a casualty word follows it across only nouns and fillers ("five
    civilians were killed", "۵ تن کشته") or directly precedes it ("killing at least 5").
    The largest, not the sum, because the title and the summary repeat the same figure.
    """
    r = rules()
    if not _FIGURE.search(text):
        return None, None  # no digit and no number word: the common case, checked in C
    # "2,025" -> "n2025": a figure written with a thousands separator is never a year.
    text = _THOUSANDS.sub(lambda m: "n" + re.sub(r"\D", "", m.group()), text)
    tokens = (_TOKEN_INDIC if _INDIC.search(text) else _TOKEN).findall(text)
    values = list(map(_figure, tokens))
    found: dict[str, int] = {}
    taken: set[int] = set()  # casualty words a figure before has read as its own
    for i, value in enumerate(values):
        if value is None:
            continue
        # The word before the figure (past "at least") is its own ("killed 5 soldiers, wounded
        # 3", "killing at least 5"), unless an earlier figure took it ("5 killed, 10 wounded")
        # or the script puts the verb after its figure: Hindi, Urdu, Dari and Pashto ("5 की
        # मौत, 10 घायल"), where the word before is the previous clause's.
        hit = None
        b = i - 1
        while b >= max(0, i - 4) and tokens[b] in _AT_LEAST:
            b -= 1
        if b >= max(0, i - 4) and b not in taken:
            noun = _noun_first(tokens[b])
            if noun or not _VERB_LAST.match(tokens[b]):
                hit = noun or _casualty_word(tokens[b], r)
        if hit is None:
            for j in range(i + 1, min(i + 7, len(tokens))):
                word = tokens[j]
                hit = _casualty_kind(word, r)
                if hit:
                    taken.add(j)
                if hit or values[j] is not None:
                    break
                if not (r.nouns.match(word) or word in _FILLERS):
                    break
        if hit is None and any(w in ("toll", "تلفات") for w in tokens[max(0, i - 5) : i]):
            hit = "killed"  # "the death toll has risen to 2,025"
        if hit:
            found[hit] = max(found.get(hit, 0), value)
    return found.get("killed"), found.get("wounded")


def _casualty_kind(word: str, r: Rules) -> str | None:
    """ "killed" or "wounded" for a casualty word of the event rules, else None."""
    if r.killed.match(word):
        return "killed"
    return "wounded" if r.wounded.match(word) else None


def _casualty_word(word: str, r: Rules) -> str | None:
    """What a casualty word before a figure says it counts (any "kill..." or "injur..." too:
    "killing at least 5")."""
    if word.startswith(("kill", "wound", "injur")):
        return "killed" if word.startswith("kill") else "wounded"
    return _casualty_kind(word, r)


def _event_type(
    title: str, text: str, title_hits: Hits, hits: Hits
) -> tuple[str | None, bool, frozenset[str]]:
    """The type, whether the headline names it, and every type the headline names."""
    events = rules().events
    # The title decides the type when it names one: summaries recall earlier events.
    named = [
        e.name
        for e in events
        if (e.matcher.anchors is None or e.matcher.index in title_hits)
        and e.matcher.search(title, title_hits)
    ]
    if named:
        # "Attack" (and "kill") is what any violent headline says: a second type only when
        # it is the first ("floods kill 2" is a flood, not also an attack).
        return named[0], True, frozenset(t for t in named if t == named[0] or t != "attack")
    for e in events:
        m = e.matcher
        if (m.anchors is None or m.index in hits) and m.search(text, hits):
            return e.name, False, frozenset()
    return None, False, frozenset()


_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_DATE = re.compile(rf"\b(?:{_MONTH}\.? (\d{{1,2}})|(\d{{1,2}}) {_MONTH})\b")
_DIGIT = re.compile(r"\d")


def dates(text: str) -> tuple[tuple[int, int], ...]:
    """(month, day) of the dates folded `text` names ("on March 2", "2 March"), at most three."""
    if _DIGIT.search(text) is None:  # most texts: one C scan, not a Python loop per letter
        return ()
    out: list[tuple[int, int]] = []
    for m in _DATE.finditer(text):
        month = _MONTHS[m.group(1) or m.group(4)]
        day = int(m.group(2) or m.group(3))
        if 1 <= day <= 31 and (month, day) not in out:
            out.append((month, day))
            if len(out) == 3:
                break
    return tuple(out)


_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(
    rf"\b(?:(?:on|last|since|late|early|until) ({'|'.join(_DAYS)})\b|({'|'.join(_DAYS)})'s\b)"
)


def weekdays(text: str) -> tuple[int, ...]:
    """The days of the week folded `text` dates something to ("on Monday", "last Friday",
    "Sunday's blast"), Monday 0. A report names the day of the event it tells."""
    if "day" not in text:  # every weekday's name ends in it: most texts stop here
        return ()
    out: list[int] = []
    for m in _WEEKDAY.finditer(text):
        day = _DAYS.index(m.group(1) or m.group(2))
        if day not in out:
            out.append(day)
    return tuple(out)


def read_event(title: str, summary: str = "") -> EventInfo:
    """Event type, casualties, claimant, targets and region of one item. Pure; never raises."""
    from analysis.claims import claimant

    r = rules()
    title_text = fold(title)
    text = fold(f"{title}\n{summary}")
    killed, wounded = casualties(text)
    hits = r.hits(text)
    regions: frozenset[str] = frozenset()
    areas: list[frozenset[str]] = []
    for provinces, matcher in r.regions:
        if (matcher.anchors is None or matcher.index in hits) and matcher.search(text, hits):
            regions |= provinces
            areas.append(provinces)
    title_hits = r.hits(title_text)
    event_type, title_typed, title_types = _event_type(title_text, text, title_hits, hits)
    claimed_by = claimant(text)
    targets = frozenset(
        name
        for name, m in r.targets
        if (m.anchors is None or m.index in hits) and m.search(text, hits)
    )
    if claimed_by and not title_typed and claimant(title_text):
        # "X claims responsibility for killing the governor": a claim is of an attack.
        event_type, title_typed = event_type or "attack", True
        title_types = title_types | {event_type}
    elif claimed_by and event_type is None:
        event_type = "attack"
    return EventInfo(
        event_type=event_type,
        killed=killed,
        wounded=wounded,
        claimed_by=claimed_by,
        targets=targets,
        title_targets=frozenset(
            name for name, m in r.targets if name in targets and m.search(title_text, title_hits)
        ),
        regions=regions,
        areas=tuple(areas),
        novel=r.novelty.search(text, hits),
        followup=r.followup.search(text, hits),
        title_followup=r.followup.search(title_text, title_hits),
        title_typed=title_typed,
        title_types=title_types,
        dated=dates(text),
        weekdays=weekdays(text),
    )
