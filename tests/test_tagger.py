"""The tagger as a specification: table cases from tests/data/tagger_cases.toml, the data
files' validation, evidence offsets, operator extras, caching, threads and the CLI."""

from __future__ import annotations

import json
import threading
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from afmon.cli import main
from core.config import ActorAlias, Config, PlaceAlias, TaggerConfig
from core.textnorm import normalize
from core.vocab import ACTORS, COUNTRIES, PROVINCES
from feeds.tagger import Tagger, get_tagger
from feeds.tagger_data import PlaceFile, ProvinceFile, Rule, load_data

CASES_FILE = Path(__file__).parent / "data" / "tagger_cases.toml"
CASES: list[dict] = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))["case"]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.load()


def _id(case: dict) -> str:
    return f"{case['group']}:{case['text'][:40]}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_table_case(tagger, case):
    result = tagger.tag(case["text"], case.get("summary", ""))
    assert list(result.provinces) == sorted(case["provinces"]), result.evidence
    assert list(result.actors) == sorted(case["actors"]), result.evidence
    combined = case["text"] + "\n" + case.get("summary", "")
    for tag in result.evidence:
        assert combined[tag.start : tag.end] == tag.text


# -- the case file itself --------------------------------------------------------------------
def test_case_file_is_large_and_covers_every_code():
    assert len(CASES) >= 300
    provinces = {p for c in CASES for p in c["provinces"]}
    actors = {a for c in CASES for a in c["actors"]}
    assert set(PROVINCES) <= provinces
    assert set(COUNTRIES) <= provinces
    assert set(ACTORS) <= actors
    groups = {c["group"] for c in CASES}
    needed = {"spelling", "script", "pashto", "normalise", "longest", "dateline", "capital-gov"}
    needed |= {"time-anchor", "reference", "contains-place", "farah", "river", "shared-name"}
    needed |= {"vague", "substring", "state", "foreign", "place", "old-spelling"}
    assert needed <= groups


def test_every_case_names_only_known_codes():
    for case in CASES:
        assert set(case["provinces"]) <= set(PROVINCES) | set(COUNTRIES), case
        assert set(case["actors"]) <= set(ACTORS), case


# -- data files ------------------------------------------------------------------------------
def test_shipped_data_is_complete():
    provinces, places, actors, rules = load_data()
    assert set(provinces.province) == set(PROVINCES)
    assert len(places.places()) >= 250
    assert set(actors.actor) == set(ACTORS)
    assert rules.rule and rules.shadow
    scripts = [n for e in provinces.province.values() for n in e.names if not n.isascii()]
    assert len(scripts) >= 34


def test_province_file_must_name_all_34():
    with pytest.raises(ValidationError, match="missing"):
        ProvinceFile.model_validate({"province": {"AF-KAB": {"names": ["Kabul"]}}})


def test_place_file_rejects_unknown_codes():
    with pytest.raises(ValidationError, match="unknown place codes"):
        PlaceFile.model_validate({"place": {"AF-XXX": {"town": ["Nowhere"]}}})


def test_rule_rejects_unknown_actor_slugs():
    with pytest.raises(ValidationError, match="unknown actor slugs"):
        Rule.model_validate(
            {"name": "x", "why": "y", "after": "a", "action": "drop", "actors": ["talibn"]}
        )


def test_rule_rejects_bad_regex_and_unknown_keys():
    with pytest.raises(ValidationError, match="bad regex"):
        Rule.model_validate({"name": "x", "why": "y", "before": "(", "action": "drop"})
    with pytest.raises(ValidationError):
        Rule.model_validate({"name": "x", "why": "y", "after": "a", "action": "drop", "oops": 1})


def test_needs_only_skip_work_never_change_tags(monkeypatch):
    """`needs` is a speed-up: without it every rule is tried, and every tag stays the same."""
    import feeds.tagger as tagger_module

    provinces, places, actors, rules = load_data()
    assert any(r.needs for r in rules.rule)
    bare = rules.model_copy(
        update={"rule": [r.model_copy(update={"needs": []}) for r in rules.rule]}
    )
    monkeypatch.setattr(tagger_module, "load_data", lambda: (provinces, places, actors, bare))
    slow = Tagger.load()
    monkeypatch.undo()
    fast = Tagger.load()
    data = Path(__file__).parent / "data"
    texts = [(c["text"], c.get("summary", "")) for c in CASES]
    # The development sets (the second was opened for development too).
    for path in [
        *data.glob("heldout/*_real.toml"),
        *data.glob("heldout2/*_real.toml"),
        *data.glob("dev4/*_real.toml"),
    ]:
        items = tomllib.loads(path.read_text(encoding="utf-8"))["item"]
        texts += [(i["title"], i["summary"]) for i in items]
    assert len(texts) > len(CASES) + 600
    assert [fast.tag(t, s) for t, s in texts] == [slow.tag(t, s) for t, s in texts]


