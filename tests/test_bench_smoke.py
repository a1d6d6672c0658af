"""`make bench` smoke test: the orchestrator's afmon-only part on tiny sizes, and its JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_afmon_only_bench_writes_results(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run_all.py"), "--quick", "--no-peers"]
        + ["--no-store", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a speed check
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    [path] = tmp_path.glob("2*.json")
    result = json.loads(path.read_text())
    assert set(result["machine"]) >= {"cpu", "cores", "ram_gb", "python", "afmon", "commit"}
    assert result["skipped"] == {"newsboat": "--no-peers", "reader": "--no-peers"}
    expected = result["config"]["feeds"] * result["config"]["items"]
    cold, warm = result["samples"]["afmon"]["cold"][0], result["samples"]["afmon"]["warm"][0]
    assert cold["rc"] == 0 and cold["new_items"] == expected and cold["items"] == expected
    assert warm["new_items"] == 0 and warm["not_modified"] == result["config"]["feeds"]
    summary = result["summary"]["tools"]["afmon"]
    assert summary["cold"]["min_s"] > 0 and summary["warm"]["median_s"] > 0
    assert 10 < summary["peak_rss_mb"] < 1000  # the process tree, sampled
    assert [sc["label"] for sc in result["scenarios"]] == ["bench:2"]
    [floor] = result["inprocess"].values()
    assert floor["warm_s"] > 0 and floor["floor_s"] > 0
    # bench/floor.py, httpx and feedparser alone: every entry parsed cold, nothing re-parsed warm.
    base = result["samples"]["floor"]
    assert base["cold"][0]["rc"] == 0 and base["cold"][0]["items"] == expected
    assert base["warm"][0]["rc"] == 0 and base["warm"][0]["items"] == expected
    assert result["afmon"]["tagger"]["items"] == expected
    assert result["afmon"]["tagger"]["items_per_s"] > 0
    table = (tmp_path / "latest.md").read_text()
    assert "| afmon |" in table and "newsboat | skipped: --no-peers" in table
    assert "| bench:2 |" in table  # one row per corpus
    assert "| floor | httpx + feedparser" in table
