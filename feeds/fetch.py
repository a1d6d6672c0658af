"""Fetch one feed politely and within hard limits; never raise, return a `FetchResult`.

Every feed is hostile. A server may drip one byte every few seconds, send a gzip bomb, loop
redirects, reset the connection, or never answer. So:

- one shared `httpx.AsyncClient` (connection reuse), gated by a global semaphore
  (`settings.concurrency`) and one per host (`settings.per_host`);
- httpx connect/read timeouts plus a total deadline (`asyncio.timeout`) around the whole
  fetch, redirects included;
- the body is read raw and decompressed here, in bounded steps (`decompress(max_length=)`),
  so both the wire size and the decoded size are capped *while streaming* and a bomb costs at
  most `max_body_bytes` of memory;
- redirects are followed by hand (at most 5) so a permanent one can be reported;
- conditional GET (If-None-Match / If-Modified-Since); 304 carries no body.

What the answer *means* for the feed's schedule and health is decided in feeds/schedule.py.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

from core.config import Settings
from core.sanitize import clean

MAX_REDIRECTS = 5
_STEP = 1 << 18
RETRY_AFTER_CAP = 24 * 3600.0
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
_PERMANENT = (301, 308)
_REDIRECTS = (301, 302, 303, 307, 308)

ErrorKind = Literal[
    "http", "gone", "timeout", "deadline", "too_large", "network", "redirect", "robots"
]


class FeedTooLarge(Exception):
    """The body passed `max_body_bytes` (on the wire or once decompressed)."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetch's outcome. Exactly one of `body`, `not_modified` or `error` is meaningful."""

    url: str
    """The URL asked for first."""
    final_url: str
    """The URL that answered, after redirects (relative links resolve against it)."""
    http_status: int | None = None
    body: bytes | None = None
    not_modified: bool = False
    error: str | None = None
    error_kind: ErrorKind | None = None
    permanent_url: str | None = None
    """Where a chain of permanent redirects (301/308) from `url` leads; None if none."""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    retry_after: float | None = None
    """Seconds the server asked us to wait (429/503 Retry-After), capped at 24 h."""
    max_age: float | None = None
    """Cache-Control max-age in seconds, if the server sent one."""
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After is delta-seconds or an HTTP date; return seconds from now, capped."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def parse_max_age(value: str | None) -> float | None:
    if not value:
        return None
    for part in value.split(","):
        name, _, arg = part.strip().partition("=")
        if name.strip().lower() == "max-age":
            arg = arg.strip().strip('"')
            if arg.isdigit():
                return min(float(arg), RETRY_AFTER_CAP)
    return None


