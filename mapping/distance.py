"""Approximate walking time from a start point to every venue.

:class:`WalkModel` is the seam: the Explore list, the queries and the page caption ask
a model for minutes and for the words that describe it, and never assume how it
walks. :func:`walk_model` picks the town's model; today that is
:class:`StraightLineWalk`, deliberately simple and always labelled "approximate":
straight-line distance in the town's metric CRS × a detour factor ÷ a walking speed.
Kotor lies on a bay, so a straight line can cross water; a street-network model
(OpenStreetMap routing) would be a second class here and a change in
:func:`walk_model`, not in the pages.

Not every venue can be walked to from a point: :func:`reach` says, per venue, whether it
is placed and on foot (``walk``), reachable only by boat (``boat``: ``boat_only`` in the
data, e.g. the islet of Our Lady of the Rocks), or known only to its settlement
(``settlement``: its point is the settlement's placeholder, so minutes to it would be
invented). Only the first kind gets minutes (:func:`mapping.query.nearest`); the others
get none and never take part in a walking rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd
import pyproj

from mapping.i18n import t
from mapping.schema import as_text

if TYPE_CHECKING:
    from mapping.io import Dataset


@cache
def _to_metric(metric_crs: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", metric_crs, always_xy=True)


def project(lon: float, lat: float, metric_crs: str) -> tuple[float, float]:
    """One WGS84 point in the metric CRS."""
    x, y = _to_metric(metric_crs).transform(lon, lat)
    return float(x), float(y)


REACH_WALK = "walk"
REACH_BOAT = "boat"
REACH_SETTLEMENT = "settlement"
REACH_ORDER: tuple[str, ...] = (REACH_WALK, REACH_BOAT, REACH_SETTLEMENT)
"""How a venue is reached, in the order a nearest-first list shows the kinds."""


def flag(values: pd.Series | None, index: pd.Index) -> np.ndarray:
    """A yes/no data column (JSON ``true``, or the text ``true``/``yes``) as booleans.

    A missing column or value is ``False``: a venue is reachable on foot unless the
    data says otherwise.
    """
    if values is None:
        return np.zeros(len(index), dtype=bool)
    text = values.map(lambda v: str(v).strip().lower() if v is not None else "")
    return text.isin(("true", "yes", "1")).to_numpy(dtype=bool)


def reach(venues: pd.DataFrame) -> pd.Series:
    """``walk``, ``boat`` or ``settlement`` for every venue (see the module docstring).

    ``boat_only`` wins over the precision: an islet placed exactly is still not a walk.
    """
    boat = flag(venues.get("boat_only"), venues.index)
    precision = as_text(venues["location_precision"]).str.strip().str.lower()
    unplaced = (precision == REACH_SETTLEMENT).to_numpy()
    kinds = np.where(boat, REACH_BOAT, np.where(unplaced, REACH_SETTLEMENT, REACH_WALK))
    return pd.Series(kinds, index=venues.index, dtype=object)


def shown_minutes(minutes: float) -> int:
    """Walking minutes as every page shows them: whole minutes, never "0 min".

    A venue a few steps away still takes a minute to reach; the figure is approximate,
    so rounding to the minute says no more than the model knows.
    """
    return max(1, round(float(minutes)))


class WalkModel(Protocol):
    """Anything that can say how many minutes' walk each venue is from a point."""

    def minutes(self, origin: tuple[float, float], venues: pd.DataFrame) -> pd.Series:
        """Minutes on foot from ``origin`` (lat, lon) to every venue, indexed like ``venues``."""
        ...

    def describe(self, lang: str) -> str:
        """One sentence telling the visitor how the minutes were estimated."""
        ...


@dataclass(frozen=True)
class StraightLineWalk:
    """Straight line in ``metric_crs`` × ``detour_factor`` at ``speed_kmh``.

    ``venues`` must carry metric ``x``/``y`` columns (added by
    :func:`mapping.io.enrich_dataset`), so the per-call cost is one vector operation.
    """

    metric_crs: str
    speed_kmh: float = 4.5
    detour_factor: float = 1.3

    def minutes(self, origin: tuple[float, float], venues: pd.DataFrame) -> pd.Series:
        """Straight-line metres × detour ÷ metres per minute, for every venue."""
        lat, lon = origin
        x0, y0 = project(lon, lat, self.metric_crs)
        metres = np.hypot(
            venues["x"].to_numpy(dtype=float) - x0, venues["y"].to_numpy(dtype=float) - y0
        )
        metres_per_minute = self.speed_kmh * 1000 / 60
        return pd.Series(metres * self.detour_factor / metres_per_minute, index=venues.index)

    def describe(self, lang: str) -> str:
        """The ``near.model_note`` caption: straight line × detour at the walking speed."""
        return t("near.model_note", lang, detour=self.detour_factor, speed=self.speed_kmh)


def walk_model(dataset: Dataset) -> WalkModel:
    """The walking model for ``dataset``'s town (its ``[walking]`` settings in ``city.toml``).

    It takes the whole dataset, not only the town profile, so a model that needs data
    of its own (a street network in the data folder) can be chosen here.
    """
    city = dataset.city
    return StraightLineWalk(city.metric_crs, city.walking_speed_kmh, city.detour_factor)
