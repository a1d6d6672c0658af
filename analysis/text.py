"""Headline keys for the event reader and the clusterer, on the tagger's folding
(core/textnorm.py).

Two reports of one event differ in case, punctuation, Arabic versus Persian letter forms and
digit scripts far more often than in words; folding those away first lets plain regular
expressions and rapidfuzz compare what matters.
"""

from __future__ import annotations

import re

from core.textnorm import fold

_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[a-zA-Z]")
_NON_WORD = re.compile(r"[^\w\s-]+")
_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d)[,٬](?=\d{3})")
_POSSESSIVE = re.compile(r"'s\b")
# Spelled-out numbers as digits, so "three killed" and "3 killed" share a token.
NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]  # noqa: SIM905
    )
    if i
}
NUMBER_WORDS.update(
    {
        "یک": "1",
        "دو": "2",
        "سه": "3",
        "چهار": "4",
        "پنج": "5",
        "شش": "6",
        "هفت": "7",
        "هشت": "8",
        "ده": "10",
        "درې": "3",
        "پنځه": "5",
        "څلور": "4",
    }
)

# Words that carry no identity in a headline: two reports of different events share them.
STOPWORDS = frozenset(
    """a an the of in on at to for from by with and or as is are was were be been has have had
    after before over amid into near says said say tells told reports reported report
    according new latest update afghanistan afghan its their his her this that these those
    it they he she who which what while than but not no also just more least about
    one's
    در به از که و با را این آن برای یک شد شده شدند است اند می کرد کردند هم تا
    د په او کې له چې یې ته شول شوي وو دی سره
    """.split()  # noqa: SIM905
)


def script(text: str) -> str:
    """'arabic' when the text is mostly Arabic script (Dari, Pashto), else 'latin'."""
    arabic = len(_ARABIC.findall(text))
    latin = len(_LATIN.findall(text))
    return "arabic" if arabic > latin else "latin"


def title_key(title: str) -> str:
    """A headline reduced to its content words, for fuzzy comparison."""
    text = _POSSESSIVE.sub("", _THOUSANDS.sub("", fold(title)))
    words = (w.strip("-'") for w in _SPACES.sub(" ", _NON_WORD.sub(" ", text)).split())
    return " ".join(NUMBER_WORDS.get(w, w) for w in words if w and w not in STOPWORDS)
