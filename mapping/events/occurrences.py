"""Occurrences: the events that happen in a range of local dates, recurrences expanded.

Decisions:

- **Range edges.** A range ``[start, end]`` of local dates is the half-open interval
  from ``start`` 00:00 to ``end + 1 day`` 00:00. An occurrence is in it when it starts
  before the range ends and ends after the range starts, so an event that started
  yesterday and ends tomorrow is "on" today, and one that ends exactly at 00:00 of the
  range's first day is not. A zero-length occurrence counts at its start.
- **Recurrence** (``annual``/``weekly``) repeats the first occurrence for ever with
  ``dateutil.rrule``, keeping the local wall-clock time across DST changes (19:00 stays
  19:00 in March and in October). Rules are built per distinct (weekday or day-of-year,
  time) and cached, so 200,000 events cost a few hundred rrule calls, not 200,000.
- **Unconfirmed dates** (``dates_confirmed=false``): the usual window is moved to each
  year (annual) and flagged ``confirmed=False``; the page shows only the month. Because
  the real days are unknown, such an occurrence is in a range when its *months* overlap
  it (a 2-10 July window matches a 20-31 July range).
- **The occurrences frame** has the event's columns plus :data:`OCCURRENCE_COLUMNS`,
  sorted by start, then title; ``attrs["range"]`` keeps the ``(start, end)`` asked for,
  the default range of :mod:`mapping.events.groups`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
from dateutil.rrule import WEEKLY, YEARLY, rrule

from mapping import clock
from mapping.events._arrays import (
    DAY_NS,
    Bools,
    Int64s,
    bucket,
    bucket_start,
    day_ns,
    explode_ranges,
    from_utc_ns,
    last_instant,
    localize,
    midnight,
    naive_ns,
    utc_ns,
)
from mapping.events.read import search_column
from mapping.schema import RECURRENCE_ANNUAL, RECURRENCE_WEEKLY
from mapping.text import fold

OCCURRENCE_COLUMNS: tuple[str, ...] = (
    "event_id",
    "occurrence_start",
    "occurrence_end",
    "confirmed",
)
"""Columns :func:`occurrences` adds to the event's own: the start and (exclusive) end of
this occurrence, aware in the town's zone, and whether its dates are confirmed."""

NEXT_EVENTS_HORIZON_DAYS = 400
"""How far :func:`upcoming` looks ahead: past a year, so an annual event is always found."""


@dataclass(frozen=True)
class Expanded:
    """Occurrences as arrays: positional event row, UTC start/end (ns), confirmed.

    The form :func:`occurrences` sorts into a frame, and that
    :func:`mapping.events.groups.events_per_month` counts without building one.
    """

    rows: Int64s
    start: Int64s
    end: Int64s
    confirmed: Bools


def occurrences(events: pd.DataFrame, start: date, end: date, tz: str) -> pd.DataFrame:
    """Every occurrence overlapping the local dates [start, end], sorted by start, then title.

    Returns
    -------
    The event's columns plus :data:`OCCURRENCE_COLUMNS`; ``attrs["range"]`` is
    ``(start, end)``.
    """
    out = _frame(events, expand(events, start, end, tz), tz)
    out.attrs["range"] = (start, end)
    return out


