"""A schematic map of Afghanistan: 34 province cells placed roughly where the provinces lie,
coloured by activity. Arrow keys (or the mouse) move between provinces; Enter selects.

Drawn as one Rich Text (34 cells are cheap), sized from the widget: 11 columns by 7 rows of
cells, each at least 5x1 characters, so it stays readable at 80x24 and grows at 120x40.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.events import Click, MouseMove
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from core.vocab import PROVINCES

# (column, row) of each province on an 11 x 7 grid: longitude and latitude rounded, then
# nudged so no two provinces share a cell and neighbours stay neighbours.
LAYOUT: dict[str, tuple[int, int]] = {
    "AF-JOW": (4, 0),
    "AF-BAL": (5, 0),
    "AF-KDZ": (7, 0),
    "AF-TAK": (8, 0),
    "AF-BDS": (10, 0),
    "AF-FYB": (3, 1),
    "AF-SAR": (4, 1),
    "AF-SAM": (6, 1),
    "AF-BGL": (7, 1),
    "AF-PAN": (8, 1),
    "AF-NUR": (9, 1),
    "AF-BDG": (2, 2),
    "AF-BAM": (6, 2),
    "AF-PAR": (7, 2),
    "AF-KAP": (8, 2),
    "AF-LAG": (9, 2),
    "AF-KNR": (10, 2),
    "AF-HER": (0, 3),
    "AF-GHO": (3, 3),
    "AF-WAR": (6, 3),
    "AF-KAB": (7, 3),
    "AF-NAN": (9, 3),
    "AF-DAY": (5, 4),
    "AF-GHA": (6, 4),
    "AF-LOG": (7, 4),
    "AF-PIA": (8, 4),
    "AF-KHO": (9, 4),
    "AF-FRA": (0, 5),
    "AF-URU": (4, 5),
    "AF-ZAB": (5, 5),
    "AF-PKA": (7, 5),
    "AF-NIM": (0, 6),
    "AF-HEL": (2, 6),
    "AF-KAN": (4, 6),
}
COLUMNS, ROWS = 11, 7
# Background per activity level: none, then four steps up to the busiest province.
LEVELS = (
    "grey70 on grey23",
    "black on #87af5f",
    "black on #d7d75f",
    "black on #ff8700",
    "bold white on #d70000",
)
_BY_CELL = {cell: code for code, cell in LAYOUT.items()}


def level(count: int, top: int) -> int:
    """0 for no activity, else 1-4 by share of the busiest province's count."""
    if count <= 0 or top <= 0:
        return 0
    return max(1, min(4, -(-4 * count // top)))


class ProvinceMap(Widget, can_focus=True):
    """The map. Feed it counts with `set_counts`; it posts Highlighted and Selected."""

    DEFAULT_CSS = """
    ProvinceMap { height: auto; width: 1fr; }
    """
    BINDINGS = [
        Binding("up", "move(0, -1)", "North", show=False, id="map.up"),
        Binding("down", "move(0, 1)", "South", show=False, id="map.down"),
        Binding("left", "move(-1, 0)", "West", show=False, id="map.left"),
        Binding("right", "move(1, 0)", "East", show=False, id="map.right"),
        Binding("enter", "select", "Filter by province", id="map.select"),
    ]

    cursor: reactive[str] = reactive("AF-KAB")

    class Highlighted(Message):
        def __init__(self, code: str):
            self.code = code
            super().__init__()

    class Selected(Message):
        def __init__(self, code: str):
            self.code = code
            super().__init__()

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ):
        super().__init__(name=name, id=id, classes=classes)
        self.counts: dict[str, int] = {}
        self.marked: frozenset[str] = frozenset()

    def set_counts(self, counts: dict[str, int], marked: frozenset[str] = frozenset()) -> None:
        """Activity per province code; `marked` provinces (surges) get a '!'."""
        self.counts = dict(counts)
        self.marked = frozenset(marked)
        self.refresh(layout=True)

    # -- geometry ------------------------------------------------------------------------
    def _cell_size(self) -> tuple[int, int]:
        width = self.size.width or 80
        return max(5, min(10, width // COLUMNS)), 2 if width < 110 else 3

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return ROWS * (2 if width < 110 else 3) + ROWS - 1

    def _origin(self) -> int:
        cw, _ = self._cell_size()
        return max(0, (self.size.width - COLUMNS * cw) // 2)

    def province_at(self, x: int, y: int) -> str | None:
        cw, ch = self._cell_size()
        col, dx = divmod(x - self._origin(), cw)
        row, dy = divmod(y, ch + 1)
        if x < self._origin() or dx >= cw - 1 or dy >= ch:
            return None
        return _BY_CELL.get((col, row))

    # -- drawing -------------------------------------------------------------------------
    def render(self) -> Text:
        cw, ch = self._cell_size()
        top = max(self.counts.values(), default=0)
        pad = " " * self._origin()
        lines: list[Text] = []
        for row in range(ROWS):
            for sub in range(ch):
                line = Text(pad)
                for col in range(COLUMNS):
                    code = _BY_CELL.get((col, row))
                    if code is None:
                        line.append(" " * cw)
                        continue
                    count = self.counts.get(code, 0)
                    style = LEVELS[level(count, top)]
                    if code == self.cursor:
                        style += " reverse" if self.has_focus else " underline"
                    if sub == 0:
                        label = code[3:]
                    elif sub == 1:
                        label = f"{count}{'!' if code in self.marked else ''}"
                    else:
                        label = ""
                    line.append(label.center(cw - 1)[: cw - 1], style=style)
                    line.append(" ")
                lines.append(line)
            if row < ROWS - 1:
                lines.append(Text(""))
        return Text("\n").join(lines)

    # -- interaction ---------------------------------------------------------------------
    def watch_cursor(self, code: str) -> None:
        self.post_message(self.Highlighted(code))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, dx: int, dy: int) -> None:
        """Go to the nearest province in that direction (straight ahead counts double)."""
        col, row = LAYOUT[self.cursor]
        best, best_cost = None, None
        for code, (c, r) in LAYOUT.items():
            ahead = (c - col) * dx + (r - row) * dy
            if ahead <= 0:
                continue
            aside = abs((c - col) * dy) + abs((r - row) * dx)
            cost = ahead + 2 * aside
            if best_cost is None or cost < best_cost:
                best, best_cost = code, cost
        if best is not None:
            self.cursor = best
            self.refresh()

    def action_select(self) -> None:
        self.post_message(self.Selected(self.cursor))

    def on_mouse_move(self, event: MouseMove) -> None:
        code = self.province_at(event.x, event.y)
        if code and code != self.cursor:
            self.cursor = code
            self.refresh()

    def on_click(self, event: Click) -> None:
        code = self.province_at(event.x, event.y)
        if code:
            self.cursor = code
            self.post_message(self.Selected(code))

    @staticmethod
    def name_of(code: str) -> str:
        return PROVINCES.get(code, code)
