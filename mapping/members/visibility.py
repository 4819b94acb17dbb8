"""Who can find me? In which of the visitors' common views a venue appears, and why.

"Open now" at sample moments (:func:`sample_moments`), its category layer, "members
only", the wheelchair filter, and the nearest-first list from each tourist entry point.
Every answer is computed with Explore's own functions (:func:`mapping.query.filter_mask`,
:func:`mapping.explore.nearest_first`) and its own filter
(:func:`mapping.explore.sidebar_filter`), so the page can never promise a place the
visitors' page does not give. Hours that are unknown are *unknown*, never "no".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from mapping import clock, explore, hours
from mapping.distance import REACH_BOAT, REACH_SETTLEMENT, REACH_WALK, shown_minutes
from mapping.events import moment_label
from mapping.i18n import catalogue, localized_column, plural, t
from mapping.io import Dataset
from mapping.members.checks import text_column, venue_row
from mapping.memo import per_dataset
from mapping.months import next_month
from mapping.query import filter_mask, visitable
from mapping.schema import as_text, in_cluster, yes_flags
from mapping.settings import CityProfile

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
_SEARCH_MONTHS = 25  # every month comes twice within two years, whatever the start
NEAR_TABLE_COLUMNS = (
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
)


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


def is_holiday(day: date, city: CityProfile) -> bool:
    """Whether ``day`` is a public holiday in the town's country (none without one)."""
    if not city.country:
        return False
    return hours.is_open_on("PH", day, city.timezone, country=city.country) is True


def _next_day(start: date, weekday: int, months: tuple[int, ...], city: CityProfile) -> date:
    """The first ``weekday`` on or after ``start`` in one of ``months``, not a holiday.

    The months are walked in calendar order from ``start``'s, across the year end
    (:func:`mapping.months.next_month`): an off-season of October–April asked in
    December finds its days in December, then January of the next year.
    """
    year, month = start.year, start.month
    for _ in range(_SEARCH_MONTHS):
        if month in months:
            day = max(start, date(year, month, 1))
            day += timedelta(days=(weekday - day.weekday()) % 7)
            while day.month == month:
                if not is_holiday(day, city):
                    return day
                day += timedelta(days=7)
        year, month = next_month(year, month)
    msg = f"no {weekday=} in months {months} within {_SEARCH_MONTHS} months of {start}"
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
    seasons = (("off_season", tuple(city.off_season_months)), ("peak", (peak_sample_month(city),)))
    moments = []
    for season, months in seasons:
        for day_name, weekday in (("weekday", SAMPLE_WEEKDAY), ("saturday", SAMPLE_SATURDAY)):
            day = _next_day(today, weekday, months, city)
            wall_clock = datetime.combine(day, SAMPLE_TIMES[weekday])
            moments.append(SampleMoment(season, day_name, clock.local(wall_clock, city.timezone)))
    return tuple(moments)


def known_category(data: Dataset, row: pd.DataFrame) -> bool:
    """Whether the venue's category is one of ``categories.csv`` (a layer of the map)."""
    return bool(row["category"].isin(data.categories["id"]).iloc[0])


def _open_finding(data: Dataset, row: pd.DataFrame, sample: SampleMoment) -> Finding:
    """Explore's "open now" at ``sample``: the page's filter applied to this one row."""
    city = data.city
    country = city.country or None
    asked = explore.sidebar_filter(data, open_at=sample.moment)
    params: dict[str, object] = {
        "moment": sample.moment,
        "season": sample.season,
        "day": sample.day,
    }
    if filter_mask(row, asked, city.timezone, country)[0]:
        return Finding(VIEW_OPEN, params, YES, "members.reason.open_then", {})
    if not known_category(data, row):
        return Finding(VIEW_OPEN, params, NO, "members.reason.unknown_category", {})
    if not visitable(row)[0]:
        return Finding(VIEW_OPEN, params, NO, "members.reason.not_visitable_open", {})
    if filter_mask(row, replace(asked, unknown_hours=True), city.timezone, country)[0]:
        return Finding(VIEW_OPEN, params, UNKNOWN, "members.reason.hours_unknown_then", {})
    return Finding(VIEW_OPEN, params, NO, "members.reason.closed_then", {})


