"""Venue fields between a table and ``venues.geojson``: the text every value is merged
as, its JSON type when written, and a Shapefile's cut column names mapped back.

Decisions:

- **Every field of the data model is imported** from a table in our field names
  (:func:`mapping.io.venue_model_fields`: ``visit``, ``boat_only``, ``cluster``,
  ``org_type``, ``cited_*``, ``hours_*``, ``checked``, ``tags``,
  ``location_precision``, the names and descriptions of the town's languages…), so an
  export read back by ``import`` loses nothing. A column that is no field of the town
  (``name_fr`` in a town without French, a column of its own) is named in the report,
  never dropped in silence; ``imported`` (the last import's hashes) is recomputed.
- **Values are merged as text** (:func:`field_text`), whatever type the file gave:
  ``boat_only`` as ``true``/``false`` (``True``, ``yes``, ``1`` from a spreadsheet or a
  GeoPackage boolean), ``cluster_year`` as ``2018`` (never ``2018.0`` from a float
  column), ``cited_lat``/``cited_lon`` as numbers (a table's old ``cited_coordinates``
  column, in any form a GIS tool leaves of it, is read into them first:
  :func:`mapping.cited.to_columns`).
  Dates (``checked``, ``hours_checked``) that GDAL read as dates come back as
  ``YYYY-MM-DD`` (from a GeoPackage DATE, or the ``2026/05/02 00:00:00`` text a
  Shapefile stores). They are written back in the JSON type the data model asks
  (:func:`property_value`): a boolean, a whole number, a number.
- **A Shapefile cuts column names to 10 characters** (and GDAL renames a second cut
  name ``descript_1``) **and text values to 254 bytes**. :func:`shapefile_names` builds
  the table from cut name back to field out of the data model's field list
  (``location_p`` → ``location_precision``, ``opening_ho`` → ``opening_hours``,
  ``cluster_ye`` → ``cluster_year``…). A cut name that stands for several fields (with
  two languages, ``description_me`` and ``description_en`` are both ``descriptio``) and
  holds a value, or a text value of 254 bytes (surely cut), refuses the file with the
  reason: GeoPackage, GeoJSON and CSV keep full names and values. Such a column that is
  empty in every record is only noted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from mapping import cited
from mapping.errors import DataError, Problem
from mapping.schema import NO_VALUES, YES_VALUES

FLAG_FIELDS = ("boat_only",)
"""Venue fields written as JSON booleans."""
YEAR_FIELDS = ("cluster_year",)
"""Venue fields written as JSON whole numbers."""
NUMBER_FIELDS = cited.FIELDS
"""Venue fields written as JSON numbers."""
DATE_FIELDS = ("checked", "hours_checked")
"""Venue fields holding a date ``YYYY-MM-DD``."""
SHAPEFILE_NAME_CHARS = 10
"""Longest column name a Shapefile (dBASE) keeps."""
SHAPEFILE_TEXT_BYTES = 254
"""Longest text value a Shapefile (dBASE) keeps, in bytes."""


def field_text(field: str, value: object) -> str:
    """``value`` of ``field`` as the text it is merged and hashed as (``""``: none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (list, tuple, np.ndarray)):
        return ";".join(str(v) for v in value)  # tags/languages as a JSON list
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, datetime | date | np.datetime64):
        moment = pd.Timestamp(value)
        return moment.date().isoformat() if moment == moment.normalize() else moment.isoformat()
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    text = str(value).strip()
    if field in FLAG_FIELDS and text.lower() in YES_VALUES | NO_VALUES:
        return "true" if text.lower() in YES_VALUES else "false"
    if field in YEAR_FIELDS and re.fullmatch(r"\d+\.0+", text):
        return text.split(".")[0]
    dbf_date = re.fullmatch(r"(\d{4})/(\d{2})/(\d{2})(?: 00:00:00)?", text)
    if field in DATE_FIELDS and dbf_date:  # a date column GDAL wrote into a Shapefile
        return "-".join(dbf_date.groups())
    return text


def property_value(field: str, text: str) -> object:
    """The JSON value ``venues.geojson`` holds for ``field``'s merged ``text``.

    Text that does not fit the type is written as it is, so ``validate`` names it.
    """
    if field in FLAG_FIELDS and text in ("true", "false"):
        return text == "true"
    if field in YEAR_FIELDS and text.isdigit():
        return int(text)
    if field in NUMBER_FIELDS:
        found = cited.number(text)
        return text if found is None else found
    return text


def shapefile_names(fields: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Cut column name → the fields it may stand for (more than one: ambiguous)."""
    table: dict[str, tuple[str, ...]] = {}
    for field in dict.fromkeys(fields):
        cut = field[:SHAPEFILE_NAME_CHARS]
        table[cut] = (*table.get(cut, ()), field)
    return table


def is_shapefile(path: Path) -> bool:
    """Whether ``path`` is read as a Shapefile (``.shp``, its ``.dbf``, or a zipped one)."""
    return path.name.lower().endswith((".shp", ".dbf", ".shp.zip", ".shz"))


def restore_shapefile_names(
    frame: pd.DataFrame, file: str, fields: Sequence[str]
) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with its cut column names renamed back to fields, and notes for the
    report; :class:`DataError` naming the columns when a value cannot be placed or was
    cut (see the module's decisions)."""
    table = shapefile_names(fields)
    renames: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    for column in frame.columns:
        name = str(column)
        found = table.get(name)
        if found is None:
            gdal = re.fullmatch(r"(.{1,8})_\d+", name)  # GDAL's rename of a repeated cut name
            if gdal and name not in fields:
                cut = [f for f in fields if len(f) > SHAPEFILE_NAME_CHARS]
                found = tuple(f for f in cut if f.startswith(gdal.group(1))) or None
        if found is None or name in fields:
            continue
        if len(found) == 1:
            renames[name] = found[0]
        else:
            ambiguous[name] = found
    notes: list[str] = []
    refused: list[Problem] = []
    for name, candidates in ambiguous.items():
        options = " or ".join(candidates)
        if frame[name].map(lambda v: field_text("", v) != "").any():
            msg = (
                f"Shapefile column {name!r} could be {options} (a Shapefile cuts names to "
                f"{SHAPEFILE_NAME_CHARS} characters); export as GeoPackage, GeoJSON or CSV, "
                "which keep full names"
            )
            refused.append(Problem(file, "-", name, msg))
        else:
            notes.append(f"Shapefile column {name!r} (could be {options}) is empty: ignored")
    refused += _cut_values(frame, file)
    if refused:
        raise DataError(refused)
    return frame.drop(columns=list(ambiguous)).rename(columns=renames), notes


def _cut_values(frame: pd.DataFrame, file: str) -> list[Problem]:
    """A problem for each column holding a text value of the dBASE limit's length."""
    problems: list[Problem] = []
    for column in frame.columns:
        sizes = frame[column].map(lambda v: len(v.encode("utf-8")) if isinstance(v, str) else 0)
        over = np.flatnonzero(sizes.to_numpy() >= SHAPEFILE_TEXT_BYTES)
        if len(over):
            msg = (
                f"{len(over)} value(s) of {SHAPEFILE_TEXT_BYTES} bytes, the most a Shapefile "
                f"text field holds (first: row {over[0] + 1}): they were cut when the file "
                "was written; export as GeoPackage, GeoJSON or CSV, which keep whole values"
            )
            problems.append(Problem(file, "-", str(column), msg))
    return problems
