"""The date ranges of the What's on page: presets, the days a range may take, labels.

Decisions:

- **Ranges look ahead.** The presets are :data:`PRESETS` (this weekend, the next 7 and
  30 days, the rest of this month, next month, the off-season) and every one starts
  today or later; "other dates" is a custom range. The default is the next 30 days in
  the town's time zone. A range in the URL that equals a preset's range for today shows
  that preset as chosen; otherwise "other dates".
- **This weekend** is Saturday and Sunday: the coming ones, or today and tomorrow on a
  Saturday, today on a Sunday. **This month** is today to the month's last day.
  **The off-season** is the town's ``off_season_months`` (Oct-Apr in Kotor): from today
  when it is off-season now, else from the first day of the next off-season, to the
  last day of that run of months (:mod:`mapping.months` reads it across the year end).
- The URL's ``range=`` is read by :func:`mapping.params.day_range`; here is only how a
  range is written back (:func:`range_param`) and said (:func:`range_label`).

Pure functions of ``today`` and the town's off-season: the page passes today in.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta

from mapping import events as ev
from mapping.i18n import month_name, t
from mapping.months import month_runs, next_month

DEFAULT_DAYS = 30
"""Length of the default range, the ``days30`` preset (days after today)."""
STRIP_MONTHS = 12
"""Months the month strip shows, from this one: a custom range's days cover them."""
PRESETS: tuple[str, ...] = ("weekend", "week", "days30", "month", "next_month", "off_season")
"""Range presets, in the order the page offers them (catalogue ``whats_on.preset.<id>``)."""
CUSTOM = "custom"
"""The choice for a range no preset gives ("other dates")."""
DEFAULT_PRESET = "days30"


def presets(off_season_months: Sequence[int]) -> tuple[str, ...]:
    """The presets a town offers: the off-season only when it has off-season months."""
    return tuple(p for p in PRESETS if p != "off_season" or off_season_months)


def preset_range(preset: str, today: date, off_season_months: Sequence[int]) -> tuple[date, date]:
    """The ``(first, last)`` local days of a preset, seen from ``today`` (see the module
    docstring for each preset's rule)."""
    if preset == "weekend":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:  # Sunday: the weekend is today
            return today, today
        return max(today, saturday), saturday + timedelta(days=1)
    if preset == "week":
        return today, today + timedelta(days=6)
    if preset == "days30":
        return today, today + timedelta(days=DEFAULT_DAYS)
    if preset == "month":
        return today, _month_end(today.year, today.month)
    if preset == "next_month":
        year, month = next_month(today.year, today.month)
        return month_range(year, month)
    if preset == "off_season":
        found = _off_season(today, off_season_months)
        if found is None:
            msg = "off_season_months is empty: the town has no off-season preset"
            raise ValueError(msg)
        return found
    msg = f"preset must be one of {', '.join(PRESETS)}; got {preset!r}"
    raise ValueError(msg)


def matching_preset(first: date, last: date, today: date, off_season_months: Sequence[int]) -> str:
    """The first preset whose range today is ``first``..``last``, else :data:`CUSTOM`."""
    for preset in presets(off_season_months):
        if preset_range(preset, today, off_season_months) == (first, last):
            return preset
    return CUSTOM


def preset_label(preset: str, lang: str, off_season_months: Sequence[int]) -> str:
    """A preset's name in ``lang``; the off-season names its months ("Off-season (Oct–Apr)");
    :data:`CUSTOM` is "Other dates"."""
    if preset == "off_season":
        first, last = month_runs(off_season_months)[0]  # read around the year end: (10, 4)
        return t(
            "whats_on.preset.off_season",
            lang,
            first=month_name(first, lang),
            last=month_name(last, lang),
        )
    return t(f"whats_on.preset.{preset}", lang)


def month_range(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), _month_end(year, month)


def range_param(first: date, last: date) -> list[str]:
    """The URL's ``range`` values for a range (both days, ISO)."""
    return [first.isoformat(), last.isoformat()]


def range_label(first: date, last: date, lang: str) -> str:
    """A range in words: "Sat 5 Dec 2026 – Sun 6 Dec 2026", or one day."""
    if first == last:
        return ev.day_label(first, lang, year=True)
    return t(
        "events.label.span",
        lang,
        first=ev.day_label(first, lang, year=True),
        last=ev.day_label(last, lang, year=True),
    )


def day_choices(today: date, first: date, last: date) -> list[date]:
    """The days a custom range can start or end on: the month strip's 12 months (from
    the 1st of this month), widened to include a range from a link."""
    lo = min(today.replace(day=1), first)
    end_year, end_month = today.year, today.month
    for _ in range(STRIP_MONTHS - 1):
        end_year, end_month = next_month(end_year, end_month)
    hi = max(_month_end(end_year, end_month), last)
    return [lo + timedelta(days=k) for k in range((hi - lo).days + 1)]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _off_season(today: date, months: Sequence[int]) -> tuple[date, date] | None:
    """From today (or the next off-season month's 1st) to the end of that run of months."""
    wanted = set(months)
    if not wanted:
        return None
    year, month, start = today.year, today.month, today
    while month not in wanted:
        year, month = next_month(year, month)
        start = date(year, month, 1)
    for _ in range(11):  # a run is at most 12 months (all year: to the same month)
        following = next_month(year, month)
        if following[1] not in wanted:
            break
        year, month = following
    return start, _month_end(year, month)
