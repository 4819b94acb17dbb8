"""For members: what a venue's owner needs to know about how visitors find the venue.

Pure functions over the loaded :class:`~mapping.io.Dataset` (no Streamlit here); the
"For members" page lays them out. Five questions, one function each:

- **How complete is my record?** :func:`completeness` (one venue) and
  :func:`completeness_table` (every venue at once, vectorised): a score 0–100 from the
  checks of :data:`CHECKS`, the one place their weights live.
- **Who can find me?** :func:`findability`: in which of the visitors' common views the
  venue appears — "open now" at sample moments (:func:`sample_moments`), its category
  layer, "members only", the wheelchair filter, and the nearest-first list from each
  tourist entry point. Every answer is computed with Explore's own functions
  (:func:`mapping.query.filter_mask`, :func:`mapping.explore.nearest_first`) and its
  default filter (:func:`explore_default_filter`), so the page can never promise a
  place the visitors' page does not give. Hours that are unknown are *unknown*, never
  "no".
- **When am I open, against my category?** :func:`monthly_reach`.
- **How far am I from where visitors arrive, and who is around me?** :func:`proximity`.
- **How do the members compare?** :func:`overview`, with usage counts.

Texts are catalogue keys (``members.*``, ``mapping/locales/<lang>/members.toml``):
:func:`check_texts` and :func:`finding_text` put a result into words, so the page
never assembles a sentence itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pandas as pd

from mapping import explore, hours
from mapping.distance import REACH_BOAT, REACH_SETTLEMENT, REACH_WALK, flag, reach, walk_model
from mapping.events import day_label
from mapping.i18n import catalogue, localized_column, plural, t
from mapping.io import Dataset
from mapping.memo import per_dataset
from mapping.query import VenueFilter, filter_mask, visitable
from mapping.schema import WHEELCHAIR_VALUES, as_text, in_cluster
from mapping.settings import CityProfile

# --------------------------------------------------------------------------- completeness


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
        "english_description",
        15,
        "Most visitors to the town read English; without a description they see only a name.",
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
"""The completeness checks and their weights (summing to 100): the ONE place to tune them."""

CHECK_KEYS: tuple[str, ...] = tuple(rule.key for rule in CHECKS)
FRESH_DAYS = 365
"""A record counts as checked when its ``checked`` date is at most this many days old."""
VISITOR_LANGUAGE = "en"
"""The language most foreign visitors read: its description is a check of its own."""
CONTACT_FIELDS: tuple[str, ...] = ("website", "phone", "email")


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


def _text_column(venues: pd.DataFrame, column: str) -> pd.Series:
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
    off_season: tuple[int, ...],
    today: date,
) -> dict[str, npt.NDArray[np.bool_]]:
    """Every check of :data:`CHECKS` for every row of an enriched venues frame, vectorised.

    ``event_venue_ids`` are the venues the events file names. Hours come from
    the enriched month states (``m01``..``m12``), so an unparsable string counts as
    unknown, exactly as the map treats it.
    """
    states = venues[list(hours.MONTH_STATE_COLUMNS)].to_numpy(dtype=object)
    off = [m - 1 for m in off_season]
    checked = pd.to_datetime(_text_column(venues, "checked"), format="%Y-%m-%d", errors="coerce")
    oldest = pd.Timestamp(today - timedelta(days=FRESH_DAYS))
    contact = np.zeros(len(venues), dtype=bool)
    for field in CONTACT_FIELDS:
        contact |= (_text_column(venues, field) != "").to_numpy()
    columns = {
        "opening_hours": (states != hours.UNKNOWN).any(axis=1),
        "english_description": (
            _text_column(venues, f"description_{VISITOR_LANGUAGE}") != ""
        ).to_numpy(),
        "off_season_hours": (states[:, off] == hours.OPEN).any(axis=1)
        if off
        else np.ones(len(venues), dtype=bool),
        "contact": contact,
        "exact_location": (
            _text_column(venues, "location_precision").str.lower() == "exact"
        ).to_numpy(),
        "recently_checked": (checked >= oldest).to_numpy(dtype=bool),
        "events": _among(as_text(venues["id"]), event_venue_ids),
        "wheelchair": _among(
            _text_column(venues, "wheelchair").str.lower(), frozenset(WHEELCHAIR_VALUES)
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
    passed = check_columns(data.venues, _event_venue_ids(data), data.city.off_season_months, today)
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
    passed = check_columns(row, _event_venue_ids(data), data.city.off_season_months, today)
    checks = tuple(Check(rule.key, rule.weight, bool(passed[rule.key][0])) for rule in CHECKS)
    return Completeness(sum(c.weight for c in checks if c.passed), checks)


def check_texts(key: str, lang: str) -> tuple[str, str]:
    """(what is checked, what a visitor misses without it) for check ``key`` in ``lang``."""
    return t(f"members.check.{key}", lang), t(f"members.why.{key}", lang)


# --------------------------------------------------------------------------- findability

State = Literal["yes", "no", "unknown"]
YES: State = "yes"
NO: State = "no"
UNKNOWN: State = "unknown"

VIEW_OPEN = "open_at"
VIEW_CATEGORY = "category_layer"
VIEW_MEMBERS = "members_only"
VIEW_WHEELCHAIR = "wheelchair"
VIEW_NEAR = "near"

SAMPLE_WEEKDAY = 2
"""Wednesday: mid-week, so neither a Monday closing day nor Friday hours make it atypical."""
SAMPLE_SATURDAY = 5
SAMPLE_TIMES: dict[int, time] = {SAMPLE_WEEKDAY: time(11, 0), SAMPLE_SATURDAY: time(18, 0)}
_SEARCH_DAYS = 2 * 366  # a month of each season always comes within two years


@dataclass(frozen=True)
class SampleMoment:
    """A moment at which "open now" is checked: ``season`` is ``off_season`` or ``peak``,
    ``day`` ``weekday`` or ``saturday``; ``moment`` is local to the town."""

    season: str
    day: str
    moment: datetime


@dataclass(frozen=True)
class Finding:
    """Whether the venue appears in one view of the visitors' pages, and why.

    ``view`` is one of ``open_at``, ``category_layer``, ``members_only``, ``wheelchair``,
    ``near``; ``params`` says which instance (``moment``/``season``/``day`` for
    ``open_at``, ``category`` for the layer, ``start`` — a landmark id — for ``near``).
    ``state`` is ``yes``, ``no`` or ``unknown`` (hours unknown then: never "no").
    ``reason_key`` is a catalogue key, formatted with ``reason_params``
    (:func:`finding_text` does it); ``rank`` is the 1-based walking rank in the near
    list, or ``None`` when the venue takes no part in that rank.
    """

    view: str
    params: dict[str, object]
    state: State
    reason_key: str
    reason_params: dict[str, object]
    rank: int | None = None


def explore_default_filter(data: Dataset) -> VenueFilter:
    """The filter Explore opens with: every category of ``categories.csv``, nothing else.

    Built exactly as the page builds it (``tuple(chosen)`` of the category ids), so the
    remembered answers of :mod:`mapping.explore` are shared with the visitors' page.
    """
    return VenueFilter(categories=tuple(data.categories["id"]), text="")


def _is_holiday(day: date, city: CityProfile) -> bool:
    """Whether ``day`` is a public holiday in the town's country (none without one)."""
    if not city.country:
        return False
    return hours.is_open_on("PH", day, city.timezone, country=city.country) is True


