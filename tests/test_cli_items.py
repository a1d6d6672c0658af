"""The query commands end to end, in process: items, export, prune, stats, feeds."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from afmon.cli import main
from store import ItemFilter, Store
from tests.test_store_support import entry, ok

NOW = datetime.now(UTC)
CONFIG = """# operator's notes stay
[[feeds]]
name = "Tolo English"
url = "https://tolo.example/rss"
outlet = "TOLOnews"

[[feeds]]
name = "Pajhwok"
url = "https://pajhwok.example/rss"

[[fronts]]
name = "Panjshir & Andarab"
provinces = ["AF-PAN", "AF-BGL"]
"""


@pytest.fixture
def env(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG)
    db = tmp_path / "a.db"
    from core.config import load_config

    store = Store.open(db)
    ids = {f.name: f.id for f in store.sync_feeds(load_config(cfg).feeds)}
    tolo, paj = ids["Tolo English"], ids["Pajhwok"]
    d = timedelta(days=1)
    store.record_fetch(
        tolo,
        ok(NOW),
        [
            entry(
                "a",
                "ISK attack in Helmand\x1b[31m",
                "Lashkar Gah",
                age=d / 2,
                codes=("AF-HEL", "isk"),
                now=NOW,
            ),
            entry("b", "Clashes in Andarab", "NRF", age=2 * d, codes=("AF-BGL", "nrf"), now=NOW),
            entry("c", "Old Kabul story", "", age=400 * d, codes=("AF-KAB",), now=NOW),
        ],
        now=NOW,
    )
    store.record_fetch(
        paj,
        ok(NOW),
        [
            entry("d", "Helmand floods", "UN", age=3 * d, codes=("AF-HEL", "un"), now=NOW),
        ],
        now=NOW,
    )
    store.close()
    return ["--config", str(cfg), "--db", str(db)], tmp_path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_items_json_lines_carry_the_contract_fields(env, capsys):
    args, _ = env
    code, out, _ = run(capsys, "items", *args, "--province", "helmand", "--since", "7d", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["title"] for r in rows] == ["ISK attack in Helmand\x1b[31m", "Helmand floods"]
    assert set(rows[0]) == {"id", "feed", "title", "url", "published", "provinces", "actors"}
    assert rows[0]["provinces"] == ["AF-HEL"] and rows[0]["actors"] == ["isk"]
    assert rows[0]["feed"] == "Tolo English" and rows[0]["published"].endswith("Z")


@pytest.mark.parametrize(
    "flags, titles",
    [
        (["--front", "Panjshir & Andarab"], ["Clashes in Andarab"]),
        (["--actor", "isk", "--province", "AF-HEL"], ["ISK attack in Helmand"]),
        (["--query", "p:helmand outlet:pajhwok"], ["Helmand floods"]),
        (["--search", "clash"], ["Clashes in Andarab"]),
        (["--limit", "1"], ["ISK attack in Helmand"]),
    ],
)
def test_items_table_is_filtered_and_sanitised(env, capsys, flags, titles):
    args, _ = env
    code, out, _ = run(capsys, "items", *args, *flags)
    assert code == 0
    lines = out.splitlines()[1:]
    assert len(lines) == len(titles)
    for line, title in zip(lines, titles, strict=True):
        assert title in line
    assert "\x1b" not in out


@pytest.mark.parametrize(
    "flags, named",
    [
        (["--front", "Nowhere"], "Nowhere"),
        (["--province", "narnia"], "narnia"),
        (["--actor", "klingons"], "klingons"),
        (["--query", "colour:red"], "colour:red"),
    ],
)
def test_unknown_names_exit_2_naming_them(env, capsys, flags, named):
    args, _ = env
    code, out, err = run(capsys, "items", *args, *flags)
    assert code == 2 and out == ""
    assert named in err and "Traceback" not in err


def test_export_jsonl_and_csv_with_evidence(env, capsys):
    args, tmp = env
    code, out, _ = run(capsys, "export", *args, "--actor", "isk", "--format", "jsonl")
    assert code == 0
    (rec,) = [json.loads(line) for line in out.splitlines()]
    assert {
        "summary",
        "link",
        "outlet",
        "published",
        "first_seen",
        "provinces",
        "actors",
        "evidence",
    } <= set(rec)
    assert rec["outlet"] == "TOLOnews" and rec["summary"] == "Lashkar Gah"
    assert {e["code"] for e in rec["evidence"]} == {"AF-HEL", "isk"}
    target = tmp / "out.csv"
    code, _, err = run(capsys, "export", *args, "--format", "csv", "--output", str(target))
    assert code == 0 and "exported 4 items" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert len(rows) == 4 and rows[0]["provinces"] == "AF-HEL"
    assert json.loads(rows[0]["evidence"])[0]["kind"] in ("province", "actor")


def test_prune_dry_run_then_real_run_keeps_flagged(env, capsys):
    args, _ = env
    code, out, _ = run(capsys, "prune", *args, "--older-than", "180d", "--dry-run")
    assert code == 0 and out.startswith("would remove 1 items and 1 tags")
    assert "Tolo English" in out
    code, out, _ = run(capsys, "prune", *args, "--older-than", "180d")
    assert code == 0 and out.startswith("removed 1 items")
    code, out, _ = run(capsys, "prune", *args, "--older-than", "180d")
    assert out.startswith("removed 0 items")
    code, _, err = run(capsys, "prune", *args, "--older-than", "soon")
    assert code == 2 and "--older-than" in err


def test_stats_reports_size_and_counts(env, capsys):
    args, _ = env
    code, out, _ = run(capsys, "stats", *args, "--json")
    s = json.loads(out)
    assert code == 0 and s["items"] == 4 and s["size_bytes"] > 0
    assert s["by_outlet"] == {"TOLOnews": 3, "Pajhwok": 1}
    assert s["by_province"]["AF-HEL"] == 2 and s["by_actor"]["isk"] == 1
    code, out, _ = run(capsys, "stats", *args)
    assert "Helmand" in out and "Islamic State Khorasan" in out and "MB" in out


def test_feeds_lists_health_as_table_and_json(env, capsys):
    args, _ = env
    code, out, _ = run(capsys, "feeds", *args, "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["name"] for r in rows] == ["Pajhwok", "Tolo English"]
    assert rows[1]["item_count"] == 3 and rows[1]["status"] == "ok"
    assert {
        "http_status",
        "last_success",
        "last_error",
        "error_count",
        "next_try",
        "current_url",
        "silent",
    } <= set(rows[0])
    code, out, _ = run(capsys, "feeds", *args)
    assert "Tolo English" in out and "status" in out


def test_feeds_export_and_import_append_only_new_feeds(env, capsys):
    args, tmp = env
    cfg = tmp / "config.toml"
    code, opml, _ = run(capsys, "feeds", "export", "--config", str(cfg))
    assert code == 0 and opml.count('type="rss"') == 2
    extra = opml.replace(
        "</body>",
        '<outline text="New folder"><outline type="rss" '
        'text="Ariana" xmlUrl="https://ariana.example/rss"/></outline>'
        '<outline type="rss" text="Gopher" xmlUrl="gopher://x"/></body>',
    )
    src = tmp / "in.opml"
    src.write_text(extra)
    code, out, _ = run(capsys, "feeds", "import", str(src), "--config", str(cfg))
    assert code == 0 and "4 feeds found, 1 added" in out and "3 skipped" in out
    text = cfg.read_text()
    assert text.startswith(CONFIG) and "# operator's notes stay" in text
    assert 'name = "Ariana"' in text and 'outlet = "New folder"' in text
    code, out, _ = run(capsys, "feeds", "import", str(src), "--config", str(cfg))
    assert "0 added" in out and cfg.read_text() == text


def test_feeds_import_writes_nothing_when_the_result_would_be_invalid(env, capsys):
    _, tmp = env
    cfg = tmp / "config.toml"
    cfg.write_text(CONFIG + '\n[[fronts]]\nname = "Bad"\nprovinces = ["AF-XXX"]\n')
    before = cfg.read_bytes()
    src = tmp / "in.opml"
    src.write_text(
        '<opml version="2.0"><body><outline type="rss" text="A" '
        'xmlUrl="https://a.example/rss"/></body></opml>'
    )
    code, _, err = run(capsys, "feeds", "import", str(src), "--config", str(cfg))
    assert code == 2 and "AF-XXX" in err and cfg.read_bytes() == before
    src.write_text('<!DOCTYPE x [<!ENTITY a "b">]><opml/>')
    cfg.write_text(CONFIG)
    code, _, err = run(capsys, "feeds", "import", str(src), "--config", str(cfg))
    assert code == 2 and "DOCTYPE" in err and cfg.read_text() == CONFIG


def test_feeds_import_keeps_the_outlet_from_category_or_title(env, capsys):
    from analysis.grades import Grader
    from core.config import load_config

    _, tmp = env
    cfg = tmp / "config.toml"
    src = tmp / "reader.opml"
    # How other readers export: flat outlines, the outlet in `category` or in `title`.
    src.write_text(
        '<opml version="2.0"><body>'
        '<outline type="rss" text="Al Jazeera English: Asia" title="Al Jazeera"'
        ' xmlUrl="https://aj.example/asia"/>'
        '<outline type="rss" text="UN News: Asia Pacific" category="/News/un news"'
        ' xmlUrl="https://un.example/asia"/>'
        '<outline type="rss" text="Somebody\'s blog" xmlUrl="https://blog.example/rss"/>'
        "</body></opml>"
    )
    code, out, _ = run(capsys, "feeds", "import", str(src), "--config", str(cfg))
    assert code == 0 and "3 added" in out
    config = load_config(cfg)
    outlets = {f.name: f.outlet_name for f in config.feeds}
    assert outlets["Al Jazeera English: Asia"] == "Al Jazeera"
    assert outlets["UN News: Asia Pacific"] == "UN News"  # the known outlet's spelling
    assert outlets["Somebody's blog"] == "Somebody's blog"
    grader = Grader(config)
    assert grader.grade("UN News") == "A"  # graded as the outlet it is, not F


def test_export_carries_read_flag_note_escalation_grade_and_story(env, capsys):
    from analysis.storage import assign_pending

    args, tmp = env
    db = Path(args[args.index("--db") + 1])
    store = Store.open(db)
    (item,) = store.query_items(ItemFilter(actors=("isk",)))
    store.set_read(item.id)
    store.set_note(item.id, "check with the desk")
    store.escalate(item.id, "two sources")
    assign_pending(store)
    story = store.story_of(item.id)
    store.close()
    code, out, _ = run(capsys, "export", *args, "--actor", "isk")
    (rec,) = [json.loads(line) for line in out.splitlines()]
    assert rec["read"] is True and rec["flagged"] is True
    assert rec["note"] == "check with the desk" and rec["escalation"] == "two sources"
    assert rec["escalated"].endswith("Z") and rec["acknowledged"] is None
    assert rec["grade"] == "B"  # TOLOnews, by the default grades
    assert rec["story"] == {"id": story.id, "title": story.title, "reports": 1}
    target = tmp / "out.csv"
    code, _, _ = run(
        capsys, "export", *args, "--actor", "isk", "--format", "csv", "-o", str(target)
    )
    (row,) = list(csv.DictReader(io.StringIO(target.read_text())))
    assert (row["read"], row["flagged"], row["grade"], row["story_id"]) == (
        "1",
        "1",
        "B",
        str(story.id),
    )
    assert row["note"] == "check with the desk" and row["story"] == story.title
