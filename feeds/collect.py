"""The collector: fetch -> parse + tag -> decide -> write, per feed, concurrently, then the
caller's post-pass hooks (watch rules, stories: analysis/ provides them, the CLI and the app
wire them in, so feeds/ never imports analysis/).

One code path for `afmon collect --once`, `--watch` and the monitor's embedded worker.

Processes, threads and the loop: httpx runs on the event loop; feedparser and the tagger run
in worker processes (feeds/workers.py: a CPU deadline and a memory ceiling per document, so no
feed can stall a pass or take the collector down; started on the first body to parse, so a
pass of 304s starts none); every SQLite write runs on one dedicated writer thread, so the
collector holds one write connection and writes never contend with each other. A write, once
started, always finishes: it is shielded from cancellation and `run_forever` waits for
pending writes before it returns. The `after_pass` hook (stories) runs on a thread of its
own, on the pass's committed items in chunks while later feeds are still fetched and parsed,
so it never holds up writes and uses the core the parse workers leave; on
that thread too, `run_forever` first works off the hooks' backlog (`catch_up`, items stored
while stories were off) a chunk at a time, so the first pass starts at once.

A feed never raises out of here: whatever happens becomes a `FeedResult` and a health row.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from core.config import Config
from feeds.parse import NotAFeed, body_hash, not_a_feed
from feeds.parse_task import tagger_extras
from feeds.robots import RobotsGate, with_note
from feeds.schedule import Outcome, check_due, decide
from feeds.workers import ParsePool, ParseTimeout, WorkerDied
from store import Store, StoreError
from store.models import FeedState, FeedUpdate, WriteResult

if TYPE_CHECKING:
    from feeds.fetch import Fetcher, FetchResult
    from feeds.parse_task import Prepare

log = logging.getLogger("afmon.collect")
T = TypeVar("T")
ResultStatus = Literal["ok", "not_modified", "error"]
_IDLE_WAKE = 60.0
_WORKER_IDLE = 60.0
"""A parse worker with nothing to do for this long exits (the next document starts one):
cheaper than keeping ~40 MB per worker between polls, dearer than restarting after each."""
CATCH_UP_CHUNK = 500  # items per catch_up call: a fraction of a second of the post-pass thread
STORY_CHUNK = 500
"""New items handed to the `after_pass` hook while the pass goes on: stories are placed on the
post-pass thread while later feeds are still fetched and parsed in the workers, instead of all
at the end (a cold pass of 10,000 items spent half its time there, on one core)."""


@dataclass(frozen=True, slots=True)
class FeedResult:
    """What happened to one feed in one pass."""

    feed_id: int
    name: str
    url: str
    status: ResultStatus
    http_status: int | None = None
    new_items: int = 0
    error: str | None = None
    new_ids: tuple[int, ...] = ()
    updated_items: int = 0
    alerts: int = 0
    seconds: float = 0.0
    # New item id -> what the parse worker prepared for the hooks (`PassHooks.prepare_entry`);
    # handed to `after_pass` and dropped from the result (`_gather_pass`).
    prepared: Mapping[int, Any] = field(default_factory=dict, compare=False, repr=False)
    # Its document was large (the parse pool's `large`: tens of thousands of entries): its
    # items go to `after_pass` at the end of the pass, once the workers are gone, so
    # clustering them never adds its memory to a large parse still in flight.
    large: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "url": self.url,
            "status": self.status,
            "http_status": self.http_status,
            "new_items": self.new_items,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class CollectReport:
    new_items: int
    not_modified: int
    failed: int
    seconds: float
    feeds: list[FeedResult] = field(default_factory=list)

    @classmethod
    def from_results(cls, results: Sequence[FeedResult], seconds: float) -> CollectReport:
        return cls(
            new_items=sum(r.new_items for r in results),
            not_modified=sum(1 for r in results if r.status == "not_modified"),
            failed=sum(1 for r in results if r.status == "error"),
            seconds=seconds,
            feeds=list(results),
        )

    def to_json(self) -> dict[str, Any]:
        """The `afmon collect --once --json` contract."""
        return {
            "new_items": self.new_items,
            "not_modified": self.not_modified,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
            "feeds": [r.to_json() for r in self.feeds],
        }


class PassHooks(Protocol):
    """What runs after the collector's writes, on its writer thread. A hook that raises is
    logged and skipped: the items it was given are already committed."""

    def after_feed(self, new_ids: Sequence[int], now: datetime) -> int:
        """One feed's new items are committed; returns how many alerts were raised."""
        ...

    @property
    def prepare_entry(self) -> Prepare | None:
        """Work to run in the parse worker on each tagged entry, beside the tagger: a
        module-level function (it travels to the worker by name) of (title, summary, tags).
        Its results come back to `after_pass`. None: nothing to run."""
        ...

    def after_pass(
        self, new_ids: Sequence[int], now: datetime, prepared: Mapping[int, Any]
    ) -> None:
        """New items of the pass are committed (a chunk of them at a time, in commit order);
        `prepared` maps those of them that have it to what `prepare_entry` returned."""
        ...

    def catch_up(self, limit: int) -> int:
        """Do up to `limit` items' worth of what was left undone before this run (items
        stored while the hooks were off or whose stories a migration dropped); returns how
        many were done, 0 once nothing is left."""
        ...


