"""Town-local time: the one place that turns a moment into the town's wall-clock time.

Opening hours, "open now", event days and card labels are all read in the town's
time zone (``city.toml``'s ``timezone``), whatever the server's own zone is.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def local(when: datetime, tz: str) -> datetime:
    """``when`` in the town's zone; a naive datetime is read as the town's wall-clock time."""
    zone = ZoneInfo(tz)
    return when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)


def now(tz: str) -> datetime:
    """The current moment in the town's zone."""
    return datetime.now(ZoneInfo(tz))


def to_minute(when: datetime) -> datetime:
    """``when`` without seconds: views computed "now" are reused for the whole minute."""
    return when.replace(second=0, microsecond=0)
