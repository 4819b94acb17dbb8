"""What a member may suggest, and every check of it: the fields of each kind, their size
limits, and the refusal that names each wrong field in the member's language.

The same :func:`check` runs when a suggestion is stored and again when a reviewer
applies it, so a row put into the table by other means (or a rule that changed in the
meantime) cannot reach the data files unchecked.

Decisions:

- **Text stays text.** A value is stored and applied exactly as typed: never stripped,
  unescaped or interpreted. Only *whether* a field is filled looks at the value without
  its surrounding white space; a rule (URL, e-mail, phone, hours) checks the stripped
  value, as :mod:`mapping.validate` does for the data files.
- **Only filled fields count.** An empty or blank field is left out of the suggestion:
  it never erases what the data already holds.
- **Every field has a size limit** (:func:`limits`, the table in the package
  docstring): a name or title as long as ``[limits] name_max_chars`` allows, a
  description ``[limits] description_max_chars``; ``opening_hours`` 255 characters,
  OpenStreetMap's own limit for a tag value.
- **A location is a pair**: ``lat`` and ``lon`` together, numbers inside the town's
  study area (``[city] bbox``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from mapping import hours, hours_tolerant, i18n
from mapping.events.read import YEARS
from mapping.io import Dataset
from mapping.schema import VISIT_VALUES, inside_bbox, is_email, is_phone, is_web_url
from mapping.settings import CityProfile
from mapping.submissions.refusals import FieldProblem, Refused

UPDATE, EVENT, VENUE = "update", "event", "venue"
KINDS: tuple[str, ...] = (UPDATE, EVENT, VENUE)
"""Suggest an update of a venue, an event, or a new venue."""

DATED, ANNUAL_TBC, WEEKLY = "dated", "annual_tbc", "weekly"
TIMINGS: tuple[str, ...] = (DATED, ANNUAL_TBC, WEEKLY)
"""When an event happens: on its dates; every year, dates to be confirmed; every week."""

FREE_VALUES: tuple[str, ...] = ("yes", "no")
"""``free``: entry is free, or not (left empty: unknown)."""

LOCATION = ("lat", "lon")
FIXED_LIMITS: dict[str, int] = {
    "opening_hours": 255,
    "website": 500,
    "url": 500,
    "phone": 40,
    "email": 254,
    "price": 100,
    "organiser": 200,
    "note": 2000,
    "start": 16,
    "end": 16,
    "category": 100,
    "venue_id": 100,
    "visit": 20,
    "timing": 20,
    "free": 10,
    "lat": 32,
    "lon": 32,
}
"""Characters per field, for fields whose limit does not depend on ``city.toml``."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


# --------------------------------------------------------------------------- fields


def field_names(kind: str, languages: Sequence[str]) -> tuple[str, ...]:
    """The fields a suggestion of ``kind`` may hold, for a town with ``languages``."""
    descriptions = tuple(f"description_{lang}" for lang in languages)
    if kind == UPDATE:
        return (
            "venue_id",
            "opening_hours",
            *descriptions,
            "website",
            "phone",
            "email",
            "visit",
            *LOCATION,
            "note",
        )
    if kind == EVENT:
        return (
            *(f"title_{lang}" for lang in languages),
            "category",
            "venue_id",
            "timing",
            "start",
            "end",
            "price",
            "free",
            "url",
            "organiser",
            "note",
        )
    if kind == VENUE:
        return (
            "name",
            "category",
            *LOCATION,
            "note",
            "website",
            "phone",
            "email",
            "opening_hours",
            *descriptions,
            "visit",
        )
    msg = f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}"
    raise ValueError(msg)


def limits(city: CityProfile) -> dict[str, int]:
    """Characters allowed per field: the fixed table and the town's ``[limits]``."""
    found = dict(FIXED_LIMITS)
    found["name"] = city.name_max_chars
    for lang in city.languages:
        found[f"title_{lang}"] = city.name_max_chars
        found[f"description_{lang}"] = city.description_max_chars
    return found


def limit_of(name: str, table: Mapping[str, int]) -> int:
    """A field's limit; a language not in the town (never accepted) gets the note's."""
    return table.get(name, FIXED_LIMITS["note"])


