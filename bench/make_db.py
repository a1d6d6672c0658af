"""Build a realistic afmon database of N items through the store's own write path.

    python bench/make_db.py --items 1000000 --db /tmp/afmon-1m.db

Feeds, outlets, provinces, actors, dates (two years, denser by day than by night) and text
are drawn from a seeded generator, so two runs build the same database. Items go in
through `Store.record_fetch` exactly as the collector writes them: one transaction per
feed per fetch, tags with evidence offsets, full-text rows by trigger.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.config import FeedConfig
from core.vocab import ACTORS, COUNTRIES, PROVINCES
from store import Entry, FeedUpdate, Store, Tag, TagResult

# Weighted like the news: Kabul and the east and south dominate, the centre is quiet.
_PROVINCE_WEIGHT = (
    {code: 1.0 for code in PROVINCES}
    | {
        "AF-KAB": 12,
        "AF-NAN": 6,
        "AF-HEL": 5,
        "AF-KAN": 5,
        "AF-KDZ": 3,
        "AF-BAL": 3,
        "AF-HER": 4,
        "AF-PAN": 3,
        "AF-BDS": 2,
        "AF-TAK": 2,
        "AF-KHO": 2,
        "AF-PKA": 2,
    }
    | {code: 2.0 for code in COUNTRIES}
    | {"PK": 6, "IR": 3}
)
_ACTOR_WEIGHT = {slug: 1.0 for slug in ACTORS} | {
    "taliban": 25,
    "isk": 5,
    "pakistan": 6,
    "ttp": 4,
    "nrf": 3,
    "un": 4,
    "us": 3,
    "iran": 3,
    "haqqani-network": 2,
    "al-qaeda": 2,
    "china": 2,
    "russia": 2,
}
_EVENTS = [
    "suicide attack",
    "roadside bomb",
    "clashes",
    "airstrike",
    "night raid",
    "arrests",
    "protest",
    "checkpoint attack",
    "targeted killing",
    "border skirmish",
    "drone strike",
    "aid convoy stopped",
    "school closure",
    "flood relief",
    "earthquake response",
    "trade talks",
    "refugee returns",
    "prison break",
    "assassination",
    "ambush",
]
_VERBS = ["reported", "claimed", "denied", "confirmed", "condemned", "announced", "blamed on"]
_FILLER = [
    "officials",
    "said",
    "local",
    "sources",
    "residents",
    "told",
    "the",
    "district",
    "governor",
    "spokesman",
    "added",
    "that",
    "security",
    "forces",
    "were",
    "deployed",
    "after",
    "the",
    "incident",
    "casualties",
    "remain",
    "unclear",
    "according",
    "to",
    "witnesses",
    "the",
    "ministry",
    "statement",
    "said",
    "an",
    "investigation",
    "is",
    "under",
    "way",
    "hospital",
    "sources",
    "villagers",
    "fled",
    "the",
    "area",
    "as",
    "fighting",
    "continued",
    "overnight",
    "elders",
    "called",
    "for",
    "calm",
]


def _cumulative(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    total, cum = 0.0, []
    for w in weights.values():
        total += w
        cum.append(total)
    return list(weights), cum


_PROVINCES_CUM = _cumulative(_PROVINCE_WEIGHT)
_ACTORS_CUM = _cumulative(_ACTOR_WEIGHT)


def _weighted(rng: random.Random, table: tuple[list[str], list[float]], k: int) -> list[str]:
    out: list[str] = []
    while len(out) < k:
        code = rng.choices(table[0], cum_weights=table[1])[0]
        if code not in out:
            out.append(code)
    return out


def _pseudo_words(rng: random.Random, n: int) -> list[str]:
    syll = [
        "ka",
        "bul",
        "dar",
        "gul",
        "zai",
        "khel",
        "pur",
        "abad",
        "stan",
        "shah",
        "mir",
        "qala",
        "dara",
        "wal",
        "nar",
        "sang",
        "tak",
        "hor",
        "ban",
        "zar",
    ]
    return ["".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def make_entry(rng: random.Random, key: str, published: datetime, villages: list[str]) -> Entry:
    """One item whose tags point at the words that justify them (as the tagger's do)."""
    provinces = _weighted(rng, _PROVINCES_CUM, rng.choices((0, 1, 2), (20, 60, 20))[0])
    actors = _weighted(rng, _ACTORS_CUM, rng.choices((0, 1, 2), (30, 50, 20))[0])
    event = rng.choice(_EVENTS)
    parts: list[str] = []
    evidence: list[Tag] = []

    def say(word: str, kind: str | None = None, code: str | None = None) -> None:
        start = sum(len(p) + 1 for p in parts)
        parts.append(word)
        if kind and code:
            evidence.append(Tag(kind, code, start, start + len(word), word))  # type: ignore[arg-type]

    for slug in actors:
        say(ACTORS[slug], "actor", slug)
    say(rng.choice(_VERBS))
    say(event)
    say("in")
    say(rng.choice(villages).title())
    for code in provinces:
        say(PROVINCES.get(code) or COUNTRIES[code], "province", code)
    title = " ".join(parts)
    words = rng.choices(_FILLER, k=25 + int(rng.random() * 20))
    words.insert(rng.randrange(len(words)), rng.choice(villages))
    words.insert(rng.randrange(len(words)), event)
    summary = " ".join(words).capitalize() + "."
    return Entry(
        key=key,
        title=title,
        summary=summary,
        link=f"https://news.example/{key}",
        author=None,
        language="en",
        published=published,
        published_raw=None,
        content_hash=hashlib.blake2b(f"{title}{summary}".encode(), digest_size=8).hexdigest(),
        tags=TagResult(tuple(provinces), tuple(actors), tuple(evidence)),
    )


def build(
    path: Path,
    n: int,
    seed: int = 7,
    days: int = 730,
    chunk: int = 2_000,
    now: datetime | None = None,
    quiet: bool = False,
) -> float:
    """Write `n` items into a fresh database at `path`; return items per second spent in the
    store (generation time excluded)."""
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    villages = _pseudo_words(rng, 5000)
    store = Store.open(path)
    outlets = [f"Outlet {i:02d}" for i in range(40)]
    feeds = [
        FeedConfig(
            name=f"{outlets[i % 40]} / {i:03d}",
            url=f"https://feed{i}.example/rss",
            outlet=outlets[i % 40],
            language="en",
        )
        for i in range(120)
    ]
    states = store.sync_feeds(feeds)
    feed_cum = _cumulative({str(s.id): rng.uniform(0.2, 3) for s in states})[1]
    # Ages in seconds, oldest first: items arrive in time order, as the collector sees them.
    ages = sorted((rng.random() ** 0.9 * days * 86400 for _ in range(n)), reverse=True)
    start = time.perf_counter()
    in_store = 0.0  # seconds inside the store's write path: the ingest rate we report
    serial = 0
    for lo in range(0, n, chunk):
        by_feed: dict[int, list[Entry]] = {}
        for age in ages[lo : lo + chunk]:
            feed = rng.choices(states, cum_weights=feed_cum)[0]
            serial += 1
            entry = make_entry(rng, f"item-{serial}", now - timedelta(seconds=age), villages)
            by_feed.setdefault(feed.id, []).append(entry)
        at = now - timedelta(seconds=ages[min(lo + chunk, n) - 1])
        update = FeedUpdate(attempted=at, status="ok", http_status=200)
        t0 = time.perf_counter()
        store.record_fetches([(f, update, e) for f, e in by_feed.items()], now=at)
        in_store += time.perf_counter() - t0
        if not quiet:
            done = min(lo + chunk, n)
            print(f"\r{done:>9,} items  store {done / in_store:,.0f}/s", end="", file=sys.stderr)
    elapsed = time.perf_counter() - start
    store.optimize()
    store.close()
    if not quiet:
        print(f"\nwall time {elapsed:,.1f}s (including generating the text)", file=sys.stderr)
    return n / in_store if in_store else float("inf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=730, help="spread of publication dates")
    args = parser.parse_args(argv)
    if args.db.exists():
        print(f"make_db: {args.db} exists; remove it first", file=sys.stderr)
        return 2
    rate = build(args.db, args.items, args.seed, args.days)
    size = args.db.stat().st_size
    print(
        f"built {args.items:,} items in {args.db} ({size / 1e6:,.0f} MB), ingest {rate:,.0f} items/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
