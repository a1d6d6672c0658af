"""A small, real HTTP/1.1 server on 127.0.0.1 for tests and benchmarks.

Why not mocks: the collector's hard parts (timeouts, streaming limits, redirects, gzip, resets)
live in the HTTP stack, and only a real socket exercises them. This server runs in a thread
(one thread per connection, keep-alive on) and maps paths to *handlers*:

    with TestServer() as srv:
        srv.route("/feed", feed(RSS, etag='"v1"'))           # honours If-None-Match -> 304
        srv.route("/old", Reply(301, headers={"Location": srv.url("/feed")}))
        srv.route("/slow", Reply(body=b"x" * 100, chunk_size=1, drip=0.5))   # 1 byte / 0.5 s
        srv.route("/bomb", Reply(body=gzip_stream(1 << 30), headers={"Content-Encoding": "gzip"}))
        srv.route("/hang", Reply(hang=True))                 # reads the request, never answers
        srv.route("/dyn", lambda req: Reply(body=req.path.encode()))
        srv.url("/feed"); srv.hits("/feed"); srv.requests[-1].headers["user-agent"]

A handler is a `Reply` or a callable `Request -> Reply`. A `Reply` body is bytes (sent with
Content-Length, optionally split into drip-fed chunks) or any iterable of bytes (sent with
`Transfer-Encoding: chunked`, produced lazily, so a 1 GB body costs no server memory).
Unknown paths answer 404. Paths match without the query string; `Request.query` keeps it.
"""

from __future__ import annotations

import gzip as _gzip
import socket
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Request:
    """What the server received: method, path (no query), query string, lower-cased headers."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    time: float


@dataclass
class Reply:
    """How to answer. Every field has a safe default: `Reply()` is an empty 200."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before sending the status line."""
    chunk_size: int = 0
    """Split a bytes body into writes of this size (0: one write)."""
    drip: float = 0.0
    """Seconds to sleep between two body writes (chunks of a bytes body, or iterable items)."""
    reset_after: int | None = None
    """Abort the connection with a TCP RST after this many body bytes."""
    hang: bool = False
    """Read the request and never answer (until the server stops)."""
    content_length: int | None = None
    """Override the Content-Length header of a bytes body (to lie about it)."""
    raw: Iterable[bytes] | None = None
    """Write these bytes as the whole answer, status line and headers included (none are
    added): for answers that are not HTTP at all, or headers dripped one by one (`drip`)."""


Handler = Reply | Callable[[Request], Reply]


class TestServer:
    """Threaded loopback server. Use as a context manager or call start()/stop()."""

    __test__ = False  # not a pytest test class

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server((host, port), _make_handler(self))
        self._thread: threading.Thread | None = None

    # -- configuration -----------------------------------------------------------------
    def route(self, path: str, handler: Handler) -> TestServer:
        self.routes[path] = handler
        return self

    def url(self, path: str = "/") -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    @property
    def host(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"{host}:{port}"

    # -- inspection --------------------------------------------------------------------
    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.path == path)

    def last(self, path: str) -> Request | None:
        with self._lock:
            return next((r for r in reversed(self.requests) if r.path == path), None)

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> TestServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases hanging handlers
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> TestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up (a cut-off fetch, a deadline) is normal here, not news.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


