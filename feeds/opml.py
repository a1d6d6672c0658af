"""OPML 2.0, the format every feed reader imports and exports.

Reading is guarded: the standard library's XML parser expands internal entities, so a
"billion laughs" file could exhaust memory. afmon has no use for DTDs at all, so any file that
declares a DOCTYPE or ENTITY is refused before it reaches the parser.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime


class OpmlError(ValueError):
    """A file afmon will not read as OPML."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    name: str
    url: str
    outlet: str | None = None
    language: str | None = None


_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _outlet(outline: ET.Element, name: str, folder: str | None) -> str | None:
    """The outlet of a feed outline: its `category` (the last part of the first path,
    "/News/TOLOnews" -> "TOLOnews"), else a `title` other than its text (readers that write
    the outlet there), else the folder it sits in (how `to_opml` writes outlets)."""
    category = (outline.get("category") or "").split(",")[0].strip().strip("/")
    if category:
        return category.rsplit("/", 1)[-1].strip() or folder
    title = (outline.get("title") or "").strip()
    if title and title != name:
        return title
    return folder


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Every outline with an xmlUrl, at any depth, with its outlet (see `_outlet`)."""
    if _DECLARATION.search(data):
        raise OpmlError("DOCTYPE and ENTITY declarations are not allowed in OPML")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not well-formed XML: {exc}") from None
    if root.tag != "opml":
        raise OpmlError(f"root element is <{root.tag}>, not <opml>")
    body = root.find("body")
    if body is None:
        raise OpmlError("no <body> element")
    out: list[OpmlFeed] = []

    def walk(node: ET.Element, folder: str | None) -> None:
        for child in node.findall("outline"):
            url = (child.get("xmlUrl") or child.get("xmlurl") or "").strip()
            text = (child.get("text") or child.get("title") or "").strip()
            if url:
                name = text or url
                out.append(
                    OpmlFeed(
                        name=name,
                        url=url,
                        outlet=_outlet(child, name, folder),
                        language=child.get("language") or None,
                    )
                )
            walk(child, text or folder)

    walk(body, None)
    return out


def to_opml(feeds: list[OpmlFeed], title: str = "afmon feeds", now: datetime | None = None) -> str:
    """OPML 2.0 text: one folder outline per outlet, one rss outline per feed."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC))
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.outlet and feed.outlet != feed.name:
            parent = folders.get(feed.outlet) or ET.SubElement(
                body, "outline", text=feed.outlet, title=feed.outlet
            )
            folders[feed.outlet] = parent
        attrs = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.language:
            attrs["language"] = feed.language
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
