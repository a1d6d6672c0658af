"""Small display formats shared by screens: times, relative ages, tag codes, trends."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text

from core.vocab import actor_name, province_name

# Times are shown in the configured zone (settings.timezone, Asia/Kabul by default), passed
# in as `zone`; None means the machine's own zone.


def hm(value: datetime, now: datetime | None = None, zone: tzinfo | None = None) -> str:
    """'11:42' on the day of `now`, else '19 Nov': always 6 columns or fewer."""
    local = value.astimezone(zone)
    if now is not None and local.date() != now.astimezone(zone).date():
        return local.strftime("%d %b")
    return local.strftime("%H:%M")


def when(value: datetime, now: datetime, zone: tzinfo | None = None) -> str:
    """'11:42' today, else 'Nov 19 11:42'."""
    local, today = value.astimezone(zone), now.astimezone(zone)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    return local.strftime("%b %d %H:%M")


def when_short(value: datetime, now: datetime, zone: tzinfo | None = None) -> str:
    """'11:42' today, else 'Nov 19': six cells, for narrow table columns."""
    local, today = value.astimezone(zone), now.astimezone(zone)
    return local.strftime("%H:%M" if local.date() == today.date() else "%b %d")


def ago(value: datetime | None, now: datetime) -> str:
    if value is None:
        return "never"
    seconds = (now - value).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        span = f"{int(seconds)} s"
    elif seconds < 3600:
        span = f"{int(seconds // 60)} min"
    elif seconds < 86400 * 2:
        span = f"{int(seconds // 3600)} h"
    else:
        span = f"{int(seconds // 86400)} d"
    return f"in {span}" if future else f"{span} ago"


def counted(n: int, noun: str) -> str:
    """ "1 report", "3 reports": a count and its noun (nouns that take an s)."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


def short_code(code: str) -> str:
    return code.removeprefix("AF-")


def tag_codes(provinces: tuple[str, ...], actors: tuple[str, ...]) -> str:
    return " ".join([*(short_code(p) for p in provinces), *actors])


def province_list(codes: tuple[str, ...]) -> str:
    return ", ".join(province_name(c) for c in codes)


def actor_list(slugs: tuple[str, ...]) -> str:
    return ", ".join(actor_name(a) for a in slugs)


def trend(current: int, previous: int) -> Text:
    """'▲3' (more activity: red), '▼2' (less: green) or '=' against the previous period."""
    if current > previous:
        return Text(f"▲{current - previous}", style="bold red")
    if current < previous:
        return Text(f"▼{previous - current}", style="green")
    return Text("=", style="dim")