def _make_handler(server: TestServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            path, _, query = self.path.partition("?")
            request = Request(
                method=self.command,
                path=path,
                query=query,
                headers={k.lower(): v for k, v in self.headers.items()},
                time=time.monotonic(),
            )
            with server._lock:
                server.requests.append(request)
            handler = server.routes.get(path)
            if handler is None:
                reply = Reply(404, b"not found")
            elif isinstance(handler, Reply):
                reply = handler
            else:
                reply = handler(request)
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                self.close_connection = True

        do_HEAD = do_GET  # noqa: N815

        def _send(self, reply: Reply) -> None:
            if reply.hang:
                server._stopping.wait()
                self.close_connection = True
                return
            if reply.delay and server._stopping.wait(reply.delay):
                return
            if reply.raw is not None:
                self.close_connection = True
                for index, part in enumerate(reply.raw):
                    if index and reply.drip and server._stopping.wait(reply.drip):
                        return
                    self.wfile.write(part)
                    self.wfile.flush()
                return
            self.send_response(reply.status)
            headers = {k.lower(): v for k, v in reply.headers.items()}
            for name, value in reply.headers.items():
                self.send_header(name, value)
            body = reply.body
            bodiless = reply.status in (204, 304) or self.command == "HEAD"
            if isinstance(body, bytes | bytearray):
                if "content-length" not in headers and not bodiless:
                    length = reply.content_length if reply.content_length is not None else len(body)
                    self.send_header("Content-Length", str(length))
                self.end_headers()
                if bodiless:
                    return
                size = reply.chunk_size or max(len(body), 1)
                self._write_all((body[i : i + size] for i in range(0, len(body), size)), reply)
            else:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                if bodiless:
                    return
                self._write_all(body, reply, chunked=True)

        def _write_all(self, parts: Iterable[bytes], reply: Reply, chunked: bool = False) -> None:
            sent = 0
            for index, part in enumerate(parts):
                if index and reply.drip and server._stopping.wait(reply.drip):
                    self.close_connection = True
                    return
                if reply.reset_after is not None and sent + len(part) > reply.reset_after:
                    part = part[: reply.reset_after - sent]
                    self._raw_write(part, chunked)
                    self._reset()
                    return
                if part:
                    self._raw_write(part, chunked)
                    sent += len(part)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
            if reply.reset_after is not None:
                self._reset()

        def _raw_write(self, part: bytes, chunked: bool) -> None:
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            else:
                self.wfile.write(part)

        def _reset(self) -> None:
            """Close with RST instead of FIN: what a crashing proxy looks like."""
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()

    return _Handler


# -- helpers for common answers ----------------------------------------------------------


def http_date(ts: float) -> str:
    return formatdate(ts, usegmt=True)


def feed(
    body: bytes | str,
    *,
    content_type: str = "application/rss+xml; charset=utf-8",
    etag: str | None = None,
    last_modified: str | None = None,
    gzip: bool = False,
    headers: dict[str, str] | None = None,
) -> Callable[[Request], Reply]:
    """A feed endpoint that honours If-None-Match / If-Modified-Since like a good server."""
    data = body.encode() if isinstance(body, str) else body
    if gzip:
        data = _gzip.compress(data)

    def handler(request: Request) -> Reply:
        validators: dict[str, str] = {}
        if etag:
            validators["ETag"] = etag
        if last_modified:
            validators["Last-Modified"] = last_modified
        inm = request.headers.get("if-none-match")
        ims = request.headers.get("if-modified-since")
        if (etag and inm == etag) or (not etag and last_modified and ims == last_modified):
            return Reply(304, headers={**validators, **(headers or {})})
        out = {"Content-Type": content_type, **validators, **(headers or {})}
        if gzip:
            out["Content-Encoding"] = "gzip"
        return Reply(200, data, headers=out)

    return handler


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, headers={"Location": location})


def compressed_stream(
    total: int, chunk: int = 1 << 20, fill: bytes = b"\0", wbits: int = 31
) -> Iterator[bytes]:
    """`total` bytes of `fill` compressed on the fly (a bomb that costs the server almost no
    memory): wbits 31 is a gzip member, 15 a zlib (Content-Encoding: deflate) stream."""
    comp = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = fill * chunk
    left = total
    while left > 0:
        n = min(left, chunk)
        out = comp.compress(block[:n])
        left -= n
        if out:
            yield out
    yield comp.flush()


def gzip_stream(total: int, chunk: int = 1 << 20, fill: bytes = b"\0") -> Iterator[bytes]:
    """A gzip member that inflates to `total` bytes of `fill` (a gzip bomb)."""
    return compressed_stream(total, chunk, fill, wbits=31)


def rss(items: Iterable[dict[str, str]], *, title: str = "Test feed", extra: str = "") -> str:
    """A minimal RSS 2.0 document; each item dict maps element names to (already escaped) text."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{title}</title><link>http://example.org/</link><description>d</description>",
        extra,
    ]
    for item in items:
        parts.append("<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in item.items()) + "</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


def fast_settings(**overrides: object):  # -> core.config.Settings
    """Collector settings with test-sized limits: 1 s timeouts, a 2 s deadline, a 1 MB cap."""
    from datetime import timedelta

    from core.config import Settings

    values: dict[str, object] = dict(
        connect_timeout=timedelta(seconds=1),
        read_timeout=timedelta(seconds=1),
        fetch_deadline=timedelta(seconds=2),
        max_body_bytes=1_000_000,
    )
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
