"""feeds/schedule.py: the pure decider, given `now` and a seeded random source."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from core.config import Settings
from feeds.fetch import FetchResult
from feeds.parse import ParsedFeed
from feeds.schedule import Outcome, backoff, base_interval, check_due, decide, next_poll
from store.models import FeedState

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
S = Settings(
    poll_interval=timedelta(minutes=15),
    min_interval=timedelta(minutes=5),
    max_interval=timedelta(hours=6),
)
URL = "http://example.org/feed"


def state(**kw: object) -> FeedState:
    values: dict[str, object] = dict(
        id=1, name="f", url=URL, current_url=URL, outlet="o", language=None, enabled=True
    )
    values.update(kw)
    return FeedState(**values)  # type: ignore[arg-type]


def ok(**kw: object) -> Outcome:
    fetch = FetchResult(url=URL, final_url=URL, http_status=200, body=b"x", **kw)  # type: ignore[arg-type]
    return Outcome(fetch=fetch, parsed=ParsedFeed(entries=[]), body_hash="h")


def failed(status: int | None, error: str, **kw: object) -> Outcome:
    fetch = FetchResult(url=URL, final_url=URL, http_status=status, error=error, **kw)  # type: ignore[arg-type]
    return Outcome(fetch=fetch)


def test_adaptive_interval_follows_posting_rhythm_within_bounds():
    assert base_interval(state(), S, None) == 15 * 60  # no rhythm yet: poll_interval
    assert base_interval(state(mean_gap=3600), S, None) == 1800  # half the gap
    assert base_interval(state(mean_gap=60), S, None) == 300  # never below min_interval
    assert base_interval(state(mean_gap=7 * 86400), S, None) == 6 * 3600  # nor above max
    assert base_interval(state(mean_gap=60), S, timedelta(hours=1)) == 3600  # operator wins


def test_jitter_is_small_and_only_later():
    rng = random.Random(1)
    delays = [(next_poll(NOW, 1000, rng=rng) - NOW).total_seconds() for _ in range(200)]
    assert min(delays) >= 1000 and max(delays) <= 1100 and len(set(delays)) > 100


def test_never_sooner_than_ttl_or_max_age():
    assert next_poll(NOW, 300, ttl=3600) - NOW == timedelta(hours=1)
    assert next_poll(NOW, 300, max_age=7200) - NOW == timedelta(hours=2)
    assert next_poll(NOW, 300, ttl=10 * 86400) - NOW == timedelta(hours=24)  # capped


def test_backoff_doubles_with_jitter_up_to_max():
    rng = random.Random(7)
    for n, step in [(1, 300), (2, 600), (3, 1200), (10, 6 * 3600), (50, 6 * 3600)]:
        wait = backoff(n, S, rng)
        assert step / 2 <= wait <= step


def test_success_resets_errors_and_schedules_next_poll():
    update = decide(state(error_count=4, status="error"), ok(etag='"e"'), NOW, S)
    assert update.status == "ok" and update.error_count == 0 and update.error is None
    assert update.etag == '"e"' and update.body_hash == "h"
    assert NOW + timedelta(minutes=15) <= update.next_try <= NOW + timedelta(minutes=16.5)


def test_500_backs_off_and_counts():
    update = decide(state(error_count=2), failed(500, "HTTP 500"), NOW, S, rng=random.Random(3))
    assert update.status == "error" and update.error_count == 3 and update.error == "HTTP 500"
    assert NOW + timedelta(minutes=10) <= update.next_try <= NOW + timedelta(minutes=20)


def test_retry_after_sets_next_try_exactly():
    update = decide(state(), failed(429, "HTTP 429", retry_after=7200.0), NOW, S)
    assert update.next_try == NOW + timedelta(hours=2)
    assert "Retry-After" in update.error and update.http_status == 429


def test_410_disables():
    update = decide(state(), failed(410, "HTTP 410 Gone", error_kind="gone"), NOW, S)
    assert update.status == "gone" and not update.enabled and update.next_try is None


def test_permanent_redirect_moves_the_feed_only_on_success():
    new = "http://example.org/new"
    moved = decide(state(), ok(permanent_url=new), NOW, S)
    assert moved.current_url == new
    broken = decide(state(), failed(404, "HTTP 404", permanent_url=None), NOW, S)
    assert broken.current_url is None


def test_not_modified_and_unchanged_keep_warning():
    fetch = FetchResult(url=URL, final_url=URL, http_status=304, not_modified=True)
    update = decide(state(warning="w", ttl=3600), Outcome(fetch=fetch), NOW, S)
    assert update.status == "not_modified" and update.warning == "w"
    assert update.next_try >= NOW + timedelta(hours=1)  # stored ttl still honoured


def test_bozo_warning_and_duplicates_are_recorded():
    fetch = FetchResult(url=URL, final_url=URL, http_status=200, body=b"x")
    parsed = ParsedFeed(entries=[], warning="SAXParseException: junk", duplicates=2)
    update = decide(state(), Outcome(fetch=fetch, parsed=parsed), NOW, S)
    assert "junk" in update.warning and "2 entries repeated" in update.warning


@pytest.mark.parametrize(
    ("kw", "force", "due", "why"),
    [
        ({}, False, True, None),
        ({"next_try": NOW + timedelta(minutes=1)}, False, False, None),
        ({"next_try": NOW + timedelta(minutes=1)}, True, True, None),
        ({"next_try": NOW - timedelta(minutes=1)}, False, True, None),
        (
            {"status": "error", "http_status": 429, "next_try": NOW + timedelta(hours=1)},
            True,
            False,
            "Retry-After",
        ),
        (
            {"status": "error", "http_status": 500, "next_try": NOW + timedelta(hours=1)},
            True,
            True,
            None,
        ),
        ({"status": "gone", "enabled": False}, True, False, "410"),
        ({"enabled": False}, True, False, "disabled in config"),
    ],
)
def test_check_due(kw, force, due, why):
    ok_, reason = check_due(state(**kw), NOW, force=force)
    assert ok_ is due
    assert (reason is None) if why is None else (why in reason)
