"""The gap list (:func:`mapping.coverage.gaps`) as files: CSV and GeoJSON.

The Planning page's downloads, the report's CSV annex and ``python -m mapping gaps
--format csv|geojson`` write these bytes. CSV goes through the one CSV writer
(:func:`mapping.files.csv_frame_bytes`: RFC 4180, CRLF, UTF-8); an unknown population
and its empty rank are empty cells.

A file travels without the page that made it, so each says what it was computed for:
``scope`` (:func:`mapping.planning.scope_values`: months, minutes, categories) is added
to every CSV row as columns, and to every GeoJSON feature as properties (and once as
the collection's ``selection`` member).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from mapping.coverage import GAP_COLUMNS
from mapping.files import csv_frame_bytes


def gaps_csv_bytes(gap_list: pd.DataFrame, scope: Mapping[str, str] | None = None) -> bytes:
    """The gap list as CSV, ``scope`` as columns; unknown population and rank are empty."""
    frame = gap_list.assign(**dict(scope or {}))
    return csv_frame_bytes(frame)


def gaps_geojson_bytes(gap_list: pd.DataFrame, scope: Mapping[str, str] | None = None) -> bytes:
    """The gap list as GeoJSON: one settlement point per gap, with the gap attributes
    and ``scope``."""
    extra = dict(scope or {})
    features = []
    for row in gap_list.itertuples(index=False):
        props = {c: _plain(getattr(row, c)) for c in GAP_COLUMNS if c not in ("lon", "lat")}
        features.append(
            {
                "type": "Feature",
                "properties": {**props, **extra},
                "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
            }
        )
    doc: dict[str, object] = {"type": "FeatureCollection"}
    if extra:
        doc["selection"] = extra
    doc["features"] = features
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _plain(value: object) -> object:
    """A JSON value: NaN and NA become null, numpy scalars Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value
