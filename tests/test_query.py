"""Queries over the venues: filters and nearest-first walking times."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from pyproj import Transformer

from mapping.distance import StraightLineWalk, walk_model
from mapping.query import VenueFilter, apply_filter, nearest
from mapping.schema import WHEELCHAIR_ACCESSIBLE

TZ = "Europe/Podgorica"
SEA_GATE = (42.4247, 18.7702)  # lat, lon


def ids(frame) -> set[str]:
    return set(frame["id"])


def test_no_filter_keeps_everything(mini):
    assert len(apply_filter(mini.venues, VenueFilter(), TZ)) == 4


@pytest.mark.parametrize(("f", "expected"), [
    (VenueFilter(categories=("atelier",)), {"atelier-seasonal", "atelier-perast"}),
    (VenueFilter(members_only=True), {"gal-durkovic", "atelier-perast"}),
    (VenueFilter(wheelchair=True), {"gal-durkovic", "atelier-seasonal"}),
    (VenueFilter(text="durkovic"), {"gal-durkovic"}),
    (VenueFilter(text="DJURKOVIĆ gallery"), {"gal-durkovic"}),
    (VenueFilter(text="pomorski"), {"museum-sea"}),
    (VenueFilter(month=1), {"gal-durkovic", "atelier-seasonal"}),
    (VenueFilter(month=7), {"gal-durkovic", "atelier-seasonal", "atelier-perast"}),
])
def test_filters(mini, f, expected):
    assert ids(apply_filter(mini.venues, f, TZ)) == expected


def test_wheelchair_filter_keeps_the_accessible_values(mini):
    shown = apply_filter(mini.venues, VenueFilter(wheelchair=True), TZ)
    assert set(shown["wheelchair"]) == set(WHEELCHAIR_ACCESSIBLE) == {"yes", "limited"}


def test_open_at_a_winter_saturday(mini):
    when = datetime(2026, 1, 10, 11, 0, tzinfo=ZoneInfo(TZ))  # Saturday
    shown = ids(apply_filter(mini.venues, VenueFilter(open_at=when), TZ))
    # unknown hours (museum-sea) are not shown as open; Perast atelier closed in winter
    assert shown == {"gal-durkovic", "atelier-seasonal"}


def test_open_on_a_winter_sunday(mini):
    shown = ids(apply_filter(mini.venues, VenueFilter(open_on=date(2026, 1, 11)), TZ))
    assert shown == set()


def test_nearest_sorts_by_walking_minutes(mini):
    ranked = nearest(mini.venues, SEA_GATE, walk_model(mini))
    assert list(ranked["id"])[0] == "museum-sea"
    assert list(ranked["id"])[-1] == "atelier-perast"
    assert ranked["walk_min"].is_monotonic_increasing
    assert list(nearest(mini.venues, SEA_GATE, walk_model(mini), limit=2)["id"]) == \
        list(ranked["id"])[:2]


def _around_sea_gate() -> pd.DataFrame:
    """Venues at known distances from the Sea Gate, in EPSG:32634 metres."""
    x0, y0 = Transformer.from_crs("EPSG:4326", "EPSG:32634", always_xy=True).transform(
        SEA_GATE[1], SEA_GATE[0])
    return pd.DataFrame({
        "x": [x0, x0 + 1000, x0 + 600, x0],
        "y": [y0, y0, y0 - 800, y0 + 2000],  # 0 m, 1000 m, 1000 m (3-4-5), 2000 m
    }, index=["here", "east", "south-east", "north"])


def test_walking_minutes_by_hand(mini):
    # mini's city.toml: speed 4.5 km/h = 4500 m / 60 min = 75 m/min; detour 1.3.
    # 1000 m straight -> 1300 m walked -> 1300 / 75 = 17.333 min; 2000 m -> 34.667 min.
    minutes = walk_model(mini).minutes(SEA_GATE, _around_sea_gate())
    assert list(minutes.index) == ["here", "east", "south-east", "north"]
    assert minutes.tolist() == pytest.approx([0.0, 17.3333, 17.3333, 34.6667], abs=1e-3)


def test_straight_line_walk_uses_its_speed_and_detour():
    # 6 km/h = 100 m/min, no detour: 1000 m -> 10 min, 2000 m -> 20 min.
    plain = StraightLineWalk("EPSG:32634", speed_kmh=6.0, detour_factor=1.0)
    minutes = plain.minutes(SEA_GATE, _around_sea_gate())
    assert minutes.tolist() == pytest.approx([0.0, 10.0, 10.0, 20.0], abs=1e-3)


def test_walk_model_describes_itself_in_the_language(mini):
    model = walk_model(mini)
    assert model.describe("en") == (
        "Approximate walking time: straight line × 1.3 at 4.5 km/h. "
        "Across the bay a real walk may be longer."
    )
    assert "× 1.3 pri 4.5 km/h" in model.describe("me")
