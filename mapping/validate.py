"""Validation of a data folder: collect *every* problem, each naming file, record, field.

Checks run on the frames as read (before :func:`mapping.io.normalise_venues`), so a
wrong JSON type such as ``"cluster_year": "2018"`` is reported rather than coerced.

The rule: when :func:`validate_folder` returns no errors, :func:`mapping.io.load_dataset`,
every page and every command of the CLI work on the folder (``tests/test_damaged_folders.py``
holds the corpus that checks it). Problems have a level: an *error* refuses the folder;
a *warning* (a control character in a text) is worth fixing but breaks nothing, and is
only returned when asked for (``validate_folder(folder, warnings=True)``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from mapping import hours
from mapping._errors import WARNING, DataError, Problem
from mapping.events import check_references, read_events
from mapping.io import (
    VENUE_REQUIRED,
    VENUE_TEXT_FIELDS,
    check_file,
    folder_problem,
    missing_columns,
    read_geodata,
    read_table,
)
from mapping.query import VISIT_VALUES
from mapping.schema import (
    CLUSTER_STATUSES,
    WHEELCHAIR_VALUES,
    as_text,
    is_email,
    is_hex_colour,
    is_icon_name,
    is_web_url,
    rule_mask,
)
from mapping.settings import CityProfile, data_dir, load_city

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHONE = re.compile(r"^\+?[0-9 ()/-]{6,20}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

PRECISIONS = ("exact", "approximate", "settlement")
ORG_TYPES = ("company", "ngo", "public", "artist", "religious", "other")
PLACE_KINDS = ("settlement", "landmark")


def record_labels(frame: pd.DataFrame) -> list[str]:
    """The id of each record, or ``row N`` (1-based) where the id is missing."""
    ids = frame["id"] if "id" in frame.columns else pd.Series([None] * len(frame))
    return [
        str(v).strip() if isinstance(v, str) and v.strip() else f"row {i + 1}"
        for i, v in enumerate(ids)
    ]


_Add = Callable[[np.ndarray, str, "str | Callable[[int], str]"], None]


class _Problems(list[Problem]):
    """Problems of one file; ``add`` reports every record a boolean mask selects."""

    def __init__(self, file: str, labels: list[str]) -> None:
        super().__init__()
        self.file, self.labels = file, labels

    def add(self, mask: np.ndarray, field: str, message: str | Callable[[int], str]) -> None:
        for i in np.flatnonzero(mask).tolist():
            text = message(i) if callable(message) else message
            self.append(Problem(self.file, self.labels[i], field, text))


def _blank(series: pd.Series) -> np.ndarray:
    return series.isna().to_numpy() | (series.astype(str).str.strip() == "").to_numpy()


def _column(frame: pd.DataFrame, field: str) -> pd.Series:
    if field in frame.columns:
        return frame[field]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def check_venues(
    venues: gpd.GeoDataFrame, file: str, city: CityProfile, category_ids: set[str]
) -> list[Problem]:
    """Every problem with the venue records (fields, ids, geometry, hours, contacts)."""
    labels = record_labels(venues)
    problems = _Problems(file, labels)
    add = problems.add

    for field in VENUE_REQUIRED:
        add(_blank(_column(venues, field)), field, "required field is missing or empty")

    ids = _column(venues, "id")
    present = ~_blank(ids)
    bad_slug = present & ~ids.astype(str).str.match(SLUG.pattern).to_numpy()
    add(bad_slug, "id", "expected a slug of lower-case letters, digits and hyphens")
    duplicated = present & ids.duplicated(keep=False).to_numpy()
    add(duplicated, "id", "duplicate id; every venue needs its own")

    _check_enum(add, venues, "cluster", CLUSTER_STATUSES)
    cluster = ~_blank(_column(venues, "cluster"))
    add(
        cluster & _blank(_column(venues, "cluster_source")),
        "cluster_source",
        "a cluster status needs the source that states it",
    )
    year = _column(venues, "cluster_year")
    # a JSON whole number (a column with nulls reads as floats); never a string or bool
    whole = year.map(
        lambda v: (
            isinstance(v, int | float)
            and not isinstance(v, bool)
            and float(v).is_integer()
            and 1900 < v < 2200
        )
    )
    add(
        ~_blank(year) & ~whole.to_numpy(dtype=bool),
        "cluster_year",
        lambda i: f"expected the year the status was stated, like 2018, got {year.iloc[i]!r}",
    )

    category = _column(venues, "category").astype(object)
    known = ", ".join(sorted(category_ids))
    if category_ids:  # without readable categories, that file's own problem is the one to fix
        add(
            ~_blank(category) & ~category.isin(category_ids).to_numpy(),
            "category",
            lambda i: f"unknown category {category.iloc[i]!r}; expected one of: {known}",
        )

    _check_enum(add, venues, "location_precision", PRECISIONS)
    _check_enum(add, venues, "wheelchair", WHEELCHAIR_VALUES)
    _check_enum(add, venues, "org_type", ORG_TYPES)
    _check_enum(add, venues, "visit", VISIT_VALUES)
    _check_rule(
        add,
        venues,
        "website",
        is_web_url,
        "expected an http:// or https:// URL like https://example.me/",
    )
    _check_rule(add, venues, "email", is_email, "expected an e-mail address like name@example.me")
    _check_rule(
        add, venues, "phone", PHONE.fullmatch, "expected a phone number like +382 32 304 720"
    )
    _check_rule(add, venues, "checked", DATE.fullmatch, "expected a date YYYY-MM-DD")

    oh = _column(venues, "opening_hours")
    for value in oh[~_blank(oh)].astype(str).unique():
        message = hours.check(value)
        if message:
            add((oh == value).to_numpy(), "opening_hours", message)

    _check_types(add, venues)
    _check_lengths(add, venues, city)
    if len(venues) > city.max_venues:
        problems.append(
            Problem(
                file,
                "-",
                "-",
                (
                    f"{len(venues)} venues; the app serves at most {city.max_venues} "
                    "([limits] max_venues in city.toml)"
                ),
            )
        )
    problems.extend(_check_points(venues, file, labels, city))
    problems.extend(_check_cited(venues, file, labels, city))
    return problems


_LIST_FIELDS = ("tags", "languages")
"""Venue fields that may also be a JSON list of strings (read as ``;``-separated text)."""


def _text_fields(frame: pd.DataFrame) -> list[str]:
    """Venue fields that must hold text: the fixed ones and every ``name*``/``description*``."""
    named = [
        c
        for c in frame.columns
        if str(c).startswith(("name", "description", "title")) and c != "geometry"
    ]
    fixed = [
        *VENUE_TEXT_FIELDS,
        "cluster",
        "cluster_source",
        "visit",
        "boat_from",
        "cited_source",
        "hours_source",
        "hours_checked",
    ]
    return [c for c in dict.fromkeys([*fixed, *named]) if c in frame.columns]


def _is_text(value: object, lists: bool) -> bool:
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, float) and np.isnan(value):
        return True  # a missing value in a column pandas read as numbers
    return lists and isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_types(add: _Add, frame: pd.DataFrame) -> None:
    """Text fields hold JSON strings (or null); ``tags``/``languages`` may be string lists."""
    for field in _text_fields(frame):
        values = frame[field]
        lists = field in _LIST_FIELDS
        bad = ~values.map(lambda v, lists=lists: _is_text(v, lists)).to_numpy(dtype=bool)
        expected = "text or a list of texts" if lists else "text (a JSON string)"
        add(bad, field, _type_message(values, expected))


def _type_message(values: pd.Series, expected: str) -> Callable[[int], str]:
    def message(i: int) -> str:
        value = values.iloc[i]
        return f"expected {expected}, got {type(value).__name__} {value!r:.60}"

    return message


def _lengths(values: pd.Series) -> np.ndarray:
    return values.map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy(dtype=np.int64)


def _check_lengths(add: _Add, frame: pd.DataFrame, city: CityProfile) -> None:
    """Names and descriptions within ``[limits]`` (a 100,000-character name costs every
    visitor megabytes per page)."""
    for field in frame.columns:
        if field == "name" or str(field).startswith("name_"):
            limit, key = city.name_max_chars, "name_max_chars"
        elif str(field).startswith("description"):
            limit, key = city.description_max_chars, "description_max_chars"
        else:
            continue
        lengths = _lengths(frame[field])
        add(lengths > limit, str(field), _length_message(lengths, limit, key))


def _length_message(lengths: np.ndarray, limit: int, key: str) -> Callable[[int], str]:
    def message(i: int) -> str:
        return f"{lengths[i]} characters; expected at most {limit} ([limits] {key} in city.toml)"

    return message


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab and line feed (ESC, BEL, NUL, CR, C1 controls)."""


