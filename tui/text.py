"""The one door for untrusted text into the UI.

Every feed string (titles, summaries, outlets, errors, notes, config names) reaches a widget
through `safe_text`: `afmon.sanitize.clean` strips escapes, control characters and bidi
overrides, right-to-left runs are reordered for the terminal with python-bidi, and the result is
a `rich.text.Text`, which Textual never parses as markup. Never hand a widget a feed string as a
plain `str`: Textual 8 parses plain strings in Static and DataTable cells as markup.
"""

from __future__ import annotations

import re

from bidi import get_display
from rich.text import Text

from afmon.sanitize import clean

# Hebrew, Arabic, Syriac, Thaana, NKo ... and the Arabic presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def display_line(text: str) -> str:
    """Reorder one line for a left-to-right terminal when it holds right-to-left script."""
    if _RTL.search(text):
        return get_display(text)
    return text


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
) -> Text:
    """Untrusted `value` as a rich Text: sanitised, bidi-reordered, never markup."""
    text = Text(plain(value, max_len=max_len, multiline=multiline), style=style)
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
    from afmon.sanitize import strip_controls

    return strip_controls(text)
