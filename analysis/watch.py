"""Watch rules: after a feed's new items are stored, raise alerts for the ones that match.

A rule's given conditions must all hold (provinces any-of, actors any-of, keywords any-of as
case-insensitive whole words in title + summary). Only items published in the last 24 hours
alert: a backlog fetched for the first time is history. `min_outlets` corroborates: the rule fires
only when at least that many distinct outlets have matching items published in the last
24 hours, counted from the store. The store dedupes per rule and item, so evaluating the same
item twice (a re-run, an item changed in place) never raises a second alert.

Runs on the collector's writer thread: it reads and writes SQLite, never the event loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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

    def outlets(
        self, store: Store, now: datetime, extra: Iterable[Item] = (), enough: int | None = None
    ) -> set[str]:
        """Distinct outlets with matching items in the last 24 h (plus `extra`); stops once
        `enough` are found (the rule's threshold: counting further changes nothing)."""
        base = ItemFilter(
            provinces=tuple(self.rule.provinces),
            actors=tuple(self.rule.actors),
            since=now - WINDOW,
        )
        found = {item.outlet for item in extra}
        # A rule with places or actors reads their last day off the tags index (small, fast);
        # a keyword-only rule lets full-text search narrow the candidates per keyword. The
        # whole-word regex then decides either way.
        filters = (
            [replace(base, text=word) for word in self.words]
            if self.words and not (self.provinces or self.actors)
            else [base]
        )
        for flt in filters:
            for outlet, title, summary in store.texts(flt):
                if enough is not None and len(found) >= enough:
                    return found
                if outlet in found:
                    continue
                if self.keywords is None or self.keywords.search(f"{title}\n{summary}"):
                    found.add(outlet)
        return found

    def message(self, item: Item, outlets: int) -> str:
        where = f" [{item.outlet}]"
        corroboration = (
            f" (at least {outlets} outlets in 24 h)" if self.rule.min_outlets > 1 else ""
        )
        return f"{self.rule.name}: {item.title}{where}{corroboration}"


def evaluate(
    store: Store, rules: Sequence[WatchRule], new_ids: Sequence[int], now: datetime
) -> int:
    """Check `new_ids` against every rule; record alerts; return how many were new."""
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
            outlets = len(matcher.outlets(store, now, hits, enough=rule.min_outlets))
            if outlets < rule.min_outlets:
                continue
        alerts.extend((rule.name, item.id, matcher.message(item, outlets)) for item in hits)
    return store.add_alerts(alerts, now) if alerts else 0
