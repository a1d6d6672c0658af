"""Parse one feed document: raw bytes -> `ParsedFeed`. Pure: no I/O, no clock.

    parse(body, url, now, content_type=..., language=...) -> ParsedFeed   (raises NotAFeed)

Three steps, three modules: feeds/bound.py makes the bytes safe for feedparser (encodings
repaired, every element's text and the document's shape bounded), feedparser reads them
(given the Content-Type header so it can sniff the encoding the way the spec says), and
feeds/entries.py maps its result to clean `Entry` values.

A body that is not a feed is an error that says what it was (empty, HTML, plain text); an HTML
page that advertises a feed via <link rel="alternate"> names that URL. A feed with entries
but small errors ("bozo") is accepted and the warning kept for feed health.

This module is light on purpose: the collector imports it for `ParsedFeed`, `NotAFeed` and
`body_hash` in a process that may only send conditional GETs; feedparser and the mapping
are imported by `parse` itself, in the parse workers (feeds/workers.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.records import Entry


class NotAFeed(Exception):
    """The body is not RSS/Atom: the message says what it looks like instead."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    entries: list[Entry]
    title: str = ""
    ttl: float | None = None
    """RSS <ttl> in seconds."""
    warning: str | None = None
    """feedparser's complaint about a feed it could still read, and what was cut."""
    duplicates: int = 0
    """Entries dropped because their key repeated within this document."""


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf", b":rdf")


def not_a_feed(body: bytes, url: str, content_type: str | None) -> str | None:
    """Why `body` cannot be a feed, told from its first bytes without parsing it (empty, not
    markup, an HTML page), in the words `parse` would use; None when only a parse can tell.
    The collector asks this first, so such bodies never start a parse worker."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return "empty body: not a feed"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        return None  # UTF-16/32: the parse decodes it
    lowered = head.lower()
    html = lowered.startswith((b"<!doctype html", b"<html"))
    # Some feeds carry junk before the document (a PHP warning ...): feedparser still reads
    # them, so text in front of a feed's root element is no verdict.
    junk = head[:1] != b"<" and not any(root in lowered for root in _FEED_ROOTS)
    if html or junk:
        from feeds.entries import diagnose

        return diagnose(body, url, content_type)
    return None


def parse(
    body: bytes,
    url: str,
    now: datetime,
    *,
    content_type: str | None = None,
    language: str | None = None,
) -> ParsedFeed:
    """Parse a feed document. Raise NotAFeed when the body is not one."""
    import feedparser

    from feeds import dates as _dates  # noqa: F401 - importing it teaches feedparser more dates
    from feeds.bound import prepare
    from feeds.entries import diagnose, map_document

    if not body.strip():
        raise NotAFeed("empty body: not a feed")
    prepared = prepare(body, content_type)
    # No content-location: feedparser would resolve guids against it, and an item's key must
    # not change when its feed moves (301). We resolve the one link we keep ourselves.
    headers: dict[str, str] = {}
    if prepared.content_type:
        headers["content-type"] = prepared.content_type
    # sanitize_html off: we turn HTML into text ourselves, and feedparser's sanitiser is the
    # slowest part of a parse.
    doc = feedparser.parse(
        prepared.body,
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not doc.get("version") and not doc.get("entries"):
        raise NotAFeed(diagnose(body, url, content_type))
    return map_document(doc, url, language, now, prepared.notes)