# -- evidence --------------------------------------------------------------------------------
def test_implied_actor_uses_the_implying_span(tagger):
    result = tagger.tag("Sirajuddin Haqqani spoke", "")
    assert {(t.code, t.text, t.start, t.end) for t in result.evidence} == {
        ("haqqani-network", "Sirajuddin Haqqani", 0, 18),
        ("taliban", "Sirajuddin Haqqani", 0, 18),
    }


def test_capital_for_the_government_gives_its_actor_on_the_capital_span(tagger):
    result = tagger.tag("Pakistan urges Kabul to act", "")
    assert result.provinces == ()
    assert {(t.code, t.text) for t in result.evidence} == {
        ("pakistan", "Pakistan"),
        ("taliban", "Kabul"),
    }


def test_a_name_qualifying_a_dropped_name_is_dropped_too(tagger):
    dropped = tagger.tag("x", "since the 2021 bombing at Kabul airport in Kabul, flights resumed")
    assert dropped.provinces == ()
    # The same name again is a new mention, not a qualifier.
    kept = tagger.tag("Talks between Tehran and Kabul in Kabul", "")
    assert kept.provinces == ("AF-KAB",)


def test_offsets_point_into_the_original_after_normalisation(tagger):
    title = "گزارش: طَالِبَـان در هـرات"
    result = tagger.tag(title, "ISKP\u00ad attack")
    combined = title + "\n" + "ISKP\u00ad attack"
    texts = {t.code: t.text for t in result.evidence}
    assert texts == {"taliban": "طَالِبَـان", "AF-HER": "هـرات", "isk": "ISKP"}
    for t in result.evidence:
        assert combined[t.start : t.end] == t.text


def test_summary_offsets_count_the_newline(tagger):
    result = tagger.tag("Nothing here", "Blast in Kunduz")
    (tag,) = result.evidence
    assert (tag.start, tag.end, tag.text) == (len("Nothing here\n") + 9, 28, "Kunduz")


def test_normalizer_maps_ligatures_and_drops_marks():
    nz = normalize("ﻻ Straße é")
    assert nz.text == "لا strasse e"
    assert nz.span(0, 2) == (0, 1)
    assert nz.span(3, 10) == (2, 8)  # "strasse" <- "Straße"
    assert nz.span(11, 12) == (9, 10)


def test_result_codes_are_sorted_and_unique(tagger):
    result = tagger.tag("Kabul, Kabul and Herat; Taliban, Taliban", "")
    assert result.provinces == ("AF-HER", "AF-KAB")
    assert result.actors == ("taliban",)
    assert len(result.evidence) == 5


def test_never_raises_on_odd_input(tagger):
    for text in ["", "\n", "\x00", "-" * 5000, "\ud800", "ـ" * 10, "Kabul" * 1000]:
        tagger.tag(text, text)


# -- operator extras -------------------------------------------------------------------------
def test_extra_place_and_alias_apply_and_override_shadows():
    tagger = Tagger.load(
        extra_places=[
            PlaceAlias(name="Qarabagh", code="AF-KAB"),
            PlaceAlias(name="Rashidabad Bazaar", code="AF-BGL"),
        ],
        extra_aliases=[ActorAlias(name="Panjshir Lions", actor="nrf")],
    )
    result = tagger.tag("Panjshir Lions raid Rashidabad Bazaar; clashes in Qarabagh", "")
    assert result.provinces == ("AF-BGL", "AF-KAB")
    assert result.actors == ("nrf",)
    assert Tagger.load().tag("clashes in Qarabagh").provinces == ()


def test_extra_alias_for_haqqani_implies_taliban():
    tagger = Tagger.load(
        extra_aliases=[ActorAlias(name="Miranshah shura", actor="haqqani-network")]
    )
    assert tagger.tag("The Miranshah shura met").actors == ("haqqani-network", "taliban")


def test_get_tagger_caches_per_extras():
    plain = get_tagger()
    assert get_tagger(None) is plain
    config = Config(
        tagger=TaggerConfig(places=[PlaceAlias(name="Zindabad Village", code="AF-LOG")])
    )
    custom = get_tagger(config)
    assert custom is not plain
    assert get_tagger(config) is custom
    assert custom.tag("Zindabad Village").provinces == ("AF-LOG",)
    assert plain.tag("Zindabad Village").provinces == ()


