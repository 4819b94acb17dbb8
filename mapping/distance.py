"""Approximate walking time from a start point to every venue.

The model is deliberately simple and always labelled "approx.": straight-line
distance in the town's metric CRS × a detour factor ÷ a walking speed. Kotor lies on
a bay, so a straight line can cross water; :class:`WalkModel` is the seam where a
street-network model (OpenStreetMap routing) can replace it without touching pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np
import pandas as pd
import pyproj

from mapping.settings import CityProfile


@cache
def _to_metric(metric_crs: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", metric_crs, always_xy=True)


def project(lon: float, lat: float, metric_crs: str) -> tuple[float, float]:
    """One WGS84 point in the metric CRS."""
    return _to_metric(metric_crs).transform(lon, lat)


class WalkModel(Protocol):
    """Anything that can say how many minutes' walk each venue is from a point."""

    def minutes_from(self, lat: float, lon: float, venues: pd.DataFrame) -> pd.Series: ...


@dataclass(frozen=True)
class StraightLineWalk:
    """Straight line in ``metric_crs`` × ``detour_factor`` at ``speed_kmh``.

    ``venues`` must carry metric ``x``/``y`` columns (added by
    :func:`mapping.io.enrich_dataset`), so the per-call cost is one vector operation.
    """

    metric_crs: str
    speed_kmh: float = 4.5
    detour_factor: float = 1.3

    def metres_from(self, lat: float, lon: float, venues: pd.DataFrame) -> pd.Series:
        x0, y0 = project(lon, lat, self.metric_crs)
        dist = np.hypot(venues["x"].to_numpy() - x0, venues["y"].to_numpy() - y0)
        return pd.Series(dist * self.detour_factor, index=venues.index)

    def minutes_from(self, lat: float, lon: float, venues: pd.DataFrame) -> pd.Series:
        metres_per_minute = self.speed_kmh * 1000 / 60
        return self.metres_from(lat, lon, venues) / metres_per_minute


def walk_model(city: CityProfile) -> StraightLineWalk:
    """The town's configured walking model."""
    return StraightLineWalk(city.metric_crs, city.walking_speed_kmh, city.detour_factor)
