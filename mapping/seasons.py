"""Opening hours in words: plain-language season summaries and a day's hours.

:mod:`mapping.hours` evaluates the ``opening_hours`` strings; this module only says
what the evaluation means, in the visitor's language: "Apr–Oct daily 09–19; Nov–Mar
Sat 10–14" for the year, "09:00–19:00" or "closed" for one day. Words come from the
``hours.*`` catalogue keys and the month and weekday names of :mod:`mapping.i18n`, so
a language is a folder, never a branch here.

:func:`day_view` is the one place that decides what a visitor reads about a venue's
hours at a moment: the map's card and the Explore list both read it.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from mapping import clock, hours
from mapping.hours import DAY_MINUTES, DayHours, Span
from mapping.i18n import month_name, t, weekday_name
from mapping.months import month_runs

Week = tuple[DayHours, ...]
"""A typical week, Monday first: seven days' hours."""

DAY_VIEW_COLUMNS = ("today", "summary", "day_state", "state_at")
DayRow = tuple[str, str, int, int]
"""One row of :func:`day_view`'s table, in :data:`DAY_VIEW_COLUMNS` order."""


# --------------------------------------------------------------------------- one day


def hours_on(value: str, day: date, tz: str, lang: str, *, country: str | None = None) -> str:
    """That day's hours in words: "09:00–19:00", "closed", "hours unknown"…"""
    return _hours_on(hours.day_hours(value, day, tz, country=country), lang)


@lru_cache(maxsize=4096)
def _hours_on(day: DayHours, lang: str) -> str:
    if day.unknown:
        return t("hours.unknown", lang)
    if day.closed:
        return t("hours.closed", lang)
    if day.all_day:
        return t("hours.all_day", lang)
    return ", ".join(f"{_clock(start)}–{_clock(end)}" for start, end in day.spans)


# --------------------------------------------------------------------------- the year


def season_summary(value: str, year: int, tz: str, lang: str, *, country: str | None = None) -> str:
    """Plain-language seasons, e.g. "Apr–Oct daily 09–19; Nov–Mar Sat 10–14"."""
    return _summary(hours.clean(value), year, tz, lang, country)


@lru_cache(maxsize=8192)
def _month_weeks(value: str, year: int, tz: str, country: str | None) -> tuple[Week, ...]:
    """The typical week of each month, found by evaluation.

    For every weekday the most frequent day pattern in the month wins (ties go to the
    day nearest the 15th), so a one-off such as "Dec 25 off" does not redefine December.
    """
    weeks = []
    for month in range(1, 13):
        by_weekday: dict[int, list[tuple[int, DayHours]]] = {}
        day = date(year, month, 1)
        while day.month == month:
            shown = hours.day_hours(value, day, tz, country=country)
            by_weekday.setdefault(day.weekday(), []).append((abs(day.day - 15), shown))
            day += timedelta(days=1)
        week = []
        for weekday in range(7):
            found = by_weekday[weekday]
            counts = Counter(shown for _, shown in found)
            top = max(counts.values())
            best = min((dist, i) for i, (dist, shown) in enumerate(found) if counts[shown] == top)
            week.append(found[best[1]][1])
        weeks.append(tuple(week))
    return tuple(weeks)


@lru_cache(maxsize=16384)
def _summary(value: str, year: int, tz: str, lang: str, country: str | None) -> str:
    weeks = _month_weeks(value, year, tz, country)
    if len(set(weeks)) == 1:
        return _describe_week(weeks[0], lang)
    groups: dict[Week, list[tuple[int, int]]] = {}
    for start, end in _month_runs(weeks):
        groups.setdefault(weeks[start - 1], []).append((start, end))
    parts = []
    for week, runs in groups.items():
        label = ", ".join(_month_range(start, end, lang) for start, end in runs)
        parts.append(f"{label} {_describe_week(week, lang)}")
    return "; ".join(parts)


def _month_runs(weeks: tuple[Week, ...]) -> list[tuple[int, int]]:
    """Runs ``(first, last)`` of consecutive months (1-based) sharing a week, in calendar
    order of their first month; a run may cross the year end (Nov–Mar)."""
    return sorted(
        run
        for week in set(weeks)
        for run in month_runs(m for m in range(1, 13) if weeks[m - 1] == week)
    )


def _month_range(start: int, end: int, lang: str) -> str:
    first = month_name(start, lang)
    return first if start == end else f"{first}–{month_name(end, lang)}"


def _describe_week(week: Week, lang: str) -> str:
    """Weekdays with identical hours grouped: "daily 09–19", "Mon–Fri 08–20, Sat 08–12"."""
    if all(day.closed for day in week):
        return t("hours.closed", lang)
    if all(day.unknown for day in week):
        return t("hours.unknown", lang)
    if len(set(week)) == 1:
        if week[0].all_day:
            return t("hours.open_247", lang)
        return f"{t('hours.daily', lang)} {_spans(week[0].spans, lang)}"
    groups: dict[DayHours, list[int]] = {}
    for weekday, day in enumerate(week):
        if not day.closed:
            groups.setdefault(day, []).append(weekday)
    parts = []
    for day, weekdays in groups.items():
        said = t("hours.unknown_short", lang) if day.unknown else _spans(day.spans, lang)
        parts.append(f"{_weekday_label(weekdays, lang)} {said}")
    return ", ".join(parts)


