"""The one door for untrusted text: nothing that steers a terminal gets through."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from core.sanitize import clean, safe_url

_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_osc_window_title_and_clipboard_are_removed():
    text = "Kabul\x1b]0;pwned\x07 blast \x1b]52;c;ZXZpbA==\x1b\\ now"
    assert clean(text) == "Kabul blast now"


def test_csi_colours_and_cursor_moves_are_removed():
    assert clean("\x1b[31mred\x1b[0m \x1b[2J\x1b[Hhome") == "red home"


def test_c1_csi_and_osc_forms_are_removed():
    assert clean("a\x9b31mb \x9d0;title\x9c c") == "ab c"


def test_bidi_overrides_are_removed_but_persian_zwnj_stays():
    assert clean("\u202eevil\u202c txt") == "evil txt"
    assert clean("می\u200cشود") == "می\u200cشود"


def test_markup_is_left_as_literal_text():
    assert clean("[bold]x[/bold] [@click=app.quit]y[/]") == "[bold]x[/bold] [@click=app.quit]y[/]"


def test_nul_and_controls_go_whitespace_folds():
    assert clean("a\x00b\tc\r\n\n d\x7f") == "ab c d"


def test_multiline_keeps_paragraphs():
    assert clean("one\n\n\ntwo  three\r\nfour", multiline=True) == "one\ntwo three\nfour"


def test_max_len_caps_huge_titles_cheaply():
    out = clean("x" * 1_000_000, max_len=500)
    assert len(out) == 500 and out.endswith("…")


@given(st.text())
def test_clean_never_leaves_control_characters(text):
    out = clean(text)
    assert not _FORBIDDEN.search(out)
    assert "\x1b" not in out and "\n" not in out


@given(st.text(), st.integers(min_value=1, max_value=200))
def test_clean_respects_max_len(text, limit):
    assert len(clean(text, max_len=limit)) <= limit


def test_only_http_and_https_links_are_openable():
    assert safe_url("https://tolonews.com/a") == "https://tolonews.com/a"
    assert safe_url("HTTP://x.org/") == "HTTP://x.org/"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "ftp://x/y",
        "https://x/\x1b]0;t\x07",
        "",
        None,
        " vbscript:x",
    ):
        assert safe_url(bad) is None, bad


def test_escaped_html_remnants_are_removed_and_entities_decoded():
    assert clean("Kandahar traders protest new taxes <b>update</b>") == (
        "Kandahar traders protest new taxes update"
    )
    assert clean("Shops closed for a day. &nbsp;") == "Shops closed for a day."
    assert clean("Q&amp;A: <script>alert(1)</script>the <i>border</i>") == "Q&A: the border"
    assert clean("&#1662;&zwnj;x") == "پ\u200cx"  # ZWNJ is Persian spelling: kept


def test_colour_codes_that_lost_their_esc_are_removed():
    assert clean("›31mFlights resumed›0m after a halt") == "Flights resumed after a halt"
    assert clean("[1;31mred[0m text") == "red text"
    assert clean("&#27;[2Jcleared &#8238;x") == "cleared x"


def test_text_that_only_looks_like_markup_stays():
    for text in ("a <10 km radius", "R&D budget", "AT&T", "‹quoted›", "[1] footnote", "5m deep"):
        assert clean(text) == text
