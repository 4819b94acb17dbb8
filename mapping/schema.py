"""What a value in the data may be: the one home of each value rule.

Validation reports a value that breaks one of these rules; the map, the queries and the
exports use the same functions to decide what they may show, so a value the validator
accepts is never dropped by the map, nor the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeAlias
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt
import pandas as pd

# --------------------------------------------------------------------------- vocabularies
# Each closed set of values the data may hold is one constant here; validation, the
# form checks, the importers and the pages import it (tests/test_schema.py fails when a
# module writes one of these sets out again).

WHEELCHAIR_VALUES: tuple[str, ...] = ("yes", "limited", "no")
"""OpenStreetMap ``wheelchair`` values we read; empty (or anything else) is unknown."""

WHEELCHAIR_ACCESSIBLE: tuple[str, ...] = ("yes", "limited")
"""Values the wheelchair filter keeps: full *or* limited access (the card says which)."""

CLUSTER_STATUSES: tuple[str, ...] = ("member", "prospective")
"""A venue's ``cluster`` status: a member, or listed as a prospective member (the 2018
seed lists six organisations as *potential* members); empty means no status."""

VISIT_VALUES: tuple[str, ...] = ("yes", "appointment", "no")
"""``visit`` values: visitors can come, by appointment, or not (empty: unknown)."""

LOCATION_PRECISIONS: tuple[str, ...] = ("exact", "approximate", "settlement")
"""``location_precision``: the point is the entrance (about 10 m), good to about 100 m,
or stands for the whole settlement (``[precision]`` in ``city.toml``)."""
PRECISION_EXACT, PRECISION_APPROXIMATE, PRECISION_SETTLEMENT = LOCATION_PRECISIONS

ORG_TYPES: tuple[str, ...] = ("company", "ngo", "public", "artist", "religious", "other")
"""``org_type``: what kind of organisation runs the venue (empty: not stated)."""

PLACE_KINDS: tuple[str, ...] = ("settlement", "landmark")
"""``places.geojson`` ``kind``: a settlement (coverage, planning) or a landmark (a start
point for Explore)."""
PLACE_SETTLEMENT, PLACE_LANDMARK = PLACE_KINDS

PLACE_OUTSIDE = "outside_municipality"
"""``places.geojson`` flag (JSON boolean): a settlement listed only to place a venue, outside
the municipality the town's shares are of (planning leaves it out unless ``city.toml`` says
otherwise). Missing or ``null`` reads as ``false``."""

RECURRENCES: tuple[str, ...] = ("", "annual", "weekly")
"""``events.csv`` ``recurrence``: none, every year on the same dates, every week."""
RECURRENCE_ANNUAL, RECURRENCE_WEEKLY = RECURRENCES[1:]

YES_VALUES: frozenset[str] = frozenset({"true", "yes", "1"})
"""The one spelling of a yes/no data flag's "yes" (JSON ``true`` reads as ``"true"``)."""

NO_VALUES: frozenset[str] = frozenset({"false", "no", "0"})
"""A yes/no flag's explicit "no"; where "unknown" differs from "no" (``free``), a value in
neither set is reported."""

_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EMAIL = re.compile(r"[^\s@<>\"'`\\:/]+@[^\s@<>\"'`\\:/]+\.[a-zA-Z]{2,}")
_PHONE = re.compile(r"\+?[0-9 ()/-]{6,20}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNSAFE_IN_URL = frozenset("<>\"'`\\")


def as_text(values: pd.Series) -> pd.Series:
    """Each value as text, missing ones as "": whatever the column's dtype.

    ``fillna("")`` on a column that came out numeric or all-null (a ``website`` column
    with only nulls, say) is deprecated in pandas (``Pandas4Warning``), so missing values
    are replaced after the cast to object instead.
    """
    return values.astype(object).where(values.notna(), "").astype(str)


ArrayOrFloat: TypeAlias = float | npt.NDArray[np.float64]

BBox = tuple[float, float, float, float]
"""A study area as (west, south, east, north) in EPSG:4326 degrees (``city.toml`` ``bbox``)."""