def filled(fields: Mapping[str, object]) -> dict[str, object]:
    """The fields the member filled, values as typed (blank text counts as empty)."""
    return {
        k: v for k, v in fields.items() if not (v is None or (isinstance(v, str) and not v.strip()))
    }


def required(kind: str) -> tuple[str, ...]:
    """Fields a suggestion of ``kind`` cannot do without (an event's title: see
    :func:`check`, one language is enough)."""
    return {
        UPDATE: ("venue_id",),
        EVENT: ("category", "venue_id", "timing", "start"),
        VENUE: ("name", "category", *LOCATION),
    }[kind]


# --------------------------------------------------------------------------- labels

CHOICE_LABELS: dict[tuple[str, str], str] = {
    ("visit", "yes"): "submissions.choice.visit_yes",
    ("visit", "appointment"): "submissions.choice.visit_appointment",
    ("visit", "no"): "submissions.choice.visit_no",
    ("timing", DATED): "submissions.choice.timing_dated",
    ("timing", ANNUAL_TBC): "submissions.choice.timing_annual_tbc",
    ("timing", WEEKLY): "submissions.choice.timing_weekly",
    ("free", "yes"): "submissions.choice.free_yes",
    ("free", "no"): "submissions.choice.free_no",
}
"""The catalogue key of each allowed value of ``visit``, ``timing`` and ``free``."""


def choice_label(name: str, value: str, lang: str) -> str:
    """The words for an allowed value of ``visit``, ``timing`` or ``free``."""
    return i18n.t(CHOICE_LABELS[(name, value)], lang)


# --------------------------------------------------------------------------- checks


def check(data: Dataset, kind: str, fields: Mapping[str, object]) -> dict[str, object]:
    """The suggestion to store: the filled fields, ``lat``/``lon`` as numbers.

    Raises :class:`Refused` naming every wrong field (an unknown field, an oversized
    one, a missing required one, a value a rule refuses, an end before the start).
    """
    languages = data.city.languages
    names = field_names(kind, languages)
    given = filled(fields)
    problems = [
        FieldProblem(name, "submissions.refused.unknown_field", {"fields": ", ".join(names)})
        for name in given
        if name not in names
    ]
    problems += _types_and_sizes(given, limits(data.city))
    refused = {p.field for p in problems}  # no rule runs on an unknown, odd or huge value
    values: dict[str, Any] = {
        k: v for k, v in given.items() if k not in LOCATION and k not in refused
    }
    problems += _missing(kind, languages, given)
    problems += _rules(data, kind, values)
    location: dict[str, float] = {}
    if not refused & set(LOCATION):
        location, location_problems = _location(given, data.city)
        problems += location_problems
    if kind == UPDATE and not set(given) - {"venue_id", "note"}:
        problems.append(FieldProblem("", "submissions.refused.nothing"))
    if problems:
        raise Refused(problems)
    return {**values, **location}


