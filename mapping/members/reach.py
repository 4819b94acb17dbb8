"""When am I open, against my category? Open hours a week, month by month."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapping import hours
from mapping.io import Dataset
from mapping.members.checks import venue_row
from mapping.memo import per_dataset
from mapping.query import visitable


@per_dataset
def category_month_hours(data: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per category and month: the median open hours per week, and how many venues it
    is over (those with known hours that month; closed months count, as 0 hours).

    Over the venues a visitor can go to (``visit`` not ``no``), like Planning's
    seasonality. Two frames indexed by category, columns 1–12.
    """
    venues = data.venues[visitable(data.venues)]
    weekly = venues[list(hours.WEEKLY_HOURS_COLUMNS)].set_axis(range(1, 13), axis=1)
    grouped = weekly.groupby(venues["category"].astype(str))
    return grouped.median(), grouped.count()


@per_dataset
def monthly_reach(data: Dataset, venue_id: str) -> pd.DataFrame:
    """Per month (1–12) of the data year: ``state`` (True open / False closed / None
    unknown), ``hours`` (open hours per week, NaN unknown), ``category_median`` (NaN when
    no venue of the category has known hours that month) and ``category_known``."""
    row = venue_row(data, venue_id)
    category = str(row["category"].iloc[0])
    medians, known = category_month_hours(data)
    states = row[list(hours.MONTH_STATE_COLUMNS)].to_numpy(dtype=object)[0]
    months = list(range(1, 13))
    has = category in medians.index
    return pd.DataFrame(
        {
            "month": months,
            "state": pd.Series(
                [{hours.OPEN: True, hours.CLOSED: False}.get(s) for s in states], dtype=object
            ),
            "hours": row[list(hours.WEEKLY_HOURS_COLUMNS)].to_numpy(dtype=float)[0],
            "category_median": medians.loc[category].to_numpy(dtype=float)
            if has
            else np.full(12, np.nan),
            "category_known": known.loc[category].to_numpy(dtype=int)
            if has
            else np.zeros(12, dtype=int),
        }
    )
