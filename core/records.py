"""The values one fetched entry travels in: from the parser and tagger (feeds/, in a parse
worker process) through the collector to the store. store.models re-exports them.

They live in the leaf so that a parse worker can build them without importing the store
(sqlite-utils and every query module: ~70 ms and ~8 MB per worker) or the config models.

`Tag` is a NamedTuple, not a dataclass: a 50-item document carries a few hundred of them
from the worker to the collector, and a tuple is built (and unpickled) several times faster
than a frozen dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NamedTuple

TagKind = Literal["province", "actor"]


class Tag(NamedTuple):
    """One piece of evidence: `text` == (title + "\\n" + summary)[start:end].

    kind "province" covers ISO 3166-2:AF codes and the ISO 3166-1 codes of neighbours.
    """

    kind: TagKind
    code: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class TagResult:
    provinces: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    evidence: tuple[Tag, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    """One parsed, cleaned and tagged feed entry, ready to store.

    `key` identifies the entry within its feed (guid/id, else link, else a hash of title and
    date). `published` is None when the feed gave no usable date: the store then uses the
    first-seen time. Title and summary are already plain, sanitised text.
    """

    key: str
    title: str
    summary: str
    link: str | None
    author: str | None
    language: str | None
    published: datetime | None
    published_raw: str | None
    content_hash: str
    tags: TagResult = field(default_factory=TagResult)
    prepared: Any = field(default=None, compare=False)
    """What the collector's hooks had the parse worker work out for this entry beside the
    tagger (`PassHooks.prepare_entry`); opaque here, handed back with the item's id."""
