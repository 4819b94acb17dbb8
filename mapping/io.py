"""Reading a data folder into one :class:`Dataset` (writing is in :mod:`mapping.files`).

This is the one data loader: the app, the CLI, the benchmark and the tests all come
through :func:`load_dataset`. Venue and place files may be GeoJSON, any other format
geopandas reads (GeoPackage, Shapefile…), or CSV with ``lon``/``lat`` columns, read by
:func:`mapping.geodata.read_geodata` in EPSG:4326.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapping import cited, clock, hours
from mapping.errors import DataError, Problem
from mapping.events import read_events
from mapping.geodata import WGS84, check_file, read_geodata
from mapping.settings import CityProfile, data_dir, load_city
from mapping.text import search_keys

_T = TypeVar("_T")

VENUE_REQUIRED = ("id", "name", "category", "source", "location_precision")
VENUE_TEXT_FIELDS = (
    "id",
    "name",
    "category",
    "source",
    "location_precision",
    "opening_hours",
    "address",
    "settlement",
    "website",
    "phone",
    "email",
    "social",
    "image",
    "wheelchair",
    "org_type",
    "checked",
    "tags",
    "languages",
)
VENUE_MODEL_FIELDS = (
    *VENUE_TEXT_FIELDS,
    "visit",
    "boat_only",
    "boat_from",
    "cluster",
    "cluster_source",
    "cluster_year",
    *cited.FIELDS,
    "cited_source",
    "hours_source",
    "hours_checked",
)
"""Every venue property of the data model (``data/README.md``) but the per-language
``name_<lang>``/``description_<lang>`` (:func:`venue_model_fields` adds them): what an
import from a table keeps and an export writes."""


def venue_model_fields(languages: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """:data:`VENUE_MODEL_FIELDS` and the names and descriptions of the town's languages."""
    return (
        *VENUE_MODEL_FIELDS,
        *(f"name_{lang}" for lang in languages),
        *(f"description_{lang}" for lang in languages),
    )


PLACE_TEXT_FIELDS = ("id", "name", "kind", "population_source", "source", "location_precision")
SEARCH_FIELDS_PREFIXES = ("name", "description")


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


