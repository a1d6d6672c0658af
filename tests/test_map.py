"""The province map: snapshots at 80x24 and 120x40 over a fixture database with a fixed clock,
and Pilot tests of moving, the detail line and Enter."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.app import App

from analysis.storage import assign_pending
from tests.benchmods import bench_module
from tui.screens.map import MapScreen
from tui.widgets.province_map import LAYOUT, ProvinceMap, level

NOW = datetime(2025, 3, 14, 20, 0, tzinfo=UTC)


def _bench():
    return bench_module("cluster_bench")


@pytest.fixture
def store(tmp_path):
    bench = _bench()
    store, _ids = bench.fill_store(tmp_path / "map.db", bench.load_cases())
    assign_pending(store)
    yield store
    store.close()


class MapApp(App):
    """Just the map screen over a store, with the clock fixed."""

    def __init__(self, store):
        super().__init__()
        self.store = store
        self.chosen: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(MapScreen(self.store, clock=lambda: NOW))

    def on_map_screen_filter_province(self, message: MapScreen.FilterProvince) -> None:
        self.chosen.append(message.code)


async def _loaded(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_layout_places_every_province_once():
    from core.vocab import PROVINCES

    assert set(LAYOUT) == set(PROVINCES)
    assert len(set(LAYOUT.values())) == len(LAYOUT)


def test_level_scales_to_busiest_province():
    assert [level(c, 8) for c in (0, 1, 2, 3, 4, 6, 8)] == [0, 1, 1, 2, 2, 3, 4]
    assert level(5, 0) == 0


def test_map_snapshot_80x24(snap_compare, store):
    assert snap_compare(MapApp(store), terminal_size=(80, 24), run_before=_loaded)


def test_map_snapshot_120x40(snap_compare, store):
    assert snap_compare(MapApp(store), terminal_size=(120, 40), run_before=_loaded)


async def test_arrows_move_and_detail_shows_counts(store):
    app = MapApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        view = app.screen.query_one(ProvinceMap)
        assert view.cursor == "AF-KAB"
        detail = app.screen.query_one("#map-detail")
        assert "Kabul (AF-KAB)" in str(detail.render())
        path = []
        for key in ("right", "down", "down", "left", "up"):
            await pilot.press(key)
            path.append(view.cursor)
        assert path == ["AF-NAN", "AF-KHO", "AF-PKA", "AF-ZAB", "AF-DAY"]
        await pilot.pause()
        text = str(app.screen.query_one("#map-detail").render())
        assert f"({view.cursor})" in text and "stories" in text and "7d:" in text


async def test_enter_posts_filter_province(store):
    app = MapApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("up", "enter")
        await pilot.pause()
        assert app.chosen == ["AF-PAR"]


async def test_mouse_over_a_province_highlights_it(store):
    app = MapApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        view = app.screen.query_one(ProvinceMap)
        col, row = LAYOUT["AF-HER"]
        cw, ch = view._cell_size()
        await pilot.hover(ProvinceMap, offset=(view._origin() + col * cw + 1, row * (ch + 1)))
        await pilot.pause()
        assert view.cursor == "AF-HER"
        assert "Herat (AF-HER)" in str(app.screen.query_one("#map-detail").render())
