"""Hostile feed documents (bytes), grouped by what they attack: the XML parser, the text
shown in the terminal, and the data model."""

from __future__ import annotations

RSS_HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n'
OPEN = b'<rss version="2.0"><channel><title>t</title><link>http://example.org/</link>'
CLOSE = b"</channel></rss>"


def doc(*items: bytes, head: bytes = RSS_HEAD, doctype: bytes = b"") -> bytes:
    return head + doctype + OPEN + b"".join(items) + CLOSE


def item(title: str | bytes, guid: str = "g", extra: bytes = b"") -> bytes:
    t = title if isinstance(title, bytes) else title.encode()
    return (
        b"<item><title>" + t + b"</title><guid>" + guid.encode() + b"</guid>" + extra + b"</item>"
    )


GOOD = item("Kabul calm after rain", "good-1")

# -- XML attacks ------------------------------------------------------------------------------

BILLION_LAUGHS = doc(
    item("laughs &lol9; end", "laughs"),
    GOOD,
    doctype=b'<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%s;" % (b"" if i == 1 else b"%d" % (i - 1))) * 10)
        for i in range(1, 10)
    )
    + b"]>\n",
)
QUADRATIC_BLOWUP = doc(
    item(b"q " + b"&big;" * 20_000, "quad"),
    GOOD,
    doctype=b'<!DOCTYPE rss [<!ENTITY big "' + b"B" * 50_000 + b'">]>\n',
)


def xxe(path: str) -> bytes:
    return doc(
        item("before &xxe; after", "xxe", b"<description>&xxe;</description>"),
        GOOD,
        doctype=b'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://' + path.encode() + b'">]>\n',
    )


def xxe_parameter(path: str) -> bytes:
    return doc(
        item("param", "xxe-p"),
        GOOD,
        doctype=b'<!DOCTYPE rss [<!ENTITY % p SYSTEM "file://' + path.encode() + b'"> %p;]>\n',
    )


def xxe_http(url: str) -> bytes:
    return doc(
        item("ssrf &ssrf; end", "ssrf"),
        GOOD,
        doctype=b'<!DOCTYPE rss [<!ENTITY ssrf SYSTEM "' + url.encode() + b'">]>\n',
    )


def external_dtd(url: str) -> bytes:
    return doc(item("dtd", "dtd"), GOOD, doctype=b'<!DOCTYPE rss SYSTEM "' + url.encode() + b'">\n')


DEEP_CLOSED = doc(item("deep", "deep", b"<a>" * 100_000 + b"</a>" * 100_000), GOOD)
DEEP_OPEN = doc(item("deep-open", "deep-open", b"<a>" * 100_000), GOOD)
DEEP_CHANNEL = RSS_HEAD + OPEN + b"<x>" * 100_000 + GOOD + CLOSE
DEEP_HTML = doc(
    item("html", "deep-html", b"<description>" + b"&lt;div&gt;" * 150_000 + b"</description>"), GOOD
)
TRUNCATED_ITEM = (RSS_HEAD + OPEN + GOOD + item("second", "second"))[:-30]
TRUNCATED_HEADER = RSS_HEAD + b'<rss version="2.0"><chan'
TRUNCATED_MID_TAG = RSS_HEAD + OPEN + GOOD + b"<item><title>half<"

UTF8_TITLE = "Kabul کابل Café"
LIE_UTF16 = doc(item(UTF8_TITLE, "u16"), head=b'<?xml version="1.0" encoding="utf-16"?>\n')
LIE_1252 = doc(item(UTF8_TITLE, "w1252"), head=b'<?xml version="1.0" encoding="windows-1252"?>\n')
LIE_ASCII = doc(item(UTF8_TITLE, "ascii"), head=b'<?xml version="1.0" encoding="us-ascii"?>\n')
BOGUS_ENCODING = doc(
    item(UTF8_TITLE, "bogus"), head=b'<?xml version="1.0" encoding="x-klingon-7"?>\n'
)
MIXED = doc(item(UTF8_TITLE, "mixed-u8"), item("Caf\xe9 H\xe9rat".encode("latin-1"), "mixed-l1"))
HONEST_LATIN1 = doc(
    item("Caf\xe9 H\xe9rat".encode("latin-1"), "latin1"),
    head=b'<?xml version="1.0" encoding="iso-8859-1"?>\n',
)
HONEST_UTF16 = (
    '<?xml version="1.0" encoding="utf-16"?>\n<rss version="2.0"><channel><title>t</title>'
    f"<item><title>{UTF8_TITLE}</title><guid>u16-honest</guid></item></channel></rss>"
).encode("utf-16")
NULS = doc(item(b"nul\x00 in \x00title", "nul"), GOOD)

# -- parser time -------------------------------------------------------------------------------

EMAIL_SHAPED = b"a" * 300_000 + b"@example"
"""A few hundred KB shaped like an e-mail address: feedparser's author regex is quadratic in
it (8 KB cost 0.8 s; 300 KB would cost tens of minutes)."""
LONG_AUTHORS = {
    "plain": b"<author>" + EMAIL_SHAPED + b"</author>",
    "nested": b"<author>" + b"<b/>".join([b"a" * 200] * 1500) + b"@example</author>",
    "cdata": b"<author><![CDATA[" + EMAIL_SHAPED + b"]]></author>",
    "cdata-with-lt": b"<author><![CDATA[x<" + EMAIL_SHAPED + b"]]></author>",
    "dc-creator": b'<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">'
    + EMAIL_SHAPED
    + b"</dc:creator>",
    "unclosed": b"<author>" + EMAIL_SHAPED,
}


def slow_parse(megabytes: float) -> bytes:
    """A document inside every bound that still keeps feedparser busy: 990 empty elements per
    entry, and an undefined entity that sends feedparser to its pure-Python loose parser.
    About 10 s of CPU per MB on the bench machine: at the default 10 MB body cap, minutes."""
    entry = b"<item><title>busy</title>" + b"<x/>" * 990 + b"</item>"
    count = max(int(megabytes * 1_000_000 / len(entry)), 1)
    head = RSS_HEAD + b'<rss version="2.0"><channel><title>t &nbsp;</title>'
    return head + GOOD + entry * count + CLOSE
