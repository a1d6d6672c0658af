"""A loopback HTTP server that plays the demo corpus back as live feeds.

Each corpus item has an offset in minutes from the moment the server starts. An item is in its
feed once its release time has passed, dated with that time, so a monitor pointed at the server
sees a month of history at once and then new items every few seconds. History keeps its real
spacing; `speed` only compresses the future (speed=10 releases the 15-minute tail in 90 s).

Feeds answer conditional GETs (ETag, Last-Modified -> 304) like a well-behaved CMS; the feeds
marked `nasty` do not (broken XML, HTTP 500, an HTML bot-check page) so collectors can be seen
coping with them.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

from afmon.demo import _render

_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}


@cache
def load_corpus() -> dict[str, Any]:
    """The bundled corpus (corpus/feeds.json), parsed once per process."""
    text = resources.files("afmon.demo").joinpath("corpus/feeds.json").read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class DemoFeed:
    slug: str
    name: str
    url: str
    outlet: str
    language: str
    format: str  # "rss" | "atom"
    nasty: str | None = None  # None | "broken-xml" | "http-500" | "html-page"


@dataclass(frozen=True)
class _Rendered:
    body: bytes
    etag: str
    last_modified: datetime | None


class DemoServer:
    """Serve the corpus on 127.0.0.1. `port=0` picks a free port; `start` defaults to now."""

    def __init__(
        self,
        port: int = 0,
        start: datetime | None = None,
        speed: float = 1.0,
        *,
        clock: Callable[[], datetime] | None = None,
    ):
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._clock = clock or (lambda: datetime.now(UTC))
        self.start_time = (start or self._clock()).astimezone(UTC)
        self.speed = speed
        self._corpus = {feed["slug"]: feed for feed in load_corpus()["feeds"]}
        self._httpd = _QuietHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._thread: threading.Thread | None = None
        self._cache: dict[tuple[str, int], _Rendered] = {}
        self._lock = threading.Lock()
        self.port: int = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.feeds: list[DemoFeed] = [
            DemoFeed(
                slug=f["slug"],
                name=f["name"],
                url=f"{self.url}/feeds/{f['slug']}.xml",
                outlet=f["outlet"],
                language=f["language"],
                format=f["format"],
                nasty=f.get("nasty"),
            )
            for f in self._corpus.values()
        ]

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> DemoServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.1},  # stop() returns within 0.1 s
                name="afmon-demo-server",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def serve_forever(self) -> None:
        """Serve in the calling thread until `stop()` is called from another (or Ctrl-C)."""
        self._httpd.serve_forever(poll_interval=0.1)

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the corpus over time ---------------------------------------------------------------
    def release_time(self, offset_minutes: float) -> datetime:
        """When an item with this offset appears: history as is, the future sped up."""
        minutes = offset_minutes if offset_minutes <= 0 else offset_minutes / self.speed
        moment = self.start_time + timedelta(minutes=minutes)
        # Whole seconds (HTTP dates have no fractions), rounded up: never early.
        if moment.microsecond:
            moment = moment.replace(microsecond=0) + timedelta(seconds=1)
        return moment

    def released(self, slug: str, now: datetime | None = None) -> list[_render.Released]:
        """The feed's items released by `now`, newest first, each with its release time."""
        now = now or self._clock()
        items = [(item, self.release_time(item["offset"])) for item in self._corpus[slug]["items"]]
        return sorted(
            (pair for pair in items if pair[1] <= now), key=lambda pair: pair[1], reverse=True
        )

    def render(self, slug: str, now: datetime | None = None) -> _Rendered:
        now = now or self._clock()
        items = self.released(slug, now)
        key = (slug, len(items))
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        feed = self._corpus[slug]
        url = f"{self.url}/feeds/{slug}.xml"
        newest = items[0][1] if items else self.start_time.replace(microsecond=0)
        if feed.get("nasty") == "broken-xml":
            body = _render.broken_xml(feed, items)
        elif feed["format"] == "atom":
            body = _render.atom(feed, url, items, newest)
        else:
            body = _render.rss(feed, url, items, newest)
        rendered = _Rendered(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', newest)
        with self._lock:
            self._cache[key] = rendered
        return rendered

    def now(self) -> datetime:
        return self._clock()


class _QuietHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up mid-response is normal; a traceback would scribble on the TUI


def _handler_for(server: DemoServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        demo = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    demo: DemoServer
    server_version = "afmon-demo/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # the demo runs under a TUI; a request log would scribble over it

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        path = self.path.split("?", 1)[0]
        demo = self.demo
        if path in ("/", "/index.html"):
            return self._send(200, "text/html; charset=utf-8", _render.index(demo.feeds), head)
        if path == "/opml":
            body = _render.opml(demo.feeds, demo.now())
            return self._send(200, "text/x-opml; charset=utf-8", body, head)
        slug = path.removeprefix("/feeds/").removesuffix(".xml")
        feed = next((f for f in demo.feeds if f.slug == slug), None)
        if feed is None or not path.startswith("/feeds/") or not path.endswith(".xml"):
            return self._send(404, "text/plain; charset=utf-8", b"not found\n", head)
        if feed.nasty == "http-500":
            return self._send(500, "text/plain; charset=utf-8", b"Internal Server Error\n", head)
        if feed.nasty == "html-page":
            return self._send(200, "text/html; charset=utf-8", _render.html_page(), head)
        try:
            rendered = demo.render(slug)
        except Exception as exc:  # a corpus bug must show as a feed error, not a dead socket
            body = f"cannot render {slug}: {exc!r}\n".encode()
            return self._send(500, "text/plain; charset=utf-8", body, head)
        headers = {"ETag": rendered.etag}
        if rendered.last_modified is not None:
            headers["Last-Modified"] = format_datetime(rendered.last_modified, usegmt=True)
        if self._not_modified(rendered):
            return self._send(304, None, b"", True, headers)
        return self._send(200, _TYPES[feed.format], rendered.body, head, headers)

    def _not_modified(self, rendered: _Rendered) -> bool:
        tags = self.headers.get("If-None-Match")
        if tags is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            return rendered.etag in {t.strip().removeprefix("W/") for t in tags.split(",")}
        since = self.headers.get("If-Modified-Since")
        if since is None or rendered.last_modified is None:
            return False
        try:
            moment = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return rendered.last_modified <= moment

    def _send(
        self,
        status: int,
        content_type: str | None,
        body: bytes,
        head: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if not head:
            self.wfile.write(body)
