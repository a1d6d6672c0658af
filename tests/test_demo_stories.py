"""The demo corpus, stored and clustered as afmon does it: every story is one intended event,
and every intended event reported by two or more outlets is one story.

The corpus generator (afmon/demo/make_corpus.py, afmon/demo/_events.py) records the event
each item reports; items are tagged by afmon's tagger and placed one feed at a time through
the store, as the collector does after a pass.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from afmon.demo import load_corpus
from analysis.storage import assign_new_items
from feeds.tagger import get_tagger
from store import FeedUpdate, Store
from tests.demo_corpus import demo_entry, sync_demo_feeds

NOW = datetime(2025, 3, 14, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def clustered(tmp_path_factory):
    """(event of each item id, story of each item id, outlet of each item id)."""
    corpus = [f for f in load_corpus()["feeds"] if not f["nasty"]]
    store = Store.open(tmp_path_factory.mktemp("demo") / "demo.db")
    feed_ids = sync_demo_feeds(store, corpus)
    tagger = get_tagger()
    reports = sorted(
        ((item["offset"], feed, item) for feed in corpus for item in feed["items"]),
        key=lambda r: r[0],
    )
    events, outlets = {}, {}
    for offset, feed, item in reports:
        published = NOW + timedelta(minutes=offset)
        entry = demo_entry(feed, item, published, tagger.tag(item["title"], item["summary"]))
        done = store.record_fetch(
            feed_ids[feed["name"]], FeedUpdate(attempted=published, status="ok"), [entry], now=NOW
        )
        for item_id in done.new_ids:
            events[item_id] = item["event"]
            outlets[item_id] = feed["outlet"]
        assign_new_items(store, done.new_ids)
    stories = store.story_ids(list(events))
    store.close()
    return events, stories, outlets


def test_every_item_is_placed(clustered):
    events, stories, _ = clustered
    assert len(events) >= 600 and set(stories) == set(events)


def test_every_story_reports_one_intended_event(clustered):
    events, stories, _ = clustered
    by_story = defaultdict(set)
    for item_id, story in stories.items():
        by_story[story].add(events[item_id])
    mixed = {story: found for story, found in by_story.items() if len(found) > 1}
    assert not mixed


def test_every_event_several_outlets_report_is_one_story(clustered):
    events, stories, outlets = clustered
    by_event = defaultdict(list)
    for item_id, event in events.items():
        by_event[event].append(item_id)
    told = {e: ids for e, ids in by_event.items() if len({outlets[i] for i in ids}) >= 2}
    assert len(told) >= 40  # the corpus has plenty of them
    split = {e: {stories[i] for i in ids} for e, ids in told.items()}
    assert {e: found for e, found in split.items() if len(found) > 1} == {}


def test_the_hand_placed_kabul_attack_is_one_corroborated_story(clustered):
    events, stories, outlets = clustered
    kabul = [i for i, e in events.items() if e == "kabul-attack"]
    assert len({stories[i] for i in kabul}) == 1
    assert len({outlets[i] for i in kabul}) >= 5
