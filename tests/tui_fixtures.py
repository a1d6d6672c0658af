"""A realistic afmon database for the TUI tests, built through the real Store API.

Everything is relative to NOW (a fixed clock), so snapshots and counts are deterministic.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from afmon.defaults import default_sections
from core.config import Config, FeedConfig, SavedQuery, Settings
from store import Entry, FeedUpdate, Store, Tag, TagResult

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


FEEDS = [
    FeedConfig(name="TOLOnews English", url="https://tolonews.example/rss", outlet="TOLOnews"),
    FeedConfig(name="Amu TV", url="https://amu.example/feed", outlet="Amu TV"),
    FeedConfig(
        name="Afghanistan International",
        url="https://afintl.example/rss",
        outlet="Afintl",
        language="fa",
    ),
    FeedConfig(name="Khaama Press", url="https://khaama.example/feed", outlet="Khaama"),
]

# (feed index, hours ago, title, summary, {code: word in text})
STORIES: list[tuple[int, float, str, str, dict[str, str]]] = [
    (
        0,
        0.5,
        "Explosion near Kabul airport checkpoint",
        "ISKP claimed the blast near the Kabul airport gate; Taliban sealed the road.",
        {"AF-KAB": "Kabul", "isk": "ISKP", "taliban": "Taliban"},
    ),
    (
        1,
        1.2,
        "NRF says fighters clashed with Taliban in Panjshir",
        "The National Resistance Front reported clashes in the Panjshir valley overnight.",
        {"AF-PAN": "Panjshir", "nrf": "NRF", "taliban": "Taliban"},
    ),
    (
        2,
        2.0,
        "Border guards exchange fire on Tajik border in Badakhshan",
        "Tajik and Taliban border forces exchanged fire near Ishkashim, Badakhshan.",
        {"AF-BDS": "Badakhshan", "TJ": "Tajik", "taliban": "Taliban"},
    ),
    (
        3,
        3.5,
        "Helmand farmers protest poppy eradication",
        "Farmers in Helmand gathered in Lashkar Gah to protest eradication teams.",
        {"AF-HEL": "Helmand"},
    ),
    (
        0,
        5.0,
        "TTP fighters cross into Kunar, officials say",
        "Officials in Kunar said TTP militants were seen crossing from Pakistan.",
        {"AF-KNR": "Kunar", "ttp": "TTP", "PK": "Pakistan"},
    ),
    (
        1,
        7.0,
        "Andarab valley: AFF claims ambush in Baghlan",
        "The Afghanistan Freedom Front claimed an ambush in Andarab, Baghlan province.",
        {"AF-BGL": "Baghlan", "aff": "Afghanistan Freedom Front"},
    ),
    (
        2,
        9.0,
        "Kandahar: Taliban leader issues new decree",
        "A decree from Kandahar orders new restrictions on media.",
        {"AF-KAN": "Kandahar", "taliban": "Taliban"},
    ),
    (
        3,
        11.0,
        "Herat water dispute with Iran flares",
        "Officials in Herat accused Iran of diverting the Harirud.",
        {"AF-HER": "Herat", "iran": "Iran"},
    ),
    (
        0,
        14.0,
        "Nangarhar raid targets ISKP cell",
        "Taliban forces raided an ISKP hideout in Nangarhar, killing three.",
        {"AF-NAN": "Nangarhar", "isk": "ISKP", "taliban": "Taliban"},
    ),
    (
        1,
        18.0,
        "Salang tunnel closed after avalanche in Parwan",
        "The Salang pass in Parwan was closed for the second day.",
        {"AF-PAR": "Parwan"},
    ),
    (
        2,
        22.0,
        "Balkh: Uzbek traders return across Amu Darya",
        "Uzbekistan reopened the Hairatan crossing in Balkh.",
        {"AF-BAL": "Balkh", "UZ": "Uzbekistan"},
    ),
    (
        3,
        30.0,
        "Kunduz market reopens after fire",
        "Traders in Kunduz counted losses.",
        {"AF-KDZ": "Kunduz"},
    ),
    (
        0,
        40.0,
        "al-Qaeda figure reported killed in Kabul strike",
        "Residents of Kabul described a drone strike; al-Qaeda has not commented.",
        {"AF-KAB": "Kabul", "al-qaeda": "al-Qaeda"},
    ),
    (
        1,
        52.0,
        "Jamaat-e Ansarullah recruiting in Takhar, report says",
        "A report says Jamaat-e Ansarullah is active in Takhar near the Tajik border.",
        {"AF-TAK": "Takhar", "jamaat-ansarullah": "Jamaat-e Ansarullah", "TJ": "Tajik"},
    ),
    (
        2,
        70.0,
        "Khost: Haqqani network commanders meet elders",
        "Haqqani network figures met tribal elders in Khost.",
        {"AF-KHO": "Khost", "haqqani-network": "Haqqani network", "taliban": "Haqqani"},
    ),
    (
        3,
        96.0,
        "Ghazni road ambush kills two",
        "Gunmen ambushed a minibus on the Ghazni highway.",
        {"AF-GHA": "Ghazni"},
    ),
    (
        0,
        120.0,
        "Panjshir: Taliban detain dozens after clashes",
        "Rights groups say Taliban detained civilians in Panjshir after NRF attacks.",
        {"AF-PAN": "Panjshir", "taliban": "Taliban", "nrf": "NRF"},
    ),
    (
        1,
        150.0,
        "IMU remnants active in Faryab, UN report says",
        "The UN monitoring team says IMU fighters remain in Faryab.",
        {"AF-FYB": "Faryab", "imu": "IMU", "un": "UN"},
    ),
    (
        2,
        200.0,
        "Kabul: ISKP attack on Shia mosque",
        "ISKP claimed a suicide attack on a mosque in western Kabul.",
        {"AF-KAB": "Kabul", "isk": "ISKP"},
    ),
    (
        3,
        260.0,
        "Zabul flooding displaces families",
        "Floods in Zabul displaced hundreds of families.",
        {"AF-ZAB": "Zabul"},
    ),
    (
        0,
        300.0,
        "Helmand: ISKP cell arrested",
        "Taliban intelligence said an ISKP cell was arrested in Helmand.",
        {"AF-HEL": "Helmand", "isk": "ISKP", "taliban": "Taliban"},
    ),
    (
        2,
        4.0,
        "درگیری در پنجشیر میان طالبان و جبهه مقاومت",
        "منابع محلی از درگیری شدید در پنجشیر خبر دادند.",
        {"AF-PAN": "پنجشیر", "taliban": "طالبان"},
    ),
]


def make_entry(
    key: str,
    title: str,
    summary: str,
    published: datetime,
    words: dict[str, str] | None = None,
    link: str | None = None,
) -> Entry:
    """An Entry tagged with `words` ({code: word}): evidence offsets found in title+summary."""
    from core.vocab import PLACE_CODES

    full = title + "\n" + summary
    provinces, actors, evidence = [], [], []
    for code, word in (words or {}).items():
        (provinces if code in PLACE_CODES else actors).append(code)
        start = full.find(word)
        if start >= 0:
            kind = "province" if code in PLACE_CODES else "actor"
            evidence.append(Tag(kind, code, start, start + len(word), word))  # type: ignore[arg-type]
    digest = hashlib.sha256(full.encode()).hexdigest()
    return Entry(
        key=key,
        title=title,
        summary=summary,
        link=link if link is not None else f"https://news.example/{key}",
        author=None,
        language=None,
        published=published,
        published_raw=None,
        content_hash=digest,
        tags=TagResult(tuple(provinces), tuple(actors), tuple(evidence)),
    )


def make_config(**extra) -> Config:
    """The default panes and rules over FEEDS. Times in UTC unless a test says otherwise
    (the shipped default is Asia/Kabul: tests of that zone set it)."""
    sections = default_sections()
    extra.setdefault("settings", Settings(timezone="UTC"))
    return Config(
        feeds=FEEDS,
        fronts=sections["fronts"],
        threat_groups=sections["threat_groups"],
        watch=sections["watch"],
        queries=[
            SavedQuery(name="Helmand ISK", query="province:helmand actor:isk", pane=True),
            SavedQuery(name="Kabul ISK", query="province:kabul actor:isk"),
        ],
        **extra,
    )


@dataclass
class Fixture:
    path: Path
    config: Config
    store: Store
    feed_ids: list[int]


def build_db(path: Path, config: Config | None = None, *, stories=STORIES) -> Fixture:
    config = config or make_config()
    store = Store.open(path)
    feeds = store.sync_feeds(config.feeds)
    ids = {f.url: f.id for f in feeds}
    feed_ids = [ids[f.url] for f in config.feeds]
    by_feed: dict[int, list[Entry]] = {}
    for n, (feed, hours, title, summary, words) in enumerate(stories):
        entry = make_entry(f"s{n}", title, summary, NOW - timedelta(hours=hours), words)
        by_feed.setdefault(feed, []).append(entry)
    for feed, entries in sorted(by_feed.items()):
        update = FeedUpdate(
            attempted=NOW - timedelta(minutes=10),
            status="ok",
            http_status=200,
            next_try=NOW + timedelta(minutes=5),
        )
        store.record_fetch(feed_ids[feed], update, entries, now=NOW - timedelta(minutes=10))
    # One broken feed, so the feeds screen has an error to show.
    broken = FeedUpdate(
        attempted=NOW - timedelta(minutes=3),
        status="error",
        http_status=503,
        error="HTTP 503 Service Unavailable",
        error_count=3,
        next_try=NOW + timedelta(minutes=30),
    )
    store.record_fetch(feed_ids[3], broken, [], now=NOW - timedelta(minutes=3))
    if stories:
        store.add_alert(
            "ISKP attack in Kabul",
            1,
            "ISKP attack in Kabul: Explosion near Kabul airport",
            now=NOW - timedelta(minutes=20),
        )
    return Fixture(path, config, store, feed_ids)


def add_item(
    store: Store,
    feed_id: int,
    key: str,
    title: str,
    *,
    summary: str = "",
    words: dict[str, str] | None = None,
    hours_ago: float = 0.0,
    link: str | None = None,
) -> int:
    """Write one new item as the collector would; returns its id."""
    entry = make_entry(key, title, summary, NOW - timedelta(hours=hours_ago), words, link)
    update = FeedUpdate(attempted=NOW, status="ok", http_status=200)
    result = store.record_fetch(feed_id, update, [entry], now=NOW)
    return result.new_ids[0]


# -- pytest helpers shared by tests/test_tui_*.py ----------------------------------------------


@pytest.fixture(autouse=True)
def _utc_localtime():
    """conftest pins TZ=UTC in the environment; make the C library see it too."""
    time.tzset()
    yield
    time.tzset()


@pytest.fixture
def fx(tmp_path):
    fixture = build_db(tmp_path / "afmon.db")
    yield fixture
    fixture.store.close()


def reports_in(fixture: Fixture, directory: Path) -> None:
    """Have the app write its handovers and sitreps in `directory`."""
    settings = fixture.config.settings.model_copy(update={"reports": directory})
    fixture.config = fixture.config.model_copy(update={"settings": settings})


def corroborate(fixture: Fixture) -> int:
    """A second outlet reports the fixture's Kabul airport explosion, and the story is
    assigned: the item becomes corroborated. Returns the copy's id."""
    from analysis.storage import assign_pending

    copy = add_item(
        fixture.store,
        fixture.feed_ids[1],
        "copy1",
        "Explosion near Kabul airport checkpoint, ISKP claims",
        summary="ISKP claimed the blast near the Kabul airport gate.",
        words={"AF-KAB": "Kabul", "isk": "ISKP"},
        hours_ago=0.4,
    )
    assign_pending(fixture.store)
    return copy