def inside_bbox(lon: ArrayOrFloat, lat: ArrayOrFloat, bbox: BBox) -> Any:
    """Whether (lon, lat) lies in ``bbox`` (edges included); works on scalars and arrays.

    The one home of the study-area test: the loader, the validator, the importers, the
    URL readers and the suggestion form all ask here. Note the order: lon first, as in
    GeoJSON and ``bbox`` itself.
    """
    west, south, east, north = bbox
    return (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)


def is_yes(value: object) -> bool:
    """A yes/no data value: JSON ``true``, or the text ``true``/``yes``/``1`` (any case).

    Anything else, empty and missing included, is "no": a flag holds only when the data
    says so.
    """
    return value is not None and str(value).strip().lower() in YES_VALUES


def is_json_bool(value: object) -> bool:
    """A JSON boolean as read (``True``/``False``, NumPy's too), or no value at all
    (``None``/NaN: the flag is absent); text such as ``"true"`` is not."""
    if value is None or isinstance(value, bool | np.bool_):
        return True
    return isinstance(value, float) and np.isnan(value)


def yes_flags(values: pd.Series | None, index: pd.Index) -> np.ndarray:
    """:func:`is_yes` over a column, as booleans; a missing column is all ``False``."""
    if values is None:
        return np.zeros(len(index), dtype=bool)
    return np.fromiter((is_yes(v) for v in values), dtype=bool, count=len(values))


def in_cluster(status: pd.Series) -> np.ndarray:
    """Whether each venue is listed in the cluster: a member or a prospective member.

    The one reading of ``cluster`` for the filters, the command line and the map's marker.
    """
    values = as_text(status).str.strip().str.lower()
    return values.isin(CLUSTER_STATUSES).to_numpy(dtype=bool)


def is_hex_colour(value: object) -> bool:
    """Whether ``value`` is a CSS hex colour, ``#rgb`` or ``#rrggbb``."""
    return isinstance(value, str) and _HEX_COLOUR.fullmatch(value.strip()) is not None


def is_icon_name(value: object) -> bool:
    """Whether ``value`` is a Font Awesome icon name such as ``masks-theater``."""
    return isinstance(value, str) and _SLUG.fullmatch(value.strip()) is not None


def is_id(value: object) -> bool:
    """Whether ``value`` is a record id: lower-case ASCII letters and digits in words
    joined by single hyphens (``gal-durkovic``), exactly, with no space around it.

    Ids appear in URLs (``?venue=``) and file names, so they keep to this alphabet;
    :func:`mapping.text.slug` with ``ascii_only=True`` makes one from a name.
    """
    return isinstance(value, str) and _SLUG.fullmatch(value) is not None


def is_phone(value: object) -> bool:
    """Whether ``value`` is a phone number as people write it: ``+382 32 304 720``."""
    return isinstance(value, str) and _PHONE.fullmatch(value) is not None


def is_iso_date(value: object) -> bool:
    """Whether ``value`` is written ``YYYY-MM-DD`` (the ``checked`` fields)."""
    return isinstance(value, str) and _ISO_DATE.fullmatch(value) is not None


def is_email(value: object) -> bool:
    """Whether ``value`` is an e-mail address a ``mailto:`` link can use (``name@host.tld``)."""
    return isinstance(value, str) and _EMAIL.fullmatch(value.strip()) is not None


def is_web_url(value: object) -> bool:
    """Whether ``value`` is an absolute ``http(s)`` address a visitor can follow.

    It needs a host with a dot (or ``localhost``), no white space, and none of the
    characters that would let it leave an HTML attribute (``< > " ' ` \\``): a link
    we show must be a link, never markup.
    """
    if not isinstance(value, str):
        return False
    url = value.strip()
    if not url or any(ch.isspace() or ch in _UNSAFE_IN_URL for ch in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and ("." in host or host == "localhost")


def rule_mask(values: pd.Series, rule: Callable[[object], bool]) -> np.ndarray:
    """``rule`` for every value of a column, evaluated once per distinct value.

    Missing values are passed as ``""``; a rule says whether a *present* value is
    acceptable, so callers decide separately what an empty value means.
    """
    if values.empty:
        return np.zeros(0, dtype=bool)
    codes, uniques = pd.factorize(as_text(values))
    verdicts = np.fromiter((rule(u) for u in uniques), dtype=bool, count=len(uniques))
    return verdicts[codes] if len(uniques) else np.zeros(len(values), dtype=bool)
