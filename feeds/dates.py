"""Feed dates feedparser cannot read, or reads wrong, taught to it as a date handler.

feedparser 6 already reads RFC 822 with numeric or US zones, W3C/ISO 8601 with or without a
zone, asctime, and all of those written with Persian or Arabic-Indic digits. What it misses in
feeds seen in the wild:

- month-first dates: "Wednesday, February 25, 2026 - 21:07" (International Crisis Group,
  Drupal's long format), "Feb 25, 2026 9:07 PM": not read at all;
- zone abbreviations outside its US table (AFT, PKT, IST, IRST, CET ...): read as UTC, so an
  Afghan "21:07 AFT" lands four and a half hours late;
- "GMT+4:30", a bare "+04", "9:07 PM": hours wrong or not read;
- ISO 8601 with a colon-less offset ("+0430"): the offset's minutes dropped;
- RFC 850 ("Wednesday, 25-Feb-26 21:07:00 GMT"): not read;
- Solar Hijri dates from Afghan and Iranian sites ("1404/12/06", "6 Hoot 1404",
  "۶ حوت ۱۴۰۴"): read as the year 1404 AD, or not at all.

`parse_date` reads these shapes and returns None for anything else, so feedparser's own
handlers still get every other string (and a zone we do not know). Times without a zone are
UTC, as feedparser takes them. Importing feeds.parse registers the handler, so every process
that parses (worker processes included) has it.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta

import feedparser

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# Arabic letter forms that Persian text often carries instead of the Persian ones.
_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی"})

_ENGLISH = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS: dict[str, int] = {
    **{name: n for n, name in enumerate(_ENGLISH, 1)},
    **{name[:3]: n for n, name in enumerate(_ENGLISH, 1)},
    "sept": 9,
}
"""English month names and abbreviations -> month (Gregorian)."""

JALALI_MONTHS: dict[str, int] = {}
"""Solar Hijri month names -> month: Iranian Persian, Afghan Dari (zodiac) and Pashto names,
in Perso-Arabic script and the usual Latin spellings."""
for _n, _names in enumerate(
    (
        "فروردین حمل وری farvardin hamal",
        "اردیبهشت ثور غویی ordibehesht sawr saur",
        "خرداد جوزا غبرګولی khordad jawza jauza",
        "تیر سرطان چنګاښ tir saratan",
        "مرداد امرداد اسد زمری mordad asad",
        "شهریور سنبله وږی shahrivar sunbula sonbola",
        "مهر میزان تله mehr mizan",
        "آبان عقرب لړم aban aqrab",
        "آذر قوس لیندۍ azar qaws qaus",
        "دی جدی مرغومی dey jadi",
        "بهمن دلو سلواغه bahman dalw dalv",
        "اسفند حوت کب esfand hoot hut",
    ),
    1,
):
    JALALI_MONTHS.update(dict.fromkeys(_names.split(), _n))

ZONES: dict[str, int] = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "BST": 60, "CET": 60, "WEST": 60, "WAT": 60, "CEST": 120, "EET": 120, "CAT": 120,
    "SAST": 120, "EEST": 180, "MSK": 180, "TRT": 180, "EAT": 180,
    "IRST": 210, "GST": 240, "AFT": 270, "IRDT": 270,
    "PKT": 300, "TJT": 300, "UZT": 300, "TMT": 300,
    # India's, not Ireland's or Israel's: the Indian outlets are the ones that write it here.
    "IST": 330, "NPT": 345, "KGT": 360,
    "HKT": 480, "SGT": 480, "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660,
}  # fmt: skip
"""Zone abbreviations -> minutes east of UTC. An abbreviation not here leaves the date to
feedparser (which reads its own US table and takes the rest as UTC)."""

_TIME = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\.?)?"
)
_ZONE = (
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?"
    r"|(?:GMT|UTC|UT)\s*[+-]\s*\d{1,2}(?::?\d{2})?"
    r"|[A-Z]{2,5})"
)
_WORD = r"[^\W\d_]+"
_TAIL = rf"(?:(?:\s*[,،-]\s*|\s+(?:at\s+)?|T){_TIME})?(?:\s*{_ZONE})?(?:\s*\([^)]*\))?"
_PATTERNS = [
    # 25 Feb 2026 21:07 +0430, Wed 25-Feb-26 ..., ۶ حوت ۱۴۰۴
    re.compile(
        rf"(?:{_WORD}\.?[,،]?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?[\s-]+(?P<month>{_WORD})\.?,?"
        rf"[\s-]+(?P<year>\d{{4}}|\d{{2}}){_TAIL}",
        re.I,
    ),
    # Wednesday, February 25, 2026 - 21:07
    re.compile(
        rf"(?:{_WORD}\.?,?\s+)?(?P<month>{_WORD})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?"
        rf"\s+(?P<year>\d{{4}}){_TAIL}",
        re.I,
    ),
    # 2026-02-25T21:07:00+0430, 1404/12/06 21:07
    re.compile(
        rf"(?P<year>\d{{4}})(?P<sep>[-/])(?P<mon>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}}){_TAIL}",
        re.I,
    ),
]
_JALALI_YEARS = range(1300, 1500)
"""Numeric dates with a year in here are Solar Hijri (1300 = 1921 AD, 1499 = 2121 AD)."""


def jalali_to_gregorian(year: int, month: int, day: int) -> date:
    """The Gregorian date of a Solar Hijri date (the 33-year arithmetic rule, exact for the
    years feeds use). ValueError for a month or day that does not exist."""
    if not 1 <= month <= 12 or not 1 <= day <= (31 if month <= 6 else 30):
        raise ValueError(f"no Solar Hijri date {year}/{month}/{day}")
    jy = year + 1595
    days = -355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + day
    days += (month - 1) * 31 if month <= 6 else (month - 7) * 30 + 186
    gy = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        gy += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    gy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        gy += (days - 1) // 365
        days = (days - 1) % 365
    return date(gy, 1, 1) + timedelta(days=days)


def _offset(zone: str | None) -> int | None:
    """Minutes east of UTC, or None for an abbreviation we do not know."""
    if not zone:
        return 0
    zone = zone.upper().replace(" ", "")
    if zone in ZONES:
        return ZONES[zone]
    match = re.fullmatch(r"(?:GMT|UTC|UT)?([+-])(\d{1,2}):?(\d{2})?", zone)
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    total = int(hours) * 60 + int(minutes or 0)
    return -total if sign == "-" else total


def _hour(hour: int, ampm: str | None) -> int:
    if not ampm:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError("a 12-hour clock reads 1 to 12")
    return hour % 12 + (12 if ampm.lower() == "p" else 0)


def parse_datetime(text: str) -> datetime | None:
    """An aware UTC datetime for the shapes above, else None (never raises)."""
    if not text or len(text) > 100:
        return None
    if not text.isascii():
        text = text.translate(_DIGITS).translate(_LETTERS)
    text = " ".join(text.split())
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        try:
            return _build(match)
        except (ValueError, OverflowError):
            return None
    return None


def _build(match: re.Match[str]) -> datetime | None:
    parts = match.groupdict()
    year = int(parts["year"])
    if len(parts["year"]) == 2:
        year += 2000 if year < 50 else 1900  # RFC 2822's rule for two-digit years
    if parts.get("mon") is not None:
        month, jalali = int(parts["mon"]), year in _JALALI_YEARS
    else:
        name = parts["month"].lower().rstrip(".")
        if name in MONTHS:
            month, jalali = MONTHS[name], False
        elif name in JALALI_MONTHS:
            month, jalali = JALALI_MONTHS[name], True
        else:
            return None
    offset = _offset(parts["zone"])
    if offset is None:
        return None
    day = int(parts["day"])
    when = jalali_to_gregorian(year, month, day) if jalali else date(year, month, day)
    hour = _hour(int(parts["hour"] or 0), parts["ampm"])
    minute, second = int(parts["minute"] or 0), int(parts["second"] or 0)
    local = datetime(when.year, when.month, when.day, hour, minute, second, tzinfo=UTC)
    return local - timedelta(minutes=offset)


def parse_date(text: str) -> time.struct_time | None:
    """feedparser's date handler contract: a UTC 9-tuple, or None to let the next one try."""
    when = parse_datetime(text)
    return when.utctimetuple() if when is not None else None


def register() -> None:
    """Put `parse_date` first in feedparser's handlers (once, however often called)."""
    handlers = feedparser.datetimes._date_handlers
    if parse_date not in handlers:
        feedparser.registerDateHandler(parse_date)


register()