def _decoder(encoding: str) -> zlib._Decompress | None:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header, auto-detected
    raise ValueError(f"unsupported Content-Encoding {encoding!r}")


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """Read and decode `response` without ever holding more than `limit` decoded bytes."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise FeedTooLarge(f"body of {int(length):,} bytes announced, limit is {limit:,}")
    decoder = _decoder(response.headers.get("content-encoding", ""))
    out = bytearray()
    wire = 0
    async for chunk in response.aiter_raw():
        wire += len(chunk)
        if wire > limit:
            raise FeedTooLarge(f"body larger than {limit:,} bytes")
        if decoder is None:
            out += chunk
        else:
            data = chunk
            while data:
                try:
                    # Small steps: one call may not inflate a whole `limit` at once (that
                    # output would sit in memory twice, beside `out`).
                    out += decoder.decompress(data, min(limit - len(out) + 1, _STEP))
                except zlib.error as exc:
                    raise ValueError(f"corrupt compressed body: {exc}") from None
                if len(out) > limit:
                    raise FeedTooLarge(f"body larger than {limit:,} bytes once decompressed")
                data = decoder.unconsumed_tail
        if len(out) > limit:
            raise FeedTooLarge(f"body larger than {limit:,} bytes")
    if decoder is not None:
        out += decoder.flush()
        if len(out) > limit:
            raise FeedTooLarge(f"body larger than {limit:,} bytes once decompressed")
    return bytes(out)


def _reason(status: int) -> str:
    try:
        from http import HTTPStatus

        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


class Fetcher:
    """Owns the shared client and the concurrency gates. Create inside the running loop's
    lifetime; `aclose()` when done."""

    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None):
        self.settings = settings
        timeout = httpx.Timeout(
            connect=settings.connect_timeout.total_seconds(),
            read=settings.read_timeout.total_seconds(),
            write=settings.read_timeout.total_seconds(),
            pool=settings.fetch_deadline.total_seconds(),
        )
        self.client = httpx.AsyncClient(
            timeout=timeout,
            limits=httpx.Limits(
                max_connections=settings.concurrency,
                max_keepalive_connections=settings.concurrency,
            ),
            follow_redirects=False,
            headers={
                "User-Agent": settings.user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": "gzip, deflate",
            },
            transport=transport,
            event_hooks={"response": [_hide_location]},
        )
        self._all = asyncio.Semaphore(settings.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    def _host_gate(self, url: str) -> asyncio.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        gate = self._hosts.get(host)
        if gate is None:
            gate = self._hosts[host] = asyncio.Semaphore(self.settings.per_host)
        return gate

    async def aclose(self) -> None:
        await self.client.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch `url`, waiting for a free slot first. The deadline starts once a slot is
        held: time spent queueing behind other feeds is not the server's fault."""
        async with self._host_gate(url), self._all:
            started = time.monotonic()
            deadline = self.settings.fetch_deadline.total_seconds()
            state = _Chain(url)
            try:
                async with asyncio.timeout(deadline):
                    result = await self._fetch(state, etag, last_modified)
            except TimeoutError:
                result = state.fail(
                    f"deadline: no complete answer within {deadline:g} s", "deadline"
                )
            except FeedTooLarge as exc:
                result = state.fail(str(exc), "too_large")
            except httpx.ConnectTimeout:
                result = state.fail(
                    f"connect timeout after {self.settings.connect_timeout.total_seconds():g} s",
                    "timeout",
                )
            except httpx.TimeoutException:
                result = state.fail(
                    f"read timeout: no data for {self.settings.read_timeout.total_seconds():g} s",
                    "timeout",
                )
            except httpx.ConnectError as exc:
                result = state.fail(f"cannot connect: {str(exc) or type(exc).__name__}", "network")
            except (httpx.HTTPError, httpx.InvalidURL, ValueError, OSError) as exc:
                text = str(exc) or type(exc).__name__
                result = state.fail(f"connection failed: {text}", "network")
            return _with_elapsed(result, time.monotonic() - started)

    async def _fetch(
        self, chain: _Chain, etag: str | None, last_modified: str | None
    ) -> FetchResult:
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = self.settings.max_body_bytes
        while True:
            request = self.client.build_request("GET", chain.url, headers=headers)
            response = await self.client.send(request, stream=True)
            try:
                status = response.status_code
                location = response.extensions.get(_LOCATION)
                if status in _REDIRECTS and location is not None:
                    error = chain.follow(status, location)
                    if error:
                        return chain.fail(error, "redirect", status)
                    continue
                common = dict(
                    url=chain.start,
                    final_url=chain.url,
                    http_status=status,
                    permanent_url=chain.permanent,
                    etag=response.headers.get("etag") or etag,
                    last_modified=response.headers.get("last-modified") or last_modified,
                    content_type=response.headers.get("content-type"),
                    max_age=parse_max_age(response.headers.get("cache-control")),
                )
                if status == 304:
                    return FetchResult(not_modified=True, **common)
                if status in (429, 503):
                    wait = parse_retry_after(response.headers.get("retry-after"))
                    return FetchResult(
                        error=_reason(status),
                        error_kind="http",
                        retry_after=wait,
                        **common,
                    )
                if status == 410:
                    return FetchResult(error=_reason(status), error_kind="gone", **common)
                if not 200 <= status < 300 or status == 204:
                    return FetchResult(error=_reason(status), error_kind="http", **common)
                body = await read_capped(response, limit)
                return FetchResult(body=body, **common)
            finally:
                await response.aclose()


_LOCATION = "afmon.location"


async def _hide_location(response: httpx.Response) -> None:
    """Take Location away from httpx before it builds a redirect request of its own: it
    raises on `javascript:`, `data:` or control characters, and the feed's error would
    then read "connection failed" instead of naming the bad redirect. _Chain judges it."""
    if "location" in response.headers:
        response.extensions[_LOCATION] = response.headers["location"]
        del response.headers["location"]


class _Chain:
    """Redirect bookkeeping: where we are, where we started, how far permanence reaches."""

    def __init__(self, url: str):
        self.start = url
        self.url = url
        self.seen = {url}
        self.hops = 0
        self.permanent: str | None = None
        self._all_permanent = True

    def follow(self, status: int, location: str) -> str | None:
        target = urljoin(self.url, location.strip())
        if any(ord(c) < 0x21 or 0x7F <= ord(c) <= 0x9F for c in target):
            return f"redirect to an invalid URL {target[:200]!r}"
        if urlsplit(target).scheme not in ("http", "https"):
            return f"redirect to a non-http URL {target[:200]!r}"
        if target in self.seen:
            return f"redirect loop at {target[:200]}"
        self.hops += 1
        if self.hops > MAX_REDIRECTS:
            return f"more than {MAX_REDIRECTS} redirects"
        self.seen.add(target)
        if status in _PERMANENT and self._all_permanent:
            self.permanent = target
        else:
            self._all_permanent = False
        self.url = target
        return None

    def fail(self, error: str, kind: ErrorKind, status: int | None = None) -> FetchResult:
        return FetchResult(
            url=self.start,
            final_url=self.url,
            http_status=status,
            error=error,
            error_kind=kind,
            permanent_url=None,
        )


def _with_elapsed(result: FetchResult, elapsed: float) -> FetchResult:
    from dataclasses import replace

    # Error texts quote servers (exception messages, URLs): they go to the database, the
    # terminal and JSON, so they pass the one door for untrusted text like feed titles do.
    error = clean(result.error, max_len=500) if result.error else result.error
    return replace(result, elapsed=elapsed, error=error)
