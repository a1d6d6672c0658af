"""config.toml: the shipped file is valid and complete; mistakes name the key, reason and line."""

from __future__ import annotations

import json
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from afmon.defaults import default_sections
from analysis.grades import Grader, default_grades
from core.config import ConfigError, load_config, parse_config
from core.vocab import ACTORS

ROOT = Path(__file__).resolve().parent.parent


def errors_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    return info.value.errors


def test_shipped_config_is_valid_and_lists_the_outlets():
    config = load_config(ROOT / "config.toml")
    assert len(config.feeds) >= 30
    outlets = {feed.outlet_name for feed in config.feeds}
    for outlet in (
        "RFE/RL Radio Azadi",
        "RFE/RL Radio Mashaal",
        "VOA Afghanistan",
        "Al Jazeera",
        "Reuters",
        "UN News",
        "UN Press",
        "UNAMA",
        "ReliefWeb (OCHA)",
        "Human Rights Watch",
        "Foreign Policy",
        "The Diplomat",
        "FDD's Long War Journal",
        "Combating Terrorism Center at West Point",
        "Anadolu Agency",
        "Arab News",
        "Eurasianet",
        "bne IntelliNews",
        "TOLOnews",
        "Pajhwok Afghan News",
        "Khaama Press",
        "Amu TV",
        "Afghanistan International",
        "Ariana News",
        "Hasht-e Subh (8am)",
        "RFE/RL Uzbek Service (Ozodlik)",
        "RFE/RL Tajik Service (Ozodi)",
        # the seed outlets
        "The New York Times",
        "Politico",
        "Foreign Affairs",
        "Hindustan Times",
        "The Washington Post",
        "The National Interest",
        "Republic World",
    ):
        assert outlet in outlets, outlet
    assert all(feed.url.startswith(("http://", "https://")) for feed in config.feeds)


def test_shipped_config_drops_the_dead_and_wrong_feeds():
    urls = {feed.url for feed in load_config(ROOT / "config.toml").feeds}
    assert not any("sigar.mil" in url for url in urls)  # SIGAR closed on 31 January 2026
    assert not any("afintl.com/ps" in url for url in urls)  # no such path seen anywhere
    assert "https://www.voanews.com/api/zkmgqegvmi" not in urls  # an id seen nowhere
    assert "https://www.voanews.com/api/z_-mqyl-vomx-tpevyvqv" in urls


def test_every_shipped_feed_says_where_it_was_seen_and_how_sure_we_are():
    config = load_config(ROOT / "config.toml")
    assert all(feed.confidence in ("evidenced", "plausible") for feed in config.feeds)
    blocks = (ROOT / "config.toml").read_text(encoding="utf-8").split("[[feeds]]\n")[1:]
    assert len(blocks) == len(config.feeds)
    for feed, block in zip(config.feeds, blocks, strict=True):
        assert block.startswith("# "), f"{feed.name}: no comment saying where it was seen"
        if not feed.enabled:
            comment = block[: block.index("name =")]
            assert "disabled" in comment, f"{feed.name}: disabled without a reason"


def test_every_shipped_outlet_has_the_default_grade():
    config = load_config(ROOT / "config.toml")
    graded = {o.name: o.grade for o in config.outlets}
    defaults = default_grades()
    for outlet in sorted({feed.outlet_name for feed in config.feeds}):
        assert outlet in graded, f"{outlet}: no [[outlets]] grade in config.toml"
        assert graded[outlet] == defaults.get(outlet), f"{outlet}: config and grades.toml differ"


def test_the_demo_grades_its_real_outlets_as_the_shipped_config_does():
    # The demo corpus spells some outlets shorter than config.toml; each must get the shipped
    # outlet's grade, not F. Only the outlets of its deliberately broken feeds stay ungraded.
    config = load_config(ROOT / "config.toml")
    shipped = Grader(config)
    demo = Grader(None)
    same = {
        "ReliefWeb": "ReliefWeb (OCHA)",
        "Long War Journal": "FDD's Long War Journal",
        "RFE/RL Ozodi": "RFE/RL Tajik Service (Ozodi)",
        "RFE/RL Ozodlik": "RFE/RL Uzbek Service (Ozodlik)",
        "VOA Dari": "VOA Afghanistan",
        "Al Jazeera": "Al Jazeera",
    }
    corpus = json.loads((ROOT / "afmon/demo/corpus/feeds.json").read_text(encoding="utf-8"))
    outlets = {feed["outlet"] for feed in corpus["feeds"]}
    for short, name in same.items():
        assert short in outlets, short
        assert demo.grade(short) == shipped.grade(name) != "F", short
    broken = {"Bakhtar Mirror", "Kabul Daily Wire", "Afghan Voice Agency"}
    assert {o for o in outlets if demo.grade(o) == "F"} == broken


