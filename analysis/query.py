"""The analyst's query language, shared by the TUI filter bar and `afmon items --query`.

    province:helmand actor:isk since:24h "suicide attack"

`parse_query` turns such text into a store `ItemFilter` (fronts and threat groups expanded,
names resolved to codes, relative times made absolute); `format_query` writes a filter back
as text that parses to the same filter. The command line's filter flags
(afmon/commands/filters.py) are written in terms of it.

Keys: province/p, actor/a, front, group, outlet, feed, grade (A-F: outlets of that grade in
config and the default grades, resolved into outlets), since, until, is (unread, read,
flagged, unflagged, escalated, unescalated, corroborated, uncorroborated). Everything else is text: free words (prefix-matched) and "quoted
phrases". Values with spaces are quoted: front:"Panjshir & Andarab".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from core.config import Config
from core.durations import parse_duration
from core.vocab import ACTORS, COUNTRIES, PROVINCES, actor_typed_names, province_spellings
from store.models import ItemFilter


class QueryError(ValueError):
    """A query the store cannot run; `token` is the part of the text at fault."""

    def __init__(self, token: str, reason: str):
        self.token = token
        self.reason = reason
        super().__init__(f"{token}: {reason}")


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _province_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, name in {**PROVINCES, **COUNTRIES}.items():
        index[_norm(code)] = code
        index[_norm(name)] = code
        if code.startswith("AF-"):
            index[_norm(code[3:])] = code
    for code, spellings in province_spellings().items():
        for spelling in spellings:
            if spelling.isascii():
                index.setdefault(_norm(spelling), code)
    return index


def _actor_index() -> dict[str, str]:
    index = dict(actor_typed_names())
    for slug, name in ACTORS.items():
        index[_norm(slug)] = slug
        index[_norm(name)] = slug
    return index


_PROVINCE_INDEX = _province_index()
_ACTOR_INDEX = _actor_index()


def _spelled(value: str) -> str:
    """`value` as the query language writes it (quoted when it holds spaces)."""
    return f'"{value}"' if re.search(r"\s", value) else value


def unknown(value: str, what: str, choices: dict[str, str], *, listed: int = 25) -> QueryError:
    """The error for a value that is none of `choices` ({what one may type: how to write it
    in a query}): the closest valid values ("did you mean isk?"), else all of them when there
    are few, else one example."""
    typed = value.casefold()
    keys = {key.casefold(): shown for key, shown in choices.items()}
    close = difflib.get_close_matches(typed, list(keys), n=3, cutoff=0.6)
    shown = list(dict.fromkeys(keys[c] for c in close))
    if not shown:
        # Closest by the folded form too ("Helmnd" against "helmand").
        folded = {_norm(k): v for k, v in keys.items()}
        shown = [folded[c] for c in difflib.get_close_matches(_norm(value), list(folded), 3, 0.6)]
        shown = list(dict.fromkeys(shown))
    if shown:
        return QueryError(value, f"unknown {what} (did you mean {' or '.join(shown)}?)")
    every = list(dict.fromkeys(choices.values()))
    if len(every) <= listed:
        return QueryError(value, f"unknown {what} (use {', '.join(every)})")
    return QueryError(value, f"unknown {what} (e.g. {', '.join(every[:3])} ...)")


def _province_choices() -> dict[str, str]:
    out: dict[str, str] = {}
    for code, name in {**PROVINCES, **COUNTRIES}.items():
        shown = _spelled(name.lower())
        out[name] = shown
        out[code] = shown
        out[code.removeprefix("AF-")] = shown
    return out


def _actor_choices() -> dict[str, str]:
    out = {name: slug for name, slug in actor_typed_names().items()}
    for slug, name in ACTORS.items():
        out[name] = slug
        out[slug] = slug
    return out


def resolve_province(value: str) -> str:
    """A province or neighbour code from a code (AF-HEL, HEL, PK) or a name (helmand)."""
    code = _PROVINCE_INDEX.get(_norm(value))
    if code is None:
        raise unknown(value, "province", _province_choices())
    return code


def resolve_actor(value: str) -> str:
    slug = _ACTOR_INDEX.get(_norm(value))
    if slug is None:
        raise unknown(value, "actor", _actor_choices())
    return slug


def parse_time(value: str, now: datetime, *, end: bool = False) -> datetime:
    """`24h`/`7d` (that long before `now`), `2026-11-01` (midnight UTC; with `end`, the
    midnight after, so until:DATE includes that day) or an ISO timestamp (UTC if naive)."""
    try:
        return now - parse_duration(value)
    except ValueError:
        pass
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return start + timedelta(days=1) if end else start
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(value, "not a time (use 24h, 7d, 2026-11-01 or an ISO time)") from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


_TOKEN = re.compile(
    r'(?P<key>[A-Za-z]+):(?:"(?P<qvalue>[^"]*)"?|(?P<value>\S*))'
    r'|(?P<phrase>"[^"]*"?)'
    r"|(?P<word>\S+)"
)
_KEYS = {
    "province": "province",
    "p": "province",
    "actor": "actor",
    "a": "actor",
    "front": "front",
    "group": "group",
    "outlet": "outlet",
    "feed": "feed",
    "since": "since",
    "until": "until",
    "is": "is",
    "grade": "grade",
}


def _known(value: str, names: list[str], what: str) -> str:
    """The configured spelling of an outlet or feed name; any name when none are configured."""
    if not names:
        return value
    for name in names:
        if name.casefold() == value.casefold():
            return name
    raise unknown(value, what, {name: _spelled(name) for name in names})


def union(values: tuple[str, ...], *new: str) -> tuple[str, ...]:
    return values + tuple(v for v in new if v not in values)


def parse_query(text: str, config: Config | None = None, now: datetime | None = None) -> ItemFilter:
    """Parse query `text` into an ItemFilter. Raises QueryError naming the bad token."""
    now = now or datetime.now(UTC)
    config = config or Config()
    outlets = sorted({f.outlet_name for f in config.feeds} | {o.name for o in config.outlets})
    feeds = [f.name for f in config.feeds]
    flt = ItemFilter()
    words: list[str] = []
    grade_outlets: set[str] = set()
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if match.group("phrase") is not None:
            phrase = match.group("phrase").strip('"').strip()
            if phrase:
                words.append(f'"{phrase}"')
            continue
        if match.group("word") is not None:
            words.append(token)
            continue
        key = _KEYS.get(match.group("key").lower())
        value = match.group("qvalue") if match.group("qvalue") is not None else match.group("value")
        if key is None:
            keys = {k: f"{v}:" for k, v in sorted(_KEYS.items(), key=lambda kv: kv[1])}
            error = unknown(match.group("key"), "key", keys)
            raise QueryError(token, error.reason)
        value = (value or "").strip()
        if not value:
            raise QueryError(token, "missing value")
        try:
            if key == "grade":
                grade = _grade(value)
                flt = replace(flt, grades=union(flt.grades, grade))
                grade_outlets |= graded_outlets(config, grade)
            else:
                flt = _apply(flt, key, value, config, outlets, feeds, now)
        except QueryError as exc:
            raise QueryError(token, exc.reason) from None
    if flt.grades:
        # Grades OR-ed among themselves, AND-ed with any outlet: named. No outlet of that grade
        # matches nothing (an outlet named "" never exists), never everything.
        chosen = tuple(o for o in flt.outlets if o in grade_outlets) if flt.outlets else None
        if chosen is None:
            chosen = tuple(sorted(grade_outlets))
        flt = replace(flt, outlets=chosen or ("",))
    return replace(flt, text=" ".join(words) or None)


def _grade(value: str) -> str:
    from analysis.grades import GRADES

    grade = value.upper()
    if grade not in GRADES:
        raise unknown(value, "grade", {g: g for g in GRADES})
    return grade


def graded_outlets(config: Config, grade: str) -> set[str]:
    """Every outlet afmon knows (feeds, config [[outlets]], the default grades) of `grade`."""
    from analysis.grades import Grader, default_grades

    grader = Grader(config)
    known = {f.outlet_name for f in config.feeds} | {o.name for o in config.outlets}
    # Outlets only the default grades name count when no feed is configured (e.g. a bare
    # `afmon items` against a database); otherwise `outlet:` would refuse them on re-parse.
    return {o for o in known or set(default_grades()) if grader.grade(o) == grade}


def _apply(
    flt: ItemFilter,
    key: str,
    value: str,
    config: Config,
    outlets: list[str],
    feeds: list[str],
    now: datetime,
) -> ItemFilter:
    if key == "province":
        return replace(flt, provinces=union(flt.provinces, resolve_province(value)))
    if key == "actor":
        return replace(flt, actors=union(flt.actors, resolve_actor(value)))
    if key == "front":
        front = config.front(value)
        if front is None:
            raise unknown(value, "front", {f.name: _spelled(f.name) for f in config.fronts})
        return replace(flt, provinces=union(flt.provinces, *front.provinces))
    if key == "group":
        group = config.threat_group(value)
        if group is None:
            groups = {g.name: _spelled(g.name) for g in config.threat_groups}
            raise unknown(value, "threat group", groups)
        return replace(flt, actors=union(flt.actors, *group.actors))
    if key == "outlet":
        return replace(flt, outlets=union(flt.outlets, _known(value, outlets, "outlet")))
    if key == "feed":
        return replace(flt, feeds=union(flt.feeds, _known(value, feeds, "feed")))
    if key == "since":
        return replace(flt, since=parse_time(value, now))
    if key == "until":
        return replace(flt, until=parse_time(value, now, end=True))
    states: dict[str, Callable[[ItemFilter], ItemFilter]] = {
        "unread": lambda f: replace(f, unread=True),
        "read": lambda f: replace(f, unread=False),
        "flagged": lambda f: replace(f, flagged=True),
        "unflagged": lambda f: replace(f, flagged=False),
        "escalated": lambda f: replace(f, escalated=True),
        "unescalated": lambda f: replace(f, escalated=False),
        "corroborated": lambda f: replace(f, corroborated=True),
        "uncorroborated": lambda f: replace(f, corroborated=False),
    }
    if value.lower() not in states:
        raise unknown(value, "state", {s: s for s in states})
    return states[value.lower()](flt)


def _quote(value: str) -> str:
    value = value.replace('"', "")
    return f'"{value}"' if not value or re.search(r"\s|:", value) else value


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def format_query(flt: ItemFilter) -> str:
    """`flt` as query text; parse_query(format_query(f)) == f (fronts and groups come back as
    the provinces and actors they stand for, times as exact UTC timestamps)."""
    parts = [f"province:{code}" for code in flt.provinces]
    parts += [f"actor:{slug}" for slug in flt.actors]
    # outlet "" is how a grade with no outlets matches nothing; grade: writes it back.
    parts += [f"outlet:{_quote(name)}" for name in flt.outlets if name or not flt.grades]
    parts += [f"feed:{_quote(name)}" for name in flt.feeds]
    if flt.since is not None:
        parts.append(f"since:{_stamp(flt.since)}")
    if flt.until is not None:
        parts.append(f"until:{_stamp(flt.until)}")
    if flt.unread is not None:
        parts.append("is:unread" if flt.unread else "is:read")
    if flt.flagged is not None:
        parts.append("is:flagged" if flt.flagged else "is:unflagged")
    if flt.escalated is not None:
        parts.append("is:escalated" if flt.escalated else "is:unescalated")
    if flt.corroborated is not None:
        parts.append("is:corroborated" if flt.corroborated else "is:uncorroborated")
    parts += [f"grade:{grade}" for grade in flt.grades]
    if flt.text:
        for match in _TOKEN.finditer(flt.text):
            token = match.group(0)
            # A bare word that would read as key:value goes in quotes.
            parts.append(_quote(token) if match.group("key") else token)
    return " ".join(parts)
