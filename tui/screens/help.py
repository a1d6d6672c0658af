"""The key reference (`?`), built from the Bindings themselves so it cannot drift."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.screens.base import AfmonScreen

EXTRA = [
    (
        "everywhere",
        "ctrl+p",
        "Command palette: screens, fronts, groups, provinces, actors, saved queries, themes",
    ),
    ("dashboard", "tab / shift+tab", "Next / previous pane"),
    ("dashboard", "up / down", "Pick an item in the pane (Enter opens it)"),
    ("items", "enter", "Open the highlighted item (in stories mode, the story)"),
    ("story", "enter", "Open the highlighted report, or a story that may tell of the same event"),
    ("story", "tab / shift+tab", "Between the story's reports and the stories alike"),
    ("provinces", "enter", "Items of the highlighted province"),
    ("alerts", "enter", "Open the alert's item"),
]


def _key(binding: Binding) -> str:
    keys = binding.key.split(",")[0]
    return {"question_mark": "?", "slash": "/"}.get(keys, keys)


def key_table() -> Table:
    from tui.app import AfmonApp
    from tui.screens.dashboard import DashboardScreen
    from tui.screens.detail import DetailScreen
    from tui.screens.feeds import FeedsScreen
    from tui.screens.items import ItemsScreen
    from tui.screens.map import MapScreen
    from tui.screens.provinces import ProvincesScreen
    from tui.widgets.pane import Pane
    from tui.widgets.province_map import ProvinceMap

    table = Table(box=None, expand=True, show_header=True, header_style="bold")
    table.add_column("where", style="dim", width=12)
    table.add_column("key", style="bold", width=16)
    table.add_column("does")
    sections = [
        ("everywhere", AfmonApp),
        ("dashboard", DashboardScreen),
        ("dashboard", Pane),
        ("items", ItemsScreen),
        ("item detail", DetailScreen),
        ("provinces", ProvincesScreen),
        ("feeds", FeedsScreen),
        ("map", MapScreen),
        ("map", ProvinceMap),
    ]
    for where, owner in sections:
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.show or where not in ("dashboard", "map"):
                table.add_row(where, _key(binding), binding.description)
    for where, key, does in EXTRA:
        table.add_row(where, key, does)
    return table


def pane_legend() -> Table:
    """What a dashboard pane's header and rows say (the same text as the pane's tooltip)."""
    from tui.widgets.pane import LEGEND

    table = Table(box=None, expand=True, show_header=False)
    table.add_column("sign", style="bold", width=12)
    table.add_column("means")
    for sign, meaning in LEGEND:
        table.add_row(sign, meaning)
    return table


class HelpScreen(AfmonScreen):
    BINDINGS = [Binding("escape,question_mark", "close", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("afmon — keys", style="bold"), classes="screen-title")
            yield Static(key_table())
            yield Static(Text("Reading a dashboard pane", style="bold"), classes="screen-title")
            yield Static(pane_legend())
        yield from self.chrome()

    def action_close(self) -> None:
        self.app.pop_screen()