def expand(events: pd.DataFrame, start: date, end: date, tz: str) -> Expanded:
    """Every occurrence overlapping the local dates [start, end], as arrays (unsorted)."""
    if not len(events) or end < start:
        empty = np.empty(0, dtype=np.int64)
        return Expanded(empty, empty, empty, np.empty(0, dtype=bool))
    range_lo, range_hi = midnight(start, tz), midnight(end + timedelta(days=1), tz)
    naive_lo, naive_hi = day_ns(start), day_ns(end + timedelta(days=1))
    start_utc, end_utc = utc_ns(events["start"]), utc_ns(events["end"])
    recurrence = events["recurrence"].to_numpy(dtype=object)
    confirmed = events["dates_confirmed"].to_numpy(dtype=bool)
    once = recurrence == ""

    parts: list[Expanded] = []
    # One-off, confirmed: exact interval overlap in UTC.
    sel = np.flatnonzero(once & confirmed)
    sel = sel[_overlaps(start_utc[sel], end_utc[sel], range_lo, range_hi)]
    parts.append(Expanded(sel, start_utc[sel], end_utc[sel], np.ones(len(sel), dtype=bool)))
    # One-off, unconfirmed: month overlap in local time.
    sel = np.flatnonzero(once & ~confirmed)
    if len(sel):
        hit = _months_overlap(
            naive_ns(events["start"].iloc[sel], tz),
            naive_ns(events["end"].iloc[sel], tz),
            naive_lo,
            naive_hi,
        )
        sel = sel[hit]
        parts.append(Expanded(sel, start_utc[sel], end_utc[sel], np.zeros(len(sel), dtype=bool)))

    month_lo = int(bucket_start(bucket(np.array([naive_lo]), "M"), "M")[0])
    month_hi = int(bucket_start(bucket(np.array([naive_hi - 1]), "M") + 1, "M")[0])
    for freq, name in ((WEEKLY, RECURRENCE_WEEKLY), (YEARLY, RECURRENCE_ANNUAL)):
        for flag in (True, False):
            sel = np.flatnonzero((recurrence == name) & (confirmed == flag))
            if not len(sel):
                continue
            first = naive_ns(events["start"].iloc[sel], tz)
            duration = naive_ns(events["end"].iloc[sel], tz) - first
            longest = int(duration.max())
            if flag:  # one day of slack each side for DST; the exact test follows
                lo, hi = naive_lo - longest - DAY_NS, naive_hi + DAY_NS
            else:
                lo, hi = month_lo - longest - DAY_NS, month_hi
            rows, s_loc, e_loc = _expand_recurring(freq, sel, first, duration, lo=lo, hi=hi)
            s_utc, e_utc = localize(s_loc, tz).asi8, localize(e_loc, tz).asi8
            if flag:
                hit = _overlaps(s_utc, e_utc, range_lo, range_hi)
            else:
                hit = _months_overlap(s_loc, e_loc, naive_lo, naive_hi)
            parts.append(
                Expanded(
                    rows[hit], s_utc[hit], e_utc[hit], np.full(int(hit.sum()), flag, dtype=bool)
                )
            )

    return Expanded(
        np.concatenate([p.rows for p in parts]).astype(np.int64),
        np.concatenate([p.start for p in parts]).astype(np.int64),
        np.concatenate([p.end for p in parts]).astype(np.int64),
        np.concatenate([p.confirmed for p in parts]).astype(bool),
    )


@lru_cache(maxsize=4096)
def _rule_days(freq: int, slot: tuple[int, ...], lo: datetime, hi: datetime) -> Int64s:
    """Local midnights (naive ns) between ``lo`` and ``hi`` of a weekly or yearly rule.

    ``slot`` is ``(weekday,)`` for WEEKLY and ``(month, day)`` for YEARLY. Every event
    sharing a slot shares this one rrule call; the event's own wall-clock time is added
    afterwards, which keeps 19:00 at 19:00 across DST changes. The rule is anchored at
    ``lo``; each event then drops the days before its own first start, which gives
    exactly ``rrule(freq, dtstart=first_start)``. 29 February recurs in leap years only,
    as rrule does.
    """
    if freq == WEEKLY:
        rule = rrule(WEEKLY, dtstart=lo, byweekday=slot[0])
    else:
        rule = rrule(YEARLY, dtstart=lo, bymonth=slot[0], bymonthday=slot[1])
    days = np.array(rule.between(lo, hi, inc=True), dtype="datetime64[ns]")
    return days.astype(np.int64)


