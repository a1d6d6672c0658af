"""Normalise text for matching and keep a map back to the original offsets.

Names arrive in many shapes: "Mazar-i-Sharif" and "Mazar e Sharif", Arabic ي/ك where Dari
writes ی/ک, harakat, tatweel, zero-width non-joiners, NFKC compatibility forms, curly
apostrophes. The tagger matches on one canonical form and reports evidence in the caller's
string, so every normalised character remembers which original character it came from.

Speed matters (the tagger must handle tens of thousands of items a second), so the common case
is one `str.translate` plus `str.lower`, both length-preserving, with identity offsets. Only text
holding characters that normalise to nothing (diacritics, tatweel, bidi marks) or to several
characters (ligatures, ß) takes the slower per-character path that builds an explicit map.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters that NFKD and case folding leave distinct but that writers use interchangeably.
_SAME: dict[str, str] = {
    "ي": "ی",  # Arabic yeh -> Persian yeh
    "ى": "ی",  # alef maksura
    "ې": "ی",  # Pashto yeh variants
    "ۍ": "ی",
    "ئ": "ی",
    "ك": "ک",  # Arabic kaf -> Persian keheh
    "ڪ": "ک",
    "ګ": "گ",  # Pashto gaf with ring
    "ة": "ه",  # teh marbuta
    "ە": "ه",
    "ۀ": "ه",
    "ۂ": "ه",
    "ہ": "ه",
    "ھ": "ه",
    "\u200c": " ",  # ZWNJ separates a word from its suffix: treat it as a word break
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\t": " ",
    "\r": " ",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "ʻ": "'",
    "`": "'",
    "´": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2013": "-",  # en and em dashes: "Mazar–i–Sharif", "KABUL —"
    "\u2014": "-",
    "ٱ": "ا",  # alef wasla (NFKD leaves it whole; hamza forms decompose on their own)
    "İ": "i",
}
_SAME.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
_SAME.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Persian digits

# Characters with no matching value at all.
_DROP_EXTRA = "\u0640\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"

_RANGES = (
    (0x0000, 0x0250),
    (0x0300, 0x0370),
    (0x0600, 0x0700),
    (0x0750, 0x0780),
    (0x08A0, 0x0900),
    (0x1E00, 0x1F00),
    (0x2000, 0x2070),
    (0xFB50, 0xFE00),
    (0xFE20, 0xFE30),
    (0xFE70, 0xFF00),
    (0xFF00, 0xFFF0),
)


def _fold_char(c: str) -> str:
    if c in _SAME:
        return _SAME[c]
    if c in _DROP_EXTRA:
        return ""
    d = unicodedata.normalize("NFKD", c)
    d = "".join(ch for ch in d if unicodedata.category(ch) != "Mn").casefold()
    return "".join(_SAME.get(ch, ch) for ch in d)


_NUKTA = "\u093c"


def word_marks(first: int, last: int) -> str:
    """The vowel signs and viramas (combining marks) among code points `first` to `last - 1`.
    `re` and `str.isalnum` count them as no word characters, but in Devanagari, Bengali and
    the other Indic scripts they belong to the word they are written in."""
    return "".join(
        chr(cp) for cp in range(first, last) if unicodedata.category(chr(cp)) in ("Mn", "Mc")
    )


def _build() -> tuple[dict[int, str], dict[int, str], re.Pattern[str]]:
    one: dict[int, str] = {}
    other: dict[int, str] = {}
    for lo, hi in _RANGES:
        for cp in range(lo, hi):
            c = chr(cp)
            if unicodedata.category(c) == "Cs":
                continue
            f = _fold_char(c)
            if f == c:
                continue
            if len(f) == 1:
                one[cp] = f
            else:
                other[cp] = f
    # Devanagari's nukta (ज़, फ़, ड़) is written, left out or precomposed as the writer pleases
    # (Hindi "ग़ज़नी" and "गजनी" are one name): fold every form to the bare letter. Only the
    # nukta goes; the vowel signs stay (they tell words apart), so the block is not in _RANGES.
    for cp in range(0x0900, 0x0980):
        c = chr(cp)
        if c == _NUKTA:
            other[cp] = ""
        elif _NUKTA in unicodedata.normalize("NFD", c):
            one[cp] = unicodedata.normalize("NFD", c).replace(_NUKTA, "")
    slow = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(other)) + "]")
    return one, other, slow


_ONE, _OTHER, _SLOW = _build()
_FULL: dict[int, str] = {**_ONE, **_OTHER}


def fold(text: str) -> str:
    """The canonical form of `text` (no offsets): what data files are compared in."""
    return text.translate(_FULL).lower()


@dataclass(frozen=True, slots=True)
class Normalized:
    """`text` in canonical form; `offsets[i]` is the original index of `text[i]`.

    `offsets` is None when the two strings line up character for character.
    """

    text: str
    offsets: list[int] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to one of the original text."""
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(text: str) -> Normalized:
    """Normalise `text` once, keeping the offset map (see module docstring)."""
    if text.isascii():
        if "`" in text or "\t" in text or "\r" in text:
            text = text.replace("`", "'").replace("\t", " ").replace("\r", " ")
        return Normalized(text.lower(), None)
    if not _SLOW.search(text):
        return Normalized(text.translate(_ONE).lower(), None)
    pieces: list[str] = []
    offsets: list[int] = []
    for i, c in enumerate(text):
        f = _FULL.get(ord(c), c).lower()
        if f:
            pieces.append(f)
            offsets.extend([i] * len(f))
    return Normalized("".join(pieces), offsets)
