"""Occurrences grouped by the local day or month they run in: the list and the month strip.

One core does the work: :func:`_spread` turns each occurrence into one row per local day
(or month) it covers within a range, and the three public functions only choose which
occurrences, which bucket, and whether to keep a frame per bucket or a count.

Decisions:

- **Grouping by day.** A confirmed occurrence is listed on every local day it runs within
  the range (people ask "what's on Saturday"). The What's on page first takes out the
  *long-running* ones (:func:`days_running` above a limit: month-long exhibitions, a
  22 Dec - 8 Jan programme) and lists them once, with their full dates, so a week's
  days are not filled with the same exhibition as if it were that week's news.
- **Unconfirmed** occurrences are grouped by month instead (their days are not known),
  once per event and month: a weekly event with unconfirmed dates is one entry a month.
- **Counting by month** counts distinct events, confirmed and unconfirmed apart: a weekly
  event counts once per month; an exhibition spanning three months counts in each.
- Days and months are the town's (local wall-clock time), never UTC's.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from mapping.events._arrays import (
    Bools,
    Int64s,
    Unit,
    bucket,
    bucket_of,
    day_of,
    explode_ranges,
    from_utc_ns,
    last_instant,
    naive_ns,
    year_month_of,
)
from mapping.events.occurrences import expand


def group_by_day(
    occ: pd.DataFrame, tz: str, *, start: date | None = None, end: date | None = None
) -> list[tuple[date, pd.DataFrame]]:
    """Confirmed occurrences by local day; a multi-day one is listed on each day it runs.

    Days are limited to [start, end] (default: the range
    :func:`~mapping.events.occurrences.occurrences` was asked for). Within a day the
    order of ``occ`` (start, then title) is kept.
    """
    confirmed = _confirmed(occ)
    groups = _group(occ, confirmed, "D", tz, *_range_of(occ, start, end))
    return [(day_of(number), frame) for number, frame in groups]


def days_running(occ: pd.DataFrame, tz: str) -> Int64s:
    """How many local days each occurrence touches (a one-day or timed event: 1).

    Counted in the town's wall-clock days over the occurrence's whole span, not only the
    part in a range: "runs 1-20 December" is a long-running exhibition in any week.
    """
    if not len(occ):
        return np.zeros(0, dtype=np.int64)
    start = naive_ns(occ["occurrence_start"], tz)
    end = naive_ns(occ["occurrence_end"], tz)
    days: Int64s = bucket(last_instant(start, end), "D") - bucket(start, "D") + 1
    return days


def unconfirmed_by_month(
    occ: pd.DataFrame, *, start: date | None = None, end: date | None = None
) -> list[tuple[tuple[int, int], pd.DataFrame]]:
    """Unconfirmed occurrences by ``(year, month)``, once per event and month.

    A window spanning months (22 Dec - 8 Jan) is listed under each month, limited to the
    months of [start, end] (default: the range
    :func:`~mapping.events.occurrences.occurrences` was asked for).
    """
    pending = ~_confirmed(occ)
    groups = _group(occ, pending, "M", None, *_range_of(occ, start, end), once_per="event_id")
    return [(year_month_of(number), frame) for number, frame in groups]


def events_per_month(events: pd.DataFrame, first_month: date, months: int, tz: str) -> pd.DataFrame:
    """Distinct events running in each of ``months`` months from ``first_month``.

    Returns
    -------
    One row per month: ``year``, ``month``, ``confirmed`` and ``unconfirmed`` (counts of
    events).
    """
    months = max(months, 0)
    base = bucket_of(first_month, "M")
    labels = [year_month_of(base + k) for k in range(months)]
    last_day = date(*year_month_of(base + months), 1) - timedelta(days=1)
    found = expand(events, first_month.replace(day=1), last_day, tz)
    owner, month = _spread(
        naive_ns(from_utc_ns(found.start, tz), None),
        naive_ns(from_utc_ns(found.end, tz), None),
        "M",
        base,
        base + months - 1,
        once_per=found.rows * 2 + found.confirmed,
    )
    confirmed = found.confirmed[owner]
    counts = {
        flag: np.bincount(month[confirmed == flag] - base, minlength=months)
        for flag in (True, False)
    }
    return pd.DataFrame(
        {
            "year": np.array([y for y, _ in labels], dtype=np.int64),
            "month": np.array([m for _, m in labels], dtype=np.int64),
            "confirmed": counts[True],
            "unconfirmed": counts[False],
        }
    )


def _spread(
    start: Int64s,
    end: Int64s,
    unit: Unit,
    lo: int | None,
    hi: int | None,
    *,
    once_per: Int64s | None = None,
) -> tuple[Int64s, Int64s]:
    """Each occurrence once per local day or month it covers, within buckets [lo, hi].

    ``start``/``end`` are naive local nanoseconds (``end`` exclusive). With
    ``once_per`` (one integer key per occurrence, such as its event), a bucket keeps
    only the first occurrence of each key. Returns ``(owner, bucket)``: the occurrence's
    index and the bucket's number, grouped by occurrence.
    """
    first = bucket(start, unit)
    last = bucket(last_instant(start, end), unit)
    if lo is not None:
        first = np.maximum(first, lo)
    if hi is not None:
        last = np.minimum(last, hi)
    owner, number = explode_ranges(first, last - first + 1)
    if once_per is not None and len(owner):
        keep = _first_of_each(once_per[owner], number)
        owner, number = owner[keep], number[keep]
    return owner, number


def _group(
    occ: pd.DataFrame,
    wanted: Bools,
    unit: Unit,
    tz: str | None,
    start: date | None,
    end: date | None,
    *,
    once_per: str | None = None,
) -> list[tuple[int, pd.DataFrame]]:
    """The ``wanted`` occurrences by bucket number, in ``occ``'s order within a bucket.

    ``tz`` None reads the occurrence times in their own zone. With ``once_per`` a column,
    a bucket keeps only the first occurrence of each of its values.
    """
    chosen = np.flatnonzero(wanted)
    if not len(chosen):
        return []
    lo = bucket_of(start, unit) if start is not None else None
    hi = bucket_of(end, unit) if end is not None else None
    keys = (
        None if once_per is None else pd.factorize(occ[once_per].iloc[chosen])[0].astype(np.int64)
    )
    owner, number = _spread(
        naive_ns(occ["occurrence_start"].iloc[chosen], tz),
        naive_ns(occ["occurrence_end"].iloc[chosen], tz),
        unit,
        lo,
        hi,
        once_per=keys,
    )
    position = chosen[owner]
    order = np.lexsort((position, number))
    position, number = position[order], number[order]
    taken = occ.iloc[position].reset_index(drop=True)  # one copy, then cheap slices
    bounds = np.flatnonzero(np.diff(number)) + 1
    return [
        (int(number[lo]), taken.iloc[lo:hi].reset_index(drop=True))
        for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(number)], strict=True)
    ]


def _first_of_each(key: Int64s, number: Int64s) -> Bools:
    """True at the first row of each distinct ``(key, number)`` pair (``key`` >= 0)."""
    span = int(number.max() - number.min()) + 1
    keep = np.zeros(len(key), dtype=bool)
    keep[np.unique(key * span + (number - number.min()), return_index=True)[1]] = True
    return keep


def _confirmed(occ: pd.DataFrame) -> Bools:
    if not len(occ):
        return np.zeros(0, dtype=bool)
    return occ["confirmed"].to_numpy(dtype=bool)


def _range_of(
    occ: pd.DataFrame, start: date | None, end: date | None
) -> tuple[date | None, date | None]:
    """The given range, else the one :func:`occurrences` was asked for."""
    given = occ.attrs.get("range", (None, None))
    return (start if start is not None else given[0], end if end is not None else given[1])
