"""Raw bytes -> cleaned entries. Pure: no I/O, no clock (the caller passes `now`).

feedparser gets the raw bytes (and the Content-Type header) so it can sniff the encoding the
way the spec says. What it returns is still untrusted: every string goes through
`core.sanitize.clean` after HTML is turned into text here; links are resolved against the
URL that actually answered and only http(s) survives.

A body that is not a feed is an error that says what it was (empty, HTML, plain text); an HTML
page that advertises a feed via <link rel="alternate"> names that URL. A feed with entries
but small errors ("bozo") is accepted and the warning kept for feed health.
"""

from __future__ import annotations

import calendar
import codecs
import contextlib
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import feedparser

from core.sanitize import clean, safe_url
from feeds import dates as _dates  # noqa: F401 - importing it teaches feedparser more dates
from store.models import Entry

TITLE_MAX = 500
SUMMARY_MAX = 5000
KEY_MAX = 512
# Shape limits, applied to the bytes before feedparser sees them. feedparser's costs grow with
# the square of some counts (categories in one entry, attributes on one tag) and its loose
# parser needs memory per open element: a 3 MB document nested a million deep costs 670 MB
# and half a minute. No real feed comes near these numbers.
MAX_ENTRIES = 20_000
MAX_ELEMENTS = 1_000
"""Start tags per entry (and before the first entry)."""
MAX_ATTRIBUTES = 32
"""Attributes on one start tag."""
_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
)


class NotAFeed(Exception):
    """The body is not RSS/Atom: the message says what it looks like instead."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    entries: list[Entry]
    title: str = ""
    ttl: float | None = None
    """RSS <ttl> in seconds."""
    warning: str | None = None
    """feedparser's complaint about a feed it could still read."""
    duplicates: int = 0
    """Entries dropped because their key repeated within this document."""


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


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


# -- not-a-feed diagnosis -----------------------------------------------------------------


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


# -- bounding the document ------------------------------------------------------------------

_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)(?=[\s>/])")
_ENTRY_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>")
_TOKEN = re.compile(rb"<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z)|<[A-Za-z_][^<>]*", re.S)


def _last_end(body: bytes, start: int, end: int) -> int | None:
    """Where the last entry end tag (`</item>`, `</entry>`) in body[start:end] begins."""
    at = end
    while True:
        at = body.rfind(b"</", start, at)
        if at < 0:
            return None
        if _ENTRY_END.match(body, at, end):
            return at


def _trim_segment(body: bytes, start: int, end: int) -> tuple[int, str] | None:
    """Where to cut body[start:end] so it keeps at most MAX_ELEMENTS start tags of at most
    MAX_ATTRIBUTES attributes each (CDATA and comments are text, not tags); None if it fits."""
    if body.count(b"<", start, end) <= MAX_ELEMENTS and body.count(b"=", start, end) <= (
        MAX_ATTRIBUTES
    ):
        return None
    elements = 0
    for token in _TOKEN.finditer(body, start, end):
        text = token.group()
        if text[1:2] in (b"!", b""):
            continue
        elements += 1
        if elements > MAX_ELEMENTS:
            return token.start(), f"more than {MAX_ELEMENTS:,} elements"
        if text.count(b'="') + text.count(b"='") > MAX_ATTRIBUTES:
            return token.start(), f"a tag with more than {MAX_ATTRIBUTES} attributes"
    return None


def bound_document(body: bytes) -> tuple[bytes, list[str]]:
    """Cut what would cost feedparser unbounded time or memory: entries past MAX_ENTRIES, and
    inside an entry every element past the limits (the entry keeps what came before)."""
    starts: list[int] = []
    for match in _ENTRY_START.finditer(body):
        starts.append(match.start())
        if len(starts) > MAX_ENTRIES:
            break
    notes: list[str] = []
    stop = len(body)
    tail = b""
    if len(starts) > MAX_ENTRIES:
        stop = starts.pop()
        last = _ENTRY_END.search(body, _last_end(body, stop, len(body)) or len(body))
        tail = body[last.end() :] if last is not None else b""
        notes.append(f"more than {MAX_ENTRIES:,} entries: only the first {MAX_ENTRIES:,} read")
    bounds = [0, *starts, stop]
    parts: list[bytes] = []
    trimmed = 0
    reason = ""
    for start, end in zip(bounds, bounds[1:], strict=False):
        cut = _trim_segment(body, start, end)
        if cut is None:
            parts.append(body[start:end])
            continue
        trimmed += 1
        at, reason = cut
        parts.append(body[start:at])
        close = _last_end(body, at, end) if start else None
        if close is not None:  # an entry keeps its end tag (and what follows) so the rest parses
            parts.append(body[close:end])
    if trimmed:
        notes.append(f"{trimmed:,} entries cut short ({reason})")
    if not notes:
        return body, notes
    parts.append(tail)
    return b"".join(parts), notes


