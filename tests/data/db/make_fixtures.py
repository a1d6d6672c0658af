"""Build the saved databases of earlier schema versions (run once per release, commit the .db).

    python tests/data/db/make_fixtures.py

v1.db: schema 0001_initial only, as afmon 0.1 wrote it, with two feeds, three items (one
flagged), their tags and full-text rows (by the v1 insert trigger) and an alert. The
migration tests open a copy and check that everything is still there and searchable.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from store.schema import MIGRATIONS

HERE = Path(__file__).parent
T0 = 1_790_000_000.0  # 2026-09-21, a fixed instant


def make_v1(path: Path) -> None:
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file in git
    db = Database(conn)
    names = [m.name for m in MIGRATIONS._migrations]
    MIGRATIONS.apply(db, stop_before=names[1:])
    conn.execute("PRAGMA user_version = 1")
    conn.executescript(
        f"""
        INSERT INTO feeds (id, name, url, current_url, outlet, language, item_count)
        VALUES (1, 'Tolo English', 'https://tolo.example/rss', 'https://tolo.example/rss',
                'Tolo', 'en', 2),
               (2, 'Pajhwok', 'https://pajhwok.example/feed', 'https://pajhwok.example/feed',
                'Pajhwok', 'en', 1);
        INSERT INTO items (id, feed_id, key, title, summary, link, published, first_seen,
                           content_hash, flagged)
        VALUES (1, 1, 'a', 'Suicide attack in Kabul', 'ISK claimed the attack.',
                'https://tolo.example/a', {T0}, {T0}, 'h1', 0),
               (2, 1, 'b', 'Clashes in Panjshir', 'NRF fighters reported clashes.',
                'https://tolo.example/b', {T0 + 3600}, {T0 + 3600}, 'h2', 1),
               (3, 2, 'c', 'Flood relief in Helmand', 'UN agencies sent aid.',
                'https://pajhwok.example/c', {T0 + 7200}, {T0 + 7200}, 'h3', 0);
        INSERT INTO tags (item_id, kind, code, published, evidence) VALUES
            (1, 'province', 'AF-KAB', {T0}, '[[17, 22, "Kabul"]]'),
            (1, 'actor', 'isk', {T0}, '[[24, 27, "ISK"]]'),
            (2, 'province', 'AF-PAN', {T0 + 3600}, '[[12, 20, "Panjshir"]]'),
            (2, 'actor', 'nrf', {T0 + 3600}, '[[21, 24, "NRF"]]'),
            (3, 'province', 'AF-HEL', {T0 + 7200}, '[[18, 25, "Helmand"]]');
        INSERT INTO alerts (rule, item_id, raised, message)
        VALUES ('kabul-attack', 1, {T0}, 'Suicide attack in Kabul');
        """
    )
    conn.execute("VACUUM")
    conn.close()


if __name__ == "__main__":
    make_v1(HERE / "v1.db")
    print(f"wrote {HERE / 'v1.db'}")
