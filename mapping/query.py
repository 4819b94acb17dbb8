"""Venue queries: filters as plain values, applied as vectorised masks.

A :class:`VenueFilter` is hashable, so pages can cache results keyed on it and the
URL can round-trip it. Decisions:
- "open at/on" and "open in month" keep only venues known to be open; venues whose
  hours are unknown are *not* shown as closed, but they are not shown as open either.
- the wheelchair filter keeps :data:`mapping.schema.WHEELCHAIR_ACCESSIBLE` (``yes`` and
  ``limited``; the card says which).
- text search folds case and diacritics; every word of the query must match.
- ``unknown_hours`` (with a time filter) also keeps the venues whose hours are unknown
  at that time, so a visitor can choose to see them (marked "hours unknown").
- ``visitable_only`` drops organisations whose ``visit`` is ``no`` (an office, not a
  place to visit); ``yes``, ``appointment`` and unknown stay. Pages use it for the
  "near" ranking and the "open" results, never to hide a record from search.
- :func:`nearest` ranks by walking minutes only the venues one can walk to; boat-only
  and settlement-level venues follow, without minutes (see :mod:`mapping.distance`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping import hours
from mapping.distance import REACH_ORDER, WalkModel, reach
from mapping.schema import WHEELCHAIR_ACCESSIBLE, as_text, in_cluster
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
    unknown_hours: bool = False
    visitable_only: bool = False


NOT_VISITABLE = "no"


def visitable(venues: pd.DataFrame) -> np.ndarray:
    """Venues that are not known to be closed to visitors (``visit`` other than ``no``).

    Unknown counts as visitable: only the data's explicit ``no`` keeps a venue out.
    """
    if "visit" not in venues.columns:
        return np.ones(len(venues), dtype=bool)
    values = as_text(venues["visit"]).str.strip().str.lower()
    return (values != NOT_VISITABLE).to_numpy(dtype=bool)


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


def _hours_state(
    venues: pd.DataFrame, f: VenueFilter, tz: str, country: str | None
) -> pd.Series | None:
    """Open (True), closed (False) or unknown (NA) at ``f``'s time; None without one."""
    if f.open_at is not None:
        return hours.open_at(venues["opening_hours"], f.open_at, tz, country=country)
    if f.open_on is not None:
        return hours.open_on(venues["opening_hours"], f.open_on, tz, country=country)
    return None


def filter_mask(
    venues: pd.DataFrame, f: VenueFilter, tz: str, country: str | None = None
) -> np.ndarray:
    """Boolean mask of the venues that pass ``f`` (``country`` for public holidays)."""
    mask = _mask_but_time(venues, f)
    if f.month is not None:
        mask &= _known_true(hours.open_in_month(venues, f.month))
    if f.open_on is not None and f.open_at is not None:
        mask &= _known_true(hours.open_on(venues["opening_hours"], f.open_on, tz, country=country))
    state = _hours_state(venues, f, tz, country)
    if state is not None:
        keep = _known_true(state)
        if f.unknown_hours:
            keep |= state.isna().to_numpy()
        mask &= keep
    return mask


def unknown_hours_count(
    venues: pd.DataFrame, f: VenueFilter, tz: str, country: str | None = None
) -> int:
    """How many venues would match ``f`` but for hours that are unknown at its time.

    0 without a time filter. Pages say this number and offer to include them.
    """
    state = _hours_state(venues, f, tz, country)
    if state is None:
        return 0
    mask = _mask_but_time(venues, f) & state.isna().to_numpy()
    return int(mask.sum())


def _mask_but_time(venues: pd.DataFrame, f: VenueFilter) -> np.ndarray:
    """Every part of ``f`` except the opening-hours ones."""
    mask = np.ones(len(venues), dtype=bool)
    if f.visitable_only:
        mask &= visitable(venues)
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
    """Venues nearest first, with ``reach`` and ``walk_min`` (``model``'s minutes from
    ``origin``, lat/lon; NaN unless ``reach`` is ``walk``).

    Venues one can walk to come first, by minutes; then boat-only ones, then those known
    only to their settlement. Within those two groups the order follows the model's
    minutes to their (landing or settlement) point, so nearer places still come first,
    but no minutes are shown or ranked for them. Stable for ties.
    """
    raw = model.minutes(origin, venues).astype(float)
    kinds = reach(venues)
    group = kinds.map({kind: i for i, kind in enumerate(REACH_ORDER)})
    order = np.lexsort((raw.to_numpy(), group.to_numpy(dtype=int)))
    out = venues.assign(reach=kinds, walk_min=raw.where(kinds == REACH_ORDER[0]))
    out = out.iloc[order]
    return out if limit is None else out.head(limit)
