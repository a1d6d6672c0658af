"""feeds/watch.py: watch rules raise alerts for matching new items, on a real database."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from analysis.pipeline import collector_hooks
from analysis.watch import Corroboration, RuleMatcher, evaluate
from core.config import Config, FeedConfig, WatchRule
from feeds.collect import Collector
from store import Store
from store.models import Entry, FeedUpdate, TagResult
from tests.httpserver import TestServer, feed, rss

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "afmon.db")
    s.sync_feeds(
        [
            FeedConfig(name="Wire A", url="http://a.example/rss", outlet="A"),
            FeedConfig(name="Wire B", url="http://b.example/rss", outlet="B"),
            FeedConfig(name="Wire A2", url="http://a.example/other", outlet="A"),
        ]
    )
    yield s
    s.close()


def add(store: Store, feed: str, title: str, *, provinces=(), actors=(), age=timedelta()) -> int:
    feed_id = next(f.id for f in store.feeds() if f.name == feed)
    entry = Entry(
        key=hashlib.sha1(title.encode()).hexdigest(),
        title=title,
        summary="",
        link=None,
        author=None,
        language="en",
        published=NOW - age,
        published_raw=None,
        content_hash=title,
        tags=TagResult(provinces=tuple(provinces), actors=tuple(actors)),
    )
    result = store.record_fetch(feed_id, FeedUpdate(attempted=NOW, status="ok"), [entry], NOW)
    return result.new_ids[0]


def test_keywords_are_case_insensitive_whole_words(store):
    rule = WatchRule(name="isk", keywords=["ISK", "suicide attack"])
    matcher = RuleMatcher(rule)
    hits = {
        title: matcher.matches(store.get_item(add(store, "Wire A", title)))
        for title in ("Isk claims blast", "Risky road", "A Suicide  attack", "suicide attacks")
    }
    assert hits == {
        "Isk claims blast": True,
        "Risky road": False,
        "A Suicide  attack": True,  # any whitespace between a phrase's words
        "suicide attacks": False,
    }


def test_all_given_conditions_must_hold(store):
    rule = WatchRule(name="r", provinces=["AF-PAN", "AF-BGL"], actors=["nrf"], keywords=["clash"])
    both = add(store, "Wire A", "Clash reported", provinces=["AF-PAN"], actors=["nrf", "taliban"])
    no_actor = add(store, "Wire A", "Clash again", provinces=["AF-BGL"], actors=["taliban"])
    no_word = add(store, "Wire A", "Quiet day", provinces=["AF-PAN"], actors=["nrf"])
    elsewhere = add(store, "Wire A", "Clash in Kabul", provinces=["AF-KAB"], actors=["nrf"])
    assert evaluate(store, [rule], [both, no_actor, no_word, elsewhere], NOW) == 1
    (alert,) = store.alerts()
    assert alert.item_id == both and alert.rule == "r" and "Clash reported" in alert.message


def test_min_outlets_needs_corroboration_within_a_day(store):
    rule = WatchRule(name="kunduz", provinces=["AF-KDZ"], min_outlets=2)
    stale = add(store, "Wire B", "Old Kunduz story", provinces=["AF-KDZ"], age=timedelta(days=2))
    assert evaluate(store, [rule], [stale], NOW) == 0
    first = add(store, "Wire A", "Kunduz fighting", provinces=["AF-KDZ"])
    assert evaluate(store, [rule], [first], NOW) == 0  # one outlet only (the other is stale)
    same_outlet = add(store, "Wire A2", "Kunduz fighting 2", provinces=["AF-KDZ"])
    assert evaluate(store, [rule], [same_outlet], NOW) == 0  # still one outlet: A
    second = add(store, "Wire B", "Kunduz: fighting confirmed", provinces=["AF-KDZ"])
    assert evaluate(store, [rule], [second], NOW) == 1
    (alert,) = store.alerts()
    assert alert.item_id == second and "2 outlets" in alert.message


def test_shared_corroboration_counts_each_feeds_hits_and_rereads_the_store_after_ttl(store):
    rule = WatchRule(name="kunduz", provinces=["AF-KDZ"], min_outlets=2)
    ticks = [0.0]
    shared = Corroboration(ttl=60.0, clock=lambda: ticks[0])
    first = add(store, "Wire A", "Kunduz fighting", provinces=["AF-KDZ"])
    assert evaluate(store, [rule], [first], NOW, shared) == 0
    second = add(store, "Wire B", "Kunduz: fighting confirmed", provinces=["AF-KDZ"])
    assert evaluate(store, [rule], [second], NOW, shared) == 1  # A (read), B (this feed's hit)
    assert "2 outlets" in store.alerts()[0].message


def test_shared_corroboration_sees_other_writers_once_its_ttl_passes(store):
    rule = WatchRule(name="kunduz", provinces=["AF-KDZ"], min_outlets=2)
    ticks = [0.0]
    shared = Corroboration(ttl=60.0, clock=lambda: ticks[0])
    first = add(store, "Wire A", "Kunduz fighting", provinces=["AF-KDZ"])
    assert evaluate(store, [rule], [first], NOW, shared) == 0
    add(store, "Wire B", "Kunduz: fighting confirmed", provinces=["AF-KDZ"])  # another writer
    again = add(store, "Wire A2", "Kunduz fighting 2", provinces=["AF-KDZ"])
    assert evaluate(store, [rule], [again], NOW, shared) == 0  # within ttl: B not yet read
    ticks[0] = 61.0
    third = add(store, "Wire A2", "Kunduz fighting 3", provinces=["AF-KDZ"])
    assert evaluate(store, [rule], [third], NOW, shared) == 1
    assert "2 outlets" in store.alerts()[0].message


def test_min_outlets_with_keywords_counts_only_whole_word_matches(store):
    rule = WatchRule(name="dam", keywords=["dam"], min_outlets=2)
    add(store, "Wire B", "Damage reported")  # prefix match in FTS, not a whole word
    item = add(store, "Wire A", "Dam breach")
    assert evaluate(store, [rule], [item], NOW) == 0
    other = add(store, "Wire B", "The dam holds")
    assert evaluate(store, [rule], [other], NOW) == 1


def test_an_item_alerts_once_per_rule(store):
    rules = [WatchRule(name="one", keywords=["blast"]), WatchRule(name="two", keywords=["blast"])]
    item = add(store, "Wire A", "Blast in the city")
    assert evaluate(store, rules, [item], NOW) == 2
    assert evaluate(store, rules, [item], NOW) == 0
    assert len(store.alerts()) == 2


def test_backlog_older_than_a_day_does_not_alert(store):
    rule = WatchRule(name="kabul", provinces=["AF-KAB"])
    old = add(store, "Wire A", "Old blast in Kabul", provinces=["AF-KAB"], age=timedelta(days=3))
    fresh = add(store, "Wire A", "New blast in Kabul", provinces=["AF-KAB"], age=timedelta(hours=2))
    assert evaluate(store, [rule], [old, fresh], NOW) == 1
    assert [a.item_id for a in store.alerts()] == [fresh]


async def test_collector_raises_alerts_as_it_stores(tmp_path):
    store = Store.open(tmp_path / "afmon.db")
    with TestServer() as server:
        body = rss(
            [{"title": "Explosion near the airport", "guid": "1"}, {"title": "x", "guid": "2"}]
        )
        server.route("/f", feed(body))
        config = Config(
            feeds=[FeedConfig(name="f", url=server.url("/f"))],
            watch=[WatchRule(name="blasts", keywords=["explosion", "blast"])],
        )
        collector = Collector(config, store, hooks=collector_hooks(store, config.watch))
        report = await collector.run_once()
        await collector.aclose()
    assert report.feeds[0].alerts == 1
    (alert,) = store.alerts()
    assert alert.rule == "blasts" and "Explosion near the airport" in alert.message
    store.close()
