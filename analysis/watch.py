"""Watch rules: after a feed's new items are stored, raise alerts for the ones that match.

A rule's given conditions must all hold (provinces any-of, actors any-of, keywords any-of as
case-insensitive whole words in title + summary). Only items published in the last 24 hours
alert: a backlog fetched for the first time is history. `min_outlets` corroborates: the rule fires
only when at least that many distinct outlets have matching items published in the last
24 hours, counted from the store (`Corroboration` keeps the count between feeds). The store
dedupes per rule and item, so evaluating the same item twice (a re-run, an item changed in
place) never raises a second alert.

Runs on the collector's writer thread: it reads and writes SQLite, never the event loop.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from core.config import WatchRule
from store import Store
from store.models import Item, ItemFilter

WINDOW = timedelta(hours=24)


def _phrase(words: str) -> str:
    """A keyword or phrase as a pattern; any run of whitespace separates a phrase's words."""
    return r"\s+".join(re.escape(word) for word in words.split())


class RuleMatcher:
    """One compiled rule."""

    def __init__(self, rule: WatchRule):
        self.rule = rule
        self.provinces = frozenset(rule.provinces)
        self.actors = frozenset(rule.actors)
        words = [w.strip() for w in rule.keywords if w.strip()]
        self.keywords = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(map(_phrase, words)) + r")(?!\w)",
                re.IGNORECASE,
            )
            if words
            else None
        )
        self.words = words

    def matches(self, item: Item) -> bool:
        if self.provinces and not self.provinces.intersection(item.provinces):
            return False
        if self.actors and not self.actors.intersection(item.actors):
            return False
        if self.keywords is not None:
            return bool(self.keywords.search(f"{item.title}\n{item.summary}"))
        return True

    def newest_by_outlet(self, store: Store, now: datetime) -> dict[str, datetime]:
        """Each outlet with matching items in the last 24 h, and its newest such item's time."""
        base = ItemFilter(
            provinces=tuple(self.rule.provinces),
            actors=tuple(self.rule.actors),
            since=now - WINDOW,
        )
        # A rule with places or actors reads their last day off the tags index (small, fast);
        # a keyword-only rule lets full-text search narrow the candidates per keyword. The
        # whole-word regex then decides either way.
        filters = (
            [replace(base, text=word) for word in self.words]
            if self.words and not (self.provinces or self.actors)
            else [base]
        )
        newest: dict[str, datetime] = {}
        for flt in filters:
            for outlet, title, summary, published in store.texts(flt):
                if outlet in newest and newest[outlet] >= published:
                    continue
                if self.keywords is None or self.keywords.search(f"{title}\n{summary}"):
                    newest[outlet] = published
        return newest

    def message(self, item: Item, outlets: int) -> str:
        where = f" [{item.outlet}]"
        corroboration = (
            f" (at least {outlets} outlets in 24 h)" if self.rule.min_outlets > 1 else ""
        )
        return f"{self.rule.name}: {item.title}{where}{corroboration}"


class Corroboration:
    """Per rule, the outlets with matching items in the last 24 h (and each one's newest), read
    from the store once and then kept current with each feed's hits, so a pass that writes 200
    feeds scans the store once a minute rather than once per feed. After `ttl` seconds it reads
    the store again: items another process wrote (a second collector) count from then."""

    def __init__(self, ttl: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.clock = clock
        self._rules: dict[int, tuple[WatchRule, float, dict[str, datetime]]] = {}

    def outlets(
        self, store: Store, matcher: RuleMatcher, hits: Sequence[Item], now: datetime
    ) -> int:
        """How many distinct outlets have items matching `matcher`'s rule in the last 24 h,
        `hits` (this feed's, already stored) included."""
        rule = matcher.rule
        cached = self._rules.get(id(rule))
        if cached is None or cached[0] is not rule or self.clock() - cached[1] > self.ttl:
            newest = matcher.newest_by_outlet(store, now)
            self._rules[id(rule)] = (rule, self.clock(), newest)
        else:
            newest = cached[2]
        for item in hits:
            if item.outlet not in newest or newest[item.outlet] < item.published:
                newest[item.outlet] = item.published
        since = now - WINDOW
        return sum(1 for published in newest.values() if published >= since)


def evaluate(
    store: Store,
    rules: Sequence[WatchRule],
    new_ids: Sequence[int],
    now: datetime,
    corroboration: Corroboration | None = None,
) -> int:
    """Check `new_ids` against every rule; record alerts; return how many were new. Pass the
    same `corroboration` for every feed of a collector (a fresh one reads the store)."""
    corroboration = corroboration or Corroboration()
    if not rules or not new_ids:
        return 0
    # Only recent events alert: a feed's backlog, seen for the first time (a new feed, the
    # first start of the day), is history, not something for the watch officer to act on.
    since = now - WINDOW
    items = [item for item in store.get_items(new_ids) if item.published >= since]
    alerts: list[tuple[str, int | None, str]] = []
    for rule in rules:
        matcher = RuleMatcher(rule)
        hits = [item for item in items if matcher.matches(item)]
        if not hits:
            continue
        outlets = 1
        if rule.min_outlets > 1:
            outlets = corroboration.outlets(store, matcher, hits, now)
            if outlets < rule.min_outlets:
                continue
        alerts.extend((rule.name, item.id, matcher.message(item, outlets)) for item in hits)
    return store.add_alerts(alerts, now) if alerts else 0
