"""Approximate walking time: the one home of distance → minutes and minutes → reach.

:class:`WalkModel` is the seam: the Explore list, For members, Planning, the ``gaps``
and ``report`` commands and the page captions ask the town's model (:func:`walk_model`)
for minutes, for the ground reachable in some minutes (:class:`ReachCircle`,
:class:`ReachPolygon`, drawn on the coverage maps) and for the words that describe it,
and never assume how it walks. How minutes are *shown* lives here too
(:func:`shown_minutes`).

``city.toml``'s ``[walking] model`` chooses the class (:data:`WALK_MODELS`), both
deliberately simple and always labelled "approximate":

- ``straight_line`` (:class:`StraightLineWalk`, the default): straight-line distance in
  the town's metric CRS × a detour factor ÷ a walking speed. Kotor lies on a bay, so a
  straight line can cross water.
- ``street_grid`` (:class:`StreetGridWalk`): east–west plus north–south distance (the
  "Manhattan" distance along the metric CRS's axes) × the detour factor, for a town
  whose streets run on such a grid; a diagonal walk takes up to √2 × longer than the
  straight line, and what is reachable in N minutes is a diamond, not a circle.

A street-network model (OpenStreetMap routing) would be a third class here and one
entry in :data:`WALK_MODELS`, not a change in the pages.

Not every venue can be walked to from a point: :func:`reach` says, per venue, whether it
is placed and on foot (``walk``), reachable only by boat (``boat``: ``boat_only`` in the
data, e.g. the islet of Our Lady of the Rocks), or known only to its settlement
(``settlement``: its point is the settlement's placeholder, so minutes to it would be
invented). Only the first kind gets minutes (:func:`mapping.query.nearest`); the others
get none and never take part in a walking rank.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj

from mapping.i18n import t
from mapping.schema import as_text, yes_flags

if TYPE_CHECKING:
    from mapping.io import Dataset


@cache
def _to_metric(metric_crs: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", metric_crs, always_xy=True)


@cache
def _to_degrees(metric_crs: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(metric_crs, "EPSG:4326", always_xy=True)


def project(lon: float, lat: float, metric_crs: str) -> tuple[float, float]:
    """One WGS84 point in the metric CRS."""
    x, y = _to_metric(metric_crs).transform(lon, lat)
    return float(x), float(y)


REACH_WALK = "walk"
REACH_BOAT = "boat"
REACH_SETTLEMENT = "settlement"
REACH_ORDER: tuple[str, ...] = (REACH_WALK, REACH_BOAT, REACH_SETTLEMENT)
"""How a venue is reached, in the order a nearest-first list shows the kinds."""


def reach(venues: pd.DataFrame) -> pd.Series:
    """``walk``, ``boat`` or ``settlement`` for every venue (see the module docstring).

    ``boat_only`` wins over the precision: an islet placed exactly is still not a walk.
    """
    boat = yes_flags(venues.get("boat_only"), venues.index)
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


Points = pd.DataFrame
"""Places as a frame with ``lat`` and ``lon`` columns (degrees, EPSG:4326)."""


@dataclass(frozen=True)
class ReachCircle:
    """The ground reachable from ``centre`` (lat, lon): a circle of ``radius_m`` metres."""

    centre: tuple[float, float]
    radius_m: float


@dataclass(frozen=True)
class ReachPolygon:
    """The ground reachable from a point: the polygon ``ring`` of (lat, lon) corners."""

    ring: tuple[tuple[float, float], ...]


ReachArea = ReachCircle | ReachPolygon
"""What a coverage map draws around a venue for "within N minutes' walk"."""


class WalkModel(Protocol):
    """Anything that can say how many minutes' walk lie between places, and the reverse."""

    def minutes(self, origin: tuple[float, float], venues: pd.DataFrame) -> pd.Series:
        """Minutes on foot from ``origin`` (lat, lon) to every venue, indexed like ``venues``.

        ``venues`` carry metric ``x``/``y`` columns (:func:`mapping.io.enrich_dataset`).
        """
        ...

    def minutes_between(self, origins: Points, destinations: Points) -> npt.NDArray[np.float64]:
        """Minutes on foot from every origin to every destination: origins × destinations."""
        ...

    def reach_area(self, origin: tuple[float, float], minutes: float) -> ReachArea:
        """The ground within ``minutes`` on foot of ``origin`` (lat, lon), to draw."""
        ...

    def describe(self, lang: str) -> str:
        """One sentence telling the visitor how the minutes were estimated."""
        ...


