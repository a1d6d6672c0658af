"""The one door for untrusted text into the UI.

Every feed string (titles, summaries, outlets, errors, notes, config names) reaches a widget
through `safe_text` (or `safe_cell` for a whole table cell): `core.sanitize.clean` strips
escapes, control characters and bidi overrides, right-to-left runs are reordered for the
terminal with python-bidi, and the result is a `rich.text.Text`, which Textual never parses as
markup. Never hand a widget a feed string as a plain `str`: Textual 8 parses plain strings in
Static and DataTable cells as markup.

Two orders, never mixed up:
- the screen needs DISPLAY order (`safe_text`, `safe_cell`, `plain`, `toast_text`), and text
  is cut or wrapped in logical order *before* it is reordered, or the cut lands on the
  sentence's beginning;
- files, `notify_command`, the clipboard and input fields need LOGICAL order (`logical`), as
  the feed wrote it.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

from bidi import get_display
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from core.sanitize import clean

# Hebrew, Arabic, Syriac, Thaana, NKo ... and the Arabic presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def display_line(text: str) -> str:
    """Reorder one line for a left-to-right terminal when it holds right-to-left script."""
    if _RTL.search(text):
        return get_display(text)
    return text


def is_rtl(text: str) -> bool:
    """Whether `text` reads right to left: its first strong character is Hebrew or Arabic
    script (the paragraph direction the bidi algorithm gives it)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def fit_cells(text: str, width: int) -> str:
    """`text` cut in LOGICAL order to `width` terminal cells, "…" at the logical end.

    For right-to-left text this must happen before reordering: a widget cropping the
    reordered line cuts its visual right end, i.e. the beginning of the sentence.
    """
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        used += cell_len(char)
        if used > width - 1:
            break
        out.append(char)
    return "".join(out).rstrip() + "…"


def display_fit(line: str, width: int, *, align: bool = True) -> str:
    """One sanitised line for a `width`-cell slot. A line holding right-to-left script is
    truncated in logical order, then reordered (a left-to-right line with a Dari title in it
    too: cropped after reordering, it would lose the title's beginning); a right-to-left line
    is also (with `align`) right-aligned by padding on the left. Other lines are left to the
    widget's own ellipsis."""
    if not _RTL.search(line):
        return line
    shown = get_display(fit_cells(line, width), base_dir="R" if is_rtl(line) else "L")
    if align and is_rtl(line):
        return " " * max(0, width - cell_len(shown)) + shown
    return shown


def logical(value: object, *, max_len: int | None = None, multiline: bool = False) -> str:
    """Sanitised text in LOGICAL order: for files, `notify_command`, the clipboard and input
    fields (anything but the screen)."""
    return clean(None if value is None else str(value), max_len=max_len, multiline=multiline)


def toast_text(value: object, width: int, *, max_len: int | None = 600) -> str:
    """Sanitised display text for a toast `width` cells wide. Lines holding right-to-left
    script are wrapped in logical order and each piece reordered on its own (reordered first,
    the toast would wrap the sentence's end onto its first line); right-to-left lines are
    right-aligned. Other lines are left to the toast's own wrapping."""
    width = max(8, width)
    out: list[str] = []
    for line in logical(value, max_len=max_len, multiline=True).split("\n"):
        if not _RTL.search(line):
            out.append(line)
            continue
        rtl = is_rtl(line)
        for piece in textwrap.wrap(line, width, break_long_words=True) or [""]:
            shown = get_display(piece, base_dir="R" if rtl else "L")
            out.append(" " * max(0, width - cell_len(shown)) + shown if rtl else shown)
    return "\n".join(out)


