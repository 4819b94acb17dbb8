"""Reading a data folder into one :class:`Dataset` (writing is in :mod:`mapping.files`).

This is the one data loader: the app, the CLI, the benchmark and the tests all come
through :func:`load_dataset`. Venue files may be GeoJSON (read exactly, so a value's
JSON type is kept for validation), any other format geopandas reads (GeoPackage,
Shapefile…), or CSV with ``lon``/``lat`` columns. Every geometry is reprojected to
EPSG:4326. A GeoJSON without a ``crs`` member is WGS84 (RFC 7946); any other file
without a CRS is an error unless the caller names one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import orjson
import pandas as pd
import pyproj
import shapely

from mapping import hours
from mapping._errors import DataError, Problem
from mapping.events import read_events
from mapping.settings import CityProfile, data_dir, load_city
from mapping.text import search_keys

WGS84 = "EPSG:4326"

VENUE_REQUIRED = ("id", "name", "category", "source", "location_precision")
VENUE_TEXT_FIELDS = (
    "id", "name", "category", "source", "location_precision", "opening_hours", "address",
    "settlement", "website", "phone", "email", "social", "image", "wheelchair", "org_type",
    "checked", "tags", "languages",
)
PLACE_TEXT_FIELDS = ("id", "name", "kind", "population_source", "source", "location_precision")
SEARCH_FIELDS_PREFIXES = ("name", "description")

_LON_NAMES = ("lon", "lng", "longitude", "x")
_LAT_NAMES = ("lat", "latitude", "y")


@dataclass(frozen=True)
class Dataset:
    """Everything the app knows about one town, read from one data folder."""

    folder: Path
    city: CityProfile
    venues: gpd.GeoDataFrame
    events: pd.DataFrame
    categories: pd.DataFrame
    event_categories: pd.DataFrame
    places: gpd.GeoDataFrame
    problems: tuple[Problem, ...] = ()  # record-level problems found while reading


# --------------------------------------------------------------------------- reading


def read_geodata(path: Path, crs: str | None = None) -> gpd.GeoDataFrame:
    """Read points from GeoJSON, CSV (lon/lat) or any format geopandas reads, in EPSG:4326.

    ``crs`` names the CRS of a file that does not carry one; a file that carries one
    keeps its own. Raises :class:`DataError` naming the file when it cannot be read.
    """
    if not path.exists():
        raise DataError([Problem(path.name, "-", "-", "file not found")])
    if path.stat().st_size == 0:
        raise DataError([Problem(path.name, "-", "-", "file is empty; expected features")])
    suffix = path.suffix.lower()
    if suffix in {".geojson", ".json"}:
        frame = _read_geojson(path, crs)
    elif suffix == ".csv":
        frame = _read_csv_points(path, crs)
    else:
        frame = _read_with_geopandas(path, crs)
    return frame.to_crs(WGS84) if frame.crs != pyproj.CRS(WGS84) else frame


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
    props = [f.get("properties") or {} if isinstance(f, dict) else {} for f in features]
    frame = pd.DataFrame.from_records(props) if props else pd.DataFrame()
    geometries = np.empty(len(features), dtype=object)  # an unreadable geometry stays None
    geometries[:] = [_point_or_shape(f.get("geometry") if isinstance(f, dict) else None)
                     for f in features]
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
        if (isinstance(coords, list) and len(coords) >= 2
                and all(isinstance(c, int | float) for c in coords[:2])):
            return shapely.Point(coords[0], coords[1])
        return None
    try:
        return shapely.geometry.shape(geometry)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None


def _read_csv_points(path: Path, crs: str | None) -> gpd.GeoDataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError([Problem(path.name, "-", "-", f"malformed CSV: {exc}")]) from None
    columns = {c.lower(): c for c in frame.columns}
    lon = next((columns[n] for n in _LON_NAMES if n in columns), None)
    lat = next((columns[n] for n in _LAT_NAMES if n in columns), None)
    if lon is None or lat is None:
        msg = "expected coordinate columns lon and lat (or x and y with a named CRS)"
        raise DataError([Problem(path.name, "-", "lon/lat", msg)])
    lon_is_xy = lon.lower() == "x"
    if lon_is_xy and crs is None:
        msg = "columns x/y carry no CRS; name one (e.g. --crs EPSG:32634) or use lon/lat"
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
            msg = "file has no CRS; name one (e.g. --crs EPSG:32634) or add a .prj"
            raise DataError([Problem(path.name, "-", "crs", msg)])
        frame = frame.set_crs(crs)
    return frame


def normalise_venues(frame: gpd.GeoDataFrame, languages: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Give every optional venue column a value: text ``""`` when unknown.

    ``cluster_year`` becomes a whole number or NA (``Int64``), never ``2018.0``.

    The raw values stay checkable: :func:`mapping.validate.check_venues` runs on the
    frame *before* this, so a ``"yes"`` in ``cluster`` is reported, not coerced silently.
    """
    out = frame.copy()
    text_fields = [*VENUE_TEXT_FIELDS, *(f"name_{lang}" for lang in languages),
                   *(f"description_{lang}" for lang in languages)]
    for field in dict.fromkeys(text_fields):
        if field not in out.columns:
            out[field] = ""
        else:
            out[field] = out[field].map(_as_text).astype(object)
    for field in ("cluster", "cluster_source"):
        out[field] = (out[field].map(_as_text).astype(object) if field in out.columns
                      else pd.Series("", index=out.index, dtype=object))
    year = out["cluster_year"] if "cluster_year" in out.columns else None
    out["cluster_year"] = (pd.Series(pd.NA, index=out.index, dtype="Int64") if year is None
                           else pd.to_numeric(year, errors="coerce").round().astype("Int64"))
    return out


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value).strip()


