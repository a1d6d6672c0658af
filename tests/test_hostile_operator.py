"""Operator mistakes through the real CLI: every command that reads the config or opens the
database exits 2 with a message naming the key (or path) and the reason; never a traceback."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOOD_FEED = '[[feeds]]\nname = "ok"\nurl = "http://127.0.0.1:9/feed"\n'

# (name, config text, what the message must contain)
MISTAKES = [
    ("invalid-toml", '[settings\nfetch_deadline = "2s"\n', ["invalid TOML"]),
    (
        "unknown-key",
        '[settings]\nfetch_deadlin = "2s"\n',
        ["settings.fetch_deadlin", "unknown key"],
    ),
    ("unknown-section", "[setings]\nbell = false\n", ["setings", "unknown key"]),
    ("wrong-type", '[settings]\nconcurrency = "many"\n', ["settings.concurrency", "integer"]),
    ("bad-duration", '[settings]\nfetch_deadline = "soon"\n', ["settings.fetch_deadline"]),
    ("bad-url", '[[feeds]]\nname = "x"\nurl = "ftp://example.org/rss"\n', ["feeds[0].url", "http"]),
    (
        "javascript-url",
        '[[feeds]]\nname = "x"\nurl = "javascript:alert(1)"\n',
        ["feeds[0].url", "http"],
    ),
    (
        "unknown-province",
        '[[fronts]]\nname = "North"\nprovinces = ["AF-KAB", "AF-XYZ"]\n',
        ["fronts[0].provinces", "AF-XYZ"],
    ),
    (
        "unknown-actor",
        '[[threat_groups]]\nname = "G"\nactors = ["isk", "no-such-group"]\n',
        ["threat_groups[0].actors", "no-such-group"],
    ),
    (
        "escape-in-value",
        '[settings]\nconcurrency = "\\u001b]0;pwned\\u0007"\n',
        ["settings.concurrency"],
    ),
]
COMMANDS = [[], ["collect", "--once"], ["config", "check"], ["items"]]


def afmon(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "afmon", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )


def run_all(argvs: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda argv: afmon(*argv), argvs))


def check(run: subprocess.CompletedProcess[str], needles: list[str]) -> None:
    said = run.stdout + run.stderr
    assert run.returncode == 2, (run.args, run.returncode, said[-2000:])
    assert "Traceback" not in said, said
    assert "\x1b" not in said and "\x07" not in said, said
    for needle in needles:
        assert needle in said, (run.args, needle, said)


@pytest.mark.parametrize("name,text,needles", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_config_mistake_exits_2_naming_key_and_reason_in_every_command(
    name, text, needles, tmp_path
):
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    db = str(tmp_path / "afmon.db")
    runs = run_all(
        [
            [*cmd, "--config", str(config)] + (["--db", db] if cmd != ["config", "check"] else [])
            for cmd in COMMANDS
        ]
    )
    for run in runs:
        check(run, needles)


def _bad_databases(tmp_path: Path) -> dict[str, tuple[Path, list[str]]]:
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_bytes(b"this is my shopping list, not a database\n" * 100)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    a_dir = tmp_path / "a-directory.db"
    a_dir.mkdir()
    return {
        "not-sqlite": (not_sqlite, [str(not_sqlite)]),
        "corrupt-header": (garbage, [str(garbage)]),
        "parent-is-a-file": (a_file / "afmon.db", [str(a_file)]),
        "is-a-directory": (a_dir, [str(a_dir)]),
        "read-only-fs": (Path("/proc/afmon-test/afmon.db"), ["/proc/afmon-test"]),
    }


@pytest.mark.parametrize(
    "case",
    ["not-sqlite", "corrupt-header", "parent-is-a-file", "is-a-directory", "read-only-fs"],
)
def test_unusable_database_exits_2_naming_the_path(case, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(GOOD_FEED, encoding="utf-8")
    db, needles = _bad_databases(tmp_path)[case]
    runs = run_all(
        [
            [*cmd, "--config", str(config), "--db", str(db)]
            for cmd in (["collect", "--once"], ["items"], [])
        ]
    )
    for run in runs:
        check(run, needles)
    if case == "not-sqlite":  # the operator's file is left exactly as it was
        assert db.read_bytes() == b"this is my shopping list, not a database\n" * 100
