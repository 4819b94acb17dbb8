"""Reading one geodata file: points from GeoJSON, CSV or any format geopandas reads, in
EPSG:4326, and the size and kind checks every data file passes first.

GeoJSON is read exactly, so a value's JSON type is kept for validation; CSV needs
``lon``/``lat`` columns (or ``x``/``y`` with a named CRS). Every geometry is reprojected
to EPSG:4326. A GeoJSON without a ``crs`` member is WGS84 (RFC 7946); any other file
without a CRS is an error unless the caller names one. Every failure is a
:class:`~mapping.errors.DataError` naming the file, never another exception.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import orjson
import pandas as pd
import pyproj
import shapely

from mapping.errors import DataError, Problem
from mapping.files import spreadsheet_raw

WGS84 = "EPSG:4326"

_LON_NAMES = ("lon", "lng", "longitude", "x")
_LAT_NAMES = ("lat", "latitude", "y")


def check_file(path: Path, max_bytes: int | None = None) -> int:
    """The size of the data file at ``path``; :class:`DataError` naming it when it is
    missing, a folder (or anything but a regular file), unreadable, or over ``max_bytes``."""
    try:
        info = path.stat()
        if path.is_dir():
            msg = "is a folder; expected a file"
        elif not path.is_file():
            msg = "is not a regular file; expected a file"
        elif not os.access(path, os.R_OK):
            msg = "cannot be read (permission denied)"
        elif max_bytes is not None and info.st_size > max_bytes:
            msg = (
                f"file is {info.st_size / 1048576:.1f} MB; expected at most "
                f"{max_bytes / 1048576:.0f} MB ([limits] max_file_mb in city.toml)"
            )
        else:
            return info.st_size
    except FileNotFoundError:
        msg = "file not found"
    except OSError as exc:
        msg = f"cannot read: {exc}"
    raise DataError([Problem(path.name, "-", "-", msg)])


def read_geodata(
    path: Path, crs: str | None = None, *, max_bytes: int | None = None
) -> gpd.GeoDataFrame:
    """Read points from GeoJSON, CSV (lon/lat) or any format geopandas reads, in EPSG:4326.

    ``crs`` names the CRS of a file that does not carry one; a file that carries one
    keeps its own. Raises :class:`DataError` naming the file when it cannot be read
    (missing, a folder, unreadable, not UTF-8, larger than ``max_bytes``).
    """
    if check_file(path, max_bytes) == 0:
        raise DataError([Problem(path.name, "-", "-", "file is empty; expected features")])
    try:
        frame = _read_any(path, crs)
        return frame.to_crs(WGS84) if frame.crs != pyproj.CRS(WGS84) else frame
    except OSError as exc:
        raise DataError([Problem(path.name, "-", "-", f"cannot read: {exc}")]) from None
    except (ValueError, pyproj.exceptions.CRSError) as exc:
        if isinstance(exc, DataError):
            raise
        msg = f"cannot read the geometries: {exc}"
        raise DataError([Problem(path.name, "-", "geometry", msg)]) from None


def _read_any(path: Path, crs: str | None) -> gpd.GeoDataFrame:
    suffix = path.suffix.lower()
    if suffix in {".geojson", ".json"}:
        frame = _read_geojson(path, crs)
    elif suffix == ".csv":
        frame = _read_csv_points(path, crs)
    else:
        frame = _read_with_geopandas(path, crs)
    return frame


def _read_geojson(path: Path, crs: str | None) -> gpd.GeoDataFrame:
    try:
        doc = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        msg = f"malformed JSON ({exc}); expected a GeoJSON FeatureCollection"
        raise DataError([Problem(path.name, "-", "-", msg)]) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        msg = 'expected a GeoJSON object with "type": "FeatureCollection"'
        raise DataError([Problem(path.name, "-", "type", msg)])
    features = doc.get("features")
    if not isinstance(features, list):
        raise DataError([Problem(path.name, "-", "features", "expected a list of features")])
    file_crs = _geojson_crs(path, doc) or crs or WGS84
    props: list[dict[str, Any]] = []
    for feature in features:
        found = feature.get("properties") if isinstance(feature, dict) else None
        props.append(found if isinstance(found, dict) else {})
    frame = pd.DataFrame.from_records(props) if props else pd.DataFrame()
    geometries = np.empty(len(features), dtype=object)  # an unreadable geometry stays None
    geometries[:] = [
        _point_or_shape(f.get("geometry") if isinstance(f, dict) else None) for f in features
    ]
    return gpd.GeoDataFrame(frame, geometry=geometries, crs=file_crs)


def _geojson_crs(path: Path, doc: dict[str, Any]) -> str | None:
    """The legacy ``crs`` member's name (e.g. ``urn:ogc:def:crs:EPSG::3857``), if any."""
    member = doc.get("crs")
    if member is None:
        return None
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    try:
        return pyproj.CRS.from_user_input(name).to_string()
    except (pyproj.exceptions.CRSError, TypeError):
        msg = f"unknown CRS {name!r}; expected e.g. 'EPSG:3857' or omit it for WGS84"
        raise DataError([Problem(path.name, "-", "crs", msg)]) from None


