"""Viewers and read commands never write: `afmon --no-collect` opens the database read-only
(never creating, upgrading or changing it), `afmon feeds`, `items`, `export` and `stats` only
read, and a viewer's keys that would write say so instead."""

# ruff: noqa: F811 - pytest fixtures imported from tests/tui_fixtures.py

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from afmon.cli import main
from store import Store
from tests.test_store_schema import FIXTURES, digest
from tests.test_tui_terminal import AFMON, ROOT, _afmon, _gone_within, _tree, _wait_for_screen
from tests.test_tui_terminal import tmux as tmux  # noqa: F401 - fixture
from tests.tui_fixtures import (  # noqa: F401 - fixtures
    _utc_localtime,
    app_for,
    build_db,
    fx,
    screen_text,
    settle,
    wait_for,
)
from tui.screens.detail import DetailScreen


def dump(path: Path) -> list[str]:
    """Everything the database holds, as SQL (what a write would change)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_viewer_refuses_an_older_database_and_leaves_it_untouched(tmp_path, capsys):
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "v1.db", db)
    before = digest(db)
    assert main(["--no-collect", "--db", str(db)]) == 2
    error = capsys.readouterr().err
    assert "has schema 1" in error and "never upgrades" in error and "afmon collect --once" in error
    assert digest(db) == before


def test_viewer_and_read_commands_never_create_a_database(tmp_path, capsys):
    db = tmp_path / "typo.db"
    for argv in (
        ["--no-collect", "--db", str(db)],
        ["items", "--db", str(db)],
        ["export", "--db", str(db)],
        ["stats", "--db", str(db)],
        ["feeds", "--db", str(db)],
    ):
        assert main(argv) == 2, argv
        assert "no database at" in capsys.readouterr().err
        assert not db.exists()


def test_afmon_feeds_lists_the_config_feeds_without_writing_them(tmp_path, capsys):
    db = tmp_path / "other.db"
    Store.open(db).close()  # a database some other config filled: no feeds at all
    before = dump(db)
    assert main(["feeds", "--config", str(ROOT / "config.toml"), "--db", str(db)]) == 0
    listed = capsys.readouterr().out
    assert "TOLOnews" in listed and " new " in listed  # configured, never fetched here
    assert dump(db) == before


async def test_a_viewer_never_writes_and_says_so(fx):
    fx.store.close()
    fx.store = Store.open(fx.path, readonly=True)
    before = dump(fx.path)
    app = app_for(fx)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        app.open_item(2)  # opening an item marks it read in a monitor
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and not app.screen.item.read
        for key in ("f", "r", "k"):
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("e", *"why", "enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("k", "x")
        await settle(pilot)
        assert any("read-only viewer" in n.message for n in app.notices)
        assert app.is_running
    assert dump(fx.path) == before


def test_no_collect_in_a_terminal_leaves_the_database_as_it_was(tmux, tmp_path):
    fixture = build_db(tmp_path / "afmon.db")
    fixture.store.close()
    before = dump(fixture.path)
    tmux.start(
        f"exec {AFMON} --config {ROOT}/config.toml --no-collect --db {fixture.path}", tmp_path
    )
    _wait_for_screen(tmux, "Panjshir & Andarab")
    procs = _afmon(_tree(tmux))
    tmux("send-keys", "-t", "t", "i")
    _wait_for_screen(tmux, "items")
    tmux("send-keys", "-t", "t", "Enter")  # a monitor marks the item read here
    _wait_for_screen(tmux, "published")
    tmux("send-keys", "-t", "t", "f")  # and flags it here
    _wait_for_screen(tmux, "read-only viewer")
    tmux("send-keys", "-t", "t", "q")
    assert _gone_within(procs, 5.0) == [], tmux.screen()
    assert dump(fixture.path) == before


@pytest.mark.parametrize("command", ["items", "stats"])
def test_read_commands_leave_an_older_database_untouched(tmp_path, capsys, command):
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "v1.db", db)
    before = digest(db)
    assert main([command, "--db", str(db)]) == 2
    assert "never upgrades" in capsys.readouterr().err
    assert digest(db) == before
