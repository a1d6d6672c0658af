"""The decider: given a feed's state, what one fetch returned and `now`, say what changes.

Pure (no I/O, no clock; randomness comes in as an argument), so every rule below is tested
directly in tests/test_schedule.py:

- success: reset the error counter; next poll after the feed's interval -- the operator's
  fixed `interval`, else adaptive (half the feed's mean posting gap, within
  [min_interval, max_interval]) -- never sooner than RSS <ttl> or Cache-Control max-age, plus
  up to 10 % jitter so feeds of one host drift apart;
- 429/503 with Retry-After: no request before then (capped at 24 h);
- other failures: exponential backoff from `min_interval`, doubling per consecutive error, up
  to `max_interval`, with "equal jitter" (50-100 % of the step);
- 410 Gone: disable the feed (it stays disabled until its URL changes in config);
- a permanent redirect that led to a good answer moves the feed to its new URL.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.config import Settings
from feeds.fetch import RETRY_AFTER_CAP, FetchResult
from feeds.parse import ParsedFeed
from store.models import FeedState, FeedUpdate

JITTER = 0.10
_WAIT_STATUSES = (429, 503)


@dataclass(frozen=True, slots=True)
class Outcome:
    """Everything one attempt produced, as the decider needs it."""

    fetch: FetchResult
    parsed: ParsedFeed | None = None
    parse_error: str | None = None
    body_hash: str | None = None
    unchanged: bool = False
    """200 with the same body as last time (parsing skipped)."""


def base_interval(state: FeedState, settings: Settings, fixed: timedelta | None) -> float:
    """Seconds between polls before floors and jitter."""
    if fixed is not None:
        return fixed.total_seconds()
    low = settings.min_interval.total_seconds()
    high = max(settings.max_interval.total_seconds(), low)
    if state.mean_gap:
        # Poll about twice per posting gap: a new item waits half a gap on average.
        return min(max(state.mean_gap / 2, low), high)
    return min(max(settings.poll_interval.total_seconds(), low), high)


def next_poll(
    now: datetime,
    base: float,
    *,
    ttl: float | None = None,
    max_age: float | None = None,
    rng: random.Random | None = None,
) -> datetime:
    """When to poll a healthy feed next: base plus jitter, never before ttl/max-age allow."""
    rng = rng or random.Random()
    delay = base * (1 + rng.uniform(0, JITTER))
    floor = min(max(ttl or 0.0, max_age or 0.0), RETRY_AFTER_CAP)
    return now + timedelta(seconds=max(delay, floor))


def backoff(error_count: int, settings: Settings, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `error_count`-th consecutive failure (1-based)."""
    rng = rng or random.Random()
    low = settings.min_interval.total_seconds()
    high = max(settings.max_interval.total_seconds(), low)
    step = min(low * 2 ** min(max(error_count - 1, 0), 30), high)
    return step * rng.uniform(0.5, 1.0)


def waiting_for_server(state: FeedState, now: datetime) -> datetime | None:
    """The end of a Retry-After window the feed is still in, else None."""
    if (
        state.status == "error"
        and state.http_status in _WAIT_STATUSES
        and state.next_try is not None
        and state.next_try > now
    ):
        return state.next_try
    return None


def check_due(state: FeedState, now: datetime, *, force: bool = False) -> tuple[bool, str | None]:
    """(fetch now?, why not). `force` (collect --once, a manual refresh) overrides the normal
    schedule and error backoff, but never a server's Retry-After nor a 410."""
    if state.status == "gone":
        return False, "feed disabled after HTTP 410 Gone; change its url in config to re-enable"
    if not state.enabled:
        return False, "feed disabled in config"
    until = waiting_for_server(state, now)
    if until is not None:
        return False, f"server asked to wait (Retry-After) until {until:%Y-%m-%d %H:%M:%S} UTC"
    if force or state.next_try is None or state.next_try <= now:
        return True, None
    return False, None


def decide(
    state: FeedState,
    outcome: Outcome,
    now: datetime,
    settings: Settings,
    *,
    fixed_interval: timedelta | None = None,
    rng: random.Random | None = None,
) -> FeedUpdate:
    """The feed row's next state after one attempt."""
    rng = rng or random.Random()
    result = outcome.fetch
    if result.error_kind == "gone":
        return FeedUpdate(
            attempted=now,
            status="gone",
            http_status=result.http_status,
            error=f"{result.error}: feed disabled; change its url in config to re-enable",
            error_count=state.error_count + 1,
            next_try=None,
            enabled=False,
        )
    error = result.error or outcome.parse_error
    if error is not None:
        count = state.error_count + 1
        if result.retry_after is not None and result.http_status in _WAIT_STATUSES:
            wait = result.retry_after
            error = f"{error}; Retry-After {wait:g} s"
        else:
            wait = backoff(count, settings, rng)
        return FeedUpdate(
            attempted=now,
            status="error",
            http_status=result.http_status,
            error=error,
            error_count=count,
            next_try=now + timedelta(seconds=wait),
            # The server answered a permanent redirect properly even if the body was bad.
            current_url=result.permanent_url if result.ok else None,
        )
    parsed = outcome.parsed
    ttl = parsed.ttl if parsed is not None else state.ttl
    base = base_interval(state, settings, fixed_interval)
    when = next_poll(now, base, ttl=ttl, max_age=result.max_age, rng=rng)
    warning = None
    if parsed is not None:
        notes = [parsed.warning] if parsed.warning else []
        if parsed.duplicates:
            notes.append(f"{parsed.duplicates} entries repeated a guid (kept the first)")
        warning = "; ".join(notes) or None
    return FeedUpdate(
        attempted=now,
        status="not_modified" if (result.not_modified or outcome.unchanged) else "ok",
        http_status=result.http_status,
        error=None,
        error_count=0,
        next_try=when,
        etag=result.etag,
        last_modified=result.last_modified,
        body_hash=outcome.body_hash,
        current_url=result.permanent_url,
        warning=warning if parsed is not None else state.warning,
        ttl=ttl,
    )
