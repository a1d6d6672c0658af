"""OPML: nested outlines in, folders per outlet out, declarations refused before parsing."""

from __future__ import annotations

import pytest

from feeds.opml import OpmlError, OpmlFeed, parse_opml, to_opml

NESTED = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>x</title></head><body>
  <outline text="Afghan press">
    <outline text="TOLOnews">
      <outline type="rss" text="Tolo English" xmlUrl="https://tolo.example/rss" language="en"/>
    </outline>
    <outline type="rss" title="Pajhwok" xmlUrl=" https://pajhwok.example/feed "/>
  </outline>
  <outline type="rss" text="Top level" xmlUrl="https://top.example/rss"/>
  <outline text="empty folder"/>
</body></opml>"""


def test_nested_outlines_are_read_with_their_folder_as_outlet():
    assert parse_opml(NESTED) == [
        OpmlFeed("Tolo English", "https://tolo.example/rss", "TOLOnews", "en"),
        OpmlFeed("Pajhwok", "https://pajhwok.example/feed", "Afghan press", None),
        OpmlFeed("Top level", "https://top.example/rss", None, None),
    ]


def test_export_then_import_round_trips():
    feeds = [
        OpmlFeed("Tolo English", "https://tolo.example/rss", "TOLOnews", "en"),
        OpmlFeed("Tolo Dari", "https://tolo.example/fa", "TOLOnews", "fa"),
        OpmlFeed("Pajhwok", "https://pajhwok.example/feed?a=1&b=<2>", "Pajhwok", None),
    ]
    text = to_opml(feeds)
    assert text.count('<outline text="TOLOnews"') == 1
    assert parse_opml(text.encode()) == [
        feeds[0],
        feeds[1],
        OpmlFeed("Pajhwok", feeds[2].url, None, None),
    ]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml/>', "DOCTYPE"),
        (b'<?xml version="1.0"?>\n<!doctype opml SYSTEM "file:///etc/passwd"><opml/>', "DOCTYPE"),
        (b"<opml><body><outline text='&a;'/></body><!ENTITY x 'y'></opml>", "DOCTYPE"),
        (b"<opml><body>", "not well-formed"),
        (b"<rss version='2.0'/>", "not <opml>"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
    ],
)
def test_unsafe_or_broken_files_are_refused(data, reason):
    with pytest.raises(OpmlError, match=reason):
        parse_opml(data)


def test_outlet_comes_from_category_then_a_distinct_title_then_the_folder():
    data = b"""<opml version="2.0"><body><outline text="Folder">
      <outline text="A feed" category="/News/Outlet A,/Other" xmlUrl="https://a.example/1"/>
      <outline text="B feed" title="Outlet B" xmlUrl="https://b.example/1"/>
      <outline text="C feed" title="C feed" xmlUrl="https://c.example/1"/>
    </outline></body></opml>"""
    assert [f.outlet for f in parse_opml(data)] == ["Outlet A", "Outlet B", "Folder"]
