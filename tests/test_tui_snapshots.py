"""Snapshot tests (pytest-textual-snapshot) at 80x24 and 120x40 with a fixed clock.

Update only after reading the report: `pytest tests/test_tui_snapshots.py --snapshot-update`.
"""

# ruff: noqa: F811 - pytest fixtures imported from tests/tui_fixtures.py

from __future__ import annotations

import pytest

from tests.tui_fixtures import _utc_localtime, app_for, fx, settle  # noqa: F401 - fixtures

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def keys(*pressed: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot)  # the last key's workers and their repaint, before the screenshot

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare, fx, size):
    assert snap_compare(app_for(fx), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_items(snap_compare, fx, size):
    assert snap_compare(app_for(fx), terminal_size=size, run_before=keys("i"))


@pytest.mark.parametrize("size", SIZES)
def test_detail(snap_compare, fx, size):
    assert snap_compare(app_for(fx), terminal_size=size, run_before=keys("i", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_provinces(snap_compare, fx, size):
    assert snap_compare(app_for(fx), terminal_size=size, run_before=keys("p"))


@pytest.mark.parametrize("size", SIZES)
def test_feeds(snap_compare, fx, size):
    assert snap_compare(app_for(fx), terminal_size=size, run_before=keys("F"))
