"""The monitor in a real terminal (tmux): a hang-up, SIGHUP or SIGTERM ends it within 2 s,
whether it was started by `make demo` or directly, and it ends the ordinary way (the demo's
temporary files are removed), not by being killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.tui_fixtures import build_db

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.prefix)
AFMON = VENV / "bin" / "afmon"
TMUX = shutil.which("tmux") or "tmux"  # a missing tmux fails the test: it is a dependency

pytestmark = pytest.mark.slow


class Tmux:
    """A private tmux server (own socket) running one session."""

    def __init__(self, tmp_path: Path) -> None:
        self.socket = tmp_path / "tmux.sock"
        self.started: list[psutil.Process] = []

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            [TMUX, "-S", str(self.socket), *args], capture_output=True, text=True, timeout=20
        )
        return done.stdout

    def start(self, command: str, cwd: Path) -> None:
        # A server whose last session just ended may still be exiting: a session started on
        # it goes with it. Start again until the session holds (a command that exits at once
        # fails the test's wait for its screen all the same).
        for _attempt in range(3):
            self("new-session", "-d", "-s", "t", "-x", "100", "-y", "30", "-c", str(cwd), command)
            if self.has_session():
                return
            time.sleep(0.5)

    def has_session(self) -> bool:
        done = subprocess.run(
            [TMUX, "-S", str(self.socket), "has-session", "-t", "t"],
            capture_output=True,
            timeout=20,
        )
        return done.returncode == 0

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "t")

    def pane_pid(self) -> int:
        return int(self("display-message", "-p", "-t", "t", "#{pane_pid}").strip())

    def close(self) -> None:
        self("kill-server")


@pytest.fixture
def tmux(tmp_path, monkeypatch):
    # The demo's temporary directory lands here, so a test can see it was removed.
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    server = Tmux(tmp_path)
    yield server
    started = server.started
    server.close()
    for proc in started:  # never leave an orphan behind, pass or fail
        if proc.is_running():
            proc.kill()


def _tree(server: Tmux) -> list[psutil.Process]:
    """The pane's process and its descendants (make, afmon ...), remembered for cleanup."""
    try:
        root = psutil.Process(server.pane_pid())
    except (ValueError, psutil.Error):
        return []
    procs = [root, *root.children(recursive=True)]
    server.started += procs
    return procs


def _afmon(procs: list[psutil.Process]) -> list[psutil.Process]:
    return [p for p in procs if p.name() == "afmon"]


def _wait_for_screen(server: Tmux, text: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in server.screen():
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared:\n{server.screen()}")


def _start_make_demo(server: Tmux) -> list[psutil.Process]:
    # The Makefile's own `demo` target with this test's venv; -o: never reinstall here.
    server.start(f"make -o {VENV}/.installed demo VENV={VENV}", ROOT)
    _wait_for_screen(server, "Panjshir & Andarab")
    procs = _tree(server)
    assert [p.name() for p in procs[:2]] == ["make", "afmon"], procs
    # Anything else is the monitor's own: parse workers, once the collector (started after
    # the first frame) has a feed to parse. They must end with it too.
    assert all(p.ppid() == procs[1].pid for p in procs[2:]), procs
    return procs


def _demo_dirs(tmp_path: Path) -> list[Path]:
    return list((tmp_path / "tmp").glob("afmon-demo-*"))


def _gone_within(procs: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    """The processes still running after `seconds` (a zombie waiting for tmux to reap it
    has ended)."""
    deadline = time.monotonic() + seconds
    while True:
        alive = [p for p in procs if _running(p)]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_closing_the_terminal_ends_make_demo_within_3_s(tmux, tmp_path):
    procs = _start_make_demo(tmux)
    assert _demo_dirs(tmp_path)
    tmux("kill-session", "-t", "t")  # what an SSH drop or a closed window does to the pty
    assert _gone_within(procs, 3.0) == []
    assert _demo_dirs(tmp_path) == []  # it unwound: the temporary config and db are removed


def test_sigterm_to_make_demo_ends_afmon_within_2_s(tmux, tmp_path):
    procs = _start_make_demo(tmux)
    make = next(p for p in procs if p.name() == "make")
    make.send_signal(signal.SIGTERM)  # make passes SIGTERM on to its child
    assert _gone_within(procs, 2.0) == []
    assert _demo_dirs(tmp_path) == []


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_signal_ends_a_directly_started_monitor_within_2_s(tmux, tmp_path, signum):
    fixture = build_db(tmp_path / "afmon.db")
    fixture.store.close()
    status = tmp_path / "status"
    tmux.start(
        f"{AFMON} --config {ROOT}/config.toml --no-collect --db {fixture.path}; echo $? > {status}; sleep 30",
        tmp_path,
    )
    _wait_for_screen(tmux, "Panjshir & Andarab")
    (monitor,) = _afmon(_tree(tmux))
    os.kill(monitor.pid, signum)
    assert _gone_within([monitor], 2.0) == []
    deadline = time.monotonic() + 2
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status.read_text().strip() == str(128 + signum)
    # It ended the ordinary way: the terminal is back out of the app's alternate screen.
    assert tmux("display-message", "-p", "-t", "t", "#{alternate_on}").strip() == "0"


def test_closing_the_terminal_ends_a_directly_started_monitor(tmux, tmp_path):
    fixture = build_db(tmp_path / "afmon.db")
    fixture.store.close()
    tmux.start(
        f"exec {AFMON} --config {ROOT}/config.toml --no-collect --db {fixture.path}", tmp_path
    )
    _wait_for_screen(tmux, "Panjshir & Andarab")
    procs = _afmon(_tree(tmux))
    assert len(procs) == 1
    tmux("kill-session", "-t", "t")
    assert _gone_within(procs, 3.0) == []


def test_demo_run_twice_on_one_database_stores_nothing_twice(tmux, tmp_path):
    import sqlite3

    db = tmp_path / "demo.db"

    def query(sql: str, *args: object) -> list[tuple]:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            return conn.execute(sql, args).fetchall()

    feeds = []
    for _run in range(2):
        started = time.time()
        tmux.start(f"exec {AFMON} demo --db {db}", tmp_path)
        _wait_for_screen(tmux, "Panjshir & Andarab")
        procs = _afmon(_tree(tmux))
        # Most configured feeds fetched in this run (a loaded machine may leave the slow
        # hostile ones for later); their items are what a second registration would copy.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            fetched, configured = query(
                "SELECT SUM(last_attempt >= ?), COUNT(*) FROM feeds WHERE in_config = 1", started
            )[0]
            if fetched and fetched >= 0.8 * configured:
                break
            time.sleep(0.2)
        assert fetched and fetched >= 0.8 * configured, (fetched, configured)
        tmux("send-keys", "-t", "t", "q")
        assert _gone_within(procs, 5.0) == []
        feeds.append(query("SELECT id, name FROM feeds ORDER BY id"))
    assert feeds[1] == feeds[0]  # the same feeds, at the new port
    twice = query(
        "SELECT f.name, i.key FROM items i JOIN feeds f ON f.id = i.feed_id"
        " GROUP BY f.name, i.key HAVING COUNT(*) > 1"
    )
    assert twice == []
