"""The query language's `grade:` and `is:corroborated`: grades resolve to the outlets of that
grade at parse time; corroborated means a story at least two different outlets report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from afmon.defaults import default_sections
from analysis.query import QueryError, format_query, parse_query
from core.config import Config
from store import ItemFilter
from tests.tui_fixtures import build_db, corroborate

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
CONFIG = Config(
    **default_sections(),
    feeds=[
        {"name": "Tolo English", "url": "https://tolo.example/rss", "outlet": "TOLOnews"},
        {"name": "Amu", "url": "https://amu.example/rss", "outlet": "Amu TV"},
        {"name": "Blog", "url": "https://blog.example/rss", "outlet": "Some Blog"},
        {"name": "Wire", "url": "https://wire.example/rss", "outlet": "Wire"},
    ],
    outlets=[{"name": "Wire", "grade": "A"}, {"name": "TOLOnews", "grade": "C"}],
)


@pytest.mark.parametrize(
    "text, expected",
    [
        # config [[outlets]] win over analysis/data/grades.toml (TOLOnews is B there)
        ("grade:A", ItemFilter(outlets=("Wire",), grades=("A",))),
        ("grade:b", ItemFilter(outlets=("Amu TV",), grades=("B",))),
        ("grade:C", ItemFilter(outlets=("TOLOnews",), grades=("C",))),
        ("grade:F", ItemFilter(outlets=("Some Blog",), grades=("F",))),  # ungraded
        ("grade:A grade:B", ItemFilter(outlets=("Amu TV", "Wire"), grades=("A", "B"))),
        # outlet: AND grade:
        ("outlet:Wire grade:A", ItemFilter(outlets=("Wire",), grades=("A",))),
        ("grade:A outlet:tolonews", ItemFilter(outlets=("",), grades=("A",))),
        # no configured outlet has that grade: nothing matches, never everything
        ("grade:E", ItemFilter(outlets=("",), grades=("E",))),
        ("is:corroborated", ItemFilter(corroborated=True)),
        ("is:uncorroborated is:unread", ItemFilter(corroborated=False, unread=True)),
    ],
)
def test_parse(text, expected):
    assert parse_query(text, CONFIG, now=NOW) == expected


@pytest.mark.parametrize("text, token", [("grade:Z", "grade:Z"), ("grade:", "grade:")])
def test_errors_name_the_token(text, token):
    with pytest.raises(QueryError) as err:
        parse_query(f"kabul {text}", CONFIG, now=NOW)
    assert err.value.token == token


@pytest.mark.parametrize(
    "text",
    ["grade:A", "grade:A grade:B kabul", "grade:E", "outlet:Wire grade:A", "is:corroborated"],
)
def test_format_round_trips(text):
    flt = parse_query(text, CONFIG, now=NOW)
    assert parse_query(format_query(flt), CONFIG, now=NOW) == flt


@pytest.fixture
def fx(tmp_path):
    fixture = build_db(tmp_path / "afmon.db")

    corroborate(fixture)
    yield fixture
    fixture.store.close()


def test_store_filters_corroborated_items(fx):
    store = fx.store
    found = store.query_items(parse_query("is:corroborated", fx.config, NOW))
    for item in found:
        story = store.story_of(item.id)
        assert story is not None and len(set(story.outlets)) >= 2, item.title
    kabul = [i for i in found if "Explosion near Kabul airport" in i.title]
    assert sorted(i.outlet for i in kabul) == ["Amu TV", "TOLOnews"]
    single = store.query_items(parse_query("is:uncorroborated", fx.config, NOW), limit=500)
    assert {i.id for i in single}.isdisjoint(i.id for i in found)
    assert len(single) + len(found) == store.count_items(ItemFilter())
    assert store.count_items(parse_query("is:corroborated airport", fx.config, NOW)) == 2


def test_store_filters_by_grade(fx):
    store = fx.store
    graded_b = store.query_items(parse_query("grade:B", fx.config, NOW), limit=500)
    assert graded_b and {i.outlet for i in graded_b} == {"TOLOnews", "Amu TV"}
    ungraded = store.query_items(parse_query("grade:F", fx.config, NOW), limit=500)
    assert {i.outlet for i in ungraded} == {"Afintl", "Khaama"}
    assert store.count_items(parse_query("grade:A", fx.config, NOW)) == 0
