"""Times as reports and the detail view write them: the configured zone first, UTC beside it
(a watch officer reads local time; a message to another desk needs UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def zone_name(zone: tzinfo | None) -> str:
    """'Asia/Kabul' for a ZoneInfo, else what the zone calls itself."""
    key = getattr(zone, "key", None)
    return key or (datetime.now(zone).tzname() if zone else "local") or "local"


def stamp(value: datetime, zone: tzinfo | None) -> str:
    """'2026-11-20 16:00 Asia/Kabul (11:30 UTC)'; plain '2026-11-20 11:30 UTC' when the
    zone is UTC (or None)."""
    utc = value.astimezone(UTC)
    if zone is None or zone_name(zone) in ("UTC", "Etc/UTC", "Etc/GMT", "GMT"):
        return f"{utc:%Y-%m-%d %H:%M} UTC"
    local = value.astimezone(zone)
    same_day = local.date() == utc.date()
    beside = f"{utc:%H:%M}" if same_day else f"{utc:%Y-%m-%d %H:%M}"
    return f"{local:%Y-%m-%d %H:%M} {zone_name(zone)} ({beside} UTC)"
