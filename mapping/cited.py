"""Cited coordinates: where a source puts a venue, as two numbers every GIS format keeps.

Decisions (``data/README.md``, venues.geojson):

- A venue's cited point is ``cited_lat`` and ``cited_lon``: JSON numbers in WGS84
  degrees, both ``null`` (or absent) when no source gives coordinates. Two plain numeric
  columns survive GeoJSON, GeoPackage, Shapefile and CSV round trips; the former JSON
  array ``cited_coordinates`` did not (GIS tools flatten a list to a string, which
  ``validate`` then refused).
- The old form is still read: ``cited_coordinates`` as ``[lon, lat]``, or as the text a
  GIS round trip leaves of it (``"[18.77, 42.42]"``, NumPy's ``"[18.77 42.42]"``, OGR's
  ``"(2:18.77,42.42)"``). The loader turns it into the two columns
  (:func:`to_columns`); every writer writes the new form (:func:`convert_properties` on
  a GeoJSON feature, idempotent). Where a record has both forms the new one wins.
- ``validate`` (:func:`check_cited`): the two numbers go together, latitude -90..90,
  longitude -180..180; an ``exact`` or ``approximate`` point must lie within
  ``[precision]`` metres of its cited point (a ``settlement`` point stands for the whole
  settlement, so its distance says nothing).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyproj
import shapely

from mapping.errors import Problem
from mapping.schema import PRECISION_APPROXIMATE, PRECISION_EXACT
from mapping.settings import CityProfile

LAT = "cited_lat"
"""Latitude a source gives for the venue (degrees, WGS84)."""
LON = "cited_lon"
"""Longitude a source gives for the venue (degrees, WGS84)."""
FIELDS = (LAT, LON)
"""The cited-coordinate properties, in the order they are written."""
LEGACY = "cited_coordinates"
"""The former single property ``[lon, lat]``: read, never written."""
_LIMITS = {LAT: 90.0, LON: 180.0}
_Frame = TypeVar("_Frame", bound=pd.DataFrame)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def blank(value: object) -> bool:
    """No value: ``None``, NaN/NA, or text that is only white space."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    return isinstance(value, str) and not value.strip()


