"""Issue 22: real and hypothetical never mix, every number says what it was computed
for, the population basis is explicit, settlements outside the municipality are left
out unless the town counts them, and the report a council reads."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mapping import coverage as cov
from mapping import planning, planning_report
from mapping.distance import StraightLineWalk
from mapping.gap_files import gaps_csv_bytes, gaps_geojson_bytes
from mapping.i18n import month_name, t
from mapping.io import Dataset, load_dataset
from mapping.params import Proposal
from mapping.population_basis import basis_text, population_basis
from tests.conftest import REPO_DATA, YEAR

PV = Proposal(42.514, 18.696, "gallery", (10, 11, 12, 1, 2, 3, 4))
"""The issue's what-if (``pv=42.514,18.696,gallery,10-4``): it covered every settlement."""


def _with_budva_outside(folder: Path, count_it: bool = False) -> Dataset:
    """A copy of the repo data with Budva marked ``outside_municipality: true``."""
    shutil.copytree(REPO_DATA, folder)
    path = folder / "places.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        if feature["properties"]["id"] == "budva":
            feature["properties"]["outside_municipality"] = True
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    if count_it:
        city = folder / "city.toml"
        text = city.read_text(encoding="utf-8")
        city.write_text(text + "\n[planning]\ncount_outside_municipality = true\n", "utf-8")
    return load_dataset(folder, year=YEAR)


def test_population_basis_counts_years_and_names_the_unknown():
    settlements = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "name": ["Alpha", "Beta", "Gamma", "Delta"],
            "population": [1000.0, 500.0, np.nan, 20.0],
            "population_year": [2011.0, 2011.0, np.nan, np.nan],
            "lon": [18.7, 18.8, 18.75, 18.6],
            "lat": [42.4, 42.4, 42.5, 42.45],
        }
    )
    plan = cov.Plan(
        settlements,
        pd.DataFrame(columns=["id", "name", "category", "group", "lon", "lat", "hypothetical"]),
        np.zeros((0, 12), dtype=np.int8),
        np.zeros((4, 0)),
        (),
        {},
        StraightLineWalk("EPSG:32634", 4.5, 1.3),
        ("Budva",),
    )
    basis = population_basis(plan)
    assert (basis.settlements, basis.with_population, basis.residents) == (4, 3, 1520.0)
    assert basis.by_year == ((2011, 2), (None, 1))
    assert basis.without_population == ("Gamma",)
    assert basis.outside == ("Budva",)
    text = basis_text(basis, "en", "1,520")
    assert (
        "Population known for 3 of 4 settlements (census 2011: 2, census year not given: 1)" in text
    )
    assert "1,520 residents" in text and "Gamma" in text
    assert "Left out, outside the municipality: Budva." in text


def _municipal_places() -> list[dict]:
    """The shipped settlements of the municipality, read (the data gains figures)."""
    doc = json.loads((REPO_DATA / "places.geojson").read_text(encoding="utf-8"))
    props = [f["properties"] for f in doc["features"]]
    return [p for p in props if p["kind"] == "settlement" and not p.get("outside_municipality")]


def test_kotor_basis_as_the_page_and_report_say_it(kotor):
    places = _municipal_places()
    known = [p for p in places if p["population"] is not None]
    years: dict[int, int] = {}
    for p in known:
        years[p["population_year"]] = years.get(p["population_year"], 0) + 1
    residents = float(sum(p["population"] for p in known))
    fig = planning.figures(kotor, planning.Selection((1,)))
    assert fig.basis.with_population == len(known) and dict(fig.basis.by_year) == years
    assert fig.basis.residents == residents
    line = planning.basis_line(fig, "en")
    assert f"Population known for {len(known)} of {len(places)}" in line
    assert f"{residents:,.0f} residents" in line
    unknown = next(p["name"] for p in places if p["population"] is None)
    assert unknown in line  # a settlement without a population: named, not dropped
    assert f"{residents:,.0f}".replace(",", ".") in planning.basis_line(fig, "de")


def test_outside_municipality_is_left_out_unless_the_town_counts_it(tmp_path):
    data = _with_budva_outside(tmp_path / "out")
    fig = planning.figures(data, planning.Selection(planning.off_season(data)))
    assert "budva" not in set(fig.plan.settlements["id"])
    assert fig.basis.outside == ("Budva",)
    assert fig.ranges[-1].settlements_total == len(fig.plan.settlements)
    assert "Budva" not in set(fig.gap_list["settlement"])
    assert "Left out, outside the municipality: Budva." in planning.basis_line(fig, "en")
    counted = _with_budva_outside(tmp_path / "counted", count_it=True)
    fig = planning.figures(counted, planning.Selection(planning.off_season(counted)))
    assert "budva" in set(fig.plan.settlements["id"]) and fig.basis.outside == ()
    assert "Budva" in set(fig.gap_list["settlement"])


