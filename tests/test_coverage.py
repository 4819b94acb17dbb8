"""Coverage, gaps, ask-these-first, what-if and the gap files on a fixture computed by hand.

Three settlements, four venues, threshold 15 minutes::

    minutes      A (1000)  B (500)  C (unknown)   months
    v1 gallery       5        30        40        open all year
    v2 museum       10        10        50        open Jun–Sep, closed otherwise
    v3 gallery      40        12        14        hours unknown
    v4 museum       50        50         8        open Oct–Apr (across the year end)

January: A is covered by v1, C by v4; B only possibly (v3). July: A by v1, B by v2, C
only possibly (v3).
"""

from __future__ import annotations

import io
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from mapping import coverage as cov
from mapping import months
from mapping.distance import StraightLineWalk
from mapping.gap_files import gaps_csv_bytes, gaps_geojson_bytes
from mapping.hours import STATE_CLOSED as CLOSED
from mapping.hours import STATE_OPEN as OPEN
from mapping.hours import STATE_UNKNOWN as UNKNOWN
from mapping.params import Proposal
from mapping.what_if import what_if

OFF = (10, 11, 12, 1, 2, 3, 4)


def _months(open_months: tuple[int, ...]) -> list[int]:
    return [OPEN if m in open_months else CLOSED for m in range(1, 13)]


@pytest.fixture
def plan() -> cov.Plan:
    settlements = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "name": ["Alpha", "Beta", "Gamma"],
            "name_en": ["Alpha", "Beta", "Gamma"],
            "population": [1000.0, 500.0, np.nan],
            "lon": [18.70, 18.80, 18.75],
            "lat": [42.40, 42.40, 42.50],
        }
    )
    venues = pd.DataFrame(
        {
            "id": ["v1", "v2", "v3", "v4"],
            "name": ["One", "Two", "Three", "Four"],
            "category": ["gallery", "museum", "gallery", "museum"],
            "lon": [18.70, 18.71, 18.79, 18.75],
            "lat": [42.40, 42.41, 42.41, 42.49],
            "hypothetical": False,
            "group": ["visual", "heritage", "visual", "heritage"],
        }
    )
    states = np.array(
        [_months(cov.MONTHS), _months((6, 7, 8, 9)), [UNKNOWN] * 12, _months(OFF)], dtype=np.int8
    )
    minutes = np.array([[5, 10, 40, 50], [30, 10, 12, 50], [40, 50, 14, 8]], dtype=float)
    return cov.Plan(
        settlements,
        venues,
        states,
        minutes,
        ("visual", "heritage"),
        {"gallery": "visual", "museum": "heritage"},
        StraightLineWalk("EPSG:32634", 4.5, 1.3),
    )


def test_known_and_possible_coverage_in_january(plan):
    known, possible = cov.covered(plan, (1,))
    assert known[:, 0].tolist() == [True, False, True]
    assert possible[:, 0].tolist() == [True, True, True]
    (jan,) = cov.ranges(plan, (1,))
    assert (jan.residents_known, jan.residents_possible, jan.residents_total) == (1000, 1500, 1500)
    assert jan.share_residents_known == pytest.approx(2 / 3)
    assert jan.share_residents_possible == 1.0
    assert (jan.settlements_known, jan.settlements_possible, jan.population_unknown) == (2, 3, 1)


def test_july_and_every_month_row(plan):
    july, _jan, every = cov.ranges(plan, (7, 1))
    assert (july.residents_known, july.settlements_known, july.settlements_possible) == (1500, 2, 3)
    assert every.month is None
    assert (every.settlements_known, every.settlements_possible) == (1, 3)  # only A both
    assert cov.settlement_status(plan, (7, 1)).to_dict() == {
        "a": "covered",
        "b": "possible",
        "c": "possible",
    }


def test_categories_and_threshold(plan):
    known, possible = cov.covered(plan, (1,), categories=("museum",))
    assert known[:, 0].tolist() == [False, False, True]
    assert possible[:, 0].tolist() == [False, False, True]
    known, _ = cov.covered(plan, (1,), minutes=4)
    assert not known.any()


