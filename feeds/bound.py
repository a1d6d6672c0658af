"""Bytes in, a safe bounded document out: what runs before feedparser ever sees a body.

Pure (no I/O). `prepare(body, content_type)` returns the document feedparser may read, the
content type to tell it, and notes for the feed's health row. Three kinds of repair:

- Encodings: UTF-16/32 bodies become UTF-8 (every later step reads bytes as ASCII-compatible);
  UTF-8 declared as a single-byte charset, and UTF-8 with a few Latin-1 bytes pasted in, are
  read as what the bytes are.
- Element text: every run of text is cut to its element's limit, and the whole text of an
  author-like element (nested elements included: feedparser joins them) to AUTHOR_TEXT_MAX.
  feedparser matches author strings against an e-mail regular expression whose cost grows
  with the square of the text: 8 KB costs 0.8 s, a few hundred KB costs minutes.
- Shape: entries past MAX_ENTRIES, and inside an entry elements past MAX_ELEMENTS or tags with
  more than MAX_ATTRIBUTES attributes. feedparser's costs grow with the square of some counts
  and its loose parser needs memory per open element: a 3 MB document nested a million deep
  costs 670 MB and half a minute. No real feed comes near these numbers.

What is cut is recorded in a note ("cut short", "cut to ..."): the feed's row shows it.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass

MAX_ENTRIES = 20_000
MAX_ELEMENTS = 1_000
"""Start tags per entry (and before the first entry)."""
MAX_ATTRIBUTES = 32
"""Attributes on one start tag."""
TEXT_MAX = 4_096
"""Bytes of one run of text in an element that is not listed below (titles, dates, ids ...)."""
LONG_TEXT_MAX = 65_536
"""Bytes of one run of text in a long-text element (LONG_ELEMENTS): summaries and content.
The entry mapper keeps 5,000 characters of text from at most 41,024 of HTML."""
AUTHOR_TEXT_MAX = 256
"""Bytes of the whole text of an author-like element (AUTHOR_ELEMENTS)."""
LONG_ELEMENTS = frozenset(
    b"description summary content encoded subtitle tagline info rights copyright".split()
)
AUTHOR_ELEMENTS = frozenset(
    b"author creator contributor managingeditor webmaster publisher owner name email".split()
)


@dataclass(frozen=True, slots=True)
class Prepared:
    body: bytes
    content_type: str | None
    notes: list[str]


def prepare(body: bytes, content_type: str | None) -> Prepared:
    """Every repair, in order: encodings, element text, shape."""
    body, content_type, note = repair_encoding(body, content_type)
    notes = [note] if note else []
    body, text_notes = bound_text(body)
    body, shape_notes = bound_document(body)
    return Prepared(body, content_type, notes + text_notes + shape_notes)


# -- encodings ------------------------------------------------------------------------------

_XML_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])""")
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([^\s;\"']+)", re.I)
_UTF8 = ("utf-8", "utf8")
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", "replace"), error.end


codecs.register_error("afmon-cp1252", _cp1252_fallback)


def _wide_codec(head: bytes) -> str | None:
    for bom, codec in _WIDE_BOMS:
        if head.startswith(bom):
            return codec
    if head[:4] == b"<\x00\x00\x00":
        return "utf-32-le"
    if head[:4] == b"\x00\x00\x00<":
        return "utf-32-be"
    if head[:2] == b"<\x00":
        return "utf-16-le"
    if head[:2] == b"\x00<":
        return "utf-16-be"
    return None


def _relabel(body: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """Say UTF-8 in the XML declaration and the Content-Type charset (if they say anything)."""
    if _XML_ENCODING.match(body[:512]):
        body = _XML_ENCODING.sub(rb"\1utf-8\3", body, count=1)
    if content_type and _CHARSET.search(content_type):
        content_type = _CHARSET.sub("; charset=utf-8", content_type)
    return body, content_type


def repair_encoding(body: bytes, content_type: str | None) -> tuple[bytes, str | None, str | None]:
    """Undo the encoding lies feeds tell most: UTF-8 bytes declared as a single-byte charset
    (feedparser believes the label and shows mojibake), and UTF-8 documents with a few Latin-1
    bytes pasted in (feedparser then reads the *whole* document as windows-1252). UTF-16/32
    documents become UTF-8. Returns (body, content_type, note); unchanged when the bytes and
    the labels agree."""
    wide = _wide_codec(body[:4])
    if wide is not None:
        try:
            text = body.decode(wide)
        except UnicodeDecodeError:
            return body, content_type, None  # not what it looks like: feedparser decides
        fixed, content_type = _relabel(text.lstrip("\ufeff").encode("utf-8"), content_type)
        return fixed, content_type, None
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
        wide_label = labelled is not None and labelled.startswith(("utf-16", "utf-32", "ucs"))
        if labelled in (None, *_UTF8) or (body.isascii() and not wide_label):
            return body, content_type, None
        fixed = body
        note = f"declared {labelled} but is UTF-8: read as UTF-8"
    fixed, content_type = _relabel(fixed, content_type)
    return fixed, content_type, note


# -- element text ---------------------------------------------------------------------------

# A maximal run of bytes that are not "<", starting right after a "<": each run is tried
# once, so finding the long ones is linear in the document.
_LONG_RUN = re.compile(rb"(?<=<)[^<]{%d,}" % TEXT_MAX)
_NAME = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_AUTHOR_START = re.compile(
    rb"<((?:[A-Za-z_][\w.-]*:)?(?:%s))(?=[\s>/])" % b"|".join(AUTHOR_ELEMENTS), re.I
)
_CDATA = re.compile(rb"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.S)
_TAG = re.compile(rb"<[^>]*>?")
_ENTRY_EDGE = re.compile(rb"</?(?:[A-Za-z_][\w.-]*:)?(?:item|entry)(?=[\s>/])")


def _local(name: bytes) -> bytes:
    return name.rsplit(b":", 1)[-1].lower()


def _enclosing(body: bytes, lt: int) -> bytes:
    """Local name of the start tag that opens at or before `lt` (b"" if it is not one)."""
    match = _NAME.match(body, lt)
    return _local(match.group(1)) if match else b""


def _safe_cut(text: bytes, limit: int) -> bytes:
    """text[:limit], backed off so no UTF-8 character and no entity reference is split."""
    cut = text[:limit]
    while cut and 0x80 <= cut[-1] < 0xC0:
        cut = cut[:-1]
    if cut and cut[-1] >= 0xC0:  # a lead byte whose continuation was cut off
        cut = cut[:-1]
    amp = cut.rfind(b"&", max(len(cut) - 12, 0))
    if amp >= 0 and b";" not in cut[amp:]:
        cut = cut[:amp]
    return cut


class _Cuts:
    """Byte ranges to drop (or replace), applied in one join at the end. Ranges found by two
    rules may overlap (an author's text is one long run too): the first one found wins."""

    def __init__(self) -> None:
        self.edits: list[tuple[int, int, bytes, bytes, int]] = []
        self.count = 0
        self.longest = (0, b"")

    def add(self, start: int, end: int, replacement: bytes, name: bytes, length: int) -> None:
        self.edits.append((start, end, replacement, name, length))

    def apply(self, body: bytes) -> bytes:
        parts, at = [], 0
        for start, end, replacement, name, length in sorted(self.edits):
            if start < at:  # inside a range already replaced
                continue
            parts += [body[at:start], replacement]
            at = end
            self.count += 1
            self.longest = max(self.longest, (length, name))
        parts.append(body[at:])
        return b"".join(parts)


def _limit(name: bytes) -> int:
    if name in AUTHOR_ELEMENTS:
        return AUTHOR_TEXT_MAX
    return LONG_TEXT_MAX if name in LONG_ELEMENTS else TEXT_MAX


def _cut_runs(body: bytes, cuts: _Cuts) -> None:
    # CDATA sections first: their text may hold "<", which ends a run of text early.
    sections: list[tuple[int, int]] = []
    at = body.find(b"<![CDATA[")
    while at >= 0:
        start = at + 9
        end = body.find(b"]]>", start)
        end = len(body) if end < 0 else end
        sections.append((at, end))
        if end - start > TEXT_MAX:
            name = _enclosing(body, max(body.rfind(b"<", 0, at), 0))
            if end - start > _limit(name):
                kept = _safe_cut(body[start:end], _limit(name))
                cuts.add(start + len(kept), end, b"", name, end - start)
        at = body.find(b"<![CDATA[", end)
    starts = [s for s, _ in sections]
    for run in _LONG_RUN.finditer(body):
        lt = run.start() - 1
        index = bisect.bisect_right(starts, lt) - 1
        if index >= 0 and lt <= sections[index][1]:
            continue  # inside a CDATA section: done above
        if run.group()[:1] in (b"!", b"?", b"/"):
            continue  # comments, declarations, PIs, text after an end tag: not element text
        gt = body.find(b">", run.start(), run.end())
        if gt < 0:
            continue  # one long tag: its attributes are bounded by count, not size
        name = _enclosing(body, lt)
        length = run.end() - gt - 1
        if length > _limit(name):
            kept = _safe_cut(body[gt + 1 : run.end()], _limit(name))
            cuts.add(gt + 1 + len(kept), run.end(), b"", name, length)


def _as_text(content: bytes) -> bytes:
    """The character data of an XML fragment: CDATA unwrapped (and escaped), tags dropped."""
    content = _CDATA.sub(
        lambda m: m.group(1).replace(b"&", b"&amp;").replace(b"<", b"&lt;"), content
    )
    return _TAG.sub(b"", content)


def _cut_authors(body: bytes, cuts: _Cuts) -> None:
    for match in _AUTHOR_START.finditer(body):
        gt = body.find(b">", match.end())
        if gt < 0 or body[gt - 1 : gt] == b"/":
            continue
        qname = match.group(1)
        end = body.find(b"</" + qname, gt)
        if end >= 0 and end - gt <= AUTHOR_TEXT_MAX:
            continue  # short: nothing inside can be long
        edge = _ENTRY_EDGE.search(body, gt)
        stop = end if end >= 0 else (edge.start() if edge else len(body))
        text = _as_text(body[gt + 1 : stop])
        if len(text) <= AUTHOR_TEXT_MAX and end >= 0:
            continue
        kept = _safe_cut(text, AUTHOR_TEXT_MAX)
        close = b"" if end >= 0 else b"</" + qname + b">"
        cuts.add(gt + 1, stop, kept + close, _local(qname), len(text))


def bound_text(body: bytes) -> tuple[bytes, list[str]]:
    """Cut every element's text to its limit (see the module docstring)."""
    cuts = _Cuts()
    _cut_authors(body, cuts)
    if len(body) > TEXT_MAX:
        _cut_runs(body, cuts)
    if not cuts.edits:
        return body, []
    body = cuts.apply(body)
    length, name = cuts.longest
    note = (
        f"{cuts.count:,} element texts cut to their length limit"
        f" (longest: <{name.decode('ascii', 'replace')}> of {length:,} bytes)"
    )
    return body, [note]


# -- shape ----------------------------------------------------------------------------------

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