@dataclass(frozen=True)
class PlanarWalk(ABC):
    """A walk measured in ``metric_crs``: walked metres (per subclass) at ``speed_kmh``.

    Per call the cost is one vector operation (:meth:`minutes`) or one broadcast
    (:meth:`minutes_between`); nothing is routed.
    """

    metric_crs: str
    speed_kmh: float = 4.5
    detour_factor: float = 1.3

    @property
    def metres_per_minute(self) -> float:
        """Walking speed in metres per minute."""
        return self.speed_kmh * 1000 / 60

    @abstractmethod
    def walked_metres(
        self, dx: npt.NDArray[np.float64], dy: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        """Metres walked for metric offsets ``dx``/``dy`` (arrays of the same shape)."""

    def minutes(self, origin: tuple[float, float], venues: pd.DataFrame) -> pd.Series:
        """Walked metres ÷ metres per minute, from ``origin`` to every venue."""
        lat, lon = origin
        x0, y0 = project(lon, lat, self.metric_crs)
        metres = self.walked_metres(
            venues["x"].to_numpy(dtype=float) - x0, venues["y"].to_numpy(dtype=float) - y0
        )
        return pd.Series(metres / self.metres_per_minute, index=venues.index)

    def minutes_between(self, origins: Points, destinations: Points) -> npt.NDArray[np.float64]:
        """Origins × destinations minutes, both projected once."""
        ox, oy = self._metric(origins)
        dx, dy = self._metric(destinations)
        metres = self.walked_metres(dx[None, :] - ox[:, None], dy[None, :] - oy[:, None])
        return metres / self.metres_per_minute

    def _metric(self, points: Points) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        x, y = _to_metric(self.metric_crs).transform(
            points["lon"].to_numpy(dtype=float), points["lat"].to_numpy(dtype=float)
        )
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    @abstractmethod
    def reach_area(self, origin: tuple[float, float], minutes: float) -> ReachArea:
        """The ground within ``minutes`` on foot of ``origin`` (lat, lon), to draw."""

    @abstractmethod
    def describe(self, lang: str) -> str:
        """One sentence telling the visitor how the minutes were estimated."""

    def reach_metres(self, minutes: float) -> float:
        """The farthest a walker gets from the start in ``minutes``, as the crow flies
        (on the easiest heading): minutes × speed ÷ detour."""
        return minutes * self.metres_per_minute / self.detour_factor


@dataclass(frozen=True)
class StraightLineWalk(PlanarWalk):
    """Straight line in ``metric_crs`` × ``detour_factor`` at ``speed_kmh``."""

    def walked_metres(
        self, dx: npt.NDArray[np.float64], dy: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        """Straight-line metres × the detour factor."""
        return np.hypot(dx, dy) * self.detour_factor

    def reach_area(self, origin: tuple[float, float], minutes: float) -> ReachArea:
        """A circle: the straight line walks the same in every direction."""
        return ReachCircle(origin, self.reach_metres(minutes))

    def describe(self, lang: str) -> str:
        """The ``near.model_note`` caption: straight line × detour at the walking speed."""
        return t("near.model_note", lang, detour=self.detour_factor, speed=self.speed_kmh)


@dataclass(frozen=True)
class StreetGridWalk(PlanarWalk):
    """East–west plus north–south metres in ``metric_crs`` × ``detour_factor`` at
    ``speed_kmh``: streets on a grid along the CRS's axes (set the detour near 1)."""

    def walked_metres(
        self, dx: npt.NDArray[np.float64], dy: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        """Grid ("Manhattan") metres × the detour factor."""
        return (np.abs(dx) + np.abs(dy)) * self.detour_factor

    def reach_area(self, origin: tuple[float, float], minutes: float) -> ReachArea:
        """A diamond: full reach along the grid's axes, half of it on the diagonals."""
        lat, lon = origin
        x0, y0 = project(lon, lat, self.metric_crs)
        r = self.reach_metres(minutes)
        xs = np.array([x0 + r, x0, x0 - r, x0])
        ys = np.array([y0, y0 + r, y0, y0 - r])
        lons, lats = _to_degrees(self.metric_crs).transform(xs, ys)
        return ReachPolygon(tuple((float(a), float(o)) for a, o in zip(lats, lons, strict=True)))

    def describe(self, lang: str) -> str:
        """The ``near.model_note_grid`` caption: grid distance × detour at the speed."""
        return t("near.model_note_grid", lang, detour=self.detour_factor, speed=self.speed_kmh)


WALK_MODELS: dict[str, type[PlanarWalk]] = {
    "straight_line": StraightLineWalk,
    "street_grid": StreetGridWalk,
}
"""The models ``city.toml``'s ``[walking] model`` may name, by that name."""
DEFAULT_WALK_MODEL = "straight_line"


def walk_model(dataset: Dataset) -> WalkModel:
    """The walking model for ``dataset``'s town (its ``[walking]`` settings in ``city.toml``).

    It takes the whole dataset, not only the town profile, so a model that needs data
    of its own (a street network in the data folder) can be chosen here.
    """
    city = dataset.city
    model = WALK_MODELS[city.walking_model]
    return model(city.metric_crs, city.walking_speed_kmh, city.detour_factor)