def number(value: object) -> float | None:
    """``value`` as a finite number (a JSON number, or its text from a table), else ``None``.

    A boolean is not a number here, even though Python counts it as one.
    """
    if isinstance(value, bool | np.bool_) or blank(value):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        found = float(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        found = float(value.strip())
    else:
        return None
    return found if math.isfinite(found) else None


def legacy_point(value: object) -> tuple[float, float] | None:
    """``(lon, lat)`` from an old-form ``cited_coordinates`` value, or ``None`` when it is
    not two numbers (a list, a tuple, a NumPy array, or the text GIS tools make of one)."""
    if isinstance(value, list | tuple | np.ndarray):
        parts: list[object] = list(value)
    elif isinstance(value, str):
        text = re.sub(r"^\(\d+:", "(", value.strip())  # OGR's "(2:lon,lat)"
        parts = list(text.strip("[]()").replace(",", " ").split())
    else:
        return None
    if len(parts) != 2:
        return None
    lon, lat = number(parts[0]), number(parts[1])
    if lon is None or lat is None:
        return None
    return lon, lat


def to_columns(frame: _Frame) -> _Frame:
    """``frame`` with ``cited_lat``/``cited_lon`` as float columns (NaN: none), filled
    from the old ``cited_coordinates`` where both are empty; the old column dropped.

    Values that are not numbers become NaN: :func:`check_cited` runs on the frame as
    read and names them.
    """
    out = frame.copy()
    columns = {
        f: (
            out[f].map(number).astype(float)
            if f in out.columns
            else pd.Series(np.nan, index=out.index, dtype=float)
        )
        for f in FIELDS
    }
    if LEGACY in out.columns:
        points = out[LEGACY].map(legacy_point)
        keep = columns[LAT].notna() | columns[LON].notna() | points.isna()
        for f, at in ((LON, 0), (LAT, 1)):
            old = points.map(lambda p, at=at: np.nan if p is None else p[at]).astype(float)
            columns[f] = columns[f].where(keep, old)
        out = out.drop(columns=[LEGACY])
    for f in FIELDS:
        out[f] = columns[f]
    return out


def convert_properties(props: dict[str, Any]) -> bool:
    """Rewrite one GeoJSON feature's properties to the new form, in place: the old
    ``cited_coordinates`` is replaced, where it stood, by ``cited_lat`` and ``cited_lon``
    (``null`` when it was empty). Key order is kept. Whether anything changed.

    Idempotent. An old value that is not two numbers is left as it is, for ``validate``
    to name; a record that already has the new numbers just loses the old key.
    """
    if LEGACY not in props:
        return False
    value = props[LEGACY]
    point = legacy_point(value)
    if point is None and not blank(value):
        return False
    if any(not blank(props.get(f)) for f in FIELDS):
        del props[LEGACY]
        return True
    new = {LAT: point[1] if point else None, LON: point[0] if point else None}
    items = [(k, v) for k, v in props.items() if k not in FIELDS]
    props.clear()
    for key, item in items:
        if key == LEGACY:
            props.update(new)
        else:
            props[key] = item
    return True


def convert_document(doc: Any) -> int:
    """Convert every feature of a venues FeatureCollection (:func:`convert_properties`);
    how many changed. Anything that is not a feature with properties is left alone."""
    features = doc.get("features") if isinstance(doc, dict) else None
    changed = 0
    for feature in features if isinstance(features, list) else []:
        props = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(props, dict) and convert_properties(props):
            changed += 1
    return changed


def check_cited(
    venues: pd.DataFrame, file: str, labels: list[str], city: CityProfile
) -> list[Problem]:
    """Every problem with the venues' cited coordinates (see the module's decisions)."""
    problems: list[Problem] = []
    frame = pd.DataFrame(
        {f: venues[f] if f in venues.columns else None for f in (*FIELDS, LEGACY)},
        index=venues.index,
    )
    precision = venues.get("location_precision", None)
    geometry = venues.geometry if hasattr(venues, "geometry") else None
    allowed = {
        PRECISION_EXACT: city.exact_within_m,
        PRECISION_APPROXIMATE: city.approximate_within_m,
    }
    metres = _metres(city.metric_crs)
    for i, (lat, lon, legacy) in enumerate(frame[[LAT, LON, LEGACY]].itertuples(index=False)):
        found: list[tuple[str, str]] = []
        point = _point(lat, lon, legacy, found)
        problems += [Problem(file, labels[i], field, msg) for field, msg in found]
        kind = str(precision.iloc[i]) if precision is not None else ""
        limit = allowed.get(kind)
        shape = geometry.iloc[i] if geometry is not None else None
        if point is None or limit is None or not isinstance(shape, shapely.Point):
            continue
        if shape.is_empty:
            continue
        distance = metres(point, (shape.x, shape.y))
        if distance > limit:
            msg = (
                f"point is {distance:.0f} m from its cited coordinates "
                f"(lat {point[1]}, lon {point[0]}); a {kind} point may be at most "
                f"{limit:.0f} m away ([precision] in city.toml)"
            )
            problems.append(Problem(file, labels[i], "geometry", msg))
    return problems


def _point(
    lat: object, lon: object, legacy: object, found: list[tuple[str, str]]
) -> tuple[float, float] | None:
    """``(lon, lat)`` of one record; what is wrong goes to ``found`` as (field, message)."""
    if not (blank(lat) and blank(lon)):
        values: dict[str, float] = {}
        for field, value in ((LAT, lat), (LON, lon)):
            degrees = number(value)
            if blank(value):
                other = LON if field == LAT else LAT
                found.append((field, f"missing; {other} is given, and the two go together"))
            elif degrees is None or abs(degrees) > _LIMITS[field]:
                limit = _LIMITS[field]
                msg = f"expected a number of degrees from -{limit:.0f} to {limit:.0f}"
                found.append((field, f"{msg}, got {value!r:.60}"))
            else:
                values[field] = degrees
        return (values[LON], values[LAT]) if len(values) == 2 else None
    if blank(legacy):
        return None
    point = legacy_point(legacy)
    if point is None or abs(point[0]) > _LIMITS[LON] or abs(point[1]) > _LIMITS[LAT]:
        msg = f"expected [longitude, latitude] as two numbers, got {legacy!r:.60}"
        found.append((LEGACY, msg))
        return None
    return point


def _metres(metric_crs: str) -> Callable[[tuple[float, float], tuple[float, float]], float]:
    """Distance in metres between two ``(lon, lat)`` points, in the town's metric CRS."""
    to_metric = pyproj.Transformer.from_crs("EPSG:4326", metric_crs, always_xy=True)

    def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
        x0, y0 = to_metric.transform(*a)
        x1, y1 = to_metric.transform(*b)
        return float(np.hypot(x1 - x0, y1 - y0))

    return distance