class FitLine:
    """One line of untrusted text that fits itself to the width it is rendered at: a table
    cell or a status line, whatever its width turns out to be (see `display_fit`)."""

    def __init__(self, value: object, style: str = "", *, max_len: int | None = None) -> None:
        self.line = logical(value, max_len=max_len)
        self.style = style

    @property
    def plain(self) -> str:
        """The whole line in display order."""
        return display_line(self.line)

    def __str__(self) -> str:
        return self.plain

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = cell_len(self.line)
        return Measurement(min(width, 4), width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        shown = display_fit(self.line, options.max_width)
        yield Text(shown, style=self.style, no_wrap=True, overflow="ellipsis", end="")


def safe_cell(value: object, style: str = "", *, max_len: int | None = None) -> FitLine:
    """Untrusted `value` as a whole table cell (or line): sanitised, never markup, cut to the
    cell's width in logical order before it is reordered."""
    return FitLine(value, style, max_len=max_len)


def plain(value: object, *, max_len: int | None = None, multiline: bool = False) -> str:
    """Sanitised, display-ordered plain text, for the screen where a str is needed. Never for
    files or other programs: they need `logical`."""
    cleaned = clean(None if value is None else str(value), max_len=max_len, multiline=multiline)
    return "\n".join(display_line(line) for line in cleaned.split("\n"))


def safe_text(
    value: object,
    style: str = "",
    *,
    max_len: int | None = None,
    multiline: bool = False,
    no_wrap: bool = False,
    width: int | None = None,
    align: bool = True,
) -> Text:
    """Untrusted `value` as a rich Text: sanitised, bidi-reordered, never markup.

    With `width` (the cells the widget gives it), right-to-left lines are truncated to it
    before reordering so the beginning of the sentence stays visible, and right-aligned
    unless `align` is False (see `display_fit`).
    """
    if width is None:
        shown = plain(value, max_len=max_len, multiline=multiline)
    else:
        cleaned = clean(None if value is None else str(value), max_len=max_len, multiline=multiline)
        shown = "\n".join(display_fit(line, width, align=align) for line in cleaned.split("\n"))
    text = Text(shown, style=style)
    if no_wrap:
        text.no_wrap = True
        text.overflow = "ellipsis"
    return text


def markup_escaped(value: object, *, max_len: int | None = 200) -> str:
    """Untrusted text for the few Textual APIs that insist on parsing a str as markup (the
    command palette's help line): sanitised, display-ordered, every markup bracket escaped."""
    from textual.markup import escape

    return escape(plain(value, max_len=max_len))


def join(*parts: Text | str, sep: str = " ") -> Text:
    """Join Text parts; `str` parts are trusted literals written in afmon's own code."""
    out = Text()
    for index, part in enumerate(parts):
        if index and sep:
            out.append(sep)
        out.append(part if isinstance(part, Text) else Text(part))
    return out


def highlight_spans(text: str, spans: list[tuple[int, int, str]], style: str = "") -> Text:
    """Untrusted multi-line `text` with `spans` (start, end, style) highlighted.

    Offsets index the stored text; each fragment between span boundaries is sanitised on its
    own so offsets stay aligned. Lines in right-to-left script are reordered for display and
    their highlights found again by the (reordered) evidence text.
    """
    bounds = sorted(
        {0, len(text), *(p for s, e, _ in spans for p in (s, e) if 0 <= p <= len(text))}
    )
    fragments: list[tuple[str, str]] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        mark = next((st for s, e, st in spans if s <= start and end <= e and s < e), "")
        fragments.append((_fragment(text[start:end]), mark))
    out = Text(style=style)
    line: list[tuple[str, str]] = []

    def flush() -> None:
        raw = "".join(f for f, _ in line)
        if _RTL.search(raw):
            shown = Text(get_display(raw))
            for frag, mark in line:
                if mark and frag.strip():
                    needle = get_display(frag.strip())
                    at = shown.plain.find(needle)
                    if at >= 0:
                        shown.stylize(mark, at, at + len(needle))
            out.append_text(shown)
        else:
            for frag, mark in line:
                out.append(frag, style=mark or None)
        line.clear()

    for frag, mark in fragments:
        parts = frag.split("\n")
        for index, part in enumerate(parts):
            if index:
                flush()
                out.append("\n")
            if part:
                line.append((part, mark))
    flush()
    return out


def _fragment(text: str) -> str:
    """Sanitise a fragment without folding its edges (offsets of neighbours stay aligned)."""
    from core.sanitize import strip_controls, strip_remnants

    return strip_remnants(strip_controls(text))
