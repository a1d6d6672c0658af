"""The query language: table-driven parse cases, errors that name the token, round trips."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

import pytest

from afmon.commands.filters import add_filter_args, filter_from_args
from afmon.defaults import default_sections
from analysis.query import QueryError, format_query, parse_query
from core.config import Config
from store import ItemFilter
from tui.panes import pane_specs

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
CONFIG = Config(
    **default_sections(),
    feeds=[
        {"name": "Tolo English", "url": "https://tolo.example/rss", "outlet": "TOLOnews"},
        {"name": "Pajhwok", "url": "https://pajhwok.example/rss"},
    ],
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", ItemFilter()),
        ("province:helmand", ItemFilter(provinces=("AF-HEL",))),
        ("p:HEL p:AF-KAB", ItemFilter(provinces=("AF-HEL", "AF-KAB"))),
        ("p:pk p:Tajikistan", ItemFilter(provinces=("PK", "TJ"))),
        ('p:"sar-e pol" p:Sar-e-Pol', ItemFilter(provinces=("AF-SAR",))),
        ("actor:isk a:Taliban a:ISKP", ItemFilter(actors=("isk", "taliban"))),
        ('a:"Islamic State Khorasan"', ItemFilter(actors=("isk",))),
        ('front:"Panjshir & Andarab"', ItemFilter(provinces=("AF-PAN", "AF-BGL"))),
        ("front:kabul p:helmand", ItemFilter(provinces=("AF-KAB", "AF-HEL"))),
        ("group:taliban", ItemFilter(actors=("taliban", "haqqani-network"))),
        ("outlet:tolonews feed:pajhwok", ItemFilter(outlets=("TOLOnews",), feeds=("Pajhwok",))),
        ("since:24h", ItemFilter(since=NOW - timedelta(hours=24))),
        (
            "since:7d until:2026-11-18",
            ItemFilter(since=NOW - timedelta(days=7), until=datetime(2026, 11, 19, tzinfo=UTC)),
        ),
        ("since:2026-11-01T06:30:00Z", ItemFilter(since=datetime(2026, 11, 1, 6, 30, tzinfo=UTC))),
        ("is:unread is:flagged", ItemFilter(unread=True, flagged=True)),
        ("is:read", ItemFilter(unread=False)),
        ("suicide attack", ItemFilter(text="suicide attack")),
        (
            'province:helmand actor:isk since:24h "suicide attack"',
            ItemFilter(
                provinces=("AF-HEL",),
                actors=("isk",),
                since=NOW - timedelta(hours=24),
                text='"suicide attack"',
            ),
        ),
        ('"unterminated phrase', ItemFilter(text='"unterminated phrase"')),
        ("at 10:30 today", ItemFilter(text="at 10:30 today")),
    ],
)
def test_parse(text, expected):
    assert parse_query(text, CONFIG, now=NOW) == expected


@pytest.mark.parametrize(
    "text, token",
    [
        ("province:narnia", "province:narnia"),
        ("a:klingons", "a:klingons"),
        ("front:nowhere", "front:nowhere"),
        ('group:"no such group"', 'group:"no such group"'),
        ("outlet:cnn", "outlet:cnn"),
        ("since:yesterday", "since:yesterday"),
        ("is:important", "is:important"),
        ("colour:red", "colour:red"),
        ("province:", "province:"),
    ],
)
def test_errors_name_the_token(text, token):
    with pytest.raises(QueryError) as err:
        parse_query(f"kabul {text} since:24h", CONFIG, now=NOW)
    assert err.value.token == token
    assert token in str(err.value)


@pytest.mark.parametrize(
    "text",
    [
        'province:helmand actor:isk since:24h "suicide attack"',
        'front:"Panjshir & Andarab" group:IMU until:2026-11-18 is:read is:unflagged',
        'outlet:TOLOnews feed:"Tolo English" ambush kabul',
        '"at 10:30" night raid',
        "",
    ],
)
def test_format_round_trips(text):
    flt = parse_query(text, CONFIG, now=NOW)
    assert parse_query(format_query(flt), CONFIG, now=NOW) == flt


def test_outlet_and_feed_names_are_free_without_configured_feeds():
    flt = parse_query('outlet:"Any Outlet"', Config(), now=NOW)
    assert flt.outlets == ("Any Outlet",)


def test_panes_are_fronts_groups_and_saved_queries():
    config = Config(
        **default_sections(),
        queries=[
            {"name": "Helmand ISK", "query": "p:helmand a:isk", "pane": True},
            {"name": "not a pane", "query": "p:kabul"},
        ],
    )
    panes = {spec.name: spec.filter for spec in pane_specs(config, NOW)}
    assert panes["Panjshir & Andarab"] == ItemFilter(provinces=("AF-PAN", "AF-BGL"))
    assert panes["Helmand ISK"] == ItemFilter(provinces=("AF-HEL",), actors=("isk",))
    assert "not a pane" not in panes


def test_command_line_flags_and_query_combine():
    parser = argparse.ArgumentParser()
    add_filter_args(parser)
    args = parser.parse_args(
        [
            "--query",
            "a:isk ambush",
            "--province",
            "helmand",
            "--front",
            "Kabul",
            "--since",
            "7d",
            "--search",
            '"night raid"',
            "--unread",
        ]
    )
    flt = filter_from_args(args, CONFIG, now=NOW)
    assert flt == ItemFilter(
        provinces=("AF-HEL", "AF-KAB"),
        actors=("isk",),
        since=NOW - timedelta(days=7),
        text='ambush "night raid"',
        unread=True,
    )
    bad = parser.parse_args(["--actor", "martians"])
    with pytest.raises(QueryError, match="martians"):
        filter_from_args(bad, CONFIG, now=NOW)
