"""The bundled demo corpus and its loopback server: what `afmon demo` and the benchmarks rely on.

Tests read the feeds over real HTTP on 127.0.0.1 and parse them with feedparser, as the
collector does. Time is a fake clock handed to the server, so releases are exact and instant.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import feedparser
import pytest

from afmon.cli import build_parser
from afmon.commands.demo import demo_config_toml
from afmon.defaults import default_sections
from afmon.demo import DemoServer, load_corpus
from core.config import parse_config
from core.vocab import ACTORS, PROVINCES

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

# Spellings a reader would recognise for each province (the tagger's gazetteer is richer).
PROVINCE_SPELLINGS = {name: (name,) for name in PROVINCES.values()} | {
    "Bamyan": ("Bamyan", "Bamiyan"),
    "Daykundi": ("Daykundi", "Daikundi"),
    "Jowzjan": ("Jowzjan", "Jawzjan"),
    "Khost": ("Khost", "Khowst"),
    "Kunduz": ("Kunduz", "Qunduz"),
    "Nimroz": ("Nimroz", "Nimruz"),
    "Paktia": ("Paktia", "Paktiya"),
    "Panjshir": ("Panjshir", "Panjsher"),
    "Sar-e Pol": ("Sar-e Pol", "Sari Pul", "Sar-i-Pul"),
    "Uruzgan": ("Uruzgan", "Oruzgan"),
    "Wardak": ("Wardak",),
}
ACTOR_NAMES = {
    "taliban": ("Taliban", "طالبان"),
    "haqqani-network": ("Haqqani",),
    "nrf": ("National Resistance Front", "NRF", "جبهه مقاومت ملی"),
    "aff": ("Afghanistan Freedom Front", "AFF"),
    "isk": ("ISKP", "IS-K", "Islamic State Khorasan", "Daesh", "داعش"),
    "al-qaeda": ("al-Qaeda", "AQIS", "القاعده"),
    "jamaat-ansarullah": ("Jamaat Ansarullah", "Jamaat-e Ansarullah", "انصارالله"),
    "imu": ("Islamic Movement of Uzbekistan", "IMU"),
    "ttm": ("Tajikistan Taliban Movement",),
    "ttp": ("TTP", "Tehrik-i-Taliban Pakistan", "Pakistani Taliban"),
    "tip": ("Turkistan Islamic Party", "TIP"),
    "isi": ("ISI", "Inter-Services Intelligence"),
    "pakistan": ("Pakistan", "Islamabad"),
    "tajikistan": ("Tajikistan", "Dushanbe"),
    "uzbekistan": ("Uzbekistan", "Tashkent"),
    "turkmenistan": ("Turkmenistan",),
    "iran": ("Iran",),
    "china": ("China", "Chinese", "Beijing"),
    "russia": ("Russia", "Moscow"),
    "us": ("United States", "SIGAR", "US "),
    "un": ("UN ", "UNAMA", "WFP", "UNHCR", "UNICEF", "United Nations"),
}


class FakeClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def server(clock: FakeClock) -> Iterator[DemoServer]:
    with DemoServer(port=0, start=T0, clock=clock) as demo:
        yield demo


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def good_feeds() -> list[dict]:
    return [feed for feed in load_corpus()["feeds"] if not feed["nasty"]]


def corpus_text(language: str | None = None) -> list[str]:
    return [
        f"{item['title']}\n{item['summary']}"
        for feed in good_feeds()
        if language is None or feed["language"] == language
        for item in feed["items"]
    ]


def released_count(feed: dict, minutes: float) -> int:
    return sum(1 for item in feed["items"] if item["offset"] <= minutes)


# -- the corpus ----------------------------------------------------------------------------
def test_corpus_has_at_least_20_good_feeds_and_600_items():
    assert len(good_feeds()) >= 20
    assert sum(len(feed["items"]) for feed in good_feeds()) >= 600


def test_guids_are_unique_and_links_are_on_the_fake_host():
    items = [item for feed in load_corpus()["feeds"] for item in feed["items"]]
    assert len({item["guid"] for item in items}) == len(items)
    assert all(item["link"].startswith("https://demo.afmon.invalid/") for item in items)


def test_history_spans_a_month_and_is_densest_in_the_last_two_days():
    offsets = [item["offset"] for feed in good_feeds() for item in feed["items"]]
    past = [o for o in offsets if o <= 0]
    assert min(past) < -25 * 24 * 60
    last_48h = sum(1 for o in past if o > -48 * 60)
    assert last_48h / len(past) > 0.3  # 48 h of 30 days would be 7% if spread evenly


def test_items_are_released_during_the_demo_the_first_within_ten_seconds():
    future = sorted(
        item["offset"] * 60 for feed in good_feeds() for item in feed["items"] if item["offset"] > 0
    )
    assert 60 <= len(future) <= 140
    assert len([s for s in future if s <= 10]) >= 2
    assert future[-1] <= 15 * 60
    gaps = [b - a for a, b in zip(future, future[1:], strict=False)]
    assert max(gaps[:50]) < 10  # the first minutes move steadily


def test_every_province_appears_several_times():
    text = corpus_text()
    for name, spellings in PROVINCE_SPELLINGS.items():
        hits = sum(1 for t in text if any(s in t for s in spellings))
        assert hits >= 3, f"{name} appears in {hits} items"


def test_every_actor_is_named_several_times():
    assert set(ACTOR_NAMES) == set(ACTORS)
    text = corpus_text()
    for slug, names in ACTOR_NAMES.items():
        hits = sum(1 for t in text if any(re.search(rf"\b{re.escape(n)}", t) for n in names))
        assert hits >= 3, f"{slug} named in {hits} items"


def test_dari_and_pashto_items_are_in_arabic_script():
    arabic = re.compile("[\u0600-\u06ff]")
    for language in ("fa", "ps"):
        text = corpus_text(language)
        assert len(text) >= 40
        assert all(arabic.search(t) for t in text)
    assert any("پنجشیر" in t for t in corpus_text("fa"))
    assert any("ننګرهار" in t or "تورخم" in t for t in corpus_text("ps"))
    assert corpus_text("uz") and corpus_text("tg")


def test_one_story_is_reported_by_five_outlets_within_an_hour():
    reports = [
        (feed["outlet"], item["offset"])
        for feed in good_feeds()
        for item in feed["items"]
        if re.search("Dasht-e Barchi|دشت برچی|دشت برچي", item["title"] + item["summary"])
        and item["offset"] >= 0
    ]
    assert len({outlet for outlet, _ in reports}) >= 5
    offsets = [offset for _, offset in reports]
    assert max(offsets) - min(offsets) <= 60


# -- the server ----------------------------------------------------------------------------
def test_index_page_links_every_feed(server: DemoServer):
    status, headers, body = get(server.url + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    for feed in server.feeds:
        assert f'href="{feed.url}"' in page
    assert "[demo]" in page and "<script" not in page


def test_opml_lists_every_feed(server: DemoServer):
    status, _, body = get(server.url + "/opml")
    assert status == 200
    root = ET.fromstring(body)
    assert root.get("version") == "2.0"
    urls = [o.get("xmlUrl") for o in root.iter("outline")]
    assert urls == [feed.url for feed in server.feeds]
    assert len(urls) >= 23


def test_unknown_path_is_404(server: DemoServer):
    assert get(server.url + "/feeds/nope.xml")[0] == 404
    assert get(server.url + "/etc/passwd")[0] == 404


def test_good_feeds_parse_cleanly_as_rss_and_atom(server: DemoServer):
    corpus = {feed["slug"]: feed for feed in good_feeds()}
    versions = set()
    for feed in server.feeds:
        if feed.nasty:
            continue
        status, _, body = get(feed.url)
        parsed = feedparser.parse(body)
        assert status == 200 and not parsed.bozo, feed.slug
        assert len(parsed.entries) == released_count(corpus[feed.slug], 0), feed.slug
        assert parsed.feed.get("language", feed.language) == feed.language
        versions.add(parsed.version)
    assert {"rss20", "atom10"} <= versions


def test_items_appear_when_released_newest_first_dated_by_release(server, clock):
    feed = next(f for f in good_feeds() if released_count(f, 3) > released_count(f, 0))
    url = next(f.url for f in server.feeds if f.slug == feed["slug"])
    before = feedparser.parse(get(url)[2]).entries
    clock.now = T0 + timedelta(minutes=3)
    after = feedparser.parse(get(url)[2]).entries
    assert len(before) == released_count(feed, 0)
    assert len(after) == released_count(feed, 3) > len(before)
    newest = max((i for i in feed["items"] if i["offset"] <= 3), key=lambda i: i["offset"])
    assert after[0].id == newest["guid"]
    published = datetime(*after[0].published_parsed[:6], tzinfo=UTC)
    late = published - (T0 + timedelta(minutes=newest["offset"]))
    assert timedelta(0) <= late < timedelta(seconds=1)  # whole seconds, never early
    dates = [e.published_parsed for e in after]
    assert dates == sorted(dates, reverse=True)


def test_speed_releases_the_future_faster_but_keeps_history_dates(clock):
    clock.now = T0 + timedelta(seconds=30)
    with DemoServer(start=T0, speed=10, clock=clock) as fast:
        assert fast.release_time(5) == T0 + timedelta(seconds=30)
        assert fast.release_time(-60) == T0 - timedelta(hours=1)
        released = sum(len(fast.released(f["slug"])) for f in good_feeds())
    assert released == sum(released_count(f, 5) for f in good_feeds())


def test_etag_and_last_modified_answer_304_until_a_new_item(server, clock):
    feed = next(f for f in server.feeds if not f.nasty)
    status, headers, _ = get(feed.url)
    assert status == 200
    assert get(feed.url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(feed.url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    earlier = format_datetime(T0 - timedelta(days=40), usegmt=True)
    assert get(feed.url, {"If-Modified-Since": earlier})[0] == 200
    assert get(feed.url, {"If-None-Match": '"stale"'})[0] == 200
    clock.now = T0 + timedelta(minutes=20)  # everything released: the body changed
    status, new_headers, _ = get(feed.url, {"If-None-Match": headers["ETag"]})
    corpus = next(f for f in good_feeds() if f["slug"] == feed.slug)
    if released_count(corpus, 20) > released_count(corpus, 0):
        assert status == 200 and new_headers["ETag"] != headers["ETag"]


def test_nasty_feeds_are_marked_and_broken(server: DemoServer):
    nasty = {feed.nasty: feed for feed in server.feeds if feed.nasty}
    assert set(nasty) == {"broken-xml", "http-500", "html-page"}
    status, _, body = get(nasty["broken-xml"].url)
    assert status == 200 and feedparser.parse(body).bozo
    assert b"\x1b[" in body and b"\x1b]" in body
    assert get(nasty["http-500"].url)[0] == 500
    status, headers, body = get(nasty["html-page"].url)
    assert headers["Content-Type"].startswith("text/html")
    assert feedparser.parse(body).entries == []


def test_hostile_titles_arrive_intact_in_well_formed_feeds(server, clock):
    clock.now = T0 + timedelta(minutes=20)
    titles = []
    raw = b""
    for feed in server.feeds:
        if not feed.nasty:
            body = get(feed.url)[2]
            raw += body
            titles += [entry.title for entry in feedparser.parse(body).entries]
    for marker in ("[bold red]", "[@click=app.quit]", "[link=https://evil", "\u202e", "\u009d"):
        assert any(marker in title for title in titles), marker
    assert b"&lt;script&gt;" in raw


# -- the command ---------------------------------------------------------------------------
def test_demo_command_parses_serve_speed_and_db():
    args = build_parser().parse_args(["demo", "--serve", "0"])
    assert args.serve == 0 and args.speed == 1.0 and callable(args.func)
    args = build_parser().parse_args(["demo", "--speed", "4", "--db", "x.db"])
    assert args.serve is None and args.speed == 4.0 and args.db == Path("x.db")


def test_demo_config_points_at_every_feed_with_fast_settings(server: DemoServer):
    config = parse_config(demo_config_toml(server.feeds, Path("/tmp/demo.db")))
    assert [f.url for f in config.feeds] == [f.url for f in server.feeds]
    assert {f.language for f in config.feeds} >= {"en", "fa", "ps", "uz", "tg"}
    assert config.settings.poll_interval == timedelta(seconds=3)
    assert config.settings.max_interval == timedelta(seconds=4)
    assert config.settings.bell is False
    assert [f.name for f in config.fronts] == [f["name"] for f in default_sections()["fronts"]]
    assert config.watch and config.threat_groups


def test_serve_prints_its_url_and_exits_0_on_sigterm():
    process = subprocess.Popen(
        [sys.executable, "-m", "afmon", "demo", "--serve", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.fullmatch(r"serving (\d+) feeds at (http://127\.0\.0\.1:\d+)\n", line)
        assert match, line
        assert get(match[2] + "/opml")[0] == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
        process.communicate()


def test_no_feed_repeats_a_title():
    for feed in load_corpus()["feeds"]:
        titles = [item["title"] for item in feed["items"]]
        assert len(set(titles)) == len(titles), feed["slug"]


def test_corpus_file_is_what_make_corpus_writes():
    from afmon.demo import make_corpus

    assert make_corpus.build() == load_corpus()
