"""The hostile inputs, as data: one `HostileCase` per way a server or a feed can attack afmon.

Served by tests/httpserver.py (`install(server, cases)`), used by tests/test_hostile_*.py and by
bench/soak.py. Big bodies are generated lazily per request (a handler that builds a fresh
generator), so a 300 MB body or a 1 GB bomb costs the server no memory.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from core.config import Config, FeedConfig, Settings
from tests.httpserver import (
    Handler,
    Reply,
    TestServer,
    compressed_stream,
    feed,
    gzip_stream,
    redirect,
    rss,
)

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
MB = 1 << 20


@dataclass(frozen=True)
class HostileCase:
    name: str
    """Unique; the feed's name in the config and its path on the server (/h/NAME)."""
    handler: Handler | None
    expect: str | None
    """A substring of the feed's error; None: the feed must be collected normally."""
    items: int | None = None
    """New items expected when `expect` is None."""
    url: str | None = None
    """Fetch this URL instead of the server's /h/NAME (a closed port ...)."""
    extra_routes: tuple[tuple[str, Handler], ...] = ()

    @property
    def path(self) -> str:
        return f"/h/{self.name}"


def hostile_settings(**kw: object) -> Settings:
    """Short deadlines, a small body cap and room for every case to run at once."""
    values: dict[str, object] = dict(
        connect_timeout=timedelta(seconds=1),
        read_timeout=timedelta(seconds=1),
        fetch_deadline=timedelta(seconds=2),
        max_body_bytes=2_000_000,
        concurrency=64,
        per_host=16,
    )
    values.update(kw)
    return Settings(**values)  # type: ignore[arg-type]


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def items(n: int, prefix: str, *, hours: float = 1.0) -> list[dict[str, str]]:
    base = now()
    return [
        {
            "title": f"{prefix} report {i} from Kabul",
            "guid": f"{prefix}-{i}",
            "link": f"https://news.example/{prefix}/{i}",
            "pubDate": format_datetime(base - timedelta(hours=hours * (i + 1))),
        }
        for i in range(n)
    ]


def atom(entries: list[dict[str, str]], title: str = "Atom feed") -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>',
        "<id>urn:feed</id><updated>2026-01-01T00:00:00Z</updated>",
    ]
    for e in entries:
        parts.append(
            f"<entry><title>{e['title']}</title><id>{e['guid']}</id>"
            f'<link href="{e["link"]}"/><updated>2026-01-01T00:00:00Z</updated></entry>'
        )
    parts.append("</feed>")
    return "\n".join(parts)


# -- lazily generated bodies ----------------------------------------------------------------


def zeros(total: int, chunk: int = 1 << 16, fill: bytes = b"x") -> Iterator[bytes]:
    block = fill * chunk
    left = total
    while left > 0:
        n = min(left, chunk)
        yield block if n == chunk else block[:n]
        left -= n


def deflate_stream(total: int, chunk: int = MB) -> Iterator[bytes]:
    """A zlib (Content-Encoding: deflate) bomb, compressed on the fly."""
    return compressed_stream(total, chunk, wbits=15)


def _small_bomb(total: int) -> bytes:
    """A gzip body of a few KB that inflates to `total` bytes, sent with an honest length."""
    return b"".join(gzip_stream(total))


def lazy(make: Callable[[], Reply]) -> Handler:
    return lambda _request: make()


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed"


def _header_drip() -> Iterator[bytes]:
    yield b"HTTP/1.1 200 OK\r\n"
    n = 0
    while True:  # one header every drip, never the blank line
        n += 1
        yield b"X-Drip-%d: 1\r\n" % n


