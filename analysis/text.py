"""Headline keys for the event reader and the clusterer, on the tagger's folding
(core/textnorm.py).

Two reports of one event differ in case, punctuation, Arabic versus Persian letter forms and
digit scripts far more often than in words; folding those away first lets plain regular
expressions and rapidfuzz compare what matters.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from functools import cache, lru_cache
from importlib import resources

from core.textnorm import fold, word_marks

_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[a-zA-Z]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
# Letters of any other script (Bengali, Devanagari, Chinese ...): words never compared with ours.
_OTHER = re.compile(
    "[^\\W\\d_a-zA-Z\u00c0-\u024f\u0400-\u04ff\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"
)
_PASHTO = re.compile("[ټځښګړډڼۍېڅږ]")
_ARABIC_ONLY = re.compile("[ةيىكأإؤ]")  # letters Dari writes otherwise (ی، ک) or rarely
_PERSIAN_ONLY = re.compile("[پچژگیک]")
_URDU = re.compile("[ےںہٹڈڑھ]")
# The vowel signs and viramas of the Indic scripts are no word characters to `re`, but they
# belong to their word: "शतरंज" (chess) is one word, not "शतर" and "ज".
_NON_WORD = re.compile(rf"[^\w\s{word_marks(0x0900, 0x0E00)}-]+")
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

# Function words of English, and of the other languages written in Latin letters that report on
# Afghanistan (Dutch, German, French, Spanish, Norwegian, Malay, Turkish): a Latin text with
# more of the others' than of English's is compared with English headlines as another language
# ("Aanslag" and "attack" share no letters), not word for word, and so with a text in a third
# ("Aanslag" and "attentat" share none either). Their function words are no content words.
_ENGLISH = frozenset(
    "the of and in to was were is are has have for on with after by from at".split()  # noqa: SIM905
)
_LATIN_LANGUAGES = {
    "nl": "het een bij werd zijn door naar niet",
    "de": "der das und ein eine wurde nach mit",
    "fr": "les des du une dans sur pour",
    "es": "los las del una por para",
    "nb": "og av på til ble med det",
    "ms": "yang dari untuk",
    "tr": "ile için",
}
_LANGUAGE_OF = {w: lang for lang, ws in _LATIN_LANGUAGES.items() for w in ws.split()}
# ("de" is Dutch, French, Spanish and Portuguese alike: another language, not which.)
_OTHER_LATIN = frozenset(_LANGUAGE_OF) | {"de"}


# Words that carry no identity in a headline: two reports of different events share them.
STOPWORDS = (
    frozenset(
        """a an the of in on at to for from by with and or as is are was were be been has have had
    after before over amid into near says said say tells told reports reported report
    according new latest update afghanistan afghan its their his her this that these those
    it they he she who which what while than but not no also just more least about
    one's
    در به از که و با را این آن برای یک شد شده شدند است اند می کرد کردند هم تا
    د په او کې له چې یې ته شول شوي وو دی سره
    """.split()  # noqa: SIM905
    )
    | _OTHER_LATIN
)


def _latin(text: str) -> str:
    """ "latin" for English (or too little text to tell), "latin-fr" (and so on) for another
    language, "latin-other" where its function words do not say which."""
    tokens = text.lower().split()
    other = sum(1 for t in tokens if t in _OTHER_LATIN)
    if other < 2:
        return "latin"
    english = sum(1 for t in tokens if t in _ENGLISH)
    if other <= 2 * english:
        return "latin"
    votes = Counter(_LANGUAGE_OF[t] for t in tokens if t in _LANGUAGE_OF)
    best = votes.most_common(2)
    if not best or (len(best) == 2 and best[0][1] == best[1][1]):
        return "latin-other"
    return "latin-" + best[0][0]


def script(text: str) -> str:
    """The script most of `text` is written in: 'arabic' (Dari), 'pashto', 'arabic-ar'
    (Arabic) and 'urdu' (the same script with each language's own letters), 'cyrillic',
    'latin', or another script's name ('bengali'). Headlines are compared word for word only
    within one of these."""
    if text.isascii():
        return _latin(text)
    others = _OTHER.findall(text)
    counts = {
        "arabic": len(_ARABIC.findall(text)),
        "cyrillic": len(_CYRILLIC.findall(text)),
        "latin": len(_LATIN.findall(text)),
        "other": len(others),
    }
    best = max(counts, key=lambda k: counts[k])
    if best == "other":
        # Named by its script ("bengali"): two such reports may still be compared.
        return unicodedata.name(others[0], "other").split()[0].lower()
    if best == "arabic":
        # Dari, Pashto, Arabic and Urdu share the script, not the words.
        if _PASHTO.search(text):
            return "pashto"
        if len(_URDU.findall(text)) >= 2:
            return "urdu"
        if len(_ARABIC_ONLY.findall(text)) > 2 * len(_PERSIAN_ONLY.findall(text)):
            return "arabic-ar"
    if best == "latin" or not counts[best]:
        return _latin(text)
    return best


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude English stem ("tourists" -> "tourist", "targeted" -> "target"), so two
    reports' content words meet; other scripts are left as they are."""
    if not word.isascii() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 5:
        return _undouble(word[:-3])
    if word.endswith("ed") and len(word) > 4:
        return _undouble(word[:-2])
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    # A final silent e goes too: "fences" and "fencing", "removes" and "removed" meet.
    if word.endswith("e") and not word.endswith("ee") and len(word) > 3:
        return word[:-1]
    return word


def _undouble(stem: str) -> str:
    """ "bann" (banned) -> "ban", "barr" (barring) -> "bar"; "kill", "pass", "staff" stay."""
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeioulsfz":
        return stem[:-1]
    return stem


def words(text: str) -> list[str]:
    """Folded content words of `text` (stop words and bare numbers removed), stemmed."""
    key = title_key(text)
    return [stem(w) for w in key.split() if not w.isdigit()]


# Names written out or abbreviated, one word either way ("non-governmental organizations" and
# "NGOs"): two reports of one event use both. (short form, long form, a word the long form has)
_ABBREVIATIONS = (
    ("ngos", r"non[- ]?governmental organi[sz]ations", "governmental"),
    ("ngo", r"non[- ]?governmental organi[sz]ation", "governmental"),
    ("idps", r"internally displaced (?:persons|people)", "displaced"),
    ("wfp", r"world food programme", "programme"),
    ("icrc", r"international committee of the red cross", "committee"),
)
_ABBREVIATED = re.compile(r"\b(?:" + "|".join(f"({a[1]})" for a in _ABBREVIATIONS) + r")\b")
_CUES = tuple({a[2] for a in _ABBREVIATIONS})


def _abbreviate(text: str) -> str:
    if not any(cue in text for cue in _CUES):
        return text  # the common case
    return _ABBREVIATED.sub(lambda m: _ABBREVIATIONS[(m.lastindex or 1) - 1][0], text)


@cache
def _same() -> dict[str, str]:
    """Each word of analysis/data/words.toml's groups -> the group's first word; spelled-out
    numbers -> their digits."""
    data = tomllib.loads(
        resources.files("analysis").joinpath("data/words.toml").read_text(encoding="utf-8")
    )
    out = dict(NUMBER_WORDS)
    for group in data["same"]:
        for word in group:
            out[word] = group[0]
    return out


# "US" and "UK" as written in capitals (after folding, "us" is also the pronoun), with or
# without dots.
_STATE_ABBREVIATIONS = re.compile(r"\b(?:U\.S\.(?:A\.)?|USA|US|U\.K\.|UK)(?![\w.])")


def _states(title: str) -> str:
    if "U" not in title:
        return title  # the common case
    return _STATE_ABBREVIATIONS.sub(
        lambda m: " britain " if "K" in m.group() else " america ", title
    )


def title_key(title: str) -> str:
    """A headline reduced to its content words, for fuzzy comparison: numbers as digits, and
    the words two reports of one event use for each other as one (analysis/data/words.toml)."""
    text = _abbreviate(fold(_states(title)))
    text = _NON_WORD.sub(" ", _POSSESSIVE.sub("", _THOUSANDS.sub("", text)))
    same = _same().get
    out = []
    for word in text.split():
        word = word.strip("-'")
        if word and word not in STOPWORDS:
            out.append(same(word, word))
    return " ".join(out)