def _point_or_shape(geometry: object) -> shapely.Geometry | None:
    """A shapely geometry from a GeoJSON geometry; ``None`` when absent or unreadable."""
    if not isinstance(geometry, dict):
        return None
    if geometry.get("type") == "Point":
        coords = geometry.get("coordinates")
        if (
            isinstance(coords, list)
            and len(coords) >= 2
            and all(isinstance(c, int | float) for c in coords[:2])
        ):
            return shapely.Point(coords[0], coords[1])
        return None
    try:
        return shapely.geometry.shape(geometry)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None


def _read_csv_points(path: Path, crs: str | None) -> gpd.GeoDataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError([Problem(path.name, "-", "-", f"malformed CSV: {exc}")]) from None
    frame = frame.map(spreadsheet_raw)  # our own exports' formula guard, undone
    frame.columns = [spreadsheet_raw(str(c)) for c in frame.columns]
    columns = {str(c).lower(): c for c in frame.columns}
    lon = next((columns[n] for n in _LON_NAMES if n in columns), None)
    lat = next((columns[n] for n in _LAT_NAMES if n in columns), None)
    if lon is None or lat is None:
        msg = "expected coordinate columns lon and lat (or x and y with a named CRS)"
        raise DataError([Problem(path.name, "-", "lon/lat", msg)])
    lon_is_xy = lon.lower() == "x"
    if lon_is_xy and crs is None:
        msg = "columns x/y carry no CRS; name one (e.g. --source-crs EPSG:32634) or use lon/lat"
        raise DataError([Problem(path.name, "-", "crs", msg)])
    xs = pd.to_numeric(frame[lon], errors="coerce").to_numpy()
    ys = pd.to_numeric(frame[lat], errors="coerce").to_numpy()
    # Array in, array out; the stub's return type also covers the one-point call.
    points = cast("npt.NDArray[np.object_]", shapely.points(xs, ys))
    points[np.isnan(xs) | np.isnan(ys)] = None
    data = frame.drop(columns=[lon, lat])
    return gpd.GeoDataFrame(data, geometry=points, crs=crs or WGS84)


def _read_with_geopandas(path: Path, crs: str | None) -> gpd.GeoDataFrame:
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several unrelated types for bad files
        raise DataError([Problem(path.name, "-", "-", f"cannot read: {exc}")]) from None
    if frame.crs is None:
        if crs is None:
            msg = "file has no CRS; name one (e.g. --source-crs EPSG:32634) or add a .prj"
            raise DataError([Problem(path.name, "-", "crs", msg)])
        frame = frame.set_crs(crs)
    return frame