def _next_day(start: date, weekday: int, months: tuple[int, ...], city: CityProfile) -> date:
    """The first ``weekday`` on or after ``start`` in one of ``months``, not a holiday."""
    for offset in range(_SEARCH_DAYS):
        day = start + timedelta(days=offset)
        if day.weekday() == weekday and day.month in months and not _is_holiday(day, city):
            return day
    msg = f"no {weekday=} in months {months} within {_SEARCH_DAYS} days of {start}"
    raise ValueError(msg)


def peak_sample_month(city: CityProfile) -> int:
    """The month in the middle of the peak season (August for Kotor's July–August)."""
    return city.peak_months[len(city.peak_months) // 2]


def sample_moments(city: CityProfile, today: date) -> tuple[SampleMoment, ...]:
    """The moments "open now" is checked at: the next off-season Wednesday 11:00 and
    Saturday 18:00 on or after ``today``, and the same in the peak sample month.

    Public holidays are skipped (a holiday is not a typical day); the moments are the
    next upcoming ones, so an owner reads about dates a visitor may really come on.
    """
    zone = ZoneInfo(city.timezone)
    seasons = (("off_season", tuple(city.off_season_months)), ("peak", (peak_sample_month(city),)))
    moments = []
    for season, months in seasons:
        for day_name, weekday in (("weekday", SAMPLE_WEEKDAY), ("saturday", SAMPLE_SATURDAY)):
            day = _next_day(today, weekday, months, city)
            moments.append(
                SampleMoment(season, day_name, datetime.combine(day, SAMPLE_TIMES[weekday], zone))
            )
    return tuple(moments)


def _open_finding(data: Dataset, row: pd.DataFrame, sample: SampleMoment) -> Finding:
    """Explore's "open now" at ``sample``: the page's filter applied to this one row."""
    city = data.city
    country = city.country or None
    asked = replace(explore_default_filter(data), open_at=sample.moment, visitable_only=True)
    params: dict[str, object] = {
        "moment": sample.moment,
        "season": sample.season,
        "day": sample.day,
    }
    if filter_mask(row, asked, city.timezone, country)[0]:
        return Finding(VIEW_OPEN, params, YES, "members.reason.open_then", {})
    if not _known_category(data, row):
        return Finding(VIEW_OPEN, params, NO, "members.reason.unknown_category", {})
    if not visitable(row)[0]:
        return Finding(VIEW_OPEN, params, NO, "members.reason.not_visitable_open", {})
    if filter_mask(row, replace(asked, unknown_hours=True), city.timezone, country)[0]:
        return Finding(VIEW_OPEN, params, UNKNOWN, "members.reason.hours_unknown_then", {})
    return Finding(VIEW_OPEN, params, NO, "members.reason.closed_then", {})


def _known_category(data: Dataset, row: pd.DataFrame) -> bool:
    return bool(row["category"].isin(data.categories["id"]).iloc[0])


def _category_finding(data: Dataset, row: pd.DataFrame) -> Finding:
    category = str(row["category"].iloc[0])
    if _known_category(data, row):
        return Finding(
            VIEW_CATEGORY,
            {"category": category},
            YES,
            "members.reason.category_layer",
            {"category": category},
        )
    return Finding(VIEW_CATEGORY, {"category": category}, NO, "members.reason.unknown_category", {})


def _shown_with(
    data: Dataset, row: pd.DataFrame, *, members_only: bool = False, wheelchair: bool = False
) -> bool:
    """Whether Explore, with its default filter plus these switches ticked, shows the row."""
    asked = replace(explore_default_filter(data), members_only=members_only, wheelchair=wheelchair)
    return bool(filter_mask(row, asked, data.city.timezone, data.city.country or None)[0])


def _members_finding(data: Dataset, row: pd.DataFrame) -> Finding:
    """Explore's "cluster members and prospective members" switch."""
    if _shown_with(data, row, members_only=True):
        status = str(as_text(row["cluster"]).str.strip().str.lower().iloc[0])
        key = "members.reason.prospective" if status == "prospective" else "members.reason.member"
        return Finding(VIEW_MEMBERS, {}, YES, key, {})
    if in_cluster(row["cluster"])[0]:
        return Finding(VIEW_MEMBERS, {}, NO, "members.reason.unknown_category", {})
    return Finding(VIEW_MEMBERS, {}, NO, "members.reason.not_in_cluster", {})


def _wheelchair_finding(data: Dataset, row: pd.DataFrame) -> Finding:
    """Explore's wheelchair switch (it keeps full and limited access)."""
    value = str(_text_column(row, "wheelchair").str.lower().iloc[0])
    key = {
        "yes": "members.reason.wheelchair_yes",
        "limited": "members.reason.wheelchair_limited",
        "no": "members.reason.wheelchair_no",
    }.get(value, "members.reason.wheelchair_unknown")
    if _shown_with(data, row, wheelchair=True):
        return Finding(VIEW_WHEELCHAIR, {}, YES, key, {})
    if not _known_category(data, row):
        return Finding(VIEW_WHEELCHAIR, {}, NO, "members.reason.unknown_category", {})
    return Finding(VIEW_WHEELCHAIR, {}, NO, key, {})


@per_dataset
def entry_points(data: Dataset, lang: str) -> pd.DataFrame:
    """The tourist entry points (landmarks with ``entry_point`` true): Explore's start
    points, index landmark id, columns label, lat, lon."""
    marks = explore.start_points(data, lang)
    return marks[flag(marks["entry_point"].astype(object), marks.index)]


@per_dataset
def near_table(data: Dataset, lang: str) -> pd.DataFrame:
    """Explore's default nearest-first list from every entry point, in one frame.

    Columns ``start`` (landmark id), ``id``, ``category``, ``reach``, ``walk_min``,
    ``position`` (1-based place in the list), ``rank`` and ``category_rank`` (1-based
    among the venues ranked by walking, overall and in the venue's category; NA for
    boat-only and settlement-level venues, which follow unranked), ``ranked`` and
    ``category_ranked`` (how many are ranked). Computed by
    :func:`mapping.explore.nearest_first` with :func:`explore_default_filter` and
    ``hide_unvisitable`` — what a visitor who changed nothing sees.
    """
    venue_filter = explore_default_filter(data)
    parts = []
    for start, mark in entry_points(data, lang).iterrows():
        origin = (float(mark["lat"]), float(mark["lon"]), str(mark["label"]))
        listed, _ = explore.nearest_first(data, venue_filter, lang, origin, True)
        parts.append(_ranks(str(start), listed))
    if not parts:
        return pd.DataFrame(
            columns=[
                "start",
                "id",
                "category",
                "reach",
                "walk_min",
                "position",
                "rank",
                "category_rank",
                "ranked",
                "category_ranked",
            ]
        )
    return pd.concat(parts, ignore_index=True)


def _ranks(start: str, listed: pd.DataFrame) -> pd.DataFrame:
    """:func:`near_table`'s rows for one start: ``listed`` is Explore's list, in order."""
    walking = (listed["reach"] == REACH_WALK).to_numpy()
    codes, uniques = pd.factorize(listed["category"])
    walk_codes = codes[walking]
    rank = np.zeros(len(listed), dtype=np.int64)
    rank[walking] = np.arange(1, int(walking.sum()) + 1)
    category_rank = np.zeros(len(listed), dtype=np.int64)
    category_rank[walking] = pd.Series(walk_codes).groupby(walk_codes).cumcount().to_numpy() + 1
    per_category = np.bincount(walk_codes, minlength=len(uniques))
    return pd.DataFrame(
        {
            "start": start,
            "id": listed["id"].to_numpy(dtype=object),
            "category": listed["category"].to_numpy(dtype=object),
            "reach": listed["reach"].to_numpy(dtype=object),
            "walk_min": listed["walk_min"].to_numpy(dtype=float),
            "position": np.arange(1, len(listed) + 1),
            "rank": pd.Series(rank).where(walking).astype("Int64").array,
            "category_rank": pd.Series(category_rank).where(walking).astype("Int64").array,
            "ranked": int(walking.sum()),
            "category_ranked": per_category[codes],
        }
    )


def _near_findings(data: Dataset, row: pd.DataFrame, lang: str) -> list[Finding]:
    """One finding per entry point: the venue's place in Explore's default near list."""
    venue_id = str(row["id"].iloc[0])
    table = near_table(data, lang)
    mine = table[table["id"] == venue_id].set_index("start")
    findings = []
    for start in entry_points(data, lang).index:
        params: dict[str, object] = {"start": str(start)}
        if start not in mine.index:
            key = (
                "members.reason.unknown_category"
                if not _known_category(data, row)
                else "members.reason.near_not_visitable"
            )
            findings.append(Finding(VIEW_NEAR, params, NO, key, {}))
            continue
        entry = mine.loc[start]
        kind = str(entry["reach"])
        ranked = int(entry["ranked"])
        if kind == REACH_WALK:
            findings.append(
                Finding(
                    VIEW_NEAR,
                    params,
                    YES,
                    "members.reason.near_rank",
                    {
                        "rank": int(entry["rank"]),
                        "count": ranked,
                        "minutes": max(1, round(float(entry["walk_min"]))),
                    },
                    int(entry["rank"]),
                )
            )
        elif kind == REACH_BOAT:
            findings.append(
                Finding(
                    VIEW_NEAR,
                    params,
                    YES,
                    "members.reason.near_boat",
                    {"count": ranked, "position": int(entry["position"])},
                )
            )
        else:
            placed = int((table[table["start"] == start]["reach"] != REACH_SETTLEMENT).sum())
            findings.append(
                Finding(
                    VIEW_NEAR,
                    params,
                    YES,
                    "members.reason.near_unplaced",
                    {"count": placed, "position": int(entry["position"])},
                )
            )
    return findings


@per_dataset
def findability(data: Dataset, venue_id: str, today: date, lang: str) -> tuple[Finding, ...]:
    """In which of the visitors' common views ``venue_id`` appears, and why (or why not).

    In order: "open now" at each of :func:`sample_moments` (``today`` picks them), the
    category layer, "members only", the wheelchair filter, the near list from each entry
    point. ``lang`` only names the start points the way Explore does (the answers are
    the same in every language; the remembered near lists are shared with Explore).
    """
    row = venue_row(data, venue_id)
    found = [_open_finding(data, row, s) for s in sample_moments(data.city, today)]
    found += [
        _category_finding(data, row),
        _members_finding(data, row),
        _wheelchair_finding(data, row),
    ]
    found += _near_findings(data, row, lang)
    return tuple(found)


def moment_text(moment: datetime, lang: str) -> str:
    """A sample moment in words: "Wed 2 Dec 2026, 11:00"."""
    return t("members.moment", lang, day=day_label(moment.date(), lang), time=f"{moment:%H:%M}")


def _words(data: Dataset, values: dict[str, object], lang: str) -> dict[str, object]:
    """Finding params in words: a category id becomes its label, a start its landmark
    name, a moment its date and time; numbers stay numbers."""
    out = dict(values)
    if "category" in out:
        categories = data.categories.set_index("id")
        labels = localized_column(categories, "label", lang, data.city.languages)
        out["category"] = labels.get(str(out["category"]), str(out["category"]))
    if "start" in out:
        marks = explore.start_points(data, lang)["label"]
        out["start"] = marks.get(str(out["start"]), str(out["start"]))
    if "moment" in out and isinstance(out["moment"], datetime):
        out["moment"] = moment_text(out["moment"], lang)
    return out


def render_key(key: str, lang: str, values: dict[str, object]) -> str:
    """Catalogue ``key`` formatted with ``values``; a plural table by ``values["count"]``."""
    if isinstance(catalogue(lang)[key], dict):
        rest = {k: v for k, v in values.items() if k != "count"}
        return plural(key, lang, int(str(values["count"])), **rest)
    return t(key, lang, **values)


def finding_text(data: Dataset, finding: Finding, lang: str) -> tuple[str, str, str]:
    """(the view, the answer, why) of ``finding`` in ``lang``, ready to show.

    The view is ``members.view.<view>`` with its params in words, the answer
    ``members.state.<state>``, the reason ``finding.reason_key``.
    """
    view = render_key(f"members.view.{finding.view}", lang, _words(data, finding.params, lang))
    state = t(f"members.state.{finding.state}", lang)
    reason = render_key(finding.reason_key, lang, _words(data, finding.reason_params, lang))
    return view, state, reason


# --------------------------------------------------------------------------- reach by month


@per_dataset
def category_month_hours(data: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per category and month: the median open hours per week, and how many venues it
    is over (those with known hours that month; closed months count, as 0 hours).

    Over the venues a visitor can go to (``visit`` not ``no``), like Planning's
    seasonality. Two frames indexed by category, columns 1–12.
    """
    venues = data.venues[visitable(data.venues)]
    weekly = venues[list(hours.WEEKLY_HOURS_COLUMNS)].set_axis(range(1, 13), axis=1)
    grouped = weekly.groupby(venues["category"].astype(str))
    return grouped.median(), grouped.count()


@per_dataset
def monthly_reach(data: Dataset, venue_id: str) -> pd.DataFrame:
    """Per month (1–12) of the data year: ``state`` (True open / False closed / None
    unknown), ``hours`` (open hours per week, NaN unknown), ``category_median`` (NaN when
    no venue of the category has known hours that month) and ``category_known``."""
    row = venue_row(data, venue_id)
    category = str(row["category"].iloc[0])
    medians, known = category_month_hours(data)
    states = row[list(hours.MONTH_STATE_COLUMNS)].to_numpy(dtype=object)[0]
    months = list(range(1, 13))
    has = category in medians.index
    return pd.DataFrame(
        {
            "month": months,
            "state": pd.Series(
                [{hours.OPEN: True, hours.CLOSED: False}.get(s) for s in states], dtype=object
            ),
            "hours": row[list(hours.WEEKLY_HOURS_COLUMNS)].to_numpy(dtype=float)[0],
            "category_median": medians.loc[category].to_numpy(dtype=float)
            if has
            else np.full(12, np.nan),
            "category_known": known.loc[category].to_numpy(dtype=int)
            if has
            else np.zeros(12, dtype=int),
        }
    )


# --------------------------------------------------------------------------- proximity

NEIGHBOUR_BANDS: tuple[int, ...] = (5, 10)
"""Walking minutes the neighbours are grouped by: within 5, and within 10."""


@dataclass(frozen=True)
class Proximity:
    """How far the venue is from the entry points, and who is around it.

    ``entry_points``: one row per entry point: ``start`` (landmark id), ``label``,
    ``minutes`` (approximate walk, NaN when none is honest), ``rank``/``ranked`` and
    ``category_rank``/``category_ranked`` (the near list's walking rank and how many it
    ranks; NA when unranked), ``reason_key`` ("" when ranked, else why not).
    ``neighbours``: ``id``, ``name`` (in the language asked), ``category``,
    ``category_label``, ``minutes``, ``same_category``, ``band`` (5 or 10), nearest
    first; empty with ``neighbours_reason_key`` set when the venue has no honest point.
    """

    entry_points: pd.DataFrame
    neighbours: pd.DataFrame
    neighbours_reason_key: str


NEIGHBOUR_COLUMNS = ("id", "name", "category", "category_label", "minutes", "same_category", "band")


def _no_minutes_reason(kind: str) -> str:
    return (
        "members.reason.no_minutes_boat"
        if kind == REACH_BOAT
        else "members.reason.no_minutes_unplaced"
    )


ENTRY_POINT_COLUMNS = (
    "start",
    "label",
    "minutes",
    "rank",
    "ranked",
    "category_rank",
    "category_ranked",
    "reason_key",
)


def _entry_point_rows(data: Dataset, row: pd.DataFrame, kind: str, lang: str) -> pd.DataFrame:
    """:attr:`Proximity.entry_points`: minutes from each entry point, and the near list's
    walking ranks read from :func:`near_table` (so they are Explore's own)."""
    category = str(row["category"].iloc[0])
    table = near_table(data, lang)
    ranked_rows = table[table["rank"].notna().to_numpy()]
    ranked = ranked_rows.groupby("start").size()
    ranked_here = ranked_rows[ranked_rows["category"] == category].groupby("start").size()
    mine = table[table["id"] == str(row["id"].iloc[0])]
    rank = dict(zip(mine["start"], mine["rank"], strict=True))
    category_rank = dict(zip(mine["start"], mine["category_rank"], strict=True))
    if kind != REACH_WALK:
        reason = _no_minutes_reason(kind)
    elif not _known_category(data, row):
        reason = "members.reason.unknown_category"
    else:
        reason = "members.reason.near_not_visitable"  # placed, yet left out of the list
    model = walk_model(data)
    rows = []
    for start, mark in entry_points(data, lang).iterrows():
        walked = kind == REACH_WALK
        minutes = (
            float(model.minutes((float(mark["lat"]), float(mark["lon"])), row).iloc[0])
            if walked
            else np.nan
        )
        listed = walked and start in rank
        rows.append(
            (
                str(start),
                str(mark["label"]),
                minutes,
                rank.get(start) if listed else pd.NA,
                int(ranked.get(start, 0)),
                category_rank.get(start) if listed else pd.NA,
                int(ranked_here.get(start, 0)),
                "" if listed else reason,
            )
        )
    frame = pd.DataFrame(rows, columns=list(ENTRY_POINT_COLUMNS))
    return frame.astype({"minutes": float, "rank": "Int64", "category_rank": "Int64"})


@per_dataset
def walkable_venues(data: Dataset, lang: str) -> pd.DataFrame:
    """The neighbour candidates: visitable venues placed on foot (the near list's
    ranked basis), with metric ``x``/``y``, localized ``name`` and ``category_label``."""
    venues = data.venues
    keep = visitable(venues) & (reach(venues) == REACH_WALK).to_numpy()
    chosen = venues[keep]
    categories = data.categories.set_index("id")
    labels = localized_column(categories, "label", lang, data.city.languages)
    category = chosen["category"].astype(str)
    return pd.DataFrame(
        {
            "id": chosen["id"].astype(str).to_numpy(),
            "name": localized_column(chosen, "name", lang, data.city.languages).to_numpy(),
            "category": category.to_numpy(),
            "category_label": category.map(labels).fillna(category).to_numpy(),
            "x": chosen["x"].to_numpy(dtype=float),
            "y": chosen["y"].to_numpy(dtype=float),
        }
    )


def _neighbours(data: Dataset, row: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Candidates within the widest band of the venue's point, nearest first."""
    candidates = walkable_venues(data, lang)
    point = row.geometry.iloc[0]
    minutes = (
        walk_model(data).minutes((float(point.y), float(point.x)), candidates).to_numpy(dtype=float)
    )
    venue_id = str(row["id"].iloc[0])
    near = (minutes <= NEIGHBOUR_BANDS[-1]) & (candidates["id"].to_numpy() != venue_id)
    found = candidates[near].assign(minutes=minutes[near])
    found["same_category"] = found["category"] == str(row["category"].iloc[0])
    bands = np.array(NEIGHBOUR_BANDS)
    found["band"] = bands[np.searchsorted(bands, found["minutes"].to_numpy(), side="left")]
    ordered: pd.DataFrame = found.sort_values(["minutes", "id"], kind="stable")
    columns: pd.DataFrame = ordered.reindex(columns=list(NEIGHBOUR_COLUMNS))
    return columns.reset_index(drop=True)


@per_dataset
def proximity(data: Dataset, venue_id: str, lang: str) -> Proximity:
    """Walking minutes and near-list ranks from each entry point, and the neighbours of
    the same and of other categories within 5 and 10 minutes' walk.

    Only a venue placed on foot gets minutes and neighbours: a boat-only or
    settlement-level point would invent them (:func:`mapping.distance.reach`).
    """
    row = venue_row(data, venue_id)
    kind = str(reach(row).iloc[0])
    entries = _entry_point_rows(data, row, kind, lang)
    if kind != REACH_WALK:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in NEIGHBOUR_COLUMNS})
        return Proximity(entries, empty, _no_minutes_reason(kind))
    return Proximity(entries, _neighbours(data, row, lang), "")


# --------------------------------------------------------------------------- overview

OVERVIEW_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "status",
    "category",
    "score",
    "missing",
    "impressions",
    "opens",
)


@per_dataset
def _cluster_rows(data: Dataset, today: date, lang: str) -> pd.DataFrame:
    """The overview without usage: members and prospective members, their score and
    the labels of the checks they miss (heaviest first)."""
    venues = data.venues
    listed = in_cluster(venues["cluster"])
    table = completeness_table(data, today)[listed].reset_index(drop=True)
    chosen = venues[listed]
    categories = data.categories.set_index("id")
    labels = localized_column(categories, "label", lang, data.city.languages)
    category = chosen["category"].astype(str)
    missing = np.full(len(chosen), "", dtype=object)
    for rule in sorted(CHECKS, key=lambda r: -r.weight):
        label = t(f"members.check.{rule.key}", lang)
        failed = ~table[rule.key].to_numpy(dtype=bool)
        missing[failed] = np.where(missing[failed] == "", label, missing[failed] + "; " + label)
    return pd.DataFrame(
        {
            "id": table["id"].astype(str).to_numpy(),
            "name": localized_column(chosen, "name", lang, data.city.languages).to_numpy(),
            "status": as_text(chosen["cluster"]).str.strip().str.lower().to_numpy(),
            "category": category.map(labels).fillna(category).to_numpy(),
            "score": table["score"].to_numpy(dtype=int),
            "missing": missing,
        }
    )


def overview(data: Dataset, usage: pd.DataFrame | None, today: date, lang: str) -> pd.DataFrame:
    """Every member's and prospective member's completeness and usage, weakest first.

    Columns :data:`OVERVIEW_COLUMNS`. ``usage`` is indexed by venue id with columns
    ``impressions`` and ``opens``; a venue it lacks counted 0 (nobody saw it), while no
    ``usage`` at all gives NaN (not counted, which is not the same as never seen).
    Sorted by score, then name, so the venues that most need help come first.
    """
    rows = _cluster_rows(data, today, lang)
    for column in ("impressions", "opens"):
        if usage is None:
            values = np.full(len(rows), np.nan)
        else:
            counts = usage[column] if column in usage.columns else pd.Series(dtype=float)
            values = rows["id"].map(counts).fillna(0).to_numpy(dtype=np.int64)
        rows = rows.assign(**{column: values})
    return rows.sort_values(["score", "name"], kind="stable").reset_index(drop=True)
