"""The parse workers read each entry for its story (`prepare_entry`) so the collector's own
thread does not: what they hand back must be exactly the doc the assigner would have read from
the stored item, or stories would depend on which path an item took.

Over the whole demo corpus, hostile feeds included: real tagger, real SQLite file. Then
end to end: a real collector, real parse worker processes, a loopback server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from afmon.demo import load_corpus
from analysis.pipeline import AnalysisHooks, prepare_entry
from analysis.storage import StoryAssigner, make_doc
from core.config import Config, FeedConfig
from feeds.collect import Collector
from feeds.tagger import get_tagger
from store import FeedUpdate, Store
from tests.demo_corpus import demo_entry, sync_demo_feeds
from tests.httpserver import TestServer, fast_settings, feed, rss

NOW = datetime(2025, 3, 14, 12, tzinfo=UTC)


def _stored_items(store: Store) -> list:
    items, after = [], (float("-inf"), 0)
    while batch := store.story_walk(after, 500):
        items += batch
        after = (batch[-1].published, batch[-1].id)
    return items


def _fill(store: Store) -> dict:
    """The demo corpus stored as the collector stores it; item id -> its prepared doc."""
    corpus = load_corpus()["feeds"]
    feed_ids = sync_demo_feeds(store, corpus)
    tagger = get_tagger()
    prepared = {}
    for feed_ in corpus:
        entries = []
        for item in feed_["items"]:
            tags = tagger.tag(item["title"], item["summary"])
            entries.append(
                demo_entry(
                    feed_,
                    item,
                    NOW - timedelta(minutes=item["offset"]),
                    tags,
                    prepare_entry(item["title"], item["summary"], tags),
                )
            )
        done = store.record_fetch(
            feed_ids[feed_["name"]], FeedUpdate(attempted=NOW, status="ok"), entries, now=NOW
        )
        by_key = {e.key: e.prepared for e in reversed(entries)}
        prepared.update(zip(done.new_ids, (by_key[k] for k in done.new_keys), strict=True))
    return prepared


def test_prepared_docs_equal_the_docs_read_from_the_store(store):
    prepared = _fill(store)
    items = _stored_items(store)
    assert len(items) == len(prepared) > 300
    differ = [item.title for item in items if make_doc(item, prepared[item.id]) != make_doc(item)]
    assert differ == []
    # Not vacuous: the docs carry what the comparison is about.
    docs = [make_doc(item, prepared[item.id])[0] for item in items]
    assert sum(1 for d in docs if d.places) > 20 and sum(1 for d in docs if d.event_type) > 100


def test_prepared_items_are_handed_over_without_tags_and_placed_as_if_read_in_full(store, tmp_path):
    prepared = _fill(store)
    ids = sorted(prepared)
    handed: dict[bool, list] = {}

    def look(new, _session):
        handed[bool(handed)] = new
        return [], []  # (nothing written: the items stay unassigned)

    store.assign_stories(ids, look)
    store.assign_stories(ids, look, known=prepared.keys())
    full, bare = handed[False], handed[True]
    assert [i.id for i in full] == [i.id for i in bare]
    assert sum(1 for i in full if i.evidence) > 300  # tags are read for the others ...
    assert all(not (i.evidence or i.provinces or i.actors) for i in bare)  # ... not for these

    StoryAssigner(store).assign(ids, prepared)
    other = Store.open(tmp_path / "other.db")
    try:
        assert sorted(_fill(other)) == ids
        StoryAssigner(other).assign(ids)  # every item read from the store in full
        groups = [_partition(s.story_ids(ids)) for s in (store, other)]
    finally:
        other.close()
    assert groups[0] == groups[1]
    assert len(groups[0]) < len(ids) * 0.9  # not vacuous: stories gather several reports


def _partition(story_of: dict[int, int]) -> set[frozenset[int]]:
    """Item ids grouped by story (the story ids themselves aside)."""
    groups: dict[int, set[int]] = {}
    for item, story in story_of.items():
        groups.setdefault(story, set()).add(item)
    return {frozenset(g) for g in groups.values()}


class _Recording(AnalysisHooks):
    def __init__(self, store: Store):
        super().__init__(store, [])
        self.prepared: dict[int, object] = {}

    def after_pass(self, new_ids, now, prepared=None) -> None:
        self.prepared.update(prepared or {})
        super().after_pass(new_ids, now, prepared)


@pytest.mark.parametrize("workers", [1, 2])
async def test_parse_workers_to_spare_prepare_every_new_item_for_its_story(store, workers):
    """With two workers or more they read each entry for its story; a lone worker (a 2-core
    machine) is the pass's bottleneck already, so the collector reads them itself."""
    titles = [
        "Explosion at mosque in Kabul kills five worshippers",
        "Blast hits Kabul mosque during prayers, five killed",
        "Floods destroy homes in Badakhshan villages",
    ]
    body = rss(
        [
            {"title": t, "guid": f"g{n}", "link": f"/i/{n}", "description": f"Report {n}."}
            for n, t in enumerate(titles)
        ]
    )
    with TestServer() as server:
        server.route("/f", feed(body))
        config = Config(
            settings=fast_settings(parse_workers=workers),
            feeds=[FeedConfig(name="f", url=server.url("/f"))],
        )
        hooks = _Recording(store)
        collector = Collector(config, store, hooks=hooks)
        try:
            report = await collector.run_once()
        finally:
            await collector.aclose()
    assert report.new_items == 3
    assert collector.parse_pool.started >= 1  # the reading ran in a worker process
    items = _stored_items(store)
    if workers == 1:
        assert hooks.prepared == {}
    else:
        assert sorted(hooks.prepared) == sorted(item.id for item in items)
        for item in items:
            assert make_doc(item, hooks.prepared[item.id]) == make_doc(item)  # type: ignore[arg-type]
    stories = {store.story_of(item.id).id for item in items if "mosque" in item.title}
    assert len(stories) == 1
