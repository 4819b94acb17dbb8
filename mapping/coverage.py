"""Planning: where and when the town has nothing open, and how sure we are of it.

Pure functions over the loaded :class:`~mapping.io.Dataset`; the Planning page, the
``gaps``/``report`` commands, the printable report and the benchmark all call these.

Why it is built this way:

- **One matrix, computed once.** :func:`build_plan` asks the town's walk model
  (:func:`mapping.distance.walk_model`) for the minutes from every settlement to every
  venue, once. Every month, category group and threshold is then a boolean mask and
  one matrix product (settlements × venues by venues × masks), never a buffer and a
  union per month.
- **Three states, never two.** A venue's month is open, closed or unknown
  (:mod:`mapping.hours`). Coverage is a range: *known* counts only venues known to be
  open, *possible* adds the venues whose hours are unknown. Unknown is never counted as
  closed nor as open.
- **Only places a visitor can go to, on foot.** Venues with ``visit = no``
  (organisations without a public place), boat-only venues and venues known only to
  their settlement (their point is a placeholder, minutes to it would be invented) are
  left out (:func:`mapping.distance.reach`).
- **Honest populations.** A settlement's population comes from ``places.geojson``;
  where none is given, shares of residents are computed over the settlements with a
  known population and the others are reported as a count, and gap lists put them last.
- **What-if touches no file.** :func:`with_proposals` returns a new plan with extra
  columns for hypothetical venues; their minutes are computed from the venue to the
  settlements (the straight-line model is symmetric).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from mapping.distance import REACH_WALK, reach, walk_model
from mapping.hours import MONTH_STATE_COLUMNS, OPEN, UNKNOWN, WEEKLY_HOURS_COLUMNS
from mapping.memo import per_dataset
from mapping.months import month_run

if TYPE_CHECKING:
    from mapping.io import Dataset

DEFAULT_MINUTES = 15.0
"""The walking threshold the page and the CLI start with."""

MONTHS: tuple[int, ...] = tuple(range(1, 13))
STATE_CLOSED, STATE_OPEN, STATE_UNKNOWN = 0, 1, 2
MAX_PROPOSALS = 20
"""At most this many hypothetical venues are read from a URL or a form."""

GAP_COLUMNS: tuple[str, ...] = (
    "rank",
    "settlement_id",
    "settlement",
    "population",
    "month",
    "group",
    "possible",
    "lon",
    "lat",
)
ASK_COLUMNS: tuple[str, ...] = (
    "rank",
    "venue_id",
    "venue",
    "category",
    "residents",
    "settlements",
    "settlements_unknown_population",
    "settlement_months",
)


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Plan:
    """Settlements, candidate venues and the minutes between them, computed once.

    ``settlements``: ``id``, ``name``, ``population`` (float, NaN unknown), ``lon``,
    ``lat``. ``venues``: ``id``, ``name``, ``category``, ``group``, ``lon``, ``lat``,
    ``hypothetical``. ``states``: venues × 12 (0 closed, 1 open, 2 unknown).
    ``minutes``: settlements × venues.
    """

    settlements: pd.DataFrame
    venues: pd.DataFrame
    states: npt.NDArray[np.int8]
    minutes: npt.NDArray[np.float64]
    groups: tuple[str, ...]
    category_group: dict[str, str]
    speed_kmh: float
    detour_factor: float
    metric_crs: str


@dataclass(frozen=True)
class Proposal:
    """A hypothetical venue: where, which category, which months it would be open."""

    lat: float
    lon: float
    category: str
    months: tuple[int, ...]


def settlements_of(dataset: Dataset) -> pd.DataFrame:
    """The settlements of ``places.geojson`` with their population (NaN when unknown)."""
    places = dataset.places
    kind = places.get("kind", pd.Series("", index=places.index)).fillna("").astype(str)
    found = places[kind.str.strip().str.lower() == "settlement"]
    raw = (
        found["population"]
        if "population" in found.columns
        else pd.Series(np.nan, index=found.index)
    )
    population = pd.to_numeric(raw, errors="coerce")
    name_en = found.get("name_en")
    names = found["name"].fillna("").astype(str)
    return pd.DataFrame(
        {
            "id": found["id"].astype(str).to_numpy(),
            "name": names.to_numpy(),
            "name_en": (
                name_en.fillna("").astype(str) if name_en is not None else names
            ).to_numpy(),
            "population": population.astype(float).to_numpy(),
            "lon": found.geometry.x.to_numpy(dtype=float),
            "lat": found.geometry.y.to_numpy(dtype=float),
        }
    )


def candidates(venues: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Venues a visitor can walk to: ``visit`` is not ``no`` and the venue is placed on foot."""
    visit = venues.get("visit", pd.Series("", index=venues.index))
    allowed = visit.fillna("").astype(str).str.strip().str.lower() != "no"
    return (allowed & (reach(venues) == REACH_WALK)).to_numpy(dtype=bool)


