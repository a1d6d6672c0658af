"""Stories that may tell of the same event (analysis/related.py), through a real store.

The split is made as it happens: each part placed by a clusterer that did not see the
other's reports (an assigner that started before the other part was stored, or a report in
another language that arrived first). The suggestion must find the other part by its keys,
score it with the clusterer's own scorer either way, and leave out another incident.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from analysis.cluster import Clusterer
from analysis.related import related_stories
from analysis.storage import _place
from store import Store
from tests.benchmods import bench_module

bench = bench_module("cluster_bench")
T0 = datetime(2025, 3, 14, 12, tzinfo=UTC)


def _case(n, outlet, hours, title, summary, province, part, lang="en") -> dict:
    return {
        "id": n,
        "outlet": outlet,
        "lang": lang,
        "title": title,
        "summary": summary,
        "published": T0 + timedelta(hours=hours),
        "provinces": [province],
        "actors": [],
        "story": part,
    }


CASES = [
    _case(
        1,
        "AP",
        0,
        "Suicide bomber hits mosque in Kunduz during Friday prayers",
        "A suicide bomber blew himself up inside a Shia mosque in the northern city of Kunduz.",
        "AF-KDZ",
        "first part",
    ),
    _case(
        2,
        "Reuters",
        1,
        "Kunduz mosque blast kills dozens",
        "Dozens of worshippers were killed when a bomb tore through a mosque in Kunduz.",
        "AF-KDZ",
        "first part",
    ),
    _case(
        3,
        "BBC Persian",
        2,
        "انفجار انتحاری در مسجد شیعیان در کندز",
        "یک مهاجم انتحاری در مسجدی در شهر کندز خود را منفجر کرد.",
        "AF-KDZ",
        "in dari",
        "fa",
    ),
    _case(
        4,
        "Tolo",
        30,
        "Death toll in Kunduz mosque bombing rises to 55",
        "The toll from Friday's suicide attack on a mosque in Kunduz rose to 55.",
        "AF-KDZ",
        "the toll",
    ),
    # Near misses: the same kind of attack in another province that day, and other news.
    _case(
        5,
        "AP",
        5,
        "Suicide bomber hits mosque in Kandahar",
        "A suicide bomber struck a mosque in the southern city of Kandahar.",
        "AF-KAN",
        "kandahar",
    ),
    _case(
        6,
        "Pajhwok",
        3,
        "Floods destroy homes in Herat",
        "Flash floods destroyed dozens of homes in Herat province.",
        "AF-HER",
        "flood",
    ),
]


def place_apart(store: Store, parts: dict[str, list[int]]) -> dict[str, int]:
    """Store each part (item ids, oldest first) as its own story, placed by a clusterer of
    its own; part -> story id."""
    items = {i.id: i for i in store.story_walk((float("-inf"), 0), 1000)}
    story_of, next_id = {}, 1
    for part, ids in parts.items():
        clusterer = Clusterer(next_id=next_id)
        assignments, rows = _place(clusterer, [items[i] for i in ids])
        store.save_stories(assignments, rows)
        (story_of[part],) = {a.story_id for a in assignments}
        next_id = clusterer.next_id
    return story_of


def _split_store(path: Path) -> tuple[Store, dict[str, int]]:
    store, ids = bench.fill_store(path, CASES)
    parts: dict[str, list[int]] = {}
    for case, item_id in zip(CASES, ids, strict=True):
        parts.setdefault(case["story"], []).append(item_id)
    return store, place_apart(store, parts)


def test_the_other_parts_of_a_split_event_are_suggested_either_way(tmp_path):
    store, story_of = _split_store(tmp_path / "split.db")
    first, dari, toll = story_of["first part"], story_of["in dari"], story_of["the toll"]
    # The toll report, 30 hours later, fits the first part's story; the first part's reports
    # came more than a day before the toll story began, so only the other way finds it.
    assert sorted(sid for sid, _score in related_stories(store, first)) == sorted([dari, toll])
    assert first in [sid for sid, _score in related_stories(store, toll)]
    assert first in [sid for sid, _score in related_stories(store, dari)]
    scores = [score for _sid, score in related_stories(store, first)]
    assert scores == sorted(scores, reverse=True)  # best first
    store.close()


def test_another_incident_and_other_news_are_not_suggested(tmp_path):
    store, story_of = _split_store(tmp_path / "near.db")
    assert related_stories(store, story_of["kandahar"]) == []
    assert related_stories(store, story_of["flood"]) == []
    assert related_stories(store, 999) == []  # no such story
    store.close()
