"""The autouse fixture really turns blinking and animations off in the app under test."""

from __future__ import annotations

from textual.widgets import Input

from tests.tui_fixtures import app_for, fx  # noqa: F401 - fixture


async def test_app_under_test_neither_animates_nor_blinks(fx):  # noqa: F811
    app = app_for(fx)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.animation_level == "none"
        await pilot.press("slash")
        await pilot.pause()
        inputs = list(app.screen.query(Input))
        assert inputs, "the filter bar should be on screen"
        assert not any(widget.cursor_blink for widget in inputs)
