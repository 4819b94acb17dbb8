"""Seasonality for planners: what is open, for how many hours, and what is unknown, per month.

Over the enriched month columns (:data:`mapping.hours.MONTH_STATE_COLUMNS` and the weekly
hours beside them) of the venues a visitor can go to (:func:`mapping.query.visitable`),
and over the events of a year. Unknown hours are their own series, never counted as open
nor as closed. (:mod:`mapping.seasons` is something else: opening hours in words.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from mapping import events as ev
from mapping.coverage import MONTHS, category_groups
from mapping.hours import MONTH_STATE_COLUMNS, OPEN, UNKNOWN, WEEKLY_HOURS_COLUMNS
from mapping.query import visitable
from mapping.schema import yes_flags

if TYPE_CHECKING:
    from mapping.io import Dataset


def seasonality(dataset: Dataset) -> pd.DataFrame:
    """Per month and category: venues open, open venue-hours per week, hours unknown.

    Columns ``month``, ``category``, ``group``, ``open`` (open on at least one day),
    ``hours`` (open venue-hours per week), ``unknown`` (venues whose hours are unknown
    that month: their own series, never open nor closed). Only venues a visitor can go
    to (``visit`` is not ``no``).
    """
    venues = dataset.venues[visitable(dataset.venues)]
    groups = category_groups(dataset.categories)
    rows = []
    for month, state_col, hours_col in zip(
        MONTHS, MONTH_STATE_COLUMNS, WEEKLY_HOURS_COLUMNS, strict=True
    ):
        for category, part in venues.groupby("category", sort=True):
            states = part[state_col]
            rows.append(
                (
                    month,
                    str(category),
                    groups.get(str(category), str(category)),
                    int((states == OPEN).sum()),
                    float(part.loc[states == OPEN, hours_col].sum()),
                    int((states == UNKNOWN).sum()),
                )
            )
    return pd.DataFrame(rows, columns=["month", "category", "group", "open", "hours", "unknown"])


def by_group(season: pd.DataFrame) -> pd.DataFrame:
    """:func:`seasonality` summed per month and category group; every month at 0 (group
    ``""``) when there is nothing to sum (a town without venues yet), so charts draw."""
    found = season.groupby(["month", "group"], as_index=False)[["open", "hours", "unknown"]].sum()
    if found.empty:
        months = list(range(1, 13))
        return pd.DataFrame(
            {"month": months, "group": "", "open": 0, "hours": 0.0, "unknown": 0}, index=months
        ).reset_index(drop=True)
    return found


def per_month(season: pd.DataFrame) -> pd.DataFrame:
    """:func:`seasonality` summed per month (one row each month)."""
    return season.groupby("month", as_index=False)[["open", "hours", "unknown"]].sum()


def off_peak_ratio(
    season: pd.DataFrame, off_season: Sequence[int], peak: Sequence[int]
) -> float | None:
    """Mean open venue-hours per week in the off-season ÷ the same in the peak months.

    None when nothing is known open in the peak (the ratio would be meaningless).
    """
    # every month, 0 where nothing is known (a town without venues yet has no rows)
    months = per_month(season).set_index("month")["hours"].reindex(range(1, 13), fill_value=0)
    peak_hours = float(months.loc[list(peak)].mean())
    if not peak_hours:
        return None
    return float(months.loc[list(off_season)].mean()) / peak_hours


def events_per_month(dataset: Dataset, year: int) -> pd.DataFrame:
    """Event occurrences starting in each month of ``year`` by category, confirmed apart.

    Columns ``month``, ``category``, ``confirmed`` (bool), ``events``.
    """
    occ = ev.occurrences(
        dataset.events, date(year, 1, 1), date(year, 12, 31), dataset.city.timezone
    )
    if occ.empty:
        return pd.DataFrame(columns=["month", "category", "confirmed", "events"])
    starts = pd.to_datetime(occ["start"])
    frame = pd.DataFrame(
        {
            "month": starts.dt.month.to_numpy(),
            "category": occ["category"].fillna("").astype(str).to_numpy(),
            "confirmed": yes_flags(occ["dates_confirmed"], occ.index),
        }
    )
    return frame.groupby(["month", "category", "confirmed"]).size().rename("events").reset_index()
