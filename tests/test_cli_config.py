"""`afmon config check`: a one-line summary, or one line per error naming key and reason."""

from __future__ import annotations

from afmon.cli import main

GOOD = """
[[feeds]]
name = "Tolo"
url = "https://tolo.example/rss"

[[fronts]]
name = "South"
provinces = ["AF-KAN", "AF-HEL"]

[[threat_groups]]
name = "ISK"
actors = ["isk"]
"""


def test_valid_config_prints_a_summary(tmp_path, capsys):
    cfg = tmp_path / "config.toml"
    cfg.write_text(GOOD)
    assert main(["config", "check", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "1 feeds, 1 fronts, 1 threat groups" in out


def test_unknown_province_and_actor_are_each_named(tmp_path, capsys):
    cfg = tmp_path / "config.toml"
    cfg.write_text(GOOD.replace('"AF-HEL"', '"AF-XYZ"').replace('"isk"', '"martians"'))
    assert main(["config", "check", "--config", str(cfg)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert any("fronts[0].provinces" in e and "AF-XYZ" in e and "line" in e for e in err)
    assert any("threat_groups[0].actors" in e and "martians" in e for e in err)


def test_saved_query_with_unknown_name_is_reported(tmp_path, capsys):
    cfg = tmp_path / "config.toml"
    cfg.write_text(GOOD + '\n[[queries]]\nname = "q"\nquery = "p:narnia"\n')
    assert main(["config", "check", "--config", str(cfg)]) == 2
    assert "queries[0].query: p:narnia: unknown province" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["config", "check", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_every_error_is_reported_in_one_run_each_with_its_line(tmp_path, capsys):
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        GOOD.replace('"AF-HEL"', '"AF-XYZ"')  # a field error ...
        + '\n[[feeds]]\nname = "Tolo"\nurl = "https://tolo.example/other"\n'  # ... a duplicate
        + '\n[[fronts]]\nname = "South"\nprovinces = ["AF-KAB"]\n'  # another duplicate
        + '\n[[queries]]\nname = "q"\nquery = "actor:iks"\n'  # ... and a bad saved query
    )
    assert main(["config", "check", "--config", str(cfg)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 4, err
    assert any("fronts[0].provinces" in e and "AF-XYZ" in e and "(line 8)" in e for e in err)
    assert any(
        "feeds[1].name: duplicate name 'Tolo'" in e and "feeds[0]" in e and "(line 15)" in e
        for e in err
    )
    assert any("fronts[1].name: duplicate name 'South'" in e and "(line 19)" in e for e in err)
    assert any(
        "queries[0].query: actor:iks: unknown actor (did you mean isk" in e and "(line 24)" in e
        for e in err
    )


def test_shipped_config_passes_the_check(capsys):
    from pathlib import Path

    from core.config import load_config

    shipped = Path(__file__).resolve().parent.parent / "config.toml"
    assert main(["config", "check", "--config", str(shipped)]) == 0
    feeds = len(load_config(shipped).feeds)
    assert f": ok — {feeds} feeds" in capsys.readouterr().out
