"""The gap list (:func:`mapping.coverage.gaps`) as files: CSV and GeoJSON.

The Planning page's downloads and ``python -m mapping gaps --format csv|geojson`` write
these bytes. CSV goes through the one CSV writer (:func:`mapping.files.csv_frame_bytes`:
RFC 4180, CRLF, UTF-8); an unknown population and its empty rank are empty cells.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from mapping.coverage import GAP_COLUMNS
from mapping.files import csv_frame_bytes


def gaps_csv_bytes(gap_list: pd.DataFrame) -> bytes:
    """The gap list as CSV; unknown population and rank are empty cells."""
    return csv_frame_bytes(gap_list)


def gaps_geojson_bytes(gap_list: pd.DataFrame) -> bytes:
    """The gap list as GeoJSON: one settlement point per gap, with the gap attributes."""
    features = []
    for row in gap_list.itertuples(index=False):
        props = {c: _plain(getattr(row, c)) for c in GAP_COLUMNS if c not in ("lon", "lat")}
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
            }
        )
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _plain(value: object) -> object:
    """A JSON value: NaN and NA become null, numpy scalars Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value
