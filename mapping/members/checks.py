"""How complete is my record? The completeness checks, their weights, and the score.

:func:`completeness` answers for one venue and :func:`completeness_table` for every venue
at once (vectorised); both run :func:`check_columns`, so they agree by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd

from mapping import hours
from mapping.i18n import t
from mapping.io import Dataset
from mapping.memo import per_dataset
from mapping.schema import WHEELCHAIR_VALUES, as_text
from mapping.settings import CityProfile


@dataclass(frozen=True)
class CheckRule:
    """One completeness check: its key, its weight in the score, and why it weighs that.

    ``key`` names the catalogue texts ``members.check.<key>`` (what is checked) and
    ``members.why.<key>`` (what a visitor misses without it). ``reason`` is for the
    people who tune the weights, not for the page.
    """

    key: str
    weight: int
    reason: str


CHECKS: tuple[CheckRule, ...] = (
    CheckRule(
        "opening_hours",
        20,
        "Without hours a venue is never in 'open now' results: the most used "
        "filter, so the heaviest check.",
    ),
    CheckRule(
        "visitor_description",
        15,
        "A description in the visitors' language (visitor_language: the first of the "
        "town's languages after its default one, English for Kotor); without it a visitor "
        "who does not read the town's language sees only a name.",
    ),
    CheckRule(
        "off_season_hours",
        15,
        "The cluster's aim is a town alive between October and April; a venue "
        "not known open then is invisible to off-season visitors.",
    ),
    CheckRule(
        "contact", 15, "A website, phone or e-mail is how a visitor confirms a visit or books one."
    ),
    CheckRule(
        "exact_location",
        10,
        "Only an exact point gets exact walking minutes; a settlement-level point "
        "gets none and is listed after every placed venue.",
    ),
    CheckRule(
        "recently_checked",
        10,
        "Facts older than a year are often stale (hours, phones); visitors trust a "
        "record that was checked.",
    ),
    CheckRule("events", 10, "Events put a venue on the What's on page and its card."),
    CheckRule(
        "wheelchair",
        5,
        "The wheelchair filter shows only venues that say so; few visitors use it, "
        "but for them it decides.",
    ),
)
"""The completeness checks and their weights (summing to 100): the ONE place to tune them.

``visitor_description`` asks for ``description_<visitor_language(city)>``: no language is
named in code, so a town without English scores it with its own visitors' language.
"""

CHECK_KEYS: tuple[str, ...] = tuple(rule.key for rule in CHECKS)
FRESH_DAYS = 365
"""A record counts as checked when its ``checked`` date is at most this many days old."""
CONTACT_FIELDS: tuple[str, ...] = ("website", "phone", "email")


def visitor_language(city: CityProfile) -> str:
    """The language whose description is a check of its own: the first of ``city.toml``'s
    ``languages`` after ``default_language``.

    The town's own language is what its people write; the next one it lists is the one
    it expects most visitors to read (Kotor's ``["me", "en", "de"]``: ``en``; a town
    listing ``["sr", "de"]``: ``de``). A town with one language asks for that one.
    """
    others = [lang for lang in city.languages if lang != city.default_language]
    return others[0] if others else city.default_language


@dataclass(frozen=True)
class Check:
    """One check of one venue: ``passed`` when the record has what ``key`` asks for."""

    key: str
    weight: int
    passed: bool


@dataclass(frozen=True)
class Completeness:
    """A venue's score (0–100, the weights of the passed checks) and every check."""

    score: int
    checks: tuple[Check, ...]

    @property
    def missing(self) -> tuple[Check, ...]:
        """The checks not passed, heaviest first (what to fix first)."""
        return tuple(sorted((c for c in self.checks if not c.passed), key=lambda c: -c.weight))


class UnknownVenueError(KeyError):
    """No venue with that id in the dataset."""


def text_column(venues: pd.DataFrame, column: str) -> pd.Series:
    """A text column stripped, "" where missing (or where the column is absent)."""
    if column not in venues.columns:
        return pd.Series("", index=venues.index, dtype=object)
    return as_text(venues[column]).str.strip()


def _among(values: pd.Series, allowed: frozenset[str]) -> npt.NDArray[np.bool_]:
    """Whether each value is in ``allowed``, decided once per distinct value.

    (``Series.isin`` on Arrow-backed text loops in Python over every row.)
    """
    codes, uniques = pd.factorize(values)
    verdicts = np.fromiter((u in allowed for u in uniques), dtype=bool, count=len(uniques))
    return verdicts[codes] if len(uniques) else np.zeros(len(values), dtype=bool)


