"""Situation reports and the stories command over a fixture database with a fixed clock.

The Markdown report is compared with tests/data/sitrep_expected.md exactly; regenerate it with
AFMON_UPDATE_SITREP=1 only after reading the difference.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from afmon.cli import main
from analysis.sitrep import build, to_dict, to_markdown
from analysis.storage import assign_pending
from core.config import parse_config
from store import Entry, FeedUpdate, TagResult
from tests.benchmods import bench_module

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "data" / "sitrep_expected.md"
NOW = datetime(2025, 3, 14, 20, 0, tzinfo=UTC)
CONFIG = """
[[fronts]]
name = "Kabul"
provinces = ["AF-KAB"]

[[fronts]]
name = "Northern corridor"
provinces = ["AF-BDS", "AF-TAK", "AF-KDZ", "AF-BGL", "TJ"]

[[threat_groups]]
name = "Islamic State Khorasan"
actors = ["isk"]

[[threat_groups]]
name = "Resistance"
actors = ["nrf", "aff"]

[[outlets]]
name = "Kabul Now"
grade = "C"
"""
# Three separate ISKP events in Kunduz on the last day: a surge against a quiet baseline.
SURGE = [
    ("03-14 07:00", "ISKP gunmen attack Taliban checkpoint in Kunduz, 2 killed"),
    ("03-14 12:00", "Daesh claims bombing of a Taliban vehicle near Kunduz airport"),
    ("03-14 17:30", "Taliban raid ISKP hideout in Kunduz's Imam Sahib district"),
]


def _bench():
    return bench_module("cluster_bench")


@pytest.fixture
def fixture_db(tmp_path):
    bench = _bench()
    store, ids = bench.fill_store(tmp_path / "sitrep.db", bench.load_cases())
    feed = store.feeds()[0]
    for n, (at, title) in enumerate(SURGE):
        when = datetime.strptime(f"2025-{at}", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        entry = Entry(
            key=f"surge-{n}",
            title=title,
            summary="",
            link=None,
            author=None,
            language="en",
            published=when,
            published_raw=None,
            content_hash=str(n),
            tags=TagResult(provinces=("AF-KDZ",), actors=("isk", "taliban")),
        )
        store.record_fetch(feed.id, FeedUpdate(attempted=when, status="ok"), [entry], now=when)
    blast = next(c for c in bench.load_cases() if c["title"].startswith("Blast in Kabul"))
    store.add_alert(
        "ISKP attack in Kabul",
        ids[blast["id"] - 1],
        "Blast in Kabul's Karte Sakhi",
        now=NOW - timedelta(hours=6),
    )
    assign_pending(store)
    yield store, tmp_path / "sitrep.db"
    store.close()


def test_markdown_report_matches_expected_file(fixture_db):
    store, _path = fixture_db
    config = parse_config(CONFIG)  # the default zone, Asia/Kabul, with UTC beside it
    text = to_markdown(build(store, config, NOW), config.settings.zone)
    if os.environ.get("AFMON_UPDATE_SITREP"):
        EXPECTED.write_text(text, encoding="utf-8")
    assert text == EXPECTED.read_text(encoding="utf-8")


def test_report_counts_stories_against_previous_window(fixture_db):
    store, _path = fixture_db
    report = build(store, parse_config(CONFIG), NOW, fronts=["Kabul"])
    (kabul,) = report.sections
    assert (kabul.stories, kabul.reports) == (1, 3)
    assert kabul.top[0].corroborated and len(kabul.top[0].sources) == 3
    assert [rule for _t, rule, _m in kabul.alerts] == ["ISKP attack in Kabul"]
    # The three ISKP events in Kunduz are three stories (the 17:30 raid is no report of the
    # 07:00 attack): Kunduz x Taliban 4 and Kunduz x ISKP 3 against 0, 0, 1, 0.
    assert [(c.province, c.actor, c.latest) for c in report.surges] == [
        ("AF-KDZ", "taliban", 4),
        ("AF-KDZ", "isk", 3),
    ]


def test_json_report_is_the_same_model(fixture_db):
    store, _path = fixture_db
    data = to_dict(build(store, parse_config(CONFIG), NOW, groups=["Resistance"]))
    assert data["window"] == "1d"
    assert [s["name"] for s in data["sections"]] == ["Resistance"]
    json.dumps(data)


def _run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_sitrep_command_writes_the_expected_file(fixture_db, tmp_path, capsys):
    _store, db = fixture_db
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    out_file = tmp_path / "report.md"
    code, _out, err = _run(
        [
            "sitrep",
            "--config",
            str(config),
            "--db",
            str(db),
            "--now",
            NOW.isoformat(),
            "-o",
            str(out_file),
        ],
        capsys,
    )
    assert code == 0 and str(out_file) in err
    assert out_file.read_text(encoding="utf-8") == EXPECTED.read_text(encoding="utf-8")


def test_sitrep_command_rejects_unknown_front_and_bad_window(fixture_db, tmp_path, capsys):
    _store, db = fixture_db
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    base = ["sitrep", "--config", str(config), "--db", str(db)]
    code, _out, err = _run([*base, "--front", "Mars"], capsys)
    assert code == 2 and "--front" in err and "Mars" in err
    code, _out, err = _run([*base, "--since", "soon"], capsys)
    assert code == 2 and "--since" in err


def test_stories_command_json_lines(fixture_db, tmp_path, capsys):
    _store, db = fixture_db
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    code, out, _err = _run(
        [
            "stories",
            "--config",
            str(config),
            "--db",
            str(db),
            "--json",
            "--front",
            "Kabul",
            "--corroborated",
            "--event",
            "suicide_attack",
        ],
        capsys,
    )
    assert code == 0
    (line,) = [json.loads(x) for x in out.splitlines()]
    assert {"story", "title", "outlets", "items", "first_seen"} <= set(line)
    assert len(line["outlets"]) == 6 and len(line["items"]) == 7
    assert line["first_seen"] == "2025-03-10T09:40:00Z"
    assert line["grades"]["Reuters"] == "A"


def test_stories_command_readable_list_and_grade_filter(fixture_db, tmp_path, capsys):
    _store, db = fixture_db
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    base = ["stories", "--config", str(config), "--db", str(db)]
    code, out, _err = _run([*base, "--province", "AF-KAB", "--limit", "3"], capsys)
    assert code == 0 and "copies" in out and "✔" in out and "[B]" in out
    code, out, _err = _run([*base, "--grade", "A", "--json", "--limit", "100"], capsys)
    assert code == 0
    assert all(any(g == "A" for g in json.loads(x)["grades"].values()) for x in out.splitlines())
    code, _out, err = _run([*base, "--limit", "0"], capsys)
    assert code == 2 and "--limit" in err