def normalise_venues(frame: gpd.GeoDataFrame, languages: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Give every optional venue column a value: text ``""`` when unknown.

    ``cluster_year`` becomes a whole number or NA (``Int64``), never ``2018.0``; the
    cited point becomes ``cited_lat``/``cited_lon`` floats, the old ``cited_coordinates``
    read into them (:func:`mapping.cited.to_columns`).

    The raw values stay checkable: :func:`mapping.validate.check_venues` runs on the
    frame *before* this, so a ``"yes"`` in ``cluster`` is reported, not coerced silently.
    """
    out = cited.to_columns(frame)
    text_fields = [
        *VENUE_TEXT_FIELDS,
        *(f"name_{lang}" for lang in languages),
        *(f"description_{lang}" for lang in languages),
    ]
    for field in dict.fromkeys(text_fields):
        if field not in out.columns:
            out[field] = ""
        else:
            out[field] = out[field].map(_as_text).astype(object)
    for field in ("cluster", "cluster_source"):
        out[field] = (
            out[field].map(_as_text).astype(object)
            if field in out.columns
            else pd.Series("", index=out.index, dtype=object)
        )
    year = out["cluster_year"] if "cluster_year" in out.columns else None
    out["cluster_year"] = (
        pd.Series(pd.NA, index=out.index, dtype="Int64")
        if year is None
        else pd.to_numeric(year, errors="coerce").round().astype("Int64")
    )
    return out


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value).strip()


def read_table(path: Path, *, max_bytes: int | None = None) -> pd.DataFrame:
    """A small CSV table (categories…) as text; :class:`DataError` naming the file if broken
    (missing, a folder, unreadable, not UTF-8, malformed, larger than ``max_bytes``)."""
    check_file(path, max_bytes)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False).astype(object)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError([Problem(path.name, "-", "-", f"malformed CSV: {exc}")]) from None
    except OSError as exc:
        raise DataError([Problem(path.name, "-", "-", f"cannot read: {exc}")]) from None


TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "categories.csv": ("id", "label", "colour", "icon"),
    "event_categories.csv": ("id", "label"),
    "places.geojson": ("id", "name", "kind"),
}
"""Columns each file must have; ``label`` means one ``label_<lang>`` per town language."""


def missing_columns(frame: pd.DataFrame, file: str, languages: tuple[str, ...]) -> list[Problem]:
    """A problem for each column of :data:`TABLE_COLUMNS` ``file`` lacks (record ``header``)."""
    wanted: list[str] = []
    for column in TABLE_COLUMNS.get(file, ()):
        wanted += [f"label_{lang}" for lang in languages] if column == "label" else [column]
    return [
        Problem(file, "header", column, "missing column; expected it in the header row")
        for column in wanted
        if column not in frame.columns
    ]


def structural_problems(
    frame: pd.DataFrame, file: str, languages: tuple[str, ...], *, points: bool = False
) -> list[Problem]:
    """What makes a file unusable by the app: missing columns, missing or duplicate ids,
    and (``points``) a geometry that is not a point. The loader refuses these. A GeoJSON
    without features has no columns to miss: a town before its first import."""
    if points and len(frame) == 0:
        return []
    problems = missing_columns(frame, file, languages)
    ids = frame["id"] if "id" in frame.columns else None
    if ids is None:
        if not problems:
            problems.append(
                Problem(file, "header", "id", "missing column; every record needs an id")
            )
        return problems
    text = ids.map(lambda v: v.strip() if isinstance(v, str) else "")
    labels = [t or f"row {i + 1}" for i, t in enumerate(text)]
    for i in np.flatnonzero((text == "").to_numpy()):
        problems.append(Problem(file, labels[i], "id", "missing id; expected a text id"))
    for i in np.flatnonzero(text.duplicated(keep="first").to_numpy() & (text != "").to_numpy()):
        problems.append(Problem(file, labels[i], "id", "duplicate id; every record needs its own"))
    if points and isinstance(frame, gpd.GeoDataFrame):
        geoms = frame.geometry
        ok = (geoms.geom_type == "Point").to_numpy() & ~geoms.isna().to_numpy()
        ok &= ~geoms.is_empty.to_numpy()
        for i in np.flatnonzero(~ok):
            problems.append(
                Problem(file, labels[i], "geometry", "expected a Point with [longitude, latitude]")
            )
        for i in np.flatnonzero(ok & ~_on_earth(geoms, ok)):
            problems.append(
                Problem(
                    file,
                    labels[i],
                    "geometry",
                    "coordinates are not a place on Earth; expected "
                    "longitude -180..180 and latitude -90..90",
                )
            )
    return problems


def _on_earth(geoms: gpd.GeoSeries, points: np.ndarray) -> np.ndarray:
    """Per row: the point's coordinates are finite and, in a geographic (or unknown) CRS,
    within longitude ±180 and latitude ±90 (``False`` where ``points`` is not)."""
    x = np.full(len(geoms), np.nan)
    y = np.full(len(geoms), np.nan)
    x[points], y[points] = shapely.get_x(geoms[points]), shapely.get_y(geoms[points])
    fine: np.ndarray = np.isfinite(x) & np.isfinite(y)
    if geoms.crs is None or geoms.crs.is_geographic:
        with np.errstate(invalid="ignore"):
            fine &= (np.abs(x) <= 180) & (np.abs(y) <= 90)
    return fine


def no_venues() -> gpd.GeoDataFrame:
    """The venues of a town without ``venues.geojson``: none (it starts with an import)."""
    return gpd.GeoDataFrame(
        {field: pd.Series(dtype=object) for field in VENUE_REQUIRED}, geometry=[], crs=WGS84
    )


def default_places(city: CityProfile) -> gpd.GeoDataFrame:
    """The places of a town without ``places.geojson``: one landmark, ``default_start``,
    at ``[map] center`` and named after the town, so every page has its start point."""
    lat, lon = city.map_center
    record = {
        "id": city.default_start,
        "name": city.name,
        "kind": "landmark",
        "entry_point": True,
        "source": "city.toml [map] center (no places.geojson)",
        "location_precision": "approximate",
    }
    return gpd.GeoDataFrame([record], geometry=[shapely.Point(lon, lat)], crs=WGS84)


def folder_problem(root: Path) -> Problem:
    """The problem with a data folder that is missing or not a folder."""
    if root.exists():
        return Problem(str(root), "-", "-", "is not a folder; expected the data folder")
    return Problem("city.toml", "-", "-", f"file not found: no data folder {root}")


def load_dataset(
    folder: str | os.PathLike[str] | None = None,
    *,
    enrich: bool = True,
    year: int | None = None,
) -> Dataset:
    """Load a data folder (default: ``$CREATIVE_MAP_DATA`` or the repo's ``data/``).

    ``year`` is passed to :func:`enrich_dataset` (default: this year in the town), so
    tests and benchmarks can pin the calendar the monthly hours describe.

    A town needs ``city.toml`` and ``categories.csv``; the other files are optional, so a
    town can start from an empty folder with its first import: no ``venues.geojson``
    means no venues, no ``events.csv`` or ``event_categories.csv`` no events, and no
    ``places.geojson`` one landmark (:func:`default_places`).

    Raises :class:`DataError` (and never another exception) when the folder cannot be
    used: a file missing, a folder, unreadable, not UTF-8 or too big; a geometry that
    is not a point; a missing or duplicate id; a table without a column the app needs;
    more venues than ``[limits] max_venues``; a ``city.toml`` problem (a language
    without a catalogue…). Every such problem of every file is collected first.
    Record-level problems (unknown category, bad hours…) do not stop loading: they are
    listed by :func:`mapping.validate.validate_folder`.
    """
    root = data_dir(folder)
    if not root.is_dir():
        raise DataError([folder_problem(root)])
    city = load_city(root / "city.toml")
    problems: list[Problem] = []
    limit = city.max_file_bytes

    def attempt(read: Callable[[], _T]) -> _T | None:
        try:
            return read()
        except DataError as exc:
            problems.extend(exc.problems)
            return None

    def optional(name: str, read: Callable[[Path], _T], empty: _T) -> _T | None:
        return attempt(lambda: read(root / name)) if (root / name).exists() else empty

    venues = optional("venues.geojson", lambda p: read_geodata(p, max_bytes=limit), no_venues())
    places = optional(
        "places.geojson", lambda p: read_geodata(p, max_bytes=limit), default_places(city)
    )
    categories = attempt(lambda: read_table(root / "categories.csv", max_bytes=limit))
    event_categories = optional(
        "event_categories.csv",
        lambda p: read_table(p, max_bytes=limit),
        pd.DataFrame(columns=["id", *(f"label_{lang}" for lang in city.languages)], dtype=object),
    )
    if (root / "events.csv").exists():  # optional: without it, no events (and a problem)
        attempt(lambda: check_file(root / "events.csv", limit))
    langs = city.languages
    if venues is not None:
        problems += structural_problems(venues, "venues.geojson", langs, points=True)
        if len(venues) > city.max_venues:
            problems.append(
                Problem(
                    "venues.geojson",
                    "-",
                    "-",
                    (
                        f"{len(venues)} venues; the app serves at most {city.max_venues} "
                        "([limits] max_venues in city.toml)"
                    ),
                )
            )
    if places is not None:
        problems += structural_problems(places, "places.geojson", langs, points=True)
    if categories is not None:
        problems += structural_problems(categories, "categories.csv", langs)
    if event_categories is not None:
        problems += structural_problems(event_categories, "event_categories.csv", langs)
    if problems:
        raise DataError(problems)
    assert venues is not None and places is not None  # no problems: all were read
    assert categories is not None and event_categories is not None
    venues = normalise_venues(venues, langs)
    for field in PLACE_TEXT_FIELDS:
        places[field] = places[field].map(_as_text) if field in places else ""
    events, event_problems = read_events(root / "events.csv", city.timezone)
    if not (root / "events.csv").exists():
        event_problems = []  # optional: a town without events yet
    dataset = Dataset(
        folder=root,
        city=city,
        venues=venues,
        events=events,
        categories=categories,
        event_categories=event_categories,
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
        year = clock.now(city.timezone).year
    enriched = hours.enrich_hours(venues, year, city.timezone, country=city.country or None)
    return replace(dataset, venues=gpd.GeoDataFrame(enriched, geometry="geometry", crs=WGS84))