def check_columns(
    venues: pd.DataFrame,
    event_venue_ids: frozenset[str],
    city: CityProfile,
    today: date,
) -> dict[str, npt.NDArray[np.bool_]]:
    """Every check of :data:`CHECKS` for every row of an enriched venues frame, vectorised.

    ``event_venue_ids`` are the venues the events file names; ``city`` gives the
    off-season months and the visitors' language. Hours come from the enriched month
    states (``m01``..``m12``), so an unparsable string counts as unknown, exactly as the
    map treats it.
    """
    states = venues[list(hours.MONTH_STATE_COLUMNS)].to_numpy(dtype=object)
    off = [m - 1 for m in city.off_season_months]
    checked = pd.to_datetime(text_column(venues, "checked"), format="%Y-%m-%d", errors="coerce")
    oldest = pd.Timestamp(today - timedelta(days=FRESH_DAYS))
    contact = np.zeros(len(venues), dtype=bool)
    for field in CONTACT_FIELDS:
        contact |= (text_column(venues, field) != "").to_numpy()
    description = f"description_{visitor_language(city)}"
    columns = {
        "opening_hours": (states != hours.UNKNOWN).any(axis=1),
        "visitor_description": (text_column(venues, description) != "").to_numpy(),
        "off_season_hours": (states[:, off] == hours.OPEN).any(axis=1)
        if off
        else np.ones(len(venues), dtype=bool),
        "contact": contact,
        "exact_location": (
            text_column(venues, "location_precision").str.lower() == "exact"
        ).to_numpy(),
        "recently_checked": (checked >= oldest).to_numpy(dtype=bool),
        "events": _among(as_text(venues["id"]), event_venue_ids),
        "wheelchair": _among(
            text_column(venues, "wheelchair").str.lower(), frozenset(WHEELCHAIR_VALUES)
        ),
    }
    return {key: np.asarray(columns[key], dtype=bool) for key in CHECK_KEYS}


@per_dataset
def _event_venue_ids(data: Dataset) -> frozenset[str]:
    """The venues at which the events file lists an event (remembered per dataset)."""
    if data.events.empty or "venue_id" not in data.events.columns:
        return frozenset()
    return frozenset(as_text(data.events["venue_id"]).str.strip())


@per_dataset
def completeness_table(data: Dataset, today: date) -> pd.DataFrame:
    """Every venue's score and checks: ``id``, ``score`` and one bool column per check
    (named by :data:`CHECK_KEYS`), in the venues' order (remembered per dataset)."""
    passed = check_columns(data.venues, _event_venue_ids(data), data.city, today)
    weights = np.array([rule.weight for rule in CHECKS])
    matrix = (
        np.column_stack([passed[key] for key in CHECK_KEYS])
        if len(data.venues)
        else (np.zeros((0, len(CHECKS)), dtype=bool))
    )
    frame = pd.DataFrame(
        {"id": data.venues["id"].to_numpy(), "score": (matrix @ weights).astype(int)}
    )
    return frame.assign(**passed)


@per_dataset
def _positions(data: Dataset) -> dict[str, int]:
    """Each venue id's row number in ``data.venues``."""
    return {str(v): i for i, v in enumerate(data.venues["id"])}


@per_dataset
def venue_row(data: Dataset, venue_id: str) -> pd.DataFrame:
    """The one-row frame of ``venue_id``; :class:`UnknownVenueError` when there is none.

    Remembered per dataset: every answer about the venue starts from it, and taking one
    row of a wide GeoDataFrame costs milliseconds."""
    position = _positions(data).get(venue_id)
    if position is None:
        msg = f"no venue with id {venue_id!r}: expected an id from venues.geojson"
        raise UnknownVenueError(msg)
    return data.venues.iloc[[position]]


@per_dataset
def completeness(data: Dataset, venue_id: str, today: date) -> Completeness:
    """One venue's score and checks: :func:`check_columns` on its row alone, so it costs
    no more than the venue (and agrees with :func:`completeness_table` by construction)."""
    row = venue_row(data, venue_id)
    passed = check_columns(row, _event_venue_ids(data), data.city, today)
    checks = tuple(Check(rule.key, rule.weight, bool(passed[rule.key][0])) for rule in CHECKS)
    return Completeness(sum(c.weight for c in checks if c.passed), checks)


def check_texts(key: str, lang: str, city: CityProfile) -> tuple[str, str]:
    """(what is checked, what a visitor misses without it) for check ``key`` in ``lang``.

    ``city`` names the visitors' language in the texts that need it (as the language
    switch shows it: "EN").
    """
    language = visitor_language(city).upper()
    return (
        t(f"members.check.{key}", lang, language=language),
        t(f"members.why.{key}", lang, language=language),
    )
