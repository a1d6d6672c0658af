"""robots.txt: asked once per host per day, through the collector's own Fetcher and limits.

Why afmon only reports by default (`settings.robots_txt = "report"`): robots.txt tells
*crawlers* which pages to discover and index. A feed reader fetches one URL that a person
chose to subscribe to, like a browser opening a bookmark, and feed readers do not consult it
(newsboat, Miniflux and selfoss fetch a subscribed feed whatever robots.txt says).
Some publishers disallow their feed paths for crawlers without meaning to stop subscribers.
So collect fetches and notes the disallow in the feed's health, `afmon feeds check` names it,
and the operator decides: keep the feed, disable it, or set `robots_txt = "obey"`.

Rules follow RFC 9309 where Python's `urllib.robotparser` does not: the longest matching
rule wins (an Allow beats a Disallow of the same length), `*` and `$` work in paths, and a
4xx answer means "no rules". An unreachable robots.txt (5xx, network, deadline) never stops
a feed: the verdict is "allowed" with a note. A crawler would assume "disallow all"; a robots
outage silencing every feed of a host is the wrong trade for a watch officer.

The cache never stalls a pass: one request per host at a time (later askers wait for it),
bounded by ROBOTS_DEADLINE, and failures are cached too (for FAILED_TTL) so a dead host is not
asked again by every feed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from core.config import RobotsPolicy
from store.models import FeedUpdate

if TYPE_CHECKING:  # httpx and urllib.request load once there is something to fetch
    from urllib.robotparser import RobotFileParser

    from feeds.fetch import Fetcher, FetchResult

ROBOTS_TTL = 24 * 3600.0
"""RFC 9309: a cached robots.txt should not be used for more than a day."""
FAILED_TTL = 900.0
ROBOTS_DEADLINE = 10.0
"""Seconds one robots.txt may take, queueing included (capped by settings.fetch_deadline)."""
ROBOTS_MAX_BYTES = 512 * 1024
"""RFC 9309 asks parsers to read at least 500 KiB; the rest is ignored."""


@dataclass(frozen=True, slots=True)
class RobotsVerdict:
    allowed: bool
    robots_url: str
    note: str | None = None
    """Why, when there is something to say: a disallow, or robots.txt could not be read."""


@dataclass(frozen=True, slots=True)
class _Rules:
    parser: RobotFileParser | None
    """None: no rules apply (4xx) or they could not be read (`unreadable` says why)."""
    expires: float
    unreadable: str | None = None


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def _pattern_matches(pattern: str, path: str) -> bool:
    # robotparser stores rule paths percent-quoted, so * and $ arrive as %2A and %24.
    if "%2A" not in pattern and not pattern.endswith("%24"):
        return path.startswith(pattern)
    anchored = pattern.endswith("%24")
    body = pattern[:-3] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in body.split("%2A"))
    return re.match(regex + ("$" if anchored else ""), path) is not None


def allowed_by(parser: RobotFileParser, agent: str, url: str) -> bool:
    """RFC 9309 matching over robotparser's parsed groups: our group (by product token) or
    the `*` group; the longest matching rule decides; Allow wins a tie."""
    # `entries` and `default_entry` are robotparser's parsed groups: not in its typed surface,
    # stable since Python 3.0.
    groups: list[Any] = getattr(parser, "entries", [])
    entry = next((e for e in groups if e.applies_to(agent)), getattr(parser, "default_entry", None))
    if entry is None:
        return True
    # The same normal form robotparser gives its rule paths: path and query, percent-quoted.
    parts = urlsplit(unquote(url))
    path = quote(urlunsplit(("", "", parts.path, parts.query, ""))) or "/"
    best, allowed = -1, True
    for line in entry.rulelines:
        if not line.path or not _pattern_matches(line.path, path):
            continue
        if len(line.path) > best or (len(line.path) == best and line.allowance):
            best, allowed = len(line.path), line.allowance
    return allowed


class RobotsCache:
    """Per-host robots.txt rules, fetched with `fetcher` (its gates, limits and redirects)."""

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        deadline: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.fetcher = fetcher
        self.agent = fetcher.settings.user_agent
        cap = fetcher.settings.fetch_deadline.total_seconds()
        self.deadline = min(deadline or ROBOTS_DEADLINE, cap)
        self.clock = clock
        self._rules: dict[str, _Rules] = {}
        self._loading: dict[str, asyncio.Future[_Rules]] = {}

    async def verdict(self, url: str) -> RobotsVerdict:
        where = robots_url(url)
        rules = await self._get(where)
        if rules.unreadable:
            return RobotsVerdict(True, where, f"robots.txt not read: {rules.unreadable}")
        if rules.parser is None or allowed_by(rules.parser, self.agent, url):
            return RobotsVerdict(True, where)
        token = self.agent.split("/")[0]
        return RobotsVerdict(False, where, f"robots.txt ({where}) disallows this URL for {token}")

    async def _get(self, where: str) -> _Rules:
        cached = self._rules.get(where)
        if cached is not None and cached.expires > self.clock():
            return cached
        pending = self._loading.get(where)
        if pending is None:
            pending = self._loading[where] = asyncio.ensure_future(self._load(where))
            pending.add_done_callback(lambda _: self._loading.pop(where, None))
        # shield: one asker giving up must not cancel the fetch the others wait for
        return await asyncio.shield(pending)

    async def _load(self, where: str) -> _Rules:
        from feeds.fetch import FetchResult

        try:
            async with asyncio.timeout(self.deadline):
                result = await self.fetcher.fetch(where)
        except TimeoutError:
            result = FetchResult(where, where, error=f"no answer within {self.deadline:g} s")
        except Exception as exc:  # noqa: BLE001 - a load may outlive its asker (closed client)
            result = FetchResult(where, where, error=f"{type(exc).__name__}: {exc}")
        rules = self._interpret(result)
        self._rules[where] = rules
        return rules

    def _interpret(self, result: FetchResult) -> _Rules:
        now = self.clock()
        status = result.http_status
        if result.body is not None:
            from urllib.robotparser import RobotFileParser

            parser = RobotFileParser(result.final_url)
            text = result.body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
            parser.parse(text.splitlines())
            return _Rules(parser, now + ROBOTS_TTL)
        if status is not None and 400 <= status < 500 and status != 429:
            return _Rules(None, now + ROBOTS_TTL)  # RFC 9309: "unavailable" = no rules
        return _Rules(None, now + FAILED_TTL, result.error or f"HTTP {status}")


class RobotsGate:
    """The collector's robots.txt policy around one fetch (settings.robots_txt)."""

    def __init__(self, fetcher: Fetcher, policy: RobotsPolicy):
        self.fetcher = fetcher
        self.policy = policy
        self.cache = RobotsCache(fetcher) if policy != "ignore" else None

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> tuple[FetchResult, str | None]:
        """The fetch (skipped when obeying a disallow) and a note for the feed's health."""
        if self.cache is None:
            return await self.fetcher.fetch(url, etag=etag, last_modified=last_modified), None
        if self.policy == "obey":
            verdict = await self.cache.verdict(url)
            if not verdict.allowed:
                from feeds.fetch import FetchResult

                refused = FetchResult(url, url, error=verdict.note, error_kind="robots")
                return refused, None
            return await self.fetcher.fetch(url, etag=etag, last_modified=last_modified), None
        # "report": ask alongside the fetch and use the answer only if it is there when the
        # fetch is done; otherwise robots.txt keeps loading into the cache and the feed's
        # next fetch reports it. A report never delays a feed.
        asking = asyncio.ensure_future(self.cache.verdict(url))
        try:
            fetched = await self.fetcher.fetch(url, etag=etag, last_modified=last_modified)
        finally:
            if not asking.done():
                asking.cancel()
        answer = asking.result() if asking.done() and not asking.cancelled() else None
        return fetched, (answer.note if answer is not None and not answer.allowed else None)


def with_note(update: FeedUpdate, note: str | None) -> FeedUpdate:
    """`update` with the robots note added to its warning (once)."""
    if not note or not update.succeeded or note in (update.warning or ""):
        return update
    warning = f"{update.warning}; {note}" if update.warning else note
    return dataclasses.replace(update, warning=warning)
