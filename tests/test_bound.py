"""feeds/bound.py: what feedparser may see. Every element's text is bounded before it reaches
the parser, so no long input ever reaches a super-linear path; the cut is recorded."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from feeds.bound import AUTHOR_TEXT_MAX, LONG_TEXT_MAX, TEXT_MAX, bound_text, prepare
from feeds.parse import parse
from tests.hostile import docs

NOW = datetime(2026, 1, 1, tzinfo=UTC)
_AUTHOR = re.compile(rb"<(author|dc:creator)[^>]*>(.*?)(?:</\1>|</item>)", re.S)


def _author_text(body: bytes) -> bytes:
    match = _AUTHOR.search(body)
    assert match is not None
    unwrapped = re.sub(rb"<!\[CDATA\[|\]\]>", b"", match.group(2))
    return re.sub(rb"<[^>]*>", b"", unwrapped)


@pytest.mark.parametrize("shape", sorted(docs.LONG_AUTHORS))
def test_an_email_shaped_author_of_300_kb_is_cut_before_feedparser(shape):
    body = docs.doc(docs.item("long author", "la", docs.LONG_AUTHORS[shape]), docs.GOOD)
    assert len(_author_text(body)) > 250_000
    prepared = prepare(body, "application/rss+xml")
    assert len(_author_text(prepared.body)) <= AUTHOR_TEXT_MAX
    assert any("cut to their length limit" in n for n in prepared.notes), prepared.notes


@pytest.mark.parametrize("shape", sorted(docs.LONG_AUTHORS))
def test_a_feed_with_a_huge_author_keeps_its_items_and_says_what_was_cut(shape):
    body = docs.doc(docs.item("long author", "la", docs.LONG_AUTHORS[shape]), docs.GOOD)
    parsed = parse(body, "http://example.org/feed", NOW)
    titles = sorted(e.title for e in parsed.entries)
    assert titles == ["Kabul calm after rain", "long author"]
    assert "cut to their length limit" in (parsed.warning or "")
    assert all(len(e.author or "") <= AUTHOR_TEXT_MAX for e in parsed.entries)


def test_a_long_title_is_cut_to_the_text_limit_and_a_long_summary_keeps_more():
    title = "Kabul " * 5_000
    summary = "word " * 20_000
    body = docs.doc(docs.item(title, "t", b"<description>" + summary.encode() + b"</description>"))
    out, notes = bound_text(body)
    kept_title = re.search(rb"<title>([^<]*)</title><guid>", out).group(1)
    kept_summary = re.search(rb"<description>([^<]*)</description>", out).group(1)
    assert len(kept_title) <= TEXT_MAX < len(title)
    assert len(kept_summary) == LONG_TEXT_MAX < len(summary)
    assert notes and "2 element texts" in notes[0]


def test_cuts_never_split_a_character_or_an_entity():
    title = ("کابل &amp; " * 1_000).encode()
    out, _ = bound_text(docs.doc(docs.item(title, "t")))
    kept = re.search(rb"<title>([^<]*)</title>", out).group(1)
    kept.decode("utf-8")  # no half character
    assert not re.search(rb"&[a-z]*$", kept)


def test_an_ordinary_feed_passes_through_unchanged():
    body = docs.doc(
        docs.item("Clashes in Panjshir", "a", b"<author>jane@example.org (Jane)</author>"),
        docs.GOOD,
    )
    assert prepare(body, None) == prepare(body, None)
    assert bound_text(body) == (body, [])
