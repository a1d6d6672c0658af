"""A test's own connection to a store's file, to check what the store wrote (the store keeps
its connections private: every statement of afmon's lives in store/)."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from store import Store


def raw_db(store: Store) -> Database:
    return Database(sqlite3.connect(store.path))
