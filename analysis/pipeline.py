"""The collector's post-pass hooks: watch rules after each feed, stories after each pass,
and at the start of a run the items still without a story.

feeds/ never imports analysis/; the command line and the monitor hand `collector_hooks(...)`
to the `Collector`, which calls it on its writer thread once items are committed. The
clustering and rule code is imported on first use, so a pass of only 304s loads none of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.storage import StoryAssigner
    from analysis.watch import Corroboration
    from core.config import WatchRule
    from core.records import TagResult
    from store import Store

Prepared = tuple[Any, ...]
"""What a parse worker reads of an entry for its story: the doc's row (`Doc.to_row`), which
analysis.storage.make_doc turns into the item's doc."""


def prepare_entry(title: str, summary: str, tags: TagResult) -> Prepared:
    """Read a tagged entry as the story clusterer will (event, places, words ...). The
    collector has its parse workers run this beside the tagger (`AnalysisHooks.prepare_entry`):
    half the CPU of placing a report in a story is this reading, and there it runs on the
    cores the collector's own thread does not use. Imports the event reader on first use, in
    the worker."""
    from analysis.doc import Doc

    return Doc.make(
        0,
        "",
        title,
        0.0,
        tags.provinces,
        tags.actors,
        summary=summary,
        # As the store gives the evidence back: spans with text (implied tags have none).
        evidence=[(t.kind, t.code, t.start, t.text) for t in tags.evidence if t.text],
    ).to_row()


class AnalysisHooks:
    """Raises watch-rule alerts for each feed's new items; assigns a pass's items to stories."""

    def __init__(self, store: Store, rules: Sequence[WatchRule], stories: bool = True):
        self.store = store
        self.rules = tuple(rules)
        self.stories = stories
        self._corroboration: Corroboration | None = None
        self._assigner: StoryAssigner | None = None  # kept between passes (its cache)
        self._caught_up_to: tuple[float, int] | None = None  # catch_up's (published, id)
        # Run by the parse workers for each entry; the results come back to `after_pass`.
        self.prepare_entry = prepare_entry if stories else None

    def after_feed(self, new_ids: Sequence[int], now: datetime) -> int:
        if not self.rules or not new_ids:
            return 0
        from analysis import watch

        if self._corroboration is None:
            self._corroboration = watch.Corroboration()
        return watch.evaluate(self.store, self.rules, new_ids, now, self._corroboration)

    def after_pass(
        self,
        new_ids: Sequence[int],
        now: datetime,
        prepared: Mapping[int, Prepared] | None = None,
    ) -> None:
        if not self.stories or not new_ids:
            return
        self._stories().assign(new_ids, prepared)

    def catch_up(self, limit: int) -> int:
        """Place up to `limit` items that have no story yet, oldest first (a database filled
        while stories were off, or whose stories a migration dropped). The collector calls
        this at the start of a run until it returns 0, a chunk at a time on the thread the
        passes' hooks run on, so the two never place items at once."""
        if not self.stories:
            return 0
        keys = self.store.unassigned_item_keys(limit, self._caught_up_to)
        if not keys:
            return 0
        self._caught_up_to = keys[-1]  # the next chunk starts after it, whatever was placed
        self._stories().assign([key[1] for key in keys])
        return len(keys)  # items worked through: never the same ones twice, so this ends

    def _stories(self) -> StoryAssigner:
        if self._assigner is None:
            from analysis.storage import StoryAssigner

            self._assigner = StoryAssigner(self.store)
        return self._assigner


def collector_hooks(
    store: Store, rules: Sequence[WatchRule], stories: bool = True
) -> AnalysisHooks:
    return AnalysisHooks(store, rules, stories)