def read_table(path: Path) -> pd.DataFrame:
    """A small CSV table (categories…) as text; :class:`DataError` naming the file if broken."""
    if not path.exists():
        raise DataError([Problem(path.name, "-", "-", "file not found")])
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False).astype(object)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError([Problem(path.name, "-", "-", f"malformed CSV: {exc}")]) from None


def load_dataset(
    folder: str | os.PathLike[str] | None = None,
    *,
    enrich: bool = True,
    year: int | None = None,
) -> Dataset:
    """Load a data folder (default: ``$CREATIVE_MAP_DATA`` or the repo's ``data/``).

    ``year`` is passed to :func:`enrich_dataset` (default: this year in the town), so
    tests and benchmarks can pin the calendar the monthly hours describe.

    Raises :class:`DataError` when a file cannot be read at all. Record-level problems
    (unknown category, bad hours…) do not stop loading: they are listed by
    :func:`mapping.validate.validate_folder`.
    """
    root = data_dir(folder)
    city = load_city(root / "city.toml")
    venues = normalise_venues(read_geodata(root / "venues.geojson"), city.languages)
    places = read_geodata(root / "places.geojson")
    for field in PLACE_TEXT_FIELDS:
        places[field] = places[field].map(_as_text) if field in places else ""
    events, event_problems = read_events(root / "events.csv", city.timezone)
    dataset = Dataset(
        folder=root,
        city=city,
        venues=venues,
        events=events,
        categories=read_table(root / "categories.csv"),
        event_categories=read_table(root / "event_categories.csv"),
        places=places,
        problems=tuple(event_problems),
    )
    return enrich_dataset(dataset, year) if enrich else dataset


def enrich_dataset(dataset: Dataset, year: int | None = None) -> Dataset:
    """Add derived venue columns: lon/lat, metric x/y, search text, monthly hours.

    ``year`` is the calendar year the monthly states describe (default: this year in
    the town's time zone).
    """
    city = dataset.city
    venues = dataset.venues.copy()
    venues["lon"] = venues.geometry.x.round(6)
    venues["lat"] = venues.geometry.y.round(6)
    metric = venues.geometry.to_crs(city.metric_crs)
    venues["x"], venues["y"] = metric.x.to_numpy(), metric.y.to_numpy()
    search_columns = [c for c in venues.columns if c.startswith(SEARCH_FIELDS_PREFIXES)]
    venues["search"] = search_keys(venues, [*search_columns, "address", "tags"])
    if year is None:
        year = pd.Timestamp.now(tz=city.timezone).year
    enriched = hours.enrich_hours(venues, year, city.timezone, country=city.country or None)
    return replace(dataset, venues=gpd.GeoDataFrame(enriched, geometry="geometry", crs=WGS84))


# --------------------------------------------------------------------------- writing
# Writing lives in mapping.files; these names stay importable from here.
from mapping.files import EXPORT_DROP as EXPORT_DROP  # noqa: E402, PLC0414
from mapping.files import atomic_write as atomic_write  # noqa: E402, PLC0414
from mapping.files import venues_csv_bytes as venues_csv_bytes  # noqa: E402, PLC0414
from mapping.files import venues_geojson_bytes as venues_geojson_bytes  # noqa: E402, PLC0414
