"""feeds/dates.py: the feed dates feedparser misses or misreads, table-driven from
tests/data/dates.toml, then through the real parser, then as properties (hypothesis)."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.dates import jalali_to_gregorian, parse_date, parse_datetime, register
from feeds.parse import parse
from tests.httpserver import rss

CASES = tomllib.loads((Path(__file__).parent / "data" / "dates.toml").read_text("utf-8"))["case"]
NOW = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_date_table(case):
    got = parse_datetime(case["text"])
    if case["expected"]:
        assert got == datetime.fromisoformat(case["expected"]), case["why"]
    else:
        assert got is None, case["why"]


@pytest.mark.parametrize("case", [c for c in CASES if c["expected"]], ids=lambda c: c["text"])
def test_feed_items_carry_the_dates_feedparser_missed(case):
    entries = parse(
        rss([{"title": "t", "guid": "1", "pubDate": case["text"]}]).encode(),
        "http://example.org/feed",
        NOW,
    ).entries
    assert entries[0].published == datetime.fromisoformat(case["expected"])
    assert entries[0].published_raw == " ".join(case["text"].split())


def test_crisis_group_dates_are_read_in_an_atom_feed_too():
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id>'
        "<entry><id>1</id><title>a</title>"
        "<updated>Wednesday, February 25, 2026 - 21:07</updated></entry></feed>"
    )
    entry = parse(atom.encode(), "http://example.org/feed", NOW).entries[0]
    assert entry.published == datetime(2026, 2, 25, 21, 7, tzinfo=UTC)


def test_registering_twice_keeps_one_handler():
    register()
    register()
    handlers = feedparser.datetimes._date_handlers
    assert handlers.count(parse_date) == 1
    assert handlers[0] is parse_date


@pytest.mark.parametrize(
    ("jalali", "gregorian"),
    [
        ((1399, 1, 1), date(2020, 3, 20)),
        ((1400, 1, 1), date(2021, 3, 21)),
        ((1403, 1, 1), date(2024, 3, 20)),
        ((1403, 12, 30), date(2025, 3, 20)),
        ((1404, 1, 1), date(2025, 3, 21)),
        ((1404, 5, 24), date(2025, 8, 15)),
        ((1404, 12, 6), date(2026, 2, 25)),
    ],
)
def test_solar_hijri_known_days(jalali, gregorian):
    assert jalali_to_gregorian(*jalali) == gregorian


@pytest.mark.parametrize("bad", [(1404, 13, 1), (1404, 0, 1), (1404, 7, 31), (1404, 1, 0)])
def test_solar_hijri_days_that_do_not_exist_are_refused(bad):
    with pytest.raises(ValueError):
        jalali_to_gregorian(*bad)


# -- properties -----------------------------------------------------------------------------

MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH_FULL = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
moments = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2099, 12, 30)).map(
    lambda d: d.replace(microsecond=0)
)
offsets = st.integers(min_value=-12 * 4, max_value=14 * 4).map(lambda q: q * 15)


def _zone(minutes: int, style: str) -> str:
    sign = "-" if minutes < 0 else "+"
    h, m = divmod(abs(minutes), 60)
    return {
        "rfc": f"{sign}{h:02d}{m:02d}",
        "colon": f"{sign}{h:02d}:{m:02d}",
        "gmt": f"GMT{sign}{h}:{m:02d}",
    }[style]


@given(local=moments, offset=offsets, style=st.sampled_from(["rfc", "colon", "gmt"]))
def test_rfc822_shapes_read_back_the_same_moment(local, offset, style):
    text = (
        f"{WEEKDAYS[local.weekday()][:3]}, {local.day:02d} {MONTH_ABBR[local.month - 1]} "
        f"{local.year} {local:%H:%M:%S} {_zone(offset, style)}"
    )
    expected = local.replace(tzinfo=timezone(timedelta(minutes=offset))).astimezone(UTC)
    assert parse_datetime(text) == expected


@given(local=moments, twelve=st.booleans(), dash=st.booleans())
def test_month_first_shapes_read_back_the_same_minute(local, twelve, dash):
    clock = (
        f"{(local.hour % 12) or 12}:{local:%M} {'PM' if local.hour >= 12 else 'AM'}"
        if twelve
        else f"{local:%H:%M}"
    )
    text = (
        f"{WEEKDAYS[local.weekday()]}, {MONTH_FULL[local.month - 1]} {local.day}, {local.year}"
        f"{' - ' if dash else ' '}{clock}"
    )
    assert parse_datetime(text) == local.replace(second=0, tzinfo=UTC)


@given(year=st.integers(min_value=1300, max_value=1499), month=st.integers(1, 12))
def test_solar_hijri_days_follow_each_other(year, month):
    # Consecutive days of a Solar Hijri month are consecutive Gregorian days, and the next
    # month starts right after its last day (Esfand has 29 days, 30 in a leap year).
    days = 31 if month <= 6 else 30 if month < 12 else 29
    first = jalali_to_gregorian(year, month, 1)
    for day in range(2, days + 1):
        assert jalali_to_gregorian(year, month, day) == first + timedelta(days=day - 1)
    nxt = (year, month + 1) if month < 12 else (year + 1, 1)
    gap = (jalali_to_gregorian(*nxt, 1) - first).days
    assert gap == days or (month == 12 and gap == 30)


@given(text=st.text(max_size=120) | st.text(alphabet="0123456789۰۱۲:+-/ ,.APMTZGaptz", max_size=60))
def test_any_text_gives_a_utc_moment_or_none_and_never_raises(text):
    got = parse_datetime(text)
    assert got is None or got.tzinfo is UTC