def state_codes(venues: pd.DataFrame) -> npt.NDArray[np.int8]:
    """The enriched ``m01``..``m12`` month states as codes (0 closed, 1 open, 2 unknown)."""
    states = venues[list(MONTH_STATE_COLUMNS)].to_numpy(dtype=object)
    return np.where(
        states == OPEN, STATE_OPEN, np.where(states == UNKNOWN, STATE_UNKNOWN, STATE_CLOSED)
    ).astype(np.int8)


@per_dataset
def build_plan(dataset: Dataset) -> Plan:
    """The coverage plan of an enriched dataset: one walk-model call per settlement
    (remembered per dataset: the Planning page asks on every rerun)."""
    settlements = settlements_of(dataset)
    chosen = dataset.venues[candidates(dataset.venues)]
    category_group = _category_groups(dataset.categories)
    venues = pd.DataFrame(
        {
            "id": chosen["id"].astype(str).to_numpy(),
            "name": chosen["name"].fillna("").astype(str).to_numpy(),
            "category": chosen["category"].astype(str).to_numpy(),
            "lon": chosen.geometry.x.to_numpy(dtype=float),
            "lat": chosen.geometry.y.to_numpy(dtype=float),
            "hypothetical": np.zeros(len(chosen), dtype=bool),
        }
    )
    venues["group"] = venues["category"].map(category_group).fillna(venues["category"])
    model = walk_model(dataset)
    minutes = np.empty((len(settlements), len(chosen)), dtype=float)
    for i, (lat, lon) in enumerate(zip(settlements["lat"], settlements["lon"], strict=True)):
        minutes[i] = model.minutes((lat, lon), chosen).to_numpy(dtype=float)
    city = dataset.city
    return Plan(
        settlements,
        venues,
        state_codes(chosen),
        minutes,
        _groups(dataset.categories),
        category_group,
        city.walking_speed_kmh,
        city.detour_factor,
        city.metric_crs,
    )


def _category_groups(categories: pd.DataFrame) -> dict[str, str]:
    if "group" not in categories.columns:
        return {str(c): str(c) for c in categories["id"]}
    groups = categories["group"].fillna("").astype(str).str.strip()
    ids = categories["id"].astype(str)
    return {c: (g or c) for c, g in zip(ids, groups, strict=True)}


def _groups(categories: pd.DataFrame) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_category_groups(categories).values()))


def with_proposals(plan: Plan, proposals: Sequence[Proposal]) -> Plan:
    """``plan`` plus hypothetical venues (never written anywhere): one column each."""
    if not proposals:
        return plan
    states = _proposal_states(proposals)
    added = pd.DataFrame(
        {
            "id": [f"proposal-{i + 1}" for i in range(len(proposals))],
            "name": [f"proposal {i + 1}" for i in range(len(proposals))],
            "category": [p.category for p in proposals],
            "lon": [p.lon for p in proposals],
            "lat": [p.lat for p in proposals],
            "hypothetical": True,
        }
    )
    added["group"] = added["category"].map(plan.category_group).fillna(added["category"])
    return replace(
        plan,
        venues=pd.concat([plan.venues, added], ignore_index=True),
        states=np.vstack([plan.states, states]),
        minutes=np.hstack([plan.minutes, proposal_minutes(plan, proposals)]),
    )


