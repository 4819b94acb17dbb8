"""How complete is my record? The completeness checks, their weights, and the score.

:func:`completeness` answers for one venue and :func:`completeness_table` for every venue
at once (vectorised); both run :func:`check_columns` and :func:`applies_columns`, so
they agree by construction.

The score is fair: a check that cannot apply to a record (hours, off-season hours and
wheelchair access of a place visitors cannot come to, ``visit = no``; off-season hours
in a town without an off-season) counts neither for nor against it. The score is the
share of the *applicable* weight the record earns, 0–100 (:func:`score_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd
from dateutil.relativedelta import relativedelta

from mapping import events, hours
from mapping.i18n import t
from mapping.io import Dataset
from mapping.memo import per_dataset
from mapping.query import visitable
from mapping.schema import WHEELCHAIR_VALUES, as_text
from mapping.settings import CityProfile


@dataclass(frozen=True)
class CheckRule:
    """One completeness check: its key, its weight in the score, and why it weighs that.

    ``key`` names the catalogue texts ``members.check.<key>`` (what is checked) and
    ``members.why.<key>`` (what a visitor misses without it). ``reason`` is for the
    people who tune the weights, not for the page. ``visitors_only``: the check asks
    about a visit, so it does not apply to a place visitors cannot come to
    (``visit = no``).
    """

    key: str
    weight: int
    reason: str
    visitors_only: bool = False


CHECKS: tuple[CheckRule, ...] = (
    CheckRule(
        "opening_hours",
        20,
        "Without hours a venue is never in 'open now' results: the most used "
        "filter, so the heaviest check.",
        visitors_only=True,
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
        visitors_only=True,
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
    CheckRule(
        "events",
        10,
        "Events put a venue on the What's on page and its card; only an event in the "
        "next 12 months (EVENTS_MONTHS) counts, a one-off from years ago does not.",
    ),
    CheckRule(
        "wheelchair",
        5,
        "The wheelchair filter shows only venues that say so; few visitors use it, "
        "but for them it decides.",
        visitors_only=True,
    ),
)
"""The completeness checks and their weights (summing to 100): the ONE place to tune them.

``visitor_description`` asks for ``description_<visitor_language(city)>``: no language is
named in code, so a town without English scores it with its own visitors' language.
"""

CHECK_KEYS: tuple[str, ...] = tuple(rule.key for rule in CHECKS)
EVENTS_MONTHS = 12
"""``events`` passes with an occurrence from today to this many months ahead."""
NOT_VISITABLE_REASON = "members.not_applicable.visit_no"
NO_OFF_SEASON_REASON = "members.not_applicable.no_off_season"
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
    """One check of one venue: ``passed`` when the record has what ``key`` asks for;
    ``applies`` false (with the catalogue key ``why_not`` that says why) when it cannot
    ask it of this record, and then it counts neither way."""

    key: str
    weight: int
    passed: bool
    applies: bool = True
    why_not: str = ""


@dataclass(frozen=True)
class Completeness:
    """A venue's score (0–100: the share of the applicable checks' weight it earns)
    and every check."""

    score: int
    checks: tuple[Check, ...]

    @property
    def missing(self) -> tuple[Check, ...]:
        """The applicable checks not passed, heaviest first (what to fix first)."""
        failed = (c for c in self.checks if c.applies and not c.passed)
        return tuple(sorted(failed, key=lambda c: -c.weight))

    @property
    def applicable(self) -> tuple[Check, ...]:
        """The checks the score is over."""
        return tuple(c for c in self.checks if c.applies)


def score_of(earned: npt.ArrayLike, possible: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Scores 0–100: ``earned`` points over ``possible`` (the applicable weight),
    rounded half up; a record to which nothing applies scores 100 (nothing is missing)."""
    got = np.asarray(earned, dtype=float)
    out_of = np.asarray(possible, dtype=float)
    share = np.divide(got * 100, out_of, out=np.full(got.shape, 100.0), where=out_of > 0)
    rounded: npt.NDArray[np.int64] = np.floor(share + 0.5).astype(np.int64)
    return rounded


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


