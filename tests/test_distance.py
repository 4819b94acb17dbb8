"""How a venue is reached (on foot, only by boat, or unknown beyond its settlement), and
the walk models: minutes between places and the ground reachable in some minutes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from mapping.distance import (
    REACH_BOAT,
    REACH_SETTLEMENT,
    REACH_WALK,
    WALK_MODELS,
    ReachCircle,
    ReachPolygon,
    StraightLineWalk,
    StreetGridWalk,
    project,
    reach,
    walk_model,
)
from mapping.schema import yes_flags

CRS = "EPSG:32634"
GATE = (42.4247, 18.7702)  # lat, lon


def test_reach_follows_precision_and_boat_only():
    venues = pd.DataFrame(
        {
            "location_precision": ["exact", "approximate", "settlement", "exact", " Settlement "],
            "boat_only": [False, None, False, True, "true"],
        }
    )
    assert reach(venues).tolist() == [
        REACH_WALK,
        REACH_WALK,
        REACH_SETTLEMENT,
        REACH_BOAT,
        REACH_BOAT,
    ]  # boat-only wins over any precision


def test_reach_without_boat_column_is_on_foot_or_settlement():
    venues = pd.DataFrame({"location_precision": ["approximate", "settlement"]})
    assert reach(venues).tolist() == [REACH_WALK, REACH_SETTLEMENT]


def test_boat_only_flag_reads_json_booleans_and_text():
    values = pd.Series([True, False, "true", "yes", "no", "", None, np.nan])
    assert yes_flags(values, values.index).tolist() == [
        True,
        False,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert yes_flags(None, pd.RangeIndex(2)).tolist() == [False, False]


def test_kotor_islet_is_boat_only_and_settlement_venues_are_unplaced(kotor):
    kinds = dict(zip(kotor.venues["id"], reach(kotor.venues), strict=True))
    assert kinds["gospa-od-skrpjela"] == REACH_BOAT  # Our Lady of the Rocks, an islet
    assert kinds["cats-museum"] == REACH_WALK
    settlement_level = kotor.venues.loc[kotor.venues["location_precision"] == "settlement", "id"]
    assert {kinds[v] for v in settlement_level} == {REACH_SETTLEMENT}


def _points(*offsets: tuple[float, float]) -> pd.DataFrame:
    """Points at metric offsets (east, north) from the gate: lat, lon and x, y columns."""
    x0, y0 = project(GATE[1], GATE[0], CRS)
    xs = np.array([x0 + dx for dx, _ in offsets])
    ys = np.array([y0 + dy for _, dy in offsets])
    lon, lat = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True).transform(xs, ys)
    return pd.DataFrame({"lat": lat, "lon": lon, "x": xs, "y": ys})


@pytest.mark.parametrize("model_class", list(WALK_MODELS.values()))
def test_minutes_between_agrees_with_minutes_from_one_point(model_class):
    model = model_class(CRS, 4.5, 1.3)
    places = _points((0, 750), (300, -400), (-1200, 50))
    origins = pd.DataFrame({"lat": [GATE[0]], "lon": [GATE[1]]})
    matrix = model.minutes_between(origins, places)
    assert matrix.shape == (1, 3)
    assert matrix[0] == pytest.approx(model.minutes(GATE, places).to_numpy(), abs=1e-6)


def test_street_grid_walks_around_the_block():
    places = _points((0, 750), (530.33, 530.33))  # 750 m north; 750 m north-east
    line = StraightLineWalk(CRS, 4.5, 1.0).minutes(GATE, places).to_numpy()
    grid = StreetGridWalk(CRS, 4.5, 1.0).minutes(GATE, places).to_numpy()
    assert line == pytest.approx([10.0, 10.0], abs=1e-3)  # 750 m at 75 m a minute
    assert grid == pytest.approx([10.0, 10.0 * 2**0.5], abs=1e-3)  # along an axis: the same


@pytest.mark.parametrize("model_class", list(WALK_MODELS.values()))
def test_reach_area_ends_where_the_minutes_run_out(model_class):
    model = model_class(CRS, 4.5, 1.3)
    area = model.reach_area(GATE, 15)
    if isinstance(area, ReachCircle):
        assert area.centre == GATE
        north = _points((0, area.radius_m))
        assert model.minutes(GATE, north).iloc[0] == pytest.approx(15)
    else:
        assert isinstance(area, ReachPolygon) and len(area.ring) == 4
        corners = pd.DataFrame(area.ring, columns=["lat", "lon"])
        origin = pd.DataFrame({"lat": [GATE[0]], "lon": [GATE[1]]})
        assert model.minutes_between(origin, corners)[0] == pytest.approx([15] * 4, abs=1e-3)


def test_walk_model_is_the_one_the_town_chose(mini):
    assert isinstance(walk_model(mini), StraightLineWalk)  # the default
    grid_town = replace(mini, city=replace(mini.city, walking_model="street_grid"))
    model = walk_model(grid_town)
    assert isinstance(model, StreetGridWalk)
    assert (model.speed_kmh, model.detour_factor) == (4.5, 1.3)
    assert "north" in model.describe("en") and "1.3" in model.describe("en")
