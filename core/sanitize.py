"""The one door for untrusted text: every feed string passes through `clean` before it is
stored, and again before it is shown (tui/text.py wraps it for display).

Feed titles and summaries are written by strangers. They may carry terminal escape sequences
(CSI, OSC window titles and clipboard writes, DCS), C0/C1 control characters, NULs and Unicode
bidi overrides that reorder what the watch officer sees. `clean` removes all of them and folds
whitespace, so what remains is plain printable text. HTML that was escaped once too often
(tags, entities) and colour codes that lost their ESC are removed too (`strip_remnants`). It
never interprets Rich or Textual markup: that is only dangerous if a renderer parses it, and
afmon's renderers never do.
"""

from __future__ import annotations

import html
import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), and two-byte escapes. Also their 8-bit C1 forms (CSI = U+009B,
# OSC = U+009D, DCS = U+0090, ...), which some terminals honour.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?             # CSI ... final byte
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])         # OSC, DCS, SOS, PM, APC ...
        [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?     # ... up to BEL or ST (or end of text)
  | \x1b[ -/]*[0-~]?                               # other ESC sequences, or a lone ESC
    """,
    re.VERBOSE,
)
# Remaining C0 and C1 control characters (tab, newline and carriage return become spaces
# in single-line text); DEL.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069) and the deprecated
# format characters (U+206A-206F). LRM/RLM/ALM are harmless marks and stay. ZWNJ (U+200C)
# is part of Persian spelling and stays.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u206f]")
# Line and paragraph separators, BOM, interlinear annotation and object replacement.
_ODD_FORMAT = re.compile("[\u2028\u2029\ufeff\ufff9-\ufffb]")
_WHITESPACE = re.compile(r"\s+")

# Remnants a parser leaves behind in text that was escaped once too often (an Atom
# type="text" title holding "&lt;b&gt;update&lt;/b&gt;", a summary ending in "&amp;nbsp;"):
# entities, then HTML tags, comments and script/style blocks. Only tag-shaped text is
# taken: "a <10 km radius" and "R&D" stay.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_HTML = re.compile(
    r"""
    <(script|style)\b[^>]*>.*?(?:</\1\s*>|$)        # a script or style block, contents too
  | <!--.*?(?:-->|$)                                # a comment
  | </?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>      # a start or end tag
    """,
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)
# Terminal colour codes (and cursor moves) whose ESC is gone: stripped by an XML parser ("[31m"), or an 8-bit
# CSI (U+009B) that feedparser mapped to windows-1252, where byte 0x9B is "›" ("›31m").
_SGR_REMNANT = re.compile(
    r"›(?:[0-9]{1,3}(?:;[0-9]{1,3})*)?m|\[[0-9]{1,3}(?:;[0-9]{1,3})*[A-HJKSTfhlmsu]"
)


def _entity(match: re.Match[str]) -> str:
    char = html.unescape(match.group(0))
    return " " if char == "\xa0" else char


def strip_remnants(text: str) -> str:
    """Remove what escaped markup leaves in plain text: HTML entities are decoded once (a
    no-break space becomes a space), HTML tags and terminal colour codes whose ESC was lost
    are removed. Run it after `strip_controls` (it would take "[31m" from a whole escape
    sequence). Offsets shift; callers that keep offsets apply it to fragments."""
    if "&" in text:
        decoded = _ENTITY.sub(_entity, text)
        if decoded != text:
            # "&#27;[2J" decodes to an escape sequence: remove it like any other.
            text = strip_controls(decoded)
    if "<" in text:
        text = _HTML.sub("", text)
    if "›" in text or "[" in text:
        text = _SGR_REMNANT.sub("", text)
    return text


def strip_controls(text: str) -> str:
    """Remove escape sequences, control characters and bidi overrides; keep newlines."""
    text = _ESCAPES.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROLS.sub("", text)
    text = _BIDI_CONTROLS.sub("", text)
    return _ODD_FORMAT.sub(" ", text)


def clean(text: str | None, *, max_len: int | None = None, multiline: bool = False) -> str:
    """Return `text` as safe plain text: no escapes, no controls, whitespace folded.

    With `multiline`, paragraph breaks survive as single newlines; otherwise the result is one
    line. `max_len` caps the result (an ellipsis marks the cut).
    """
    if not text:
        return ""
    if not isinstance(text, str):
        text = str(text)
    if max_len is not None and len(text) > max_len * 4 + 64:
        # Bound the work on absurd inputs (a 1 MB title) before the regexes run.
        text = text[: max_len * 4 + 64]
    text = strip_remnants(strip_controls(text))
    # Surrogates cannot be encoded for the terminal; lone ones come from broken decoders.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    if multiline:
        lines = (_WHITESPACE.sub(" ", line).strip() for line in text.split("\n"))
        text = "\n".join(line for line in lines if line)
    else:
        text = _WHITESPACE.sub(" ", text).strip()
    if max_len is not None and len(text) > max_len:
        text = text[: max_len - 1].rstrip() + "…"
    return text


_SAFE_SCHEMES = ("http://", "https://")


def safe_url(url: str | None) -> str | None:
    """Return `url` if it is an http(s) URL with no control characters, else None."""
    if not url:
        return None
    url = url.strip()
    if any(ord(c) < 0x21 or 0x7F <= ord(c) <= 0x9F for c in url):
        return None
    if not url.lower().startswith(_SAFE_SCHEMES):
        return None
    if len(url) > 4096:
        return None
    return url
