"""Validation of a data folder: collect *every* problem, each naming file, record, field.

Checks run on the frames as read (before :func:`mapping.io.normalise_venues`), so a
wrong JSON type such as ``"cluster_year": "2018"`` is reported rather than coerced.

The rule: when :func:`validate_folder` returns no errors, :func:`mapping.io.load_dataset`,
every page and every command of the CLI work on the folder (``tests/test_damaged_folders.py``
holds the corpus that checks it). Problems have a level: an *error* refuses the folder;
a *warning* (a control character in a text) is worth fixing but breaks nothing, and is
only returned when asked for (``validate_folder(folder, warnings=True)``).

This module says which checks each file gets; :mod:`mapping.record_checks` runs a check
over a whole column, and :mod:`mapping.schema` holds each value rule and vocabulary.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping import hours_tolerant
from mapping.cited import check_cited
from mapping.errors import WARNING, DataError, Problem
from mapping.events import check_references, read_events
from mapping.geodata import check_file, read_geodata
from mapping.io import (
    VENUE_REQUIRED,
    default_places,
    folder_problem,
    missing_columns,
    no_venues,
    read_table,
)
from mapping.record_checks import (
    Problems,
    blank,
    check_enum,
    check_lengths,
    check_points,
    check_rule,
    check_types,
    column,
    control_character_warnings,
    record_labels,
)
from mapping.schema import (
    CLUSTER_STATUSES,
    LOCATION_PRECISIONS,
    ORG_TYPES,
    PLACE_KINDS,
    PLACE_LANDMARK,
    PLACE_OUTSIDE,
    VISIT_VALUES,
    WHEELCHAIR_VALUES,
    is_email,
    is_hex_colour,
    is_icon_name,
    is_id,
    is_iso_date,
    is_json_bool,
    is_phone,
    is_web_url,
    rule_mask,
)
from mapping.settings import CityProfile, data_dir, load_city


def present_ids(table: pd.DataFrame) -> set[str]:
    """The non-blank ids of a table (none when it has no ``id`` column: that column's
    own problem is then the one reported, and no other check trips over missing ids)."""
    ids = column(table, "id")
    return set(ids[~blank(ids)].astype(str))


def check_venues(
    venues: gpd.GeoDataFrame, file: str, city: CityProfile, category_ids: set[str]
) -> list[Problem]:
    """Every problem with the venue records (fields, ids, geometry, hours, contacts)."""
    labels = record_labels(venues)
    problems = Problems(file, labels)
    add = problems.add

    for field in VENUE_REQUIRED:
        add(blank(column(venues, field)), field, "required field is missing or empty")

    ids = column(venues, "id")
    present = ~blank(ids)
    bad_slug = present & ~rule_mask(ids, is_id)
    add(bad_slug, "id", "expected a slug of lower-case letters, digits and hyphens")
    duplicated = present & ids.duplicated(keep=False).to_numpy()
    add(duplicated, "id", "duplicate id; every venue needs its own")

    check_enum(add, venues, "cluster", CLUSTER_STATUSES)
    cluster = ~blank(column(venues, "cluster"))
    add(
        cluster & blank(column(venues, "cluster_source")),
        "cluster_source",
        "a cluster status needs the source that states it",
    )
    year = column(venues, "cluster_year")
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
        ~blank(year) & ~whole.to_numpy(dtype=bool),
        "cluster_year",
        lambda i: f"expected the year the status was stated, like 2018, got {year.iloc[i]!r}",
    )

    category = column(venues, "category").astype(object)
    known = ", ".join(sorted(category_ids))
    if category_ids:  # without readable categories, that file's own problem is the one to fix
        add(
            ~blank(category) & ~category.isin(category_ids).to_numpy(),
            "category",
            lambda i: f"unknown category {category.iloc[i]!r}; expected one of: {known}",
        )

    check_enum(add, venues, "location_precision", LOCATION_PRECISIONS)
    check_enum(add, venues, "wheelchair", WHEELCHAIR_VALUES)
    check_enum(add, venues, "org_type", ORG_TYPES)
    check_enum(add, venues, "visit", VISIT_VALUES)
    check_rule(
        add,
        venues,
        "website",
        is_web_url,
        "expected an http:// or https:// URL like https://example.me/",
    )
    check_rule(add, venues, "email", is_email, "expected an e-mail address like name@example.me")
    check_rule(add, venues, "phone", is_phone, "expected a phone number like +382 32 304 720")
    check_rule(add, venues, "checked", is_iso_date, "expected a date YYYY-MM-DD")

    oh = column(venues, "opening_hours")
    for value in oh[~blank(oh)].astype(str).unique():
        message = hours_tolerant.check_with_proposal(value)
        if message:
            add((oh == value).to_numpy(), "opening_hours", message)

    check_types(add, venues)
    check_lengths(add, venues, city)
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
    problems.extend(check_points(venues, file, labels, city))
    problems.extend(check_cited(venues, file, labels, city))
    return problems


def check_categories(
    categories: pd.DataFrame, file: str, languages: tuple[str, ...]
) -> list[Problem]:
    """Ids unique, labels in every language, a hex colour and an icon each."""
    labels = record_labels(categories)
    problems: list[Problem] = []
    required = ["id", *(f"label_{lang}" for lang in languages), "colour", "icon"]
    for field in required:
        for i in np.flatnonzero(blank(column(categories, field))):
            problems.append(Problem(file, labels[i], field, "required field is missing or empty"))
    colours = column(categories, "colour")
    for i in np.flatnonzero(~blank(colours) & ~rule_mask(colours, is_hex_colour)):
        problems.append(
            Problem(file, labels[i], "colour", "expected a colour like #117733 or #173")
        )
    icons = column(categories, "icon")
    for i in np.flatnonzero(~blank(icons) & ~rule_mask(icons, is_icon_name)):
        problems.append(
            Problem(file, labels[i], "icon", "expected a Font Awesome icon name like masks-theater")
        )
    for i in np.flatnonzero(column(categories, "id").duplicated(keep=False).to_numpy()):
        problems.append(Problem(file, labels[i], "id", "duplicate category id"))
    return problems


def check_places(places: gpd.GeoDataFrame, file: str, city: CityProfile) -> list[Problem]:
    """Kinds, populations (non-negative whole numbers), landmarks inside the study area."""
    labels = record_labels(places)
    problems = Problems(file, labels)
    add = problems.add

    for field in ("id", "name", "kind"):
        add(blank(column(places, field)), field, "required field is missing or empty")
    check_enum(add, places, "kind", PLACE_KINDS)
    population = column(places, "population")
    numbers = pd.to_numeric(population, errors="coerce")
    present = ~blank(population)
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
        column(places, "id").duplicated(keep=False).to_numpy() & ~blank(column(places, "id")),
        "id",
        "duplicate place id",
    )
    problems.extend(check_points(places, file, labels, city))
    check_types(
        add,
        places[
            [c for c in places.columns if c in ("id", "name", "kind") or str(c).startswith("name_")]
        ],
    )
    check_lengths(add, places, city)
    outside = column(places, PLACE_OUTSIDE)
    add(
        ~outside.map(is_json_bool).to_numpy(dtype=bool),
        PLACE_OUTSIDE,
        lambda i: f"expected true or false (a JSON boolean), got {outside.iloc[i]!r:.60}",
    )
    ids = column(places, "id").astype(str)
    kinds = column(places, "kind").astype(str)
    landmarks = set(ids[(kinds == PLACE_LANDMARK).to_numpy()])
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
    for i in np.flatnonzero(blank(ids)):
        problems.append(Problem(file, labels[i], "id", "required field is missing or empty"))
    for i in np.flatnonzero(ids.duplicated(keep=False).to_numpy() & ~blank(ids)):
        problems.append(Problem(file, labels[i], "id", "duplicate category id"))
    return problems


OPTIONAL_FILES = {
    "venues.geojson": "no venues yet (python -m mapping import adds them)",
    "places.geojson": "no places: the one start point is [map] center, named after the town",
    "event_categories.csv": "no event categories: events cannot be added yet",
    "events.csv": "no events yet",
}
"""Files a town may lack (a town starts from ``city.toml`` and ``categories.csv``), and
the warning ``validate`` gives for each missing one."""


def missing_optional_files(root: Path) -> list[Problem]:
    """A warning for each :data:`OPTIONAL_FILES` entry the folder lacks."""
    return [
        Problem(name, "-", "-", f"file not found: {why}", level=WARNING)
        for name, why in OPTIONAL_FILES.items()
        if not (root / name).exists()
    ]


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
        category_ids = present_ids(categories)
    except DataError as exc:
        problems += exc.problems
    venue_ids: set[str] = set()
    notes += missing_optional_files(root)
    try:
        venues = (
            read_geodata(root / "venues.geojson", max_bytes=limit)
            if (root / "venues.geojson").exists()
            else no_venues()
        )
        problems += check_venues(venues, "venues.geojson", city, category_ids)
        notes += control_character_warnings(venues, "venues.geojson")
        venue_ids = set(column(venues, "id").dropna().astype(str))
    except DataError as exc:
        problems += exc.problems
    try:
        places = (
            read_geodata(root / "places.geojson", max_bytes=limit)
            if (root / "places.geojson").exists()
            else default_places(city)
        )
        problems += missing_columns(places, "places.geojson", city.languages)
        problems += check_places(places, "places.geojson", city)
        notes += control_character_warnings(places, "places.geojson")
    except DataError as exc:
        problems += exc.problems
    event_category_ids: set[str] = set()
    try:
        if not (root / "event_categories.csv").exists():
            raise DataError([])  # optional: no event categories yet
        event_categories = read_table(root / "event_categories.csv", max_bytes=limit)
        problems += check_event_categories(event_categories, "event_categories.csv", city.languages)
        event_category_ids = present_ids(event_categories)
    except DataError as exc:
        problems += exc.problems
    try:
        if not (root / "events.csv").exists():
            raise DataError([])  # optional: no events yet
        check_file(root / "events.csv", limit)
    except DataError as exc:
        problems += exc.problems
    else:
        events, event_problems = read_events(root / "events.csv", city.timezone)
        problems += event_problems
        if len(events):
            problems += check_references(events, venue_ids, event_category_ids, "events.csv")
            lengths = Problems("events.csv", record_labels(events))
            check_lengths(lengths.add, events, city)  # titles and descriptions, per record
            problems += lengths
            text = events[
                [
                    c
                    for c in events.columns
                    if c != "search" and pd.api.types.is_string_dtype(events[c])
                ]
            ]
            notes += control_character_warnings(text, "events.csv")
    return problems + notes if warnings else problems
