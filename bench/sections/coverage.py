"""Section ``coverage`` (issue 11): 12 months × category groups, known and possible,
through the plan's matrix against a naive buffer-and-union baseline; the what-if update.

Issue 22: the Planning page's two interactions on Kotor data, a map click (a rerun with
the same selection and proposals) and "Add" (a rerun with one proposal more), timed
as today's page computes them (:func:`mapping.planning.figures`, remembered per
selection; downloads built only when clicked) against the previous build's sequence of
calls on every rerun (commit 201f1d6: today's and the what-if figures over a plan with
the proposals, seasonality twice, both gap files and the whole report each time).
Computation only: Streamlit's own work (sending the page) comes on top of both."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from functools import partial

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from bench.common import DATA, ROOT, forget, median_time, ms
from mapping import clock, months, planning, planning_report, seasonality, synthetic
from mapping import coverage as cov
from mapping import planning_columns as columns
from mapping import what_if as wi
from mapping.distance import ReachCircle
from mapping.gap_files import gaps_csv_bytes, gaps_geojson_bytes
from mapping.hours import STATE_OPEN, STATE_UNKNOWN
from mapping.io import Dataset, enrich_dataset, load_dataset
from mapping.params import Proposal
from mapping.render.coverage import coverage_layer, report_map
from mapping.seasonality import by_group, off_peak_ratio, per_month


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
    bench_planning_interactions(kotor)


def _page_charts(season: pd.DataFrame) -> None:
    """The seasonality tables every rerun of the page prepares (both builds)."""
    by_group(season)
    per_month(season)
    season.pivot_table(index="category", columns="month", values="open", aggfunc="sum")


def previous_rerun(data: Dataset, selection: planning.Selection, pv: list[Proposal]) -> int:
    """One rerun of the Planning page as commit 201f1d6 computed it; returns the bytes of
    the report it built (on every rerun, downloaded or not)."""
    plan = cov.build_plan(data)
    sel_months, minutes, cats = selection.months, selection.minutes, selection.categories
    changed = wi.with_proposals(plan, pv)
    season = seasonality.seasonality(data)
    off_peak_ratio(season, data.city.off_season_months, data.city.peak_months)
    cov.ranges(changed, sel_months, minutes, cats)
    status = cov.settlement_status(changed, sel_months, minutes, cats)
    shown = pd.Series(cov.open_venues(changed, sel_months, cats))
    coverage_layer(changed, status, minutes, "en", shown).script_js()
    if pv:
        wi.what_if(plan, pv, planning.off_season(data), minutes, cats)
    _page_charts(season)
    cov.ask_first(plan, sel_months, minutes, cats)
    gap_list = cov.gaps(changed, sel_months, minutes)
    _shown(data, gap_list)
    gaps_csv_bytes(gap_list)
    gaps_geojson_bytes(gap_list)
    return len(_previous_report(data, changed, selection))


def _previous_report(data: Dataset, plan: cov.Plan, selection: planning.Selection) -> str:
    """201f1d6's ``report_html``: the same calls (seasonality again, every gap row as a
    table row, the map page with every asset inlined), its HTML layout aside."""
    sel_months, minutes, cats = selection.months, selection.minutes, selection.categories
    season = seasonality.seasonality(data)
    off_peak_ratio(season, data.city.off_season_months, data.city.peak_months)
    cov.ranges(plan, sel_months, minutes, cats)
    gap_list = cov.gaps(plan, sel_months, minutes)
    asks = cov.ask_first(plan, sel_months, minutes, cats)
    status = cov.settlement_status(plan, sel_months, minutes, cats)
    rows = [
        "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
        for frame in (asks, _shown(data, gap_list))
        for row in frame.itertuples(index=False)
    ]
    chart = seasonality.hours_chart_svg(per_month(season), "en")
    layer = coverage_layer(
        plan, status, minutes, "en", pd.Series(cov.open_venues(plan, sel_months))
    )
    page: str = report_map(data.city, layer, plan).get_root().render()
    return "".join([chart, *rows, page])


def current_rerun(data: Dataset, selection: planning.Selection, pv: list[Proposal]) -> None:
    """One rerun of today's Planning page: the remembered figures, the map layer, the
    seasonality charts and tables in the reader's language and the gap table shown; no
    file is built until downloaded."""
    fig = planning.figures(data, selection, tuple(pv))
    coverage_layer(
        fig.plan, fig.status, selection.minutes, "en", pd.Series(fig.open_venues)
    ).script_js()
    groups = columns.group_names(data.categories, "en", data.city.languages)
    seasonality.hours_chart(fig.season, groups, "en")
    _shown(data, per_month(fig.season))
    fig.season.pivot_table(index="category", columns="month", values="open", aggfunc="sum")
    year = clock.now(data.city.timezone).year
    seasonality.events_chart(seasonality.events_per_month(data, year), year, "en")
    _shown(data, fig.asks)
    _shown(data, fig.gap_list)


def _shown(data: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """A planning frame as the page shows it (both builds show their tables in words)."""
    return columns.shown_table(frame, "en", data.categories, data.city.languages)


def bench_planning_interactions(data: Dataset) -> None:
    """Map click and "Add" on the Planning page: today's build against 201f1d6's."""
    print("\n== Planning page interactions (issue 22; Kotor data, off-season, 15 min, medians)")
    selection = planning.Selection(planning.off_season(data))
    first = Proposal(42.514, 18.696, "gallery", selection.months)
    second = Proposal(42.42, 18.77, "museum", selection.months)
    previous_rerun(data, selection, [first])  # warm: plan, imports
    report_bytes = previous_rerun(data, selection, [first])
    old_click = median_time(partial(previous_rerun, data, selection, [first]), 7)

    def old_add_once() -> None:
        previous_rerun(data, selection, [first])  # the button's own run
        previous_rerun(data, selection, [first, second])  # st.rerun with the proposal

    old_add = median_time(old_add_once, 7)
    current_rerun(data, selection, [first])
    new_click = median_time(partial(current_rerun, data, selection, [first]), 7)

    def add_once() -> None:
        forget(planning.figures)  # a new proposal: nothing remembered for it yet
        current_rerun(data, selection, [first, second])  # one run: the button's callback

    current_rerun(data, selection, [first])
    new_add = median_time(add_once, 7)
    fig = planning.figures(data, selection, (first,))
    report = len(planning_report.report_html(data, fig, "en", "gaps.csv").encode("utf-8"))
    print(f"{'':>14} {'201f1d6':>11} {'today':>11} {'speed-up':>9}")
    for label, old, new in (("map click", old_click, new_click), ("Add", old_add, new_add)):
        print(f"{label:>14} {ms(old)} {ms(new)} {old / new:>8.0f}x")
    print(
        f"   report built on each 201f1d6 rerun: {report_bytes / 1000:.0f} kB; today's, "
        f"built only when downloaded: {report / 1000:.0f} kB in "
        f"{ms(median_time(partial(planning_report.report_html, data, fig, 'en'), 3)).strip()}"
    )
    page_click, page_add = _page_interactions()
    print(
        f"   today's page end to end (AppTest, script run and widgets, no browser): "
        f"map click {ms(page_click).strip()}, Add {ms(page_add).strip()}"
    )


def _page_interactions() -> tuple[float, float]:
    """Median AppTest run of today's Planning page after a map click (a rerun with a new
    clicked point) and after "Add" (one run: the button's callback adds the proposal)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"pv": "42.514,18.696,gallery,10-4"})
    at.run()
    at.switch_page("pages/planning_page.py").run()
    clicks, adds = [], []
    for i in range(8):
        at.session_state["_planning_click"] = (42.42 + i / 1000, 18.77)
        start = time.perf_counter()
        at.run()
        clicks.append(time.perf_counter() - start)
    for i in range(6):
        at.session_state["_planning_click"] = (42.43 + i / 1000, 18.76)
        start = time.perf_counter()
        at.button(key="pv_add").click().run()
        adds.append(time.perf_counter() - start)
    if at.exception:
        raise RuntimeError(str(at.exception))
    return statistics.median(clicks[1:]), statistics.median(adds[1:])
