"""When an event happens, from the form's date and time pickers to the stored text.

The pickers give dates, times and months; an event suggestion stores ``start`` and
``end`` exactly as ``events.csv`` writes them (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``,
see :func:`mapping.submissions.forms.check`). This module is the one translation
between the two, so nobody types ``2027-03-21T19:30`` again:

- **dated** (``timing = dated``): a start date with an optional time, an end date with an
  optional time. An end time without an end date ends on the start's day; an end left
  empty is left out.
- **weekly**: the first date (its weekday is the series' day) and a start time, with an
  optional end time the same day.
- **a month window to be confirmed** (``annual_tbc``): months from–to; ``start`` is the
  first day of the first month, ``end`` the last day of the last (the "usual window"
  ``dates_confirmed = false`` stores, data/README.md).

Nothing here judges the result: :func:`mapping.submissions.forms.event_time_problems`
(the rule every send obeys) says when the end is before the start, or a start with a
time meets an end without one.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, time

from mapping.submissions.forms import ANNUAL_TBC, WEEKLY, event_time_problems
from mapping.submissions.refusals import FieldProblem

Month = tuple[int, int]
"""(year, month)."""


def moment_text(day: date, at: time | None = None) -> str:
    """``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM`` with a time (seconds dropped)."""
    return day.isoformat() if at is None else f"{day.isoformat()}T{at:%H:%M}"


def dated(
    start_day: date | None,
    start_time: time | None = None,
    end_day: date | None = None,
    end_time: time | None = None,
) -> dict[str, str]:
    """``start``/``end`` of a dated event (empty values left out)."""
    if start_day is None:
        return {}
    found = {"start": moment_text(start_day, start_time)}
    if end_day is not None or end_time is not None:
        found["end"] = moment_text(end_day or start_day, end_time)
    return found


def weekly(
    first_day: date | None, start_time: time | None, end_time: time | None
) -> dict[str, str]:
    """``start``/``end`` of the first evening of a weekly series."""
    return dated(first_day, start_time, None, end_time)


def month_window(first: Month, last: Month) -> dict[str, str]:
    """``start``/``end`` of a window of whole months (dates to be confirmed)."""
    (first_year, first_month), (last_year, last_month) = first, last
    end = date(last_year, last_month, calendar.monthrange(last_year, last_month)[1])
    return {"start": date(first_year, first_month, 1).isoformat(), "end": end.isoformat()}


def when_fields(timing: str, picked: Mapping[str, object]) -> dict[str, str]:
    """The ``start``/``end`` fields for ``timing`` from the pickers' values: ``start_day``,
    ``start_time``, ``end_day``, ``end_time`` (dated, weekly), ``first_month`` and
    ``last_month`` as (year, month) (a window to be confirmed)."""

    def day(name: str) -> date | None:
        value = picked.get(name)
        return value if isinstance(value, date) else None

    def clock(name: str) -> time | None:
        value = picked.get(name)
        return value if isinstance(value, time) else None

    if timing == ANNUAL_TBC:
        first, last = _month(picked.get("first_month")), _month(picked.get("last_month"))
        return {} if first is None or last is None else month_window(first, last)
    if timing == WEEKLY:
        return weekly(day("start_day"), clock("start_time"), clock("end_time"))
    return dated(day("start_day"), clock("start_time"), day("end_day"), clock("end_time"))


def _month(value: object) -> Month | None:
    """A picked (year, month), or ``None`` for anything else (a picker not drawn yet)."""
    if not (isinstance(value, tuple) and len(value) == 2):
        return None
    year, month = value
    if isinstance(year, int) and isinstance(month, int) and 1 <= month <= 12:
        return year, month
    return None


def when_problems(fields: Mapping[str, str]) -> list[FieldProblem]:
    """What the send would refuse about these ``start``/``end`` (the same rule)."""
    return event_time_problems(fields)
