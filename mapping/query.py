"""Venue queries: filters as plain values, applied as vectorised masks.

A :class:`VenueFilter` is hashable, so pages can cache results keyed on it and the
URL can round-trip it. Decisions:
- "open at/on" and "open in month" keep only venues known to be open; venues whose
  hours are unknown are *not* shown as closed, but they are not shown as open either.
- the wheelchair filter keeps :data:`mapping.schema.WHEELCHAIR_ACCESSIBLE` (``yes`` and
  ``limited``; the card says which).
- text search folds case and diacritics; every word of the query must match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping import hours
from mapping.distance import WalkModel
from mapping.schema import WHEELCHAIR_ACCESSIBLE, in_cluster
from mapping.text import fold


@dataclass(frozen=True)
class VenueFilter:
    """What a visitor asked for; empty/None fields do not filter."""

    categories: tuple[str, ...] | None = None
    text: str = ""
    open_at: datetime | None = None
    open_on: date | None = None
    month: int | None = None
    members_only: bool = False
    wheelchair: bool = False
    ids: tuple[str, ...] | None = field(default=None)


def text_mask(venues: pd.DataFrame, text: str) -> np.ndarray:
    """Rows whose names/descriptions contain every word of ``text`` (folded)."""
    words = fold(text).split()
    mask = np.ones(len(venues), dtype=bool)
    haystack = venues["search"]
    for word in words:
        mask &= haystack.str.contains(word, regex=False).to_numpy()
    return mask


def _known_true(values: pd.Series) -> np.ndarray:
    return values.fillna(False).to_numpy(dtype=bool)


def filter_mask(
    venues: pd.DataFrame, f: VenueFilter, tz: str, country: str | None = None
) -> np.ndarray:
    """Boolean mask of the venues that pass ``f`` (``country`` for public holidays)."""
    mask = np.ones(len(venues), dtype=bool)
    if f.categories is not None:
        mask &= venues["category"].isin(f.categories).to_numpy()
    if f.ids is not None:
        mask &= venues["id"].isin(f.ids).to_numpy()
    if f.members_only:
        mask &= in_cluster(venues["cluster"])
    if f.wheelchair:
        mask &= venues["wheelchair"].isin(WHEELCHAIR_ACCESSIBLE).to_numpy()
    if f.text.strip():
        mask &= text_mask(venues, f.text)
    if f.month is not None:
        mask &= _known_true(hours.open_in_month(venues, f.month))
    if f.open_on is not None:
        mask &= _known_true(hours.open_on(venues["opening_hours"], f.open_on, tz, country=country))
    if f.open_at is not None:
        mask &= _known_true(hours.open_at(venues["opening_hours"], f.open_at, tz, country=country))
    return mask


def apply_filter(
    venues: gpd.GeoDataFrame, f: VenueFilter, tz: str, country: str | None = None
) -> gpd.GeoDataFrame:
    """The venues that pass ``f``, in their original order."""
    return venues[filter_mask(venues, f, tz, country)]


def nearest(
    venues: pd.DataFrame,
    origin: tuple[float, float],
    model: WalkModel,
    limit: int | None = None,
) -> pd.DataFrame:
    """Venues with a ``walk_min`` column (``model``'s minutes from ``origin``, lat/lon),
    nearest first (stable for ties)."""
    out = venues.assign(walk_min=model.minutes(origin, venues))
    out = out.sort_values("walk_min", kind="stable")
    return out if limit is None else out.head(limit)