def test_shipped_fronts_match_the_defaults_the_demo_uses():
    shipped = tomllib.loads((ROOT / "config.toml").read_text())
    defaults = default_sections()
    for section in ("fronts", "threat_groups", "watch"):
        assert shipped[section] == defaults[section], section


def test_default_fronts_and_groups_cover_the_issue():
    config = load_config(ROOT / "config.toml")
    fronts = {f.name: set(f.provinces) for f in config.fronts}
    assert fronts["Panjshir & Andarab"] == {"AF-PAN", "AF-BGL"}
    assert {"AF-BDS", "AF-TAK", "AF-KDZ", "AF-BGL"} <= fronts["Northern corridor / Tajik border"]
    assert fronts["Salang–Bagram"] == {"AF-PAR", "AF-KAP"}
    assert fronts["Kabul"] == {"AF-KAB"}
    assert fronts["East"] == {"AF-NAN", "AF-KNR", "AF-NUR", "AF-LAG", "AF-KHO", "AF-PIA", "AF-PKA"}
    groups = {g.name: g.actors for g in config.threat_groups}
    for slug in ("isk", "al-qaeda", "jamaat-ansarullah", "imu", "ttm", "ttp", "nrf", "taliban"):
        assert any(slug in actors for actors in groups.values()), slug
    assert set().union(*groups.values()) <= set(ACTORS)


def test_unknown_key_is_named_with_its_line():
    errs = errors_of('[settings]\npoll_interval = "5m"\npoll_intervall = "5m"\n')
    assert errs == ["settings.poll_intervall: unknown key (line 3)"]


def test_unknown_province_code_and_actor_slug_are_named():
    errs = errors_of(
        '[[fronts]]\nname = "X"\nprovinces = ["AF-PAN", "AF-ZZZ"]\n'
        '[[threat_groups]]\nname = "Y"\nactors = ["isk", "daesh-k"]\n'
    )
    assert any("fronts[0].provinces" in e and "'AF-ZZZ'" in e and "line 3" in e for e in errs)
    assert any("threat_groups[0].actors" in e and "'daesh-k'" in e and "line 6" in e for e in errs)


def test_non_http_feed_url_is_rejected():
    errs = errors_of('[[feeds]]\nname = "a"\nurl = "file:///etc/passwd"\n')
    assert errs and errs[0].startswith("feeds[0].url:") and "http" in errs[0]


def test_wrong_type_and_bad_duration_are_reported():
    errs = errors_of('[settings]\nconcurrency = "many"\npoll_interval = "soon"\n')
    assert any(e.startswith("settings.concurrency:") for e in errs)
    assert any(e.startswith("settings.poll_interval:") and "duration" in e for e in errs)


def test_invalid_toml_is_one_error():
    errs = errors_of("[[feeds]\nname=")
    assert len(errs) == 1 and errs[0].startswith("invalid TOML")


def test_duplicate_feed_names_are_rejected():
    errs = errors_of(
        '[[feeds]]\nname = "a"\nurl = "http://x/1"\n[[feeds]]\nname = "a"\nurl = "http://x/2"\n'
    )
    assert any("duplicate name 'a'" in e for e in errs)


def test_durations_and_defaults():
    config = parse_config(
        '[settings]\npoll_interval = "90s"\n[[feeds]]\nname="a"\nurl="https://h/f"\ninterval="2h"\n'
    )
    assert config.settings.poll_interval == timedelta(seconds=90)
    assert config.feeds[0].interval == timedelta(hours=2)
    assert config.feeds[0].outlet_name == "a"
    assert config.settings.max_body_bytes == 10_000_000
    assert "afmon/" in config.settings.user_agent


def test_unreadable_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "missing.toml")
    assert "cannot read" in info.value.errors[0]


def test_timezone_defaults_to_kabul_and_an_unknown_zone_is_named_with_its_line():
    assert parse_config("").settings.zone.key == "Asia/Kabul"
    errs = errors_of('[settings]\ntimezone = "Asia/Kabool"\n')
    assert errs == [
        "settings.timezone: unknown time zone 'Asia/Kabool' (an IANA name, e.g. Asia/Kabul)"
        " (line 2)"
    ]