def _expand_recurring(
    freq: int, rows: Int64s, first: Int64s, duration: Int64s, *, lo: int, hi: int
) -> tuple[Int64s, Int64s, Int64s]:
    """Candidate occurrences (rows, naive start, naive end) on days in [lo, hi] (naive ns)."""
    if len(rows) == 0 or hi < lo:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    index = pd.DatetimeIndex(first.astype("datetime64[ns]"))
    time_of_day = first - bucket_start(bucket(first, "D"), "D")
    if freq == WEEKLY:
        keys = index.day_of_week.to_numpy().astype(np.int64)
    else:
        keys = (index.month.to_numpy() * 32 + index.day.to_numpy()).astype(np.int64)
    unique, codes = np.unique(keys, return_inverse=True)
    lo_dt = pd.Timestamp(lo).floor("D").to_pydatetime()
    hi_dt = pd.Timestamp(hi).to_pydatetime()
    slots = [(int(k),) if freq == WEEKLY else (int(k) // 32, int(k) % 32) for k in unique]
    per_slot = [_rule_days(freq, slot, lo_dt, hi_dt) for slot in slots]
    counts = np.array([len(p) for p in per_slot], dtype=np.int64)
    # Each event takes its slot's run of days out of the concatenated rule days.
    event, position = explode_ranges((np.cumsum(counts) - counts)[codes], counts[codes])
    starts = np.concatenate(per_slot)[position] + time_of_day[event]
    keep = starts >= first[event]  # the rule starts at the event's first start
    event, starts = event[keep], starts[keep]
    return rows[event], starts, starts + duration[event]


def _overlaps(start: Int64s, end: Int64s, lo: int, hi: int) -> Bools:
    """Half-open overlap with [lo, hi); a zero-length occurrence counts at its start."""
    hit: Bools = (start < hi) & ((end > lo) | ((end == start) & (start >= lo)))
    return hit


def _months_overlap(start: Int64s, end: Int64s, lo: int, hi: int) -> Bools:
    """Do the calendar months an occurrence touches overlap [lo, hi) (naive local ns)?"""
    first_month = bucket_start(bucket(start, "M"), "M")
    after_last = bucket_start(bucket(last_instant(start, end), "M") + 1, "M")
    return (first_month < hi) & (after_last > lo)


def _frame(events: pd.DataFrame, expanded: Expanded, tz: str) -> pd.DataFrame:
    """The occurrence rows, sorted by start, then title."""
    rows = expanded.rows
    if len(rows):
        unique, inverse = np.unique(rows, return_inverse=True)
        titles = events["title"].iloc[unique].astype(str).array
        title_rank = np.empty(len(unique), dtype=np.int64)
        title_rank[np.asarray(titles.argsort())] = np.arange(len(unique))
        order = np.lexsort((title_rank[inverse], expanded.start))
    else:
        order = np.empty(0, dtype=np.int64)
    out = events.iloc[rows[order]].reset_index(drop=True)
    event_id, occurrence_start, occurrence_end, confirmed = OCCURRENCE_COLUMNS
    out[event_id] = out["id"]
    out[occurrence_start] = from_utc_ns(expanded.start[order], tz)
    out[occurrence_end] = from_utc_ns(expanded.end[order], tz)
    out[confirmed] = expanded.confirmed[order]
    return out


def filter_occurrences(
    occ: pd.DataFrame,
    *,
    categories: Iterable[str] | None,
    venue_ids: Iterable[str] | None,
    text: str = "",
    lang: str,
) -> pd.DataFrame:
    """Occurrences matching every given filter; ``None`` means "any", an empty list "none".

    ``text`` matches titles and descriptions in every language and the organiser,
    ignoring case and diacritics ("durkovic" finds "Đurković"); every word must match.
    ``lang`` is accepted so callers need not know that the search is
    language-independent.
    """
    del lang  # the search covers every language on purpose
    mask = np.ones(len(occ), dtype=bool)
    if categories is not None:
        mask &= _isin(occ["category"], categories)
    if venue_ids is not None:
        mask &= _isin(occ["venue_id"], venue_ids)
    words = fold(text).split()
    if words and len(occ):
        haystack = (occ["search"] if "search" in occ.columns else search_column(occ)).astype(str)
        for word in words:
            mask &= haystack.str.contains(word, regex=False).to_numpy(dtype=bool)
    # No copy of 100,000 rows when nothing is filtered out (pandas copies lazily).
    out = occ.copy(deep=False) if mask.all() else occ.loc[mask].reset_index(drop=True)
    out.attrs = dict(occ.attrs)
    return out


def _isin(values: pd.Series, wanted: Iterable[str]) -> Bools:
    """``values.isin(wanted)``, testing each distinct value once (ids repeat a lot)."""
    codes, uniques = pd.factorize(values)
    hit: Bools = np.append(pd.Index(uniques).isin(list(wanted)), False)
    return hit[np.asarray(codes, dtype=np.int64)]  # code -1 (missing) reads the last entry, False


def upcoming(
    events: pd.DataFrame, venue_ids: Iterable[str], now: datetime, tz: str, n: int = 3
) -> pd.DataFrame:
    """Each venue's next ``n`` occurrences still to come or running at ``now``.

    For the venue cards, in start order; unconfirmed ones count from their expected
    month. A naive ``now`` is read as the town's wall-clock time.
    """
    mine = events.loc[_isin(events["venue_id"], venue_ids)]
    moment = pd.Timestamp(clock.local(now, tz))
    today = moment.date()
    occ = occurrences(mine, today, today + timedelta(days=NEXT_EVENTS_HORIZON_DAYS), tz)
    if not len(occ):
        return occ
    running = (occ["occurrence_end"] > moment) | (occ["occurrence_start"] >= moment)
    keep = running.to_numpy(dtype=bool) | ~occ["confirmed"].to_numpy(dtype=bool)
    first_n: pd.DataFrame = occ.loc[keep].groupby("venue_id", sort=False).head(n)
    return first_n.reset_index(drop=True)
