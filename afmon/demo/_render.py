"""Turn released corpus items into the bytes the demo server sends: RSS 2.0, Atom 1.0, OPML 2.0,
an HTML index, and the deliberately broken bodies of the nasty feeds.

Well-formed documents are built with ElementTree so every string is escaped; only the
broken-XML feed is assembled by hand, on purpose.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from typing import Any

ATOM_NS = "http://www.w3.org/2005/Atom"
ET.register_namespace("atom", ATOM_NS)  # once, at import: RSS uses atom:link

# (item dict from the corpus, release time)
Released = tuple[dict[str, Any], datetime]


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def _bytes(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def rss(feed: dict[str, Any], url: str, items: Sequence[Released], now: datetime) -> bytes:
    root = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(root, "channel")
    _text(channel, "title", feed["name"])
    _text(channel, "link", feed["link"])
    _text(channel, "description", f"{feed['outlet']}: invented news for the afmon demo")
    _text(channel, "language", feed["language"])
    _text(channel, "lastBuildDate", format_datetime(now, usegmt=True))
    ET.SubElement(
        channel, f"{{{ATOM_NS}}}link", {"href": url, "rel": "self", "type": "application/rss+xml"}
    )
    for item, released in items:
        entry = ET.SubElement(channel, "item")
        _text(entry, "title", item["title"])
        _text(entry, "link", item["link"])
        _text(entry, "guid", item["guid"], isPermaLink="true")
        _text(entry, "pubDate", format_datetime(released, usegmt=True))
        _text(entry, "description", item["summary"])
    return _bytes(root)


def atom(feed: dict[str, Any], url: str, items: Sequence[Released], now: datetime) -> bytes:
    # Plain tag names under a literal xmlns: ElementTree would otherwise invent a prefix.
    def tag(name: str) -> str:
        return name

    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": feed["language"]})
    _text(root, tag("title"), feed["name"])
    _text(root, tag("id"), feed["link"])
    _text(root, tag("updated"), _iso(items[0][1] if items else now))
    ET.SubElement(root, tag("link"), {"rel": "self", "href": url})
    ET.SubElement(root, tag("link"), {"rel": "alternate", "href": feed["link"]})
    author = ET.SubElement(root, tag("author"))
    _text(author, tag("name"), feed["outlet"])
    for item, released in items:
        entry = ET.SubElement(root, tag("entry"))
        _text(entry, tag("title"), item["title"], type="text")
        _text(entry, tag("id"), item["guid"])
        ET.SubElement(entry, tag("link"), {"rel": "alternate", "href": item["link"]})
        _text(entry, tag("published"), _iso(released))
        _text(entry, tag("updated"), _iso(released))
        _text(entry, tag("summary"), item["summary"], type="text")
    return _bytes(root)


def broken_xml(feed: dict[str, Any], items: Sequence[Released]) -> bytes:
    """RSS as a careless CMS writes it: raw ESC sequences, bare '&', unclosed tags, cut short."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
        f"<title>{feed['name']} & friends</title><link>{feed['link']}</link>",
    ]
    for n, (item, released) in enumerate(items):
        title = item["title"]
        if n % 3 == 0:
            title = f"\x1b[31m{title}\x1b[0m"
        if n % 3 == 1:
            title = f"\x1b]0;pwned by a feed\x07{title}\x1b]52;c;ZWNobyBvd25lZA==\x07"
        parts.append(
            f"<item><title>{title}<link>{item['link']}?a=1&b=2</link>"
            f"<pubDate>{format_datetime(released, usegmt=True)}</pubDate>"
            f"<description><p>{item['summary']}</description></item>"
        )
    parts.append("<item><title>Truncated")
    return "".join(parts).encode("utf-8")


def html_page() -> bytes:
    """What a feed URL often returns instead of a feed: a bot-check page."""
    return (
        b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
        b"<body><h1>Checking your browser before accessing the site</h1>"
        b"<p>Enable JavaScript and cookies to continue.</p></body></html>"
    )


def index(feeds: Sequence[Any]) -> bytes:
    rows = "\n".join(
        f'<li><a href="{html.escape(f.url)}">{html.escape(f.name)}</a> '
        f"({html.escape(f.format)}, {html.escape(f.language)}"
        f"{', nasty: ' + html.escape(f.nasty) if f.nasty else ''})</li>"
        for f in feeds
    )
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>afmon demo feeds</title>'
        f"</head><body><h1>afmon demo feeds</h1>\n<p>{len(feeds)} feeds; "
        '<a href="/opml">OPML</a></p>\n<ul>\n'
        f"{rows}\n</ul></body></html>\n"
    )
    return page.encode("utf-8")


def opml(feeds: Sequence[Any], now: datetime) -> bytes:
    root = ET.Element("opml", {"version": "2.0"})
    head = ET.SubElement(root, "head")
    _text(head, "title", "afmon demo feeds")
    _text(head, "dateCreated", format_datetime(now, usegmt=True))
    body = ET.SubElement(root, "body")
    for feed in feeds:
        ET.SubElement(
            body,
            "outline",
            {
                "type": "rss",
                "text": feed.name,
                "title": feed.name,
                "xmlUrl": feed.url,
                "language": feed.language,
                "category": feed.outlet,
            },
        )
    return _bytes(root)
