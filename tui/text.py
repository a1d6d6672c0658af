"""The one door for untrusted text into the UI.

Every feed string (titles, summaries, outlets, errors, notes, config names) reaches a widget
through `safe_text`: `core.sanitize.clean` strips escapes, control characters and bidi
overrides, right-to-left runs are reordered for the terminal with python-bidi, and the result is
a `rich.text.Text`, which Textual never parses as markup. Never hand a widget a feed string as a
plain `str`: Textual 8 parses plain strings in Static and DataTable cells as markup.
"""

from __future__ import annotations

import re
import unicodedata

from bidi import get_display
from rich.cells import cell_len
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
    """One sanitised line for a `width`-cell slot. Right-to-left lines are truncated in
    logical order, reordered, and (with `align`) right-aligned by padding on the left;
    left-to-right lines are only reordered (the widget's own ellipsis crops their end)."""
    if not is_rtl(line):
        return display_line(line)
    shown = get_display(fit_cells(line, width))
    return " " * max(0, width - cell_len(shown)) + shown if align else shown


def plain(value: object, *, max_len: int | None = None, multiline: bool = False) -> str:
    """Sanitised, display-ordered plain text (for places that need a str, e.g. notifications
    sent with markup=False, or files)."""
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
