"""Stories that may tell of the same event as another: the near misses an analyst should see.

The clusterer keeps reports apart when it is not sure (a story is one event: precision
first), so one event is sometimes told by two stories: a report came before the one that
would have tied them, or it is in another language, or its headline uses other words. The
story screen lists, under a story's reports, the stored stories that one of its reports fits
(or that fit one of theirs) as well as a report fits the story it joins: the same scorer, the
same threshold, the same candidates by blocking key. Measured through the store
(bench/related_bench.py), a suggestion is another part of the same event 17 times in 19 on
dev4, 13 in 13 on dev8's tune half, 8 in 14 on dev9's (near misses in Pakistan), 6 in 9 on
heldout2; with every development set crowded into 20 days at once, about a third of them. So
they are shown as suggestions, never merged.
"""

from __future__ import annotations

from collections import Counter

from analysis.cluster import (
    DEFAULT_WEIGHTS,
    POSTING_CAP,
    Clusterer,
    Weights,
    blocking_keys,
    max_window_hours,
)
from analysis.doc import Doc
from analysis.storage import StoredSource
from analysis.story import Story
from store import Store

RELATED_LIMIT = 5  # suggestions listed
# Reports of a long story asked for candidates, its first and its latest (the rest tell the
# same event); and candidates whose own reports are read back for the other direction.
MEMBERS_ASKED = 12
CANDIDATES_READ = 12


def related_stories(
    store: Store,
    story_id: int,
    limit: int = RELATED_LIMIT,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[tuple[int, float]]:
    """(story id, score) of the stored stories that may tell of `story_id`'s event, best
    first. Read only; empty for an unknown story or one of untitled reports."""
    source = StoredSource(store.story_reader())
    docs = [d for d in source.members(story_id) if not d.blank]
    if not docs:
        return []
    story = Story(story_id)
    for doc in docs:  # (oldest first, as the store gives them)
        story.add(doc)
    clusterer = Clusterer(weights, source=source)
    scorer = clusterer.scorer
    bar = weights.threshold
    best: dict[int, float] = {}

    def note(sid: int, score: float | None) -> None:
        if score is not None and score >= bar and score > best.get(sid, float("-inf")):
            best[sid] = score

    # One way: this story's reports against the stories their keys find (those begun before
    # a report or within a day after it, as the clusterer looks).
    keys: dict[str, None] = {}
    for doc in _asked(docs):
        doc_keys = blocking_keys(doc)
        keys.update(dict.fromkeys(doc_keys))
        found = [s for s in clusterer.candidates(doc, doc_keys, scorer.admits) if s.id != story_id]
        for s, text in zip(found, scorer.text_scores(doc, found), strict=True):
            note(s.id, scorer.weigh(doc, s, text))
    # The other way: the reports of stories begun after this one against it (a later report
    # of the other story, a rising toll, may fit this one where none of this one's fits
    # that). The stories sharing most keys first.
    later = source.postings(
        keys, story.first_seen, story.first_seen + max_window_hours() * 3600, POSTING_CAP
    )
    shared = Counter(sid for ids in later.values() for sid in ids if sid != story_id)
    for sid, _n in shared.most_common(CANDIDATES_READ):
        for doc in _asked(source.members(sid)):
            if not doc.blank:
                note(sid, scorer.score(doc, story, scorer.text_scores(doc, [story])[0]))
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:limit]


def _asked(docs: list[Doc]) -> list[Doc]:
    """The reports of a story asked for: all of a short one, the first and the latest of a
    long one."""
    if len(docs) <= MEMBERS_ASKED:
        return docs
    half = MEMBERS_ASKED // 2
    return docs[:half] + docs[-half:]


__all__ = ["RELATED_LIMIT", "related_stories"]
