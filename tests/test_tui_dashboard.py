"""The dashboard: panes per front, threat group and pane query; counts; live updates; reflow."""

# ruff: noqa: F811 - pytest fixtures imported from tests/tui_fixtures.py

from __future__ import annotations

from tests.tui_fixtures import (  # noqa: F401 - fixtures
    _utc_localtime,
    add_item,
    app_for,
    corroborate,
    fx,
    screen_text,
    settle,
    wait_for,
)
from tui.screens.dashboard import DashboardScreen
from tui.screens.detail import DetailScreen
from tui.screens.items import ItemsScreen
from tui.widgets.pane import Pane


async def test_one_pane_per_front_group_and_pane_query(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        names = [p.spec.name for p in app.screen.query(Pane)]
        expected = [f.name for f in fx.config.fronts] + [g.name for g in fx.config.threat_groups]
        assert names == [*expected, "Helmand ISK"]  # "Kabul ISK" has pane=false


async def test_pane_shows_counts_trend_sparkline_and_newest_items(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        kabul = screen.pane("Kabul")
        assert kabul is not None
        # Kabul: 1 item in the last 24 h (0.5 h ago), 2 in 7 days (+40 h), 1 in the 7 before.
        assert (kabul.counts.day, kabul.counts.week, kabul.counts.prev_week) == (1, 2, 1)
        assert len(kabul.counts.hourly) == 48 and sum(kabul.counts.hourly) == 2
        head = kabul.head().plain
        assert "24h 1/1 =" in head and "7d 2/2 ▲1" in head  # stories/reports, trend
        assert [i.title for i in kabul.items][:2] == [
            "Explosion near Kabul airport checkpoint",
            "al-Qaeda figure reported killed in Kabul strike",
        ]
        text = screen_text(app)
        assert "●  11:30 TOLOnews KAB isk taliban" in text  # unread, flag slot, time, outlet, tags
        assert "Explosion near Kabul airport" in text


async def test_80x24_shows_four_panes_with_items_and_scrolls_for_the_rest(fx):
    app = app_for(fx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        visible = [p for p in app.screen.query(Pane) if p.region.height and p.region.y < 22]
        assert len(visible) >= 4
        assert visible[0].content_size.height >= 5  # head, sparkline, two items
        panes = list(app.screen.query(Pane))
        await pilot.press(*["tab"] * 9)
        assert app.focused is panes[9]
        assert panes[9].region.y < 24  # scrolled into view


async def test_panes_reflow_to_the_terminal_size(fx):
    app = app_for(fx)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        panes = list(app.screen.query(Pane))
        on_screen = [p for p in panes if p.region.height and p.region.bottom <= 58]
        assert len(on_screen) == len(panes) == 17
        assert len({p.region.x for p in panes}) == 5  # five columns


async def test_new_item_appears_in_its_pane_without_a_full_reload(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        loads = []
        original = screen._load
        screen._load = lambda *a: (loads.append(a), original(*a))[1]
        new_id = add_item(
            fx.store,
            fx.feed_ids[0],
            "live1",
            "Rockets hit Kabul airport",
            words={"AF-KAB": "Kabul", "isk": "Rockets"},
        )
        kabul = screen.pane("Kabul")
        assert await wait_for(pilot, lambda: kabul.items and kabul.items[0].id == new_id)
        assert new_id in kabul.fresh_ids  # briefly highlighted
        isk = screen.pane("Islamic State Khorasan")
        assert isk.items[0].id == new_id
        panjshir = screen.pane("Panjshir & Andarab")
        assert new_id not in {i.id for i in panjshir.items}
        assert await wait_for(pilot, lambda: kabul.counts.day == 2)
        assert loads == []  # only items_after polls, no reload
        assert app.status.new_items == 1


async def test_enter_on_a_pane_opens_its_items(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.screen.pane("South")
        pane.focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ItemsScreen)
        assert set(screen.filter.provinces) == {"AF-KAN", "AF-HEL", "AF-URU", "AF-ZAB"}
        titles = {i.title for i in screen.items.values()}
        assert "Kandahar: Taliban leader issues new decree" in titles
        assert "Explosion near Kabul airport checkpoint" not in titles


async def test_enter_on_a_pane_item_opens_the_detail(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.screen.pane("Kabul")
        pane.focus()
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.item.title == "al-Qaeda figure reported killed in Kabul strike"
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_reading_an_item_clears_its_unread_marker_in_panes(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.screen.pane("Kabul")
        pane.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: pane.items[0].read)
        await settle(pilot)
        assert "●  11:30 TOLOnews" not in screen_text(app)
        assert "  11:30 TOLOnews" in screen_text(app)


async def test_pane_counts_stories_with_the_reports_behind_them(fx):
    corroborate(fx)
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        kabul = app.screen.pane("Kabul")
        day, week = kabul.stories
        assert (day.stories, day.items, week.stories, week.items) == (1, 2, 2, 3)
        head = kabul.head().plain
        assert "24h 1/2" in head and "7d 2/3" in head
        bars = _shown_lines(app, kabul)[2]  # border, head, then the sparkline
        assert set(bars.strip("│ ")) <= set("▁▂▃▄▅▆▇█") and "█" in bars


async def test_pane_highlight_stays_on_its_item_when_a_new_item_lands_on_top(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.screen.pane("Kabul")
        pane.focus()
        await pilot.press("down", "down")  # the second item: the al-Qaeda strike
        picked = pane.items[1]
        new_id = add_item(
            fx.store, fx.feed_ids[0], "top1", "Rockets hit Kabul", words={"AF-KAB": "Kabul"}
        )
        assert await wait_for(pilot, lambda: pane.items[0].id == new_id)
        assert pane.items[pane.cursor].id == picked.id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.item_id == picked.id


async def test_flag_and_escalation_markers_are_never_cut_off(fx):
    item = add_item(
        fx.store,
        fx.feed_ids[2],
        "many",
        "Clashes across the north",
        words={
            "AF-KDZ": "north",
            "AF-TAK": "across",
            "AF-BDS": "Clashes",
            "taliban": "the",
            "jamaat-ansarullah": "Clashes across",
        },
    )
    fx.store.set_flagged(item)
    app = app_for(fx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.pane("Northern corridor / Tajik border")
        meta = _shown_lines(app, pane)[3].strip("│ ")  # border, head, sparkline, first item
        assert meta.endswith("…")  # the line is too long for the pane...
        assert "⚑" in meta  # ...and the flag is still there
        fx.store.escalate(item, "three provinces at once")
        app.item_changed(item)
        await settle(pilot)
        meta = _shown_lines(app, pane)[3]
        assert "‼" in meta


def _shown_lines(app, widget) -> list[str]:
    """The screen rows a widget covers, cut to its columns."""
    rows = screen_text(app).splitlines()
    region = widget.region
    return [rows[y][region.x : region.right].rstrip() for y in range(region.y, region.bottom)]


async def test_pane_header_is_explained_in_help_and_in_a_tooltip(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40), tooltips=True) as pilot:
        await settle(pilot)
        kabul = app.screen.pane("Kabul")
        assert "stories/reports" not in screen_text(app)
        # Hovering the pane's header shows what it means as a tooltip.
        await pilot.hover(kabul, offset=(3, 1))
        assert await wait_for(pilot, lambda: "stories/reports" in screen_text(app), timeout=5)
        shown = screen_text(app)
        assert "trend" in shown and "unread items in the pane" in shown
        await pilot.press("question_mark")
        await settle(pilot)
        app.screen.query_one("#help").scroll_end(animate=False)  # the legend follows the keys
        await settle(pilot)
        help_text = screen_text(app)
        assert "Reading a dashboard pane" in help_text
        for words in ("stories/reports in the last 24 hours", "trend:", "unread items"):
            assert words in help_text


async def test_dashboard_shows_the_first_load_begun_before_the_ui(fx):
    from tests.tui_fixtures import clock
    from tui.first_load import FirstLoad

    first = FirstLoad(fx.store, fx.config, clock())
    app = app_for(fx, first_load=first)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.specs is first.specs  # the panes the early load was for
        assert first.take(first.specs) is None  # taken by the dashboard, once
        kabul = screen.pane("Kabul")
        assert kabul.items[0].title == "Explosion near Kabul airport checkpoint"
        assert "24h 1/1" in kabul.head().plain


async def test_a_first_load_for_another_config_is_not_used(fx):
    from tests.tui_fixtures import clock, make_config
    from tui.first_load import FirstLoad

    first = FirstLoad(fx.store, make_config(), clock())  # not the app's config object
    app = app_for(fx, first_load=first)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.specs is not first.specs
        assert first.take(first.specs) is not None  # still there: nobody took it
        assert app.screen.pane("Kabul").items
