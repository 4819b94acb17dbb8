"""Planning: where and when the town has nothing open, and how sure we are of it.

Pure functions over the loaded :class:`~mapping.io.Dataset`; the Planning page, the
``gaps``/``report`` commands, the printable report and the benchmark all call these.
Beside this module: :mod:`mapping.what_if` (hypothetical venues),
:mod:`mapping.seasonality` (what is open per month), :mod:`mapping.gap_files` (the gap
list as CSV and GeoJSON); ``pv=`` links are read by :func:`mapping.params.proposals`.

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
  (organisations without a public place, :func:`mapping.query.visitable`), boat-only
  venues and venues known only to their settlement (their point is a placeholder,
  minutes to it would be invented) are left out (:func:`mapping.distance.reach`).
- **Honest populations.** A settlement's population comes from ``places.geojson``;
  where none is given, shares of residents are computed over the settlements with a
  known population and the others are reported as a count, and gap lists put them last
  (:mod:`mapping.population_basis` says what a share rests on). Settlements marked
  ``outside_municipality`` are left out of the plan unless ``city.toml`` counts them.
- **The walk model is the plan's.** :attr:`Plan.walk` is the model the minutes came
  from; hypothetical venues (:mod:`mapping.what_if`) and the reach drawn on the maps
  (:mod:`mapping.render.coverage`) ask it, never a formula of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from mapping.distance import REACH_WALK, WalkModel, reach, walk_model
from mapping.hours import (
    MONTH_STATE_COLUMNS,
    STATE_CLOSED,
    STATE_OPEN,
    STATE_UNKNOWN,
    month_state_codes,
)
from mapping.memo import per_dataset
from mapping.query import visitable

if TYPE_CHECKING:
    from mapping.io import Dataset

DEFAULT_MINUTES = 15.0
"""The walking threshold the page and the CLI start with."""

MONTHS: tuple[int, ...] = tuple(range(1, 13))

GAP_COLUMNS: tuple[str, ...] = (
    *("rank", "settlement_id", "settlement", "population", "month", "group", "possible"),
    *("lon", "lat"),
)
ASK_COLUMNS: tuple[str, ...] = (
    *("rank", "venue_id", "venue", "category", "residents", "settlements"),
    *("settlements_unknown_population", "settlement_months"),
)


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Plan:
    """Settlements, candidate venues and the minutes between them, computed once.

    ``settlements``: ``id``, ``name``, ``population`` (float, NaN unknown), ``lon``,
    ``lat`` (from :func:`settlements_of` also ``population_year``). ``venues``: ``id``,
    ``name``, ``category``, ``group``, ``lon``, ``lat``, ``hypothetical``. ``states``:
    venues × 12 (:data:`mapping.hours.STATE_OPEN`…). ``minutes``: settlements × venues,
    from ``walk`` (the town's walk model).
    """

    settlements: pd.DataFrame
    venues: pd.DataFrame
    states: npt.NDArray[np.int8]
    minutes: npt.NDArray[np.float64]
    groups: tuple[str, ...]
    category_group: dict[str, str]
    walk: WalkModel
    outside: tuple[str, ...] = ()  # settlements left out: outside the municipality


def settlements_of(dataset: Dataset) -> pd.DataFrame:
    """The settlements of ``places.geojson`` with their population (NaN when unknown),
    its census year (NaN) and whether they lie ``outside`` the municipality."""
    places = dataset.places
    kind = places.get("kind", pd.Series("", index=places.index)).fillna("").astype(str)
    found = places[kind.str.strip().str.lower() == "settlement"]
    raw = (
        found["population"]
        if "population" in found.columns
        else pd.Series(np.nan, index=found.index)
    )
    population = pd.to_numeric(raw, errors="coerce")
    year = pd.to_numeric(found.get("population_year", raw * np.nan), errors="coerce")
    outside = found.get("outside_municipality", pd.Series(False, index=found.index))
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
            "population_year": year.astype(float).to_numpy(),
            "outside": np.array(
                [v is True or (isinstance(v, np.bool_) and bool(v)) for v in outside], dtype=bool
            ),
            "lon": found.geometry.x.to_numpy(dtype=float),
            "lat": found.geometry.y.to_numpy(dtype=float),
        }
    )


def candidates(venues: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Venues a visitor can walk to: visitable and placed on foot."""
    return visitable(venues) & (reach(venues) == REACH_WALK).to_numpy(dtype=bool)


@per_dataset
def build_plan(dataset: Dataset) -> Plan:
    """The coverage plan of an enriched dataset: one walk-model call for every settlement
    × venue (remembered per dataset: the Planning page asks on every rerun)."""
    every = settlements_of(dataset)
    left_out = every["outside"] & (not dataset.city.count_outside_municipality)
    settlements = every[~left_out].reset_index(drop=True)
    chosen = dataset.venues[candidates(dataset.venues)]
    category_group = category_groups(dataset.categories)
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
    return Plan(
        settlements,
        venues,
        month_state_codes(chosen[list(MONTH_STATE_COLUMNS)]),
        model.minutes_between(settlements, venues),
        _groups(dataset.categories),
        category_group,
        model,
        tuple(every.loc[left_out, "name"]),
    )


def category_groups(categories: pd.DataFrame) -> dict[str, str]:
    """Category id → its group (``categories.csv``'s ``group``; the id itself when empty)."""
    if "group" not in categories.columns:
        return {str(c): str(c) for c in categories["id"]}
    groups = categories["group"].fillna("").astype(str).str.strip()
    ids = categories["id"].astype(str)
    return {c: (g or c) for c, g in zip(ids, groups, strict=True)}


def _groups(categories: pd.DataFrame) -> tuple[str, ...]:
    return tuple(dict.fromkeys(category_groups(categories).values()))


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
    plan: Plan,
    minutes: float = DEFAULT_MINUTES,
    months: Sequence[int] = MONTHS,
    categories: Sequence[str] | None = None,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Known and possible coverage for ``months`` × category group: S × M × G each,
    counting only venues of ``categories`` (None: all). One matrix product for all."""
    groups = plan.venues["group"].to_numpy(dtype=object)
    picked = _category_mask(plan, categories)[:, None]
    in_group = np.stack([groups == g for g in plan.groups], axis=1) & picked  # V × G
    states = plan.states[:, [m - 1 for m in months]]
    known = (states == STATE_OPEN)[:, :, None] & in_group[:, None, :]
    maybe = (states != STATE_CLOSED)[:, :, None] & in_group[:, None, :]
    v, cells = len(plan.venues), len(months) * len(plan.groups)  # explicit: v may be 0
    masks = np.hstack([known.reshape(v, cells), maybe.reshape(v, cells)]).astype(np.float32)
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
    return ranges_of(plan, months, known, maybe)


def ranges_of(
    plan: Plan, months: Sequence[int], known: npt.NDArray[np.bool_], maybe: npt.NDArray[np.bool_]
) -> list[Range]:
    """:func:`ranges` from known and possible coverage already computed (S × months)."""
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
    categories: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Settlement × month × category group with nothing known open within ``minutes``.

    ``groups`` and ``categories`` (ids: the page's choice) narrow the list: only groups
    holding a chosen category are listed, and only venues of those categories count.

    Ranked by residents affected, most first; ties share a rank (``min``) and keep the
    settlement name, the month's place in ``months`` and the group order; settlements
    without a population come last with an empty rank. ``possible`` is True when a
    venue with unknown hours might close the gap.
    """
    known, maybe = group_cube(plan, minutes, months, categories)
    held = {plan.category_group.get(c, c) for c in categories or ()}
    wanted = np.array(
        [
            (groups is None or g in groups) and (categories is None or g in held)
            for g in plan.groups
        ],
        dtype=bool,
    )
    si, order, gi = np.nonzero(~known & wanted[None, None, :])
    return gap_frame(plan, months, (si, order, gi), maybe[si, order, gi])


def gap_frame(
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
