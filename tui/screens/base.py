"""What every afmon screen shares: the status line and the Footer, and typed access to the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.app import AfmonApp


class AfmonScreen(Screen):
    @property
    def afmon(self) -> AfmonApp:
        return cast("AfmonApp", self.app)

    def chrome(self) -> ComposeResult:
        yield StatusLine()
        yield Footer()
