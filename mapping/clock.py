"""Town-local time: the one place that reads the wall clock and turns a moment into the
town's wall-clock time.

Opening hours, "open now", event days and card labels are all read in the town's
time zone (``city.toml``'s ``timezone``), whatever the server's own zone is.

Every read of "now" in the library, the pages and ``app.py`` goes through :func:`now`
(:func:`utc_now` and :func:`today` are built on it), so there is one place to fake it.

Testing and demo aid: when the environment variable ``CREATIVE_MAP_NOW`` is set (an ISO
8601 moment such as ``2031-03-15T10:00``), :func:`now` returns that moment instead of the
real time, in every process that inherits the variable (an app server started from a
test, too). A value without an offset is wall-clock time in the zone asked for (the
town's); one with an offset (``2031-03-15T09:00+00:00``) is an exact moment. The clock
stands still at that moment. Unset or empty: the real clock. Never set it in production.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

NOW_ENV = "CREATIVE_MAP_NOW"
"""Environment variable that, when set, stops the clock at the moment it names."""


def local(when: datetime, tz: str) -> datetime:
    """``when`` in the town's zone; a naive datetime is read as the town's wall-clock time."""
    zone = ZoneInfo(tz)
    return when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)


def now(tz: str) -> datetime:
    """The current moment in the zone ``tz``: the one read of the wall clock.

    ``CREATIVE_MAP_NOW`` replaces the real time when set (see the module docstring).
    """
    fixed = os.environ.get(NOW_ENV, "").strip()
    if not fixed:
        return datetime.now(ZoneInfo(tz))
    return local(_fixed_moment(fixed), tz)


def utc_now() -> datetime:
    """The current moment in UTC (stored time stamps)."""
    return now("UTC").astimezone(UTC)


def today(tz: str) -> date:
    """The town's current day."""
    return now(tz).date()


@lru_cache(maxsize=8)
def _fixed_moment(text: str) -> datetime:
    """``CREATIVE_MAP_NOW``'s moment; an unreadable value fails loudly, never falls back."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        msg = f"{NOW_ENV} must be an ISO 8601 moment such as 2031-03-15T10:00; got {text!r}"
        raise ValueError(msg) from None


def to_minute(when: datetime) -> datetime:
    """``when`` without seconds: views computed "now" are reused for the whole minute."""
    return when.replace(second=0, microsecond=0)
