"""`afmon feeds check`: fetch and parse each feed once, now, and say what happened. Stores
nothing and never opens the database.

It uses the collector's own parts so that what it reports is what collecting would meet: the
`Fetcher` with the configured limits, gates and redirect handling, the parse step in the
collector's worker pool (`parse_body`: the same CPU deadline and memory ceiling, so a hostile
document cannot stall the check either), and the robots.txt cache. No conditional GET: a
check wants the body, not a 304. Entries are not tagged: a check counts them.

A robots.txt that disallows the feed is reported as an error whatever `settings.robots_txt`
says: the check is where an operator learns it and decides (keep, disable, or obey). Under
"obey" the feed is not fetched at all, as collecting would not fetch it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from core.config import FeedConfig, Settings
from feeds.fetch import Fetcher, FetchResult
from feeds.parse import NotAFeed, ParsedFeed, parse
from feeds.robots import RobotsCache, RobotsVerdict
from feeds.workers import ParsePool, ParseTimeout, WorkerDied

CheckStatus = Literal["ok", "error"]
JSON_KEYS = ("name", "url", "status", "http_status", "items", "newest", "final_url", "error")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One feed's check. `to_json` is the `feeds check --json` contract."""

    name: str
    url: str
    status: CheckStatus
    http_status: int | None = None
    items: int | None = None
    newest: datetime | None = None
    final_url: str | None = None
    error: str | None = None
    moved_to: str | None = None
    """Where a permanent redirect (301/308) that ended in a good answer leads."""
    warning: str | None = None
    """What the parser noted about a feed it could read."""
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        newest = (
            self.newest.astimezone(UTC).isoformat().replace("+00:00", "Z") if self.newest else None
        )
        values = (
            self.name,
            self.url,
            self.status,
            self.http_status,
            self.items,
            newest,
            self.final_url,
            self.error,
        )
        return dict(zip(JSON_KEYS, values, strict=True))


async def parse_body(
    pool: ParsePool, fetched: FetchResult, now: datetime, language: str | None
) -> ParsedFeed:
    """The collector's parse step, in its worker pool. Raises NotAFeed, ParseTimeout or
    WorkerDied."""
    assert fetched.body is not None
    return await pool.run(
        parse,
        fetched.body,
        fetched.final_url,
        now,
        content_type=fetched.content_type,
        language=language,
    )


async def check_feeds(
    feeds: Sequence[FeedConfig],
    settings: Settings,
    *,
    on_done: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Check every feed concurrently, within the fetcher's limits; results in input order."""
    fetcher = Fetcher(settings)
    robots = RobotsCache(fetcher)
    pool = ParsePool(
        settings.parse_workers,
        deadline=settings.parse_deadline.total_seconds(),
        memory=settings.parse_memory,
    )
    try:
        return list(
            await asyncio.gather(
                *(_checked(feed, settings, fetcher, robots, pool, on_done) for feed in feeds)
            )
        )
    finally:
        await fetcher.aclose()
        pool.close()


async def _checked(
    feed: FeedConfig,
    settings: Settings,
    fetcher: Fetcher,
    robots: RobotsCache,
    pool: ParsePool,
    on_done: Callable[[CheckResult], None] | None,
) -> CheckResult:
    started = time.monotonic()
    try:
        result = await _check_one(feed, settings, fetcher, robots, pool)
    except Exception as exc:  # noqa: BLE001 - one feed's surprise must not hide the others
        result = CheckResult(
            feed.name, feed.url, "error", error=f"internal error: {type(exc).__name__}: {exc}"
        )
    result = replace(result, seconds=time.monotonic() - started)
    if on_done is not None:
        on_done(result)
    return result


async def _check_one(
    feed: FeedConfig,
    settings: Settings,
    fetcher: Fetcher,
    robots: RobotsCache,
    pool: ParsePool,
) -> CheckResult:
    asking = asyncio.ensure_future(robots.verdict(feed.url))
    try:
        if settings.robots_txt == "obey":
            verdict = await asking
            if not verdict.allowed:
                return CheckResult(
                    feed.name, feed.url, "error", error=_robots_error(verdict, False)
                )
        fetched = await fetcher.fetch(feed.url)
        verdict = await asking
    finally:
        asking.cancel()
    errors: list[str] = []
    parsed: ParsedFeed | None = None
    if fetched.error:
        errors.append(fetched.error)
    elif fetched.body is not None:
        try:
            parsed = await parse_body(pool, fetched, datetime.now(UTC), feed.language)
        except (NotAFeed, ParseTimeout, WorkerDied) as exc:
            errors.append(str(exc))
    if not verdict.allowed:
        errors.append(_robots_error(verdict, True))
    dates = [e.published for e in parsed.entries if e.published] if parsed else []
    return CheckResult(
        name=feed.name,
        url=feed.url,
        status="error" if errors else "ok",
        http_status=fetched.http_status,
        items=len(parsed.entries) if parsed is not None else None,
        newest=max(dates) if dates else None,
        final_url=fetched.final_url,
        error="; ".join(errors) or None,
        moved_to=fetched.permanent_url if fetched.ok else None,
        warning=parsed.warning if parsed is not None else None,
    )


def _robots_error(verdict: RobotsVerdict, fetched: bool) -> str:
    tail = ' (fetched anyway: settings.robots_txt is not "obey")' if fetched else " (not fetched)"
    return f"{verdict.note}{tail}"