def _weekday_label(weekdays: list[int], lang: str) -> str:
    """Weekday runs: "Mon–Fri", "Sat", "Mon,Wed,Fri" (no space: groups split on ", ")."""
    runs: list[list[int]] = []
    for weekday in weekdays:
        if runs and runs[-1][-1] == weekday - 1:
            runs[-1].append(weekday)
        else:
            runs.append([weekday])
    names = []
    for run in runs:
        first = weekday_name(run[0], lang)
        names.append(first if len(run) == 1 else f"{first}–{weekday_name(run[-1], lang)}")
    return ",".join(names)


def _spans(spans: tuple[Span, ...], lang: str) -> str:
    joiner = f" {t('hours.and', lang)} "
    return joiner.join(f"{_short_clock(s)}–{_short_clock(e)}" for s, e in spans)


def _clock(minutes: int) -> str:
    """Clock text "09:00"; 24:00 stays 24:00; past midnight wraps (26:00 → 02:00)."""
    if minutes > DAY_MINUTES:
        minutes -= DAY_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _short_clock(minutes: int) -> str:
    """Short clock text: "09" on the hour, "09:30" otherwise."""
    text = _clock(minutes)
    return text[:2] if text.endswith(":00") else text


# --------------------------------------------------------------------------- vectorised


def summaries(
    values: pd.Series, year: int, tz: str, lang: str, *, country: str | None = None
) -> pd.Series:
    """``season_summary`` over a Series of strings (missing values: hours unknown)."""
    cells = hours.per_distinct(
        values,
        lambda v: season_summary(v, year, tz, lang, country=country),
        t("hours.unknown", lang),
    )
    return pd.Series(cells, index=values.index, dtype=object)


def hours_today(
    values: pd.Series, day: date, tz: str, lang: str, *, country: str | None = None
) -> pd.Series:
    """``hours_on`` over a Series of strings (missing values: hours unknown)."""
    cells = hours.per_distinct(
        values, lambda v: hours_on(v, day, tz, lang, country=country), t("hours.unknown", lang)
    )
    return pd.Series(cells, index=values.index, dtype=object)


DAY_VIEW_MOMENTS = 64
"""Moments (each with its time zone, language and country) whose day views are kept:
one row per distinct ``opening_hours`` string asked about at that moment."""
_day_views: OrderedDict[tuple[datetime, str, str, str | None], dict[str, DayRow]] = OrderedDict()
_day_views_lock = threading.Lock()


def day_view(
    values: pd.Series, moment: datetime, tz: str, lang: str, *, country: str | None = None
) -> tuple[npt.NDArray[np.int64], pd.DataFrame]:
    """What a visitor reads about each venue's hours at ``moment``: the one place for it.

    Returns each value's row number in a table with one row per distinct
    ``opening_hours`` string (so 50,000 venues sharing 300 strings cost 300 rows), and
    that table: ``today`` (the day's hours in words), ``summary`` (the season summary,
    "" when unknown), ``day_state`` and ``state_at`` (:data:`mapping.hours.STATE_OPEN`,
    ``STATE_CLOSED`` or ``STATE_UNKNOWN``, for the whole day and at ``moment``). The
    map's card and the Explore list both read it.

    Each string's row is remembered for the moment (the last :data:`DAY_VIEW_MOMENTS`
    moments): the pages ask at the minute, and every filter of that minute (a map, a
    list) shares the rows instead of reading the same hours again (issue 25).
    """
    local_moment = clock.local(moment, tz)
    codes, uniques = pd.factorize(values.map(hours.clean), use_na_sentinel=False)
    distinct = [str(u) for u in uniques]
    key = (local_moment, tz, lang, country)
    with _day_views_lock:
        known = _day_views.get(key)
        if known is None:
            known = _day_views[key] = {}
            while len(_day_views) > DAY_VIEW_MOMENTS:
                _day_views.popitem(last=False)
        else:
            _day_views.move_to_end(key)
        missing = [v for v in distinct if v not in known]
    if missing:
        rows = _day_rows(pd.Series(missing, dtype=object), local_moment, tz, lang, country)
        with _day_views_lock:
            known.update(rows)
    table = pd.DataFrame([known[v] for v in distinct], columns=list(DAY_VIEW_COLUMNS))
    return codes.astype(np.int64), table


def _day_rows(
    distinct: pd.Series, local_moment: datetime, tz: str, lang: str, country: str | None
) -> dict[str, DayRow]:
    """:func:`day_view`'s row for each of ``distinct`` (cleaned, unique strings)."""
    day = local_moment.date()
    unknown = t("hours.unknown", lang)
    summary = summaries(distinct, day.year, tz, lang, country=country)
    columns = zip(
        hours_today(distinct, day, tz, lang, country=country).to_numpy(),
        summary.where(summary != unknown, "").to_numpy(),
        hours.state_codes(hours.open_on(distinct, day, tz, country=country)),
        hours.state_codes(hours.open_at(distinct, local_moment, tz, country=country)),
        strict=True,
    )
    return {
        value: (str(today), str(text), int(day_state), int(state_at))
        for value, (today, text, day_state, state_at) in zip(distinct, columns, strict=True)
    }
