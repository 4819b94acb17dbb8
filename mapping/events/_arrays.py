"""Time as integer arrays, shared by the events modules: nanoseconds, days, months, ranges.

Occurrences are handled as ``int64`` nanoseconds, either UTC ("when it happens") or
naive local wall-clock time ("which day or month it is in the town"). Days and months
are numbered like NumPy's ``datetime64[D]`` and ``datetime64[M]``: days and months since
1970-01-01, so a bucket is one integer and a range of buckets is two.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

Int64s = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Times = npt.NDArray[np.datetime64]
Unit = Literal["D", "M"]
"""A bucket: a local day (``"D"``) or a local calendar month (``"M"``)."""

DAY_NS = 86_400 * 10**9
_EPOCH = date(1970, 1, 1)


def localize(naive: Int64s | Times, tz: str) -> pd.DatetimeIndex:
    """Local wall times -> aware; DST gaps shift forward, repeated hours read as summer time.

    The one reading of a wall-clock time in the events code, so ``events.csv`` and the
    recurrence expansion agree on the DST change nights.
    """
    index = pd.DatetimeIndex(np.asarray(naive).astype("datetime64[ns]")).as_unit("ns")
    return index.tz_localize(
        tz, ambiguous=np.ones(len(index), dtype=bool), nonexistent="shift_forward"
    )


def naive_ns(values: pd.Series | pd.DatetimeIndex, tz: str | None) -> Int64s:
    """Aware times as local wall-clock nanoseconds in ``tz`` (``None``: their own zone)."""
    index = pd.DatetimeIndex(values)
    if index.tz is not None:
        index = (index.tz_convert(tz) if tz is not None else index).tz_localize(None)
    return np.asarray(index.as_unit("ns").asi8, dtype=np.int64)


def utc_ns(values: pd.Series | pd.DatetimeIndex) -> Int64s:
    """Aware times as UTC nanoseconds."""
    return np.asarray(pd.DatetimeIndex(values).as_unit("ns").asi8, dtype=np.int64)


def from_utc_ns(values: Int64s, tz: str) -> pd.DatetimeIndex:
    """UTC nanoseconds back to aware times in ``tz``."""
    return pd.DatetimeIndex(values.astype("datetime64[ns]"), tz="UTC").tz_convert(tz)


def day_ns(day: date) -> int:
    """Local midnight of ``day`` as naive nanoseconds."""
    return int(np.datetime64(day, "ns").astype(np.int64))


def midnight(day: date, tz: str) -> int:
    """Local midnight of ``day`` as UTC nanoseconds."""
    return int(localize(np.array([day_ns(day)], dtype=np.int64), tz).asi8[0])


def last_instant(start: Int64s, end: Int64s) -> Int64s:
    """The last moment an occurrence covers (``end`` is exclusive; zero length -> start)."""
    return np.where(end > start, end - 1, start)


def bucket(naive: Int64s, unit: Unit) -> Int64s:
    """The day or month number each naive local time falls in."""
    return naive.astype("datetime64[ns]").astype(f"datetime64[{unit}]").astype(np.int64)


def bucket_of(day: date, unit: Unit) -> int:
    """The day or month number of a local date."""
    return int(np.datetime64(day, unit).astype(np.int64))


def bucket_start(buckets: Int64s, unit: Unit) -> Int64s:
    """The first instant (naive ns) of each day or month number."""
    return buckets.astype(f"datetime64[{unit}]").astype("datetime64[ns]").astype(np.int64)


def day_of(number: int) -> date:
    """The date of a day number."""
    return date.fromordinal(_EPOCH.toordinal() + number)


def year_month_of(number: int) -> tuple[int, int]:
    """``(year, month)`` of a month number."""
    year, month = divmod(number, 12)
    return 1970 + year, month + 1


def explode_ranges(first: Int64s, count: Int64s) -> tuple[Int64s, Int64s]:
    """Each range ``first[i], first[i] + 1, … (count[i] values)``, flattened.

    Returns ``(owner, value)``: for every value, the index ``i`` of its range. Ranges
    stay in input order and each range ascends. This is how one occurrence becomes one
    row per day it runs on, and one rule's dates become one row per event using it,
    without a Python loop over 200,000 rows.
    """
    count = np.clip(count, 0, None).astype(np.int64)
    owner = np.repeat(np.arange(len(count), dtype=np.int64), count)
    offset = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(count) - count, count
    )
    return owner, np.asarray(first, dtype=np.int64)[owner] + offset
