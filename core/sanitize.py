"""The one door for untrusted text: every feed string passes through `clean` before it is
stored, and again before it is shown (tui/text.py wraps it for display).

Feed titles and summaries are written by strangers. They may carry terminal escape sequences
(CSI, OSC window titles and clipboard writes, DCS), C0/C1 control characters, NULs and Unicode
bidi overrides that reorder what the watch officer sees. `clean` removes all of them and folds
whitespace, so what remains is plain printable text. It never interprets markup: markup is only
dangerous if a renderer parses it, and afmon's renderers never do.
"""

from __future__ import annotations

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
    text = strip_controls(text)
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
