"""What ``python -m mapping export`` writes: the filtered venues as GeoJSON, CSV or one
self-contained HTML map (:func:`mapping.render.standalone_html`).

The filters are the same for every format, so the GeoJSON a partner downloads holds
exactly the venues its HTML map shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import geopandas as gpd

from mapping import clock
from mapping.errors import DataError, Problem
from mapping.files import venues_csv_bytes, venues_geojson_bytes
from mapping.io import Dataset
from mapping.render import INLINE, MapOptions, build_payload, landmark_points, standalone_html
from mapping.schema import in_cluster

FORMATS = ("geojson", "csv", "html")


def filter_venues(
    dataset: Dataset, categories: Sequence[str] = (), members_only: bool = False
) -> gpd.GeoDataFrame:
    """The venues of ``categories`` (all when empty), cluster-listed only if asked.

    An unknown category id is a :class:`DataError` naming it and the known ids, so a
    typo never exports an empty map silently.
    """
    venues = dataset.venues
    known = set(dataset.categories["id"])
    unknown = [c for c in categories if c not in known]
    if unknown:
        msg = (
            f"unknown category {', '.join(map(repr, unknown))}; expected one of "
            f"{', '.join(sorted(known))}"
        )
        raise DataError([Problem("categories.csv", "-", "--categories", msg)])
    if categories:
        venues = venues[venues["category"].isin(list(categories))]
    if members_only:
        venues = venues[in_cluster(venues["cluster"])]
    return venues


def export_bytes(
    dataset: Dataset,
    fmt: str,
    *,
    lang: str | None = None,
    categories: Sequence[str] = (),
    members_only: bool = False,
    now: datetime | None = None,
    raw_csv: bool = False,
) -> tuple[bytes, int]:
    """The export of the filtered venues in ``fmt`` and how many venues it holds.

    ``lang`` is the HTML map's language (default: the town's); ``now`` the moment its
    cards' "open now" describes (default: this minute in the town). CSV is safe to open
    in a spreadsheet unless ``raw_csv`` (:func:`mapping.files.csv_rows_bytes`).
    """
    if fmt not in FORMATS:
        msg = f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}"
        raise ValueError(msg)
    city = dataset.city
    lang = lang or city.default_language
    if lang not in city.languages:
        msg = f"unknown language {lang!r}; expected one of {', '.join(city.languages)}"
        raise DataError([Problem("city.toml", "city", "languages", msg)])
    venues = filter_venues(dataset, categories, members_only)
    if fmt == "geojson":
        return venues_geojson_bytes(venues), len(venues)
    if fmt == "csv":
        return venues_csv_bytes(venues, raw=raw_csv), len(venues)
    moment = now or clock.to_minute(clock.now(city.timezone))
    options = MapOptions(
        now=moment,
        asset_base=INLINE,
        landmarks=landmark_points(dataset.places, lang, city.languages),
    )
    payload = build_payload(venues, dataset.categories, city, lang, options)
    return standalone_html(payload, city).encode("utf-8"), len(venues)