HTML = (
    b"<!doctype html><html><head><title>News</title></head>"
    b"<body><h1>Latest</h1><p>Not a feed.</p></body></html>"
)
HTML_WITH_LINK = (
    b'<html><head><link rel="alternate" type="application/rss+xml" href="/real.xml">'
    b"</head><body>hi</body></html>"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def http_cases() -> list[HostileCase]:
    """Every way an HTTP server can attack the collector, each with its expected reason."""
    small_rss = rss(items(3, "ok-type")).encode()
    big = rss([{"title": f"t{i}", "guid": str(i)} for i in range(20_000)]).encode()
    c1_location = "/h/c1-loop?\x9b2J\x9d0;pwned\x07"
    return [
        HostileCase(
            "gzip-bomb",
            lazy(lambda: Reply(body=gzip_stream(1 << 30), headers={**RSS_TYPE, **_gz})),
            "once decompressed",
        ),
        HostileCase(
            "deflate-bomb",
            lazy(
                lambda: Reply(
                    body=deflate_stream(1 << 30),
                    headers={**RSS_TYPE, "Content-Encoding": "deflate"},
                )
            ),
            "once decompressed",
        ),
        HostileCase(
            "small-bomb",
            Reply(body=_small_bomb(200 * MB), headers={**RSS_TYPE, **_gz}),
            "once decompressed",
        ),
        HostileCase(
            "huge-chunked", lazy(lambda: Reply(body=zeros(300 * MB), headers=RSS_TYPE)), "larger"
        ),
        HostileCase(
            "huge-announced",
            Reply(body=b"<rss/>", content_length=300_000_000, headers=RSS_TYPE),
            "300,000,000 bytes announced",
        ),
        HostileCase(
            "slow-drip",
            Reply(body=small_rss, chunk_size=1, drip=0.3, headers=RSS_TYPE),
            "deadline",
        ),
        HostileCase("header-drip", lazy(lambda: Reply(raw=_header_drip(), drip=0.3)), "deadline"),
        HostileCase("hang", Reply(hang=True), "read timeout"),
        HostileCase(
            "short-body",
            Reply(body=small_rss[:40], content_length=len(small_rss), headers=RSS_TYPE),
            "timeout",
        ),
        HostileCase(
            "reset-mid-body",
            Reply(body=rss(items(50, "reset")).encode(), reset_after=300, headers=RSS_TYPE),
            "connection failed",
        ),
        HostileCase("not-http", Reply(raw=[b"SSH-2.0-OpenSSH_9.6\r\n" * 3]), "connection failed"),
        HostileCase(
            "huge-header",
            Reply(raw=[b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n"]),
            "connection failed",
        ),
        HostileCase(
            "loop-a",
            redirect("/h/loop-b"),
            "redirect loop",
            extra_routes=(("/h/loop-b", redirect("/h/loop-a")),),
        ),
        HostileCase("self-loop", redirect("/h/self-loop", 301), "redirect loop"),
        HostileCase(
            "long-chain",
            redirect("/h/chain-1"),
            "more than 5 redirects",
            extra_routes=tuple((f"/h/chain-{i}", redirect(f"/h/chain-{i + 1}")) for i in range(9)),
        ),
        HostileCase("to-file", redirect("file:///etc/passwd", 301), "non-http"),
        HostileCase("to-javascript", redirect("javascript:alert(1)"), "non-http"),
        HostileCase("to-data", redirect("data:text/xml,<rss/>", 307), "non-http"),
        HostileCase(
            "c1-loop",
            redirect(c1_location),
            "redirect to an invalid URL",
            extra_routes=((c1_location.partition("?")[0], redirect(c1_location)),),
        ),
        HostileCase("http-403", Reply(403, b"forbidden"), "HTTP 403 Forbidden"),
        HostileCase("http-404", Reply(404, HTML), "HTTP 404 Not Found"),
        HostileCase("http-500", Reply(500), "HTTP 500 Internal Server Error"),
        HostileCase("http-502", Reply(502, HTML), "HTTP 502 Bad Gateway"),
        HostileCase("http-204", Reply(204), "HTTP 204"),
        HostileCase("http-410", Reply(410), "HTTP 410 Gone"),
        HostileCase(
            "retry-forever",
            Reply(429, headers={"Retry-After": "999999999999999"}),
            "HTTP 429 Too Many Requests",
        ),
        HostileCase(
            "retry-garbage",
            Reply(503, headers={"Retry-After": "soon-ish \x1b[2J"}),
            "HTTP 503 Service Unavailable",
        ),
        HostileCase("png", Reply(body=PNG, headers={"Content-Type": "image/png"}), "not a feed"),
        HostileCase("html", Reply(body=HTML, headers={"Content-Type": "text/html"}), "HTML page"),
        HostileCase(
            "html-link",
            Reply(body=HTML_WITH_LINK, headers={"Content-Type": "text/html"}),
            "advertises a feed at",
        ),
        HostileCase(
            "json",
            Reply(body=b'{"items": []}', headers={"Content-Type": "application/json"}),
            "JSON",
        ),
        HostileCase("empty", Reply(body=b"", headers=RSS_TYPE), "empty body"),
        HostileCase("blank", Reply(body=b"\r\n \t\n" * 100, headers=RSS_TYPE), "empty body"),
        HostileCase(
            "corrupt-gzip",
            Reply(body=b"\x1f\x8b\x08\x00garbage" * 50, headers={**RSS_TYPE, **_gz}),
            "corrupt compressed body",
        ),
        HostileCase(
            "brotli",
            Reply(body=b"\x0b\x02\x80hello", headers={**RSS_TYPE, "Content-Encoding": "br"}),
            "unsupported Content-Encoding",
        ),
        HostileCase("refused", None, "cannot connect", url=closed_port_url()),
        HostileCase(
            "wrong-type-ok",
            Reply(body=small_rss, headers={"Content-Type": "text/plain"}),
            None,
            items=3,
        ),
        HostileCase(
            "lying-charset-ok",
            Reply(
                body=rss(items(2, "charset")).encode(),
                headers={"Content-Type": "application/rss+xml; charset=utf-16"},
            ),
            None,
            items=2,
        ),
        HostileCase("twenty-thousand", feed(big), None, items=20_000),
    ]


_gz = {"Content-Encoding": "gzip"}


def good_cases() -> list[HostileCase]:
    """Three well-behaved feeds that must be collected in the same pass as the hostile ones."""
    return [
        HostileCase("good-rss", feed(rss(items(5, "good-rss")), etag='"g1"'), None, items=5),
        HostileCase("good-gzip", feed(rss(items(4, "good-gzip")), gzip=True), None, items=4),
        HostileCase(
            "good-atom",
            feed(atom(items(3, "good-atom")), content_type="application/atom+xml"),
            None,
            items=3,
        ),
    ]


def install(server: TestServer, cases: list[HostileCase]) -> None:
    for case in cases:
        if case.handler is not None:
            server.route(case.path, case.handler)
        for path, handler in case.extra_routes:
            server.route(path, handler)


def case_url(server: TestServer, case: HostileCase) -> str:
    return case.url or server.url(case.path)


def config_for(server: TestServer, cases: list[HostileCase], **settings: object) -> Config:
    feeds = [FeedConfig(name=c.name, url=case_url(server, c)) for c in cases]
    return Config(settings=hostile_settings(**settings), feeds=feeds)


def toml_for(server: TestServer, cases: list[HostileCase], settings: dict[str, object]) -> str:
    """The same as a config file, for the CLI subprocess tests and the soak."""
    lines = ["[settings]"]
    for key, value in settings.items():
        lines.append(f"{key} = {value!r}".replace("'", '"'))
    for c in cases:
        lines.append(f'\n[[feeds]]\nname = "{c.name}"\nurl = "{case_url(server, c)}"')
    return "\n".join(lines) + "\n"
