"""Section ``coverage`` (issue 11): 12 months × category groups, known and possible,
through the plan's matrix against a naive buffer-and-union baseline; the what-if update."""

from __future__ import annotations

import time
from dataclasses import replace
from functools import partial

import geopandas as gpd
import numpy as np
import shapely

from bench.common import DATA, forget, median_time, ms
from mapping import coverage as cov
from mapping import months, synthetic
from mapping import what_if as wi
from mapping.distance import ReachCircle
from mapping.hours import STATE_OPEN, STATE_UNKNOWN
from mapping.io import Dataset, enrich_dataset, load_dataset
from mapping.params import Proposal


def reach_radius_m(plan: cov.Plan, minutes: float) -> float:
    """Metres a walk of ``minutes`` reaches, asked of the plan's walk model.

    The buffer baseline needs a circle, so it runs for circle-shaped models (the default
    straight-line walk); another model's reach is a polygon and the baseline says so.
    """
    first = (float(plan.venues["lat"].iloc[0]), float(plan.venues["lon"].iloc[0]))
    area = plan.walk.reach_area(first, minutes)
    if not isinstance(area, ReachCircle):
        msg = "the buffer baseline needs a walk model whose reach is a circle"
        raise TypeError(msg)
    return area.radius_m


def naive_cube(
    plan: cov.Plan, venues: gpd.GeoSeries, minutes: float, metric_crs: str
) -> tuple[int, int]:
    """The baseline: per month and group, buffer the open venues, union_all, test settlements.

    ``venues`` are the plan's venues in ``metric_crs``. Returns (known, possible) counts of
    covered settlement × month × group cells, to compare with :func:`cov.group_cube`.
    """
    radius = reach_radius_m(plan, minutes)
    places = gpd.GeoSeries(
        gpd.points_from_xy(plan.settlements["lon"], plan.settlements["lat"]), crs="EPSG:4326"
    ).to_crs(metric_crs)
    groups = plan.venues["group"].to_numpy()
    totals = [0, 0]
    for month in range(12):
        for group in plan.groups:
            for i, wanted in enumerate(((STATE_OPEN,), (STATE_OPEN, STATE_UNKNOWN))):
                chosen = (groups == group) & np.isin(plan.states[:, month], wanted)
                if chosen.any():
                    area = shapely.union_all(venues[chosen].buffer(radius).to_numpy())
                    totals[i] += int(places.within(area).sum())
    return totals[0], totals[1]


def _cold_plan(data: Dataset) -> cov.Plan:
    """The plan built from nothing: ``build_plan`` remembers its answer per dataset."""
    forget(cov.build_plan)
    return cov.build_plan(data)


def bench_coverage() -> None:
    print("\n== Coverage: 12 months × category groups, known and possible (15 min walk)")
    print("   ours = settlement × venue minutes once (walk model), then one matrix product;")
    print("   naive = per month and group: buffer open venues, union_all, test settlements")
    kotor = load_dataset(DATA)
    syn = replace(
        kotor,
        venues=synthetic.venues(10_000, kotor.city, list(kotor.categories["id"])),
        places=synthetic.settlements(500, kotor.city),
    )
    syn = enrich_dataset(syn)
    print(
        f"{'data':>14} {'venues':>7} {'places':>7} {'matrix':>10} {'cube':>10} "
        f"{'ours total':>11} {'naive':>11} {'naive/ours':>11} {'cells same':>11}"
    )
    for label, data in (("kotor", kotor), ("synthetic", syn)):
        matrix_s = median_time(partial(_cold_plan, data), 3)
        plan = cov.build_plan(data)
        cube_s = median_time(partial(cov.group_cube, plan), 5)
        known, possible = cov.group_cube(plan)
        metric = gpd.GeoSeries(
            gpd.points_from_xy(plan.venues["lon"], plan.venues["lat"]), crs="EPSG:4326"
        ).to_crs(data.city.metric_crs)
        start = time.perf_counter()
        naive = naive_cube(plan, metric, cov.DEFAULT_MINUTES, data.city.metric_crs)
        naive_s = time.perf_counter() - start
        same = naive == (int(known.sum()), int(possible.sum()))
        total = matrix_s + cube_s
        print(
            f"{label:>14} {len(plan.venues):>7} {len(plan.settlements):>7} {ms(matrix_s):>10} "
            f"{ms(cube_s):>10} {ms(total):>11} {ms(naive_s):>11} {naive_s / total:>10.1f}x "
            f"{'yes' if same else 'NO':>11}"
        )
        off = months.season_order(data.city.off_season_months)
        lat, lon = plan.settlements["lat"].iloc[0], plan.settlements["lon"].iloc[0]
        proposal = Proposal(float(lat), float(lon), str(plan.venues["category"].iloc[0]), off)
        base_s = median_time(partial(wi.baseline, plan, off), 5)
        base = wi.baseline(plan, off)
        what_if_s = median_time(partial(wi.what_if, plan, [proposal], off, base=base), 7)
        print(
            f"{'':>14} what-if update (one venue, {len(off)} off-season months): "
            f"{ms(what_if_s).strip()}; its baseline, once per selection: "
            f"{ms(base_s).strip()}"
        )