# Settings read once, when the fetcher or the parse pool is built: a reload cannot change them.
RESTART_SETTINGS = (
    "database",
    "concurrency",
    "per_host",
    "connect_timeout",
    "read_timeout",
    "fetch_deadline",
    "max_body_bytes",
    "parse_deadline",
    "parse_memory",
    "parse_workers",
    "user_agent",
    "robots_txt",
)


class Collector:
    """Collects every configured feed into `store`. Create once, reuse for many passes."""

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        hooks: PassHooks | None = None,
        on_feed_done: Callable[[FeedResult], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        rng: random.Random | None = None,
    ):
        self.config = config
        self.store = store
        self.hooks = hooks
        self.on_feed_done = on_feed_done
        self.clock = clock or (lambda: datetime.now(UTC))
        self.rng = rng or random.Random()
        self.last_report: CollectReport | None = None
        self.next_due: datetime | None = None
        self.running = False
        self._intervals = {f.url: f.interval for f in config.feeds}
        self._tagger_extras = tagger_extras(config.tagger)
        self._fetcher: Fetcher | None = None
        self._robots: RobotsGate | None = None
        settings = config.settings
        self.parse_pool = ParsePool(
            settings.parse_workers,
            deadline=settings.parse_deadline.total_seconds(),
            memory=settings.parse_memory,
        )
        self._write_pool = ThreadPoolExecutor(1, thread_name_prefix="afmon-write")
        self._post_pool = ThreadPoolExecutor(1, thread_name_prefix="afmon-post")
        self._pending: set[asyncio.Future[Any]] = set()
        self._inflight: set[int] = set()
        # Feeds whose last attempt failed inside afmon (a database error ...): their row could
        # not record a next try, so hold them here rather than retry in a tight loop.
        self._hold: dict[int, datetime] = {}
        self._synced: Config | None = None  # the config whose feeds the table follows
        self._wake = asyncio.Event()
        self._refresh_all = False
        self._refresh_ids: set[int] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- public API -----------------------------------------------------------------------
    async def run_once(
        self, force: bool = True, only: Sequence[int] | None = None, catch_up: bool = False
    ) -> CollectReport:
        """One pass. With `force`, every enabled feed is fetched whatever its schedule, except
        feeds inside a server's Retry-After window or disabled by 410: those are reported as
        errors with the reason. Without it, only due feeds run and the rest are left out.
        With `catch_up`, the hooks' backlog (items an earlier run stored but was killed before
        placing) is worked off beside the pass, as `run_forever` does at its start, and the
        pass returns when both are done: `collect --once` leaves no item without a story."""
        started = time.monotonic()
        stop = asyncio.Event()
        backlog = asyncio.create_task(self._catch_up(stop)) if catch_up else None
        states = await self._states()
        now = self.clock()
        wanted = set(only) if only is not None else None
        jobs: list[Any] = []
        for state in states:
            if wanted is not None and state.id not in wanted:
                continue
            due, why = check_due(state, now, force=force)
            if due and state.id not in self._inflight:
                jobs.append(self._collect(state))
            elif force and why and (state.enabled or state.status == "gone"):
                # Reported, so `--once` says why a configured feed was not fetched.
                jobs.append(self._skipped(state, why))
        try:
            results = await self._gather_pass(jobs)
        except BaseException:
            stop.set()  # cancelled or failed: the backlog stops after the chunk in hand
            raise
        finally:
            if backlog is not None:
                await backlog  # finite: each chunk walks on past the items it worked through
        report = CollectReport.from_results(results, time.monotonic() - started)
        self.last_report = report
        return report

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Poll each feed on its own schedule until `stop` is set; then let the writes in
        flight finish and return. Fetches in flight are abandoned (they were not committed)."""
        self.running = True
        self._loop = asyncio.get_running_loop()
        batches: set[asyncio.Task[Any]] = set()
        catching_up = asyncio.create_task(self._catch_up(stop))
        try:
            while not stop.is_set():
                self._wake.clear()
                try:
                    states = await self._states()
                except Exception:  # noqa: BLE001 - a locked or broken database: retry later
                    log.exception("cannot read feeds")
                    states = []
                now = self.clock()
                force_all, force_ids = self._refresh_all, self._refresh_ids
                self._refresh_all, self._refresh_ids = False, set()
                due: list[FeedState] = []
                upcoming: list[datetime] = []
                for state in states:
                    if state.id in self._inflight:
                        continue
                    held = self._hold.get(state.id)
                    if held is not None and held > now and state.id not in force_ids:
                        upcoming.append(held)
                        continue
                    ok, _ = check_due(state, now, force=force_all or state.id in force_ids)
                    if ok:
                        due.append(state)
                    elif state.enabled and state.next_try is not None:
                        upcoming.append(state.next_try)
                if self.parse_pool.idle_workers(older_than=_WORKER_IDLE):
                    await asyncio.to_thread(self.parse_pool.release, _WORKER_IDLE)
                if due:
                    task = asyncio.create_task(self._batch(due))
                    batches.add(task)
                    task.add_done_callback(batches.discard)
                self.next_due = min(upcoming) if upcoming else None
                wait = _IDLE_WAKE
                if self.next_due is not None:
                    wait = min(max((self.next_due - now).total_seconds(), 0.05), _IDLE_WAKE)
                await _wait_any(stop, self._wake, timeout=wait)
        finally:
            for task in [*batches, catching_up]:
                task.cancel()
            await asyncio.gather(*batches, catching_up, return_exceptions=True)
            await asyncio.gather(*list(self._pending), return_exceptions=True)
            self.running = False

    def request_refresh(self, feed_id: int | None = None) -> None:
        """Fetch this feed (or every feed) now. Safe to call from any thread."""

        def apply() -> None:
            if feed_id is None:
                self._refresh_all = True
            else:
                self._refresh_ids.add(feed_id)
            self._wake.set()

        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if self._loop is not None and running is not self._loop:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                self._loop.call_soon_threadsafe(apply)
                return
        apply()

    def reconfigure(self, config: Config, hooks: PassHooks | None = None) -> list[str]:
        """Take a reloaded config while running: feeds added, removed or changed, their
        intervals, the polling bounds, the tagger and (with `hooks`) the watch rules apply from
        the next pass. The settings the fetcher and the parse pool were built with cannot
        change under fetches in flight: their key paths are returned (restart to apply).
        Call on the collector's loop."""
        old = self.config.settings
        fixed = [
            f"settings.{key}"
            for key in RESTART_SETTINGS
            if getattr(old, key) != getattr(config.settings, key)
        ]
        # Those keep their old values; everything else is the new config's.
        self.config = config.model_copy(
            update={
                "settings": config.settings.model_copy(
                    update={key: getattr(old, key) for key in RESTART_SETTINGS}
                )
            }
        )
        self._intervals = {f.url: f.interval for f in config.feeds}
        if hooks is not None:
            self.hooks = hooks
        # The next pass syncs the feeds table to the new list (self._synced is the old config).
        self._wake.set()
        return fixed

    async def aclose(self) -> None:
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None
        await asyncio.gather(*list(self._pending), return_exceptions=True)
        self.parse_pool.close()
        self._write_pool.shutdown(wait=True)
        self._post_pool.shutdown(wait=True)

    # -- one feed -------------------------------------------------------------------------
    async def _batch(self, states: Sequence[FeedState]) -> None:
        started = time.monotonic()
        results = await self._gather_pass([self._collect(s) for s in states])
        self.last_report = CollectReport.from_results(results, time.monotonic() - started)
        self._wake.set()

    async def _gather_pass(self, jobs: Sequence[Awaitable[FeedResult]]) -> list[FeedResult]:
        """Run a pass's feeds, and its new items through the `after_pass` hook in chunks of
        `STORY_CHUNK` as they are committed: the post-pass thread places stories while the
        workers parse later feeds (one thread, so chunks run in commit order, and stories come
        out as if the pass were placed at once; items of large documents come last, see
        `FeedResult.large`). Returns once every chunk is placed."""
        chunk: list[int] = []
        prepared: dict[int, Any] = {}
        large: list[int] = []  # items of large documents: placed last
        placing: list[asyncio.Future[None]] = []

        def hand_over() -> None:
            placing.append(asyncio.ensure_future(self._after_pass(list(chunk), dict(prepared))))
            chunk.clear()
            prepared.clear()

        async def one(job: Awaitable[FeedResult]) -> FeedResult:
            result = await job
            if result.prepared:
                prepared.update(result.prepared)
                result = dataclasses.replace(result, prepared={})
            if self.hooks is not None and result.new_ids:
                if result.large:
                    large.extend(result.new_ids)
                    return result
                chunk.extend(result.new_ids)
                if len(chunk) >= STORY_CHUNK:
                    hand_over()
            return result

        results = list(await asyncio.gather(*(one(job) for job in jobs)))
        # Every document of the pass is parsed: idle workers go before the last chunk is
        # placed, so a pass smaller than a chunk (the monitor's usual) never holds workers
        # and clustering at once. (Chunks handed over are shielded; a stop waits for them.)
        if self.parse_pool.idle_workers():
            await asyncio.to_thread(self.parse_pool.release)
        if chunk:
            hand_over()
        if large:
            chunk.extend(large)
            hand_over()
        await asyncio.gather(*placing)
        return results

    async def _after_pass(self, new_ids: Sequence[int], prepared: Mapping[int, Any]) -> None:
        """Run the `after_pass` hook on a pass's new items (a chunk of them: `_gather_pass`)."""
        hooks = self.hooks
        if hooks is None or not new_ids:
            return
        now = self.clock()

        def work() -> None:
            try:
                hooks.after_pass(new_ids, now, prepared)
            except Exception:  # noqa: BLE001 - the items are committed; the hook is extra
                log.exception("after_pass hook failed")

        await self._shielded(self._post_pool, work)

    async def _catch_up(self, stop: asyncio.Event) -> None:
        """The hooks' backlog, a chunk at a time on the post-pass thread: passes start at
        once and their own hooks run between chunks, and a stop waits for one chunk at most."""
        hooks = self.hooks
        if hooks is None:
            return

        def work() -> int:
            try:
                return hooks.catch_up(CATCH_UP_CHUNK)
            except Exception:  # noqa: BLE001 - the backlog waits for the next run
                log.exception("catch_up hook failed")
                return 0

        while not stop.is_set():
            if not await self._shielded(self._post_pool, work):
                return

    async def _skipped(self, state: FeedState, why: str) -> FeedResult:
        result = FeedResult(
            feed_id=state.id,
            name=state.name,
            url=state.url,
            status="error",
            http_status=state.http_status,
            error=why,
        )
        self._notify(result)
        return result

    async def _collect(self, state: FeedState) -> FeedResult:
        self._inflight.add(state.id)
        started = time.monotonic()
        try:
            result = await self._collect_one(state)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - one feed's bug must not stop the others
            if isinstance(exc, StoreError):  # the machine's condition (disk full ...), no bug
                log.error("collecting %s failed: %s", state.url, exc)
            else:
                log.exception("collecting %s failed", state.url)
            self._hold[state.id] = self.clock() + self.config.settings.min_interval
            result = FeedResult(
                feed_id=state.id,
                name=state.name,
                url=state.url,
                status="error",
                error=(
                    str(exc)
                    if isinstance(exc, StoreError)
                    else f"internal error: {type(exc).__name__}: {exc}"
                ),
            )
        else:
            self._hold.pop(state.id, None)
        finally:
            self._inflight.discard(state.id)
        result = dataclasses.replace(result, seconds=time.monotonic() - started)
        self._notify(result)
        return result

    async def _collect_one(self, state: FeedState) -> FeedResult:
        now = self.clock()
        fetched, robots_note = await self._get_robots().fetch(
            state.current_url, etag=state.etag, last_modified=state.last_modified
        )
        now = max(now, self.clock())
        outcome = await self._interpret(state, fetched, now)
        update = decide(
            state,
            outcome,
            now,
            self.config.settings,
            fixed_interval=self._intervals.get(state.url),
            rng=self.rng,
        )
        update = with_note(update, robots_note)
        entries = outcome.parsed.entries if outcome.parsed is not None else []
        written, alerts = await self._write(state.id, update, entries, now)
        prepared: dict[int, Any] = {}
        if written.new_ids and entries and entries[0].prepared is not None:
            # The first copy of a repeated key is the one stored.
            by_key = {entry.key: entry.prepared for entry in reversed(entries)}
            prepared = {
                i: by_key[k] for i, k in zip(written.new_ids, written.new_keys, strict=True)
            }
        return FeedResult(
            feed_id=state.id,
            name=state.name,
            url=state.url,
            status=_result_status(update),
            http_status=update.http_status,
            new_items=written.new,
            error=update.error,
            new_ids=written.new_ids,
            updated_items=written.updated,
            alerts=alerts,
            prepared=prepared,
            large=self._large(fetched),
        )

    def _large(self, fetched: FetchResult) -> bool:
        """A body the parse pool treats as large (tens of thousands of entries)."""
        return fetched.body is not None and len(fetched.body) >= self.parse_pool.large

    async def _interpret(self, state: FeedState, fetched: FetchResult, now: datetime) -> Outcome:
        if fetched.body is None:
            return Outcome(fetch=fetched)
        digest = body_hash(fetched.body)
        if state.body_hash == digest:
            return Outcome(fetch=fetched, body_hash=digest, unchanged=True)
        verdict = not_a_feed(fetched.body, fetched.final_url, fetched.content_type)
        if verdict is not None:
            return Outcome(fetch=fetched, parse_error=verdict, body_hash=digest)
        # The hooks' share of the work runs beside the tagger when there are workers to
        # spare: with one (a 2-core machine) that worker was the bottleneck of a cold pass
        # (similar corpus, medians of 3: 12.7 s against 11.2 s with the collector doing it).
        # Never for a large document: a row per entry for tens of thousands of entries
        # would be held until their chunk is placed (those items are read from the store).
        prepare = None
        if self.hooks is not None and self.parse_pool.size >= 2 and not self._large(fetched):
            prepare = self.hooks.prepare_entry
        try:
            parsed = await self.parse_pool.parse_and_tag(
                fetched.body,
                fetched.final_url,
                now,
                content_type=fetched.content_type,
                language=state.language,
                extras=self._tagger_extras,
                prepare=prepare,
            )
        except NotAFeed as exc:
            return Outcome(fetch=fetched, parse_error=str(exc), body_hash=digest)
        except (ParseTimeout, WorkerDied) as exc:
            # No body hash: the same body is parsed again (after the backoff), not skipped.
            return Outcome(fetch=fetched, parse_error=str(exc))
        return Outcome(fetch=fetched, parsed=parsed, body_hash=digest)

    async def _write(
        self, feed_id: int, update: FeedUpdate, entries: list[Any], now: datetime
    ) -> tuple[WriteResult, int]:
        def work() -> tuple[WriteResult, int]:
            written = self.store.record_fetch(feed_id, update, entries, now)
            alerts = 0
            if written.new_ids and self.hooks is not None:
                try:
                    alerts = self.hooks.after_feed(written.new_ids, now)
                except Exception:  # noqa: BLE001 - the items are committed; the hook is extra
                    log.exception("after_feed hook failed for feed %s", feed_id)
            return written, alerts

        return await self._on_writer(work)

    # -- plumbing -------------------------------------------------------------------------
    async def _on_writer(self, func: Callable[[], T]) -> T:
        """Run `func` on the writer thread. Shielded: once queued it runs to the end even if
        the caller is cancelled, and `run_forever`/`aclose` wait for it."""
        return await self._shielded(self._write_pool, func)

    async def _shielded(self, pool: ThreadPoolExecutor, func: Callable[[], T]) -> T:
        future = asyncio.get_running_loop().run_in_executor(pool, func)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)
        return await asyncio.shield(future)

    async def _states(self) -> list[FeedState]:
        def work() -> list[FeedState]:
            config = self.config
            if self._synced is not config:
                self.store.sync_feeds(config.feeds)
                self._synced = config
            return self.store.feeds(self.clock(), self.config.settings.silent_after)

        return await self._on_writer(work)

    def _get_fetcher(self) -> Fetcher:
        if self._fetcher is None:
            from feeds.fetch import Fetcher  # httpx: imported once there is a feed to fetch

            self._fetcher = Fetcher(self.config.settings)
        return self._fetcher

    def _get_robots(self) -> RobotsGate:
        fetcher = self._get_fetcher()
        if self._robots is None or self._robots.fetcher is not fetcher:
            self._robots = RobotsGate(fetcher, self.config.settings.robots_txt)
        return self._robots

    def _notify(self, result: FeedResult) -> None:
        if self.on_feed_done is None:
            return
        try:
            self.on_feed_done(result)
        except Exception:  # noqa: BLE001 - a UI callback must not break collection
            log.exception("on_feed_done callback failed")


def _result_status(update: FeedUpdate) -> ResultStatus:
    if update.status in ("ok", "not_modified"):
        return update.status
    return "error"


async def _wait_any(*events: asyncio.Event, timeout: float) -> None:
    waiters = [asyncio.create_task(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*waiters, return_exceptions=True)
