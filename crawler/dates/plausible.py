"""One plausibility rule for every date source: not after the fetch time, not before the web's early years.

A naive value is a wall time in an unknown zone: it may run up to 14 hours ahead of UTC (UTC+14).
A CMS's epoch zero (1970-01-01) and other placeholder years fall before ``EARLIEST`` and are rejected.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

__all__ = ["EARLIEST", "plausible"]

EARLIEST = datetime(1995, 1, 1)
_AHEAD = timedelta(hours=14)


def plausible(value: datetime | None, fetched_at: datetime) -> datetime | None:
    """``value`` when it is a plausible publication time for a page fetched at ``fetched_at``, else None."""
    if value is None:
        return None
    now = fetched_at.replace(tzinfo=timezone.utc) if fetched_at.tzinfo is None else fetched_at
    if value.tzinfo is not None:
        return value if EARLIEST.replace(tzinfo=timezone.utc) <= value <= now else None
    wall_limit = now.astimezone(timezone.utc).replace(tzinfo=None) + _AHEAD
    return value if EARLIEST <= value <= wall_limit else None