def test_threads_share_one_tagger(tagger):
    texts = [c["text"] for c in CASES]
    expected = [tagger.tag(t) for t in texts]
    failures: list[str] = []

    def work() -> None:
        for text, want in zip(texts, expected, strict=True):
            if tagger.tag(text) != want:
                failures.append(text)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


# -- afmon tag -------------------------------------------------------------------------------
def run(capsys, monkeypatch, argv, stdin=None):
    if stdin is not None:
        import io

        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_tag_text_json(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, monkeypatch, ["tag", "--json", "NRF fighters in Andarab"])
    assert code == 0
    assert json.loads(out) == {
        "id": None,
        "provinces": ["AF-BGL"],
        "actors": ["nrf"],
        "evidence": [
            {"kind": "actor", "code": "nrf", "start": 0, "end": 3, "text": "NRF"},
            {"kind": "province", "code": "AF-BGL", "start": 16, "end": 23, "text": "Andarab"},
        ],
    }


def test_cli_tag_text_readable(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, monkeypatch, ["tag", "Termez shelled; Taliban deny"])
    assert code == 0
    assert "UZ Uzbekistan" in out
    assert "taliban (Taliban)" in out
    assert "Termez" in out


def test_cli_tag_stream_reports_bad_lines_and_continues(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    lines = [
        json.dumps({"id": 7, "title": "Blast in Jalalabad", "summary": "ISKP claimed it"}),
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"id": "x", "title": "Quiet day"}),
    ]
    code, out, err = run(capsys, monkeypatch, ["tag"], "\n".join(lines) + "\n")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == [7, "x"]
    assert rows[0]["provinces"] == ["AF-NAN"] and rows[0]["actors"] == ["isk"]
    ev = rows[0]["evidence"][1]
    assert ("Blast in Jalalabad\nISKP claimed it")[ev["start"] : ev["end"]] == ev["text"]
    assert rows[1] == {"id": "x", "provinces": [], "actors": [], "evidence": []}
    assert "line 2" in err and "line 3" in err


def test_cli_tag_uses_config_extras(capsys, monkeypatch, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[[tagger.places]]\nname = "Qaria Zindajan"\ncode = "AF-HER"\n')
    code, out, _ = run(
        capsys, monkeypatch, ["tag", "--json", "--config", str(cfg), "Qaria Zindajan"]
    )
    assert code == 0
    assert json.loads(out)["provinces"] == ["AF-HER"]


def test_cli_tag_bad_config_exits_2(capsys, monkeypatch, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[[tagger.places]]\nname = "X"\ncode = "AF-NOPE"\n')
    code, _, err = run(capsys, monkeypatch, ["tag", "--config", str(cfg), "Kabul"])
    assert code == 2
    assert "unknown province code" in err


# -- afmon retag -----------------------------------------------------------------------------
def test_cli_retag_applies_new_places_to_stored_items(capsys, monkeypatch, tmp_path):
    from datetime import UTC, datetime

    from core.config import load_config
    from store import ItemFilter, Store
    from tests.test_store_support import entry, ok

    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[[feeds]]\nname = "Pajhwok"\nurl = "https://pajhwok.example/rss"\n\n'
        '[[tagger.places]]\nname = "Qaria Zindajan"\ncode = "AF-HER"\n'
    )
    db = tmp_path / "a.db"
    now = datetime.now(UTC)
    store = Store.open(db)
    (feed,) = store.sync_feeds(load_config(cfg).feeds)
    store.record_fetch(
        feed.id,
        ok(now),
        [
            entry("a", "Flood in Qaria Zindajan", "", now=now),
            entry("b", "Taliban in Kunduz", "", codes=("AF-KAB",), now=now),
        ],
        now=now,
    )
    store.close()

    code, out, _ = run(capsys, monkeypatch, ["retag", "--config", str(cfg), "--db", str(db)])
    assert code == 0
    assert "retagged 2 items" in out
    store = Store.open(db)
    try:
        (herat,) = store.query_items(ItemFilter(provinces=("AF-HER",)))
        assert herat.title == "Flood in Qaria Zindajan"
        (kunduz,) = store.query_items(ItemFilter(provinces=("AF-KDZ",)))
        assert kunduz.actors == ("taliban",)
        assert store.query_items(ItemFilter(provinces=("AF-KAB",))) == []
        assert {t.text for t in store.item_tags(kunduz.id)} == {"Taliban", "Kunduz"}
    finally:
        store.close()


def test_retag_progress_draws_only_on_a_terminal():
    import io

    from afmon.commands.retag import progress_printer

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert progress_printer(io.StringIO()) is None
    tty = Tty()
    show = progress_printer(tty)
    assert show is not None
    show(1, 2)
    show(2, 2)
    assert tty.getvalue() == "\r retagged 1/2\r retagged 2/2"
