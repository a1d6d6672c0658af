"""Store: owns the SQLite connections. One connection per thread, WAL, BEGIN IMMEDIATE writes.

The collector writes while any number of monitors read the same file. WAL lets readers go on
during a write; `BEGIN IMMEDIATE` takes the write lock up front, so two writers queue on the
busy timeout instead of failing with "database is locked" when a read transaction tries to
upgrade.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import overload

from sqlite_utils import Database

from store.schema import KNOWN_MIGRATIONS, MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """A database afmon cannot use (not SQLite, newer schema, unwritable path ...)."""


@overload
def to_ts(value: datetime) -> float: ...
@overload
def to_ts(value: None) -> None: ...
@overload
def to_ts(value: datetime | None) -> float | None: ...
def to_ts(value: datetime | None) -> float | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


@overload
def from_ts(value: float) -> datetime: ...
@overload
def from_ts(value: None) -> None: ...
@overload
def from_ts(value: float | None) -> datetime | None: ...
def from_ts(value: float | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromtimestamp(value, UTC)


class Connections:
    """Per-thread connections to one database file."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = path
        self.readonly = readonly
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            conn = sqlite3.connect(
                f"file:{self.path}?mode=ro",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
        else:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -32000")
        conn.execute("PRAGMA mmap_size = 268435456")
        with self._lock:
            self._all.append(conn)
        return conn

    def get(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = Database(self._connect(), execute_plugins=False)
            self._local.db = db
        return db

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()
        self._local = threading.local()


def _check_sqlite_file(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not an SQLite database")
    try:
        if not path.exists() or path.stat().st_size == 0:
            return
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    if header != b"SQLite format 3\x00":
        raise StoreError(f"{path} is not an SQLite database")


def open_database(path: Path, readonly: bool = False) -> Connections:
    """Open (creating and migrating if needed) the database at `path`.

    `readonly` opens with SQLite's mode=ro and never creates, migrates or otherwise changes
    the file: a missing database or one of an older schema is refused with the way out
    (SQLite itself may add the -wal/-shm files a WAL reader needs beside it)."""
    path = Path(path)
    _check_sqlite_file(path)
    if readonly and not path.exists():
        raise StoreError(f"no database at {path} (a read-only open never creates one)")
    if not readonly:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {path.parent}: {exc.strerror}") from None
    conns = Connections(path, readonly=readonly)
    try:
        db = conns.get()
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer afmon (schema {version}, this afmon knows "
                f"{SCHEMA_VERSION}); upgrade afmon — the database was left untouched"
            )
        if readonly:
            _refuse_unknown(db, path, {m.name for m in MIGRATIONS.applied(db)})
            if version < SCHEMA_VERSION:
                raise StoreError(
                    f"{path} has schema {version} and this afmon reads schema {SCHEMA_VERSION};"
                    " a read-only open never upgrades it: run `afmon collect --once` on it once"
                    " (or the monitor without --no-collect)"
                )
        else:
            _migrate(db, path)
    except sqlite3.DatabaseError as exc:
        conns.close()
        raise StoreError(f"cannot open {path}: {exc}") from None
    except StoreError:
        conns.close()
        raise
    return conns


def _migrate(db: Database, path: Path) -> None:
    # Look before touching anything: a database from a newer afmon must stay byte-identical,
    # so the WAL switch (which rewrites the header) waits until we know we may write.
    _refuse_unknown(db, path, {m.name for m in MIGRATIONS.applied(db)})
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise StoreError(f"{path}: cannot switch to WAL mode (got {mode})")
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        # Again under the write lock: another afmon may have migrated in between.
        applied = {m.name for m in MIGRATIONS.applied(db)}
        _refuse_unknown(db, path, applied)
        if applied != KNOWN_MIGRATIONS:
            MIGRATIONS.apply(db)
            db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.conn.execute("COMMIT")
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise


def _refuse_unknown(db: Database, path: Path, applied: set[str]) -> None:
    unknown = applied - KNOWN_MIGRATIONS
    if unknown:
        raise StoreError(
            f"{path} has migrations this afmon does not know ({', '.join(sorted(unknown))});"
            " it was written by a newer afmon and was left untouched"
        )


@contextlib.contextmanager
def write_txn(db: Database) -> Iterator[Database]:
    """A write transaction that takes the write lock at once (BEGIN IMMEDIATE)."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
            conn.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back (a full disk does): don't mask the cause.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError as exc:
        # A full disk, a read-only file, a lock held past the busy timeout: conditions of
        # the machine, reported as a store error (a feed-health row, an exit code), not a bug.
        raise StoreError(f"database error: {exc}") from exc
