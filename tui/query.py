"""The filter bar's query language, through afmon.query when it is there.

`afmon.query` (parse_query / format_query / QueryError) is the real implementation; until it
lands this module falls back to a small parser of the same language so the items screen works:
``province:helmand actor:isk outlet:tolo front:kabul group:ttp since:24h is:unread is:flagged
"suicide attack"``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from afmon.config import Config
from afmon.durations import parse_duration
from afmon.vocab import ACTORS, COUNTRIES, PROVINCES
from store.models import ItemFilter


class FilterError(ValueError):
    """A query the filter bar cannot use; the message is shown under the bar."""


def parse(text: str, config: Config, now: datetime) -> ItemFilter:
    """Parse filter-bar `text` into an ItemFilter; raise FilterError."""
    try:
        from afmon.query import QueryError, parse_query
    except ImportError:
        return _fallback_parse(text, config, now)
    try:
        return parse_query(text, config)
    except QueryError as exc:
        raise FilterError(str(exc)) from None


def describe(flt: ItemFilter) -> str:
    """The query-language text for a filter (shown in the filter bar)."""
    try:
        from afmon.query import format_query
    except ImportError:
        return _fallback_format(flt)
    return format_query(flt)


_TOKEN = re.compile(r'(\w+):"([^"]*)"|"[^"]*"|\S+')


def _lookup(value: str, table: dict[str, str]) -> str | None:
    folded = value.casefold().replace("_", " ").replace("-", " ")
    for code, name in table.items():
        candidates = {code.casefold(), code.casefold().removeprefix("af-")}
        candidates.add(name.casefold().replace("-", " "))
        if folded in candidates or folded == code.casefold().replace("-", " "):
            return code
    return None


def _fallback_parse(text: str, config: Config, now: datetime) -> ItemFilter:
    flt = ItemFilter()
    words: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if match.group(1):
            key, value = match.group(1).casefold(), match.group(2)
        elif ":" in token and not token.startswith('"'):
            key, _, value = token.partition(":")
            key = key.casefold()
        else:
            words.append(token)
            continue
        if not value:
            raise FilterError(f"{key}: needs a value")
        if key == "province":
            code = _lookup(value, {**PROVINCES, **COUNTRIES})
            if code is None:
                raise FilterError(f"unknown province {value!r}")
            flt = replace(flt, provinces=(*flt.provinces, code))
        elif key == "actor":
            slug = _lookup(value, ACTORS) or (
                value.casefold() if value.casefold() in ACTORS else None
            )
            if slug is None:
                raise FilterError(f"unknown actor {value!r}")
            flt = replace(flt, actors=(*flt.actors, slug))
        elif key == "front":
            front = config.front(value.replace("_", " "))
            if front is None:
                raise FilterError(f"unknown front {value!r}")
            flt = replace(flt, provinces=(*flt.provinces, *front.provinces))
        elif key == "group":
            group = config.threat_group(value.replace("_", " "))
            if group is None:
                raise FilterError(f"unknown threat group {value!r}")
            flt = replace(flt, actors=(*flt.actors, *group.actors))
        elif key == "outlet":
            flt = replace(flt, outlets=(*flt.outlets, value))
        elif key == "feed":
            flt = replace(flt, feeds=(*flt.feeds, value))
        elif key == "since":
            try:
                flt = replace(flt, since=now - parse_duration(value))
            except ValueError as exc:
                raise FilterError(f"since: {exc}") from None
        elif key == "is" and value.casefold() in ("unread", "read", "flagged"):
            if value.casefold() == "flagged":
                flt = replace(flt, flagged=True)
            else:
                flt = replace(flt, unread=value.casefold() == "unread")
        else:
            raise FilterError(f"unknown filter {key}:{value}")
    if words:
        flt = replace(flt, text=" ".join(words))
    return flt


def _quote(value: str) -> str:
    return f'"{value}"' if " " in value else value


def _fallback_format(flt: ItemFilter) -> str:
    parts = [f"province:{_quote(PROVINCES.get(c) or c)}" for c in flt.provinces]
    parts += [f"actor:{a}" for a in flt.actors]
    parts += [f"outlet:{_quote(o)}" for o in flt.outlets]
    parts += [f"feed:{_quote(f)}" for f in flt.feeds]
    if flt.unread is not None:
        parts.append("is:unread" if flt.unread else "is:read")
    if flt.flagged:
        parts.append("is:flagged")
    if flt.text:
        parts.append(flt.text)
    return " ".join(parts)
