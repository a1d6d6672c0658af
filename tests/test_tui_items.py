"""The items screen (filter bar, keyset paging) and the item detail screen (keys, highlights)."""

# ruff: noqa: F811 - pytest fixtures imported from tests/tui_fixtures.py

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Input, Static

from tests.tui_fixtures import (  # noqa: F401 - fixtures
    NOW,
    _utc_localtime,
    add_item,
    app_for,
    build_db,
    corroborate,
    fx,
    make_config,
    screen_text,
    settle,
    wait_for,
)
from tui.screens.detail import ACTOR_MARK, PROVINCE_MARK, DetailScreen, render_detail
from tui.screens.items import PAGE, ItemsScreen
from tui.screens.note import NoteScreen


async def open_items(pilot):
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ItemsScreen)
    return pilot.app.screen


async def test_items_lists_every_item_newest_first_with_markers(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_items(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 22
        text = screen_text(app)
        assert "22 items" in text
        assert "Explosion near Kabul airport checkpoint" in text
        first = table.get_row_at(0)
        assert (
            first[0].plain == "●  " and first[5].plain == "KAB" and first[6].plain == "isk taliban"
        )


async def test_filter_bar_parses_the_query_language(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_items(pilot)
        await pilot.press("slash")
        assert app.focused is screen.query_one("#filter", Input)
        await pilot.press(*"province:helmand actor:isk", "enter")
        await settle(pilot)
        assert [i.title for i in screen.items.values()] == ["Helmand: ISKP cell arrested"]
        assert screen.filter.provinces == ("AF-HEL",) and screen.filter.actors == ("isk",)
        screen.run_query('since:24h "airport"')
        await settle(pilot)
        assert [i.title for i in screen.items.values()] == [
            "Explosion near Kabul airport checkpoint"
        ]


async def test_a_filter_error_suggests_valid_values_and_empties_the_table(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_items(pilot)
        assert screen.query_one(DataTable).row_count == 22
        screen.run_query("province:helmnd actor:isk")
        await settle(pilot)
        error = screen.query_one("#filter-error", Static)
        assert error.display and "did you mean helmand?" in str(error.render())
        # Nothing shown rather than everything: the table never pretends the query ran.
        assert screen.query_one(DataTable).row_count == 0 and screen.items == {}
        assert "query error" in screen_text(app)
        screen.run_query("actor:iks")
        await settle(pilot)
        assert "did you mean isk" in str(screen.query_one("#filter-error", Static).render())
        screen.run_query("province:helmand")
        await settle(pilot)
        assert not error.display and screen.query_one(DataTable).row_count == 2


async def test_slash_from_the_dashboard_focuses_the_filter(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, ItemsScreen)
        assert app.focused is app.screen.query_one("#filter")


def _type_fast(app, text: str) -> None:
    """Queue keys the way a fast typist's terminal delivers them: all before the app has
    handled the first (Pilot's press waits between keys)."""
    from textual import events

    names = {"/": "slash", ":": "colon", " ": "space", '"': "quotation_mark"}
    for char in text:
        app.post_message(events.Key(names.get(char, char), char))
    app.post_message(events.Key("enter", "\r"))


async def test_text_typed_right_after_slash_lands_in_the_filter(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _type_fast(app, "/province:helmand")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ItemsScreen)
        assert screen.query_one("#filter", Input).value == "province:helmand"
        assert screen.filter.provinces == ("AF-HEL",)
        assert {i.title for i in screen.items.values()} == {
            "Helmand farmers protest poppy eradication",
            "Helmand: ISKP cell arrested",
        }


async def test_slash_in_the_filter_is_text(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"outlet:", "quotation_mark")
        await pilot.press(*"RFE/RL")
        assert app.screen.query_one("#filter", Input).value == 'outlet:"RFE/RL'


async def test_pages_load_by_keyset_as_the_cursor_nears_the_end(tmp_path):
    fixture = build_db(tmp_path / "big.db", stories=[])
    from store import FeedUpdate
    from tests.tui_fixtures import make_entry

    entries = [
        make_entry(f"b{n}", f"Bulk item {n:04d}", "", NOW - timedelta(minutes=n))
        for n in range(PAGE * 2 + 50)
    ]
    fixture.store.record_fetch(
        fixture.feed_ids[0], FeedUpdate(attempted=NOW, status="ok"), entries, now=NOW
    )
    app = app_for(fixture)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_items(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == PAGE
        assert "450 items" in screen_text(app)
        table.move_cursor(row=PAGE - 10)
        await settle(pilot)
        assert table.row_count == PAGE * 2
        table.move_cursor(row=PAGE * 2 - 1)
        await settle(pilot)
        assert table.row_count == PAGE * 2 + 50
        titles = [table.get_row_at(r)[4].plain for r in range(table.row_count)]
        assert titles == [f"Bulk item {n:04d}" for n in range(PAGE * 2 + 50)]
        assert screen.exhausted
    fixture.store.close()


async def test_enter_opens_detail_which_marks_read_and_escape_returns(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_items(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        assert detail.item.title == "NRF says fighters clashed with Taliban in Panjshir"
        assert detail.item.read and fx.store.get_item(detail.item_id).read
        text = screen_text(app)
        assert "Amu TV" in text and "Panjshir" in text and "National Resistance Front" in text
        assert "2026-11-20 10:48 UTC" in text and "1 h ago" in text
        assert "https://news.example/s1" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one(DataTable).get_row_at(1)[0].plain == "   "


def test_detail_highlights_the_words_that_triggered_each_tag(fx):
    item, tags = fx.store.get_item(1), fx.store.item_tags(1)
    _state, title, _meta, summary, legend = render_detail(item, tags, NOW)
    marked = {
        (text.plain[span.start : span.end], str(span.style))
        for text in (title, summary)
        for span in text.spans
        if str(span.style) in (PROVINCE_MARK, ACTOR_MARK)
    }
    # Offsets point at the first occurrence (in the title) of "Kabul"; ISKP and Taliban are in
    # the summary.
    assert ("Kabul", PROVINCE_MARK) in marked
    assert ("ISKP", ACTOR_MARK) in marked and ("Taliban", ACTOR_MARK) in marked
    assert "Kabul → Kabul" in legend.plain and "ISKP → Islamic State Khorasan" in legend.plain


async def test_detail_screen_shows_the_highlighted_summary(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_item(1)
        await settle(pilot)
        text = screen_text(app)
        assert "ISKP claimed the blast near the Kabul airport gate" in text
        assert "ISKP → Islamic State Khorasan" in text


async def test_detail_keys_read_flag_note_escalate_acknowledge(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_item(2)
        await settle(pilot)
        store = fx.store
        assert store.get_item(2).read
        await pilot.press("r")
        assert await wait_for(pilot, lambda: not store.get_item(2).read)
        await pilot.press("f")
        assert await wait_for(pilot, lambda: store.get_item(2).flagged)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"check with NRF", "enter")
        assert await wait_for(pilot, lambda: store.get_item(2).note == "check with NRF")
        await settle(pilot)
        assert "check with NRF" in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*"confirmed by two", "enter")
        assert await wait_for(pilot, lambda: store.get_item(2).escalation == "confirmed by two")
        assert store.get_item(2).escalated is not None and store.get_item(2).flagged
        assert store.get_item(2).note == "check with NRF"  # escalating keeps the note
        app.open_item(3)
        await settle(pilot)
        store.set_read(3, False)
        await pilot.press("k")
        assert await wait_for(pilot, lambda: store.get_item(3).acknowledged is not None)
        assert store.get_item(3).read and store.get_item(3).note is None


async def test_note_modal_escape_cancels(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_item(2)
        await settle(pilot)
        await pilot.press("n", "x", "escape")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert fx.store.get_item(2).note is None


async def test_open_link_uses_the_browser_only_for_http(fx, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url))
    bad = add_item(fx.store, fx.feed_ids[0], "js", "Link test", link="javascript:alert(1)")
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_item(1)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://news.example/s0"]
        await pilot.press("escape")
        app.open_item(bad)
        await settle(pilot)
        await pilot.press("o", "y")
        await settle(pilot)
        assert opened == ["https://news.example/s0"]
        messages = [n.message for n in app.notices]
        assert sum("refusing" in m for m in messages) == 2


async def test_copy_link(fx, monkeypatch):
    copied = []
    app = app_for(fx)
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_item(1)
        await settle(pilot)
        await pilot.press("y")
        assert copied == ["https://news.example/s0"]


async def test_items_screen_r_and_f_toggle_the_highlighted_row(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_items(pilot)
        await pilot.press("f")
        assert await wait_for(pilot, lambda: fx.store.get_item(1).flagged)
        await pilot.press("r")
        assert await wait_for(pilot, lambda: fx.store.get_item(1).read)
        await settle(pilot)
        assert screen.query_one(DataTable).get_row_at(0)[0].plain == " ⚑ "


async def test_rtl_titles_are_reordered_for_display(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_items(pilot)
        from bidi import get_display

        title = "درگیری در پنجشیر میان طالبان و جبهه مقاومت"
        row = next(
            r
            for r in range(22)
            if screen.query_one(DataTable).get_row_at(r)[3].plain == "Afintl"
            and "پ" in screen.query_one(DataTable).get_row_at(r)[4].plain
        )
        shown = screen.query_one(DataTable).get_row_at(row)[4].plain
        assert shown.lstrip() == get_display(title)
        assert shown.startswith(" ")  # right-aligned in the title column


async def test_items_table_shows_outlet_grade_and_corroborated_marker(fx):
    copy = corroborate(fx)
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_items(pilot)
        table = screen.query_one(DataTable)
        for item_id in (copy, 1):
            marks = table.get_cell(str(item_id), "marks").plain
            assert marks.endswith("✓"), item_id
            assert table.get_cell(str(item_id), "grade").plain == "B"  # TOLOnews, Amu TV
        lone = next(i for i in screen.items.values() if i.title.startswith("Herat water"))
        assert not table.get_cell(str(lone.id), "marks").plain.endswith("✓")
        assert table.get_cell(str(lone.id), "grade").plain == "F"  # "Khaama": ungraded
        await pilot.press("r")  # the marker survives a row update
        await settle(pilot)
        assert table.get_cell(str(copy), "marks").plain.endswith("✓")


async def test_detail_shows_grade_and_story_with_corroboration(fx):
    copy = corroborate(fx)
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_item(copy)
        await settle(pilot)
        text = screen_text(app)
        assert "Amu TV  grade B" in text
        assert "story      Explosion near Kabul airport checkpoint" in text
        assert "2 reports · TOLOnews, Amu TV · ✓ corroborated" in text
        await pilot.press("escape")
        app.open_item(5)  # TTP in Kunar: one report, one story
        await settle(pilot)
        text = screen_text(app)
        assert "TOLOnews  grade B" in text
        assert "not yet clustered" in text or "1 report · TOLOnews · single source" in text


PERSIAN = "درگیری در پنجشیر میان طالبان و جبهه مقاومت"  # "Clashes in Panjshir between ..."


def test_rtl_text_is_cut_in_logical_order_before_reordering():
    from bidi import get_display
    from rich.cells import cell_len

    from tui.text import fit_cells, safe_text

    cut = fit_cells(PERSIAN, 12)
    assert PERSIAN.startswith(cut[:-1].rstrip()) and cut.endswith("…")
    assert cell_len(cut) <= 12
    shown = safe_text(PERSIAN, width=12).plain
    assert cell_len(shown) == 12  # right-aligned into the slot
    assert get_display("درگیری") in shown  # the first word, not the last
    assert get_display("مقاومت") not in shown
    assert shown.lstrip().startswith("…")  # the logical end is the visual left
    assert safe_text("Kabul", width=3).plain == "Kabul"  # left-to-right: the widget crops


async def test_rtl_title_in_a_narrow_pane_shows_its_beginning(fx):
    from bidi import get_display

    app = app_for(fx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.pane("Panjshir & Andarab")
        lines = [strip.text for strip in pane.render_lines(pane.region.reset_offset)]
        title = next(line for line in lines if "پ" in line or "…" in line and "ی" in line)
        assert get_display("درگیری") in title
        assert get_display("مقاومت") not in title
        assert title.rstrip(" │").endswith(get_display("درگیری"))  # right-aligned, begins right


async def test_rtl_title_in_a_narrow_items_column_shows_its_beginning(fx):
    from bidi import get_display

    app = app_for(fx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_items(pilot)
        line = next(
            line for line in screen_text(app).split("\n") if "Afintl" in line and "…" in line
        )
        assert get_display("درگیری") in line
        assert get_display("مقاومت") not in line


async def test_s_toggles_stories_mode_one_row_per_story(fx):
    copy = corroborate(fx)
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_items(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 23
        await pilot.press("s")
        await settle(pilot)
        assert screen.stories_mode
        assert 0 < table.row_count < 23
        text = screen_text(app)
        assert "stories (Enter: its reports, s: back to items)" in text
        assert "2× Explosion near Kabul airport checkpoint" in text
        story = next(v for v in screen.stories.values() if copy in v.items)
        assert table.get_cell(f"story-{story.id}", "marks").plain.endswith("✓")
        await pilot.press("s")
        await settle(pilot)
        assert table.row_count == 23 and not screen.stories_mode
