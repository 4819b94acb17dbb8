"""The checks every data file's records go through: what validation is built from.

:mod:`mapping.validate` says *which* checks each file gets; this module says how one
check runs over a whole column at once and how it names each failing record (its id,
else ``row N``). Each check adds :class:`~mapping.errors.Problem` records to a
:class:`Problems` list and never raises for bad data.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapping import cited
from mapping.errors import WARNING, Problem
from mapping.io import VENUE_MODEL_FIELDS
from mapping.schema import as_text, inside_bbox, rule_mask
from mapping.settings import CityProfile


def record_labels(frame: pd.DataFrame) -> list[str]:
    """The id of each record, or ``row N`` (1-based) where the id is missing."""
    ids = frame["id"] if "id" in frame.columns else pd.Series([None] * len(frame))
    return [
        str(v).strip() if isinstance(v, str) and v.strip() else f"row {i + 1}"
        for i, v in enumerate(ids)
    ]


Add = Callable[[np.ndarray, str, "str | Callable[[int], str]"], None]
""":meth:`Problems.add`'s shape: a boolean mask over the records, the field, the message
(or a function of the record's position that builds it)."""


class Problems(list[Problem]):
    """Problems of one file; ``add`` reports every record a boolean mask selects."""

    def __init__(self, file: str, labels: list[str]) -> None:
        super().__init__()
        self.file, self.labels = file, labels

    def add(self, mask: np.ndarray, field: str, message: str | Callable[[int], str]) -> None:
        """One problem for each record ``mask`` selects."""
        for i in np.flatnonzero(mask).tolist():
            text = message(i) if callable(message) else message
            self.append(Problem(self.file, self.labels[i], field, text))


def blank(series: pd.Series) -> np.ndarray:
    """Missing or only white space: the values a required field may not hold."""
    return series.isna().to_numpy() | (series.astype(str).str.strip() == "").to_numpy()


def column(frame: pd.DataFrame, field: str) -> pd.Series:
    """``frame[field]``, or a column of ``None`` when the file lacks it (each check then
    reports what it would report for empty values, and no check fails on a missing key)."""
    if field in frame.columns:
        return frame[field]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


_NUMBERS = cited.FIELDS
"""Venue fields holding numbers, checked by :func:`mapping.cited.check_cited`, not as text."""
_LIST_FIELDS = ("tags", "languages")
"""Venue fields that may also be a JSON list of strings (read as ``;``-separated text)."""


def _text_fields(frame: pd.DataFrame) -> list[str]:
    """Venue fields that must hold text: the fixed ones and every ``name*``/``description*``."""
    named = [
        c
        for c in frame.columns
        if str(c).startswith(("name", "description", "title")) and c != "geometry"
    ]
    fixed = [f for f in VENUE_MODEL_FIELDS if f not in ("boat_only", "cluster_year", *_NUMBERS)]
    return [c for c in dict.fromkeys([*fixed, *named]) if c in frame.columns]


def _is_text(value: object, lists: bool) -> bool:
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, float) and np.isnan(value):
        return True  # a missing value in a column pandas read as numbers
    return lists and isinstance(value, list) and all(isinstance(v, str) for v in value)


def check_types(add: Add, frame: pd.DataFrame) -> None:
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


def check_lengths(add: Add, frame: pd.DataFrame, city: CityProfile) -> None:
    """Names, event titles and descriptions within ``[limits]`` (a 100,000-character name
    costs every visitor megabytes per page)."""
    for field in frame.columns:
        if field == "name" or str(field).startswith("name_"):
            limit, key = city.name_max_chars, "name_max_chars"
        elif field == "title" or str(field).startswith("title_"):
            limit, key = city.title_max_chars, "title_max_chars"
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


def check_enum(add: Add, frame: pd.DataFrame, field: str, allowed: tuple[str, ...]) -> None:
    """Report every present value of ``field`` that is not one of ``allowed`` (a
    :mod:`mapping.schema` vocabulary)."""
    values = column(frame, field)
    bad = ~blank(values) & ~values.isin(allowed).to_numpy()
    add(bad, field, lambda i: f"got {values.iloc[i]!r}; expected one of: {', '.join(allowed)}")


def check_rule(
    add: Add, frame: pd.DataFrame, field: str, rule: Callable[[str], object], expected: str
) -> None:
    """Report every present value of ``field`` that ``rule`` rejects (after stripping)."""
    values = column(frame, field)
    present = ~blank(values)
    ok = rule_mask(as_text(values).str.strip(), lambda v: bool(rule(str(v))))
    add(present & ~ok, field, lambda i: f"{expected}, got {values.iloc[i]!r}")


def check_points(
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
    points = np.where(is_point, geoms.to_numpy(dtype=object), np.array(None, dtype=object))
    xs, ys = shapely.get_x(points), shapely.get_y(points)
    inside = inside_bbox(xs, ys, city.bbox)
    swapped = inside_bbox(ys, xs, city.bbox)  # read as [latitude, longitude]
    for i in np.flatnonzero(is_point & ~inside):
        where = f"({xs[i]:.5f}, {ys[i]:.5f})"
        bbox = "[{}, {}, {}, {}]".format(*city.bbox)
        if swapped[i]:
            msg = (
                f"point {where} is outside the study area {bbox}; latitude and longitude "
                "look swapped (GeoJSON wants [longitude, latitude])"
            )
        else:
            msg = f"point {where} is outside the study area {bbox} (lon/lat, EPSG:4326)"
        problems.append(Problem(file, labels[i], "geometry", msg))
    return problems