def proposal_minutes(plan: Plan, proposals: Sequence[Proposal]) -> npt.NDArray[np.float64]:
    """Minutes from every settlement to each hypothetical venue: settlements × proposals."""
    from mapping.distance import StraightLineWalk

    model = StraightLineWalk(plan.metric_crs, plan.speed_kmh, plan.detour_factor)
    places = _metric_points(plan.settlements, plan.metric_crs)
    columns = [model.minutes((p.lat, p.lon), places).to_numpy(dtype=float) for p in proposals]
    return np.column_stack(columns) if columns else np.zeros((len(places), 0))


def _proposal_states(proposals: Sequence[Proposal]) -> npt.NDArray[np.int8]:
    states = np.zeros((len(proposals), 12), dtype=np.int8)
    for row, proposal in enumerate(proposals):
        for month in proposal.months:
            states[row, month - 1] = STATE_OPEN
    return states


def _metric_points(frame: pd.DataFrame, metric_crs: str) -> pd.DataFrame:
    from mapping.distance import _to_metric

    x, y = _to_metric(metric_crs).transform(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    return pd.DataFrame({"x": x, "y": y}, index=frame.index)


# --------------------------------------------------------------------------- months


# --------------------------------------------------------------------------- coverage


def _reach(plan: Plan, minutes: float) -> npt.NDArray[np.float32]:
    return (plan.minutes <= minutes).astype(np.float32)


def _category_mask(plan: Plan, categories: Sequence[str] | None) -> npt.NDArray[np.bool_]:
    if categories is None:
        return np.ones(len(plan.venues), dtype=bool)
    return plan.venues["category"].isin(list(categories)).to_numpy(dtype=bool)


def covered(
    plan: Plan,
    months: Sequence[int],
    minutes: float = DEFAULT_MINUTES,
    categories: Sequence[str] | None = None,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Known and possible coverage, each settlements × ``months``.

    Known: a venue of ``categories`` known to be open that month within ``minutes``.
    Possible: the same with venues whose hours are unknown counted too.
    """
    picked = _category_mask(plan, categories)
    columns = [m - 1 for m in months]
    states = plan.states[:, columns]
    known = (states == STATE_OPEN) & picked[:, None]
    maybe = (states != STATE_CLOSED) & picked[:, None]
    near = _reach(plan, minutes)
    masks = np.hstack([known, maybe]).astype(np.float32)
    counts = near @ masks
    n = len(columns)
    return counts[:, :n] > 0, counts[:, n:] > 0


def group_cube(
    plan: Plan, minutes: float = DEFAULT_MINUTES, months: Sequence[int] = MONTHS
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Known and possible coverage for ``months`` × category group: S × M × G each.

    One matrix product for all months and groups (the benchmark's measure).
    """
    groups = plan.venues["group"].to_numpy(dtype=object)
    in_group = np.stack([groups == g for g in plan.groups], axis=1)  # V × G
    states = plan.states[:, [m - 1 for m in months]]
    known = (states == STATE_OPEN)[:, :, None] & in_group[:, None, :]
    maybe = (states != STATE_CLOSED)[:, :, None] & in_group[:, None, :]
    v = len(plan.venues)
    masks = np.hstack([known.reshape(v, -1), maybe.reshape(v, -1)]).astype(np.float32)
    counts = _reach(plan, minutes) @ masks
    half = counts.shape[1] // 2
    shape = (len(plan.settlements), len(months), len(plan.groups))
    return counts[:, :half].reshape(shape) > 0, counts[:, half:].reshape(shape) > 0


@dataclass(frozen=True)
class Range:
    """Coverage as a range for one month (or "every month" of a selection)."""

    month: int | None  # None: covered in every month of the selection
    residents_known: float
    residents_possible: float
    residents_total: float  # over settlements with a known population
    settlements_known: int
    settlements_possible: int
    settlements_total: int
    population_unknown: int  # settlements without a population figure

    @property
    def share_residents_known(self) -> float | None:
        """Known share of residents, or None when no population is known."""
        return self.residents_known / self.residents_total if self.residents_total else None

    @property
    def share_residents_possible(self) -> float | None:
        """Possible share of residents, or None when no population is known."""
        return self.residents_possible / self.residents_total if self.residents_total else None

    @property
    def share_settlements_known(self) -> float:
        """Known share of settlements."""
        return self.settlements_known / self.settlements_total if self.settlements_total else 0.0

    @property
    def share_settlements_possible(self) -> float:
        """Possible share of settlements."""
        total = self.settlements_total
        return self.settlements_possible / total if total else 0.0


def _range(
    month: int | None,
    known: npt.ArrayLike,
    maybe: npt.ArrayLike,
    population: npt.NDArray[np.float64],
) -> Range:
    known, maybe = np.asarray(known, dtype=bool), np.asarray(maybe, dtype=bool)
    has = ~np.isnan(population)
    pop = np.where(has, population, 0.0)
    return Range(
        month,
        float(pop[known].sum()),
        float(pop[maybe].sum()),
        float(pop.sum()),
        int(known.sum()),
        int(maybe.sum()),
        len(population),
        int((~has).sum()),
    )


def ranges(
    plan: Plan,
    months: Sequence[int],
    minutes: float = DEFAULT_MINUTES,
    categories: Sequence[str] | None = None,
) -> list[Range]:
    """One :class:`Range` per month, then one for "covered in every one of ``months``"."""
    known, maybe = covered(plan, months, minutes, categories)
    return _ranges(plan, months, known, maybe)


def _ranges(
    plan: Plan, months: Sequence[int], known: npt.NDArray[np.bool_], maybe: npt.NDArray[np.bool_]
) -> list[Range]:
    population = plan.settlements["population"].to_numpy(dtype=float)
    out = [_range(m, known[:, i], maybe[:, i], population) for i, m in enumerate(months)]
    if len(months) > 1:
        out.append(_range(None, known.all(axis=1), maybe.all(axis=1), population))
    return out


def settlement_status(
    plan: Plan,
    months: Sequence[int],
    minutes: float = DEFAULT_MINUTES,
    categories: Sequence[str] | None = None,
) -> pd.Series:
    """``covered`` / ``possible`` / ``not`` per settlement, in every one of ``months``."""
    known, maybe = covered(plan, months, minutes, categories)
    status = np.where(known.all(axis=1), "covered", np.where(maybe.all(axis=1), "possible", "not"))
    return pd.Series(status, index=plan.settlements["id"].to_numpy(), dtype=object)


def open_venues(
    plan: Plan, months: Sequence[int], categories: Sequence[str] | None = None
) -> npt.NDArray[np.bool_]:
    """Venues of ``categories`` known open in at least one of ``months`` (the map's reach)."""
    states = plan.states[:, [m - 1 for m in months]]
    known_open: npt.NDArray[np.bool_] = (states == STATE_OPEN).any(axis=1)
    return known_open & _category_mask(plan, categories)


# --------------------------------------------------------------------------- gaps


def gaps(
    plan: Plan,
    months: Sequence[int],
    minutes: float = DEFAULT_MINUTES,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Settlement × month × category group with nothing known open within ``minutes``.

    Ranked by residents affected, most first; ties share a rank (``min``) and keep the
    settlement name, the month's place in ``months`` and the group order; settlements
    without a population come last with an empty rank. ``possible`` is True when a
    venue with unknown hours might close the gap.
    """
    known, maybe = group_cube(plan, minutes, months)
    wanted = np.array([groups is None or g in groups for g in plan.groups], dtype=bool)
    si, order, gi = np.nonzero(~known & wanted[None, None, :])
    return _gap_frame(plan, months, (si, order, gi), maybe[si, order, gi])


def _gap_frame(
    plan: Plan,
    months: Sequence[int],
    cells: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]],
    possible: npt.NDArray[np.bool_],
) -> pd.DataFrame:
    """Gap rows for (settlement, month position, group) index arrays, ranked."""
    si, order, gi = cells
    s = plan.settlements
    frame = pd.DataFrame(
        {
            "settlement_id": s["id"].to_numpy()[si],
            "settlement": s["name"].to_numpy()[si],
            "population": s["population"].to_numpy(dtype=float)[si],
            "order": order,
            "month": np.asarray(months, dtype=np.int64)[order] if len(months) else order,
            "gi": gi,
            "group": np.asarray(plan.groups, dtype=object)[gi],
            "possible": possible,
            "lon": s["lon"].to_numpy()[si],
            "lat": s["lat"].to_numpy()[si],
        }
    )
    frame["unknown"] = frame["population"].isna()
    frame = frame.sort_values(
        ["unknown", "population", "settlement", "order", "gi"],
        ascending=[True, False, True, True, True],
        kind="stable",
    )
    rank = frame["population"].rank(method="min", ascending=False)
    frame["rank"] = rank.astype("Int64")
    return frame[list(GAP_COLUMNS)].reset_index(drop=True)


def gaps_closed(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Gaps of ``before`` that ``after`` no longer has (same settlement, month, group)."""
    keys = ["settlement_id", "month", "group"]
    merged = before.merge(after[keys], on=keys, how="left", indicator=True)
    return before[(merged["_merge"] == "left_only").to_numpy()].reset_index(drop=True)


# --------------------------------------------------------------------------- ask first


def ask_first(
    plan: Plan,
    months: Sequence[int],
    minutes: float = DEFAULT_MINUTES,
    categories: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Venues with unknown hours ranked by what their answer would decide.

    A settlement-month is in the band when it is possibly but not known to be covered.
    A venue decides it when the venue is within ``minutes``, of ``categories`` and its
    hours that month are unknown: its "open" alone makes the settlement covered.
    ``residents`` sums the known populations of the settlements it decides (each once);
    ``settlements_unknown_population`` counts the others. Ranked by residents, then
    settlement-months, then settlements; ties share a rank.
    """
    known, maybe = covered(plan, months, minutes, categories)
    band = maybe & ~known  # S × M
    picked = _category_mask(plan, categories)
    columns = [m - 1 for m in months]
    unknown = (plan.states[:, columns] == STATE_UNKNOWN) & picked[:, None]  # V × M
    near = plan.minutes <= minutes  # S × V
    population = plan.settlements["population"].to_numpy(dtype=float)
    rows = []
    for v in np.flatnonzero(unknown.any(axis=1)):
        decides = near[:, v][:, None] & unknown[v][None, :] & band  # S × M
        cells = int(decides.sum())
        if not cells:
            continue
        places = decides.any(axis=1)
        pops = population[places]
        venue = plan.venues.iloc[v]
        rows.append(
            (
                venue["id"],
                venue["name"],
                venue["category"],
                float(np.nansum(pops)),
                int(places.sum()),
                int(np.isnan(pops).sum()),
                cells,
            )
        )
    frame = pd.DataFrame(rows, columns=list(ASK_COLUMNS[1:]))
    frame = frame.sort_values(
        ["residents", "settlement_months", "settlements", "venue"],
        ascending=[False, False, False, True],
        kind="stable",
    )
    key = list(
        zip(frame["residents"], frame["settlement_months"], frame["settlements"], strict=True)
    )
    frame.insert(0, "rank", [key.index(k) + 1 for k in key])
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------- seasonality


def seasonality(dataset: Dataset) -> pd.DataFrame:
    """Per month and category: venues open, open venue-hours per week, hours unknown.

    Columns ``month``, ``category``, ``group``, ``open`` (open on at least one day),
    ``hours`` (open venue-hours per week), ``unknown`` (venues whose hours are unknown
    that month: their own series, never open nor closed). Only venues a visitor can go
    to (``visit`` is not ``no``).
    """
    venues = dataset.venues[_visitable(dataset.venues)]
    groups = _category_groups(dataset.categories)
    rows = []
    for month, state_col, hours_col in zip(
        MONTHS, MONTH_STATE_COLUMNS, WEEKLY_HOURS_COLUMNS, strict=True
    ):
        for category, part in venues.groupby("category", sort=True):
            states = part[state_col]
            rows.append(
                (
                    month,
                    str(category),
                    groups.get(str(category), str(category)),
                    int((states == OPEN).sum()),
                    float(part.loc[states == OPEN, hours_col].sum()),
                    int((states == UNKNOWN).sum()),
                )
            )
    return pd.DataFrame(rows, columns=["month", "category", "group", "open", "hours", "unknown"])


def _visitable(venues: pd.DataFrame) -> npt.NDArray[np.bool_]:
    visit = venues.get("visit", pd.Series("", index=venues.index))
    return (visit.fillna("").astype(str).str.strip().str.lower() != "no").to_numpy(dtype=bool)


def by_group(season: pd.DataFrame) -> pd.DataFrame:
    """:func:`seasonality` summed per month and category group."""
    return season.groupby(["month", "group"], as_index=False)[["open", "hours", "unknown"]].sum()


def per_month(season: pd.DataFrame) -> pd.DataFrame:
    """:func:`seasonality` summed per month (one row each month)."""
    return season.groupby("month", as_index=False)[["open", "hours", "unknown"]].sum()


def off_peak_ratio(
    season: pd.DataFrame, off_season: Sequence[int], peak: Sequence[int]
) -> float | None:
    """Mean open venue-hours per week in the off-season ÷ the same in the peak months.

    None when nothing is known open in the peak (the ratio would be meaningless).
    """
    months = per_month(season).set_index("month")["hours"]
    peak_hours = float(months.loc[list(peak)].mean())
    if not peak_hours:
        return None
    return float(months.loc[list(off_season)].mean()) / peak_hours


def events_per_month(dataset: Dataset, year: int) -> pd.DataFrame:
    """Event occurrences starting in each month of ``year`` by category, confirmed apart.

    Columns ``month``, ``category``, ``confirmed`` (bool), ``events``.
    """
    from datetime import date

    from mapping import events as ev

    occ = ev.occurrences(
        dataset.events, date(year, 1, 1), date(year, 12, 31), dataset.city.timezone
    )
    if occ.empty:
        return pd.DataFrame(columns=["month", "category", "confirmed", "events"])
    starts = pd.to_datetime(occ["start"])
    confirmed = occ["dates_confirmed"].map(lambda v: str(v).strip().lower() in ("true", "yes", "1"))
    frame = pd.DataFrame(
        {
            "month": starts.dt.month.to_numpy(),
            "category": occ["category"].fillna("").astype(str).to_numpy(),
            "confirmed": confirmed.to_numpy(dtype=bool),
        }
    )
    return frame.groupby(["month", "category", "confirmed"]).size().rename("events").reset_index()


# --------------------------------------------------------------------------- exports


def gaps_csv_bytes(gap_list: pd.DataFrame) -> bytes:
    """The gap list as UTF-8 CSV; unknown population and rank are empty cells."""
    return gap_list.to_csv(index=False, lineterminator="\n").encode("utf-8")


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


# --------------------------------------------------------------------------- URL


def parse_proposals(
    values: Sequence[str], categories: Sequence[str], bbox: tuple[float, float, float, float]
) -> tuple[list[Proposal], int]:
    """Proposals from URL values ``lat,lon,category,months`` (months ``10-4`` or ``1.2.3``).

    Bounded like :mod:`mapping.params`: at most :data:`MAX_PROPOSALS`, each value at most
    200 characters, coordinates inside the town's ``bbox`` (west, south, east, north),
    a known category. Returns the proposals and how many values were refused.
    """
    found: list[Proposal] = []
    refused = 0
    for value in list(values)[:MAX_PROPOSALS]:
        proposal = _proposal(value, categories, bbox) if len(value) <= 200 else None
        if proposal is None:
            refused += 1
        else:
            found.append(proposal)
    return found, refused + max(0, len(values) - MAX_PROPOSALS)


def _proposal(
    value: str, categories: Sequence[str], bbox: tuple[float, float, float, float]
) -> Proposal | None:
    parts = value.split(",")
    if len(parts) != 4:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
        months = _months_text(parts[3])
    except ValueError:
        return None
    west, south, east, north = bbox
    if not (south <= lat <= north and west <= lon <= east) or parts[2] not in categories:
        return None
    return Proposal(round(lat, 5), round(lon, 5), parts[2], months)


def _months_text(text: str) -> tuple[int, ...]:
    if "-" in text:
        first, last = text.split("-", 1)
        return month_run(int(first), int(last))
    months = tuple(sorted({int(m) for m in text.split(".") if m}))
    if not months or any(not 1 <= m <= 12 for m in months):
        msg = f"months must be 1-12, got {text!r}"
        raise ValueError(msg)
    return months


def proposal_text(proposal: Proposal) -> str:
    """A proposal as its URL value (the inverse of :func:`parse_proposals`)."""
    months = ".".join(str(m) for m in proposal.months)
    return f"{proposal.lat:.5f},{proposal.lon:.5f},{proposal.category},{months}"


@dataclass(frozen=True)
class Baseline:
    """Coverage without proposals for one selection, computed once and reused per what-if."""

    months: tuple[int, ...]
    minutes: float
    categories: tuple[str, ...] | None
    known: npt.NDArray[np.bool_]  # S × M, chosen categories
    maybe: npt.NDArray[np.bool_]
    cube_known: npt.NDArray[np.bool_]  # S × M × G, every group
    cube_maybe: npt.NDArray[np.bool_]


def baseline(
    plan: Plan,
    months: Sequence[int],
    minutes: float = DEFAULT_MINUTES,
    categories: Sequence[str] | None = None,
) -> Baseline:
    """The coverage a what-if starts from (see :func:`what_if`)."""
    known, maybe = covered(plan, months, minutes, categories)
    cube_known, cube_maybe = group_cube(plan, minutes, months)
    return Baseline(
        tuple(months),
        minutes,
        None if categories is None else tuple(categories),
        known,
        maybe,
        cube_known,
        cube_maybe,
    )


@dataclass(frozen=True)
class WhatIf:
    """Coverage before and after the proposals, per month, and the gaps they close."""

    before: list[Range]
    after: list[Range]
    closed: pd.DataFrame


def what_if(
    plan: Plan,
    proposals: Sequence[Proposal],
    months: Sequence[int],
    minutes: float = DEFAULT_MINUTES,
    categories: Sequence[str] | None = None,
    *,
    base: Baseline | None = None,
) -> WhatIf:
    """Coverage with and without ``proposals`` for ``months``, and the gaps closed.

    Incremental: a proposal is known open, so "after" is "before" or what the proposals
    reach; only the proposals' minutes are computed (pass ``base`` to reuse "before").
    """
    base = base or baseline(plan, months, minutes, categories)
    near = (proposal_minutes(plan, proposals) <= minutes).astype(np.float32)  # S × P
    columns = [m - 1 for m in months]
    open_ = _proposal_states(proposals)[:, columns] == STATE_OPEN  # P × M
    cats = np.array([p.category for p in proposals], dtype=object)
    picked = (
        np.ones(len(proposals), dtype=bool)
        if categories is None
        else np.isin(cats, list(categories))
    )
    added = (near @ (open_ & picked[:, None]).astype(np.float32)) > 0  # S × M
    groups = pd.Series(cats).map(plan.category_group).fillna(pd.Series(cats)).to_numpy()
    in_group = np.stack([groups == g for g in plan.groups], axis=1)  # P × G
    per_cell = (open_[:, :, None] & in_group[:, None, :]).reshape(len(proposals), -1)
    added_cube = ((near @ per_cell.astype(np.float32)) > 0).reshape(base.cube_known.shape)
    closed = ~base.cube_known & added_cube
    si, order, gi = np.nonzero(closed)
    return WhatIf(
        _ranges(plan, months, base.known, base.maybe),
        _ranges(plan, months, base.known | added, base.maybe | added),
        _gap_frame(plan, months, (si, order, gi), base.cube_maybe[si, order, gi]),
    )
