"""Entry mapping: a feedparser result -> `ParsedFeed` of clean `Entry` values. Pure: no I/O,
no clock (the caller passes `now`).

What feedparser returns is still untrusted: every string goes through `core.sanitize.clean`
after HTML is turned into text here; links are resolved against the URL that actually
answered and only http(s) survives. Keys are stable across feed moves: the guid, else the
link, else a hash of title and raw date.
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from core.records import Entry
from core.sanitize import clean, safe_url
from feeds.parse import ParsedFeed

TITLE_MAX = 500
SUMMARY_MAX = 5000
KEY_MAX = 512


# -- HTML to text -----------------------------------------------------------------------

_BLOCK_WORDS = (
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5"
    " h6 header hr li main nav ol p pre section table td th tr ul"
)
_BLOCK = frozenset(_BLOCK_WORDS.split())
_SKIP = frozenset(("script", "style", "template", "noscript", "head", "title"))


class _TextExtractor(HTMLParser):
    """Collects text nodes; block elements become spaces; script/style contents vanish."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(self._skip - 1, 0)
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


_TAGLIKE = re.compile(r"<[a-zA-Z/!?]|&[#a-zA-Z0-9]+;")


def html_to_text(value: str | None, max_len: int) -> str:
    """Plain one-line text from an HTML fragment (entities decoded, whitespace collapsed)."""
    if not value:
        return ""
    # Bound the work before parsing: a 50 MB summary is someone's mistake or an attack.
    value = value[: max_len * 8 + 1024]
    if _TAGLIKE.search(value):
        parser = _TextExtractor()
        try:
            parser.feed(value)
            parser.close()
            value = "".join(parser.parts)
        except Exception:  # noqa: BLE001 - html.parser is lenient; never let a title kill a feed
            value = re.sub(r"<[^>]*>", " ", value)
    return clean(value, max_len=max_len)


# -- entries --------------------------------------------------------------------------------

# dict.get, not FeedParserDict.get: these keys have no alias, and feedparser's get goes
# through its alias table and special cases (~2 us a call, ten calls an entry).
_get = dict.get


def _date(entry: Any, now: datetime) -> tuple[datetime | None, str | None]:
    """(usable date, raw text). Future dates are clamped to `now`; unparseable -> None."""
    raw = None
    for name in ("published", "updated", "created"):
        # dict.get: FeedParserDict.get maps "published" to "updated" with a DeprecationWarning.
        raw = dict.get(entry, name) or raw
        parsed = dict.get(entry, f"{name}_parsed")
        if parsed:
            try:
                when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, ValueError, OSError):
                continue
            return min(when, now), dict.get(entry, name)
    return None, raw


def _key(entry: Any, link: str | None, title: str, raw_date: str | None) -> str:
    ident = _get(entry, "id")  # feedparser files <guid> under "id"
    if isinstance(ident, str) and ident.strip():
        key = ident.strip()
    elif link:
        key = link
    else:
        digest = hashlib.sha256(f"{title}\x00{raw_date or ''}".encode()).hexdigest()
        return f"sha256:{digest}"
    if len(key) > KEY_MAX:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def _summary(entry: Any) -> str:
    value = _get(entry, "summary")
    if not value:
        for content in _get(entry, "content") or ():
            if _get(content, "value"):
                value = content["value"]
                break
    return html_to_text(value, SUMMARY_MAX)


def _entry(entry: Any, base: str, language: str | None, now: datetime) -> Entry:
    title = html_to_text(_get(entry, "title"), TITLE_MAX)
    summary = _summary(entry)
    href = _get(entry, "link")
    if _get(entry, "guidislink") and href == _get(entry, "id"):
        # feedparser copies a permalink guid into a missing <link>; only an absolute URL
        # guid is a real link ("item-42" resolved against the feed URL would be a bogus one).
        link = safe_url(href)
    elif isinstance(href, str) and href.strip():
        link = safe_url(urljoin(base, href.strip()))
    else:
        link = None
    published, raw = _date(entry, now)
    author = clean(_get(entry, "author"), max_len=200) or None
    lang = _get(entry, "language") or language
    key = _key(entry, link, title, raw)
    content = "\x00".join((title, summary, link or "", author or "", raw or ""))
    return Entry(
        key=key,
        title=title or "(untitled)",
        summary=summary,
        link=link,
        author=author,
        language=clean(lang, max_len=16) or None,
        published=published,
        published_raw=clean(raw, max_len=100) or None,
        content_hash=hashlib.sha256(content.encode()).hexdigest()[:32],
    )


def _ttl(feed: Any) -> float | None:
    value = str(feed.get("ttl") or "").strip()
    if value.isdigit():
        return min(int(value) * 60.0, 24 * 3600.0)
    return None


def map_document(
    doc: Any, url: str, language: str | None, now: datetime, notes: list[str]
) -> ParsedFeed:
    """The feed's entries (duplicates within the document dropped), title, TTL and warning."""
    entries_raw = doc.get("entries") or []
    if doc.get("bozo"):
        exc = doc.get("bozo_exception")
        notes = [*notes, f"{type(exc).__name__}: {exc}" if exc else "malformed feed"]
    warning = clean("; ".join(notes), max_len=300) or None
    feed = doc.get("feed") or {}
    lang = language or (feed.get("language") or None)
    entries: list[Entry] = []
    seen: set[str] = set()
    duplicates = 0
    for raw in entries_raw:
        entry = _entry(raw, url, lang, now)
        if entry.key in seen:
            duplicates += 1
            continue
        seen.add(entry.key)
        entries.append(entry)
    return ParsedFeed(
        entries=entries,
        title=clean(feed.get("title"), max_len=200),
        ttl=_ttl(feed),
        warning=warning,
        duplicates=duplicates,
    )


# -- not-a-feed diagnosis -----------------------------------------------------------------


_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
)


class _AlternateFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        kind = a.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in _FEED_TYPES and a.get("href"):
            self.links.append((kind, a["href"]))


def diagnose(body: bytes, url: str, content_type: str | None) -> str:
    """Say what a body that feedparser could not read as a feed looks like."""
    head = body[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return "empty body: not a feed"
    text = head.decode("utf-8", "replace")
    lowered = text[:4096].lower()
    looks_html = (
        "<html" in lowered
        or "<!doctype html" in lowered
        or "<head" in lowered
        or (content_type or "").lower().startswith("text/html")
    )
    if looks_html:
        finder = _AlternateFinder()
        with contextlib.suppress(Exception):  # best-effort diagnosis
            finder.feed(text)
        for _kind, href in finder.links:
            target = safe_url(urljoin(url, href.strip()))
            if target:
                return f"HTML page, not a feed; it advertises a feed at {target}: use that URL"
        return "HTML page, not a feed (no feed link found in it)"
    if lowered.startswith("<"):
        return "XML but not RSS or Atom: not a feed"
    if lowered[:1] in ("{", "["):
        return "JSON, not an RSS or Atom feed"
    return "plain text, not a feed"
