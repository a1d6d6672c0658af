"""The feed documents the collect benches serve: one generator per corpus, same shape.

- `bench`: bench/'s historical corpus. Headlines from a small vocabulary but each with a
  unique "(feed/item)" suffix, so no two headlines are the same text.
- `similar`: the busy-day corpus. Headlines built from a few actors, verbs and provinces with
  no unique part, so thousands of the 10,000 headlines resemble (or equal) each other, as
  when every outlet covers the same clashes. It stresses story clustering; fetch, parse and
  tag cost the same as for `bench`.

Both are deterministic per (corpus, feed number): every tool and every round sees the same
bytes. A scenario is "corpus:hosts" (bench:20 = bench corpus over 20 loopback addresses).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import format_datetime

PLACES = ["Panjshir", "Kabul", "Kunduz", "Helmand", "Badakhshan", "Herat", "Nangarhar", "Balkh"]
ACTORS = ["Taliban", "NRF", "ISKP", "TTP", "Pakistan", "UN", "residents", "officials"]
VERBS = ["clash in", "report fighting near", "deny attack in", "meet elders of", "patrol"]

# The similar-headlines vocabulary: 6 actors x 8 verbs x 10 provinces x a few tails = a few
# thousand distinct headlines for 10,000 items, most differing by one or two words.
S_ACTORS = ["Taliban", "NRF fighters", "ISKP", "Afghan forces", "Local militia", "Gunmen"]
S_VERBS = [
    "clash with residents in",
    "attack a checkpoint in",
    "kill two civilians in",
    "ambush a convoy in",
    "fire on protesters in",
    "detain elders in",
    "seize weapons in",
    "claim a bombing in",
]
S_PROVINCES = [
    "Panjshir",
    "Kabul",
    "Kunduz",
    "Helmand",
    "Badakhshan",
    "Herat",
    "Nangarhar",
    "Balkh",
    "Kandahar",
    "Takhar",
]
S_TAILS = ["", "", " province", ", officials say", ", sources say", " overnight"]
S_DAYS = ["Monday", "Tuesday", "Wednesday"]


def _rss(entries: list[dict[str, str]], title: str) -> bytes:
    from tests.httpserver import rss

    return rss(entries, title=title).encode()


def bench_feed(n: int, items: int, now: datetime) -> bytes:
    rng = random.Random(n)
    entries = []
    for i in range(items):
        title = f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(PLACES)} ({n}/{i})"
        summary = (
            f"&lt;p&gt;{rng.choice(ACTORS)} said on {rng.choice(['Monday', 'Tuesday'])} that "
            f"{rng.choice(ACTORS)} moved towards {rng.choice(PLACES)}. " * 3 + "&lt;/p&gt;"
        )
        entries.append(
            {
                "title": title,
                "link": f"/story/{n}/{i}",
                "guid": f"urn:bench:{n}:{i}",
                "description": summary,
                "pubDate": format_datetime(now - timedelta(minutes=37 * i + n)),
            }
        )
    return _rss(entries, f"Bench feed {n}")


def similar_feed(n: int, items: int, now: datetime) -> bytes:
    rng = random.Random(10_000 + n)
    entries = []
    for i in range(items):
        actor, verb, place = rng.choice(S_ACTORS), rng.choice(S_VERBS), rng.choice(S_PROVINCES)
        title = f"{actor} {verb} {place}{rng.choice(S_TAILS)}"
        summary = (
            f"&lt;p&gt;{actor} {verb} {place} on {rng.choice(S_DAYS)}, according to "
            f"{rng.choice(S_ACTORS).lower()} and local officials. &lt;/p&gt;"
        )
        entries.append(
            {
                "title": title,
                "link": f"/similar/{n}/{i}",
                "guid": f"urn:similar:{n}:{i}",
                "description": summary,
                # 50 items over the last two days, outlets interleaved.
                "pubDate": format_datetime(now - timedelta(minutes=55 * i + 3 * (n % 17))),
            }
        )
    return _rss(entries, f"Outlet {n}")


CORPORA: dict[str, Callable[[int, int, datetime], bytes]] = {
    "bench": bench_feed,
    "similar": similar_feed,
}


def parse_scenario(text: str) -> tuple[str, int]:
    """ "similar:1" -> ("similar", 1). The corpus must be known, hosts at least 1."""
    corpus, _, hosts = text.partition(":")
    if corpus not in CORPORA:
        raise ValueError(f"unknown corpus {corpus!r} (known: {', '.join(CORPORA)})")
    count = int(hosts or "20")
    if count < 1:
        raise ValueError(f"{text}: hosts must be at least 1")
    return corpus, count
