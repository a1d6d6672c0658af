"""Text that attacks the terminal, end to end: served by a loopback feed, collected by the real
collector, shown by the real app. Nothing reaches the terminal but plain text; markup shows
literally; clicking a `[@click=app.quit]` title fires nothing."""

from __future__ import annotations

import html
import sqlite3
import unicodedata

import pytest

from core.config import Config, FeedConfig
from feeds.collect import Collector
from store import ItemFilter, Store
from tests.hostile.cases import hostile_settings, http_cases, install
from tests.httpserver import TestServer, feed, rss
from tests.tui_fixtures import screen_segments, screen_text, settle

BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MARKUP = "[bold red]Kabul[/] [@click=app.quit]quit[/] [link=https://evil.example]x[/link]"
ATTACKS = {
    "markup": MARKUP,
    "csi": "Herat \x1b[2J\x1b[31mred\x1b[0m \x1b[?1049h alt screen",
    "osc-title": "Kandahar \x1b]0;pwned title\x07 end",
    "osc-clipboard": "Balkh \x1b]52;c;cm0gLXJmIH4=\x07 clip",
    "osc-hyperlink": "Kunduz \x1b]8;;https://evil.example\x1b\\click me\x1b]8;;\x1b\\ end",
    "c1": "Ghazni \x9b31m c1 csi \x9d0;pwned\x9c \x85 next",
    "bidi": "Paktia \u202eevil override\u202c \u2066isolate\u2069 end",
    "nul": "Khost \x00 nul \x00 end",
    "dcs": "Zabul \x1bP1;1|payload\x1b\\ end",
}


def xml_text(value: str) -> str:
    """Characters XML 1.0 cannot carry raw go in as numeric references (feedparser's loose
    parser is what reads the rest); escapes the markup."""
    out = []
    for ch in html.escape(value, quote=False):
        out.append(f"&#{ord(ch)};" if unicodedata.category(ch) == "Cc" and ch != "\n" else ch)
    return "".join(out)


def dirty(text: str) -> list[str]:
    return [
        repr(ch)
        for ch in text
        if (unicodedata.category(ch) == "Cc" and ch not in "\n") or ch in BIDI
    ]


@pytest.fixture
def collected(tmp_path):
    entries = [
        {"title": xml_text(t), "guid": name, "description": xml_text(t + " — summary")}
        for name, t in ATTACKS.items()
    ]
    entries.append({"title": "M" * 1_000_000, "guid": "huge-title", "description": "x" * 2_000_000})
    cats = "".join(f"<category>c{i}</category>" for i in range(10_000))
    entries.append(
        {"title": "Ten thousand tags in Kabul", "guid": "tags", "link": "https://n.example/t"}
    )
    body = rss(entries).replace("<guid>tags</guid>", "<guid>tags</guid>" + cats)
    raw_escapes = rss([{"title": "Raw \x1b]0;raw pwned\x07 escape \x1b[2J", "guid": "raw"}])
    with TestServer() as server:
        server.route("/text", feed(body))
        server.route("/raw", feed(raw_escapes))
        bad = [c for c in http_cases() if c.name in ("c1-loop", "to-javascript", "retry-garbage")]
        install(server, bad)
        feeds = [
            FeedConfig(name="text", url=server.url("/text")),
            FeedConfig(name="raw", url=server.url("/raw")),
        ] + [FeedConfig(name=c.name, url=server.url(c.path)) for c in bad]
        config = Config(settings=hostile_settings(max_body_bytes=8_000_000), feeds=feeds)
        store = Store.open(tmp_path / "afmon.db")
        import asyncio

        async def run():
            collector = Collector(config, store)
            try:
                return await collector.run_once()
            finally:
                await collector.aclose()

        report = asyncio.run(run())
    yield config, store, report, tmp_path / "afmon.db"
    store.close()


def test_collector_stores_only_clean_text(collected):
    config, store, report, db = collected
    by_name = {r.name: r for r in report.feeds}
    assert by_name["text"].status == "ok" and by_name["text"].new_items == len(ATTACKS) + 2
    assert by_name["raw"].status == "ok"
    conn = sqlite3.connect(db)
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        for row in conn.execute(f'SELECT * FROM "{table}"'):
            for value in row:
                if isinstance(value, str):
                    assert not dirty(value), (table, value[:200], dirty(value))
    conn.close()
    items = {i.title.split()[0]: i for i in store.query_items(ItemFilter(), limit=100)}
    assert items["[bold"].title == MARKUP  # markup is kept as text, never interpreted
    huge = next(i for i in store.query_items(ItemFilter(), limit=100) if i.title.startswith("MMM"))
    assert len(huge.title) <= 500 and len(huge.summary) <= 5000
    assert "Ten" in items


async def test_app_shows_hostile_text_literally_and_nothing_fires(collected):
    from tui.app import make_app

    config, store, _report, _db = collected
    app = make_app(config, store, collect=False)
    async with app.run_test(size=(220, 60)) as pilot:
        await settle(pilot)
        for key in ("i", "F", "d", "a", "p"):
            await pilot.press(key)
            await settle(pilot)
            for segment in screen_segments(app):
                assert not dirty(segment.text), (key, segment.text, dirty(segment.text))
                style = segment.style
                if style is not None:
                    assert not (style.meta or {}).get("@click"), (key, segment.text)
                    if "evil.example" in segment.text:
                        assert not style.link
            if key == "i":
                text = screen_text(app)
                assert "[@click=app.quit]quit[/]" in text
                lines = text.splitlines()
                y = next(n for n, line in enumerate(lines) if "[@click=app.quit]" in line)
                x = lines[y].index("[@click=app.quit]") + 4
                await pilot.click(offset=(x, y))
                await settle(pilot)
                await pilot.hover(offset=(x + 2, y))
                await settle(pilot)
                assert app.is_running and app.return_code is None
        assert app.title == "afmon"
        for note in app.notices:
            assert not dirty(note.message)