def app_for(fixture: Fixture, **kwargs):
    from tui.app import make_app

    kwargs.setdefault("collect", False)
    kwargs.setdefault("clock", clock)
    return make_app(fixture.config, fixture.store, **kwargs)


async def settle(pilot, pause: float = 0.1) -> None:
    """Let running workers finish and their results reach the widgets. A worker cancelled
    meanwhile (an exclusive one superseded by its next run) is not a failure; one that
    failed is."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        for worker in list(pilot.app.workers):
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        await pilot._wait_for_screen()  # every widget of the screen has emptied its queue
        await pilot.pause(pause)


def screen_text(app) -> str:
    """What the terminal shows, as plain text (one line per row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def screen_segments(app):
    for strip in app.screen._compositor.render_strips():
        yield from strip


async def palette(pilot, text: str) -> None:
    """Open the command palette, type `text` and wait until its search has finished and
    listed its hits (no fixed pause: the search runs in a worker)."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    assert await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), 10)
    await pilot.press(*text)
    await pilot.app.workers.wait_for_complete()
    hits = pilot.app.screen.query_one(CommandList)
    assert await wait_for(pilot, lambda: hits.option_count > 0, 10), text
    await pilot.pause()


async def wait_for(pilot, predicate, timeout: float = 10.0, step: float = 0.05) -> bool:
    """Until `predicate()` holds; `timeout` is a hang guard on a loaded machine, not a
    speed check (it returns as soon as the condition holds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await pilot.pause(step)
    return predicate()