def _category_finding(data: Dataset, row: pd.DataFrame) -> Finding:
    category = str(row["category"].iloc[0])
    if known_category(data, row):
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
    asked = explore.sidebar_filter(data, members_only=members_only, wheelchair=wheelchair)
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
    value = str(text_column(row, "wheelchair").str.lower().iloc[0])
    key = {
        "yes": "members.reason.wheelchair_yes",
        "limited": "members.reason.wheelchair_limited",
        "no": "members.reason.wheelchair_no",
    }.get(value, "members.reason.wheelchair_unknown")
    if _shown_with(data, row, wheelchair=True):
        return Finding(VIEW_WHEELCHAIR, {}, YES, key, {})
    if not known_category(data, row):
        return Finding(VIEW_WHEELCHAIR, {}, NO, "members.reason.unknown_category", {})
    return Finding(VIEW_WHEELCHAIR, {}, NO, key, {})


@per_dataset
def entry_points(data: Dataset, lang: str) -> pd.DataFrame:
    """The tourist entry points (landmarks with ``entry_point`` true): Explore's start
    points, index landmark id, columns label, lat, lon."""
    marks = explore.start_points(data, lang)
    return marks[yes_flags(marks["entry_point"].astype(object), marks.index)]


@per_dataset
def near_table(data: Dataset, lang: str) -> pd.DataFrame:
    """Explore's default nearest-first list from every entry point, in one frame.

    Columns :data:`NEAR_TABLE_COLUMNS`: ``start`` (landmark id), ``id``, ``category``,
    ``reach``, ``walk_min``, ``position`` (1-based place in the list), ``rank`` and
    ``category_rank`` (1-based among the venues ranked by walking, overall and in the
    venue's category; NA for boat-only and settlement-level venues, which follow
    unranked), ``ranked`` and ``category_ranked`` (how many are ranked). Computed by
    :func:`mapping.explore.nearest_first` with :func:`mapping.explore.sidebar_filter`'s
    default and ``hide_unvisitable`` — what a visitor who changed nothing sees.
    """
    venue_filter = explore.sidebar_filter(data)
    parts = []
    for start, mark in entry_points(data, lang).iterrows():
        origin = (float(mark["lat"]), float(mark["lon"]), str(mark["label"]))
        listed, _ = explore.nearest_first(data, venue_filter, lang, origin, True)
        parts.append(_ranks(str(start), listed))
    if not parts:
        return pd.DataFrame(columns=list(NEAR_TABLE_COLUMNS))
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
                if not known_category(data, row)
                else "members.reason.near_not_visitable"
            )
            findings.append(Finding(VIEW_NEAR, params, NO, key, {}))
            continue
        entry = mine.loc[start]
        kind = str(entry["reach"])
        ranked = int(entry["ranked"])
        reason: dict[str, object]
        if kind == REACH_WALK:
            rank = int(entry["rank"])
            minutes = shown_minutes(float(entry["walk_min"]))
            reason = {"rank": rank, "count": ranked, "minutes": minutes}
            findings.append(
                Finding(VIEW_NEAR, params, YES, "members.reason.near_rank", reason, rank)
            )
        elif kind == REACH_BOAT:
            reason = {"count": ranked, "position": int(entry["position"])}
            findings.append(Finding(VIEW_NEAR, params, YES, "members.reason.near_boat", reason))
        else:
            placed = int((table[table["start"] == start]["reach"] != REACH_SETTLEMENT).sum())
            reason = {"count": placed, "position": int(entry["position"])}
            findings.append(Finding(VIEW_NEAR, params, YES, "members.reason.near_unplaced", reason))
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
        out["moment"] = moment_label(out["moment"], lang)
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
