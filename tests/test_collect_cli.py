"""`afmon collect` as an operator runs it: a subprocess, a config file, a database file.

Covers the JSON contract, exit codes, --watch stopping on SIGTERM, and crash safety: a
kill -9 in the middle of a pass loses nothing committed and duplicates nothing.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.httpserver import Reply, feed, rss

ROOT = Path(__file__).resolve().parents[1]


def afmon(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "afmon", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def write_config(path: Path, feeds: dict[str, str], extra: str = "") -> Path:
    lines = ['[settings]\nfetch_deadline = "5s"\nread_timeout = "2s"\n', extra]
    for name, url in feeds.items():
        lines.append(f'[[feeds]]\nname = "{name}"\nurl = "{url}"\n')
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_once_json_contract(server, tmp_path):
    server.route("/good", feed(rss([{"title": "One", "guid": "1"}, {"title": "Two", "guid": "2"}])))
    server.route("/bad", Reply(500))
    config = write_config(
        tmp_path / "c.toml", {"Good": server.url("/good"), "Bad": server.url("/bad")}
    )
    run = afmon("collect", "--once", "--json", "--config", str(config), "--db", str(tmp_path / "d"))
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert set(report) == {"new_items", "not_modified", "failed", "seconds", "feeds"}
    assert (report["new_items"], report["not_modified"], report["failed"]) == (2, 0, 1)
    assert isinstance(report["seconds"], float)
    by_name = {f["name"]: f for f in report["feeds"]}
    assert by_name["Good"] == {
        "name": "Good",
        "url": server.url("/good"),
        "status": "ok",
        "http_status": 200,
        "new_items": 2,
        "error": None,
    }
    assert by_name["Bad"]["status"] == "error" and by_name["Bad"]["http_status"] == 500
    assert by_name["Bad"]["error"] == "HTTP 500 Internal Server Error"


def test_once_human_summary(server, tmp_path):
    server.route("/good", feed(rss([{"title": "One", "guid": "1"}])))
    config = write_config(tmp_path / "c.toml", {"Good": server.url("/good")})
    run = afmon("collect", "--once", "--config", str(config), "--db", str(tmp_path / "d"))
    assert run.returncode == 0
    assert "1 feeds: 1 ok, 0 not modified, 0 failed; 1 new items" in run.stdout


def test_config_error_exits_2_naming_the_key(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[[feeds]]\nname = "x"\nurl = "ftp://nope"\n', encoding="utf-8")
    run = afmon("collect", "--once", "--config", str(config), "--db", str(tmp_path / "d"))
    assert run.returncode == 2 and "feeds[0].url" in run.stderr and "Traceback" not in run.stderr


def test_database_that_is_not_sqlite_exits_2(tmp_path):
    config = write_config(tmp_path / "c.toml", {})
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database at all, just some words")
    run = afmon("collect", "--once", "--config", str(config), "--db", str(bogus))
    assert run.returncode == 2 and "not an SQLite database" in run.stderr
    assert "Traceback" not in run.stderr


def test_missing_mode_is_a_usage_error(tmp_path):
    assert afmon("collect").returncode == 2


def test_watch_stops_cleanly_on_sigterm(server, tmp_path):
    server.route("/f", feed(rss([{"title": "One", "guid": "1"}])))
    config = write_config(tmp_path / "c.toml", {"F": server.url("/f")})
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "afmon",
            "collect",
            "--watch",
            "--json",
            "--config",
            str(config),
            "--db",
            str(tmp_path / "d"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    line = proc.stdout.readline()  # one JSON line per feed fetched
    assert json.loads(line)["new_items"] == 1
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    proc.stdout.close()
    proc.stderr.close()


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_kill_9_loses_nothing_committed_and_duplicates_nothing(server, tmp_path):
    feeds, per_feed = 24, 150
    urls = {}
    for n in range(feeds):
        body = rss([{"title": f"f{n} item {i}", "guid": f"{n}-{i}"} for i in range(per_feed)])
        server.route(f"/f{n}", Reply(body=body.encode(), delay=0.15))
        urls[f"Feed {n}"] = server.url(f"/f{n}")
    config = write_config(tmp_path / "c.toml", urls, extra="concurrency = 4\n")
    db = tmp_path / "afmon.db"
    args = [
        sys.executable,
        "-m",
        "afmon",
        "collect",
        "--once",
        "--json",
        "--config",
        str(config),
        "--db",
        str(db),
    ]
    kills = 0
    for wait_for in (1, per_feed * 6):
        proc = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
        )
        deadline = time.monotonic() + 30
        while _count(db) < wait_for and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        # Whatever was committed is whole: every feed has all of its items or none.
        conn = sqlite3.connect(db)
        counts = [r[0] for r in conn.execute("SELECT COUNT(*) FROM items GROUP BY feed_id")]
        conn.close()
        assert set(counts) <= {per_feed}
    assert kills >= 1
    before = {
        r for r in sqlite3.connect(db).execute("SELECT id, feed_id, key, first_seen FROM items")
    }
    run = afmon("collect", "--once", "--json", "--config", str(config), "--db", str(db))
    assert run.returncode == 0, run.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == feeds * per_feed
    assert conn.execute("SELECT COUNT(DISTINCT feed_id || ' ' || key) FROM items").fetchone()[
        0
    ] == (feeds * per_feed)
    after = set(conn.execute("SELECT id, feed_id, key, first_seen FROM items"))
    storyless = conn.execute(
        "SELECT COUNT(*) FROM items WHERE id NOT IN (SELECT item_id FROM item_stories)"
    ).fetchone()[0]
    conn.close()
    assert before <= after  # committed rows survive unchanged, first-seen included
    assert storyless == 0  # items the killed runs stored but never placed have their story now


def test_progress_line_counts_feeds_new_items_and_failures():
    import io
    from types import SimpleNamespace

    from afmon.commands.collect import Progress

    out = io.StringIO()
    progress = Progress(3, out)
    progress.update(SimpleNamespace(new_items=4, status="ok"))
    progress.update(SimpleNamespace(new_items=0, status="error"))
    last = out.getvalue().split("\r")[-1]
    assert "2/3 feeds" in last and "4 new" in last and "1 failed" in last