def is_unicode(text: str) -> bool:
    """Whether ``text`` can be stored and shown: no lone surrogate (half of a UTF-16
    pair, which a browser or a pasted file can smuggle in and UTF-8 cannot encode)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _types_and_sizes(given: Mapping[str, object], table: Mapping[str, int]) -> list[FieldProblem]:
    """Text where text is expected (a number for lat/lon too), within the size limits."""
    problems = []
    for name, value in given.items():
        number = name in LOCATION and isinstance(value, int | float) and not isinstance(value, bool)
        if not (isinstance(value, str) or number):
            problems.append(FieldProblem(name, "submissions.refused.not_text"))
            continue
        if isinstance(value, str) and not is_unicode(value):
            problems.append(FieldProblem(name, "submissions.refused.broken_text"))
            continue
        limit = limit_of(name, table)
        if isinstance(value, str) and len(value) > limit:
            problems.append(
                FieldProblem(
                    name, "submissions.refused.too_long", {"count": limit, "got": len(value)}
                )
            )
    return problems


def _missing(
    kind: str, languages: Sequence[str], given: Mapping[str, object]
) -> list[FieldProblem]:
    problems = [
        FieldProblem(name, "submissions.refused.required")
        for name in required(kind)
        if name not in given
    ]
    if kind == EVENT and not any(f"title_{lang}" in given for lang in languages):
        problems.append(FieldProblem(f"title_{languages[0]}", "submissions.refused.title"))
    return problems


def _rules(data: Dataset, kind: str, values: Mapping[str, Any]) -> list[FieldProblem]:
    """Each filled field against its rule (the same rules the data files obey)."""
    problems: list[FieldProblem] = []
    for name, value in values.items():
        problem = _rule(data, kind, name, value.strip())
        if problem is not None:
            problems.append(problem)
    if kind == EVENT:
        problems += event_time_problems(values)
    return problems


def _rule(data: Dataset, kind: str, name: str, value: str) -> FieldProblem | None:
    """The problem with one stripped value, or ``None``."""
    if name == "opening_hours":
        return hours_problem(value)
    if name in ("website", "url") and not is_web_url(value):
        return FieldProblem(name, "submissions.refused.url")
    if name == "email" and not is_email(value):
        return FieldProblem(name, "submissions.refused.email")
    if name == "phone" and not is_phone(value):
        return FieldProblem(name, "submissions.refused.phone")
    choices = {"visit": VISIT_VALUES, "timing": TIMINGS, "free": FREE_VALUES}.get(name)
    if choices is not None and value not in choices:
        return FieldProblem(name, "submissions.refused.choice", {"choices": ", ".join(choices)})
    if name == "category":
        table = data.event_categories if kind == EVENT else data.categories
        if value not in set(table["id"].astype(str)):
            return FieldProblem(name, "submissions.refused.category")
    if name == "venue_id" and value not in set(data.venues["id"].astype(str)):
        return FieldProblem(name, "submissions.refused.venue")
    return None


def hours_problem(value: str) -> FieldProblem | None:
    """``opening_hours`` the strict parser refuses, as a sentence that says what to
    change (:func:`mapping.hours_tolerant.problem_kind`), never the parser's tokens."""
    if hours.check(value) is None:
        return None
    kind = hours_tolerant.problem_kind(value)
    return FieldProblem("opening_hours", f"hours_fix.problem.{kind}", {"example": hours.EXAMPLE})


def event_time_problems(values: Mapping[str, Any]) -> list[FieldProblem]:
    """``start``/``end`` as ``events.csv`` writes them; both dates or both times; the end
    not before the start (the form's date pickers ask here too, before a send). The
    refusal carries the two as ``date``/``datetime``, so each reader words them."""
    moments: dict[str, date] = {}
    problems = []
    for name in ("start", "end"):
        if name in values:
            moment = _moment(values[name].strip())
            if moment is None:
                problems.append(FieldProblem(name, "submissions.refused.date"))
            else:
                moments[name] = moment
    if problems or len(moments) < 2:
        return problems
    start, end = moments["start"], moments["end"]
    if isinstance(start, datetime) != isinstance(end, datetime):
        return [FieldProblem("end", "submissions.refused.date_kind")]
    if end < start:
        params = {"start": start, "end": end}
        return [FieldProblem("end", "submissions.refused.end_before_start", params)]
    return []


def _moment(value: str) -> date | None:
    """``YYYY-MM-DD`` as a date, ``YYYY-MM-DDTHH:MM`` as a datetime, if it exists in the
    years ``events.csv`` accepts; else ``None``."""
    if not (_DATE.fullmatch(value) or _DATETIME.fullmatch(value)):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if not YEARS[0] <= moment.year <= YEARS[1]:
        return None
    return moment if "T" in value else moment.date()


def _location(
    given: Mapping[str, object], city: CityProfile
) -> tuple[dict[str, float], list[FieldProblem]]:
    """``lat``/``lon`` as numbers inside the study area, or the problems."""
    present = [name for name in LOCATION if name in given]
    if not present:
        return {}, []
    if len(present) == 1:
        missing = next(name for name in LOCATION if name not in given)
        return {}, [FieldProblem(missing, "submissions.refused.location_pair")]
    numbers: dict[str, float] = {}
    problems = []
    for name in LOCATION:
        number = _number(given[name])
        if number is None:
            problems.append(FieldProblem(name, "submissions.refused.number"))
        else:
            numbers[name] = number
    if problems:
        return {}, problems
    if not inside_bbox(numbers["lon"], numbers["lat"], city.bbox):
        west, south, east, north = city.bbox
        return {}, [
            FieldProblem(
                "lat",
                "submissions.refused.outside",
                {"west": west, "south": south, "east": east, "north": north},
            )
        ]
    return numbers, []


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]  # text or a number, checked above
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
