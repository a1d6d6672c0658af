"""Real processes on one database file: a collector writing while monitors read, and a writer
killed with SIGKILL in the middle of a transaction."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from store import ItemFilter, Store
from tests.dbpeek import raw_db

WORKER = str(Path(__file__).parent / "test_store_worker.py")


def spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, WORKER, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_writer_and_readers_in_other_processes_never_lock_and_see_every_commit(tmp_path):
    db, log = tmp_path / "c.db", tmp_path / "committed.log"
    Store.open(db).close()
    log.write_text("")
    procs = [spawn("writer", str(db), "3", str(log))]
    procs += [spawn("reader", str(db), "3", str(log)) for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    for proc, (_out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    written = int(outs[0][0])
    assert written > 200  # the writer made real progress while being read
    assert all(int(out) > 10 for out, _ in outs[1:])  # and so did the readers
    store = Store.open(db)
    assert store.count_items() == written
    assert store.count_items(ItemFilter(text="report")) == written


def test_sigkill_mid_transaction_keeps_every_earlier_commit(tmp_path):
    db = tmp_path / "k.db"
    proc = spawn("killme", str(db))
    assert proc.stdout.readline().strip() == "MID"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    store = Store.open(db)
    assert raw_db(store).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw_db(store).execute("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")
    assert store.count_items() == 300
    assert store.count_items(ItemFilter(text="kept")) == 300
    assert store.count_items(ItemFilter(text="lost")) == 0
    assert store.feeds()[0].item_count == 300