# -- encodings ------------------------------------------------------------------------------

_XML_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])""")
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([^\s;\"']+)", re.I)
_UTF8 = ("utf-8", "utf8")


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", "replace"), error.end


codecs.register_error("afmon-cp1252", _cp1252_fallback)


def repair_encoding(body: bytes, content_type: str | None) -> tuple[bytes, str | None, str | None]:
    """Undo the two encoding lies feeds tell most: UTF-8 bytes declared as a single-byte
    charset (feedparser believes the label and shows mojibake), and UTF-8 documents with a
    few Latin-1 bytes pasted in (feedparser then reads the *whole* document as windows-1252).
    Returns (body, content_type, note); unchanged when the bytes and the labels agree."""
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in body[:4]:
        return body, content_type, None  # UTF-16/32: leave it to feedparser
    match = _XML_ENCODING.match(body[:512])
    declared = match.group(2).decode("ascii").lower() if match else None
    header = _CHARSET.search(content_type or "")
    labelled = header.group(1).lower() if header else declared
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        if labelled not in (None, *_UTF8):
            return body, content_type, None  # honestly labelled legacy charset
        fixed = body.decode("utf-8", "afmon-cp1252").encode("utf-8")
        note = "invalid UTF-8 bytes read as windows-1252"
    else:
        wide = labelled is not None and labelled.startswith(("utf-16", "utf-32", "ucs"))
        if labelled in (None, *_UTF8) or (body.isascii() and not wide):
            return body, content_type, None
        fixed = body
        note = f"declared {labelled} but is UTF-8: read as UTF-8"
    if match:
        fixed = _XML_ENCODING.sub(rb"\1utf-8\3", fixed, count=1)
    if content_type:
        content_type = _CHARSET.sub("; charset=utf-8", content_type) if header else content_type
    return fixed, content_type, note


# -- entries --------------------------------------------------------------------------------


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
    ident = entry.get("id") or entry.get("guid")
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
    value = entry.get("summary")
    if not value:
        for content in entry.get("content") or ():
            if content.get("value"):
                value = content["value"]
                break
    return html_to_text(value, SUMMARY_MAX)


def _entry(entry: Any, base: str, language: str | None, now: datetime) -> Entry:
    title = html_to_text(entry.get("title"), TITLE_MAX)
    summary = _summary(entry)
    href = entry.get("link")
    if entry.get("guidislink") and href == entry.get("id"):
        # feedparser copies a permalink guid into a missing <link>; only an absolute URL
        # guid is a real link ("item-42" resolved against the feed URL would be a bogus one).
        link = safe_url(href)
    elif isinstance(href, str) and href.strip():
        link = safe_url(urljoin(base, href.strip()))
    else:
        link = None
    published, raw = _date(entry, now)
    author = clean(entry.get("author"), max_len=200) or None
    lang = entry.get("language") or language
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


def parse(
    body: bytes,
    url: str,
    now: datetime,
    *,
    content_type: str | None = None,
    language: str | None = None,
) -> ParsedFeed:
    """Parse a feed document. Raise NotAFeed when the body is not one."""
    if not body.strip():
        raise NotAFeed("empty body: not a feed")
    original = body
    body, content_type, encoding_note = repair_encoding(body, content_type)
    body, notes = bound_document(body)
    if encoding_note:
        notes.insert(0, encoding_note)
    # No content-location: feedparser would resolve guids against it, and an item's key must
    # not change when its feed moves (301). We resolve the one link we keep ourselves.
    headers: dict[str, str] = {}
    if content_type:
        headers["content-type"] = content_type
    # sanitize_html off: we turn HTML into text ourselves, and feedparser's sanitiser is the
    # slowest part of a parse.
    doc = feedparser.parse(
        body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    entries_raw = doc.get("entries") or []
    if not doc.get("version") and not entries_raw:
        raise NotAFeed(diagnose(original, url, content_type))
    if doc.get("bozo"):
        exc = doc.get("bozo_exception")
        notes.append(f"{type(exc).__name__}: {exc}" if exc else "malformed feed")
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
