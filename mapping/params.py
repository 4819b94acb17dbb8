"""URL parameters: one parser per kind of value, each falling back to its default.

A link is input from anyone: ``?start=click&pt=NaN,NaN``, ``pt=1e308,1e308``, a
megabyte of ``q=``, an unknown ``venue=`` or a parameter given twice must never raise.
The pages read every parameter through one of these functions (or through a Streamlit
widget bound to the URL, which rejects what it cannot parse; the pages give those
widgets the same limits: :data:`MAX_TEXT`, :func:`date_window`).

Each parser takes what Streamlit hands over for one parameter: ``st.query_params.
get_all(name)`` (a list, empty when absent, several values when repeated) or a single
string. It returns a :class:`Parsed`: the value to use, and whether the link held a
value that could not be used (the page may then say so). A single-valued parameter
given more than once takes its last value, as Streamlit's bound widgets do.

No Streamlit here: the functions are pure and unit-tested (``tests/test_params.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Generic, TypeVar

from mapping.months import month_run
from mapping.schema import inside_bbox

T = TypeVar("T")

MAX_TEXT = 200
"""Longest search text taken from a link or typed (characters); the rest is cut off."""
MAX_POINT_TEXT = 64
"""Longest ``pt=lat,lon`` text; a readable point is far shorter."""
MAX_REPEATS = 100
"""Most values read from a repeated parameter (``cat=…&cat=…``); the rest are ignored."""
PAST_YEARS = 2
"""How far back a date from a link may lie (years before today)."""
FUTURE_YEARS = 5
"""How far ahead a date from a link may lie (years after today)."""

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HH_MM = re.compile(r"[0-9]{2}:[0-9]{2}")

Values = str | Sequence[str] | None
"""One parameter as Streamlit gives it: a string, a list of strings, or nothing."""


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """A parameter's value to use; ``refused`` when the link's value was not usable."""

    value: T
    refused: bool = False


def _all(values: Values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return [str(v) for v in list(values)[:MAX_REPEATS]]


def _last(values: Values) -> str | None:
    found = _all(values)
    return found[-1] if found else None


def number(values: Values, lo: float, hi: float, default: float) -> Parsed[float]:
    """A finite number within ``lo``..``hi`` (inclusive); NaN, infinities and text refused."""
    raw = _last(values)
    if raw is None or raw == "":
        return Parsed(default)
    value = _finite(raw)
    if value is None or not lo <= value <= hi:
        return Parsed(default, refused=True)
    return Parsed(value)


def _finite(text: str) -> float | None:
    if len(text) > MAX_POINT_TEXT:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def coordinate(
    values: Values, bbox: tuple[float, float, float, float]
) -> Parsed[tuple[float, float] | None]:
    """A ``lat,lon`` point inside the study area ``bbox`` (west, south, east, north).

    Both numbers must be finite, a latitude within ±90 and a longitude within ±180,
    and the point inside ``bbox``. Absent or empty: ``None``, not refused.
    """
    raw = _last(values)
    if raw is None or not raw.strip():
        return Parsed(None)
    parts = raw.split(",")
    if len(parts) != 2 or len(raw) > MAX_POINT_TEXT:
        return Parsed(None, refused=True)
    lat = number(parts[0].strip(), -90.0, 90.0, math.nan)
    lon = number(parts[1].strip(), -180.0, 180.0, math.nan)
    if lat.refused or lon.refused or math.isnan(lat.value) or math.isnan(lon.value):
        return Parsed(None, refused=True)
    if not inside_bbox(lon.value, lat.value, bbox):
        return Parsed(None, refused=True)
    return Parsed((lat.value, lon.value))


def date_window(today: date) -> tuple[date, date]:
    """The days a link may name: :data:`PAST_YEARS` back to :data:`FUTURE_YEARS` ahead."""
    return _years_from(today, -PAST_YEARS), _years_from(today, FUTURE_YEARS)


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def day(values: Values, today: date, default: date) -> Parsed[date]:
    """An ISO date (``YYYY-MM-DD``) within :func:`date_window` of ``today``."""
    raw = _last(values)
    if raw is None or raw == "":
        return Parsed(default)
    found = _iso_day(raw, today)
    return Parsed(default, refused=True) if found is None else Parsed(found)


def _iso_day(text: str, today: date) -> date | None:
    if not _ISO_DAY.fullmatch(text):  # fromisoformat also reads 20261205, 2026-W49-1
        return None
    try:
        found = date.fromisoformat(text)
    except ValueError:
        return None
    lo, hi = date_window(today)
    return found if lo <= found <= hi else None


def day_range(values: Values, today: date) -> Parsed[tuple[date, date] | None]:
    """A range of days (``range=first&range=last``; one value is one day), or ``None``.

    Days in the wrong order are swapped; more than two values, or a day outside
    :func:`date_window`, refuse the range.
    """
    raw = _all(values)
    if not raw:
        return Parsed(None)
    days = [d for d in (_iso_day(v, today) for v in raw) if d is not None]
    if len(raw) > 2 or len(days) != len(raw):
        return Parsed(None, refused=True)
    first, last = days[0], days[-1]
    return Parsed((first, last) if first <= last else (last, first))


def clock_time(values: Values, default: time) -> Parsed[time]:
    """A time of day, ``HH:MM`` (24 h)."""
    raw = _last(values)
    if raw is None or raw == "":
        return Parsed(default)
    if not _HH_MM.fullmatch(raw):
        return Parsed(default, refused=True)
    try:
        return Parsed(time.fromisoformat(raw))
    except ValueError:
        return Parsed(default, refused=True)


def choice(values: Values, options: Collection[str], default: str) -> Parsed[str]:
    """One id among ``options`` (a category, a landmark, a venue…)."""
    raw = _last(values)
    if raw is None:
        return Parsed(default)
    return Parsed(raw) if raw in options else Parsed(default, refused=True)


def choices(values: Values, options: Collection[str], default: Sequence[str]) -> Parsed[list[str]]:
    """Several ids among ``options``, in the link's order, each once.

    Unknown ids are dropped (refused); when none is left the default is used. An
    absent parameter is the default.
    """
    raw = _all(values)
    if not raw:
        return Parsed(list(default))
    known = list(dict.fromkeys(v for v in raw if v in options))
    refused = len(known) < len(set(raw))
    return Parsed(known if known else list(default), refused=refused)


def language(values: Values, languages: Sequence[str], default: str) -> Parsed[str]:
    """A language code among ``languages`` in any letter case: ``en``, ``EN`` and ``En``
    are English (a person types a link as they please; the switch shows ``EN``).

    Returns the code as ``languages`` spell it; an unknown code is refused.
    """
    raw = _last(values)
    if raw is None or not raw.strip():
        return Parsed(default)
    found = {code.casefold(): code for code in languages}.get(raw.strip().casefold())
    return Parsed(default, refused=True) if found is None else Parsed(found)


def language_in_url(lang: str) -> str:
    """How a language stands in a link and on the switch: ``EN`` (the inverse of
    :func:`language`, which reads any case)."""
    return lang.upper()


def text(values: Values, cap: int = MAX_TEXT) -> Parsed[str]:
    """Free text cut to ``cap`` characters (refused when it had to be cut)."""
    raw = _last(values) or ""
    return Parsed(raw[:cap], refused=True) if len(raw) > cap else Parsed(raw)


# --------------------------------------------------------------------------- what-if venues

MAX_PROPOSALS = 20
"""At most this many hypothetical venues (``pv=``) are read from a link or kept by a form."""
MAX_PROPOSAL_TEXT = 200
"""Longest ``pv=`` value; ``lat,lon,category,1.2.3.4.5.6.7.8.9.10.11.12`` is far shorter."""


@dataclass(frozen=True)
class Proposal:
    """A hypothetical venue for Planning's what-if: where, which category, which months
    it would be open. A link carries it as ``pv=lat,lon,category,months``."""

    lat: float
    lon: float
    category: str
    months: tuple[int, ...]


def proposals(
    values: Values, categories: Collection[str], bbox: tuple[float, float, float, float]
) -> Parsed[list[Proposal]]:
    """Hypothetical venues from ``pv=`` values ``lat,lon,category,months``.

    Months are a run ``10-4`` (across the year end) or a list ``1.2.3``. At most
    :data:`MAX_PROPOSALS` are read, each at most :data:`MAX_PROPOSAL_TEXT` characters,
    inside the study area ``bbox`` (west, south, east, north), of a known category,
    coordinates rounded to 5 decimals (about a metre). Refused when any value was
    dropped (unreadable, or beyond the first :data:`MAX_PROPOSALS`).
    """
    raw = _all(values)
    found = [p for p in (_proposal(v, categories, bbox) for v in raw[:MAX_PROPOSALS]) if p]
    return Parsed(found, refused=len(found) < len(raw))


def _proposal(
    value: str, categories: Collection[str], bbox: tuple[float, float, float, float]
) -> Proposal | None:
    parts = value.split(",")
    if len(value) > MAX_PROPOSAL_TEXT or len(parts) != 4:
        return None
    lat, lon = _finite(parts[0].strip()), _finite(parts[1].strip())
    months = _months(parts[3].strip())
    if lat is None or lon is None or months is None or parts[2] not in categories:
        return None
    if not inside_bbox(lon, lat, bbox):
        return None
    return Proposal(round(lat, 5), round(lon, 5), parts[2], months)


def _months(text: str) -> tuple[int, ...] | None:
    """``10-4`` (a run, across the year end) or ``1.2.3``; ``None`` when unreadable."""
    try:
        if "-" in text:
            first, last = text.split("-", 1)
            return month_run(int(first), int(last))
        months = tuple(sorted({int(m) for m in text.split(".") if m}))
    except ValueError:
        return None
    return months if months and all(1 <= m <= 12 for m in months) else None


def proposal_text(proposal: Proposal) -> str:
    """A proposal as its ``pv=`` value (the inverse of :func:`proposals`)."""
    months = ".".join(str(m) for m in proposal.months)
    return f"{proposal.lat:.5f},{proposal.lon:.5f},{proposal.category},{months}"