def applies_columns(venues: pd.DataFrame, city: CityProfile) -> dict[str, npt.NDArray[np.bool_]]:
    """For every check of :data:`CHECKS`, whether it applies to each row: a
    ``visitors_only`` check not to ``visit = no``, off-season hours not in a town
    without off-season months."""
    visitors = np.asarray(visitable(venues), dtype=bool)
    every = np.ones(len(venues), dtype=bool)
    columns = {rule.key: visitors if rule.visitors_only else every for rule in CHECKS}
    if not city.off_season_months:
        columns["off_season_hours"] = np.zeros(len(venues), dtype=bool)
    return columns


def why_not(rule: CheckRule, visitors: bool, city: CityProfile) -> str:
    """The catalogue key saying why ``rule`` does not apply ("" when it does)."""
    if rule.visitors_only and not visitors:
        return NOT_VISITABLE_REASON
    if rule.key == "off_season_hours" and not city.off_season_months:
        return NO_OFF_SEASON_REASON
    return ""


def applies_column(key: str) -> str:
    """The column of :func:`completeness_table` saying whether check ``key`` applies."""
    return f"applies_{key}"


def check_columns(
    venues: pd.DataFrame,
    event_venue_ids: frozenset[str],
    city: CityProfile,
    today: date,
) -> dict[str, npt.NDArray[np.bool_]]:
    """Every check of :data:`CHECKS` for every row of an enriched venues frame, vectorised.

    ``event_venue_ids`` are the venues with an event in the next :data:`EVENTS_MONTHS`
    months (:func:`event_venue_ids`); ``city`` gives the
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
def event_venue_ids(data: Dataset, today: date) -> frozenset[str]:
    """The venues with an event from ``today`` to :data:`EVENTS_MONTHS` months ahead,
    recurrences expanded by :func:`mapping.events.occurrences` (What's on's own: a
    weekly or annual event counts, a one-off from 2022 does not; remembered)."""
    if data.events.empty or "venue_id" not in data.events.columns:
        return frozenset()
    last = today + relativedelta(months=EVENTS_MONTHS) - timedelta(days=1)
    found = events.occurrences(data.events, today, last, data.city.timezone)
    return frozenset(as_text(found["venue_id"]).str.strip()) if len(found) else frozenset()


def _matrix(columns: dict[str, npt.NDArray[np.bool_]], rows: int) -> npt.NDArray[np.bool_]:
    if not rows:
        return np.zeros((0, len(CHECKS)), dtype=bool)
    return np.column_stack([columns[key] for key in CHECK_KEYS])


@per_dataset
def completeness_table(data: Dataset, today: date) -> pd.DataFrame:
    """Every venue's score and checks: ``id``, ``score``, one bool column per check
    (named by :data:`CHECK_KEYS`: passed) and one per check saying whether it applies
    (:func:`applies_column`), in the venues' order (remembered per dataset)."""
    venues = data.venues
    passed = check_columns(venues, event_venue_ids(data, today), data.city, today)
    applies = applies_columns(venues, data.city)
    weights = np.array([rule.weight for rule in CHECKS])
    counted = _matrix(applies, len(venues))
    earned = (_matrix(passed, len(venues)) & counted) @ weights
    frame = pd.DataFrame(
        {"id": venues["id"].to_numpy(), "score": score_of(earned, counted @ weights)}
    )
    return frame.assign(**passed, **{applies_column(k): v for k, v in applies.items()})


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
    passed = check_columns(row, event_venue_ids(data, today), data.city, today)
    visitors = bool(visitable(row)[0])
    checks = tuple(
        Check(
            rule.key,
            rule.weight,
            bool(passed[rule.key][0]),
            not why_not(rule, visitors, data.city),
            why_not(rule, visitors, data.city),
        )
        for rule in CHECKS
    )
    earned = sum(c.weight for c in checks if c.passed and c.applies)
    return Completeness(int(score_of(earned, sum(c.weight for c in checks if c.applies))), checks)


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