def control_character_warnings(frame: pd.DataFrame, file: str) -> list[Problem]:
    """A warning for every text cell holding a control character (other than tab and
    line feed): exports carry it, but a terminal or a calendar may choke on it."""
    labels = record_labels(frame)
    problems: list[Problem] = []
    for field in frame.columns:
        if field == "geometry":
            continue
        for i, value in enumerate(frame[field]):
            texts = value if isinstance(value, list) else [value]
            for text in texts:
                found = _CONTROL.search(text) if isinstance(text, str) else None
                if found:
                    problems.append(
                        Problem(
                            file,
                            labels[i],
                            str(field),
                            f"control character U+{ord(found.group()):04X} in the text; "
                            "remove it (it may garble terminals and calendars)",
                            WARNING,
                        )
                    )
                    break
    return problems


def _cited_point(value: object) -> tuple[float, float] | None:
    """``[lon, lat]`` as two finite numbers, or ``None`` when the value is not that."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return None
    lon, lat = float(value[0]), float(value[1])
    if not (np.isfinite(lon) and np.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


def _check_cited(
    venues: gpd.GeoDataFrame, file: str, labels: list[str], city: CityProfile
) -> list[Problem]:
    """A point must lie within its precision's distance of the coordinates its source cites.

    ``exact`` allows ``[precision] exact_within_m`` and ``approximate`` allows
    ``approximate_within_m`` (``city.toml``); a ``settlement`` point stands for the
    whole settlement, so its distance from a cited spot says nothing and is not checked.
    """
    if "cited_coordinates" not in venues.columns:
        return []
    allowed = {"exact": city.exact_within_m, "approximate": city.approximate_within_m}
    to_metric = pyproj.Transformer.from_crs("EPSG:4326", city.metric_crs, always_xy=True)
    problems: list[Problem] = []
    precision = _column(venues, "location_precision")
    for i, (value, geometry) in enumerate(
        zip(venues["cited_coordinates"], venues.geometry, strict=True)
    ):
        if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
            continue
        cited = _cited_point(value)
        if cited is None:
            msg = f"expected [longitude, latitude] as two numbers, got {value!r}"
            problems.append(Problem(file, labels[i], "cited_coordinates", msg))
            continue
        limit = allowed.get(str(precision.iloc[i]))
        if limit is None or not isinstance(geometry, shapely.Point) or geometry.is_empty:
            continue
        x0, y0 = to_metric.transform(*cited)
        x1, y1 = to_metric.transform(geometry.x, geometry.y)
        metres = float(np.hypot(x1 - x0, y1 - y0))
        if metres > limit:
            problems.append(
                Problem(
                    file,
                    labels[i],
                    "geometry",
                    f"point is {metres:.0f} m from its cited coordinates {list(cited)}; "
                    f"a {precision.iloc[i]} point may be at most {limit:.0f} m away "
                    "([precision] in city.toml)",
                )
            )
    return problems


def _check_enum(add: _Add, frame: pd.DataFrame, field: str, allowed: tuple[str, ...]) -> None:
    values = _column(frame, field)
    bad = ~_blank(values) & ~values.isin(allowed).to_numpy()
    add(bad, field, lambda i: f"got {values.iloc[i]!r}; expected one of: {', '.join(allowed)}")


def _check_rule(
    add: _Add, frame: pd.DataFrame, field: str, rule: Callable[[str], object], expected: str
) -> None:
    """Report every present value of ``field`` that ``rule`` rejects (after stripping)."""
    values = _column(frame, field)
    present = ~_blank(values)
    ok = rule_mask(as_text(values).str.strip(), lambda v: bool(rule(str(v))))
    add(present & ~ok, field, lambda i: f"{expected}, got {values.iloc[i]!r}")


def _check_points(
    frame: gpd.GeoDataFrame, file: str, labels: list[str], city: CityProfile
) -> list[Problem]:
    """Geometry must be a point inside the study area; say so when lat/lon look swapped."""
    problems: list[Problem] = []
    geoms = frame.geometry
    missing = geoms.isna().to_numpy() | geoms.is_empty.to_numpy()
    is_point = (geoms.geom_type == "Point").to_numpy() & ~missing
    for i in np.flatnonzero(missing):
        problems.append(
            Problem(
                file,
                labels[i],
                "geometry",
                "missing or unreadable geometry; expected a Point with [longitude, latitude]",
            )
        )
    for i in np.flatnonzero(~missing & ~is_point):
        problems.append(
            Problem(file, labels[i], "geometry", f"expected a Point, got {geoms.iloc[i].geom_type}")
        )
    west, south, east, north = city.bbox
    points = np.where(is_point, geoms.to_numpy(dtype=object), np.array(None, dtype=object))
    xs, ys = shapely.get_x(points), shapely.get_y(points)
    inside = (xs >= west) & (xs <= east) & (ys >= south) & (ys <= north)
    swapped = (ys >= west) & (ys <= east) & (xs >= south) & (xs <= north)
    for i in np.flatnonzero(is_point & ~inside):
        where = f"({xs[i]:.5f}, {ys[i]:.5f})"
        bbox = f"[{west}, {south}, {east}, {north}]"
        if swapped[i]:
            msg = (
                f"point {where} is outside the study area {bbox}; latitude and longitude "
                "look swapped (GeoJSON wants [longitude, latitude])"
            )
        else:
            msg = f"point {where} is outside the study area {bbox} (lon/lat, EPSG:4326)"
        problems.append(Problem(file, labels[i], "geometry", msg))
    return problems


def check_categories(
    categories: pd.DataFrame, file: str, languages: tuple[str, ...]
) -> list[Problem]:
    """Ids unique, labels in every language, a hex colour and an icon each."""
    labels = record_labels(categories)
    problems: list[Problem] = []
    required = ["id", *(f"label_{lang}" for lang in languages), "colour", "icon"]
    for field in required:
        for i in np.flatnonzero(_blank(_column(categories, field))):
            problems.append(Problem(file, labels[i], field, "required field is missing or empty"))
    colours = _column(categories, "colour")
    for i in np.flatnonzero(~_blank(colours) & ~rule_mask(colours, is_hex_colour)):
        problems.append(
            Problem(file, labels[i], "colour", "expected a colour like #117733 or #173")
        )
    icons = _column(categories, "icon")
    for i in np.flatnonzero(~_blank(icons) & ~rule_mask(icons, is_icon_name)):
        problems.append(
            Problem(file, labels[i], "icon", "expected a Font Awesome icon name like masks-theater")
        )
    for i in np.flatnonzero(_column(categories, "id").duplicated(keep=False).to_numpy()):
        problems.append(Problem(file, labels[i], "id", "duplicate category id"))
    return problems


def check_places(places: gpd.GeoDataFrame, file: str, city: CityProfile) -> list[Problem]:
    """Kinds, populations (non-negative whole numbers), landmarks inside the study area."""
    labels = record_labels(places)
    problems = _Problems(file, labels)
    add = problems.add

    for field in ("id", "name", "kind"):
        add(_blank(_column(places, field)), field, "required field is missing or empty")
    _check_enum(add, places, "kind", PLACE_KINDS)
    population = _column(places, "population")
    numbers = pd.to_numeric(population, errors="coerce")
    present = ~_blank(population)
    add(
        present & numbers.isna().to_numpy(),
        "population",
        lambda i: f"expected a whole number of residents, got {population.iloc[i]!r}",
    )
    add(
        present & (numbers < 0).fillna(False).to_numpy(dtype=bool),
        "population",
        lambda i: f"population cannot be negative, got {population.iloc[i]}",
    )
    add(
        _column(places, "id").duplicated(keep=False).to_numpy() & ~_blank(_column(places, "id")),
        "id",
        "duplicate place id",
    )
    problems.extend(_check_points(places, file, labels, city))
    _check_types(
        add,
        places[
            [c for c in places.columns if c in ("id", "name", "kind") or str(c).startswith("name_")]
        ],
    )
    _check_lengths(add, places, city)
    ids = _column(places, "id").astype(str)
    kinds = _column(places, "kind").astype(str)
    landmarks = set(ids[(kinds == "landmark").to_numpy()])
    if city.default_start not in set(ids):
        problems.append(
            Problem(
                "city.toml",
                "city",
                "default_start",
                f"{city.default_start!r} is not a place id in {file}; "
                f"expected one of the landmarks {sorted(landmarks)}",
            )
        )
    elif city.default_start not in landmarks:
        problems.append(
            Problem(
                "city.toml",
                "city",
                "default_start",
                f"{city.default_start!r} is not a landmark (kind) in {file}; "
                f"expected one of the landmarks {sorted(landmarks)}",
            )
        )
    return problems


def check_event_categories(
    table: pd.DataFrame, file: str, languages: tuple[str, ...]
) -> list[Problem]:
    """Columns ``id`` and ``label_<lang>``; ids present and unique."""
    problems = missing_columns(table, file, languages)
    if "id" not in table.columns:
        return problems
    labels = record_labels(table)
    ids = table["id"]
    for i in np.flatnonzero(_blank(ids)):
        problems.append(Problem(file, labels[i], "id", "required field is missing or empty"))
    for i in np.flatnonzero(ids.duplicated(keep=False).to_numpy() & ~_blank(ids)):
        problems.append(Problem(file, labels[i], "id", "duplicate category id"))
    return problems


def validate_folder(folder: str | Path | None = None, *, warnings: bool = False) -> list[Problem]:
    """Every problem in a data folder; no errors means every page and command works on it.

    Returns the errors; with ``warnings=True`` the warnings too (``level == "warning"``),
    each file's after its errors. Never raises for bad data.
    """
    root = data_dir(folder)
    if not root.is_dir():
        return [folder_problem(root)]
    try:
        city = load_city(root / "city.toml")
    except DataError as exc:
        return list(exc.problems)
    limit = city.max_file_bytes
    problems: list[Problem] = []
    notes: list[Problem] = []
    category_ids: set[str] = set()
    try:
        categories = read_table(root / "categories.csv", max_bytes=limit)
        problems += missing_columns(categories, "categories.csv", city.languages)
        problems += check_categories(categories, "categories.csv", city.languages)
        category_ids = set(_column(categories, "id").astype(str))
    except DataError as exc:
        problems += exc.problems
    venue_ids: set[str] = set()
    try:
        venues = read_geodata(root / "venues.geojson", max_bytes=limit)
        problems += check_venues(venues, "venues.geojson", city, category_ids)
        notes += control_character_warnings(venues, "venues.geojson")
        venue_ids = set(_column(venues, "id").dropna().astype(str))
    except DataError as exc:
        problems += exc.problems
    try:
        places = read_geodata(root / "places.geojson", max_bytes=limit)
        problems += missing_columns(places, "places.geojson", city.languages)
        problems += check_places(places, "places.geojson", city)
        notes += control_character_warnings(places, "places.geojson")
    except DataError as exc:
        problems += exc.problems
    event_category_ids: set[str] = set()
    try:
        event_categories = read_table(root / "event_categories.csv", max_bytes=limit)
        problems += check_event_categories(event_categories, "event_categories.csv", city.languages)
        event_category_ids = set(_column(event_categories, "id").astype(str))
    except DataError as exc:
        problems += exc.problems
    try:
        check_file(root / "events.csv", limit)
    except DataError as exc:
        problems += exc.problems
    else:
        events, event_problems = read_events(root / "events.csv", city.timezone)
        problems += event_problems
        if len(events):
            problems += check_references(events, venue_ids, event_category_ids, "events.csv")
            text = events[
                [
                    c
                    for c in events.columns
                    if c != "search" and pd.api.types.is_string_dtype(events[c])
                ]
            ]
            notes += control_character_warnings(text, "events.csv")
    return problems + notes if warnings else problems