def test_a_missing_outside_property_is_false(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(REPO_DATA, folder)
    path = folder / "places.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        feature["properties"].pop("outside_municipality", None)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    plan = cov.build_plan(load_dataset(folder, year=YEAR))
    assert plan.outside == () and "budva" in set(plan.settlements["id"])


def test_proposals_never_change_todays_figures(kotor):
    selection = planning.Selection(planning.off_season(kotor))
    today = planning.figures(kotor, selection)
    with_pv = planning.figures(kotor, selection, (PV,))
    assert with_pv.ranges == today.ranges  # the headline, the range table
    assert with_pv.status.equals(today.status)  # the map
    assert with_pv.gap_list.equals(today.gap_list)  # the gap list and its downloads
    assert with_pv.asks.equals(today.asks)  # ask these first: one function, today's venues
    assert not with_pv.asks.empty
    assert today.scenario is None
    scenario = with_pv.scenario
    assert scenario is not None and scenario.proposals == 1
    assert scenario.before == today.ranges
    before, after = scenario.before[-1], scenario.after[-1]
    assert after.residents_known > before.residents_known
    change = planning.scenario_change(before, after, "en")
    assert f"{before.settlements_known} → {after.settlements_known}" in change
    assert f"(+{after.settlements_known - before.settlements_known})" in change


def test_report_keeps_the_scenario_apart(kotor):
    selection = planning.Selection(planning.off_season(kotor))
    today = planning_report.report_html(kotor, planning.figures(kotor, selection), "en")
    fig = planning.figures(kotor, selection, (PV,))
    html = planning_report.report_html(kotor, fig, "en")
    headline = planning.headline(fig, "en")
    assert headline in today and headline in html  # the same, today's headline
    assert "Scenario with 1 proposed venue (hypothetical)" in html
    assert "Scenario with" not in today
    assert html.index("Ask these first") < html.index("Scenario with")
    top = str(fig.asks["venue"].iloc[0])
    assert top in html and top in today and t("planning.none", "en") not in html


def test_categories_narrow_the_gap_list_and_its_files(kotor):
    selection = planning.Selection(planning.off_season(kotor), 15.0, ("gallery",))
    fig = planning.figures(kotor, selection)
    everything = planning.figures(kotor, planning.Selection(selection.months))
    gallery_group = fig.plan.category_group["gallery"]
    assert set(fig.gap_list["group"]) == {gallery_group}
    assert len(fig.gap_list) < len(everything.gap_list)
    scope = planning.scope_values(selection)
    frame = pd.read_csv(io.BytesIO(gaps_csv_bytes(fig.gap_list, scope)), dtype=str)
    assert set(frame["categories"]) == {"gallery"} and set(frame["minutes"]) == {"15"}
    assert set(frame["selection_months"]) == {"10 11 12 1 2 3 4"}
    doc = json.loads(gaps_geojson_bytes(fig.gap_list, scope))
    assert doc["selection"] == scope
    assert all(f["properties"]["categories"] == "gallery" for f in doc["features"])
    text = planning.scope_text(kotor, selection, "en")
    assert "within 15 minutes" in text and "Galleries" in text and "Oct" in text


def test_category_choice_also_narrows_the_scenario(kotor):
    museum = Proposal(PV.lat, PV.lon, "museum", PV.months)
    selection = planning.Selection(planning.off_season(kotor), 15.0, ("gallery",))
    fig = planning.figures(kotor, selection, (museum,))
    assert fig.scenario is not None
    assert fig.scenario.after == fig.scenario.before  # a museum counts for nothing here
    assert fig.scenario.closed.empty


@pytest.mark.parametrize("lang", ["me", "en", "de"])
def test_report_sections_and_localised_headers(kotor, lang):
    fig = planning.figures(kotor, planning.Selection(planning.off_season(kotor)), (PV,))
    html = planning_report.report_html(kotor, fig, lang, "gaps.csv")
    for key in (
        "planning.method",
        "planning.headline",
        "planning.summary_table",
        "planning.map",
        "planning.seasonality",
        "planning.ask_first",
        "planning.annex",
        "planning.col_settlement",
        "planning.col_residents",
        "planning.column.venue",
        "planning.column.category",
        "planning.col_reason",
        "planning.column.month",
        "planning.table.known_share",
        "planning.method_known",
    ):
        assert t(key, lang).replace('"', "&quot;") in html, key
    assert planning.scope_text(kotor, fig.selection, lang) in html
    assert planning.ratio_basis_text(fig, lang) in html  # what the ratio rests on
    assert month_name(10, lang) in html and "gaps.csv" in html
    assert "7" in html and ("Dezember" in html if lang == "de" else True)  # the date
    for raw in ("venue_id", "settlements_unknown_population", ">True<", ">False<", "2048.0"):
        assert raw not in html
    assert "@page{size:A4" in html and "break-inside:avoid" in html
    assert html.count("<tr>") < 60  # a summary, not pages of raw gap rows


def test_report_is_much_smaller_than_before(kotor):
    fig = planning.figures(kotor, planning.Selection(planning.off_season(kotor)))
    size = len(planning_report.report_html(kotor, fig, "en").encode("utf-8"))
    assert size < 400_000  # 585 KB with the raw gap rows and the unused icon font


def test_a_proposal_is_open_only_in_its_months(kotor):
    january_only = Proposal(PV.lat, PV.lon, "gallery", (1,))
    fig = planning.figures(kotor, planning.Selection((7,)), (january_only,))
    assert fig.scenario is not None and fig.scenario.after == fig.scenario.before


def test_the_map_marks_proposals_without_changing_the_colours(kotor):
    fig = planning.figures(kotor, planning.Selection(planning.off_season(kotor)), (PV,))
    plan, shown = planning.drawn(fig, "de")
    assert len(plan.venues) == len(fig.plan.venues) + 1 and bool(shown.iloc[-1])
    assert plan.venues["name"].iloc[-1] == "Vorgeschlagene Einrichtung 1 (hypothetisch)"
    assert bool(plan.venues["hypothetical"].iloc[-1])  # drawn dashed
    assert planning.drawn(planning.figures(kotor, fig.selection), "de")[0] is fig.plan
