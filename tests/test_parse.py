"""feeds/parse.py: golden files (tests/data/feeds/NAME.{rss,atom} beside NAME.json) plus the
rules that deserve a name of their own.

To regenerate the expected files after an intended change: AFMON_REGEN=1 pytest
tests/test_parse.py, then read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feeds.entries import SUMMARY_MAX, TITLE_MAX, html_to_text
from feeds.parse import NotAFeed, parse
from tests.httpserver import rss

DATA = Path(__file__).parent / "data" / "feeds"
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
BASE = "http://example.org/feeds/main.xml"
FIXTURES = sorted(p for p in DATA.iterdir() if p.suffix in (".rss", ".atom"))


def _as_json(path: Path) -> dict:
    parsed = parse(path.read_bytes(), BASE, NOW, content_type="application/xml")
    return {
        "title": parsed.title,
        "ttl": parsed.ttl,
        "warning": parsed.warning,
        "duplicates": parsed.duplicates,
        "entries": [
            {
                "key": e.key,
                "title": e.title,
                "summary": e.summary,
                "link": e.link,
                "author": e.author,
                "language": e.language,
                "published": e.published.isoformat() if e.published else None,
                "published_raw": e.published_raw,
            }
            for e in parsed.entries
        ],
    }


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_golden(path: Path):
    expected_path = path.with_suffix(".json")
    actual = _as_json(path)
    if os.environ.get("AFMON_REGEN"):
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
    assert actual == json.loads(expected_path.read_text(encoding="utf-8"))


def _one(**item: str):
    return parse(rss([item]).encode(), BASE, NOW, content_type="application/rss+xml").entries


def test_duplicate_guids_keep_the_first():
    doc = rss([{"title": "a", "guid": "g"}, {"title": "b", "guid": "g"}]).encode()
    parsed = parse(doc, BASE, NOW)
    assert [e.title for e in parsed.entries] == ["a"] and parsed.duplicates == 1


def test_missing_guid_uses_link_then_title_and_date_hash():
    (by_link,) = _one(title="t", link="/x")
    assert by_link.key == "http://example.org/x"
    (by_hash,) = _one(title="t", pubDate="Mon, 01 Jan 2024 10:00:00 GMT")
    (again,) = _one(title="t", pubDate="Mon, 01 Jan 2024 10:00:00 GMT")
    (other,) = _one(title="t", pubDate="Tue, 02 Jan 2024 10:00:00 GMT")
    assert by_hash.key == again.key != other.key and by_hash.key.startswith("sha256:")


def test_key_does_not_depend_on_the_feed_url():
    doc = rss([{"title": "t", "guid": "relative-guid"}]).encode()
    one = parse(doc, "http://a.example/feed", NOW).entries[0]
    two = parse(doc, "http://b.example/moved", NOW).entries[0]
    assert one.key == two.key == "relative-guid"


def test_relative_links_resolve_against_the_feed_url():
    (entry,) = _one(title="t", guid="1", link="../story/9")
    assert entry.link == "http://example.org/story/9"


def test_permalink_guid_becomes_link_only_when_absolute():
    (plain,) = _one(title="t", guid="item-42")
    (url,) = _one(title="t", guid="https://example.org/story/42")
    assert plain.link is None and plain.key == "item-42"
    assert url.link == "https://example.org/story/42"


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "ftp://x/y"]
)
def test_only_http_links_are_kept(href):
    (entry,) = _one(title="t", guid="1", link=href)
    assert entry.link is None


def test_future_date_is_clamped_and_raw_kept():
    (entry,) = _one(title="t", guid="1", pubDate="Fri, 01 Jan 2100 00:00:00 GMT")
    assert entry.published == NOW and entry.published_raw == "Fri, 01 Jan 2100 00:00:00 GMT"


def test_missing_and_unparseable_dates_are_left_to_first_seen():
    (missing,) = _one(title="t", guid="1")
    (garbage,) = _one(title="t", guid="2", pubDate="yesterday-ish")
    assert missing.published is None and missing.published_raw is None
    assert garbage.published is None and garbage.published_raw == "yesterday-ish"


def test_html_becomes_plain_text():
    assert html_to_text("<p>a&amp;b</p>\n\n<p>c &lt; d&nbsp;e</p>", 100) == "a&b c < d e"
    assert html_to_text("x<script>evil()</script><style>p{}</style>y", 100) == "xy"
    assert html_to_text("AT&T 5 < 6", 100) == "AT&T 5 < 6"


def test_titles_and_summaries_are_capped():
    (entry,) = _one(title="word " * 400, description="long " * 3000, guid="1")
    assert len(entry.title) == TITLE_MAX and entry.title.endswith("…")
    assert len(entry.summary) == SUMMARY_MAX


def test_terminal_escapes_never_survive():
    (entry,) = _one(title="ok&#27;]0;pwned&#7; \u202etxt", guid="1")
    assert "\x1b" not in entry.title and "\u202e" not in entry.title and "\x07" not in entry.title


def test_bad_encoding_declaration_is_accepted_with_a_warning():
    parsed = parse((DATA / "bad-encoding.rss").read_bytes(), BASE, NOW)
    assert parsed.entries and parsed.warning
    assert "quoted" in parsed.entries[0].title


def test_content_changes_change_the_hash_not_the_key():
    (a,) = _one(title="t", guid="1", description="before")
    (b,) = _one(title="t", guid="1", description="after")
    assert a.key == b.key and a.content_hash != b.content_hash


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty body"),
        (b"  \n\t ", "empty body"),
        (b"Just some text.", "plain text"),
        (b'{"items": []}', "JSON"),
        (b"<html><head><title>x</title></head><body>Hi</body></html>", "HTML page"),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", "not RSS or Atom"),
    ],
)
def test_not_a_feed_says_what_it_is(body, message):
    with pytest.raises(NotAFeed, match=message):
        parse(body, BASE, NOW)


def test_html_page_with_feed_link_names_the_url():
    page = (
        b"<!DOCTYPE html><html><head><title>News</title>"
        b'<link rel="stylesheet" href="/s.css">'
        b'<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss/all.xml">'
        b"</head><body><p>Welcome</p></body></html>"
    )
    with pytest.raises(NotAFeed) as caught:
        parse(page, "http://example.org/news/", NOW, content_type="text/html")
    assert "http://example.org/rss/all.xml" in str(caught.value)
    assert "use that URL" in str(caught.value)


def test_empty_but_valid_feed_is_fine():
    parsed = parse(rss([]).encode(), BASE, NOW)
    assert parsed.entries == [] and parsed.title == "Test feed"


def test_large_feed_parses():
    items = [{"title": f"item {i}", "guid": str(i)} for i in range(2000)]
    parsed = parse(rss(items).encode(), BASE, NOW)
    assert len(parsed.entries) == 2000


@pytest.mark.parametrize(
    "body",
    [b"", b" \r\n", b'{"items": []}', b"\x89PNG\r\n\x1a\n", b"<!DOCTYPE html><html></html>"],
    ids=["empty", "blank", "json", "png", "html"],
)
def test_what_cannot_be_a_feed_is_told_without_parsing_in_the_same_words(body):
    from feeds.parse import not_a_feed

    with pytest.raises(NotAFeed) as caught:
        parse(body, BASE, NOW)
    assert not_a_feed(body, BASE, None) == str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        rss([{"title": "t", "guid": "1"}]).encode(),
        b"Warning: headers already sent\n" + rss([{"title": "t", "guid": "1"}]).encode(),
        "<rss/>".encode("utf-16"),
    ],
    ids=["rss", "junk-before-the-feed", "utf-16"],
)
def test_a_feed_or_anything_only_a_parse_can_judge_is_left_to_the_parser(body):
    from feeds.parse import not_a_feed

    assert not_a_feed(body, BASE, None) is None
