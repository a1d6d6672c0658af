"""App-level behaviour: global keys, help, command palette, provinces, feeds, alerts, config
reload, the shift handover and the status line."""

# ruff: noqa: F811 - pytest fixtures imported from tests/tui_fixtures.py

from __future__ import annotations

import sys

from textual.widgets import DataTable

from tests.tui_fixtures import (  # noqa: F401 - fixtures
    _utc_localtime,
    add_item,
    app_for,
    corroborate,
    fx,
    palette,
    reports_in,
    screen_text,
    settle,
    wait_for,
)
from tui.screens.alerts import AlertsScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.detail import DetailScreen
from tui.screens.feeds import FeedsScreen
from tui.screens.help import HelpScreen
from tui.screens.items import ItemsScreen
from tui.screens.provinces import ProvincesScreen
from tui.widgets.pane import Pane
from tui.widgets.status_line import StatusLine


async def test_screen_keys_switch_screens_and_q_quits(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key, kind in (
            ("i", ItemsScreen),
            ("p", ProvincesScreen),
            ("F", FeedsScreen),
            ("a", AlertsScreen),
            ("d", DashboardScreen),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, kind), key
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for does in ("Quit", "Handover", "Escalate", "Open link", "Fetch now", "Command palette"):
            assert does in text
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_every_binding_has_an_id_and_a_description():
    from textual.binding import Binding

    from tui.app import AfmonApp
    from tui.screens import alerts, dashboard, detail, feeds, help, items, map, note, provinces
    from tui.widgets.pane import Pane
    from tui.widgets.province_map import ProvinceMap

    owners = [
        AfmonApp,
        dashboard.DashboardScreen,
        items.ItemsScreen,
        detail.DetailScreen,
        provinces.ProvincesScreen,
        feeds.FeedsScreen,
        alerts.AlertsScreen,
        help.HelpScreen,
        note.NoteScreen,
        map.MapScreen,
        Pane,
        ProvinceMap,
    ]
    for owner in owners:
        assert "BINDINGS" in owner.__dict__, owner
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.id and binding.description, (owner, binding)


async def test_command_palette_opens_fronts_provinces_actors_and_queries(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for search, check in (
            ("province: Helmand", lambda s: s.filter.provinces == ("AF-HEL",)),
            ("front: Kabul", lambda s: s.filter.provinces == ("AF-KAB",)),
            ("actor: ISKP", lambda s: s.filter.actors == ("isk",)),
            (
                "query: Kabul ISK",
                lambda s: s.filter.actors == ("isk",) and s.filter.provinces == ("AF-KAB",),
            ),
        ):
            await palette(pilot, search)
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ItemsScreen), search
            assert check(screen), (search, screen.filter)
            await pilot.press("d")


async def test_command_palette_has_theme_switching(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.theme = "textual-light"
        await settle(pilot)
        assert "TOLOnews KAB isk taliban" in screen_text(app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any("theme" in t.lower() for t in titles)


async def test_provinces_lists_all_34_with_counts_and_enter_filters(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 34 + 6
        rows = {table.get_row_at(r)[0].plain: table.get_row_at(r) for r in range(table.row_count)}
        kabul = rows["AF-KAB"]
        assert [c.plain for c in kabul[2:5]] == ["1", "2", "1"]
        assert rows["AF-PAN"][3].plain == "3"
        assert table.get_row_at(0)[0].plain == "AF-PAN"  # busiest first
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemsScreen)
        assert app.screen.filter.provinces == ("AF-PAN",)


async def test_feeds_screen_shows_health_and_r_asks_the_collector(fx):
    requested = []

    class FakeCollector:
        def request_refresh(self, feed_id=None):
            requested.append(feed_id)

    app = app_for(fx)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        text = screen_text(app)
        assert "Khaama Press" in text and "HTTP 503 Service Unavailable" in text
        assert "error" in text and "503" in text and "in 30 min" in text
        table = app.screen.query_one(DataTable)
        names = [table.get_row_at(r)[0].plain for r in range(table.row_count)]
        await pilot.press("r")  # no collector: refused with a notification
        await settle(pilot)
        assert any("not running" in n.message for n in app.notices)
        app.collector = FakeCollector()
        table.move_cursor(row=names.index("Khaama Press"))
        await pilot.press("r")
        assert requested == [fx.feed_ids[3]]


async def test_new_alerts_notify_ring_and_run_the_notify_command(fx, tmp_path):
    out = tmp_path / "notified.txt"
    script = tmp_path / "notify.py"
    script.write_text(f"import sys, pathlib\npathlib.Path({str(out)!r}).write_text(sys.argv[-1])\n")
    settings = fx.config.settings.model_copy(
        update={"notify_command": [sys.executable, str(script)], "bell": True}
    )
    fx.config = fx.config.model_copy(update={"settings": settings})
    app = app_for(fx)
    bells = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert "ISKP attack in Kabul" in screen_text(app)  # the existing alert is listed...
        assert not any(n.title == "Alert" for n in app.notices)  # ...not announced
        item = add_item(
            fx.store, fx.feed_ids[0], "a2", "Second blast in Kabul", words={"AF-KAB": "Kabul"}
        )
        fx.store.add_alert("ISKP attack in Kabul", item, "ISKP attack in Kabul: second")
        assert await wait_for(pilot, lambda: any(n.title == "Alert" for n in app.notices))
        note = next(n for n in app.notices if n.title == "Alert")
        assert note.message == "ISKP attack in Kabul: Second blast in Kabul"
        assert bells == [1]
        assert await wait_for(pilot, lambda: out.exists())
        assert out.read_text() == "ISKP attack in Kabul: Second blast in Kabul"
        await settle(pilot)
        assert "second" in screen_text(app)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.item_id == item


async def test_config_reload_swaps_panes_or_keeps_the_old_config(fx, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[[fronts]]\nname = "Kabul"\nprovinces = ["AF-KAB"]\n')
    app = app_for(fx, config_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(app.screen.query(Pane)) == 17
        # The first poll records the file's mtime; a later change is what reloads.
        assert await wait_for(pilot, lambda: app._config_mtime is not None, 10)
        import os

        path.write_text(
            '[[fronts]]\nname = "Capital"\nprovinces = ["AF-KAB"]\n'
            '[[threat_groups]]\nname = "ISKP"\nactors = ["isk"]\n'
        )
        os.utime(path, ns=(1, 10**18))
        assert await wait_for(pilot, lambda: len(app.screen.query(Pane)) == 2, 6)
        await settle(pilot)
        assert [p.spec.name for p in app.screen.query(Pane)] == ["Capital", "ISKP"]
        assert app.screen.pane("Capital").items[0].title.startswith("Explosion near Kabul")
        assert any(n.message.startswith("config reloaded") for n in app.notices)
        path.write_text('[[fronts]]\nname = "Bad"\nprovinces = ["AF-XXX"]\nbogus = 1\n')
        os.utime(path, ns=(2, 2 * 10**18))
        assert await wait_for(pilot, lambda: any(n.title == "Config error" for n in app.notices), 6)
        error = next(n for n in app.notices if n.title == "Config error")
        assert "AF-XXX" in error.message and "bogus" in error.message
        assert [p.spec.name for p in app.screen.query(Pane)] == ["Capital", "ISKP"]
        assert app.config.fronts[0].name == "Capital"


async def test_handover_writes_escalated_and_new_items(fx, tmp_path, monkeypatch):
    reports_in(fx, tmp_path)
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_item(2)
        await settle(pilot)
        await pilot.press("e", *"NRF claims need checking", "enter")
        assert await wait_for(pilot, lambda: fx.store.get_item(2).escalated is not None)
        await pilot.press("escape")
        add_item(
            fx.store, fx.feed_ids[1], "h1", "Fresh report from [Kunar]", words={"AF-KNR": "Kunar"}
        )
        await settle(pilot)
        await pilot.press("H")
        path = tmp_path / "afmon-handover-20261120-1200.md"
        assert await wait_for(pilot, path.exists)
        text = path.read_text()
        assert "## Escalated (1)" in text
        assert f"**{fx.store.get_item(2).title}**" in text
        assert "escalated 2026-11-20 12:00 UTC: NRF claims need checking" in text
        assert "## New since the watch began (1)" in text
        assert "Fresh report from \\[Kunar\\]" in text
        assert any(str(path) in n.message for n in app.notices)


async def test_status_line_shows_viewer_mode_and_new_items(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "viewer · not collecting" in screen_text(app)
        add_item(fx.store, fx.feed_ids[0], "n1", "Something new", words={"AF-KAB": "new"})
        assert await wait_for(pilot, lambda: "1 new" in screen_text(app))


async def test_m_opens_the_map_and_enter_filters_items_by_province(fx):
    from tui.screens.map import MapScreen
    from tui.widgets.province_map import ProvinceMap

    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MapScreen)
        assert "Stories by province" in screen_text(app)
        app.screen.query_one(ProvinceMap).cursor = "AF-HEL"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ItemsScreen)
        assert screen.filter.provinces == ("AF-HEL",)
        assert 'province:"Helmand" since:24h' in screen_text(app)
        await pilot.press("m", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ItemsScreen)  # where the map was opened from


async def test_enter_on_the_map_keeps_its_time_window(fx):
    from datetime import timedelta

    from tests.tui_fixtures import NOW
    from tui.widgets.province_map import ProvinceMap

    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m", "w")  # the 7-day window
        await settle(pilot)
        app.screen.query_one(ProvinceMap).cursor = "AF-HEL"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ItemsScreen)
        assert screen.filter.since == NOW - timedelta(days=7)
        assert {i.title for i in screen.items.values()} == {
            "Helmand farmers protest poppy eradication"
        }  # the ISKP arrest 300 h ago is outside the map's window


async def test_command_palette_opens_the_map(fx):
    from tui.screens.map import MapScreen

    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await palette(pilot, "screen: map")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MapScreen)


async def test_S_writes_a_sitrep_with_a_heading_per_front_and_group(fx, tmp_path, monkeypatch):
    reports_in(fx, tmp_path)
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        path = tmp_path / "afmon-sitrep-20261120-1200.md"
        assert await wait_for(pilot, path.exists, 10)
        await settle(pilot)
        text = path.read_text()
        assert text.startswith("# Situation report, 2026-11-20 12:00 UTC")
        for front in fx.config.fronts:
            assert f"## Front: {front.name}" in text
        for group in fx.config.threat_groups:
            assert f"## Threat group: {group.name}" in text
        assert "Explosion near Kabul airport checkpoint" in text
        assert any(str(path) in n.message for n in app.notices)


async def test_command_palette_writes_a_sitrep(fx, tmp_path, monkeypatch):
    reports_in(fx, tmp_path)
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await palette(pilot, "report: sitrep")
        await pilot.press("enter")
        assert await wait_for(pilot, (tmp_path / "afmon-sitrep-20261120-1200.md").exists, 10)


async def test_a_filter_saved_by_name_becomes_a_query_and_a_pane(fx, tmp_path):
    from core.config import load_config
    from tui.screens.items import ItemsScreen

    path = tmp_path / "config.toml"
    path.write_text(
        '# the operator\'s comment stays\n[[fronts]]\nname = "Kabul"\nprovinces = ["AF-KAB"]\n'
    )
    app = app_for(fx, config_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ItemsScreen)
        app.screen.query_one("#filter").value = "actor:isk since:7d"
        await pilot.press("P")  # save as a dashboard pane
        await settle(pilot)
        for key in "ISK week":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        assert await wait_for(
            pilot, lambda: any(q.name == "ISK week" for q in app.config.queries), 5
        )
        saved = load_config(path)
        assert [(q.name, q.query, q.pane) for q in saved.queries] == [
            ("ISK week", "actor:isk since:7d", True)
        ]
        assert path.read_text().startswith("# the operator's comment stays")
        await pilot.press("d")
        assert await wait_for(pilot, lambda: app.screen.pane("ISK week") is not None)
        # A name already taken is refused and the file is left as it was.
        before = path.read_text()
        app.save_query("ISK week", "actor:ttp", False)
        assert await wait_for(
            pilot, lambda: any("query not saved" in n.message for n in app.notices), 5
        )
        assert path.read_text() == before


async def test_a_burst_of_alerts_is_summarised_not_a_wall_of_toasts(fx):
    app = app_for(fx)
    bells = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for n in range(8):
            item = add_item(
                fx.store,
                fx.feed_ids[0],
                f"burst{n}",
                f"Blast {n} in Kabul",
                words={"AF-KAB": "Kabul"},
            )
            fx.store.add_alert("ISKP attack in Kabul", item, f"burst {n}")
        assert await wait_for(pilot, lambda: any(n.title == "Alerts" for n in app.notices), 5)
        await settle(pilot)
        toasts = list(app._notifications)
        assert len(toasts) == 1  # one toast for the whole burst
        said = " ".join(toasts[0].message.split())
        assert said.startswith("8 new alerts: press a to see them all")
        assert said.endswith("Blast 7 in Kabul")  # the newest is shown
        assert bells == [1]  # one ring for the burst


async def test_acknowledging_an_escalated_item_keeps_the_escalation_and_the_note(
    fx, tmp_path, monkeypatch
):
    reports_in(fx, tmp_path)
    store = fx.store
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_item(2)
        await settle(pilot)
        await pilot.press("n", *"call the NRF desk", "enter")
        assert await wait_for(pilot, lambda: store.get_item(2).note == "call the NRF desk")
        await pilot.press("e", *"two outlets, one source", "enter")
        assert await wait_for(pilot, lambda: store.get_item(2).escalated is not None)
        await settle(pilot)
        await pilot.press("k")
        assert await wait_for(pilot, lambda: store.get_item(2).acknowledged is not None)
        item = store.get_item(2)
        assert item.escalation == "two outlets, one source"
        assert item.note == "call the NRF desk"
        await settle(pilot)
        text = screen_text(app)
        assert "‼ escalated" in text and "✓ acknowledged" in text
        await pilot.press("escape", "H")
        path = tmp_path / "afmon-handover-20261120-1200.md"
        assert await wait_for(pilot, path.exists)
        handover = path.read_text()
        assert "## Escalated (1)" in handover
        assert "escalated 2026-11-20 12:00 UTC: two outlets, one source" in handover
        assert "acknowledged 2026-11-20 12:00 UTC" in handover
        assert "note: call the NRF desk" in handover


# A Dari headline long enough to wrap in a toast and to be cut in an 80-column table.
DARI = (
    "نیروهای طالبان پس از درگیری شدید در ولسوالی دره ولایت پنجشیر ده‌ها تن از ساکنان محل را"
    " بازداشت کردند و راه‌های ورودی را بستند"
)
DARI_WORDS = DARI.split()


def _toast_lines(app) -> list[str]:
    """The screen rows each toast covers, cut to its columns."""
    from textual.widgets._toast import Toast

    rows = screen_text(app).splitlines()
    out = []
    for toast in app.screen.query(Toast):
        region = toast.region
        out += [rows[y][region.x : region.right] for y in range(region.y, region.bottom)]
    return out


def _shown(word: str) -> str:
    from bidi import get_display

    return get_display(word)


async def test_handover_and_notify_command_get_dari_titles_in_logical_order(
    fx, tmp_path, monkeypatch
):
    reports_in(fx, tmp_path)
    out = tmp_path / "notified.txt"
    script = tmp_path / "notify.py"
    script.write_text(
        f"import sys, pathlib\npathlib.Path({str(out)!r}).write_text(sys.argv[-1], 'utf-8')\n"
    )
    settings = fx.config.settings.model_copy(
        update={"notify_command": [sys.executable, str(script)]}
    )
    fx.config = fx.config.model_copy(update={"settings": settings})
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        item = add_item(fx.store, fx.feed_ids[2], "fa1", DARI, words={"AF-PAN": "پنجشیر"})
        fx.store.add_alert("Fighting in Panjshir or Andarab", item, "Fighting: " + DARI)
        assert await wait_for(pilot, out.exists)
        assert out.read_text("utf-8") == f"Fighting in Panjshir or Andarab: {DARI}"
        await pilot.press("H")
        path = tmp_path / "afmon-handover-20261120-1200.md"
        assert await wait_for(pilot, path.exists)
        assert f"**{DARI}**" in path.read_text("utf-8")


async def test_a_dari_alert_toast_wraps_with_the_sentence_start_on_its_first_line(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        item = add_item(fx.store, fx.feed_ids[2], "fa2", DARI, words={"AF-PAN": "پنجشیر"})
        fx.store.add_alert("Fighting in Panjshir or Andarab", item, "Fighting: " + DARI)
        assert await wait_for(pilot, lambda: any(n.title == "Alert" for n in app.notices))
        await settle(pilot)
        lines = _toast_lines(app)
        lines = [x for x in lines if _shown(DARI_WORDS[0]) in x or _shown(DARI_WORDS[-1]) in x]
        assert len(lines) >= 2, screen_text(app)  # it wrapped
        assert _shown(DARI_WORDS[0]) in lines[0] and _shown(DARI_WORDS[-1]) in lines[-1]


async def test_the_alerts_table_keeps_the_start_of_a_dari_title_at_80_columns(fx):
    item = add_item(fx.store, fx.feed_ids[2], "fa3", DARI, words={"AF-PAN": "پنجشیر"})
    fx.store.add_alert("Fighting in Panjshir or Andarab", item, DARI)
    app = app_for(fx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        text = screen_text(app)
        assert _shown(DARI_WORDS[0]) in text and _shown(DARI_WORDS[1]) in text, text


async def test_alerts_are_one_row_per_story_acknowledged_and_dismissed(fx):
    copy = corroborate(fx)
    fx.store.add_alert("ISKP attack in Kabul", copy, "ISKP attack in Kabul: copy")
    app = app_for(fx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "2 alerts" in screen_text(app)  # the status line counts open alerts
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AlertsScreen)
        (row,) = screen.rows.values()  # two reports of one story, one row
        assert row.reports == 2 and len(row.alerts) == 2 and row.new
        text = screen_text(app)
        assert "Explosion near Kabul airport checkpoint" in text  # whole, under the table
        await pilot.press("k")
        assert await wait_for(pilot, lambda: all(a.acknowledged for a in fx.store.alerts()))
        await settle(pilot)
        assert not screen.rows[row.key].new
        assert "alerts" not in screen_text(app).splitlines()[-2]  # status line: none open
        await pilot.press("x")
        assert await wait_for(pilot, lambda: not fx.store.alerts(dismissed=False))
        await settle(pilot)
        assert screen.rows == {} and "no alerts" in screen_text(app)
        assert len(fx.store.alerts()) == 2  # dismissed, not deleted
        await pilot.press("u")
        assert await wait_for(pilot, lambda: len(fx.store.alerts(dismissed=False)) == 2)


async def test_status_line_counts_escalated_items(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "escalated" not in screen_text(app)
        app.open_item(2)
        await settle(pilot)
        await pilot.press("e", *"check", "enter")
        assert await wait_for(pilot, lambda: "‼1 escalated" in screen_text(app))


async def test_escape_always_returns_to_the_previous_place(fx):
    from tui.screens.map import MapScreen

    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for there, back in (
            ("i", DashboardScreen),
            ("p", DashboardScreen),
            ("F", DashboardScreen),
            ("a", DashboardScreen),
        ):
            await pilot.press(there)
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, back), there
        # A chain: items, feeds, the map; escape walks it back.
        for key in ("i", "F", "m"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, MapScreen)
        for expected in (FeedsScreen, ItemsScreen, DashboardScreen):
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, expected)
        # From the provinces to the map and back: the provinces, not the dashboard.
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProvincesScreen)


async def test_command_palette_shows_config_names_and_query_text_as_text(fx):
    from core.config import FrontConfig, SavedQuery, ThreatGroupConfig

    fx.config = fx.config.model_copy(
        update={
            "fronts": [
                FrontConfig(name="[bold red]Capital[/] [@click=app.quit]q[/]", provinces=["AF-KAB"])
            ],
            "threat_groups": [ThreatGroupConfig(name="[i]Khorasan[/i]", actors=["isk"])],
            "queries": [SavedQuery(name="[u]Watched[/u]", query='"[b]airport[/b]"')],
        }
    )
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for search, literals in (
            ("capital", ["front: [bold red]Capital[/] [@click=app.quit]q[/]"]),
            ("khorasan", ["group: [i]Khorasan[/i]"]),
            ("watched", ["query: [u]Watched[/u]", '"[b]airport[/b]"']),
        ):
            await palette(pilot, search)
            text = screen_text(app)
            for literal in literals:
                assert literal in text, (literal, text)
            await pilot.press("escape")
            await settle(pilot)
        assert app.is_running


async def test_a_failed_map_query_is_reported_not_dropped(fx):
    import sqlite3

    from tui.screens.map import MapScreen

    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # Another process breaks the database under the monitor: the map's query fails.
        conn = sqlite3.connect(fx.path)
        conn.execute("ALTER TABLE item_stories RENAME TO item_stories_gone")
        conn.commit()
        conn.close()
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MapScreen)
        errors = [n for n in app.notices if n.severity == "error"]
        assert any("map" in n.message and "item_stories" in n.message for n in errors), [
            n.message for n in app.notices
        ]
        assert "map query failed" in screen_text(app)


async def test_times_are_shown_in_the_configured_zone_with_utc_beside_in_the_detail(fx):
    from core.config import Settings

    fx.config = fx.config.model_copy(update={"settings": Settings()})  # the default zone
    assert fx.config.settings.timezone == "Asia/Kabul"
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # The Kabul blast, 11:30 UTC: 16:00 in Kabul (UTC+4:30).
        assert "●  16:00 TOLOnews KAB isk taliban" in screen_text(app)
        app.open_item(1)
        await settle(pilot)
        assert "2026-11-20 16:00 Asia/Kabul (11:30 UTC)" in screen_text(app)


async def test_reports_go_to_the_reports_directory_under_names_that_never_collide(fx, tmp_path):
    reports = tmp_path / "reports"
    reports_in(fx, reports)
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(2):  # two handovers in one minute (the clock is fixed)
            await pilot.press("H")
            await settle(pilot)
        names = sorted(p.name for p in reports.iterdir())
        assert names == ["afmon-handover-20261120-1200-2.md", "afmon-handover-20261120-1200.md"]
        # The full path is on screen (in the notification).
        messages = [n.message for n in app.notices]
        assert any(str(reports / "afmon-handover-20261120-1200-2.md") in m for m in messages)


async def test_the_default_reports_directory_is_in_the_user_data_directory(fx):
    from platformdirs import user_data_path

    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("H")
        await settle(pilot)
        expected = user_data_path("afmon") / "reports" / "afmon-handover-20261120-1200.md"
        assert await wait_for(pilot, expected.exists)


async def test_the_first_handover_does_not_list_the_backfill_as_new(fx, tmp_path):
    reports_in(fx, tmp_path)
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # A first collect: a month of reports stored now, and one report of this hour.
        for day in range(1, 31):
            add_item(fx.store, fx.feed_ids[0], f"old{day}", f"Backfill {day}", hours_ago=24 * day)
        add_item(fx.store, fx.feed_ids[1], "fresh", "Fresh report from Kunar", hours_ago=0.5)
        await pilot.press("H")
        path = tmp_path / "afmon-handover-20261120-1200.md"
        assert await wait_for(pilot, path.exists)
        text = path.read_text()
        assert "## New since the watch began (1)" in text
        assert "Fresh report from Kunar" in text and "Backfill" not in text
        assert "Not listed: 30 older reports (published before 2026-11-20 11:00 UTC)" in text


async def test_toasts_raised_in_a_burst_collapse_into_one(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        for n in range(5):
            app.notify(f"feed {n} failed", title="Error", severity="error" if n == 2 else "warning")
        assert await wait_for(pilot, lambda: len(app.notices) == 5)
        await settle(pilot)
        [toast] = list(app._notifications)
        assert toast.title == "Error ×5" and toast.severity == "error"
        assert toast.message.startswith("feed 4 failed") and "+4 earlier" in toast.message
        assert "feed 4 failed" in screen_text(app)
        assert "feed 3 failed" not in screen_text(app)


async def test_m_mutes_toasts_and_the_status_line_counts_them(fx):
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "M                 Mute toasts" in screen_text(app)  # help names the key
        await pilot.press("escape")
        await pilot.press("M")
        await settle(pilot)
        app.notify("config reloaded")
        app.notify("handover written: /tmp/x.md", title="Handover")
        assert await wait_for(pilot, lambda: app.status.held == 2)
        await settle(pilot)
        assert not list(app._notifications)
        status = app.screen.query_one(StatusLine)
        shown = str(status.render())
        assert "✉2 muted (M) Handover handover written" in shown
        await pilot.press("M")  # on again: one toast for what was held
        await settle(pilot)
        [toast] = list(app._notifications)
        assert toast.title == "Notices ×2" and "handover written" in toast.message
        assert app.status.held == 0 and "✉" not in str(status.render())


async def test_at_80x24_toasts_never_cover_panes_and_the_status_line_counts_them(fx):
    app = app_for(fx)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        before = screen_text(app).splitlines()[:-2]  # the panes, without status and footer
        for n in range(3):
            app.notify(f"Sitrep written: report {n}", title="Sitrep")
        assert await wait_for(pilot, lambda: app.status.held == 3)
        await settle(pilot)
        assert not list(app._notifications)
        assert screen_text(app).splitlines()[:-2] == before  # nothing drawn over the panes
        status = screen_text(app).splitlines()[-2]
        assert "✉3 Sitrep Sitrep written: report 2" in status
        # Given room again, what was held is one toast.
        await pilot.resize_terminal(120, 40)
        assert await wait_for(pilot, lambda: len(list(app._notifications)) == 1)
        assert app.status.held == 0
