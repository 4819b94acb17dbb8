"""How a venue is reached: on foot, only by boat, or unknown beyond its settlement."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapping.distance import REACH_BOAT, REACH_SETTLEMENT, REACH_WALK, flag, reach


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


def test_flag_reads_json_booleans_and_text():
    values = pd.Series([True, False, "true", "yes", "no", "", None, np.nan])
    assert flag(values, values.index).tolist() == [
        True,
        False,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert flag(None, pd.RangeIndex(2)).tolist() == [False, False]


def test_kotor_islet_is_boat_only_and_settlement_venues_are_unplaced(kotor):
    kinds = dict(zip(kotor.venues["id"], reach(kotor.venues), strict=True))
    assert kinds["gospa-od-skrpjela"] == REACH_BOAT  # Our Lady of the Rocks, an islet
    assert kinds["cats-museum"] == REACH_WALK
    settlement_level = kotor.venues.loc[kotor.venues["location_precision"] == "settlement", "id"]
    assert {kinds[v] for v in settlement_level} == {REACH_SETTLEMENT}