def test_gap_ranking_with_ties_and_unknown_population_last(plan):
    gaps = cov.gaps(plan, (1,))
    rows = list(
        zip(gaps["settlement_id"], gaps["group"], gaps["rank"], gaps["possible"], strict=True)
    )
    assert rows == [
        ("a", "heritage", 1, False),
        ("b", "visual", 2, True),
        ("b", "heritage", 2, False),
        ("c", "visual", pd.NA, True),
    ]


def test_ask_these_first(plan):
    asks = cov.ask_first(plan, (1,))
    assert asks[
        ["rank", "venue_id", "residents", "settlements", "settlement_months"]
    ].values.tolist() == [[1, "v3", 500.0, 1, 1]]
    asks = cov.ask_first(plan, (1, 7))  # July: v3 decides C (population unknown) too
    row = asks.iloc[0]
    assert (
        row.residents,
        row.settlements,
        row.settlements_unknown_population,
        row.settlement_months,
    ) == (500.0, 2, 1, 2)


def test_what_if_closes_exactly_the_expected_gap(plan):
    proposal = Proposal(42.40, 18.80, "museum", (1,))  # at Beta, open in January
    result = what_if(plan, [proposal], OFF)
    assert result.closed[["settlement_id", "month", "group"]].values.tolist() == [
        ["b", 1, "heritage"]
    ]
    jan_before = next(r for r in result.before if r.month == 1)
    jan_after = next(r for r in result.after if r.month == 1)
    assert (jan_before.residents_known, jan_after.residents_known) == (1000, 1500)
    assert plan.minutes.shape == (3, 4)  # the plan itself is unchanged


def test_month_range_across_the_year_end():
    assert months.month_run(10, 4) == OFF
    assert months.month_run(3, 3) == (3,)
    assert months.season_order((1, 2, 3, 4, 10, 11, 12)) == OFF
    with pytest.raises(ValueError, match="month must be 1-12"):
        months.month_run(0, 4)


def test_exports_parse_back(plan, tmp_path):
    gaps = cov.gaps(plan, OFF)
    data = gaps_csv_bytes(gaps)
    assert data.count(b"\r\n") == len(gaps) + 1  # RFC 4180 line ends, the one CSV writer
    back = pd.read_csv(io.BytesIO(data))
    assert list(back.columns) == list(cov.GAP_COLUMNS)
    assert len(back) == len(gaps)
    assert back["population"].isna().sum() == gaps["population"].isna().sum()
    path = tmp_path / "gaps.geojson"
    path.write_bytes(gaps_geojson_bytes(gaps))
    frame = gpd.read_file(path)
    assert len(frame) == len(gaps)
    assert {"rank", "settlement_id", "month", "group", "possible", "population"} <= set(
        frame.columns
    )
    assert json.loads(path.read_text())["features"][0]["geometry"]["type"] == "Point"


def test_kotor_plan_is_honest_about_population(kotor):
    plan = cov.build_plan(kotor)
    pops = plan.settlements["population"]
    places = json.loads((kotor.folder / "places.geojson").read_text(encoding="utf-8"))
    settlements = [f["properties"] for f in places["features"]]
    settlements = [
        p for p in settlements if p["kind"] == "settlement" and not p.get("outside_municipality")
    ]
    assert len(pops) == len(settlements) == 14  # Budva, outside the municipality, left out
    assert pops.notna().sum() == sum(p["population"] is not None for p in settlements)
    assert not plan.venues["id"].isin(kotor.venues.loc[kotor.venues["visit"] == "no", "id"]).any()
    known, possible = cov.group_cube(plan)
    assert (known <= possible).all()


def test_plan_minutes_come_from_the_town_model(kotor):
    plan = cov.build_plan(kotor)
    first = plan.settlements.iloc[0]
    one_by_one = plan.walk.minutes((first["lat"], first["lon"]), kotor.venues.set_index("id"))
    assert plan.minutes[0] == pytest.approx(one_by_one.loc[plan.venues["id"]].to_numpy())
