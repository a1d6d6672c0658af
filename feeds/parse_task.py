"""The unit of work of a parse worker: a document's bytes -> its entries, tagged, in the
compact form they travel back to the collector in.

    compact = parse_and_tag(body, url, now, content_type=..., language=..., extras=...)  # worker
    parsed = expand(compact)                                                       # collector

Plain tuples cross the socket, not dataclasses: pickle rebuilds a frozen dataclass field by
field through `dataclasses.fields()`, and a 50-entry document with its tag evidence took
~3 ms to send and ~2 ms to receive that way; as tuples ~0.3 ms each, and `expand` builds the
`Entry` values in ~0.5 ms. This module imports no store, no config models and no asyncio, so
a worker starts with feedparser, the tagger and little else.

The operator's `[tagger]` additions travel as plain pairs too (`TaggerExtras`), so unpickling
a task never imports the pydantic config models.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from core.records import Entry, Tag, TagResult

if TYPE_CHECKING:
    from core.config import TaggerConfig
    from feeds.parse import ParsedFeed
    from feeds.tagger import Tagger

TaggerExtras = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]
"""((name, province code) places, (name, actor slug) aliases): `[tagger]` as plain data."""
NO_EXTRAS: TaggerExtras = ((), ())

Compact = tuple[str, float | None, str | None, int, list[tuple[Any, ...]]]
"""(title, ttl, warning, duplicates, rows); a row is an `Entry`'s fields in order with its
tags flattened: (..., content_hash, provinces, actors, ((kind, code, start, end, text), ...),
prepared)."""

Prepare = Callable[[str, str, TagResult], Any]
"""The hooks' per-entry work in the worker: a module-level function (it travels by name)."""

_NO_TAGS = TagResult()


class _Place(NamedTuple):
    name: str
    code: str


class _Alias(NamedTuple):
    name: str
    actor: str


def tagger_extras(config: TaggerConfig | None) -> TaggerExtras:
    """The operator's `[tagger]` section as plain pairs (the collector's side)."""
    if config is None:
        return NO_EXTRAS
    return (
        tuple((p.name, p.code) for p in config.places),
        tuple((a.name, a.actor) for a in config.aliases),
    )


_taggers: dict[TaggerExtras, Tagger] = {}


def tagger_for(extras: TaggerExtras) -> Tagger:
    """The shipped gazetteer plus `extras`, built once per distinct set in this process."""
    tagger = _taggers.get(extras)
    if tagger is None:
        from feeds.tagger import Tagger

        places, aliases = extras
        # Tagger.load reads only `.name` and `.code` / `.actor` of the config's items.
        tagger = _taggers[extras] = Tagger.load(
            extra_places=[_Place(*p) for p in places],  # type: ignore[misc]
            extra_aliases=[_Alias(*a) for a in aliases],  # type: ignore[misc]
        )
    return tagger


def parse_and_tag(
    body: bytes,
    url: str,
    now: datetime,
    *,
    content_type: str | None = None,
    language: str | None = None,
    extras: TaggerExtras = NO_EXTRAS,
    prepare: Prepare | None = None,
) -> Compact:
    """Parse the bytes (raises NotAFeed) and tag every entry; the compact form. With
    `prepare`, each row also carries `prepare(title, summary, tags)` (the hooks' share of the
    work, PassHooks.prepare_entry)."""
    from feeds.parse import parse

    parsed = parse(body, url, now, content_type=content_type, language=language)
    tag = tagger_for(extras).tag
    rows = []
    for e in parsed.entries:
        tags = tag(e.title, e.summary)
        rows.append(
            (
                e.key,
                e.title,
                e.summary,
                e.link,
                e.author,
                e.language,
                e.published,
                e.published_raw,
                e.content_hash,
                tags.provinces,
                tags.actors,
                tuple(tuple(t) for t in tags.evidence),
                prepare(e.title, e.summary, tags) if prepare is not None else None,
            )
        )
    return (parsed.title, parsed.ttl, parsed.warning, parsed.duplicates, rows)


def expand(compact: Compact) -> ParsedFeed:
    """The collector's side: `ParsedFeed` with `Entry` values from the compact form."""
    from feeds.parse import ParsedFeed

    title, ttl, warning, duplicates, rows = compact
    make_tag = Tag._make
    entries = [
        Entry(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            row[8],
            TagResult(row[9], row[10], tuple(map(make_tag, row[11])))
            if row[9] or row[10]
            else _NO_TAGS,
            row[12],
        )
        for row in rows
    ]
    return ParsedFeed(entries=entries, title=title, ttl=ttl, warning=warning, duplicates=duplicates)
