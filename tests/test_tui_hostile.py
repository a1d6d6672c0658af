"""Hostile feed text: markup, terminal escapes and bidi overrides are shown as inert text."""

# ruff: noqa: F811 - pytest fixtures imported from tests/tui_fixtures.py

from __future__ import annotations

from textual.widgets import DataTable

from tests.tui_fixtures import (  # noqa: F401 - fixtures
    _utc_localtime,
    add_item,
    app_for,
    fx,
    screen_segments,
    screen_text,
    settle,
)
from tui.screens.detail import DetailScreen
from tui.text import safe_text

HOSTILE = (
    "[bold]Kabul[/bold] [@click=app.quit]click[/] [link=https://x]x[/link]"
    " \x1b]0;pwned\x07 \x1b[31mred \u202eevil\u202c end"
)
LITERAL = "[bold]Kabul[/bold] [@click=app.quit]click[/] [link=https://x]x[/link]"


def assert_inert(app) -> None:
    for segment in screen_segments(app):
        text = segment.text
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, text
        style = segment.style
        if style is not None and LITERAL[:6] in text:
            assert not style.link and not (style.meta or {}).get("@click")


def test_safe_text_never_parses_markup_and_strips_escapes():
    text = safe_text(HOSTILE)
    assert text.plain.startswith(LITERAL)
    assert text.spans == []
    assert "\x1b" not in text.plain and "\u202e" not in text.plain and "pwned" not in text.plain


async def test_hostile_title_is_shown_literally_everywhere_and_nothing_fires(fx):
    item = add_item(
        fx.store,
        fx.feed_ids[0],
        "evil",
        HOSTILE,
        summary=HOSTILE + "\n" + HOSTILE,
        words={"AF-KAB": "Kabul"},
        link="https://news.example/\x1b]0;pwned\x07",
    )
    fx.store.set_note(item, "[bold]note\x1b[2J")
    app = app_for(fx)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        # Dashboard pane
        assert "[bold]Kabul[/bold] [@click=app" in screen_text(app)
        assert_inert(app)
        # Items table
        await pilot.press("i")
        await settle(pilot)
        row = app.screen.query_one(DataTable).get_row_at(0)
        assert row[4].plain.startswith(LITERAL)  # marks, grade, time, outlet, title
        assert LITERAL[:40] in screen_text(app)
        assert_inert(app)
        # Detail: click on the literal "[@click=app.quit]" text; the app keeps running.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert LITERAL in text
        assert "[bold]note" in text
        assert_inert(app)
        lines = text.splitlines()
        y = next(i for i, line in enumerate(lines) if "[@click=app.quit]" in line)
        x = lines[y].index("[@click=app.quit]") + 3
        await pilot.click(offset=(x, y))
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, DetailScreen)
        # The link with an escape sequence is not http(s)-clean: refused, never opened.
        await pilot.press("o")
        await settle(pilot)
        assert any("refusing" in n.message for n in app.notices)
        for note in app.notices:
            assert "\x1b" not in note.message
        assert app.title == "afmon"


# What feeds leave behind once a parser has done its best: double-escaped HTML, an entity
# escaped twice, and 8-bit CSI sequences that feedparser maps to windows-1252 ("›" is 0x9B).
REMNANT_TITLE = "Kandahar traders protest new taxes <b>update</b>"
REMNANT_SUMMARY = "Shopkeepers closed their shops. ›31mFlights resumed›0m after a halt. &nbsp;"


async def test_markup_entity_and_escape_remnants_never_reach_the_screen(fx):
    add_item(
        fx.store,
        fx.feed_ids[0],
        "remnant",
        REMNANT_TITLE,
        summary=REMNANT_SUMMARY,
        words={"AF-KAN": "Kandahar"},
    )
    app = app_for(fx)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        shown = []
        pane = app.screen.pane("South")
        pane.focus()
        await settle(pilot)
        shown.append(screen_text(app))
        await pilot.press("enter")  # the pane's items
        await settle(pilot)
        shown.append(screen_text(app))
        await pilot.press("enter")  # the newest: the remnant item
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        shown.append(screen_text(app))
        assert "Kandahar traders protest" in shown[0] and "new taxes update" in shown[1]
        assert "Flights resumed after a halt." in shown[2]
        for text in shown:
            for remnant in ("<b>", "</b>", "&nbsp;", "›31m", "›0m"):
                assert remnant not in text
