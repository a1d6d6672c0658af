"""Process faults while hostile feeds are in flight: SIGKILL and SIGTERM mid-collect, two
collectors on one database, a full disk. Nothing committed is lost, nothing is duplicated,
the database stays whole."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.hostile.cases import HostileCase, good_cases, http_cases, install, items, toml_for
from tests.httpserver import Reply, TestServer, feed, rss

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {
    "fetch_deadline": "2s",
    "read_timeout": "1s",
    "connect_timeout": "1s",
    "max_body_bytes": 2_000_000,
    "per_host": 16,
    "concurrency": 32,
}
SLOW = ("slow-drip", "header-drip", "hang", "gzip-bomb", "huge-chunked", "reset-mid-body")


def mixed(n_good: int = 12, per_feed: int = 120) -> list[HostileCase]:
    """Slow hostile feeds in flight beside good feeds whose writes are big enough to kill."""
    cases = [c for c in http_cases() if c.name in SLOW]
    for n in range(n_good):
        body = rss(items(per_feed, f"g{n}")).encode()
        cases.append(HostileCase(f"good-{n}", Reply(body=body, delay=0.05 * n), None, per_feed))
    return cases


def write(tmp_path: Path, server: TestServer, cases: list[HostileCase], **extra: object) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(toml_for(server, cases, {**SETTINGS, **extra}), encoding="utf-8")
    return path


def cmd(config: Path, db: Path, *mode: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "afmon",
        "collect",
        *mode,
        "--config",
        str(config),
        "--db",
        str(db),
    ]


def count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    except sqlite3.Error:
        return 0


def snapshot(db: Path) -> set[tuple]:
    conn = sqlite3.connect(db)
    rows = set(conn.execute("SELECT id, feed_id, key, first_seen FROM items"))
    conn.close()
    return rows


def assert_whole(db: Path, expected: int) -> None:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    total = conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    distinct = conn.execute("SELECT COUNT(DISTINCT feed_id || ' ' || key) FROM items").fetchone()
    conn.close()
    assert total == distinct[0] == expected


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_signal_mid_collect_then_recollect_loses_and_duplicates_nothing(sig, server, tmp_path):
    cases = mixed()
    install(server, cases)
    config, db = write(tmp_path, server, cases), tmp_path / "afmon.db"
    proc = subprocess.Popen(
        cmd(config, db, "--once", "--json"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while count(db) < 120 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    killed_at = time.monotonic()
    assert proc.poll() is None, "the pass finished before the signal"
    proc.send_signal(sig)
    proc.wait(timeout=10)
    stop_seconds = time.monotonic() - killed_at
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert "Traceback" not in stderr
    assert stop_seconds < 5  # hanging fetches in flight never hold the process
    before = snapshot(db)
    assert before and len(before) % 120 == 0  # every feed whole or absent
    run = subprocess.run(
        cmd(config, db, "--once", "--json"), cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["failed"] == len(SLOW)
    assert before <= snapshot(db)
    assert_whole(db, 12 * 120)


def test_sigterm_stops_watch_promptly_while_hostile_fetches_hang(server, tmp_path):
    cases = mixed(n_good=3)
    install(server, cases)
    config, db = write(tmp_path, server, cases), tmp_path / "afmon.db"
    proc = subprocess.Popen(
        cmd(config, db, "--watch", "--json"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    good: set[str] = set()
    while len(good) < 3:  # every good feed committed (its line comes after the write)
        line = json.loads(proc.stdout.readline())
        if line["status"] == "ok":
            good.add(line["name"])
    hostile = [c for c in cases if c.name in SLOW]
    deadline = time.monotonic() + 20  # until the hostile fetches are in flight
    while not all(server.hits(c.path) for c in hostile) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert all(server.hits(c.path) for c in hostile)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0  # the hang, the drips and the bombs never hold it
    proc.stdout.close()
    assert "Traceback" not in proc.stderr.read()
    proc.stderr.close()
    assert_whole(db, 3 * 120)


def test_two_collectors_on_one_database_both_finish_without_locks_or_duplicates(server, tmp_path):
    cases = mixed(n_good=8) + good_cases()
    install(server, cases)
    config, db = write(tmp_path, server, cases), tmp_path / "afmon.db"
    with ThreadPoolExecutor(2) as pool:
        runs = list(
            pool.map(
                lambda _: subprocess.run(
                    cmd(config, db, "--once", "--json"),
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=60,
                ),
                range(2),
            )
        )
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "locked" not in run.stdout + run.stderr and "Traceback" not in run.stderr
    reports = [json.loads(r.stdout) for r in runs]
    assert sum(r["new_items"] for r in reports) == 8 * 120 + 12  # each item stored once
    assert_whole(db, 8 * 120 + 12)


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MB tmpfs (we run as root in CI containers); the database lives on it."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"cannot mount a tmpfs here: {done.stderr}"
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_is_a_feed_error_and_earlier_commits_survive(server, tmp_path, tiny_disk):
    server.route("/small", feed(rss(items(5, "small"))))
    config = write(tmp_path, server, [HostileCase("small", None, None, url=server.url("/small"))])
    db = tiny_disk / "afmon.db"
    first = subprocess.run(
        cmd(config, db, "--once", "--json"), cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert first.returncode == 0 and json.loads(first.stdout)["new_items"] == 5
    before = snapshot(db)
    # Fill the disk but for 200 KB (room to open the database, not to take a big feed).
    filler = tiny_disk / "filler"
    stat = os.statvfs(tiny_disk)
    filler.write_bytes(b"\0" * max(stat.f_bavail * stat.f_frsize - 200_000, 0))
    big = [{"title": f"big {i} " + "x" * 200, "guid": f"b{i}"} for i in range(3000)]
    server.route("/big", feed(rss(big)))
    cases = [
        HostileCase("small", None, None, url=server.url("/small")),
        HostileCase("big", None, None, url=server.url("/big")),
    ]
    config = write(tmp_path, server, cases)
    full = subprocess.run(
        cmd(config, db, "--once", "--json"), cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    said = full.stdout + full.stderr
    assert full.returncode == 0, said
    by_name = {f["name"]: f for f in json.loads(full.stdout)["feeds"]}
    assert by_name["big"]["status"] == "error" and "full" in by_name["big"]["error"], by_name
    assert by_name["big"]["error"].startswith("database error:")
    assert "Traceback" not in full.stderr  # an operating condition, not a bug
    os.unlink(filler)
    assert before <= snapshot(db)
    assert_whole(db, 5)
    again = subprocess.run(
        cmd(config, db, "--once", "--json"), cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0, again.stderr
    assert_whole(db, 3005)
